from django.conf import settings
from django.db import models, transaction
from django.db.models.signals import post_delete
from django.dispatch import receiver

from exports.files import remove


class Export(models.Model):
    """One export of an audit report: who, when, what, and the file's hash."""

    class Format(models.TextChoices):
        PDF = "pdf", "PDF audit report"
        HTML = "html", "HTML audit report"
        CSV = "csv", "CSV"
        JSON = "json", "JSON bundle"
        CLAIMREVIEW = "claimreview", "schema.org ClaimReview (JSON-LD, one review per line)"
        ANNOTATION = "annotation", "W3C Web Annotation (JSON-LD)"

    workspace = models.ForeignKey(
        "workspaces.Workspace", on_delete=models.CASCADE, related_name="exports"
    )
    scope = models.JSONField(default=dict)
    scope_label = models.CharField(max_length=300)
    format = models.CharField(max_length=16, choices=Format.choices)
    include_real_names = models.BooleanField(default=False)
    # The protection state the export used: which sources were protected,
    # whether their names were replaced (exports.context.protection_state).
    protection = models.JSONField(default=dict, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    created_at = models.DateTimeField(auto_now_add=True)
    claim_count = models.PositiveIntegerField(default=0)
    sha256 = models.CharField(max_length=64, blank=True)
    size = models.PositiveBigIntegerField(default=0)
    # The stored file (background exports), relative to EXPORT_FILES_DIR;
    # empty for an export streamed straight to the browser.
    file = models.CharField(max_length=200, blank=True)
    job = models.ForeignKey(
        "jobs.Job", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["workspace", "-created_at"], name="export_ws_recent_idx")]

    def __str__(self) -> str:
        return f"{self.get_format_display()} of {self.scope_label}"

    @property
    def is_stored(self) -> bool:
        return bool(self.file)


@receiver(post_delete, sender=Export)
def _remove_stored_file(sender, instance: Export, **kwargs) -> None:
    # After commit: a rolled-back delete keeps its file.
    if instance.file:
        transaction.on_commit(lambda: remove(instance.file))
