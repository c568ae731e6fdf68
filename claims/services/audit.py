"""The audit trail: append hash-chained events, and verify a chain."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils import timezone

from claims.middleware import current_request_id
from claims.models import AuditEvent, Workspace

GENESIS_HASH = "0" * 64


def _normalise(value: Any) -> Any:
    """Reduce to JSON primitives exactly as they will read back from the database."""
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder))


def canonical_json(event_fields: dict[str, Any]) -> str:
    return json.dumps(event_fields, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def event_payload(event: AuditEvent) -> dict[str, Any]:
    """The fields an event's hash covers; everything but the hash itself."""
    return {
        "workspace": event.workspace_id,
        "sequence": event.sequence,
        "actor": event.actor_id,
        "actor_name": event.actor_name,
        "created_at": event.created_at.isoformat(timespec="microseconds"),
        "object_type": event.object_type,
        "object_id": event.object_id,
        "object_label": event.object_label,
        "action": event.action,
        "changes": event.changes,
        "request_id": event.request_id,
    }


def compute_hash(prev_hash: str, event: AuditEvent) -> str:
    material = prev_hash + canonical_json(event_payload(event))
    return hashlib.sha256(material.encode("utf-8")).hexdigest()


def diff_fields(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    """{field: [before, after]} for the fields whose value changed."""
    before, after = _normalise(before), _normalise(after)
    return {
        name: [before.get(name), after.get(name)]
        for name in sorted(set(before) | set(after))
        if before.get(name) != after.get(name)
    }


def audit_record(
    *,
    workspace: Workspace,
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
    records commit or roll back together. The workspace row is locked while
    appending, which serialises writers of one chain (SQLite serialises all
    writers anyway); the unique (workspace, sequence) constraint is the last guard.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit_record must be called inside a transaction")
    head = (
        Workspace.objects.select_for_update()
        .values("audit_sequence", "audit_head")
        .get(pk=workspace.pk)
    )
    if obj is not None:
        object_type = object_type or obj._meta.model_name
        object_id = object_id or obj.pk
        label = label or str(obj)[:200]
    event = AuditEvent(
        workspace=workspace,
        sequence=head["audit_sequence"] + 1,
        actor=actor if getattr(actor, "pk", None) else None,
        actor_name=getattr(actor, "username", "") or "system",
        created_at=timezone.now(),
        object_type=object_type,
        object_id=str(object_id),
        object_label=label[:200],
        action=action,
        changes=_normalise(changes or {}),
        request_id=current_request_id.get(),
        prev_hash=head["audit_head"] or GENESIS_HASH,
    )
    event.hash = compute_hash(event.prev_hash, event)
    event.save(force_insert=True)
    Workspace.objects.filter(pk=workspace.pk).update(
        audit_sequence=event.sequence, audit_head=event.hash
    )
    return event


@dataclass(frozen=True)
class ChainReport:
    workspace_slug: str
    events_checked: int
    first_hash: str
    last_hash: str
    broken_event: AuditEvent | None = None
    problem: str = ""

    @property
    def ok(self) -> bool:
        return not self.problem


def audit_verify_chain(workspace: Workspace) -> ChainReport:
    """Recompute the workspace's chain from the first event; stop at the first mismatch."""
    prev_hash = GENESIS_HASH
    expected_sequence = 1
    checked = 0
    first_hash = ""
    events = AuditEvent.objects.filter(workspace=workspace).order_by("sequence")
    for event in events.iterator(chunk_size=2000):
        problem = ""
        if event.sequence != expected_sequence:
            problem = (
                f"sequence {event.sequence} found where {expected_sequence} was expected "
                "(an event is missing)"
            )
        elif event.prev_hash != prev_hash:
            problem = "its prev_hash does not match the previous event's hash"
        elif compute_hash(prev_hash, event) != event.hash:
            problem = "its content does not match its hash (the event was altered)"
        if problem:
            return ChainReport(workspace.slug, checked, first_hash, prev_hash, event, problem)
        checked += 1
        first_hash = first_hash or event.hash
        prev_hash = event.hash
        expected_sequence += 1
    head = Workspace.objects.values("audit_sequence", "audit_head").get(pk=workspace.pk)
    if (checked, prev_hash if checked else "") != (head["audit_sequence"], head["audit_head"]):
        return ChainReport(
            workspace.slug,
            checked,
            first_hash,
            prev_hash,
            None,
            f"the chain ends at event {checked} but the workspace records {head['audit_sequence']}"
            " events (events were removed from the end)",
        )
    return ChainReport(workspace.slug, checked, first_hash, prev_hash if checked else "")
