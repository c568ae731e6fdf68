"""Appending to the audit trail: hash-chained events, one chain per workspace."""

from __future__ import annotations

import json
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils import timezone

from audit.chain import GENESIS_HASH, compute_hash
from audit.context import current_client_request_id, current_request_id
from audit.models import AuditChain, AuditEvent


def _normalise(value: Any) -> Any:
    """Reduce to JSON primitives exactly as they will read back from the database."""
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder))


def diff_fields(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    """{field: [before, after]} for the fields whose value changed."""
    before, after = _normalise(before), _normalise(after)
    return {
        name: [before.get(name), after.get(name)]
        for name in sorted(set(before) | set(after))
        if before.get(name) != after.get(name)
    }


def _locked_chain(workspace_id: int) -> AuditChain:
    """The workspace's chain head, locked until the transaction ends; created
    on the first append (two first appends racing: one insert wins)."""
    chain = AuditChain.objects.select_for_update().filter(workspace_id=workspace_id).first()
    if chain is None:
        AuditChain.objects.bulk_create(
            [AuditChain(workspace_id=workspace_id)], ignore_conflicts=True
        )
        chain = AuditChain.objects.select_for_update().get(workspace_id=workspace_id)
    return chain


def audit_record(
    *,
    workspace,
    actor,
    obj=None,
    object_type: str = "",
    object_id: str | int = "",
    action: str,
    changes: dict[str, Any] | None = None,
    label: str = "",
) -> AuditEvent:
    """Append one event to the workspace's chain.

    Must run inside the caller's transaction so the event and the change it
    records commit or roll back together. The chain head is locked while
    appending, which serialises writers of one chain (SQLite serialises all
    writers anyway); the unique (workspace, sequence) constraint is the last guard.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit_record must be called inside a transaction")
    chain = _locked_chain(workspace.pk)
    if obj is not None:
        object_type = object_type or obj._meta.model_name
        object_id = object_id or obj.pk
        label = label or str(obj)[:200]
    event = AuditEvent(
        workspace_id=workspace.pk,
        sequence=chain.sequence + 1,
        actor=actor if getattr(actor, "pk", None) else None,
        actor_name=getattr(actor, "username", "") or "system",
        created_at=timezone.now(),
        object_type=object_type,
        object_id=str(object_id),
        object_label=label[:200],
        action=action,
        changes=_normalise(changes or {}),
        request_id=current_request_id.get(),
        client_request_id=current_client_request_id.get(),
        prev_hash=chain.head or GENESIS_HASH,
    )
    event.hash = compute_hash(event.prev_hash, event)
    event.save(force_insert=True)
    AuditChain.objects.filter(workspace_id=workspace.pk).update(
        sequence=event.sequence, head=event.hash
    )
    return event


def save_new(obj, *, workspace, actor, after: dict[str, Any], **more_changes):
    """Validate, save and record the creation of a new object; `after` is its
    snapshot (the fields history records)."""
    obj.full_clean()
    obj.save()
    return audit_record(
        workspace=workspace,
        actor=actor,
        obj=obj,
        action=AuditEvent.Action.CREATE,
        changes={**more_changes, **diff_fields({}, after)},
    )


def save_if_changed(obj, *, workspace, actor, before: dict[str, Any], after: dict[str, Any]):
    """Save an edited object and record the update, only if a field changed.
    Returns the changes ({field: [before, after]}, empty when nothing changed)."""
    changes = diff_fields(before, after)
    if changes:
        obj.save()
        audit_record(
            workspace=workspace,
            actor=actor,
            obj=obj,
            action=AuditEvent.Action.UPDATE,
            changes=changes,
        )
    return changes
