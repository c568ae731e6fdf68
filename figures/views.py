"""The figures pages: the reconciliation by category (read from the stored
summary, never recomputed on request), and the figures still needing scope."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from claims.services.rescope import figures_rescope
from figures.presenters import claim_links, figures_page_context
from figures.selectors import UNSCOPED_PER_PAGE, category_at, unscoped_figures
from figures.services import reconcile_start
from workspaces.access import ADMINS, ANNOTATORS
from workspaces.http import get_workspace, parse_int


@require_GET
def figures(request: HttpRequest, slug: str) -> HttpResponse:
    workspace = get_workspace(request, slug)
    start = max(1, parse_int(request.GET.get("from"), default=1))
    context = {"workspace": workspace, **figures_page_context(workspace=workspace, start=start)}
    return render(request, "figures/figures.html", context)


@require_GET
def figures_category(request: HttpRequest, slug: str, rank: int) -> HttpResponse:
    """Every stored figure of one category: a table, loaded when asked for."""
    workspace = get_workspace(request, slug)
    row = category_at(workspace=workspace, rank=rank)
    context = {"workspace": workspace, "row": row, "data": row.data, **claim_links(workspace)}
    if request.htmx:
        return render(request, "figures/figures.html#category_table", context)
    return render(request, "figures/category_table.html", context)


@require_POST
def figures_reconcile(request: HttpRequest, slug: str) -> HttpResponse:
    workspace = get_workspace(request, slug, roles=ANNOTATORS, action="reconcile figures")
    reconcile_start(workspace=workspace, actor=request.user)
    messages.success(request, "Reconciling the figures; the page updates when it is done.")
    return redirect("figures", slug=workspace.slug)


@require_http_methods(["GET", "POST"])
def figures_unscoped(request: HttpRequest, slug: str) -> HttpResponse:
    """Figures without an outcome, a place or a basis: kept as entered, listed
    for an analyst to complete (or for an admin to read their scope again
    from their wording, once the vocabulary and gazetteer know the words)."""
    workspace = get_workspace(request, slug)
    if request.method == "POST":
        get_workspace(request, slug, roles=ADMINS, action="read figures' scope again")
        changed = figures_rescope(workspace=workspace, actor=request.user)
        messages.success(
            request,
            f"Read the scope of {changed} figure{'s' if changed != 1 else ''} from its wording.",
        )
        return redirect("figures_unscoped", slug=workspace.slug)
    after = max(0, parse_int(request.GET.get("after"), default=0))
    rows = unscoped_figures(workspace=workspace, after=after)
    shown = rows[:UNSCOPED_PER_PAGE]
    return render(
        request,
        "figures/unscoped.html",
        {
            "workspace": workspace,
            "figures": shown,
            "next_after": shown[-1].pk if len(rows) > UNSCOPED_PER_PAGE else None,
            "after": after,
        },
    )
