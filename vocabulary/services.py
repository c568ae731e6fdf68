"""Writes on a workspace's vocabulary and gazetteer. Admins edit; analysts may
add a place from the claim form. Every change is an audit event."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import ProtectedError
from django.utils.text import slugify

from audit.models import AuditEvent
from audit.services import audit_record
from counting.scope import (
    BASE_OUTCOMES,
    BASE_SUBGROUP_TERMS,
    Population,
    normalise_phrase,
    normalise_tag,
)
from jobs.models import Job
from jobs.services import job_enqueue
from vocabulary.models import Outcome, Place, PlaceName, Subgroup, Term
from vocabulary.seeds import GAZETTEERS, SUBGROUPS, TERMS
from vocabulary.selectors import known_subgroups, outcomes_for
from workspaces.access import ADMINS, ANNOTATORS, require_role
from workspaces.models import Workspace


def _admin(workspace: Workspace, actor, action: str) -> None:
    require_role(workspace=workspace, user=actor, roles=ADMINS, action=action)


def reconcile_later(*, workspace: Workspace, actor=None) -> Job:
    """Ask the figures feature (by job kind) to reconcile the workspace again:
    its figures, vocabulary, gazetteer or tolerance changed. One queued job
    per workspace at most."""
    return job_enqueue(
        workspace=workspace,
        kind=Job.Kind.RECONCILE_FIGURES,
        actor=actor,
        target=workspace,
        message="Reconciling figures…",
        reuse_running=False,
    )


def base_outcomes_ensure() -> None:
    """The base outcomes (killed, injured, ...) exist; idempotent."""
    for key, label in BASE_OUTCOMES.items():
        Outcome.objects.get_or_create(workspace=None, key=key, defaults={"label": label})


@transaction.atomic
def outcome_create(*, workspace: Workspace, actor, label: str, key: str = "") -> Outcome:
    """A workspace's own outcome (besides killed, injured, missing, detained,
    displaced, abducted): its key must not repeat one it already has."""
    _admin(workspace, actor, "edit the vocabulary")
    label = " ".join(str(label).split())[:80]
    key = slugify(key or label).replace("-", "_")[:40]
    if not label or not key:
        raise ValidationError({"label": "Name the outcome."})
    if outcomes_for(workspace=workspace).filter(key=key).exists():
        raise ValidationError({"label": f"The outcome “{key}” exists already."})
    outcome = Outcome(workspace=workspace, key=key, label=label)
    outcome.full_clean()
    outcome.save()
    audit_record(
        workspace=workspace,
        actor=actor,
        obj=outcome,
        action=AuditEvent.Action.CREATE,
        changes={"key": [None, key], "label": [None, label]},
    )
    return outcome


@transaction.atomic
def outcome_delete(*, outcome: Outcome, actor) -> None:
    if outcome.workspace is None:
        raise ValidationError("The base outcomes cannot be deleted.")
    _admin(outcome.workspace, actor, "edit the vocabulary")
    audit_record(
        workspace=outcome.workspace,
        actor=actor,
        obj=outcome,
        action=AuditEvent.Action.DELETE,
        changes={"key": [outcome.key, None], "label": [outcome.label, None]},
    )
    try:
        with transaction.atomic():
            outcome.delete()
    except ProtectedError:
        raise ValidationError(
            f"Figures count “{outcome.label}”; change them before deleting the outcome."
        ) from None


@transaction.atomic
def subgroup_create(*, workspace: Workspace, actor, label: str) -> Subgroup:
    """A sub-group tag of the workspace (a named community, a profession, ...)."""
    _admin(workspace, actor, "edit the vocabulary")
    label = " ".join(str(label).split())[:80]
    key = normalise_tag(label)
    if not key:
        raise ValidationError({"label": "Name the sub-group."})
    if key in known_subgroups(workspace=workspace):
        raise ValidationError({"label": f"The sub-group “{key}” exists already."})
    subgroup = Subgroup(workspace=workspace, key=key, label=label)
    subgroup.full_clean()
    subgroup.save()
    audit_record(
        workspace=workspace,
        actor=actor,
        obj=subgroup,
        action=AuditEvent.Action.CREATE,
        changes={"key": [None, key], "label": [None, label]},
    )
    return subgroup


@transaction.atomic
def subgroup_delete(*, subgroup: Subgroup, actor) -> None:
    _admin(subgroup.workspace, actor, "edit the vocabulary")
    audit_record(
        workspace=subgroup.workspace,
        actor=actor,
        obj=subgroup,
        action=AuditEvent.Action.DELETE,
        changes={"key": [subgroup.key, None]},
    )
    subgroup.delete()


def _check_meaning(workspace: Workspace, kind: str, meaning: str) -> str:
    if kind == Term.Kind.OUTCOME:
        outcome = outcomes_for(workspace=workspace).filter(key=meaning).first()
        if outcome is None:
            raise ValidationError({"meaning": f"No outcome “{meaning}” in this workspace."})
        return outcome.key
    if kind == Term.Kind.POPULATION:
        if meaning not in Population.LABELS:
            raise ValidationError(
                {"meaning": f"A population is one of: {', '.join(Population.LABELS)}."}
            )
        return meaning
    if kind == Term.Kind.SUBGROUP:
        tag = normalise_tag(meaning)
        if tag not in known_subgroups(workspace=workspace):
            raise ValidationError({"meaning": f"No sub-group “{meaning}”: add it first."})
        return tag
    raise ValidationError({"kind": "A term means an outcome, a population or a sub-group."})


@transaction.atomic
def term_create(*, workspace: Workspace, actor, phrase: str, kind: str, meaning: str) -> Term:
    """Map a word or phrase to an outcome, population or sub-group: "rebels"
    -> armed groups. The parser of the claim form and the migration use it."""
    _admin(workspace, actor, "edit the vocabulary")
    phrase = " ".join(str(phrase).split())[:120]
    key = normalise_phrase(phrase)
    if not key:
        raise ValidationError({"phrase": "Type the word or phrase."})
    meaning = _check_meaning(workspace, kind, str(meaning).strip())
    if Term.objects.filter(workspace=workspace, kind=kind, key=key).exists():
        raise ValidationError({"phrase": f"“{phrase}” is mapped already; delete it first."})
    term = Term(
        workspace=workspace, phrase=phrase, key=key, kind=kind, meaning=meaning, created_by=actor
    )
    term.full_clean()
    term.save()
    audit_record(
        workspace=workspace,
        actor=actor,
        obj=term,
        action=AuditEvent.Action.CREATE,
        changes={"phrase": [None, phrase], "kind": [None, kind], "meaning": [None, meaning]},
    )
    return term


@transaction.atomic
def term_delete(*, term: Term, actor) -> None:
    _admin(term.workspace, actor, "edit the vocabulary")
    audit_record(
        workspace=term.workspace,
        actor=actor,
        obj=term,
        action=AuditEvent.Action.DELETE,
        changes={"phrase": [term.phrase, None], "meaning": [term.meaning, None]},
    )
    term.delete()


def _clean_alternatives(name: str, alternatives: Iterable[str]) -> list[str]:
    seen = {normalise_phrase(name)}
    cleaned = []
    for alternative in alternatives:
        alternative = " ".join(str(alternative).split())[:200]
        key = normalise_phrase(alternative)
        if key and key not in seen:
            seen.add(key)
            cleaned.append(alternative)
    return cleaned[:20]


def _check_place(workspace: Workspace, place: Place) -> None:
    if not place.key:
        raise ValidationError({"name": "Name the place."})
    if place.level not in Place.LEVEL_DEPTH:
        raise ValidationError({"level": "Choose a level: country, region, district or locality."})
    parent = place.parent
    if parent is not None:
        if parent.workspace_id != workspace.pk:
            raise ValidationError({"parent": "That place belongs to another workspace."})
        if Place.LEVEL_DEPTH[parent.level] >= Place.LEVEL_DEPTH[place.level]:
            raise ValidationError(
                {"parent": f"A {place.level} cannot lie inside a {parent.level}; check the levels."}
            )
        ancestor, seen = parent, 0
        while ancestor is not None and seen < 10:
            if place.pk and ancestor.pk == place.pk:
                raise ValidationError({"parent": "A place cannot lie inside itself."})
            ancestor, seen = ancestor.parent, seen + 1
    siblings = Place.objects.filter(workspace=workspace, parent=parent, key=place.key)
    if place.pk:
        siblings = siblings.exclude(pk=place.pk)
    if siblings.exists():
        where = f"in {parent.name}" if parent else "at the top of the gazetteer"
        raise ValidationError({"name": f"There is a place called “{place.name}” {where} already."})


def _write_names(place: Place) -> None:
    place.names.all().delete()
    place_names_write([place])


def place_names_write(places: Sequence[Place]) -> None:
    """The rows type-ahead and name resolution read: every name of each place
    (its name and alternative spellings), normalised. For places created in
    bulk (a bundle import); the services above write them for one place."""
    rows = []
    for place in places:
        keys: dict[str, str] = {}
        for name in [place.name, *place.alternatives]:
            key = normalise_phrase(name)
            if key and key not in keys:
                keys[key] = name
        rows += [
            PlaceName(workspace_id=place.workspace_id, place=place, name=name, key=key)
            for key, name in keys.items()
        ]
    PlaceName.objects.bulk_create(rows, batch_size=1000)


@transaction.atomic
def place_create(
    *,
    workspace: Workspace,
    actor,
    name: str,
    level: str,
    parent: Place | None = None,
    alternatives: Sequence[str] = (),
) -> Place:
    """Add a place to the gazetteer (analysts may, from the claim form): under
    a parent of a higher level, its name unique among its siblings."""
    require_role(workspace=workspace, user=actor, roles=ANNOTATORS, action="add places")
    name = " ".join(str(name).split())[:200]
    place = Place(
        workspace=workspace,
        name=name,
        key=normalise_phrase(name),
        level=level,
        parent=parent,
        alternatives=_clean_alternatives(name, alternatives),
        created_by=actor,
    )
    _check_place(workspace, place)
    place.full_clean(validate_constraints=False)
    place.save()
    _write_names(place)
    audit_record(
        workspace=workspace,
        actor=actor,
        obj=place,
        action=AuditEvent.Action.CREATE,
        changes={
            "name": [None, place.name],
            "level": [None, level],
            "parent": [None, parent.name if parent else None],
            "alternatives": [None, place.alternatives],
        },
    )
    return place


@transaction.atomic
def place_update(
    *,
    place: Place,
    actor,
    name: str,
    level: str,
    parent: Place | None,
    alternatives: Sequence[str],
) -> Place:
    """Rename, move or respell a place (admins): figures keep pointing to it."""
    workspace = place.workspace
    _admin(workspace, actor, "edit the gazetteer")
    place = Place.objects.select_for_update(of=("self",)).select_related("parent").get(pk=place.pk)
    before = {
        "name": place.name,
        "level": place.level,
        "parent": place.parent.name if place.parent else None,
        "alternatives": place.alternatives,
    }
    place.name = " ".join(str(name).split())[:200]
    place.key = normalise_phrase(place.name)
    place.level = level
    place.parent = parent
    place.alternatives = _clean_alternatives(place.name, alternatives)
    _check_place(workspace, place)
    for child in place.children.all():
        if Place.LEVEL_DEPTH[child.level] <= Place.LEVEL_DEPTH[level]:
            raise ValidationError({"level": f"{child.name} inside it is a {child.level}."})
    place.full_clean(validate_constraints=False)
    place.save()
    _write_names(place)
    after = {
        "name": place.name,
        "level": place.level,
        "parent": parent.name if parent else None,
        "alternatives": place.alternatives,
    }
    changes = {k: [before[k], after[k]] for k in before if before[k] != after[k]}
    if changes:
        audit_record(
            workspace=workspace,
            actor=actor,
            obj=place,
            action=AuditEvent.Action.UPDATE,
            changes=changes,
        )
        reconcile_later(workspace=workspace, actor=actor)
    return place


@transaction.atomic
def place_delete(*, place: Place, actor) -> None:
    """Remove a place no figure and no other place uses."""
    workspace = place.workspace
    _admin(workspace, actor, "edit the gazetteer")
    audit_record(
        workspace=workspace,
        actor=actor,
        obj=place,
        action=AuditEvent.Action.DELETE,
        changes={"name": [place.name, None], "level": [place.level, None]},
    )
    try:
        with transaction.atomic():
            place.delete()
    except ProtectedError:
        raise ValidationError(
            f"{place.name} is used by figures or contains other places; change those first."
        ) from None


@transaction.atomic
def tolerance_set(*, workspace: Workspace, actor, tolerance) -> Workspace:
    """How far apart two sources' figures may be and still agree (0 to 99%)."""
    _admin(workspace, actor, "change the figures tolerance")
    try:
        value = Decimal(str(tolerance).strip().rstrip("%"))
    except InvalidOperation:
        raise ValidationError({"tolerance": "Give the tolerance as a percentage."}) from None
    if str(tolerance).strip().endswith("%") or value >= 1:
        value = value / 100
    if not value.is_finite() or not (0 <= value < 1):
        raise ValidationError({"tolerance": "The tolerance lies between 0% and 99%."})
    workspace = Workspace.objects.select_for_update().get(pk=workspace.pk)
    before = workspace.figure_tolerance
    workspace.figure_tolerance = value.quantize(Decimal("0.001"))
    workspace.full_clean()
    workspace.save(update_fields=["figure_tolerance"])
    audit_record(
        workspace=workspace,
        actor=actor,
        obj=workspace,
        action=AuditEvent.Action.UPDATE,
        changes={"figure_tolerance": [str(before), str(workspace.figure_tolerance)]},
    )
    reconcile_later(workspace=workspace, actor=actor)
    return workspace


