"""One wording for figures everywhere (counting.wording), and no "1E+3" in
history, exports or pages."""

import json
from decimal import Decimal

import pytest

from audit.selectors import history_for_object
from claims.services.claims import claim_update
from counting.wording import figure_phrase, format_number, plain_number, quantity
from tests.exports.world import export_bytes


@pytest.mark.parametrize(
    ("value", "plain", "human"),
    [
        (Decimal("1000.00"), "1000", "1,000"),
        (Decimal("1E+3"), "1000", "1,000"),
        (Decimal("7.40E+2"), "740", "740"),
        (Decimal("1234.50"), "1234.5", "1,234.5"),
        (Decimal("0.25"), "0.25", "0.25"),
        ("2,040", "2040", "2,040"),
        (12, "12", "12"),
    ],
)
def test_it_prints_numbers_without_exponents_or_trailing_zeros(value, plain, human):
    assert plain_number(value) == plain
    assert format_number(value) == human


def test_it_words_a_figure_with_its_qualifier():
    assert figure_phrase(Decimal("1000.00"), "more_than", "people killed") == (
        "more than 1,000 people killed"
    )
    assert figure_phrase(Decimal("745"), "exact", "civilians killed") == "745 civilians killed"
    assert figure_phrase(Decimal("12"), "dozens", "homes burned") == "dozens of homes burned"
    assert quantity(Decimal("745.00"), "exact") == "745"
    assert quantity(Decimal("100"), "hundreds") == "hundreds"


def test_history_records_figures_as_plain_numbers(claim, analyst):
    claim_update(
        claim=claim,
        actor=analyst,
        expected_version=claim.version,
        figures=[{"value": "1311", "qualifier": "more_than", "counted": "people killed"}],
    )
    history = history_for_object(workspace=claim.workspace, object_type="claim", object_id=claim.pk)
    before, after = history.last().changes["figures"]
    assert before[0]["value"] == "1000" and after[0]["value"] == "1311"
    assert "E+" not in json.dumps([event.changes for event in history])


def test_exports_word_figures_the_same_way_as_the_page(claim, analyst, client_for):
    page = client_for(analyst).get(claim_url(claim)).content.decode()
    assert "more than" in page and "1,000" in page
    bundle = export_bytes(workspace=claim.workspace, actor=analyst, format="json").decode()
    csv = export_bytes(workspace=claim.workspace, actor=analyst, format="csv").decode()
    assert '"value": "1000"' in bundle
    assert "more than 1,000 people killed" in csv
    assert "exactly" not in csv and "E+" not in bundle + csv


def claim_url(claim) -> str:
    return f"/w/{claim.workspace.slug}/claims/{claim.pk}/"
