"""Reads of a workspace's vocabulary: resolving what an analyst typed, type-ahead,
the lexicon the wording parser uses, and the gazetteer's tree."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet

from counting.scope import (
    BASE_SUBGROUP_TERMS,
    Lexicon,
    Population,
    normalise_phrase,
    normalise_tag,
    parse_counted,
)
from vocabulary.models import Outcome, Place, PlaceName, Subgroup, Term
from workspaces.models import Workspace
from workspaces.selectors import get_or_not_found

COMPLETE_LIMIT = 10


PLACES_PAGE = 50


def outcomes_for(*, workspace: Workspace) -> QuerySet[Outcome]:
    """The base outcomes and the workspace's own."""
    return Outcome.objects.filter(Q(workspace__isnull=True) | Q(workspace=workspace)).order_by(
        "workspace_id", "label", "id"
    )


def resolve_outcome(*, workspace: Workspace, text) -> Outcome | None:
    """An outcome from its key, its label or a term of the workspace ("executed")."""
    if isinstance(text, Outcome):
        return text if text.workspace_id in (None, workspace.pk) else None
    key = normalise_phrase(str(text or ""))
    if not key:
        return None
    slug = key.replace(" ", "_")
    for outcome in outcomes_for(workspace=workspace):
        if slug == outcome.key or key == normalise_phrase(outcome.label):
            return outcome
    term = Term.objects.filter(workspace=workspace, kind=Term.Kind.OUTCOME, key=key).first()
    if term is not None:
        return outcomes_for(workspace=workspace).filter(key=term.meaning).first()
    return None


def resolve_population(*, workspace: Workspace, text) -> str | None:
    """A population value from its value, its label or a term ("militants")."""
    key = normalise_phrase(str(text or ""))
    if not key:
        return None
    for value, label in Population.LABELS.items():
        if key in (value, value.replace("_", " "), normalise_phrase(label)):
            return value
    term = Term.objects.filter(workspace=workspace, kind=Term.Kind.POPULATION, key=key).first()
    return term.meaning if term is not None else None


def known_subgroups(*, workspace: Workspace) -> dict[str, str]:
    """Tag -> label: the base tags and the workspace's own."""
    tags = {tag: tag for tag in BASE_SUBGROUP_TERMS}
    tags.update(Subgroup.objects.filter(workspace=workspace).values_list("key", "label"))
    return tags


def resolve_subgroup(*, workspace: Workspace, text: str, known: dict[str, str]) -> str | None:
    """A sub-group tag from a tag, a label, or a term ("kids" -> children)."""
    key = normalise_tag(text)
    if not key:
        return None
    if key in known:
        return key
    for tag, label in known.items():
        if normalise_tag(label) == key:
            return tag
    lexicon = Lexicon.build(base=True)
    if key in lexicon.subgroups:
        return lexicon.subgroups[key]
    term = Term.objects.filter(workspace=workspace, kind=Term.Kind.SUBGROUP, key=key).first()
    return term.meaning if term is not None else None


def place_label(place: Place) -> str:
    """'Baniyas (Tartus)': a name with its parent, as type-ahead offers it."""
    if place.parent_id and place.parent is not None:
        return f"{place.name} ({place.parent.name})"
    return place.name


_WITH_PARENT = re.compile(r"^(?P<name>.+?)\s*(?:\((?P<paren>[^()]+)\)|,\s*(?P<comma>[^,]+))\s*$")


def resolve_place(*, workspace: Workspace, value) -> Place:
    """The workspace's place for a Place, an id, or a name typed by an analyst
    ("Banias", "Baniyas (Tartus)", "Jableh, Latakia"); alternative spellings
    count. Raises ValidationError for a place of another workspace, an
    unknown name, or a name two places share (with how to tell them apart)."""
    if isinstance(value, Place):
        if value.workspace_id != workspace.pk:
            raise ValidationError("That place belongs to another workspace's gazetteer.")
        return value
    text = str(value or "").strip()
    if text.isdigit():
        place = Place.objects.filter(pk=int(text)).select_related("parent").first()
        if place is None or place.workspace_id != workspace.pk:
            raise ValidationError(
                "That place belongs to another workspace's gazetteer (or does not exist)."
            )
        return place
    parent_key = None
    match = _WITH_PARENT.match(text)
    candidates = _places_named(workspace, normalise_phrase(text))
    if not candidates and match:
        parent_key = normalise_phrase(match.group("paren") or match.group("comma") or "")
        candidates = _places_named(workspace, normalise_phrase(match.group("name")))
        candidates = [
            p for p in candidates if p.parent is not None and parent_key in _names_of(p.parent)
        ]
    if not candidates:
        raise ValidationError(
            f"“{text}” is not in this workspace's gazetteer; check the spelling, or add "
            "the place first (New place… in the figures, or the Places page)."
        )
    if len(candidates) > 1:
        options = "; ".join(sorted(place_label(p) for p in candidates))
        raise ValidationError(f"Several places are called “{text}”: say which ({options}).")
    return candidates[0]


