from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.db import models

from .article import Article
from .intermediary import ClaimIntermediary
from .source import Source


class ClaimQuerySet(models.QuerySet):
    """Chainable filters: Claim.objects.in_workspace(ws).pending_review().with_evidence_counts()."""

    def in_workspace(self, workspace) -> ClaimQuerySet:
        return self.filter(workspace_id=workspace.pk)

    def pending_review(self) -> ClaimQuerySet:
        return self.filter(status=Claim.Status.PENDING_REVIEW)

    def open(self) -> ClaimQuerySet:
        """Still being worked on: new, in progress, or sent back."""
        return self.filter(status__in=Claim.OPEN_STATUSES)

    def not_dismissed(self) -> ClaimQuerySet:
        return self.exclude(status=Claim.Status.DISMISSED)

    def orphaned(self) -> ClaimQuerySet:
        return self.filter(anchor_state=Claim.AnchorState.ORPHANED)

    def waiting_on(self, user) -> ClaimQuerySet:
        """Assigned to the user and still open, or the user's proposals sent back."""
        return self.filter(
            models.Q(assignee=user, status__in=Claim.OPEN_STATUSES)
            | models.Q(proposed_by=user, status=Claim.Status.CHANGES_REQUESTED)
        )

    def with_chain(self) -> ClaimQuerySet:
        """The source and the attribution chain, for lists (two queries in all)."""
        return self.select_related("source").prefetch_related(
            models.Prefetch(
                "intermediaries",
                queryset=ClaimIntermediary.objects.select_related("source").order_by("position"),
            )
        )

    def with_evidence_counts(self) -> ClaimQuerySet:
        """n_corroborates, n_contradicts and n_context: evidence counted by stance."""
        return self.annotate(
            **{
                f"n_{stance}": models.Count(
                    "evidence", filter=models.Q(evidence__stance=stance), distinct=True
                )
                for stance in ("corroborates", "contradicts", "context")
            }
        )


SUMMARY_MAX_LENGTH = 75


