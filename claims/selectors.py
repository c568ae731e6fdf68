"""Reads of articles, sources, claims and evidence. Each selector decides its
own joins, so pages run a fixed number of queries."""

from __future__ import annotations

from django.db.models import Count, Prefetch, Q, QuerySet

from claims.models import (
    Article,
    Claim,
    ClaimIntermediary,
    ClaimLink,
    Evidence,
    Review,
    Source,
    SourceChangeProposal,
)
from workspaces.models import Workspace
from workspaces.selectors import get_or_not_found


def articles_with_claim_counts(*, workspace: Workspace) -> QuerySet[Article]:
    counts = {
        f"n_{status}": Count("claims", filter=Q(claims__status=status))
        for status in Claim.Status.values
    }
    return (
        Article.objects.in_workspace(workspace)
        .select_related("outlet")
        .annotate(n_claims=Count("claims"), **counts)
        .newest_first()
    )


def article_for_workspace(*, workspace: Workspace, pk: int) -> Article:
    return get_or_not_found(
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
    return Claim.objects.filter(article=article).with_chain().order_by("start", "-end", "id")


def claim_for_workspace(*, workspace: Workspace, pk: int) -> Claim:
    """One claim with everything its panel shows, in a fixed number of queries."""
    return get_or_not_found(
        claims_with_details()
        .select_related(
            "workspace", "article__outlet", "created_by", "proposed_by", "approved_by", "assignee"
        )
        .prefetch_related(
            Prefetch(
                "evidence",
                queryset=Evidence.objects.select_related(
                    "publisher", "origin", "added_by"
                ).order_by("stance", "added_at", "id"),
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


def claim_brief(*, workspace: Workspace, pk) -> Claim:
    """A claim with its workspace and article only (for writes), or NotFound."""
    return get_or_not_found(
        Claim.objects.select_related("workspace", "article"), workspace=workspace, pk=pk
    )


def find_claim(*, workspace: Workspace, pk) -> Claim | None:
    """A claim of this workspace by id, or None (ids from forms may be anything)."""
    return Claim.objects.in_workspace(workspace).filter(pk=pk).first() if pk else None


def find_article(*, workspace: Workspace, pk) -> Article | None:
    return Article.objects.in_workspace(workspace).filter(pk=pk).first() if pk else None


def evidence_for_workspace(*, workspace: Workspace, pk: int) -> Evidence:
    return get_or_not_found(
        Evidence.objects.select_related("claim", "workspace"), workspace=workspace, pk=pk
    )


def claim_link_for_workspace(*, workspace: Workspace, pk: int) -> ClaimLink:
    return get_or_not_found(
        ClaimLink.objects.select_related("workspace"), workspace=workspace, pk=pk
    )


def review_queue(*, workspace: Workspace, article=None, source=None, kind=None) -> QuerySet[Claim]:
    """Claims waiting for review, oldest proposal first."""
    claims = (
        Claim.objects.in_workspace(workspace)
        .pending_review()
        .select_related("source", "article", "proposed_by")
        .with_evidence_counts()
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
    return (
        Claim.objects.in_workspace(workspace)
        .waiting_on(user)
        .select_related("source", "article")
        .order_by("-updated_at")
    )


def sources_for_workspace(*, workspace: Workspace) -> QuerySet[Source]:
    return Source.objects.in_workspace(workspace).order_by("name")


def sources_with_counts(*, workspace: Workspace) -> QuerySet[Source]:
    return sources_for_workspace(workspace=workspace).with_claim_counts()


def source_for_workspace(*, workspace: Workspace, pk: int) -> Source:
    return get_or_not_found(Source, workspace=workspace, pk=pk)


# The proposals page shows at most this many, oldest first.
PROPOSALS_SHOWN = 100


def pending_source_proposals(*, workspace: Workspace) -> QuerySet[SourceChangeProposal]:
    return (
        SourceChangeProposal.objects.filter(
            workspace=workspace, status=SourceChangeProposal.Status.PENDING
        )
        .select_related("source", "proposed_by")
        .order_by("id")
    )


def source_proposal_for_workspace(*, workspace: Workspace, pk: int) -> SourceChangeProposal:
    return get_or_not_found(SourceChangeProposal, workspace=workspace, pk=pk)


def version_chain(*, article: Article) -> list[Article]:
    """Every version of the article, oldest first (two queries, whatever the length)."""
    links = dict(
        Article.objects.filter(workspace_id=article.workspace_id, previous_version__isnull=False)
        .values_list("pk", "previous_version_id")
        .order_by()
    )
    newer = {previous: pk for pk, previous in links.items()}
    ids = [article.pk]
    while links.get(ids[0]) and links[ids[0]] not in ids:
        ids.insert(0, links[ids[0]])
    while newer.get(ids[-1]) and newer[ids[-1]] not in ids:
        ids.append(newer[ids[-1]])
    if len(ids) == 1:
        return [article]
    by_pk = {
        a.pk: a
        for a in Article.objects.filter(pk__in=ids).only(
            "pk", "title", "imported_at", "published_on", "previous_version_id", "workspace_id"
        )
    }
    return [by_pk[pk] for pk in ids if pk in by_pk]


def orphans_for_versions(*, chain: list[Article], article: Article) -> list[Claim]:
    """Claims left behind on earlier versions because they could not be placed
    on a newer one: an analyst re-places them on the latest version."""
    position = next((i for i, a in enumerate(chain) if a.pk == article.pk), 0)
    earlier = [a.pk for a in chain[:position]]
    if not earlier:
        return []
    return list(
        Claim.objects.filter(article_id__in=earlier)
        .orphaned()
        .select_related("source", "article")
        .order_by("article_id", "start", "id")
    )
