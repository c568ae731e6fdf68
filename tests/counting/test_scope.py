"""Suggesting a figure's scope from its wording (counting.scope): pure."""

import pytest

from counting.scope import Lexicon, parse_counted

LEXICON = Lexicon.build(
    populations=[("pro-Assad fighters", "armed_groups"), ("regime remnants", "armed_groups")],
    outcomes=[("executed", "killed")],
)


@pytest.mark.parametrize(
    ("counted", "outcome", "population", "subgroups"),
    [
        ("civilians killed", "killed", "civilians", []),
        ("civilian deaths", "killed", "civilians", []),
        ("members of the security forces killed", "killed", "security_forces", []),
        ("security personnel", None, "security_forces", []),
        ("pro-Assad fighters killed", "killed", "armed_groups", []),
        ("militants killed", "killed", "armed_groups", []),
        ("rebels", None, "armed_groups", []),
        ("people executed", "killed", "unspecified", []),
        ("death toll", "killed", "unspecified", []),
        ("children", None, "civilians", ["children"]),
        ("women and children killed", "killed", "civilians", ["children", "women"]),
        ("people forced from their homes", "displaced", "unspecified", []),
        ("people wounded", "injured", "unspecified", []),
    ],
)
def test_it_suggests_outcome_population_and_subgroups(counted, outcome, population, subgroups):
    guess = parse_counted(counted, LEXICON)
    assert (guess.outcome, guess.population, guess.subgroups) == (outcome, population, subgroups)


@pytest.mark.parametrize(
    ("counted", "basis"),
    [
        ("people killed in the past 24 hours", "increment"),
        ("death toll", "cumulative"),
        ("people killed since Thursday", "cumulative"),
        ("people killed in the strike", "incident"),
        ("civilians killed", None),
    ],
)
def test_it_suggests_the_basis_from_cues(counted, basis):
    assert parse_counted(counted, LEXICON).basis == basis


def test_it_finds_a_place_of_the_gazetteer_in_the_wording():
    places = {"baniyas": 7, "banias": 7, "tartus": 3}
    assert parse_counted("deaths in Banias", LEXICON, places).place == 7


def test_a_workspace_term_maps_a_word_the_base_lexicon_lacks():
    assert parse_counted("regime remnants", LEXICON).population == "armed_groups"
    assert parse_counted("regime remnants", Lexicon.build()).population is None
