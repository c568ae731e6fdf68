"""The claim suggester's quality on the development set it ships with.

These floors guard against regressions on the set the extractor is tuned on:
each is what the extractor reached on extraction/labelled/dev (31 articles)
when issue 10 was closed, rounded down to two decimals. They are not a measure
of accuracy on new text; the held-out set (extraction/labelled/heldout) is
scored once by the maintainer and never here."""

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from extraction.evaluation import LABELLED_DIR, evaluate, load_labelled_set

FLOORS = {
    # metric: (precision, recall, F1)
    "spans": (1.00, 1.00, 1.00),
    "speakers": (0.99, 0.99, 0.99),
    "figures": (0.99, 0.99, 0.99),
    "scope": (0.91, 0.91, 0.91),
}
ACCURACY_FLOORS = {"resolution": 1.00, "continuation": 1.00, "via_person": 1.00}
FIELD_FLOORS = {
    "outcome": 1.00,
    "population": 0.99,
    "place": 0.95,
    "basis": 0.96,
    "time": 0.98,
    "subgroups": 1.00,
    "part_of": 1.00,
}
MINIMUM = 0.99


@pytest.fixture(scope="module")
def report():
    return evaluate(load_labelled_set())


@pytest.mark.parametrize("metric", sorted(FLOORS))
def test_it_reaches_the_floor_on_the_development_set(report, metric):
    score = report.totals[metric]
    precision, recall, f1 = FLOORS[metric]
    assert score.precision >= precision, (metric, "precision", score.precision)
    assert score.recall >= recall, (metric, "recall", score.recall)
    assert score.f1 >= f1, (metric, "F1", score.f1)


@pytest.mark.parametrize("name", sorted(ACCURACY_FLOORS))
def test_it_resolves_speakers_and_continuations_on_the_development_set(report, name):
    assert report.ratio(name) >= ACCURACY_FLOORS[name]


@pytest.mark.parametrize("field", sorted(FIELD_FLOORS))
def test_it_reads_each_scope_field_on_the_development_set(report, field):
    assert report.field_accuracy()[field] >= FIELD_FLOORS[field]


def test_it_proposes_no_duplicate_of_a_known_source(report):
    assert report.duplicates == 0, [d for a in report.articles for d in a.duplicates]
    assert report.proposals_for_known == 0


def test_it_prints_the_scores_from_the_management_command():
    out = StringIO()
    call_command("evaluate_suggestions", "--min", str(MINIMUM), stdout=out)
    text = out.getvalue()
    for words in (
        "spans",
        "speakers",
        "figures",
        "scope",
        "speaker resolution accuracy",
        "continuation accuracy",
        "figure scope field accuracy",
        "duplicate source proposals 0",
    ):
        assert words in text
    assert f"All six scores are at least {MINIMUM}" in text


def test_it_scores_any_directory_in_the_label_format(tmp_path: Path):
    source = sorted(LABELLED_DIR.glob("*.json"))[0]
    (tmp_path / source.name).write_text(source.read_text(encoding="utf-8"), encoding="utf-8")
    out = StringIO()
    call_command("evaluate_suggestions", "--labelled", str(tmp_path), stdout=out)
    assert "ALL (1 articles)" in out.getvalue()


def test_it_refuses_a_directory_without_labelled_articles(tmp_path: Path):
    with pytest.raises(CommandError, match="No labelled articles"):
        call_command("evaluate_suggestions", "--labelled", str(tmp_path), stdout=StringIO())


def test_it_refuses_a_file_in_another_format(tmp_path: Path):
    (tmp_path / "old.json").write_text('{"format": "something-else/1"}', encoding="utf-8")
    with pytest.raises(CommandError, match="not in the label format"):
        call_command("evaluate_suggestions", "--labelled", str(tmp_path), stdout=StringIO())


def test_it_fails_the_management_command_below_the_minimum():
    with pytest.raises(CommandError, match="Below --min"):
        call_command("evaluate_suggestions", "--min", "1.01", stdout=StringIO())
