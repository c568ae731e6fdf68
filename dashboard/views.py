"""The dashboard page: the stored summary, drawn; a refresh job started when
it is missing or old, which the page polls until the new one is stored."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST
from django.views.decorators.vary import vary_on_headers
from django_htmx.http import HttpResponseStopPolling

from dashboard.presenters import dashboard_context
from dashboard.selectors import active_refresh, summary_for
from dashboard.services import dashboard_request_refresh
from workspaces.http import get_workspace


def _context(request: HttpRequest, workspace, *, force: bool = False) -> dict:
    summary = summary_for(workspace=workspace)
    job = dashboard_request_refresh(
        workspace=workspace, actor=request.user, summary=summary, force=force
    )
    if job is not None:
        # An in-process job (no Redis) has already run when its enqueue committed.
        job.refresh_from_db(fields=["status"])
        if not job.is_active:
            summary = summary_for(workspace=workspace)
    context = {"workspace": workspace, "refreshing": job is not None and job.is_active, "job": job}
    if summary is not None:
        context.update(dashboard_context(workspace=workspace, summary=summary))
    return context


@vary_on_headers("HX-Request")
@require_GET
def dashboard(request: HttpRequest, slug: str) -> HttpResponse:
    workspace = get_workspace(request, slug)
    if request.htmx and request.GET.get("poll"):
        return dashboard_poll(request, workspace)
    return render(request, "dashboard/dashboard.html", _context(request, workspace))


def dashboard_poll(request: HttpRequest, workspace) -> HttpResponse:
    """While a refresh runs: the page's body, polled every 2 s; 286 (stop
    polling) once the new summary is stored."""
    job = active_refresh(workspace=workspace)
    summary = summary_for(workspace=workspace)
    context = {"workspace": workspace, "refreshing": job is not None, "job": job}
    if summary is not None:
        context.update(dashboard_context(workspace=workspace, summary=summary))
    response = render(request, "dashboard/dashboard.html#dashboard_body", context)
    if job is None:
        return HttpResponseStopPolling(response.content)
    return response


@require_POST
def dashboard_refresh_view(request: HttpRequest, slug: str) -> HttpResponse:
    workspace = get_workspace(request, slug)
    dashboard_request_refresh(
        workspace=workspace,
        actor=request.user,
        summary=summary_for(workspace=workspace),
        force=True,
    )
    return redirect("dashboard", slug=workspace.slug)
