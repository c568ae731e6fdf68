"""How an event's hash is computed: canonical JSON of its fields, chained to
the previous event's hash. Shared by appending and verifying."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from audit.models import AuditEvent

GENESIS_HASH = "0" * 64


def canonical_json(event_fields: dict[str, Any]) -> str:
    return json.dumps(event_fields, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def event_payload(event: AuditEvent) -> dict[str, Any]:
    """The fields an event's hash covers; everything but the hash itself.
    A client's request id is covered when there is one (events without one
    hash as they always have)."""
    payload = {
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
    if event.client_request_id:
        payload["client_request_id"] = event.client_request_id
    return payload


def compute_hash(prev_hash: str, event: AuditEvent) -> str:
    material = prev_hash + canonical_json(event_payload(event))
    return hashlib.sha256(material.encode("utf-8")).hexdigest()
