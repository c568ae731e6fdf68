"""Reads of articles, sources, claims and evidence. Each selector decides its
own joins, so pages run a fixed number of queries."""

from __future__ import annotations

from django.db import connection
from django.db.models import Count, Prefetch, QuerySet

from claims import fulltext
from claims.models import (
    Article,
    Claim,
    ClaimIntermediary,
    ClaimLink,
    Evidence,
    Figure,
    Review,
    Source,
    SourceChangeProposal,
)
from workspaces.models import Workspace
from workspaces.pagination import KeysetPage, keyset_page
from workspaces.selectors import get_or_not_found

# The workspace home's keyset order (served by article_ws_recent_idx).
ARTICLE_ORDER = ("-imported_at", "-id")


def articles_page(
    *, workspace: Workspace, after: str = "", before: str = "", size: int
) -> KeysetPage:
    """One page of the workspace's articles, newest first, with their claims
    counted by status: two queries, never an article body."""
    page = keyset_page(
        Article.objects.in_workspace(workspace)
        .select_related("outlet")
        .only("id", "workspace_id", "title", "published_on", "imported_at", "outlet__name"),
        order=ARTICLE_ORDER,
        after=after,
        before=before,
        size=size,
    )
    counts: dict[int, dict[str, int]] = {}
    rows = (
        Claim.objects.filter(article_id__in=[a.pk for a in page.items])
        .order_by()
        .values("article_id", "status")
        .annotate(n=Count("id"))
    )
    for row in rows:
        counts.setdefault(row["article_id"], {})[row["status"]] = row["n"]
    for article in page.items:
        mine = counts.get(article.pk, {})
        article.n_claims = sum(mine.values())
        article.status_counts = [mine.get(status, 0) for status in Claim.Status.values]
    return page


def article_for_workspace(*, workspace: Workspace, pk: int) -> Article:
    return get_or_not_found(
        Article.objects.select_related("outlet", "imported_by", "workspace"),
        workspace=workspace,
        pk=pk,
    )


