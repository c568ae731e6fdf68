from django.db import models

from .source import Source


class ClaimIntermediary(models.Model):
    """One link of a claim's attribution chain, from the original speaker
    towards the article: resident -> news agency -> (this article's outlet)."""

    claim = models.ForeignKey("Claim", on_delete=models.CASCADE, related_name="intermediaries")
    position = models.PositiveSmallIntegerField()
    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="relayed_claims")

    class Meta:
        ordering = ["claim_id", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["claim", "position"], name="intermediary_unique_position"
            )
        ]

    def __str__(self) -> str:
        return f"{self.position}: {self.source_id}"
