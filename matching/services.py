"""Corroboration, conflict, repeat and update proposals: the matcher's writes.

The matcher runs as a job (Job.Kind.FIND_MATCHES) for one claim. What it
reads and how it decides lives in matching.selectors_candidates (candidates
by nearest neighbours) and matching.rules (figures by their scope, then
statements by meaning); here it records:

- the claim's match profile (the anchors of its frame), so later claims find
  it as a candidate even when they share no words with it;
- one LinkProposal per unordered pair of claims, stored with the smaller
  claim id first so the unique (claim, other) constraint guards the pair in
  both directions. Re-running updates the scores of pending proposals, drops
  pending ones that no longer match, and never touches a decided one: a
  dismissed proposal is never proposed again.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from audit.models import AuditEvent
from audit.services import audit_record
from claims.exceptions import TransitionNotAllowed
from claims.models import Claim, ClaimLink
from claims.services.links import claim_link_create
from jobs.models import Job
from jobs.runner import job_progress
from jobs.services import job_enqueue
from matching.models import LinkProposal, MatchProfile
from matching.rules import Match
from matching.selectors_candidates import Findings, find_matches
from workspaces.access import ANNOTATORS, require_role


def matches_find_start(*, claim: Claim, actor=None) -> Job:
    """Look for corroboration and conflicts of a claim in the background.
    Called by the claim services after a create or update (actor then already
    checked), or by an analyst asking again."""
    if actor is not None:
        require_role(
            workspace=claim.workspace, user=actor, roles=ANNOTATORS, action="look for matches"
        )
    return job_enqueue(
        workspace=claim.workspace,
        kind=Job.Kind.FIND_MATCHES,
        actor=actor,
        target=claim,
        message="Looking for corroboration and conflicts…",
        # An edit made while a match job runs needs a run of its own.
        reuse_running=False,
    )


def _proposal_changes(proposal: LinkProposal, match: Match) -> dict[str, list]:
    changes = {}
    for name in ("relation", "score", "reason"):
        old, new = getattr(proposal, name), getattr(match, name)
        if name == "reason":
            new = new[:600]
        if old != new:
            changes[name] = [old, new]
    return changes


@transaction.atomic
def proposals_update(*, claim: Claim, matches: dict[int, Match], actor=None) -> dict[str, int]:
    """Write the matcher's findings for one claim as proposals; idempotent."""
    existing = {
        frozenset((p.claim_id, p.other_id)): p
        for p in LinkProposal.objects.select_for_update().involving(claim)
    }
    counts = {"created": 0, "updated": 0, "removed": 0, "unchanged": 0}
    for other_id, match in matches.items():
        pair = frozenset((claim.pk, other_id))
        proposal = existing.get(pair)
        if proposal is None:
            proposal = _proposal_create(claim=claim, other_id=other_id, match=match, actor=actor)
            if proposal is not None:
                counts["created"] += 1
                continue
            proposal = LinkProposal.objects.select_for_update().get(
                claim_id=min(pair), other_id=max(pair)
            )
        if proposal.status != LinkProposal.Status.PENDING:
            counts["unchanged"] += 1  # decided: a dismissed pair is never proposed again
            continue
        changes = _proposal_changes(proposal, match)
        if not changes:
            counts["unchanged"] += 1
            continue
        proposal.relation, proposal.score, proposal.reason = (
            match.relation,
            match.score,
            match.reason[:600],
        )
        proposal.full_clean()
        proposal.save(update_fields=["relation", "score", "reason"])
        audit_record(
            workspace=claim.workspace,
            actor=actor,
            obj=proposal,
            action=AuditEvent.Action.UPDATE,
            changes=changes,
        )
        counts["updated"] += 1
    found = {frozenset((claim.pk, other_id)) for other_id in matches}
    for pair, proposal in existing.items():
        if pair in found or proposal.status != LinkProposal.Status.PENDING:
            continue
        # The claim changed and no longer matches: a stale proposal would mislead.
        audit_record(
            workspace=claim.workspace,
            actor=actor,
            obj=proposal,
            action=AuditEvent.Action.DELETE,
            changes={"relation": [proposal.relation, None], "score": [proposal.score, None]},
        )
        proposal.delete()
        counts["removed"] += 1
    return counts


def _proposal_create(*, claim: Claim, other_id: int, match: Match, actor) -> LinkProposal | None:
    """Create the pair's proposal, or None if a concurrent run just did."""
    low, high = sorted((claim.pk, other_id))
    proposal = LinkProposal(
        workspace_id=claim.workspace_id,
        claim_id=low,
        other_id=high,
        relation=match.relation,
        score=match.score,
        reason=match.reason[:600],
    )
    proposal.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            proposal.save()
    except IntegrityError:
        return None
    audit_record(
        workspace=claim.workspace,
        actor=actor,
        obj=proposal,
        action=AuditEvent.Action.CREATE,
        changes={
            "claim": [None, low],
            "other": [None, high],
            "relation": [None, match.relation],
            "score": [None, match.score],
        },
    )
    return proposal


