"""The Job row: what pages show of a background task, and what the runner
claims, fences and finishes."""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models


class JobQuerySet(models.QuerySet):
    def in_workspace(self, workspace) -> JobQuerySet:
        return self.filter(workspace_id=workspace.pk)

    def for_target(self, target) -> JobQuerySet:
        """Jobs about one object (an article, a claim, an evidence item...)."""
        return self.filter(
            target_type=ContentType.objects.get_for_model(target), target_id=target.pk
        )

    def of_kind(self, kind: str) -> JobQuerySet:
        return self.filter(kind=kind)

    def active(self) -> JobQuerySet:
        return self.filter(status__in=Job.ACTIVE)

    def newest_first(self) -> JobQuerySet:
        return self.order_by("-created_at", "-id")

    def latest_for(self, *, kind: str, target) -> Job | None:
        """The newest job of a kind about a target (served by job_target_idx)."""
        return self.of_kind(kind).for_target(target).newest_first().first()


class Job(models.Model):
    """A background task a user started or waits on. Pages read this row, not
    Celery's result backend; the row also counts attempts, because brokers keep
    no delivery count and a task that kills its worker must not loop forever."""

    class Kind(models.TextChoices):
        FETCH_ARTICLE = "fetch_article", "Fetch article"
        ARCHIVE_EVIDENCE = "archive_evidence", "Archive evidence"
        RECHECK_LINKS = "recheck_links", "Re-check archived links"
        SUGGEST_CLAIMS = "suggest_claims", "Suggest claims"
        FIND_MATCHES = "find_matches", "Find corroboration and conflicts"
        REANCHOR = "reanchor", "Re-anchor claims on a new version"
        RECONCILE_FIGURES = "reconcile_figures", "Reconcile figures"
        EXPORT = "export", "Export"
        DASHBOARD = "dashboard", "Compute the dashboard"

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Running"
        SUCCEEDED = "succeeded", "Succeeded"
        FAILED = "failed", "Failed"
        CANCELLED = "cancelled", "Cancelled"

    ACTIVE = (Status.QUEUED, Status.RUNNING)

    workspace = models.ForeignKey(
        "workspaces.Workspace", on_delete=models.CASCADE, related_name="jobs"
    )
    kind = models.CharField(max_length=24, choices=Kind.choices)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.QUEUED)
    # What the job is about. A generic relation, so the jobs app needs no
    # knowledge of the features; the targets declare a GenericRelation back,
    # so deleting a target deletes its jobs instead of leaving a dangling id.
    target_type = models.ForeignKey(
        ContentType, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    target_id = models.PositiveBigIntegerField(null=True, blank=True)
    target = GenericForeignKey("target_type", "target_id")
    params = models.JSONField(default=dict, blank=True)
    result = models.JSONField(default=dict, blank=True)
    progress_done = models.PositiveIntegerField(default=0)
    progress_total = models.PositiveIntegerField(default=0)
    message = models.CharField(max_length=500, blank=True)
    error = models.TextField(blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    max_attempts = models.PositiveSmallIntegerField(default=3)
    worker = models.CharField(max_length=200, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, related_name="+", null=True, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    objects = JobQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            # The Jobs page: a workspace's recent jobs.
            models.Index(fields=["workspace", "-created_at"], name="job_ws_recent_idx"),
            # The sweeper: running jobs whose heartbeat stopped.
            models.Index(fields=["status", "heartbeat_at"], name="job_status_heartbeat_idx"),
            # "Is a job for this target already queued or running?"
            models.Index(fields=["kind", "target_type", "target_id"], name="job_target_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk} ({self.status})"

    @property
    def percent(self) -> int:
        if not self.progress_total:
            return 0 if self.status in self.ACTIVE else 100
        return min(100, round(100 * self.progress_done / self.progress_total))

    @property
    def is_active(self) -> bool:
        return self.status in self.ACTIVE

    @property
    def is_failed(self) -> bool:
        return self.status == self.Status.FAILED

    @property
    def is_succeeded(self) -> bool:
        return self.status == self.Status.SUCCEEDED

    @property
    def is_retrying(self) -> bool:
        """Queued again after a transient failure."""
        return self.status == self.Status.QUEUED and self.attempts > 0

    @property
    def target_label(self) -> str:
        """What the job is about, for the Jobs page: its URL, or the target."""
        if (self.params or {}).get("url"):
            return self.params["url"]
        if self.target_type_id:
            return f"{self.target_type.name} #{self.target_id}"
        return ""

    @property
    def fetched_article_id(self) -> int | None:
        """The article a finished fetch job imported."""
        if self.kind == self.Kind.FETCH_ARTICLE and self.is_succeeded:
            return (self.result or {}).get("article_id")
        return None

    @property
    def archived_snapshot_id(self) -> int | None:
        """The snapshot a finished archive job stored."""
        if self.kind == self.Kind.ARCHIVE_EVIDENCE and self.is_succeeded:
            return (self.result or {}).get("snapshot_id")
        return None
