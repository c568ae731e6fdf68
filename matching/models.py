from __future__ import annotations

from django.conf import settings
from django.db import models

from claims.models import ClaimLink


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
        UPDATES = "updates", "Possible update"

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
    reason = models.CharField(max_length=600, blank=True)
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


class MatchProfile(models.Model):
    """What a claim is about, as the matcher last read it: the anchors of its
    frame (places, named parties, objects such as a school, and who it is
    about). Claims sharing an anchor are candidates even when they share no
    words ("armed men took her husband" / "men were led out and shot")."""

    claim = models.OneToOneField(
        "claims.Claim", on_delete=models.CASCADE, primary_key=True, related_name="match_profile"
    )
    workspace = models.ForeignKey(
        "workspaces.Workspace", on_delete=models.CASCADE, related_name="+"
    )
    # {"place:12": 1, "entity:rwanda": 1, "SCHOOL": 1}: an object, so that
    # PostgreSQL's GIN index answers "shares any of these" (?| operator).
    anchors = models.JSONField(default=dict)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        # Without PostgreSQL's GIN index (matching migration 0003), the newest first.
        indexes = [models.Index(fields=["workspace", "claim"], name="profile_ws_claim_idx")]

    def __str__(self) -> str:
        return f"profile of claim {self.claim_id}"


# The link a confirmed proposal becomes unless the analyst picks another.
DEFAULT_LINK_RELATION = {
    LinkProposal.Relation.CORROBORATION: ClaimLink.Relation.CORROBORATES,
    LinkProposal.Relation.REPEAT: ClaimLink.Relation.REPEATS,
    LinkProposal.Relation.CONFLICT: ClaimLink.Relation.CONTRADICTS,
    LinkProposal.Relation.UPDATES: ClaimLink.Relation.UPDATES,
}
