from django.conf import settings
from django.db import models

from .article import Article
from .source import Source
from .workspace import Workspace


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

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="claims")
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="claims")
    quote = models.TextField()
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    prefix = models.CharField(max_length=64, blank=True)
    suffix = models.CharField(max_length=64, blank=True)
    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="claims")
    kind = models.CharField(max_length=16, choices=Kind.choices, default=Kind.OTHER)
    statement = models.CharField(max_length=300, blank=True)
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
        ]

    def __str__(self) -> str:
        return self.statement or self.quote[:80]


class ClaimIntermediary(models.Model):
    """One link of a claim's attribution chain, from the original speaker
    towards the article: resident -> news agency -> (this article's outlet)."""

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="intermediaries")
    position = models.PositiveSmallIntegerField()
    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="relayed_claims")

    class Meta:
        ordering = ["claim_id", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["claim", "position"], name="intermediary_unique_position"
            )
        ]

    def __str__(self) -> str:
        return f"{self.position}: {self.source_id}"


class Figure(models.Model):
    """A number a claim states: 'more than 1,000 dead', '745 civilians killed'."""

    class Qualifier(models.TextChoices):
        EXACT = "exact", "exactly"
        MORE_THAN = "more_than", "more than"
        AT_LEAST = "at_least", "at least"
        ABOUT = "about", "about"
        NEARLY = "nearly", "nearly"
        UP_TO = "up_to", "up to"
        FEWER_THAN = "fewer_than", "fewer than"
        DOZENS = "dozens", "dozens of"
        HUNDREDS = "hundreds", "hundreds of"
        THOUSANDS = "thousands", "thousands of"

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="figures")
    position = models.PositiveSmallIntegerField(default=0)
    value = models.DecimalField(max_digits=14, decimal_places=2)
    qualifier = models.CharField(max_length=16, choices=Qualifier.choices, default=Qualifier.EXACT)
    counted = models.CharField(
        max_length=200, help_text="What is counted, e.g. 'civilians killed'."
    )

    class Meta:
        ordering = ["claim_id", "position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(value__gte=0), name="figure_value_not_negative"
            )
        ]
        # The figures reconciliation page groups by what is counted.
        indexes = [models.Index(fields=["counted"], name="figure_counted_idx")]

    def __str__(self) -> str:
        return " ".join(
            part for part in (self.qualifier_text, self.display_value, self.counted) if part
        )

    @property
    def qualifier_text(self) -> str:
        """The qualifier as it reads before the number; nothing for an exact figure."""
        return "" if self.qualifier == self.Qualifier.EXACT else self.get_qualifier_display()

    @property
    def display_value(self) -> str:
        value = self.value
        if value == value.to_integral_value():
            return f"{int(value):,}"
        return f"{value:,}"


class ClaimLink(models.Model):
    """A relation between two claims of one workspace, usually in different
    articles: a later toll from the same monitor 'updates' the earlier one."""

    class Relation(models.TextChoices):
        CORROBORATES = "corroborates", "corroborates"
        CONTRADICTS = "contradicts", "contradicts"
        REPEATS = "repeats", "repeats"
        UPDATES = "updates", "updates"

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="claim_links")
    from_claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="links_out")
    to_claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="links_in")
    relation = models.CharField(max_length=16, choices=Relation.choices)
    note = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["from_claim", "to_claim", "relation"], name="claimlink_unique"
            ),
            models.CheckConstraint(
                condition=~models.Q(from_claim=models.F("to_claim")), name="claimlink_not_self"
            ),
        ]
        # The claim panel shows links in both directions.
        indexes = [models.Index(fields=["to_claim"], name="claimlink_to_idx")]

    def __str__(self) -> str:
        return f"{self.from_claim_id} {self.relation} {self.to_claim_id}"


class Review(models.Model):
    """A reviewer's decision on a proposed verdict. Kept forever: reopening an
    approved claim leaves its approval in this history."""

    class Decision(models.TextChoices):
        APPROVED = "approved", "Approved"
        CHANGES_REQUESTED = "changes_requested", "Changes requested"

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="reviews")
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    decision = models.CharField(max_length=20, choices=Decision.choices)
    verdict = models.CharField(max_length=24, blank=True)
    rationale = models.TextField(blank=True)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    comment = models.TextField(blank=True)
    claim_version = models.PositiveIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)
    # Set when the approved content later changed and the approval was voided.
    voided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["claim", "created_at"], name="review_claim_idx")]

    def __str__(self) -> str:
        return f"{self.decision} by {self.reviewer_id} on claim {self.claim_id}"
