"""Reads of the audit trail: an object's history, and verifying a chain."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet

from audit.chain import GENESIS_HASH, compute_hash
from audit.models import AuditChain, AuditEvent


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


def chain_head(workspace) -> tuple[int, str]:
    """(number of events, last hash) of the workspace's chain; (0, "") before any event."""
    chain = AuditChain.objects.filter(workspace_id=workspace.pk).first()
    return (chain.sequence, chain.head) if chain else (0, "")


def audit_verify_chain(workspace) -> ChainReport:
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
    head = chain_head(workspace)
    if (checked, prev_hash if checked else "") != head:
        return ChainReport(
            workspace.slug,
            checked,
            first_hash,
            prev_hash,
            None,
            f"the chain ends at event {checked} but the workspace records {head[0]}"
            " events (events were removed from the end)",
        )
    return ChainReport(workspace.slug, checked, first_hash, prev_hash if checked else "")


def history_for_object(*, workspace, object_type: str, object_id) -> QuerySet[AuditEvent]:
    return AuditEvent.objects.filter(
        workspace=workspace, object_type=object_type, object_id=str(object_id)
    ).order_by("sequence")
