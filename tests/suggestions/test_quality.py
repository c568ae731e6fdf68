"""The claim suggester's quality on the development set it ships with.

These floors guard against regressions on the set the extractor is tuned on;
they are not a measure of accuracy on new text (see the held-out score in
the README). MINIMUM is what the first extractor reached on the format-2
development set, rounded down; the suggestions issue raises it."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from extraction.evaluation import evaluate, load_labelled_set

MINIMUM = 0.50


@pytest.fixture(scope="module")
def report():
    return evaluate(load_labelled_set())


@pytest.mark.parametrize("metric", ["spans", "speakers", "figures"])
@pytest.mark.parametrize("measure", ["precision", "recall"])
def test_it_reaches_the_minimum_on_the_labelled_set(report, metric, measure):
    assert getattr(report.totals[metric], measure) >= MINIMUM


def test_it_prints_the_scores_from_the_management_command():
    out = StringIO()
    call_command("evaluate_suggestions", "--min", str(MINIMUM), stdout=out)
    text = out.getvalue()
    for metric in ("spans", "speakers", "figures"):
        assert metric in text
    assert f"All six scores are at least {MINIMUM}" in text


def test_it_fails_the_management_command_below_the_minimum():
    with pytest.raises(CommandError, match="Below --min"):
        call_command("evaluate_suggestions", "--min", "1.01", stdout=StringIO())
