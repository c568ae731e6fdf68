"""How two claims relate, by the rules an analyst applies. Plain Python (no
Django), so the rules read, and are tested, on their own.

A pair of claims in different reports gets at most one relation:

1. Figures first. If the claims state figures of one scope, the figures'
   relation decides (counting.reconcile.figure_relations): a later cumulative
   figure of the same source *updates* the earlier; the same count from the
   same source on the same day is a *repeat*; comparable figures of two
   independent sources *conflict* when they differ beyond the tolerance and
   *corroborate* when they agree.
2. Statements by meaning (texttools.meaning frames):
   - *repeat*: the same source says the same thing again (the frames and the
     wording nearly identical);
   - *conflict*: one source denies what the other asserts about the same
     event (a participant, a state or a count it denies, with an event they
     share), or they assert contrary things (an operation ended / clashes
     still under way; a city captured / still held; the dead mostly civilians
     / the target was military);
   - *corroboration*: two independent sources state the same thing about the
     same event in different words (frames that share the event's action and
     its participants or anchors, scored with character n-grams).

Every match carries the reason, in words, of the rule that fired.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from texttools.meaning import (
    ACTIONS,
    ANCHORS,
    CONTRARY,
    PARTICIPANTS,
    Frame,
    concept_overlap,
    place_overlap,
)


class Relation:
    UPDATES = "updates"
    REPEAT = "repeat"
    CONFLICT = "conflict"
    CORROBORATION = "corroboration"


# When figure pairs of two claims give several relations, the strongest decides.
PRIORITY = {
    Relation.CONFLICT: 0,
    Relation.UPDATES: 1,
    Relation.REPEAT: 2,
    Relation.CORROBORATION: 3,
}


# Thresholds (tuned on the development sequences; see notes/README-issue-9.md).
REPEAT_SIMILARITY = 0.72
CORROBORATION_SIMILARITY = 0.34
# Lower, when the claims also share a place or an object and who they describe.
CORROBORATION_SIMILARITY_LOCATED = 0.25
DENIAL_MIN_SHARED = 1


@dataclass(frozen=True)
class Match:
    relation: str
    score: float
    reason: str


@dataclass(frozen=True)
class ClaimView:
    """What the rules need to know of one claim."""

    pk: int
    source_id: int
    source_name: str
    article_id: int
    frame: Frame
    has_figures: bool = False
    # Concepts the claim's figures assert (outcome, population) and their places.
    figure_concepts: frozenset[str] = field(default_factory=frozenset)
    figure_places: frozenset[int] = field(default_factory=frozenset)
    statement: str = ""
    # A figure claim states a count; only other kinds of claim deny.
    can_deny: bool = True

    @property
    def asserted(self) -> frozenset[str]:
        """What the claim asserts; for a figure claim, who its figures count
        (not whoever its wording mentions)."""
        if self.has_figures:
            return (self.frame.asserted - PARTICIPANTS) | self.figure_concepts
        return self.frame.asserted


POPULATION_CONCEPTS = {
    "civilians": ("CIVILIAN",),
    "security_forces": ("STATE", "COMBATANT", "MILITARY"),
    "armed_groups": ("ARMED", "COMBATANT", "MILITARY"),
    "unspecified": (),
}
OUTCOME_CONCEPTS = {
    "killed": ("KILL", "CASUALTY", "FIGURES"),
    "injured": ("INJURE", "CASUALTY", "FIGURES"),
}


def figure_concepts(outcome: str, population: str) -> frozenset[str]:
    return frozenset(
        OUTCOME_CONCEPTS.get(outcome, ("FIGURES",)) + POPULATION_CONCEPTS.get(population, ())
    )


CONTRARY_WORDS = {
    "END": "it has ended",
    "ONGOING": "it is still going on",
    "CAPTURE": "it was captured",
    "HOLD": "it is still held",
}


# Participant tags as the classes of people they name.
WHO_CLASSES = {
    "CIVILIAN": "civilians",
    "FAMILY": "civilians",
    "STATE": "state forces",
    "ARMED": "armed groups",
    "FACTION": "factions",
    "COMBATANT": "combatants",
    "MILITARY": "combatants",
}


def _score(value: float) -> float:
    return round(min(1.0, max(0.0, value)), 3)


def _names(tags) -> str:
    return ", ".join(sorted(t.lower().replace("_", " ") for t in tags))


@dataclass(frozen=True)
class Context:
    """The workspace's gazetteer, for places named in the text."""

    parents: Mapping[int, int | None]
    depth_of: Callable[[int], int]