class Claim(models.Model):
    """An attributed statement in an article, anchored by exact quote and offsets.

    The anchor follows the W3C Web Annotation selectors: TextPositionSelector
    (start/end, in Unicode code points of the article body) and
    TextQuoteSelector (quote with prefix/suffix context), so a claim can be
    re-anchored on an edited text and exported to other annotation tools.
    """

    CONTEXT_CHARS = 32

    class Kind(models.TextChoices):
        FIGURE = "figure", "Casualty or other figure"
        STATEMENT = "statement", "Official statement"
        TESTIMONY = "testimony", "Testimony"
        REACTION = "reaction", "Condemnation or reaction"
        EVENT = "event", "Event report"
        OTHER = "other", "Other"

    class Status(models.TextChoices):
        NEW = "new", "New"
        IN_PROGRESS = "in_progress", "In progress"
        PENDING_REVIEW = "pending_review", "Pending review"
        CHANGES_REQUESTED = "changes_requested", "Changes requested"
        APPROVED = "approved", "Approved"
        DISMISSED = "dismissed", "Dismissed"

    class Verdict(models.TextChoices):
        CORROBORATED = "corroborated", "Corroborated"
        PARTLY_CORROBORATED = "partly_corroborated", "Partly corroborated"
        UNVERIFIED = "unverified", "Unverified"
        CONTESTED = "contested", "Contested"
        CONTRADICTED = "contradicted", "Contradicted"

    class AnchorState(models.TextChoices):
        ANCHORED = "anchored", "Anchored"
        REANCHORED = "reanchored", "Re-anchored on a new version"
        ORPHANED = "orphaned", "Orphaned (could not be placed)"

    class Credibility(models.IntegerChoices):
        """The Admiralty scale for the information itself."""

        CONFIRMED = 1, "1 - Confirmed by other sources"
        PROBABLY_TRUE = 2, "2 - Probably true"
        POSSIBLY_TRUE = 3, "3 - Possibly true"
        DOUBTFUL = 4, "4 - Doubtful"
        IMPROBABLE = 5, "5 - Improbable"
        CANNOT_JUDGE = 6, "6 - Truth cannot be judged"

    OPEN_STATUSES = (Status.NEW, Status.IN_PROGRESS, Status.CHANGES_REQUESTED)

    workspace = models.ForeignKey(
        "workspaces.Workspace", on_delete=models.CASCADE, related_name="claims"
    )
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="claims")
    quote = models.TextField()
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    prefix = models.CharField(max_length=64, blank=True)
    suffix = models.CharField(max_length=64, blank=True)
    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="claims")
    kind = models.CharField(max_length=16, choices=Kind.choices, default=Kind.OTHER)
    statement = models.CharField(max_length=300, blank=True)
    # What a published fact-check shows as the claim reviewed (ClaimReview's
    # claimReviewed): short enough for readers; the statement stays whole.
    summary = models.CharField(max_length=SUMMARY_MAX_LENGTH, blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.NEW)
    credibility = models.PositiveSmallIntegerField(
        choices=Credibility.choices, default=Credibility.CANNOT_JUDGE
    )
    verdict = models.CharField(max_length=24, choices=Verdict.choices, blank=True)
    rationale = models.TextField(blank=True)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    proposed_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    # SHA-256 of what the approval covered (quote, source, chain, figures,
    # evidence); a change to any of it voids the approval.
    approved_fingerprint = models.CharField(max_length=64, blank=True)
    dismissed_reason = models.TextField(blank=True)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        related_name="assigned_claims",
        null=True,
        blank=True,
    )
    anchor_state = models.CharField(
        max_length=12, choices=AnchorState.choices, default=AnchorState.ANCHORED
    )
    version = models.PositiveIntegerField(default=1)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    # Background jobs about this object, deleted with it.
    jobs = GenericRelation(
        "jobs.Job", content_type_field="target_type", object_id_field="target_id"
    )

    objects = ClaimQuerySet.as_manager()

    class Meta:
        ordering = ["article_id", "start", "-end", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end__gt=models.F("start")), name="claim_span_not_empty"
            ),
            models.CheckConstraint(
                condition=models.Q(credibility__gte=1, credibility__lte=6),
                name="claim_credibility_1_to_6",
            ),
            models.CheckConstraint(
                condition=models.Q(
                    status__in=[
                        "new",
                        "in_progress",
                        "pending_review",
                        "changes_requested",
                        "approved",
                        "dismissed",
                    ]
                ),
                name="claim_status_valid",
            ),
        ]
        indexes = [
            # The article page lists its claims in text order.
            models.Index(fields=["article", "start"], name="claim_article_start_idx"),
            # Counts by status on the workspace home; status filters on lists.
            models.Index(fields=["workspace", "status"], name="claim_ws_status_idx"),
            # Filters by source and kind.
            models.Index(fields=["workspace", "source"], name="claim_ws_source_idx"),
            models.Index(fields=["workspace", "kind"], name="claim_ws_kind_idx"),
            # The review queue: pending claims, oldest proposal first.
            models.Index(
                fields=["workspace", "status", "proposed_at"], name="claim_review_queue_idx"
            ),
            # "My claims".
            models.Index(fields=["assignee", "status"], name="claim_assignee_idx"),
            # The claims table's sort orders (newest, oldest, recently updated),
            # keyset-paginated on (time, id), and its date filters.
            models.Index(fields=["workspace", "created_at", "id"], name="claim_ws_created_idx"),
            models.Index(fields=["workspace", "updated_at", "id"], name="claim_ws_updated_idx"),
        ]

    def __str__(self) -> str:
        return self.statement or self.quote[:80]

    @property
    def is_dismissed(self) -> bool:
        return self.status == self.Status.DISMISSED
