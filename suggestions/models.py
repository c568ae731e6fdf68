from __future__ import annotations

from django.conf import settings
from django.db import models

from claims.models import Claim


class ClaimSuggestionQuerySet(models.QuerySet):
    def pending(self) -> ClaimSuggestionQuerySet:
        return self.filter(status=ClaimSuggestion.Status.PENDING)


class ClaimSuggestion(models.Model):
    """A candidate claim the extractor proposed. It becomes a Claim only when
    an analyst accepts it."""

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        ACCEPTED = "accepted", "Accepted"
        DISMISSED = "dismissed", "Dismissed"

    workspace = models.ForeignKey(
        "workspaces.Workspace", on_delete=models.CASCADE, related_name="suggestions"
    )
    article = models.ForeignKey(
        "claims.Article", on_delete=models.CASCADE, related_name="suggestions"
    )
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    quote = models.TextField()
    speaker = models.CharField(max_length=200, blank=True)
    source = models.ForeignKey(
        "claims.Source", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    proposed_source_name = models.CharField(max_length=200, blank=True)
    proposed_source_kind = models.CharField(max_length=24, blank=True)
    chain = models.JSONField(default=list, blank=True)
    kind = models.CharField(max_length=16, choices=Claim.Kind.choices, default=Claim.Kind.OTHER)
    statement = models.CharField(max_length=300, blank=True)
    figures = models.JSONField(default=list, blank=True)
    cue = models.CharField(max_length=40, blank=True)
    confidence = models.FloatField(default=0.5)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PENDING)
    claim = models.ForeignKey(
        "claims.Claim", on_delete=models.SET_NULL, null=True, blank=True, related_name="suggestions"
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ClaimSuggestionQuerySet.as_manager()

    class Meta:
        ordering = ["article_id", "start", "id"]
        constraints = [
            # Running the suggestion job twice proposes each span once.
            models.UniqueConstraint(
                fields=["article", "start", "end"], name="suggestion_unique_span"
            )
        ]
        indexes = [models.Index(fields=["article", "status"], name="suggestion_article_status_idx")]

    def __str__(self) -> str:
        return self.quote[:80]
