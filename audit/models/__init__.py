"""The audit trail's rows: the events, and each workspace's chain head."""

from .chain import AuditChain
from .event import AuditEvent

__all__ = ["AuditChain", "AuditEvent"]
