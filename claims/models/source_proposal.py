from __future__ import annotations

from django.conf import settings
from django.db import models


class SourceChangeProposal(models.Model):
    """A change to a protected source's name, aliases or protection, proposed
    by an analyst for an admin to accept or reject (only admins change them).
    Kept after the decision: the names it proposed count as names the source
    has had, so exports pseudonymise them too."""

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        ACCEPTED = "accepted", "Accepted"
        REJECTED = "rejected", "Rejected"

    workspace = models.ForeignKey(
        "workspaces.Workspace", on_delete=models.CASCADE, related_name="+"
    )
    source = models.ForeignKey(
        "claims.Source", on_delete=models.CASCADE, related_name="change_proposals"
    )
    # {"name": ..., "aliases": [...], "protected": bool}: only the fields to change.
    fields = models.JSONField(default=dict)
    note = models.CharField(max_length=500, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    proposed_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-proposed_at", "-id"]
        # The pending proposals page of a workspace.
        indexes = [
            models.Index(fields=["workspace", "status", "-id"], name="source_proposal_ws_idx")
        ]

    def __str__(self) -> str:
        return f"proposed change to source {self.source_id}"
