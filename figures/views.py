"""The figures pages: the reconciliation by category, and figures needing scope."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from workspaces.http import get_workspace


@require_GET
def figures(request: HttpRequest, slug: str) -> HttpResponse:
    workspace = get_workspace(request, slug)
    return render(request, "figures/figures.html", {"workspace": workspace})