@transaction.atomic
def gazetteer_load(
    *,
    workspace: Workspace,
    actor,
    places: Sequence[Mapping[str, Any]],
) -> dict[str, Place]:
    """Load places given as {key, name, level, parent (a key), alternatives}
    (parents first or not); a place that exists under the same parent is
    kept, with any new spellings added. Returns key -> Place."""
    _admin(workspace, actor, "load a gazetteer")
    by_key = {str(p["key"]): p for p in places}
    loaded: dict[str, Place] = {}

    def load(key: str, trail: tuple[str, ...] = ()) -> Place:
        if key in loaded:
            return loaded[key]
        if key in trail or key not in by_key:
            raise ValidationError(f"Place “{key}”: its parent is missing or circular.")
        item = by_key[key]
        parent = load(str(item["parent"]), (*trail, key)) if item.get("parent") else None
        existing = Place.objects.filter(
            workspace=workspace, parent=parent, key=normalise_phrase(item["name"])
        ).first()
        if existing is None:
            existing = place_create(
                workspace=workspace,
                actor=actor,
                name=item["name"],
                level=item["level"],
                parent=parent,
                alternatives=item.get("alternatives") or (),
            )
        else:
            missing = [
                a
                for a in item.get("alternatives") or ()
                if normalise_phrase(a) not in {normalise_phrase(x) for x in existing.alternatives}
            ]
            if missing:
                existing = place_update(
                    place=existing,
                    actor=actor,
                    name=existing.name,
                    level=existing.level,
                    parent=existing.parent,
                    alternatives=[*existing.alternatives, *missing],
                )
        loaded[key] = existing
        return existing

    for key in by_key:
        load(key)
    return loaded


