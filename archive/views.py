"""Fetching an article by URL, an evidence item's archive state (polled while
its job runs), archiving again, WARC downloads, re-checking links."""

from __future__ import annotations

import io

from django.core.exceptions import ValidationError
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.text import slugify
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers
from django_htmx.http import HttpResponseStopPolling

from archive.selectors import evidence_with_snapshots, latest_archive_job, snapshot_for_workspace
from archive.services import article_fetch_start, evidence_archive_start, links_recheck_start
from claims.forms import ArticleImportForm
from jobs.http import job_progress_response
from workspaces.http import error_response, get_workspace


@vary_on_headers("HX-Request")
@require_POST
def links_recheck(request: HttpRequest, slug: str) -> HttpResponse:
    workspace = get_workspace(request, slug)
    job = links_recheck_start(workspace=workspace, actor=request.user)
    if request.htmx:
        return job_progress_response(request, workspace, job)
    return redirect("job_list", slug=workspace.slug)


@vary_on_headers("HX-Request")
@require_POST
def article_fetch(request: HttpRequest, slug: str) -> HttpResponse:
    """The import page's "Fetch by URL" form: start the job, show its progress.
    The service checks the role first, then the address (a form error)."""
    workspace = get_workspace(request, slug)
    url = request.POST.get("url", "")
    job, errors = None, []
    try:
        job = article_fetch_start(workspace=workspace, actor=request.user, url=url)
    except ValidationError as exc:
        errors = exc.messages
    if job is not None and not request.htmx:
        return redirect("job_detail", slug=workspace.slug, pk=job.pk)
    context = {
        "workspace": workspace,
        "job": job,
        "fetch_url": "" if job else url,
        "fetch_errors": errors,
    }
    status = 422 if errors else 200
    if request.htmx:
        return render(request, "archive/_fetch_form.html#fetch_form", context, status=status)
    context["form"] = ArticleImportForm(workspace=workspace)
    return render(request, "claims/article_import.html", context, status=status)


@require_http_methods(["GET", "POST"])
def evidence_archive(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """GET: the evidence's archive state, polled while its archive job runs
    (286 once nothing is running). POST: archive (again) now."""
    workspace = get_workspace(request, slug)
    evidence = evidence_with_snapshots(workspace=workspace, pk=pk)
    if request.method == "POST":
        try:
            archive_job = evidence_archive_start(evidence=evidence, actor=request.user)
        except ValidationError as exc:
            return error_response(request, " ".join(exc.messages), status=400)
    else:
        archive_job = latest_archive_job(evidence=evidence)
    context = {
        "workspace": workspace,
        "evidence": evidence,
        "archive_job": archive_job,
        "archive_polled": True,
    }
    response = render(request, "archive/_evidence_archive.html", context)
    if archive_job is None or not archive_job.is_active:
        return HttpResponseStopPolling(response.content)
    return response


@require_GET
def snapshot_download(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """The archived exchange as a WARC file (gzipped, as written)."""
    workspace = get_workspace(request, slug)
    snapshot = snapshot_for_workspace(workspace=workspace, pk=pk)
    host = slugify(snapshot.final_url.split("//", 1)[-1].split("/", 1)[0]) or "page"
    filename = f"snapshot-{snapshot.pk}-{host}-{snapshot.fetched_at:%Y%m%dT%H%M%S}.warc.gz"
    response = FileResponse(
        io.BytesIO(bytes(snapshot.warc)),
        as_attachment=True,
        filename=filename,
        content_type="application/gzip",
    )
    # Two hashes, each named for what it covers: this file (sha256sum of the
    # download gives it), and the archived page's body inside it.
    response["X-WARC-SHA256"] = snapshot.warc_sha256
    response["X-Payload-SHA256"] = snapshot.sha256
    return response
