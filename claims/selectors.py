"""Reads. Each selector decides its own joins, so pages run a fixed number of queries."""

from __future__ import annotations

from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from claims.models import (
    Article,
    AuditEvent,
    Claim,
    ClaimIntermediary,
    ClaimLink,
    Evidence,
    Membership,
    Review,
    Snapshot,
    Source,
    Workspace,
)
from claims.services.access import require_member


def memberships_for_user(user) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(user=user).select_related("workspace").order_by("workspace__name")
    )


def workspace_for_user(*, slug: str, user) -> Workspace:
    """The workspace if the user is a member; 404 otherwise (never reveal it exists)."""
    workspace = Workspace.objects.filter(slug=slug).first()
    if workspace is None:
        raise Http404("No such workspace.")
    membership = require_member(workspace=workspace, user=user)
    workspace.my_role = membership.role
    return workspace


def articles_with_claim_counts(*, workspace: Workspace) -> QuerySet[Article]:
    counts = {
        f"n_{status}": Count("claims", filter=Q(claims__status=status))
        for status in Claim.Status.values
    }
    return (
        Article.objects.filter(workspace=workspace)
        .select_related("outlet")
        .annotate(n_claims=Count("claims"), **counts)
        .order_by("-imported_at", "-id")
    )


def article_for_workspace(*, workspace: Workspace, pk: int) -> Article:
    return get_object_or_404(
        Article.objects.select_related("outlet", "imported_by", "workspace"),
        workspace=workspace,
        pk=pk,
    )


def claims_with_details() -> QuerySet[Claim]:
    return Claim.objects.select_related("source", "article").prefetch_related(
        "figures",
        Prefetch(
            "intermediaries",
            queryset=ClaimIntermediary.objects.select_related("source").order_by("position"),
        ),
    )


def claims_for_article(*, article: Article) -> QuerySet[Claim]:
    """The article page's claims: enough for highlights and the list (no figures)."""
    return (
        Claim.objects.filter(article=article)
        .select_related("source")
        .prefetch_related(
            Prefetch(
                "intermediaries",
                queryset=ClaimIntermediary.objects.select_related("source").order_by("position"),
            )
        )
        .order_by("start", "-end", "id")
    )


def claim_for_workspace(*, workspace: Workspace, pk: int) -> Claim:
    """One claim with everything its panel shows, in a fixed number of queries."""
    return get_object_or_404(
        claims_with_details()
        .select_related(
            "workspace", "article__outlet", "created_by", "proposed_by", "approved_by", "assignee"
        )
        .prefetch_related(
            Prefetch(
                "evidence",
                queryset=Evidence.objects.select_related("publisher", "origin", "added_by")
                .prefetch_related(
                    Prefetch(
                        "snapshots",
                        queryset=Snapshot.objects.defer("warc", "text", "headers").order_by(
                            "-fetched_at"
                        ),
                    )
                )
                .order_by("stance", "added_at", "id"),
            ),
            Prefetch(
                "links_out",
                queryset=ClaimLink.objects.select_related("to_claim__source", "to_claim__article"),
            ),
            Prefetch(
                "links_in",
                queryset=ClaimLink.objects.select_related(
                    "from_claim__source", "from_claim__article"
                ),
            ),
            Prefetch(
                "reviews", queryset=Review.objects.select_related("reviewer").order_by("created_at")
            ),
        ),
        workspace=workspace,
        pk=pk,
    )


def evidence_for_workspace(*, workspace: Workspace, pk: int) -> Evidence:
    return get_object_or_404(
        Evidence.objects.select_related("claim", "workspace"), workspace=workspace, pk=pk
    )


def claim_link_for_workspace(*, workspace: Workspace, pk: int) -> ClaimLink:
    return get_object_or_404(
        ClaimLink.objects.select_related("workspace"), workspace=workspace, pk=pk
    )


def review_queue(*, workspace: Workspace, article=None, source=None, kind=None) -> QuerySet[Claim]:
    """Claims waiting for review, oldest proposal first."""
    claims = (
        Claim.objects.filter(workspace=workspace, status=Claim.Status.PENDING_REVIEW)
        .select_related("source", "article", "proposed_by")
        .annotate(
            n_corroborates=Count("evidence", filter=Q(evidence__stance="corroborates")),
            n_contradicts=Count("evidence", filter=Q(evidence__stance="contradicts")),
            n_context=Count("evidence", filter=Q(evidence__stance="context")),
        )
        .order_by("proposed_at", "id")
    )
    if article:
        claims = claims.filter(article_id=article)
    if source:
        claims = claims.filter(source_id=source)
    if kind:
        claims = claims.filter(kind=kind)
    return claims


def claims_for_user(*, workspace: Workspace, user) -> QuerySet[Claim]:
    """'My claims': assigned to me and still open, or my proposals sent back."""
    open_statuses = [Claim.Status.NEW, Claim.Status.IN_PROGRESS, Claim.Status.CHANGES_REQUESTED]
    return (
        Claim.objects.filter(workspace=workspace)
        .filter(
            Q(assignee=user, status__in=open_statuses)
            | Q(proposed_by=user, status=Claim.Status.CHANGES_REQUESTED)
        )
        .select_related("source", "article")
        .order_by("-updated_at")
    )


def members_of(*, workspace: Workspace) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(workspace=workspace)
        .select_related("user")
        .order_by("user__username")
    )


def sources_for_workspace(*, workspace: Workspace) -> QuerySet[Source]:
    return Source.objects.filter(workspace=workspace).order_by("name")


def sources_with_counts(*, workspace: Workspace) -> QuerySet[Source]:
    return sources_for_workspace(workspace=workspace).annotate(
        n_claims=Count("claims", distinct=True)
    )


def source_for_workspace(*, workspace: Workspace, pk: int) -> Source:
    return get_object_or_404(Source, workspace=workspace, pk=pk)


def history_for_object(
    *, workspace: Workspace, object_type: str, object_id
) -> QuerySet[AuditEvent]:
    return AuditEvent.objects.filter(
        workspace=workspace, object_type=object_type, object_id=str(object_id)
    ).order_by("sequence")