@transaction.atomic
def gazetteer_seed(*, workspace: Workspace, actor, region: str = "syria-coast") -> int:
    """Seed the gazetteer and terms of a region (idempotent). Returns the places it holds."""
    if region not in GAZETTEERS:
        raise ValidationError(f"No gazetteer “{region}”; there is: {', '.join(GAZETTEERS)}.")
    places = [
        {"key": k, "name": n, "level": lv, "parent": p, "alternatives": list(a)}
        for k, n, lv, p, a in GAZETTEERS[region]
    ]
    loaded = gazetteer_load(workspace=workspace, actor=actor, places=places)
    vocabulary_load(
        workspace=workspace,
        actor=actor,
        subgroups=[{"label": label} for label in SUBGROUPS.get(region, ())],
        terms=[{"kind": k, "phrase": p, "meaning": m} for k, p, m in TERMS.get(region, ())],
    )
    return len(loaded)


@transaction.atomic
def vocabulary_load(
    *,
    workspace: Workspace,
    actor,
    outcomes: Sequence[Mapping[str, Any]] = (),
    subgroups: Sequence[Mapping[str, Any]] = (),
    terms: Sequence[Mapping[str, Any]] = (),
) -> dict[str, int]:
    """Load a vocabulary (from a bundle, a sequence or a seed); what exists is kept."""
    _admin(workspace, actor, "load a vocabulary")
    counts = {"outcomes": 0, "subgroups": 0, "terms": 0}
    for item in outcomes:
        key = str(item.get("key", ""))
        if key in BASE_OUTCOMES or outcomes_for(workspace=workspace).filter(key=key).exists():
            continue
        outcome_create(workspace=workspace, actor=actor, label=item.get("label") or key, key=key)
        counts["outcomes"] += 1
    known = known_subgroups(workspace=workspace)
    for item in subgroups:
        tag = normalise_tag(str(item.get("key") or item.get("label") or ""))
        if tag and tag not in known and tag not in BASE_SUBGROUP_TERMS:
            subgroup_create(workspace=workspace, actor=actor, label=item.get("label") or tag)
            known[tag] = tag
            counts["subgroups"] += 1
    for item in terms:
        kind, phrase = str(item.get("kind", "")), str(item.get("phrase", ""))
        if Term.objects.filter(
            workspace=workspace, kind=kind, key=normalise_phrase(phrase)
        ).exists():
            continue
        term_create(
            workspace=workspace,
            actor=actor,
            phrase=phrase,
            kind=kind,
            meaning=str(item.get("meaning", "")),
        )
        counts["terms"] += 1
    return counts
