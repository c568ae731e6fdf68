"""Appending to the audit trail: hash-chained events, one chain per workspace.

One event at a time (`audit_record`): the chain head is locked, the event
inserted and the head moved, in the caller's transaction. Many at once
(`audit_batch`): the head is locked once, the chain is built in memory, the
events are bulk-inserted and the head is written once when the batch closes.
Inside an open batch, `audit_record` for that workspace appends to the batch,
so services called in a loop (bulk actions, imports) need no change.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
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


def _chained_event(
    *,
    workspace_id: int,
    sequence: int,
    prev_hash: str,
    actor,
    obj,
    object_type: str,
    object_id: str | int,
    action: str,
    changes: dict[str, Any] | None,
    label: str,
) -> AuditEvent:
    """An unsaved event with its hash, following `prev_hash`."""
    if obj is not None:
        object_type = object_type or obj._meta.model_name
        object_id = object_id or obj.pk
        label = label or str(obj)[:200]
    event = AuditEvent(
        workspace_id=workspace_id,
        sequence=sequence,
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
        prev_hash=prev_hash or GENESIS_HASH,
    )
    event.hash = compute_hash(event.prev_hash, event)
    return event


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
    Inside an open `audit_batch` of the workspace the event joins the batch.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit_record must be called inside a transaction")
    batch = (_open_batches.get() or {}).get(workspace.pk)
    if batch is not None:
        return batch.record(
            actor=actor,
            obj=obj,
            object_type=object_type,
            object_id=object_id,
            action=action,
            changes=changes,
            label=label,
        )
    chain = _locked_chain(workspace.pk)
    event = _chained_event(
        workspace_id=workspace.pk,
        sequence=chain.sequence + 1,
        prev_hash=chain.head,
        actor=actor,
        obj=obj,
        object_type=object_type,
        object_id=object_id,
        action=action,
        changes=changes,
        label=label,
    )
    event.save(force_insert=True)
    AuditChain.objects.filter(workspace_id=workspace.pk).update(
        sequence=event.sequence, head=event.hash
    )
    return event


# The batches open in this context, by workspace id.
_open_batches: ContextVar[dict[int, AuditBatch] | None] = ContextVar(
    "audit_open_batches", default=None
)


class AuditBatch:
    """A workspace's chain appended in memory; see `audit_batch`."""

    # Events held in memory before they are inserted (bounds the batch's memory).
    FLUSH_EVERY = 2000

    def __init__(self, chain: AuditChain):
        self.workspace_id = chain.workspace_id
        self.sequence = chain.sequence
        self.head = chain.head
        self.pending: list[AuditEvent] = []
        self.recorded = 0
        # Open units (savepoints): no flush inside one, so it can be undone.
        self._units = 0

    def record(
        self,
        *,
        actor,
        obj=None,
        object_type: str = "",
        object_id: str | int = "",
        action: str,
        changes: dict[str, Any] | None = None,
        label: str = "",
    ) -> AuditEvent:
        """Chain one event (as audit_record would); inserted at the next flush."""
        event = _chained_event(
            workspace_id=self.workspace_id,
            sequence=self.sequence + 1,
            prev_hash=self.head,
            actor=actor,
            obj=obj,
            object_type=object_type,
            object_id=object_id,
            action=action,
            changes=changes,
            label=label,
        )
        self.pending.append(event)
        self.sequence, self.head = event.sequence, event.hash
        self.recorded += 1
        if len(self.pending) >= self.FLUSH_EVERY and not self._units:
            self.flush()
        return event

    def flush(self) -> None:
        """Insert the events chained so far (the head is written on close)."""
        if self.pending:
            AuditEvent.objects.bulk_create(self.pending, batch_size=500)
            self.pending = []

    @contextmanager
    def unit(self) -> Iterator[None]:
        """One all-or-nothing step of a bulk action: a savepoint, and the
        events it recorded are dropped from the chain if it raises."""
        if len(self.pending) >= self.FLUSH_EVERY:
            self.flush()
        mark = (self.sequence, self.head, len(self.pending), self.recorded)
        self._units += 1
        try:
            with transaction.atomic():
                yield
        except BaseException:
            self.sequence, self.head, kept, self.recorded = mark
            del self.pending[kept:]
            raise
        finally:
            self._units -= 1

    def close(self) -> None:
        self.flush()
        AuditChain.objects.filter(workspace_id=self.workspace_id).update(
            sequence=self.sequence, head=self.head
        )


@contextmanager
def audit_batch(*, workspace) -> Iterator[AuditBatch]:
    """Append many events to a workspace's chain at the cost of a few queries:
    the head is locked once, events are hashed in memory and bulk-inserted,
    and the head is written once, when the block ends without an error.

    Must run inside the caller's transaction. While the block is open every
    `audit_record` for this workspace (in this thread) joins the batch, so the
    chain stays one unbroken sequence. Use `batch.unit()` around each step
    that may fail on its own (a bulk action refusing one claim).
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit_batch must be used inside a transaction")
    opened = _open_batches.get() or {}
    if workspace.pk in opened:
        yield opened[workspace.pk]
        return
    batch = AuditBatch(_locked_chain(workspace.pk))
    token = _open_batches.set({**opened, workspace.pk: batch})
    try:
        yield batch
        batch.close()
    finally:
        _open_batches.reset(token)


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
