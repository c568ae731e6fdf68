from django.conf import settings
from django.db import models

from .claim import Claim


class Review(models.Model):
    """A reviewer's decision on a proposed verdict. Kept forever: reopening an
    approved claim leaves its approval in this history."""

    class Decision(models.TextChoices):
        APPROVED = "approved", "Approved"
        CHANGES_REQUESTED = "changes_requested", "Changes requested"

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="reviews")
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    decision = models.CharField(max_length=20, choices=Decision.choices)
    verdict = models.CharField(max_length=24, blank=True)
    rationale = models.TextField(blank=True)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    comment = models.TextField(blank=True)
    claim_version = models.PositiveIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)
    # Set when the approved content later changed and the approval was voided.
    voided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["claim", "created_at"], name="review_claim_idx")]

    def __str__(self) -> str:
        return f"{self.decision} by {self.reviewer_id} on claim {self.claim_id}"
