from django.conf import settings
from django.db import models


class AuditEvent(models.Model):
    """One recorded change. Append-only and hash-chained per workspace:
    each event's hash covers the previous event's hash and its own canonical
    JSON, so altering or removing any event breaks every later hash.
    On PostgreSQL a trigger refuses UPDATE and DELETE on this table."""

    class Action(models.TextChoices):
        CREATE = "create", "Created"
        UPDATE = "update", "Updated"
        DELETE = "delete", "Deleted"
        TRANSITION = "transition", "Transition"
        EXPORT = "export", "Exported"

    workspace = models.ForeignKey(
        "workspaces.Workspace", on_delete=models.PROTECT, related_name="audit_events"
    )
    sequence = models.PositiveBigIntegerField()
    # PROTECT and DO_NOTHING only: SET_NULL would be an UPDATE, which history refuses.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    actor_name = models.CharField(max_length=150, blank=True)
    created_at = models.DateTimeField()
    object_type = models.CharField(max_length=40)
    object_id = models.CharField(max_length=40)
    object_label = models.CharField(max_length=200, blank=True)
    action = models.CharField(max_length=16, choices=Action.choices)
    changes = models.JSONField(default=dict)
    # The server's id of the request (generated, never taken from the client).
    request_id = models.CharField(max_length=64, blank=True)
    # The X-Request-ID the client sent, kept only as this labelled field.
    client_request_id = models.CharField(max_length=64, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    class Meta:
        ordering = ["workspace_id", "sequence"]
        constraints = [
            # Two writers can never both append event N: one of them fails.
            models.UniqueConstraint(fields=["workspace", "sequence"], name="audit_unique_sequence")
        ]
        # A claim's history timeline.
        indexes = [
            models.Index(fields=["workspace", "object_type", "object_id"], name="audit_object_idx")
        ]

    def __str__(self) -> str:
        return f"#{self.sequence} {self.action} {self.object_type}:{self.object_id}"
