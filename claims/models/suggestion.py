from django.conf import settings
from django.db import models

from .article import Article
from .claim import Claim
from .source import Source
from .workspace import Workspace


class ClaimSuggestion(models.Model):
    """A candidate claim the extractor proposed. It becomes a Claim only when
    an analyst accepts it."""

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        ACCEPTED = "accepted", "Accepted"
        DISMISSED = "dismissed", "Dismissed"

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="suggestions")
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="suggestions")
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    quote = models.TextField()
    speaker = models.CharField(max_length=200, blank=True)
    source = models.ForeignKey(
        Source, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
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
        Claim, on_delete=models.SET_NULL, null=True, blank=True, related_name="suggestions"
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

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


class LinkProposal(models.Model):
    """A possible relation between two claims found by the matcher, waiting for
    an analyst to confirm it into a ClaimLink or dismiss it."""

    class Relation(models.TextChoices):
        CORROBORATION = "corroboration", "Possible corroboration"
        REPEAT = "repeat", "Possible repeat"
        CONFLICT = "conflict", "Possible conflict"

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        CONFIRMED = "confirmed", "Confirmed"
        DISMISSED = "dismissed", "Dismissed"

    workspace = models.ForeignKey(
        Workspace, on_delete=models.CASCADE, related_name="link_proposals"
    )
    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="proposals_out")
    other = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="proposals_in")
    relation = models.CharField(max_length=16, choices=Relation.choices)
    score = models.FloatField()
    reason = models.CharField(max_length=300, blank=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-score", "id"]
        constraints = [
            models.UniqueConstraint(fields=["claim", "other"], name="proposal_unique_pair"),
            models.CheckConstraint(
                condition=~models.Q(claim=models.F("other")), name="proposal_not_self"
            ),
        ]
        indexes = [models.Index(fields=["workspace", "status"], name="proposal_ws_status_idx")]

    def __str__(self) -> str:
        return f"{self.claim_id} {self.relation} {self.other_id}"


class Export(models.Model):
    """One export of an audit report: who, when, what, and the file's hash."""

    class Format(models.TextChoices):
        PDF = "pdf", "PDF audit report"
        HTML = "html", "HTML audit report"
        CSV = "csv", "CSV"
        JSON = "json", "JSON bundle"
        CLAIMREVIEW = "claimreview", "schema.org ClaimReview (JSON-LD)"
        ANNOTATION = "annotation", "W3C Web Annotation (JSON-LD)"

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="exports")
    scope = models.JSONField(default=dict)
    scope_label = models.CharField(max_length=300)
    format = models.CharField(max_length=16, choices=Format.choices)
    include_real_names = models.BooleanField(default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    created_at = models.DateTimeField(auto_now_add=True)
    claim_count = models.PositiveIntegerField(default=0)
    sha256 = models.CharField(max_length=64, blank=True)
    size = models.PositiveBigIntegerField(default=0)
    content = models.BinaryField(null=True, blank=True)
    job = models.ForeignKey(
        "claims.Job", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["workspace", "-created_at"], name="export_ws_recent_idx")]

    def __str__(self) -> str:
        return f"{self.get_format_display()} of {self.scope_label}"
