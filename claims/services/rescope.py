"""Reading the scope of figures from their wording again: for figures entered
as free text (or migrated) whose outcome, place or basis is missing, once the
workspace's vocabulary and gazetteer know the words."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Q

from audit.models import AuditEvent
from audit.services import audit_record, diff_fields
from claims.models import Claim, Figure
from claims.services.locking import claim_snapshot
from claims.services.workflow import void_approval_if_changed
from counting.scope import Population, parse_counted
from vocabulary.models import Outcome, Place
from vocabulary.selectors import gazetteer_for, lexicon_for, outcomes_for, single_place_in_text
from vocabulary.services import reconcile_later
from workspaces.access import ADMINS, require_role
from workspaces.models import Workspace


def _unscoped(workspace: Workspace):
    return (
        Figure.objects.filter(claim__workspace=workspace)
        .filter(Q(outcome__isnull=True) | Q(place__isnull=True) | Q(basis=""))
        .select_related("claim")
        .order_by("claim_id", "position")
    )


@transaction.atomic
def figures_rescope(*, workspace: Workspace, actor) -> int:
    """Fill what is missing of unscoped figures from their wording (outcome,
    population, sub-groups, basis; the place named in the wording, else the
    one place the claim's quote names). What is set is kept. Each changed
    claim gets an audit event (and loses an approval the change voids).
    Returns how many figures changed."""
    require_role(workspace=workspace, user=actor, roles=ADMINS, action="read figures' scope")
    lexicon = lexicon_for(workspace=workspace)
    gazetteer = gazetteer_for(workspace=workspace)
    outcomes: dict[str, Outcome] = {o.key: o for o in outcomes_for(workspace=workspace)}
    places: dict[int, Place] = {}
    by_claim: dict[int, list[tuple[Figure, dict]]] = {}
    for figure in _unscoped(workspace).iterator(chunk_size=500):
        guess = parse_counted(figure.counted, lexicon, gazetteer.names)
        update: dict = {}
        if figure.outcome_id is None and guess.outcome in outcomes:
            update["outcome"] = outcomes[guess.outcome]
        if figure.population == Population.UNSPECIFIED and guess.population not in (
            None,
            Population.UNSPECIFIED,
        ):
            update["population"] = guess.population
        if not figure.subgroups and guess.subgroups:
            update["subgroups"] = guess.subgroups
        if not figure.basis and guess.basis:
            update["basis"] = guess.basis
        if figure.place_id is None:
            place_id = guess.place or single_place_in_text(gazetteer, figure.claim.quote)
            if place_id is not None:
                if place_id not in places:
                    places[place_id] = Place.objects.get(pk=place_id)
                update["place"] = places[place_id]
        if update:
            by_claim.setdefault(figure.claim_id, []).append((figure, update))
    changed = 0
    for claim_id, updates in by_claim.items():
        claim = Claim.objects.select_for_update().get(pk=claim_id)
        before = claim_snapshot(claim)
        for figure, update in updates:
            for name, value in update.items():
                setattr(figure, name, value)
            figure.save(update_fields=list(update))
            changed += 1
        audit_record(
            workspace=workspace,
            actor=actor,
            obj=claim,
            action=AuditEvent.Action.UPDATE,
            changes=diff_fields(before, claim_snapshot(claim)),
        )
        void_approval_if_changed(claim=claim, actor=actor, cause="figures' scope read from wording")
    if changed:
        reconcile_later(workspace=workspace, actor=actor)
    return changed
