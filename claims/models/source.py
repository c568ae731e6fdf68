from __future__ import annotations

from django.conf import settings
from django.db import models


class SourceQuerySet(models.QuerySet):
    def in_workspace(self, workspace) -> SourceQuerySet:
        return self.filter(workspace_id=workspace.pk)


class Source(models.Model):
    """Who makes claims: a monitor, a ministry, a witness, an outlet..."""

    class Kind(models.TextChoices):
        MONITOR = "monitor", "Monitoring group / NGO"
        GOVERNMENT = "government", "Government or ministry"
        ARMED_GROUP = "armed_group", "Armed group"
        WITNESS = "witness", "Witness / resident"
        FOREIGN_GOVERNMENT = "foreign_government", "Foreign government"
        NEWS_OUTLET = "news_outlet", "News outlet"
        INTERNATIONAL_ORG = "international_org", "International organisation"
        OTHER = "other", "Other"

    class Reliability(models.TextChoices):
        """The Admiralty (NATO) source reliability scale."""

        A = "A", "A - Completely reliable"
        B = "B", "B - Usually reliable"
        C = "C", "C - Fairly reliable"
        D = "D", "D - Not usually reliable"
        E = "E", "E - Unreliable"
        F = "F", "F - Reliability cannot be judged"

    workspace = models.ForeignKey(
        "workspaces.Workspace", on_delete=models.CASCADE, related_name="sources"
    )
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=24, choices=Kind.choices, default=Kind.OTHER)
    aliases = models.JSONField(default=list, blank=True)
    description = models.TextField(blank=True)
    reliability = models.CharField(max_length=1, choices=Reliability.choices, default=Reliability.F)
    protected = models.BooleanField(
        default=False,
        help_text="A witness whose name must not leave the workbench; exports pseudonymise it.",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = SourceQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["workspace", "name"], name="source_unique_name_in_workspace"
            ),
            models.CheckConstraint(
                condition=models.Q(reliability__in=list("ABCDEF")), name="source_reliability_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def reliability_letter(self) -> str:
        return self.reliability