def _places_named(workspace: Workspace, key: str) -> list[Place]:
    if not key:
        return []
    ids = PlaceName.objects.filter(workspace=workspace, key=key).values("place_id")
    return list(Place.objects.filter(pk__in=ids).select_related("parent"))


def _names_of(place: Place) -> set[str]:
    return {normalise_phrase(place.name), *(normalise_phrase(a) for a in place.alternatives or [])}


def place_for_workspace(*, workspace: Workspace, pk: int) -> Place:
    return get_or_not_found(Place.objects.select_related("parent"), workspace=workspace, pk=pk)


@dataclass(frozen=True)
class Option:
    value: str
    label: str


def complete_places(*, workspace: Workspace, typed: str) -> list[Option]:
    """Places whose name or an alternative spelling starts with what was typed
    (at most COMPLETE_LIMIT; one indexed range scan)."""
    key = normalise_phrase(typed)
    if not key:
        return []
    rows = (
        PlaceName.objects.filter(workspace=workspace, key__startswith=key)
        .select_related("place__parent")
        .order_by("key", "id")[: COMPLETE_LIMIT * 3]
    )
    seen, options = set(), []
    for row in rows:
        if row.place_id in seen:
            continue
        seen.add(row.place_id)
        label = place_label(row.place)
        if normalise_phrase(row.name) != normalise_phrase(row.place.name):
            label = f"{label} — also “{row.name}”"
        options.append(Option(place_label(row.place), label))
        if len(options) == COMPLETE_LIMIT:
            break
    return options


def complete_outcomes(*, workspace: Workspace, typed: str) -> list[Option]:
    key = normalise_phrase(typed)
    options = [
        Option(o.label, o.label)
        for o in outcomes_for(workspace=workspace)
        if not key or normalise_phrase(o.label).startswith(key) or o.key.startswith(key)
    ]
    terms = Term.objects.filter(
        workspace=workspace, kind=Term.Kind.OUTCOME, key__startswith=key
    ).order_by("key")[:COMPLETE_LIMIT]
    options += [Option(t.phrase, f"{t.phrase} → {t.meaning}") for t in terms if key]
    return options[:COMPLETE_LIMIT]


def complete_subgroups(*, workspace: Workspace, typed: str) -> list[Option]:
    """Tags for the last item of a comma-separated list being typed."""
    done, _, last = typed.rpartition(",")
    key = normalise_tag(last)
    prefix = f"{done.strip()}, " if done.strip() else ""
    tags = known_subgroups(workspace=workspace)
    return [
        Option(prefix + tag, label)
        for tag, label in sorted(tags.items())
        if not key or tag.startswith(key)
    ][:COMPLETE_LIMIT]


def lexicon_for(*, workspace: Workspace) -> Lexicon:
    """The base lexicon with the workspace's terms, outcomes and sub-groups on top."""
    terms = list(Term.objects.filter(workspace=workspace).values_list("kind", "phrase", "meaning"))
    outcomes = [(o.label, o.key) for o in Outcome.objects.filter(workspace=workspace)]
    subgroups = list(Subgroup.objects.filter(workspace=workspace).values_list("label", "key"))
    return Lexicon.build(
        outcomes=[(p, m) for k, p, m in terms if k == Term.Kind.OUTCOME] + outcomes,
        populations=[(p, m) for k, p, m in terms if k == Term.Kind.POPULATION],
        subgroups=[(p, m) for k, p, m in terms if k == Term.Kind.SUBGROUP] + subgroups,
    )


@dataclass
class Gazetteer:
    """A workspace's places as a tree: parents, depths, names and labels."""

    parents: dict[int, int | None] = field(default_factory=dict)
    depths: dict[int, int] = field(default_factory=dict)
    names: dict[str, int] = field(default_factory=dict)  # normalised name -> place id
    labels: dict[int, str] = field(default_factory=dict)

    def depth_of(self, place: int) -> int:
        return self.depths.get(place, 0)


