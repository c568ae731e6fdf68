"""The development reporting sequences (figures/sequences/dev): every expected
update, repeat, parts check, conflict and range found with no false conflict,
and match proposals with precision >= 0.9 and recall >= 0.8. The held-out
sequences are not read here: the maintainer scores them once."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction

from figures.evaluation import evaluate_sequence, load_sequence_file, totals
from workspaces.models import Workspace

pytestmark = pytest.mark.django_db

DEV = Path(__file__).resolve().parents[2] / "figures" / "sequences" / "dev"
DEV_FILES = sorted(DEV.glob("*.json"))


@pytest.fixture(scope="module")
def results(django_db_setup, django_db_blocker):
    """Every development sequence loaded, reconciled and matched (once; rolled back)."""
    with django_db_blocker.unblock():
        found = []
        with transaction.atomic():
            for path in DEV_FILES:
                found.append(evaluate_sequence(path.stem, load_sequence_file(path)))
            transaction.set_rollback(True)
    return found


def test_there_are_seven_development_sequences():
    assert len(DEV_FILES) == 7


@pytest.mark.parametrize("kind", ["updates", "repeats", "parts checks", "conflicts", "ranges"])
def test_it_finds_every_expected_finding_and_nothing_else(results, kind):
    for result in results:
        score = result.scores[kind]
        assert score.correct == score.expected == score.found, (
            result.name,
            kind,
            result.missing[kind],
            result.extra[kind],
        )


def test_it_finds_no_false_conflict(results):
    assert [r.false_conflicts for r in results] == [[] for _ in results]


def test_its_proposals_have_the_precision_and_recall_the_issue_asks_for(results):
    _, by_relation, overall = totals(results)
    assert overall.precision >= 0.9, overall
    assert overall.recall >= 0.8, overall
    assert by_relation["updates"].recall == 1.0
    assert by_relation["conflict"].precision >= 0.9


def test_the_command_scores_a_directory_and_rolls_back(db, tmp_path):
    shutil.copy(DEV_FILES[-1], tmp_path / DEV_FILES[-1].name)
    out = io.StringIO()
    call_command("evaluate_figures", "--sequences", str(tmp_path), stdout=out)
    text = out.getvalue()
    assert "Total over 1 sequences" in text
    assert "false conflicts: 0" in text
    assert "proposals (all)          precision" in text
    assert not Workspace.objects.filter(slug__startswith="eval-").exists()


def test_the_command_refuses_a_directory_without_sequences(tmp_path, db):
    with pytest.raises(CommandError):
        call_command("evaluate_figures", "--sequences", str(tmp_path))
