from django.conf import settings
from django.db import models

from .claim import Claim


class ClaimLink(models.Model):
    """A relation between two claims of one workspace, usually in different
    articles: a later toll from the same monitor 'updates' the earlier one."""

    class Relation(models.TextChoices):
        CORROBORATES = "corroborates", "corroborates"
        CONTRADICTS = "contradicts", "contradicts"
        REPEATS = "repeats", "repeats"
        UPDATES = "updates", "updates"

    workspace = models.ForeignKey(
        "workspaces.Workspace", on_delete=models.CASCADE, related_name="claim_links"
    )
    from_claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="links_out")
    to_claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="links_in")
    relation = models.CharField(max_length=16, choices=Relation.choices)
    note = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["from_claim", "to_claim", "relation"], name="claimlink_unique"
            ),
            models.CheckConstraint(
                condition=~models.Q(from_claim=models.F("to_claim")), name="claimlink_not_self"
            ),
        ]
        # The claim panel shows links in both directions.
        indexes = [models.Index(fields=["to_claim"], name="claimlink_to_idx")]

    def __str__(self) -> str:
        return f"{self.from_claim_id} {self.relation} {self.to_claim_id}"
