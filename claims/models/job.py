from django.conf import settings
from django.db import models

from .workspace import Workspace


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
        EXPORT = "export", "Export"

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Running"
        SUCCEEDED = "succeeded", "Succeeded"
        FAILED = "failed", "Failed"
        CANCELLED = "cancelled", "Cancelled"

    ACTIVE = (Status.QUEUED, Status.RUNNING)

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="jobs")
    kind = models.CharField(max_length=24, choices=Kind.choices)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.QUEUED)
    target_type = models.CharField(max_length=40, blank=True)
    target_id = models.CharField(max_length=40, blank=True)
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


class Snapshot(models.Model):
    """An archived copy of a URL: the raw exchange as a WARC file, its hash,
    and the extracted text. Kept in the database so every worker machine and
    web server sees the same archive without a shared disk."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="snapshots")
    evidence = models.ForeignKey(
        "claims.Evidence", on_delete=models.CASCADE, null=True, blank=True, related_name="snapshots"
    )
    article = models.ForeignKey(
        "claims.Article", on_delete=models.CASCADE, null=True, blank=True, related_name="snapshots"
    )
    url = models.URLField(max_length=2000)
    final_url = models.URLField(max_length=2000)
    status_code = models.PositiveSmallIntegerField()
    headers = models.JSONField(default=list)
    content_type = models.CharField(max_length=100, blank=True)
    sha256 = models.CharField(max_length=64)
    warc = models.BinaryField()
    warc_sha256 = models.CharField(max_length=64)
    text = models.TextField(blank=True)
    fetched_at = models.DateTimeField()
    job = models.ForeignKey(Job, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["-fetched_at", "-id"]
        indexes = [models.Index(fields=["evidence", "-fetched_at"], name="snapshot_evidence_idx")]

    def __str__(self) -> str:
        return f"{self.url} @ {self.fetched_at:%Y-%m-%d %H:%M}"


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
