"""The verification workflow: every transition, and who may make it, lives here.

The browser, the commands and the tests all go through `claim_transition`.
An impossible transition raises TransitionNotAllowed (HTTP 409) and changes
nothing. Reviewers never approve or send back a verdict they proposed
themselves (four-eyes rule), whatever their role, admins included; nor a
claim whose evidence they added, changed or removed after it was proposed
(reviewer independence: the reviewer would be judging their own evidence).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from audit.models import AuditEvent
from audit.services import audit_record
from claims.exceptions import TransitionNotAllowed
from claims.models import Claim, Evidence, Review
from claims.services.locking import claim_snapshot, lock_claim_version
from vocabulary.services import reconcile_later
from workspaces.access import ANNOTATORS, REVIEWERS, require_member, role_of
from workspaces.exceptions import NotAllowed
from workspaces.models import Membership

S = Claim.Status


V = Claim.Verdict


@dataclass(frozen=True)
class Transition:
    name: str
    label: str
    sources: frozenset[str]
    target: str
    roles: frozenset[str]

    @property
    def needs_verdict(self) -> bool:
        """Proposing asks for a verdict and its rationale."""
        return self.name == "propose"

    @property
    def needs_comment(self) -> bool:
        """Sending back asks what should change."""
        return self.name == "request_changes"

    @property
    def needs_reason(self) -> bool:
        """Dismissing asks why."""
        return self.name == "dismiss"

    @property
    def is_primary(self) -> bool:
        """The step that moves the claim forward (shown as the main button)."""
        return self.name in {"propose", "approve"}


TRANSITIONS: dict[str, Transition] = {
    t.name: t
    for t in (
        Transition(
            "start",
            "Start checking",
            frozenset({S.NEW, S.CHANGES_REQUESTED}),
            S.IN_PROGRESS,
            ANNOTATORS,
        ),
        Transition(
            "propose",
            "Propose verdict",
            frozenset({S.NEW, S.IN_PROGRESS, S.CHANGES_REQUESTED}),
            S.PENDING_REVIEW,
            ANNOTATORS,
        ),
        Transition(
            "withdraw",
            "Withdraw proposal",
            frozenset({S.PENDING_REVIEW}),
            S.IN_PROGRESS,
            ANNOTATORS,
        ),
        Transition("approve", "Approve", frozenset({S.PENDING_REVIEW}), S.APPROVED, REVIEWERS),
        Transition(
            "request_changes",
            "Request changes",
            frozenset({S.PENDING_REVIEW}),
            S.CHANGES_REQUESTED,
            REVIEWERS,
        ),
        Transition(
            "dismiss",
            "Dismiss",
            frozenset({S.NEW, S.IN_PROGRESS, S.CHANGES_REQUESTED}),
            S.DISMISSED,
            ANNOTATORS,
        ),
        Transition(
            "reopen",
            "Reopen",
            frozenset({S.APPROVED, S.DISMISSED}),
            S.IN_PROGRESS,
            ANNOTATORS | REVIEWERS,
        ),
    )
}


def transitions_for(*, claim: Claim, role: str | None, user=None) -> list[Transition]:
    """The transitions this user could make now (for showing buttons)."""
    available = []
    for t in TRANSITIONS.values():
        if claim.status not in t.sources or role not in t.roles:
            continue
        if (
            t.name in {"approve", "request_changes"}
            and user is not None
            and claim.proposed_by_id == user.pk
        ):
            continue
        if t.name == "approve" and user is not None and evidence_changed_by(claim=claim, user=user):
            continue
        available.append(t)
    return available


# Changes to evidence that are not the user's judgement: link checks and archives.
NOT_EDITS = {"link_state"}


def evidence_changed_by(*, claim: Claim, user) -> bool:
    """Whether `user` added, changed or removed evidence of the claim since it
    was (last) proposed, as the audit trail records it."""
    if claim.proposed_at is None or getattr(user, "pk", None) is None:
        return False
    current = {
        str(pk) for pk in Evidence.objects.filter(claim_id=claim.pk).values_list("pk", flat=True)
    }
    events = AuditEvent.objects.filter(
        workspace_id=claim.workspace_id,
        object_type="evidence",
        actor_id=user.pk,
        created_at__gte=claim.proposed_at,
    ).values_list("object_id", "changes")
    for object_id, changes in events.iterator(chunk_size=500):
        changes = changes or {}
        if set(changes) <= NOT_EDITS:
            continue
        moved = changes.get("claim")
        if object_id in current or (isinstance(moved, list) and claim.pk in moved):
            return True
    return False


def approval_fingerprint(claim: Claim) -> str:
    """SHA-256 of what an approval covers: quote, source, chain, figures and evidence."""
    snapshot = claim_snapshot(claim)
    covered = {
        key: snapshot[key] for key in ("quote", "start", "end", "source_id", "chain", "figures")
    }
    covered["evidence"] = [
        [
            e.pk,
            e.stance,
            e.kind,
            e.url,
            e.title,
            e.publisher_id,
            e.origin_id,
            str(e.published_on),
            e.excerpt,
        ]
        for e in Evidence.objects.filter(claim=claim).order_by("pk")
    ]
    material = json.dumps(covered, sort_keys=True, default=str)
    return hashlib.sha256(material.encode()).hexdigest()


def claim_transition(
    *,
    claim: Claim,
    name: str,
    actor,
    expected_version: int,
    verdict: str = "",
    rationale: str = "",
    comment: str = "",
    reason: str = "",
) -> Claim:
    """Move a claim along the workflow, checking the state machine, the role,
    the four-eyes rule and the version the actor saw; all or nothing."""
    with transaction.atomic():
        return _transition(
            claim=claim,
            name=name,
            actor=actor,
            expected_version=expected_version,
            verdict=verdict,
            rationale=rationale.strip(),
            comment=comment.strip(),
            reason=reason.strip(),
        )


def _transition(
    *, claim, name, actor, expected_version, verdict, rationale, comment, reason
) -> Claim:
    transition = TRANSITIONS.get(name)
    if transition is None:
        raise TransitionNotAllowed(f"There is no workflow step called “{name}”.")
    membership: Membership = require_member(workspace=claim.workspace, user=actor)
    if membership.role not in transition.roles:
        raise NotAllowed(
            f"Your role ({membership.role}) cannot {transition.label.lower()} a claim."
        )
    claim = lock_claim_version(claim.pk, expected_version)
    if claim.status not in transition.sources:
        raise TransitionNotAllowed(
            f"A claim that is {claim.get_status_display().lower()} cannot be moved with "
            f"“{transition.label}”."
        )
    before = {
        "status": claim.status,
        "verdict": claim.verdict,
        "rationale": claim.rationale,
        "version": expected_version,
    }
    now = timezone.now()
    if name == "start":
        if claim.assignee_id is None:
            claim.assignee = actor
    elif name == "propose":
        _check_proposal(claim, verdict, rationale)
        claim.verdict, claim.rationale = verdict, rationale
        claim.proposed_by, claim.proposed_at = actor, now
    elif name in {"approve", "request_changes"}:
        if claim.proposed_by_id == actor.pk:
            raise TransitionNotAllowed(
                "You proposed this verdict, so someone else must review it (four-eyes rule)."
            )
        if name == "approve" and evidence_changed_by(claim=claim, user=actor):
            raise TransitionNotAllowed(
                "You added or changed evidence on this claim after it was proposed, so someone "
                "else must approve it (four-eyes rule); you may still request changes."
            )
        if name == "request_changes" and not comment:
            raise TransitionNotAllowed("Say what should change: a comment is required.")
        Review.objects.create(
            claim=claim,
            reviewer=actor,
            decision=Review.Decision.APPROVED
            if name == "approve"
            else Review.Decision.CHANGES_REQUESTED,
            verdict=claim.verdict,
            rationale=claim.rationale,
            proposed_by_id=claim.proposed_by_id,
            comment=comment,
            claim_version=claim.version,
        )
        if name == "approve":
            claim.approved_by, claim.approved_at = actor, now
            claim.approved_fingerprint = approval_fingerprint(claim)
    elif name == "dismiss":
        if not reason:
            raise TransitionNotAllowed("Give a reason for dismissing the claim.")
        claim.dismissed_reason = reason
    elif name == "reopen":
        claim.approved_by, claim.approved_at, claim.approved_fingerprint = None, None, ""
    elif name == "withdraw":
        claim.proposed_by, claim.proposed_at = None, None
    claim.status = transition.target
    claim.save()
    after = {
        "status": claim.status,
        "verdict": claim.verdict,
        "rationale": claim.rationale,
        "version": claim.version,
    }
    changes = {k: [before[k], after[k]] for k in after if before[k] != after[k]}
    changes["transition"] = [None, name]
    for key, value in (("comment", comment), ("reason", reason)):
        if value:
            changes[key] = [None, value]
    audit_record(
        workspace=claim.workspace,
        actor=actor,
        obj=claim,
        action=AuditEvent.Action.TRANSITION,
        changes=changes,
    )
    dismissed = Claim.Status.DISMISSED
    if (before["status"] == dismissed) != (claim.status == dismissed) and claim.figures.exists():
        # Dismissed claims' figures are left out of the reconciliation.
        reconcile_later(workspace=claim.workspace, actor=actor)
    return claim


def _check_proposal(claim: Claim, verdict: str, rationale: str) -> None:
    if verdict not in V.values:
        raise TransitionNotAllowed("Choose a verdict to propose.")
    if not rationale:
        raise TransitionNotAllowed("A verdict needs a written rationale.")
    if verdict != V.UNVERIFIED and not Evidence.objects.filter(claim=claim).exists():
        raise TransitionNotAllowed(
            "Add at least one piece of evidence before proposing this verdict "
            "(only “unverified” needs none)."
        )


def void_approval_if_changed(*, claim: Claim, actor, cause: str) -> bool:
    """An approval covers what was approved. If the quote, source, chain,
    figures or evidence changed since, the approval is void and the claim goes
    back to pending review, recorded in its history. Call inside the
    transaction of the change."""
    claim = Claim.objects.select_for_update().get(pk=claim.pk)
    if claim.status != S.APPROVED or approval_fingerprint(claim) == claim.approved_fingerprint:
        return False
    Review.objects.filter(
        claim=claim, decision=Review.Decision.APPROVED, voided_at__isnull=True
    ).update(voided_at=timezone.now())
    previous_approver = claim.approved_by.username if claim.approved_by else ""
    Claim.objects.filter(pk=claim.pk).update(
        status=S.PENDING_REVIEW, approved_by=None, approved_at=None, approved_fingerprint=""
    )
    audit_record(
        workspace=claim.workspace,
        actor=actor,
        obj=claim,
        action=AuditEvent.Action.TRANSITION,
        changes={
            "status": [S.APPROVED, S.PENDING_REVIEW],
            "transition": [None, "approval_voided"],
            "reason": [None, f"{cause} after approval by {previous_approver}"],
        },
    )
    return True


@transaction.atomic
def claim_assign(*, claim: Claim, actor, assignee, expected_version: int) -> Claim:
    """Assign a claim to an analyst of its workspace (or nobody)."""
    if role_of(workspace=claim.workspace, user=actor) not in ANNOTATORS | REVIEWERS:
        raise NotAllowed("Your role cannot assign claims.")
    if assignee is not None and role_of(workspace=claim.workspace, user=assignee) not in ANNOTATORS:
        raise TransitionNotAllowed(
            "Claims can be assigned only to analysts or admins of this workspace."
        )
    claim = lock_claim_version(claim.pk, expected_version)
    before = claim.assignee.username if claim.assignee else None
    claim.assignee = assignee
    claim.save()
    audit_record(
        workspace=claim.workspace,
        actor=actor,
        obj=claim,
        action=AuditEvent.Action.UPDATE,
        changes={
            "assignee": [before, assignee.username if assignee else None],
            "version": [expected_version, claim.version],
        },
    )
    return claim
