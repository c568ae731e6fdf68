from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.db import models

from .claim import Claim
from .source import Source


class Evidence(models.Model):
    """Something that corroborates, contradicts or adds context to a claim."""

    class Stance(models.TextChoices):
        CORROBORATES = "corroborates", "Corroborates"
        CONTRADICTS = "contradicts", "Contradicts"
        CONTEXT = "context", "Adds context"

    class Kind(models.TextChoices):
        NEWS_REPORT = "news_report", "News report"
        OFFICIAL = "official", "Official statement or document"
        NGO_REPORT = "ngo_report", "NGO / monitor report"
        SOCIAL_MEDIA = "social_media", "Social-media post"
        PHOTO_VIDEO = "photo_video", "Photo or video"
        DATASET = "dataset", "Dataset"
        TESTIMONY = "testimony", "Testimony"
        OTHER = "other", "Other"

    class LinkState(models.TextChoices):
        UNCHECKED = "unchecked", "Not archived yet"
        LIVE = "live", "Live"
        CHANGED = "changed", "Changed since archived"
        GONE = "gone", "Gone"
        FAILED = "failed", "Could not be archived"

    workspace = models.ForeignKey(
        "workspaces.Workspace", on_delete=models.CASCADE, related_name="evidence"
    )
    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="evidence")
    stance = models.CharField(max_length=16, choices=Stance.choices)
    kind = models.CharField(max_length=16, choices=Kind.choices, default=Kind.OTHER)
    url = models.URLField(max_length=2000, blank=True)
    title = models.CharField(max_length=300)
    publisher = models.ForeignKey(
        Source, on_delete=models.PROTECT, null=True, blank=True, related_name="evidence"
    )
    # The original source this evidence traces back to, when it relays someone
    # else (an agency copy republished by an outlet): independence is judged on it.
    origin = models.ForeignKey(
        Source, on_delete=models.PROTECT, null=True, blank=True, related_name="originated_evidence"
    )
    published_on = models.DateField(null=True, blank=True)
    excerpt = models.TextField(blank=True)
    note = models.TextField(blank=True)
    link_state = models.CharField(
        max_length=12, choices=LinkState.choices, default=LinkState.UNCHECKED
    )
    version = models.PositiveIntegerField(default=1)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    added_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    # Background jobs about this object, deleted with it.
    jobs = GenericRelation(
        "jobs.Job", content_type_field="target_type", object_id_field="target_id"
    )

    class Meta:
        ordering = ["claim_id", "stance", "added_at", "id"]
        indexes = [
            # The claim panel groups a claim's evidence by stance.
            models.Index(fields=["claim", "stance"], name="evidence_claim_stance_idx"),
            # The periodic link re-check walks archived evidence of a workspace.
            models.Index(fields=["workspace", "link_state"], name="evidence_ws_linkstate_idx"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_unarchived(self) -> bool:
        """No archive of the current address yet (pending or never done)."""
        return self.link_state == self.LinkState.UNCHECKED

    @property
    def is_live(self) -> bool:
        return self.link_state == self.LinkState.LIVE

    @property
    def is_rotted(self) -> bool:
        """The link changed, went away, or could not be archived."""
        return self.link_state in (
            self.LinkState.CHANGED,
            self.LinkState.GONE,
            self.LinkState.FAILED,
        )

    @property
    def archive_failed(self) -> bool:
        return self.link_state == self.LinkState.FAILED
