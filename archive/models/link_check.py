from django.db import models


class LinkCheck(models.Model):
    """One re-check of an archived link: live, changed (other hash) or gone."""

    class Outcome(models.TextChoices):
        LIVE = "live", "Live"
        CHANGED = "changed", "Changed"
        GONE = "gone", "Gone"

    evidence = models.ForeignKey(
        "claims.Evidence", on_delete=models.CASCADE, related_name="link_checks"
    )
    checked_at = models.DateTimeField()
    outcome = models.CharField(max_length=8, choices=Outcome.choices)
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    sha256 = models.CharField(max_length=64, blank=True)
    detail = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["-checked_at", "-id"]
        indexes = [models.Index(fields=["evidence", "-checked_at"], name="linkcheck_evidence_idx")]

    def __str__(self) -> str:
        return f"{self.outcome} @ {self.checked_at:%Y-%m-%d %H:%M}"
