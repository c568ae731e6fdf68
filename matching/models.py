from __future__ import annotations

from django.conf import settings
from django.db import models

from claims.models import ClaimLink

# In a proposal's reason: the pair looks like a source updating its own figure.
UPDATE_HINT = "may update the earlier"


class LinkProposalQuerySet(models.QuerySet):
    def pending(self) -> LinkProposalQuerySet:
        return self.filter(status=LinkProposal.Status.PENDING)

    def involving(self, claim) -> LinkProposalQuerySet:
        """Proposals with the claim on either side (a pair is stored once)."""
        return self.filter(models.Q(claim=claim) | models.Q(other=claim))


class LinkProposal(models.Model):
    """A possible relation between two claims found by the matcher, waiting for
    an analyst to confirm it into a ClaimLink or dismiss it."""

    class Relation(models.TextChoices):
        CORROBORATION = "corroboration", "Possible corroboration"
        REPEAT = "repeat", "Possible repeat"
        CONFLICT = "conflict", "Possible conflict"

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        CONFIRMED = "confirmed", "Confirmed"
        DISMISSED = "dismissed", "Dismissed"

    workspace = models.ForeignKey(
        "workspaces.Workspace", on_delete=models.CASCADE, related_name="link_proposals"
    )
    claim = models.ForeignKey(
        "claims.Claim", on_delete=models.CASCADE, related_name="proposals_out"
    )
    other = models.ForeignKey("claims.Claim", on_delete=models.CASCADE, related_name="proposals_in")
    relation = models.CharField(max_length=16, choices=Relation.choices)
    score = models.FloatField()
    reason = models.CharField(max_length=300, blank=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = LinkProposalQuerySet.as_manager()

    class Meta:
        ordering = ["-score", "id"]
        constraints = [
            models.UniqueConstraint(fields=["claim", "other"], name="proposal_unique_pair"),
            models.CheckConstraint(
                condition=~models.Q(claim=models.F("other")), name="proposal_not_self"
            ),
        ]
        indexes = [models.Index(fields=["workspace", "status"], name="proposal_ws_status_idx")]

    def __str__(self) -> str:
        return f"{self.claim_id} {self.relation} {self.other_id}"


# The link a confirmed proposal becomes unless the analyst picks another.
DEFAULT_LINK_RELATION = {
    LinkProposal.Relation.CORROBORATION: ClaimLink.Relation.CORROBORATES,
    LinkProposal.Relation.REPEAT: ClaimLink.Relation.REPEATS,
    LinkProposal.Relation.CONFLICT: ClaimLink.Relation.CONTRADICTS,
}