def _anchored(a: ClaimView, b: ClaimView, ctx: Context) -> list[str]:
    """What ties two claims to one event: a shared object, place or named
    party. A count is tied only by an object or a place below the top levels
    (a town or district, not the country)."""
    ties = [t.lower() for t in sorted(a.frame.concepts & b.frame.concepts & ANCHORS)]
    fa = Frame(a.frame.asserted, a.frame.denied, a.frame.places | a.figure_places)
    fb = Frame(b.frame.asserted, b.frame.denied, b.frame.places | b.figure_places)
    if a.has_figures or b.has_figures:
        specific = [p for p in (fa.places & fb.places) if ctx.depth_of(p) >= 2]
        if specific or place_overlap(
            Frame(fa.asserted, fa.denied, frozenset(p for p in fa.places if ctx.depth_of(p) >= 2)),
            Frame(fb.asserted, fb.denied, frozenset(p for p in fb.places if ctx.depth_of(p) >= 2)),
            ctx.parents,
            ctx.depth_of,
        ):
            ties.append("the same place")
        return ties
    if place_overlap(fa, fb, ctx.parents, ctx.depth_of):
        ties.append("the same place")
    shared_entities = a.frame.entities & b.frame.entities
    if shared_entities:
        ties.append(", ".join(sorted(shared_entities)))
    return ties


def _denial(x: ClaimView, y: ClaimView, ctx: Context) -> Match | None:
    """x denies something y asserts about an event both speak of."""
    if not x.can_deny:
        return None
    denied = x.frame.denied & y.asserted
    if len(denied) < DENIAL_MIN_SHARED:
        return None
    shared_actions = (x.frame.concepts & y.asserted) & ACTIONS - {"CASUALTY"}
    ties = _anchored(x, y, ctx)
    if y.has_figures and not ties:
        # A count is contradicted by a denial about the same incident only.
        return None
    if not ties:
        # Without a shared place, object or party: a denial of who did it
        # ("its units did not carry out executions") against a claim of who
        # did ("blamed the killings on the security forces").
        perpetrators = "PERPETRATOR" in x.frame.concepts and "PERPETRATOR" in y.frame.concepts
        if not (perpetrators and denied & PARTICIPANTS and shared_actions):
            return None
    strength = len(denied) + len(shared_actions) + 2 * len(ties)
    reason = f"{x.source_name} denies what {y.source_name} states ({_names(denied)})"
    if ties:
        reason += f" about {'; '.join(ties)}"
    elif shared_actions:
        reason += f" about the same events ({_names(shared_actions)})"
    return Match(Relation.CONFLICT, _score(0.55 + 0.05 * strength), reason)


