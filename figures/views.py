"""The figures reconciliation page."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from figures.selectors import figures_reconciliation
from workspaces.http import get_workspace


@require_GET
def figures(request: HttpRequest, slug: str) -> HttpResponse:
    workspace = get_workspace(request, slug)
    reconciliation = figures_reconciliation(workspace=workspace)
    return render(
        request,
        "figures/figures.html",
        {"workspace": workspace, "reconciliation": reconciliation},
    )
