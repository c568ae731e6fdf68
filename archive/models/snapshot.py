from django.db import models


class Snapshot(models.Model):
    """An archived copy of a URL: the raw exchange as a WARC file, its hash,
    and the extracted text. Kept in the database so every worker machine and
    web server sees the same archive without a shared disk."""

    workspace = models.ForeignKey(
        "workspaces.Workspace", on_delete=models.CASCADE, related_name="snapshots"
    )
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
    job = models.ForeignKey(
        "jobs.Job", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-fetched_at", "-id"]
        indexes = [models.Index(fields=["evidence", "-fetched_at"], name="snapshot_evidence_idx")]

    def __str__(self) -> str:
        return f"{self.url} @ {self.fetched_at:%Y-%m-%d %H:%M}"
