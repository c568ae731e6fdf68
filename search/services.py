"""Bulk actions on claims chosen in the claims table: assign, start checking,
dismiss. Each claim goes through the same services (and rules) as one claim
on its page: the workflow's state machine, roles, and the version the analyst
saw. A claim that is refused does not stop the others; the outcome says, per
claim, what was refused and why. All the audit events are appended in one
batch (the chain head is written once)."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction

from audit.services import audit_batch
from claims.exceptions import StaleVersion, TransitionNotAllowed
from claims.models import Claim
from claims.services.workflow import TRANSITIONS, claim_assign, claim_transition
from workspaces.access import ANNOTATORS, REVIEWERS, require_role, role_of
from workspaces.exceptions import NotAllowed
from workspaces.models import Workspace

# action: (label, roles that may use it)
BULK_ACTIONS = {
    "assign": ("Assign", ANNOTATORS | REVIEWERS),
    "start": ("Start checking", ANNOTATORS),
    "dismiss": ("Dismiss", ANNOTATORS),
}
# Claims one bulk action may touch (a page of the table holds at most 100).
MAX_BULK = 200


@dataclass
class BulkOutcome:
    action: str
    done: list[int] = field(default_factory=list)
    refused: list[tuple[int, str]] = field(default_factory=list)

    @property
    def label(self) -> str:
        return BULK_ACTIONS[self.action][0]


def _refusal(exc: Exception) -> str:
    if isinstance(exc, StaleVersion):
        return (
            "It changed since the list was loaded (someone else saved it); reload the list "
            "and try again."
        )
    if isinstance(exc, TransitionNotAllowed):
        return exc.message
    if isinstance(exc, ValidationError):
        return " ".join(exc.messages)
    return str(exc)


def claims_bulk_apply(
    *,
    workspace: Workspace,
    actor,
    action: str,
    versions: dict[int, int],
    assignee=None,
    reason: str = "",
) -> BulkOutcome:
    """Apply one action to each chosen claim ({claim id: version the actor
    saw}). Refusals are per claim; the role and the action's own input
    (a reason to dismiss, a member to assign to) are checked first, for all."""
    if action not in BULK_ACTIONS:
        raise ValidationError({"action": "Choose what to do with the chosen claims."})
    label, roles = BULK_ACTIONS[action]
    require_role(workspace=workspace, user=actor, roles=roles, action=f"{label.lower()} claims")
    if not versions:
        raise ValidationError({"claims": "Choose at least one claim."})
    if len(versions) > MAX_BULK:
        raise ValidationError({"claims": f"Choose at most {MAX_BULK} claims at a time."})
    reason = reason.strip()
    if action == "dismiss" and not reason:
        raise ValidationError({"reason": "Give a reason for dismissing the claims."})
    if (
        action == "assign"
        and assignee is not None
        and role_of(workspace=workspace, user=assignee) not in ANNOTATORS
    ):
        raise ValidationError(
            {"assignee": "Claims can be assigned only to analysts or admins of this workspace."}
        )
    outcome = BulkOutcome(action)
    claims = Claim.objects.filter(workspace=workspace, pk__in=list(versions)).select_related(
        "workspace"
    )
    found = {claim.pk: claim for claim in claims}
    with transaction.atomic(), audit_batch(workspace=workspace) as batch:
        for pk, version in versions.items():
            claim = found.get(pk)
            if claim is None:
                outcome.refused.append((pk, "There is no such claim in this workspace."))
                continue
            try:
                with batch.unit():
                    if action == "assign":
                        claim_assign(
                            claim=claim, actor=actor, assignee=assignee, expected_version=version
                        )
                    else:
                        claim_transition(
                            claim=claim,
                            name=TRANSITIONS[action].name,
                            actor=actor,
                            expected_version=version,
                            reason=reason,
                        )
            except (StaleVersion, TransitionNotAllowed, NotAllowed, ValidationError) as exc:
                outcome.refused.append((pk, _refusal(exc)))
            else:
                outcome.done.append(pk)
    return outcome
