"""Exports: the workspace's exports page, starting an export (streamed, or a
background job for the PDF and large exports), job progress, and downloads of
stored files."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET, require_POST
from django_htmx.http import HttpResponseStopPolling

from claims.models import Article, Claim, Source
from exports.formats.report_html import style_csp_source
from exports.models import Export
from exports.scope import FILTERS, NO_VERDICT
from exports.selectors import (
    EXPORT_ORDER,
    chosen_for_picker,
    export_for_download,
    export_jobs_for_workspace,
    exports_for_workspace,
)
from exports.services.runner import (
    FORMATS,
    export_enqueue,
    export_file_for,
    export_filename,
    export_needs_job,
    export_prepare,
    export_stream,
)
from jobs.models import Job
from jobs.selectors import job_for_workspace
from workspaces.http import get_workspace
from workspaces.pagination import keyset_page

EXPORTS_SHOWN = 25


JOBS_SHOWN = 10


# Shown in the browser rather than saved: the HTML report.
INLINE_FORMATS = {Export.Format.HTML}


class ExportForm(forms.Form):
    format = forms.ChoiceField(choices=Export.Format.choices)
    include_real_names = forms.BooleanField(
        required=False,
        label="Include the real names of protected sources",
        help_text="Admins only. The choice is recorded in the audit trail and printed on the report.",
    )


# The scope fields the exports page shows; a claims list's other filters
# (text, grade, dates...) ride along as hidden fields.
SHOWN_FILTERS = ("article", "source", "status", "verdict", "kind")


def _page_context(request, workspace, form: ExportForm, *, scope_values=None) -> dict:
    scope_values = scope_values or {}
    return {
        "workspace": workspace,
        "form": form,
        "exports": keyset_page(
            exports_for_workspace(workspace=workspace),
            order=EXPORT_ORDER,
            after=request.GET.get("after", ""),
            before=request.GET.get("before", ""),
            size=EXPORTS_SHOWN,
        ),
        "jobs": export_jobs_for_workspace(workspace=workspace)[:JOBS_SHOWN],
        "chosen_articles": chosen_for_picker(
            Article, workspace=workspace, values=scope_values.get("article", [])
        ),
        "chosen_sources": chosen_for_picker(
            Source, workspace=workspace, values=scope_values.get("source", [])
        ),
        "statuses": Claim.Status.choices,
        "verdicts": [*Claim.Verdict.choices, (NO_VERDICT, "No verdict yet")],
        "kinds": Claim.Kind.choices,
        "scope_values": scope_values,
        "hidden_scope": [
            (name, value)
            for name, values in scope_values.items()
            if name not in SHOWN_FILTERS
            for value in values
            if value
        ],
        "is_admin": workspace.access.is_admin,
    }


@require_GET
def export_list(request: HttpRequest, slug: str) -> HttpResponse:
    workspace = get_workspace(request, slug)
    form = ExportForm(initial={"format": request.GET.get("format") or Export.Format.PDF})
    # A claims list can link here with its filters; they preselect the scope.
    scope_values = {name: request.GET.getlist(name) for name in FILTERS}
    return render(
        request,
        "exports/exports.html",
        _page_context(request, workspace, form, scope_values=scope_values),
    )


@require_POST
def export_create(request: HttpRequest, slug: str) -> HttpResponse:
    """Start an export of the workspace, an article or a filtered claims list
    (scope parameters as in a claims list's query string)."""
    workspace = get_workspace(request, slug)
    form = ExportForm(request.POST)
    scope_values = {name: request.POST.getlist(name) for name in FILTERS}
    if form.is_valid():
        data = form.cleaned_data
        try:
            ctx = export_prepare(
                workspace=workspace,
                actor=request.user,
                format=data["format"],
                params=request.POST,
                include_real_names=data["include_real_names"],
                request_base_url=request.build_absolute_uri("/"),
            )
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            if export_needs_job(ctx):
                job = export_enqueue(ctx=ctx)
                messages.success(
                    request,
                    f"{Export.Format(ctx.format).label} of {ctx.claim_count} claims started "
                    f"(job #{job.pk}); it appears below when ready.",
                )
                return redirect("export_list", slug=workspace.slug)
            response = StreamingHttpResponse(
                export_stream(ctx), content_type=FORMATS[ctx.format].content_type
            )
            response["Content-Disposition"] = content_disposition_header(
                ctx.format not in INLINE_FORMATS, export_filename(ctx)
            )
            response["Cache-Control"] = "no-store"
            return _with_report_csp(response, ctx.format)
    return render(
        request,
        "exports/exports.html",
        _page_context(request, workspace, form, scope_values=scope_values),
        status=400,
    )


@require_GET
def export_download(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    workspace = get_workspace(request, slug)
    export = export_for_download(workspace=workspace, pk=pk)
    spec = FORMATS[export.format]
    path = export_file_for(export=export, actor=request.user)
    filename = (
        f"{workspace.slug}-export-{export.pk}-{export.format}"
        f"-{export.created_at:%Y%m%d-%H%M}.{spec.extension}"
    )
    response = FileResponse(
        open(path, "rb"),  # noqa: SIM115  (FileResponse streams and closes it)
        as_attachment=export.format not in INLINE_FORMATS,
        filename=filename,
        content_type=spec.content_type,
    )
    response["Cache-Control"] = "no-store"
    response["X-Content-SHA256"] = export.sha256
    return _with_report_csp(response, export.format)


def _with_report_csp(response: HttpResponse, format: str) -> HttpResponse:
    """The HTML report carries its stylesheet inline: allow that one style, by
    its hash, on the response that serves it (nothing else is loosened)."""
    if format == Export.Format.HTML:
        response._csp_update = {"style-src": [style_csp_source()]}
    return response


@require_GET
def export_job(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """An export job's progress for htmx polling; 286 stops the polling once it ended."""
    workspace = get_workspace(request, slug)
    job = job_for_workspace(workspace=workspace, pk=pk, kind=Job.Kind.EXPORT)
    response = render(
        request, "exports/exports.html#export_job", {"workspace": workspace, "job": job}
    )
    if not job.is_active:
        return HttpResponseStopPolling(response.content)
    return response
