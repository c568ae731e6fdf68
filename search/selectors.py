"""Reads for the claims table and the search page. Every query is bounded:
a page of rows in keyset order, counts capped where they could read the
whole workspace, ranking over a capped set of candidates, and the extras of
a page (evidence counts, conflicts, snippets) read for that page's rows only."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.contrib.postgres.search import TrigramWordSimilarity
from django.db.models import Count, F, QuerySet
from django.db.models.functions import Substr
from rapidfuzz import fuzz, process

from claims import fulltext
from claims.models import Article, Claim, Evidence, Source
from exports.scope import ExportScope, conflicted_claims
from workspaces.models import Membership, Workspace
from workspaces.pagination import KeysetPage, keyset_page

# name: (label, keyset order). Each order is served by an index on
# (workspace, field, id): claim_ws_created_idx, claim_ws_updated_idx.
SORTS: dict[str, tuple[str, tuple[str, ...]]] = {
    "newest": ("Newest first", ("-created_at", "-id")),
    "oldest": ("Oldest first", ("created_at", "id")),
    "updated": ("Recently changed", ("-updated_at", "-id")),
}
DEFAULT_SORT = "newest"

# Counts that no single index answers stop here ("1,000+"); the dashboard
# has the exact totals.
COUNT_CAP = 1_000
# Filters whose count cannot be read from one index (full text, semi-joins).
SLOW_COUNT_FILTERS = ("q", "has_evidence", "has_conflict", "grade")
# Relevance is ranked among the most recent matches, at most this many
# (ranking reads each candidate's stored vector: 500 take a few ms); the
# search page counts up to there ("500+"): it is for finding, the claims
# table for counting. Articles' vectors hold their text: fewer of them.
RANK_CANDIDATES = 500
ARTICLE_CANDIDATES = 100
# A query that matches no claim is compared, for typos, with this many of the
# most recent claims; a word at least this similar (pg_trgm's default) counts.
SIMILAR_CANDIDATES = 1_000
SIMILARITY = 0.6
# Characters of a quote shown in a list row (quotes may be long).
EXCERPT_CHARS = 220
# How many sources the SQLite fallback compares names with.
FUZZY_SOURCES = 5_000

ROW_FIELDS = (
    "id",
    "workspace_id",
    "version",
    "status",
    "verdict",
    "kind",
    "statement",
    "created_at",
    "updated_at",
    "article_id",
    "source_id",
    "assignee_id",
    "article__title",
    "source__name",
    "source__reliability",
    "source__protected",
    "assignee__username",
)


@dataclass(frozen=True)
class Tally:
    """A number of rows, exact or at least `value` (capped)."""

    value: int
    capped: bool = False

    def __str__(self) -> str:
        return f"{self.value:,}{'+' if self.capped else ''}"

    @property
    def plural(self) -> str:
        return "" if self.value == 1 and not self.capped else "s"


def capped_count(queryset: QuerySet, cap: int | None = None) -> Tally:
    cap = COUNT_CAP if cap is None else cap
    found = queryset.order_by()[: cap + 1].count()
    return Tally(min(found, cap), capped=found > cap)


def claim_rows(queryset: QuerySet[Claim]) -> QuerySet[Claim]:
    """The columns a list row shows, with joins; never the whole quote."""
    return (
        queryset.select_related("source", "article", "assignee")
        .only(*ROW_FIELDS)
        .annotate(excerpt=Substr("quote", 1, EXCERPT_CHARS), quote_length=F("end") - F("start"))
    )


def evidence_counts(ids: list[int]) -> dict[int, int]:
    rows = (
        Evidence.objects.filter(claim_id__in=ids)
        .order_by()
        .values("claim_id")
        .annotate(n=Count("id"))
        .values_list("claim_id", "n")
    )
    return dict(rows)


def conflicted_among(workspace: Workspace, ids: list[int]) -> set[int]:
    if not ids:
        return set()
    return set(
        Claim.objects.filter(pk__in=ids)
        .filter(conflicted_claims(workspace))
        .values_list("pk", flat=True)
    )


def decorate(workspace: Workspace, claims: list[Claim]) -> list[Claim]:
    """Evidence counts and conflict flags for one page of claims (two queries)."""
    ids = [c.pk for c in claims]
    counts = evidence_counts(ids) if ids else {}
    conflicts = conflicted_among(workspace, ids)
    for claim in claims:
        claim.n_evidence = counts.get(claim.pk, 0)
        claim.has_conflict = claim.pk in conflicts
    return claims


@dataclass
class ClaimsTable:
    scope: ExportScope
    page: KeysetPage
    total: Tally
    sort: str


def claims_table(
    *, scope: ExportScope, sort: str = DEFAULT_SORT, after: str = "", before: str = "", size: int
) -> ClaimsTable:
    """One page of the workspace's claims under the scope's filters, in a
    keyset order, with the number of claims the filters select."""
    sort = sort if sort in SORTS else DEFAULT_SORT
    claims = scope.claims()
    rows = claims
    if "q" in scope.filters:
        # Words: read the matching ids from the full-text index first (also
        # the count). Few matches: the page is sorted from those ids. Walking
        # the sort order's index and testing each row instead can read the
        # whole workspace when the planner overestimates how many match.
        ids = list(claims.order_by().values_list("pk", flat=True)[: COUNT_CAP + 1])
        total = Tally(min(len(ids), COUNT_CAP), capped=len(ids) > COUNT_CAP)
        if not total.capped:
            rows = Claim.objects.filter(pk__in=ids)
    elif any(name in scope.filters for name in SLOW_COUNT_FILTERS):
        total = capped_count(claims)
    else:
        total = Tally(claims.order_by().count())
    page = keyset_page(
        claim_rows(rows), order=SORTS[sort][1], after=after, before=before, size=size
    )
    decorate(scope.workspace, page.items)
    return ClaimsTable(scope=scope, page=page, total=total, sort=sort)


def claims_by_ids(*, workspace: Workspace, ids: list[int]) -> list[Claim]:
    return decorate(
        workspace,
        list(claim_rows(Claim.objects.filter(workspace=workspace, pk__in=ids)).order_by("-id")),
    )


def members_for_assigning(*, workspace: Workspace) -> QuerySet[Membership]:
    """Members a claim can be assigned to (analysts and admins)."""
    return (
        Membership.objects.filter(
            workspace=workspace, role__in=[Membership.Role.ANALYST, Membership.Role.ADMIN]
        )
        .select_related("user")
        .order_by("user__username")
    )


def members_for_filter(*, workspace: Workspace) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(workspace=workspace)
        .select_related("user")
        .order_by("user__username")
    )


def names_for(model, *, workspace: Workspace, ids: list[int]) -> list[tuple[int, str]]:
    """(id, title or name) of the chosen articles or sources, for the filter chips."""
    if not ids:
        return []
    label = "title" if model is Article else "name"
    return list(
        model.objects.filter(workspace=workspace, pk__in=ids)
        .order_by(label)
        .values_list("pk", label)
    )


# --- The search page ---------------------------------------------------------

SECTION_SIZES = {"claims": 20, "articles": 8, "evidence": 8, "sources": 8}
PAGE_SIZE = 20


def _with_snippets(items: list, snippets: dict[int, list[fulltext.Piece]]) -> list:
    for item in items:
        item.snippet = snippets.get(item.pk, [])
    return items


@dataclass
class Section:
    name: str
    items: list[Any] = field(default_factory=list)
    total: Tally = field(default_factory=lambda: Tally(0))
    similar: bool = False  # no exact match: these are similar spellings
    page: int = 1
    has_next: bool = False

    @property
    def ranked_note(self) -> bool:
        """More matches than are ranked: the most recent are ranked."""
        return self.total.capped


def _ranked(
    section: Section, matches: QuerySet, rows, document, text, *, size: int, candidates: int
):
    """Fill a section: the ids of the most recent `candidates` matches (one
    query, which is also the count, capped there), then one page of
    `rows(...)` among them ranked by relevance, with snippets."""
    ids = list(matches.order_by("-pk").values_list("pk", flat=True)[: candidates + 1])
    section.total = Tally(min(len(ids), candidates), capped=len(ids) > candidates)
    if not ids:
        return
    model = matches.model
    ranked = fulltext.with_rank(
        rows(model.objects.filter(pk__in=ids[:candidates])), document, text
    ).order_by("-rank", "-pk")
    offset = (section.page - 1) * size
    found = list(ranked[offset : offset + size + 1])
    section.items, section.has_next = found[:size], len(found) > size
    _with_snippets(
        section.items,
        fulltext.snippets(model, document, [row.pk for row in section.items], text, words=24),
    )


def search_claims(scope: ExportScope, text: str, *, page: int = 1, size: int) -> Section:
    section = Section("claims", page=page)
    _ranked(
        section,
        scope.claims(),
        claim_rows,
        fulltext.CLAIMS,
        text,
        size=size,
        candidates=RANK_CANDIDATES,
    )
    if not section.total.value and fulltext.is_postgres():
        # No word matched: the most recent claims with words spelled like the
        # query's (a typo). Trigram word similarity, computed on a bounded set
        # (a trigram index scan for short, common trigrams reads most rows).
        without_text = ExportScope(
            workspace=scope.workspace,
            filters={k: v for k, v in scope.filters.items() if k != "q"},
        )
        recent = list(
            without_text.claims().order_by("-pk").values_list("pk", flat=True)[:SIMILAR_CANDIDATES]
        )
        similar = (
            claim_rows(Claim.objects.filter(pk__in=recent))
            .annotate(similarity=TrigramWordSimilarity(text, "statement"))
            .filter(similarity__gte=SIMILARITY)
            .order_by("-similarity", "-pk")
        )
        section.items = list(similar[:size])
        section.similar = bool(section.items)
    decorate(scope.workspace, section.items)
    return section


def search_articles(workspace: Workspace, text: str, *, page: int = 1, size: int) -> Section:
    section = Section("articles", page=page)
    _ranked(
        section,
        fulltext.matching(Article.objects.filter(workspace=workspace), fulltext.ARTICLES, text),
        lambda rows: rows.select_related("outlet").only(
            "id", "title", "published_on", "imported_at", "outlet__name", "workspace_id"
        ),
        fulltext.ARTICLES,
        text,
        size=size,
        candidates=ARTICLE_CANDIDATES,
    )
    return section


def search_evidence(workspace: Workspace, text: str, *, page: int = 1, size: int) -> Section:
    section = Section("evidence", page=page)
    _ranked(
        section,
        fulltext.matching(Evidence.objects.filter(workspace=workspace), fulltext.EVIDENCE, text),
        lambda rows: rows.select_related("claim", "publisher").only(
            "id",
            "title",
            "url",
            "stance",
            "kind",
            "published_on",
            "claim_id",
            "claim__statement",
            "publisher__name",
            "workspace_id",
        ),
        fulltext.EVIDENCE,
        text,
        size=size,
        candidates=RANK_CANDIDATES,
    )
    return section


def search_sources(workspace: Workspace, text: str, *, page: int = 1, size: int) -> Section:
    """Sources by name (typos allowed), alias or description."""
    section = Section("sources", page=page)
    base = Source.objects.filter(workspace=workspace).only(
        "id", "name", "kind", "reliability", "protected", "aliases", "workspace_id"
    )
    text = fulltext.clean_query(text)
    by_name = fulltext.similar_names(base, "name", text)
    by_text = fulltext.matching(base, fulltext.SOURCES, text)
    found = base.filter(pk__in=by_name.values("pk")) | base.filter(pk__in=by_text.values("pk"))
    offset = (page - 1) * size
    if fulltext.is_postgres():
        ordered = found.annotate(similarity=TrigramWordSimilarity(text, "name")).order_by(
            "-similarity", "name"
        )
        rows = list(ordered[offset : offset + size + 1])
        section.total = capped_count(found, RANK_CANDIDATES)
    else:
        rows = list(found.order_by("name")[offset : offset + size + 1])
        section.total = capped_count(found, RANK_CANDIDATES)
        if not rows and page == 1 and text:
            # SQLite has no trigram index: compare with every name (bounded).
            names = dict(base.order_by("pk").values_list("pk", "name")[:FUZZY_SOURCES])
            best = process.extract(text, names, scorer=fuzz.WRatio, score_cutoff=80, limit=size)
            order = [key for _, _, key in best]
            by_pk = base.in_bulk(order)
            rows = [by_pk[pk] for pk in order if pk in by_pk]
            section.similar = bool(rows)
    section.items, section.has_next = rows[:size], len(rows) > size
    return section
