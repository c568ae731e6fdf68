"""CSV export: one row per claim, parses back, formula cells neutralised."""

import csv
import io

import pytest

from exports.formats.csv_export import HEADER, neutralise
from tests.exports.world import export_bytes


def _rows(data: bytes) -> list[dict]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8"), newline="")))


def test_it_writes_one_row_per_claim_with_a_header(world, analyst):
    data = export_bytes(workspace=world.workspace, actor=analyst, format="csv")
    assert data.decode("utf-8").splitlines()[0].split(",") == HEADER
    rows = _rows(data)
    assert sorted(int(r["claim_id"]) for r in rows) == sorted(
        [world.figure_claim.pk, world.statement_claim.pk, world.witness_claim.pk]
    )


def test_it_carries_the_claims_facts(world, analyst, reviewer):
    rows = {
        int(r["claim_id"]): r
        for r in _rows(export_bytes(workspace=world.workspace, actor=analyst, format="csv"))
    }
    row = rows[world.figure_claim.pk]
    assert row["quote"] == "more than 1,000 people were killed"
    assert row["source"] == "Monitoring Group"
    assert row["source_reliability"] == "C"
    assert row["attribution_chain"] == "Monitoring Group > News Agency"
    assert row["figures"] == "more than 1,000 people killed"
    assert (row["status"], row["verdict"]) == ("approved", "corroborated")
    assert (row["evidence_corroborates"], row["evidence_contradicts"], row["evidence_context"]) == (
        "1",
        "1",
        "0",
    )
    assert (row["analyst"], row["proposed_by"], row["reviewer"]) == ("ana", "ana", "rita")
    assert row["article_title"].startswith("Clashes on the coast")


def test_it_neutralises_formula_cells(world, analyst):
    rows = {
        int(r["claim_id"]): r
        for r in _rows(export_bytes(workspace=world.workspace, actor=analyst, format="csv"))
    }
    assert rows[world.figure_claim.pk]["statement"] == '\'=HYPERLINK("http://evil.example")'


@pytest.mark.parametrize("cell", ["=1+1", "+1", "-1", "@SUM(A1)", "\t=1", "\r=1"])
def test_it_prefixes_every_formula_trigger(cell):
    assert neutralise(cell) == "'" + cell


def test_it_leaves_ordinary_cells_alone():
    assert [neutralise(v) for v in ("Monitor", "1,000", 6, None, "a=b")] == [
        "Monitor",
        "1,000",
        "6",
        "",
        "a=b",
    ]


def test_it_exports_only_the_scope(world, analyst):
    rows = _rows(
        export_bytes(
            workspace=world.workspace, actor=analyst, format="csv", params={"status": ["approved"]}
        )
    )
    assert [int(r["claim_id"]) for r in rows] == [world.figure_claim.pk]
