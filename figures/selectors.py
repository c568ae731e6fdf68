"""Reads for the figures pages: the stored summary, a page of categories, and
the figures still needing scope. A fixed number of queries whatever the size
of the workspace."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q, QuerySet

from claims.models import Claim, Figure
from figures.models import FigureCategory, FigureSummary
from jobs.models import Job
from workspaces.models import Workspace
from workspaces.selectors import get_or_not_found

CATEGORIES_PER_PAGE = 3


UNSCOPED_PER_PAGE = 50


@dataclass
class CategoryPage:
    categories: list[FigureCategory]
    first: int  # rank of the first shown
    next_from: int | None
    previous_from: int | None


def figure_summary(*, workspace: Workspace) -> FigureSummary | None:
    return FigureSummary.objects.filter(workspace=workspace).first()


def category_page(*, workspace: Workspace, start: int = 1) -> CategoryPage:
    """Categories from rank `start`, CATEGORIES_PER_PAGE of them (keyset on the
    unique (workspace, rank) index)."""
    start = max(1, start)
    rows = list(
        FigureCategory.objects.filter(workspace=workspace, rank__gte=start).order_by("rank")[
            : CATEGORIES_PER_PAGE + 1
        ]
    )
    shown = rows[:CATEGORIES_PER_PAGE]
    return CategoryPage(
        categories=shown,
        first=shown[0].rank if shown else start,
        next_from=rows[-1].rank if len(rows) > CATEGORIES_PER_PAGE else None,
        previous_from=max(1, start - CATEGORIES_PER_PAGE) if start > 1 else None,
    )


def category_at(*, workspace: Workspace, rank: int) -> FigureCategory:
    return get_or_not_found(FigureCategory, workspace=workspace, rank=rank)


def latest_reconcile_job(*, workspace: Workspace) -> Job | None:
    return Job.objects.latest_for(kind=Job.Kind.RECONCILE_FIGURES, target=workspace)


def unscoped_figures(*, workspace: Workspace, after: int = 0) -> list[Figure]:
    """Figures without an outcome, a place or a basis, oldest first (keyset on
    id; the partial index on unscoped figures)."""
    rows = (
        Figure.objects.filter(claim__workspace=workspace)
        .filter(Q(outcome__isnull=True) | Q(place__isnull=True) | Q(basis=""))
        .exclude(claim__status=Claim.Status.DISMISSED)
        .filter(id__gt=after)
        .select_related("claim__source", "claim__article", "outcome", "place")
        .only(
            "id",
            "value",
            "qualifier",
            "value_high",
            "counted",
            "population",
            "basis",
            "subgroups",
            "outcome__label",
            "place__name",
            "claim__id",
            "claim__kind",
            "claim__statement",
            "claim__source__name",
            "claim__article__id",
            "claim__article__title",
        )
        .order_by("id")
    )
    return list(rows[: UNSCOPED_PER_PAGE + 1])


def unscoped_count(figures: QuerySet[Figure]) -> int:
    return figures.count()
