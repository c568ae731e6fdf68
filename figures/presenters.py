"""What the figures page shows of each stored category: its data and chart."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.urls import reverse

from figures.charts import Chart, chart_for
from figures.models import FigureCategory
from figures.selectors import (
    CATEGORIES_PER_PAGE,
    category_page,
    figure_summary,
    latest_reconcile_job,
)
from workspaces.models import Workspace


@dataclass
class CategoryView:
    row: FigureCategory
    chart: Chart | None

    @property
    def data(self) -> dict[str, Any]:
        return self.row.data

    @property
    def title(self) -> str:
        d = self.data
        if not {"outcome", "population", "place"} <= set(d):
            return self.row.label
        who = d["population"]
        if d.get("subgroups"):
            who = f"{who} ({', '.join(d['subgroups'])})"
        return f"{d['outcome']} · {who} · {d['place']}"


def claim_links(workspace: Workspace) -> dict[str, str]:
    """The claims' address up to their id, reversed once for the whole page
    (hundreds of links: one reverse instead of one each)."""
    marker = 987654321
    url = reverse("claim_detail", args=[workspace.slug, marker])
    return {"claim_prefix": url[: url.index(str(marker))]}


def figures_page_context(*, workspace: Workspace, start: int) -> dict[str, Any]:
    """The summary, one page of categories with their charts, and the reconcile job."""
    summary = figure_summary(workspace=workspace)
    page = category_page(workspace=workspace, start=start)
    views = [CategoryView(row, chart_for(row.data, row.label)) for row in page.categories]
    return {
        "summary": summary,
        "page": page,
        "categories": views,
        "last_shown": page.first + len(views) - 1,
        "per_page": CATEGORIES_PER_PAGE,
        "reconcile_job": latest_reconcile_job(workspace=workspace),
        **claim_links(workspace),
    }
