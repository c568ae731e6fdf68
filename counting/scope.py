"""A figure's scope: what exactly it counts. Pure: no Django.

Casualty recorders never compare two figures without knowing that they count
the same thing: the same outcome (killed, injured, ...), the same population
(civilians, security forces, armed groups, or unspecified), the same
sub-groups (children, women, ...), the same place and the same basis (a
cumulative total, an increment for a period, or a single incident). Two
figures with the same `Scope` are in one *category*.

`parse_counted` reads the analyst's wording ("members of the security forces
killed", "civilian deaths in the past 24 hours") with a workspace's lexicon
and suggests the outcome, population, sub-groups and basis; the place and the
dates are for the analyst (or the suggester) to give.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field


class Population:
    CIVILIANS = "civilians"
    SECURITY_FORCES = "security_forces"
    ARMED_GROUPS = "armed_groups"
    UNSPECIFIED = "unspecified"

    LABELS = {
        "civilians": "civilians",
        "security_forces": "security forces",
        "armed_groups": "armed groups",
        "unspecified": "people (unspecified)",
    }
    # The populations a total of "people" (unspecified) breaks down into.
    PARTS = ("civilians", "security_forces", "armed_groups")


class Basis:
    CUMULATIVE = "cumulative"
    INCREMENT = "increment"
    INCIDENT = "incident"

    LABELS = {
        "cumulative": "cumulative total",
        "increment": "increment for a period",
        "incident": "single incident",
    }


BASE_OUTCOMES = {
    "killed": "killed",
    "injured": "injured",
    "missing": "missing",
    "detained": "detained",
    "displaced": "displaced",
    "abducted": "abducted",
}


@dataclass(frozen=True)
class Scope:
    """What a figure counts. Two figures of the same scope are one category."""

    outcome: str
    population: str
    subgroups: tuple[str, ...]
    place: int
    basis: str

    @property
    def key(self) -> str:
        return "|".join(
            (self.outcome, self.population, "+".join(self.subgroups), str(self.place), self.basis)
        )


def normalise_phrase(text: str) -> str:
    """Lower case, straight apostrophes, single spaces, no punctuation at the ends."""
    text = text.lower().replace("’", "'").replace("‘", "'")
    text = re.sub(r"[^\w' -]+", " ", text)
    return " ".join(text.split()).strip(" '-")


def normalise_tag(text: str) -> str:
    """A sub-group tag: 'Children' -> 'children', 'Aid workers' -> 'aid workers'."""
    return normalise_phrase(text)[:40]


# Words of a base English lexicon; a workspace adds its own terms on top.
BASE_OUTCOME_TERMS = {
    "killed": (
        "killed",
        "kill",
        "killing",
        "killings",
        "dead",
        "death",
        "deaths",
        "died",
        "death toll",
        "toll",
        "fatalities",
        "slain",
        "perished",
        "murdered",
        "executed",
        "shot dead",
        "lost their lives",
        "bodies",
        "lives",
    ),
    "injured": ("injured", "wounded", "injuries", "injuring", "wounding", "hurt"),
    "missing": ("missing", "disappeared", "unaccounted for", "disappearances"),
    "detained": (
        "detained",
        "arrested",
        "arrests",
        "detentions",
        "detainees",
        "imprisoned",
        "held",
        "prisoners",
    ),
    "displaced": (
        "displaced",
        "fled",
        "uprooted",
        "forced from their homes",
        "homeless",
        "refugees",
        "displacement",
    ),
    "abducted": ("abducted", "kidnapped", "abductions", "taken hostage", "hostages"),
}


BASE_POPULATION_TERMS = {
    "civilians": (
        "civilians",
        "civilian",
        "villagers",
        "residents",
        "passengers",
        "students",
        "schoolchildren",
        "worshippers",
        "patients",
        "aid workers",
        "journalists",
        "medics",
    ),
    "security_forces": (
        "security forces",
        "members of the security forces",
        "security personnel",
        "government forces",
        "soldiers",
        "troops",
        "servicemen",
        "military personnel",
        "police",
        "policemen",
        "police officers",
        "officers",
        "army",
    ),
    "armed_groups": (
        "militants",
        "rebels",
        "fighters",
        "gunmen",
        "insurgents",
        "militiamen",
        "combatants",
        "jihadists",
        "armed men",
        "loyalists",
        "mercenaries",
    ),
    "unspecified": ("people", "persons", "individuals", "victims", "total", "toll", "death toll"),
}


# Sub-groups, and the population they imply when the wording names no other.
BASE_SUBGROUP_TERMS = {
    "children": ("children", "child", "minors", "boys", "girls", "schoolchildren", "babies"),
    "women": ("women", "woman"),
    "elderly": ("elderly", "older people"),
    "aid workers": ("aid workers", "humanitarian workers"),
    "journalists": ("journalists", "reporters"),
    "health workers": ("medics", "doctors", "nurses", "health workers", "paramedics"),
}
SUBGROUP_POPULATION = {
    "children": "civilians",
    "women": "civilians",
    "elderly": "civilians",
    "aid workers": "civilians",
    "journalists": "civilians",
    "health workers": "civilians",
}


# Wording that tells the basis of a figure.
INCREMENT_CUES = (
    "in the past",
    "in the last",
    "past 24 hours",
    "past 48 hours",
    "past day",
    "overnight",
    "in a day",
    "a day",
    "daily",
    "this week",
    "last week",
    "that day",
    "on monday",
    "on tuesday",
    "on wednesday",
    "on thursday",
    "on friday",
    "on saturday",
    "on sunday",
    "in january",
    "in february",
    "in march",
    "in april",
    "in may",
    "in june",
    "in july",
    "in august",
    "in september",
    "in october",
    "in november",
    "in december",
)
CUMULATIVE_CUES = (
    "toll",
    "since",
    "so far",
    "to date",
    "in total",
    "in all",
    "total",
    "overall",
    "running",
    "altogether",
)
INCIDENT_CUES = (
    "in the attack",
    "in the strike",
    "in the air strike",
    "in the airstrike",
    "in the bombing",
    "in the shelling",
    "in the blast",
    "in the explosion",
    "in the massacre",
    "in the raid",
    "in the ambush",
    "attack",
    "strike",
    "bombing",
    "massacre",
    "shelling",
    "explosion",
    "raid",
    "ambush",
)


@dataclass(frozen=True)
class Lexicon:
    """Phrases mapped to what they mean: outcome, population or sub-group."""

    outcomes: Mapping[str, str]
    populations: Mapping[str, str]
    subgroups: Mapping[str, str]

    @classmethod
    def build(
        cls,
        *,
        outcomes: Iterable[tuple[str, str]] = (),
        populations: Iterable[tuple[str, str]] = (),
        subgroups: Iterable[tuple[str, str]] = (),
        base: bool = True,
    ) -> Lexicon:
        """The base lexicon with a workspace's terms on top (theirs win)."""
        maps: list[dict[str, str]] = [{}, {}, {}]
        if base:
            for index, table in enumerate(
                (BASE_OUTCOME_TERMS, BASE_POPULATION_TERMS, BASE_SUBGROUP_TERMS)
            ):
                for target, phrases in table.items():
                    for phrase in phrases:
                        maps[index][normalise_phrase(phrase)] = target
                    maps[index][normalise_phrase(target.replace("_", " "))] = target
        for index, extra in enumerate((outcomes, populations, subgroups)):
            for phrase, target in extra:
                if normalise_phrase(phrase):
                    maps[index][normalise_phrase(phrase)] = target
        return cls(*maps)


