"""CSV export: one row per claim, parses back with every value as stored,
only cells a spreadsheet would run as formulas neutralised."""

import csv
import io

import pytest

from claims.models import Claim, Source
from exports.formats.csv_export import HEADER, is_formula, neutralise
from tests.exports.world import export_bytes

# What a spreadsheet would evaluate (Excel, LibreOffice): written with an apostrophe.
FORMULAS = [
    "=1+1",
    '=HYPERLINK("http://evil.example","x")',
    "@SUM(A1:A9)",
    "@A1",
    "+A1",
    "-B2*3",
    "+cmd|' /C calc'!A0",
    "-SUM(1,2)",
    "+Sheet1!A1",
    "-(1+2)",
    "-2+3",
    "--1",
    "\t=1",
    "\r=1",
    " =1",
]

# Data that only looks like it starts a formula: written exactly as stored.
DATA = [
    "-12%",
    "-5 °C",
    "+972 Magazine",
    "+44 20 7946 0000",
    "-1",
    "+1",
    "- a list item",
    "@ noon",
    "a=b",
    "1,000",
    "Monitor",
    "",
    "=",
    "-",
    "\tindented",
    "قال المرصد",
]


def _rows(data: bytes) -> list[dict]:
    assert data.startswith("\ufeff".encode())  # the BOM: spreadsheets read UTF-8
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def test_it_writes_one_row_per_claim_with_a_header(world, analyst):
    data = export_bytes(workspace=world.workspace, actor=analyst, format="csv")
    assert data.decode("utf-8-sig").splitlines()[0].split(",") == HEADER
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


@pytest.mark.parametrize("cell", FORMULAS)
def test_it_neutralises_what_a_spreadsheet_would_run(cell):
    assert is_formula(cell)
    assert neutralise(cell) == "'" + cell


@pytest.mark.parametrize("cell", DATA)
def test_it_leaves_numbers_and_text_as_they_are(cell):
    assert not is_formula(cell)
    assert neutralise(cell) == cell


def test_it_writes_numbers_and_none_as_text():
    assert (neutralise(6), neutralise(None)) == ("6", "")


def test_values_round_trip_unchanged_except_formulas(world, analyst):
    """Every statement, source name and title comes back from Python's csv as
    stored, but for one apostrophe in front of each formula; no cell that
    comes back would be evaluated by a spreadsheet."""
    values = FORMULAS + DATA
    claims = []
    for index, value in enumerate(values):
        source = Source.objects.create(
            workspace=world.workspace, name=f"{value} #{index}", kind="monitor"
        )
        claims.append(
            Claim(
                workspace=world.workspace,
                article=world.article,
                quote=world.figure_claim.quote,
                start=world.figure_claim.start,
                end=world.figure_claim.end,
                source=source,
                statement=value,
                created_by=analyst,
            )
        )
    Claim.objects.bulk_create(claims)
    rows = {
        int(r["claim_id"]): r
        for r in _rows(export_bytes(workspace=world.workspace, actor=analyst, format="csv"))
    }
    for claim, value in zip(claims, values, strict=True):
        row = rows[claim.pk]
        expected = "'" + value if is_formula(value) else value
        assert row["statement"] == expected
        name = f"{value} #{values.index(value)}"
        assert row["source"] == ("'" + name if is_formula(name) else name)
    for row in rows.values():
        assert not any(is_formula(cell) for cell in row.values())


def test_it_exports_only_the_scope(world, analyst):
    rows = _rows(
        export_bytes(
            workspace=world.workspace, actor=analyst, format="csv", params={"status": ["approved"]}
        )
    )
    assert [int(r["claim_id"]) for r in rows] == [world.figure_claim.pk]