def claims_with_details() -> QuerySet[Claim]:
    return Claim.objects.select_related("source", "article").prefetch_related(
        Prefetch(
            "figures",
            queryset=Figure.objects.select_related("outcome", "place__parent").order_by(
                "position", "id"
            ),
        ),
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
    return (
        Article.objects.in_workspace(workspace).filter(pk=pk).defer("body").first() if pk else None
    )


def find_source(*, workspace: Workspace, pk) -> Source | None:
    return (
        Source.objects.in_workspace(workspace).filter(pk=pk).only("id", "name").first()
        if pk
        else None
    )


def evidence_for_workspace(*, workspace: Workspace, pk: int) -> Evidence:
    return get_or_not_found(
        Evidence.objects.select_related("claim", "workspace"), workspace=workspace, pk=pk
    )


def claim_link_for_workspace(*, workspace: Workspace, pk: int) -> ClaimLink:
    return get_or_not_found(
        ClaimLink.objects.select_related("workspace"), workspace=workspace, pk=pk
    )


# The review queue's keyset order, oldest proposal first (claim_review_queue_idx).
REVIEW_ORDER = ("proposed_at", "id")


def review_queue(*, workspace: Workspace, article=None, source=None, kind=None) -> QuerySet[Claim]:
    """Claims waiting for review, with what a queue row shows (no article body)."""
    claims = (
        Claim.objects.in_workspace(workspace)
        .pending_review()
        .select_related("source", "article", "proposed_by")
        .defer("article__body")
    )
    if article:
        claims = claims.filter(article_id=article)
    if source:
        claims = claims.filter(source_id=source)
    if kind:
        claims = claims.filter(kind=kind)
    return claims


def review_queue_page(
    *, workspace: Workspace, after: str = "", before: str = "", size: int, **filters
) -> KeysetPage:
    """One page of the review queue, oldest proposal first, with evidence
    counted by stance for that page only (two queries)."""
    page = keyset_page(
        review_queue(workspace=workspace, **filters),
        order=REVIEW_ORDER,
        after=after,
        before=before,
        size=size,
    )
    counts: dict[tuple[int, str], int] = {
        (row["claim_id"], row["stance"]): row["n"]
        for row in Evidence.objects.filter(claim_id__in=[c.pk for c in page.items])
        .order_by()
        .values("claim_id", "stance")
        .annotate(n=Count("id"))
    }
    for claim in page.items:
        for stance in Evidence.Stance.values:
            setattr(claim, f"n_{stance}", counts.get((claim.pk, stance), 0))
    return page


# "My claims": most recently changed first (claim_ws_updated_idx).
MINE_ORDER = ("-updated_at", "-id")


def claims_for_user(*, workspace: Workspace, user) -> QuerySet[Claim]:
    """'My claims': assigned to me and still open, or my proposals sent back."""
    return (
        Claim.objects.in_workspace(workspace)
        .waiting_on(user)
        .select_related("source", "article")
        .only(
            "id",
            "workspace_id",
            "quote",
            "status",
            "updated_at",
            "source__name",
            "article__title",
        )
        .order_by(*MINE_ORDER)
    )


def sources_for_workspace(*, workspace: Workspace) -> QuerySet[Source]:
    return Source.objects.in_workspace(workspace).order_by("name")


# Claims counted per source on the sources page, at most (a source can be
# quoted in most of a workspace's claims: "1,000+" instead of counting them all).
SOURCE_COUNT_CAP = 1000


def sources_page(
    *, workspace: Workspace, after: str = "", before: str = "", size: int
) -> KeysetPage:
    """One page of sources by name (unique in a workspace), with their claims
    counted up to SOURCE_COUNT_CAP each: two queries, bounded by the page."""
    page = keyset_page(
        sources_for_workspace(workspace=workspace),
        order=("name",),
        after=after,
        before=before,
        size=size,
    )
    ids = [source.pk for source in page.items]
    counts: dict[int, int] = {}
    if ids:
        # A count over a LIMITed subquery per source (claim_ws_source_idx).
        placeholders = ", ".join(["%s"] * len(ids))
        sql = (
            "SELECT s.id, (SELECT COUNT(*) FROM (SELECT 1 FROM claims_claim c "  # noqa: S608
            "WHERE c.workspace_id = %s AND c.source_id = s.id LIMIT %s) t) "
            f"FROM claims_source s WHERE s.id IN ({placeholders})"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [workspace.pk, SOURCE_COUNT_CAP + 1, *ids])
            counts = dict(cursor.fetchall())
    for source in page.items:
        found = counts.get(source.pk, 0)
        source.n_claims = min(found, SOURCE_COUNT_CAP)
        source.n_claims_capped = found > SOURCE_COUNT_CAP
    return page


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


# Suggestions an autocomplete picker shows at most.
PICK_LIMIT = 20


def articles_to_pick(*, workspace: Workspace, text: str) -> list[Article]:
    """Articles whose title contains the text (or with that id), newest
    first; served by the trigram index on titles, never the bodies."""
    text = fulltext.clean_query(text)
    if len(text) < 2 and not text.isdigit():
        return []
    articles = Article.objects.in_workspace(workspace)
    found = fulltext.similar_names(articles, "title", text)
    if text.isdigit() and len(text) < 19:
        found = found | articles.filter(pk=int(text))
    return list(
        found.select_related("outlet")
        .only("id", "title", "published_on", "imported_at", "outlet__name")
        .order_by("-imported_at", "-id")[:PICK_LIMIT]
    )


def sources_to_pick(*, workspace: Workspace, text: str) -> list[Source]:
    """Sources named like the text (typos allowed on PostgreSQL), or with that id."""
    text = fulltext.clean_query(text)
    if len(text) < 2 and not text.isdigit():
        return []
    sources = Source.objects.in_workspace(workspace).only("id", "name", "kind", "reliability")
    found = fulltext.similar_names(sources, "name", text)
    if text.isdigit() and len(text) < 19:
        found = found | sources.filter(pk=int(text))
    return list(found.order_by("name", "id")[:PICK_LIMIT])