@dataclass
class ScopeGuess:
    """What the wording says; None (or empty) where it says nothing."""

    outcome: str | None = None
    population: str | None = None
    subgroups: list[str] = field(default_factory=list)
    basis: str | None = None
    place: int | None = None
    matched: list[str] = field(default_factory=list)


def _phrases_in(text: str, table: Mapping[str, str]) -> list[tuple[int, int, str, str]]:
    """(start, end, phrase, meaning) of the table's phrases in the text, longest
    first, not overlapping; word boundaries only."""
    found: list[tuple[int, int, str, str]] = []
    taken: list[tuple[int, int]] = []
    for phrase in sorted(table, key=lambda p: (-len(p), p)):
        for match in re.finditer(rf"(?<![\w']){re.escape(phrase)}(?![\w'])", text):
            start, end = match.span()
            if any(start < e and s < end for s, e in taken):
                continue
            taken.append((start, end))
            found.append((start, end, phrase, table[phrase]))
    return sorted(found)


def _cue(text: str, cues: Iterable[str]) -> str | None:
    for cue in cues:
        if re.search(rf"(?<!\w){re.escape(cue)}(?!\w)", text):
            return cue
    return None


def guess_basis(text: str) -> str | None:
    text = normalise_phrase(text)
    if _cue(text, INCREMENT_CUES):
        return Basis.INCREMENT
    if _cue(text, INCIDENT_CUES[:10]):
        return Basis.INCIDENT
    if _cue(text, CUMULATIVE_CUES):
        return Basis.CUMULATIVE
    if _cue(text, INCIDENT_CUES[10:]):
        return Basis.INCIDENT
    return None


def parse_counted(
    counted: str, lexicon: Lexicon, places: Mapping[str, int] | None = None
) -> ScopeGuess:
    """Suggest a scope from the wording of what is counted: 'members of the
    security forces killed' -> killed, security_forces; 'children' ->
    civilians, [children]; 'deaths in Latakia' -> killed, unspecified, the
    place called Latakia (from `places`, normalised name -> place id)."""
    text = normalise_phrase(counted)
    guess = ScopeGuess()
    for _s, _e, phrase, outcome in _phrases_in(text, lexicon.outcomes):
        if guess.outcome is None:
            guess.outcome = outcome
            guess.matched.append(phrase)
    populations = _phrases_in(text, lexicon.populations)
    specific = [p for p in populations if p[3] != Population.UNSPECIFIED]
    for _s, _e, phrase, population in specific or populations:
        if guess.population is None:
            guess.population = population
            guess.matched.append(phrase)
    for _s, _e, phrase, tag in _phrases_in(text, lexicon.subgroups):
        if tag not in guess.subgroups:
            guess.subgroups.append(tag)
            guess.matched.append(phrase)
    if guess.population is None and guess.subgroups:
        implied = {SUBGROUP_POPULATION.get(tag) for tag in guess.subgroups}
        if len(implied) == 1 and None not in implied:
            guess.population = implied.pop()
    if guess.population is None and guess.outcome is not None:
        guess.population = Population.UNSPECIFIED  # "deaths", "the toll": everyone
    guess.subgroups.sort()
    guess.basis = guess_basis(text)
    if places:
        named = _phrases_in(text, {normalise_phrase(n): str(pk) for n, pk in places.items()})
        if named:
            guess.place = int(named[0][3])
            guess.matched.append(named[0][2])
    return guess