def _contrary(a: ClaimView, b: ClaimView, ctx: Context) -> Match | None:
    """Assertions that cannot both hold of one event."""
    ties = _anchored(a, b, ctx)
    for one, other in CONTRARY:
        for x, y in ((a, b), (b, a)):
            if one in x.frame.asserted and other in y.frame.asserted:
                if one in y.frame.asserted or other in x.frame.asserted:
                    continue
                topic = (x.frame.concepts & y.frame.concepts) & {"FIGHT", "CAPTURE", "HOLD"}
                if topic or ties:
                    return Match(
                        Relation.CONFLICT,
                        _score(0.7),
                        f"contrary accounts of the same events "
                        f"({'; '.join(ties) or _names(topic)}): {x.source_name} says "
                        f"{CONTRARY_WORDS[one]}, {y.source_name} says {CONTRARY_WORDS[other]}",
                    )
    for x, y in ((a, b), (b, a)):
        if x.frame.predominant == {"CIVILIAN"} and "CIVILIAN" not in y.frame.predominant:
            military = {"MILITARY", "COMBATANT"} & y.frame.asserted
            if military and "ATTACK" in y.frame.asserted and not y.has_figures:
                shared = (x.frame.concepts & y.frame.concepts) & (ANCHORS | {"ATTACK"})
                if ties and shared:
                    return Match(
                        Relation.CONFLICT,
                        _score(0.7),
                        f"{x.source_name} says the dead were mostly civilians; "
                        f"{y.source_name} says the target was military ({'; '.join(ties)})",
                    )
        if (
            x.frame.predominant == {"COMBATANT"}
            and "CIVILIAN" in y.frame.asserted
            and ("CIVILIAN" in y.frame.predominant or "KILL" in y.asserted)
            and not y.has_figures
            and ties
        ):
            return Match(
                Relation.CONFLICT,
                _score(0.7),
                f"{x.source_name} says the dead were mostly combatants; "
                f"{y.source_name} says civilians ({'; '.join(ties)})",
            )
    return None


def statement_relation(a: ClaimView, b: ClaimView, *, cosine: float, ctx: Context) -> Match | None:
    """The relation of two claims by what their statements mean; None if unrelated."""
    overlap = concept_overlap(a.frame, b.frame)
    similarity = 0.6 * overlap + 0.4 * cosine
    if a.source_id == b.source_id:
        if a.has_figures or b.has_figures or a.frame.negated != b.frame.negated:
            return None
        if similarity >= REPEAT_SIMILARITY or (cosine >= 0.8 and overlap >= 0.5):
            return Match(
                Relation.REPEAT,
                _score(similarity),
                f"{a.source_name} says the same again in other words "
                f"({overlap:.0%} of the concepts, {cosine:.0%} of the wording alike)",
            )
        return None
    for x, y in ((a, b), (b, a)):
        match = _denial(x, y, ctx)
        if match is not None:
            return match
    match = _contrary(a, b, ctx)
    if match is not None:
        return match
    if a.has_figures or b.has_figures:
        return None
    if (a.frame.negated or b.frame.negated) and a.frame.denied != b.frame.denied:
        # A denial corroborates only another denial of the same thing.
        return None
    shared = a.frame.concepts & b.frame.concepts
    shared_actions = shared & ACTIONS - {"CASUALTY"}
    shared_who = shared & (PARTICIPANTS | ANCHORS)
    ties = _anchored(a, b, ctx)
    if not shared_actions or not (shared_who or ties):
        return None
    # Who and where both describe: victims, perpetrators, objects, as classes
    # ("soldiers" is one class, however many tags it carries).
    classes = {
        WHO_CLASSES.get(t, t) for t in (a.frame.asserted & b.frame.asserted) & WHO_CLASSES.keys()
    }
    located = [t for t in ties if t in {x.lower() for x in ANCHORS} or t == "the same place"]
    if similarity >= CORROBORATION_SIMILARITY or (
        similarity >= CORROBORATION_SIMILARITY_LOCATED and located and len(classes) >= 1
    ):
        about = _names(shared_actions | shared_who)
        return Match(
            Relation.CORROBORATION,
            _score(similarity + 0.3),
            f"{a.source_name} and {b.source_name}, independent sources, describe the same "
            f"event ({about}{'; ' + '; '.join(ties) if ties else ''}; {overlap:.0%} of the "
            f"concepts and {cosine:.0%} of the wording alike)",
        )
    return None


def strongest(relations: list[tuple[str, str]]) -> tuple[str, str]:
    """The relation (and its reason) that decides among several figure pairs."""
    return min(relations, key=lambda item: PRIORITY[item[0]])


_SPEAKER_PREFIX = re.compile(r"^\s*[^:.;]{1,80}?:\s+(?=\S)")


def meaning_text(statement: str, quote: str) -> str:
    """The text a claim's frame is read from: its statement (without a leading
    "Speaker:", which names who says it, not what happened) and its quote."""
    statement = _SPEAKER_PREFIX.sub("", statement or "", count=1)
    return f"{statement}. {quote}".strip(" .")
