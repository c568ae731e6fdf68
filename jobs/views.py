"""The Jobs page, a job's live progress (polled by htmx), retry and cancel."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST
from django.views.decorators.vary import vary_on_headers

from jobs.http import job_progress_response
from jobs.selectors import job_for_workspace, jobs_page
from jobs.services import job_cancel, job_retry
from workspaces.http import get_workspace
from workspaces.pagination import page_size


@require_GET
def job_list(request: HttpRequest, slug: str) -> HttpResponse:
    workspace = get_workspace(request, slug)
    page = jobs_page(
        workspace=workspace,
        after=request.GET.get("after", ""),
        before=request.GET.get("before", ""),
        size=page_size(request.GET.get("size")),
    )
    return render(request, "jobs/jobs.html", {"workspace": workspace, "jobs": page})


@vary_on_headers("HX-Request")
@require_GET
def job_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """A job's progress: the partial for htmx polls, the Jobs page with just
    this job for a full page load (e.g. after fetching without JavaScript)."""
    workspace = get_workspace(request, slug)
    job = job_for_workspace(workspace=workspace, pk=pk)
    if request.htmx:
        return job_progress_response(request, workspace, job)
    return render(request, "jobs/jobs.html", {"workspace": workspace, "jobs": [job], "single": job})


@vary_on_headers("HX-Request")
@require_POST
def job_retry_view(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    workspace = get_workspace(request, slug)
    job = job_retry(job=job_for_workspace(workspace=workspace, pk=pk), actor=request.user)
    if request.htmx:
        return job_progress_response(request, workspace, job)
    return redirect("job_detail", slug=workspace.slug, pk=job.pk)


@vary_on_headers("HX-Request")
@require_POST
def job_cancel_view(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    workspace = get_workspace(request, slug)
    job = job_cancel(job=job_for_workspace(workspace=workspace, pk=pk), actor=request.user)
    if request.htmx:
        return job_progress_response(request, workspace, job)
    return redirect("job_detail", slug=workspace.slug, pk=job.pk)