def profile_update(*, claim: Claim, anchors: dict[str, int]) -> MatchProfile:
    """Store what the claim is about for the next claims' candidates (idempotent)."""
    profile, _ = MatchProfile.objects.update_or_create(
        claim=claim, defaults={"workspace_id": claim.workspace_id, "anchors": anchors}
    )
    return profile


def matches_find_now(claim: Claim, actor=None) -> tuple[Findings, dict[str, int]]:
    """Find and record the claim's matches at once (what the job does)."""
    findings = find_matches(claim)
    with transaction.atomic():
        profile_update(claim=claim, anchors=findings.anchors)
        counts = proposals_update(claim=claim, matches=findings.matches, actor=actor)
    return findings, counts


def claim_for_matching(*, workspace_id: int, pk: int) -> Claim | None:
    return (
        Claim.objects.filter(pk=pk, workspace_id=workspace_id)
        .select_related("workspace", "article", "source")
        .prefetch_related("figures__outcome")
        .first()
    )


def find_matches_job(job: Job) -> dict:
    claim = claim_for_matching(workspace_id=job.workspace_id, pk=job.target_id)
    if claim is None:
        return {"message": "The claim no longer exists; nothing to match."}
    job_progress(job, done=0, total=2, message="Comparing with the workspace's claims…")
    findings, counts = matches_find_now(claim, actor=job.created_by)
    job_progress(job, done=1, total=2, message="Recorded proposals.")
    found = len(findings.matches)
    return {
        "message": f"{found} possible match{'es' if found != 1 else ''} found"
        f" ({counts['created']} new).",
        **counts,
    }


def _decide(proposal: LinkProposal, actor, status: str) -> LinkProposal:
    locked = (
        LinkProposal.objects.select_for_update()
        .select_related("workspace", "claim__article", "other__article")
        .get(pk=proposal.pk)
    )
    if locked.status != LinkProposal.Status.PENDING:
        raise TransitionNotAllowed(
            f"This proposal was already {locked.get_status_display().lower()}; reload the claim."
        )
    locked.status = status
    locked.decided_by = actor
    locked.decided_at = timezone.now()
    locked.save(update_fields=["status", "decided_by", "decided_at"])
    return locked


def _article_date(claim: Claim):
    article = claim.article
    return (article.published_on or article.imported_at.date(), article.imported_at, claim.pk)


@transaction.atomic
def proposal_confirm(
    *,
    proposal: LinkProposal,
    actor,
    relation: str,
    from_claim: Claim | None = None,
    note: str = "",
) -> ClaimLink:
    """Turn a proposal into a claim link of the analyst's chosen relation.
    The link runs from the claim the analyst is looking at; an "updates" link
    always runs from the later claim to the earlier one."""
    require_role(
        workspace=proposal.workspace, user=actor, roles=ANNOTATORS, action="confirm matches"
    )
    if relation not in ClaimLink.Relation.values:
        raise ValidationError({"relation": "Choose how the two claims relate."})
    locked = _decide(proposal, actor, LinkProposal.Status.CONFIRMED)
    source, target = locked.claim, locked.other
    if from_claim is not None and from_claim.pk == target.pk:
        source, target = target, source
    if relation == ClaimLink.Relation.UPDATES and _article_date(source) < _article_date(target):
        source, target = target, source
    link = ClaimLink.objects.filter(from_claim=source, to_claim=target, relation=relation).first()
    if link is None:
        link = claim_link_create(
            from_claim=source, to_claim=target, relation=relation, actor=actor, note=note
        )
    audit_record(
        workspace=locked.workspace,
        actor=actor,
        obj=locked,
        action=AuditEvent.Action.UPDATE,
        changes={
            "status": [LinkProposal.Status.PENDING, LinkProposal.Status.CONFIRMED],
            "link": [None, link.pk],
            "link_relation": [None, relation],
        },
    )
    return link


@transaction.atomic
def proposal_dismiss(*, proposal: LinkProposal, actor) -> LinkProposal:
    """Set a proposal aside for good: the matcher will not propose the pair again."""
    require_role(
        workspace=proposal.workspace, user=actor, roles=ANNOTATORS, action="dismiss matches"
    )
    locked = _decide(proposal, actor, LinkProposal.Status.DISMISSED)
    audit_record(
        workspace=locked.workspace,
        actor=actor,
        obj=locked,
        action=AuditEvent.Action.UPDATE,
        changes={"status": [LinkProposal.Status.PENDING, LinkProposal.Status.DISMISSED]},
    )
    return locked
