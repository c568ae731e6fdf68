"""Links between claims of one workspace."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction

from audit.models import AuditEvent
from audit.services import audit_record
from claims.models import Claim, ClaimLink
from workspaces.access import ANNOTATORS, require_role


@transaction.atomic
def claim_link_create(
    *, from_claim: Claim, to_claim: Claim, relation: str, actor, note: str = ""
) -> ClaimLink:
    """Relate two claims of the same workspace; a link shows on both claims."""
    require_role(workspace=from_claim.workspace, user=actor, roles=ANNOTATORS, action="link claims")
    if to_claim.workspace_id != from_claim.workspace_id:
        raise ValidationError({"to_claim": "No such claim in this workspace."})
    if to_claim.pk == from_claim.pk:
        raise ValidationError({"to_claim": "A claim cannot be linked to itself."})
    if ClaimLink.objects.filter(
        from_claim=from_claim, to_claim=to_claim, relation=relation
    ).exists():
        raise ValidationError({"to_claim": "These claims are already linked that way."})
    link = ClaimLink(
        workspace=from_claim.workspace,
        from_claim=from_claim,
        to_claim=to_claim,
        relation=relation,
        note=note.strip(),
        created_by=actor,
    )
    link.full_clean()
    link.save()
    audit_record(
        workspace=link.workspace,
        actor=actor,
        obj=link,
        action=AuditEvent.Action.CREATE,
        changes={
            "from_claim": [None, from_claim.pk],
            "to_claim": [None, to_claim.pk],
            "relation": [None, relation],
        },
    )
    return link


@transaction.atomic
def claim_link_delete(*, link: ClaimLink, actor) -> None:
    require_role(workspace=link.workspace, user=actor, roles=ANNOTATORS, action="unlink claims")
    audit_record(
        workspace=link.workspace,
        actor=actor,
        obj=link,
        action=AuditEvent.Action.DELETE,
        changes={
            "from_claim": [link.from_claim_id, None],
            "to_claim": [link.to_claim_id, None],
            "relation": [link.relation, None],
        },
    )
    link.delete()