def gazetteer_for(*, workspace: Workspace) -> Gazetteer:
    """The whole gazetteer (two queries): for the matcher's frames and the
    reconciliation's breakdowns by place."""
    gazetteer = Gazetteer()
    rows = Place.objects.filter(workspace=workspace).values_list("id", "parent_id", "level", "name")
    names = {}
    for pk, parent, level, name in rows:
        gazetteer.parents[pk] = parent
        gazetteer.depths[pk] = Place.LEVEL_DEPTH[level]
        names[pk] = name
    for pk, name in names.items():
        parent = gazetteer.parents[pk]
        gazetteer.labels[pk] = f"{name} ({names[parent]})" if parent in names else name
    for place_id, key in PlaceName.objects.filter(workspace=workspace).values_list(
        "place_id", "key"
    ):
        # A name two places share points to neither: it cannot tell them apart.
        gazetteer.names[key] = -1 if key in gazetteer.names else place_id
    gazetteer.names = {k: v for k, v in gazetteer.names.items() if v != -1}
    return gazetteer


def places_page(*, workspace: Workspace, typed: str = "", after: str = "") -> list[Place]:
    """A page of the gazetteer by name (keyset: after a "key|id" cursor)."""
    places = Place.objects.filter(workspace=workspace).select_related("parent")
    key = normalise_phrase(typed)
    if key:
        ids = PlaceName.objects.filter(workspace=workspace, key__startswith=key).values("place_id")
        places = places.filter(pk__in=ids)
    if after:
        after_key, _, after_id = after.rpartition("|")
        if after_id.isdigit():
            places = places.filter(Q(key__gt=after_key) | Q(key=after_key, id__gt=int(after_id)))
    return list(places.order_by("key", "id")[: PLACES_PAGE + 1])


def vocabulary_page(*, workspace: Workspace) -> dict:
    """Outcomes, sub-groups and terms of the workspace (each list short: a
    workspace's vocabulary is tens of rows, not thousands)."""
    return {
        "outcomes": list(outcomes_for(workspace=workspace)),
        "subgroups": sorted(known_subgroups(workspace=workspace).items()),
        "workspace_subgroups": list(Subgroup.objects.filter(workspace=workspace)[:500]),
        "terms": list(Term.objects.filter(workspace=workspace).order_by("kind", "key")[:1000]),
        "populations": list(Population.LABELS.items()),
    }


def term_for_workspace(*, workspace: Workspace, pk: int) -> Term:
    return get_or_not_found(Term, workspace=workspace, pk=pk)


def outcome_for_workspace(*, workspace: Workspace, pk: int) -> Outcome:
    return get_or_not_found(Outcome, workspace=workspace, pk=pk)


def subgroup_for_workspace(*, workspace: Workspace, pk: int) -> Subgroup:
    return get_or_not_found(Subgroup, workspace=workspace, pk=pk)


def places_in_text(gazetteer: Gazetteer, text: str) -> list[int]:
    """The places a text names (longest names first, not overlapping)."""
    lowered = normalise_phrase(text)
    found, taken = [], []
    for name in sorted(gazetteer.names, key=lambda n: -len(n)):
        for match in re.finditer(rf"(?<![\w]){re.escape(name)}(?![\w])", lowered):
            if any(match.start() < e and s < match.end() for s, e in taken):
                continue
            taken.append(match.span())
            if gazetteer.names[name] not in found:
                found.append(gazetteer.names[name])
    return found


def single_place_in_text(gazetteer: Gazetteer, text: str) -> int | None:
    """The one place a text is about: the places it names, when they lie on one
    line of the tree ("Baniyas, in Tartus province"), the innermost; else none."""
    found = places_in_text(gazetteer, text)
    if not found:
        return None
    innermost = max(found, key=gazetteer.depth_of)
    chain = {innermost}
    current = gazetteer.parents.get(innermost)
    while current is not None and current not in chain:
        chain.add(current)
        current = gazetteer.parents.get(current)
    return innermost if all(p in chain for p in found) else None


def scope_suggestion(*, workspace: Workspace, counted: str) -> list[tuple[str, str]]:
    """(field, value in words) that the wording of "what is counted" suggests."""
    if not counted.strip():
        return []
    gazetteer = gazetteer_for(workspace=workspace)
    guess = parse_counted(counted, lexicon_for(workspace=workspace), gazetteer.names)
    found = []
    if guess.outcome:
        outcome = outcomes_for(workspace=workspace).filter(key=guess.outcome).first()
        found.append(("outcome", outcome.label if outcome else guess.outcome))
    if guess.population:
        found.append(("population", Population.LABELS[guess.population]))
    if guess.subgroups:
        found.append(("sub-groups", ", ".join(guess.subgroups)))
    if guess.place:
        found.append(("place", gazetteer.labels.get(guess.place, "")))
    if guess.basis:
        found.append(("basis", guess.basis))
    return found
