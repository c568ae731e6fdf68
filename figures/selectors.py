"""Reads for the figures page: every figure of a workspace as the
reconciliation reads them."""

from __future__ import annotations

from django.utils import timezone

from claims.models import Claim, Figure
from counting.figures import FigureRecord, Reconciliation, reconcile
from workspaces.models import Workspace


def figure_records(*, workspace: Workspace) -> list[FigureRecord]:
    """Every figure of the workspace's claims (dismissed claims aside), as the
    reconciliation reads them, dated by the article's publication date, else
    its import date. One query."""
    rows = (
        Figure.objects.filter(claim__workspace=workspace)
        .exclude(claim__status=Claim.Status.DISMISSED)
        .values(
            "id",
            "claim_id",
            "counted",
            "value",
            "qualifier",
            "position",
            "claim__article_id",
            "claim__article__title",
            "claim__article__published_on",
            "claim__article__imported_at",
            "claim__source_id",
            "claim__source__name",
        )
        .order_by("claim__article__imported_at", "claim_id", "position", "id")
    )
    return [
        FigureRecord(
            id=row["id"],
            claim_id=row["claim_id"],
            article_id=row["claim__article_id"],
            article_title=row["claim__article__title"],
            source_id=row["claim__source_id"],
            source_name=row["claim__source__name"],
            counted=row["counted"],
            value=row["value"],
            qualifier=row["qualifier"],
            on=row["claim__article__published_on"]
            or timezone.localdate(row["claim__article__imported_at"]),
            order=index,
        )
        for index, row in enumerate(rows)
    ]


def figures_reconciliation(*, workspace: Workspace) -> Reconciliation:
    return reconcile(figure_records(workspace=workspace))
