"""The workspace's figures reconciliation, stored: the figures page reads these
rows and never recomputes the workspace on request. A job
(Job.Kind.RECONCILE_FIGURES) rewrites them when figures, places or the
tolerance change."""

from __future__ import annotations

from decimal import Decimal

from django.db import models


class FigureSummary(models.Model):
    """The head of a workspace's reconciliation: when and what it found."""

    workspace = models.OneToOneField(
        "workspaces.Workspace",
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="figure_summary",
    )
    computed_at = models.DateTimeField()
    seconds = models.FloatField(default=0, help_text="How long the reconciliation took.")
    tolerance = models.DecimalField(max_digits=4, decimal_places=3, default=Decimal("0.100"))
    figures = models.PositiveIntegerField(default=0)
    unscoped = models.PositiveIntegerField(default=0)
    categories = models.PositiveIntegerField(default=0)
    updates = models.PositiveIntegerField(default=0)
    repeats = models.PositiveIntegerField(default=0)
    conflicts = models.PositiveIntegerField(default=0)
    ranges = models.PositiveIntegerField(default=0)
    parts_checks = models.PositiveIntegerField(default=0)
    exceeding_parts = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"figures of {self.workspace_id} at {self.computed_at:%Y-%m-%d %H:%M}"


class FigureCategory(models.Model):
    """One category (a scope) of the reconciliation, ready to render: its
    sources' figures, updates, repeats, ranges, conflicts and parts checks
    (bounded: the newest of each, with counts of the rest)."""

    workspace = models.ForeignKey(
        "workspaces.Workspace", on_delete=models.CASCADE, related_name="figure_categories"
    )
    rank = models.PositiveIntegerField(help_text="Display order: problems first, then newest.")
    key = models.CharField(max_length=250)
    label = models.CharField(max_length=400)
    figure_count = models.PositiveIntegerField(default=0)
    source_count = models.PositiveIntegerField(default=0)
    conflict_count = models.PositiveIntegerField(default=0)
    update_count = models.PositiveIntegerField(default=0)
    parts_count = models.PositiveIntegerField(default=0)
    exceeding_count = models.PositiveIntegerField(default=0)
    latest = models.DateField()
    data = models.JSONField(default=dict)

    class Meta:
        ordering = ["workspace_id", "rank"]
        constraints = [
            models.UniqueConstraint(fields=["workspace", "rank"], name="figcat_unique_rank"),
            models.UniqueConstraint(fields=["workspace", "key"], name="figcat_unique_key"),
        ]
        # The unique (workspace, rank) index serves the page's keyset pagination.

    def __str__(self) -> str:
        return self.label
