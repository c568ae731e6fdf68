"""Figure rows as the reconciliation reads them (counting.reconcile.FigureRecord).
One query per call, whatever the number of figures: the figures page's job
and the matcher build on it."""

from __future__ import annotations

import datetime

from django.db.models import QuerySet
from django.utils import timezone

from claims.models import Claim, Figure
from counting.reconcile import FigureRecord
from counting.scope import Scope

RECORD_FIELDS = (
    "id",
    "claim_id",
    "position",
    "value",
    "qualifier",
    "value_high",
    "counted",
    "outcome__key",
    "outcome__label",
    "population",
    "subgroups",
    "place_id",
    "place__name",
    "basis",
    "as_of",
    "period_start",
    "period_end",
    "part_of_id",
    "claim__article_id",
    "claim__article__title",
    "claim__article__published_on",
    "claim__article__imported_at",
    "claim__source_id",
    "claim__source__name",
)


def reconcilable(figures: QuerySet[Figure]) -> QuerySet[Figure]:
    """Figures of claims still in play (dismissed claims aside)."""
    return figures.exclude(claim__status=Claim.Status.DISMISSED)


def published(row: dict) -> datetime.date:
    return row["claim__article__published_on"] or timezone.localdate(
        row["claim__article__imported_at"]
    )


def scope_of(row: dict) -> Scope | None:
    if not (row["outcome__key"] and row["place_id"] and row["basis"]):
        return None
    return Scope(
        outcome=row["outcome__key"],
        population=row["population"],
        subgroups=tuple(sorted(row["subgroups"] or ())),
        place=row["place_id"],
        basis=row["basis"],
    )


def figure_records(figures: QuerySet[Figure]) -> list[FigureRecord]:
    """The figures as records, in publication order (the order ties within a
    day are broken by): by the article's date, its import, the claim, the
    figure's position. A figure without an as-of date counts to its period's
    end, else to the article's date."""
    rows = list(figures.values(*RECORD_FIELDS))
    rows.sort(
        key=lambda r: (
            published(r),
            r["claim__article__imported_at"],
            r["claim_id"],
            r["position"],
            r["id"],
        )
    )
    return [
        FigureRecord(
            id=row["id"],
            claim_id=row["claim_id"],
            article_id=row["claim__article_id"],
            source_id=row["claim__source_id"],
            value=row["value"],
            qualifier=row["qualifier"],
            value_high=row["value_high"],
            scope=scope_of(row),
            as_of=row["as_of"] or row["period_end"] or published(row),
            period_start=row["period_start"],
            period_end=row["period_end"],
            part_of=row["part_of_id"],
            order=index,
            counted=row["counted"],
            source_name=row["claim__source__name"],
            article_title=row["claim__article__title"],
            place_name=row["place__name"] or "",
            outcome_label=row["outcome__label"] or "",
        )
        for index, row in enumerate(rows)
    ]
