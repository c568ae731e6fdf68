"""The sources list, creating or editing a source, and the proposed changes
to protected sources that wait for an admin."""

import copy

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from claims.forms import SourceForm
from claims.selectors import (
    pending_source_proposals,
    source_for_workspace,
    source_proposal_for_workspace,
    sources_page,
)
from claims.services.sources import (
    PROTECTION_FIELDS,
    protection_changes,
    source_change_decide,
    source_change_propose,
    source_create,
    source_update,
)
from workspaces.access import ADMINS, ANNOTATORS
from workspaces.forms import apply_validation_error
from workspaces.http import get_workspace
from workspaces.pagination import page_size


@require_GET
def source_list(request: HttpRequest, slug: str) -> HttpResponse:
    workspace = get_workspace(request, slug)
    page = sources_page(
        workspace=workspace,
        after=request.GET.get("after", ""),
        before=request.GET.get("before", ""),
        size=page_size(request.GET.get("size")),
    )
    return render(
        request,
        "claims/source_list.html",
        {
            "workspace": workspace,
            "sources": page,
            "can_edit": workspace.access.can_annotate,
            "pending_proposals": pending_source_proposals(workspace=workspace).count()
            if workspace.access.is_admin
            else 0,
        },
    )


@require_http_methods(["GET", "POST"])
def source_edit(request: HttpRequest, slug: str, pk: int | None = None) -> HttpResponse:
    workspace = get_workspace(request, slug, roles=ANNOTATORS, action="edit sources")
    source = source_for_workspace(workspace=workspace, pk=pk) if pk else None
    # The form writes posted values onto its instance: compare with a copy.
    saved = copy.copy(source)
    form = SourceForm(request.POST or None, instance=source)
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in SourceForm.Meta.fields}
        try:
            if source is None:
                source_create(workspace=workspace, actor=request.user, **fields)
            elif not workspace.access.is_admin and protection_changes(saved, fields):
                # Only an admin changes who a protected source is: the rest is
                # saved, the name, aliases or protection go to an admin.
                rest = {k: v for k, v in fields.items() if k not in PROTECTION_FIELDS}
                source_update(source=saved, actor=request.user, **rest)
                source_change_propose(source=saved, actor=request.user, fields=fields)
                messages.info(
                    request,
                    "Your change to the name, aliases or protection of this protected source "
                    "was sent to an admin to accept.",
                )
            else:
                source_update(source=source, actor=request.user, **fields)
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            return redirect("source_list", slug=workspace.slug)
    return render(
        request,
        "claims/source_form.html",
        {"workspace": workspace, "form": form, "source": source},
        status=422 if form.errors else 200,
    )


@require_GET
def source_proposal_list(request: HttpRequest, slug: str) -> HttpResponse:
    workspace = get_workspace(request, slug, roles=ADMINS, action="decide source changes")
    return render(
        request,
        "claims/source_proposals.html",
        {"workspace": workspace, "proposals": pending_source_proposals(workspace=workspace)},
    )


@require_POST
def source_proposal_decide(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    workspace = get_workspace(request, slug, roles=ADMINS, action="decide source changes")
    proposal = source_proposal_for_workspace(workspace=workspace, pk=pk)
    decision = request.POST.get("decision", "")
    if decision not in {"accept", "reject"}:
        messages.error(request, "Choose to accept or reject the proposed change.")
        return redirect("source_proposals", slug=workspace.slug)
    try:
        source_change_decide(proposal=proposal, actor=request.user, accept=decision == "accept")
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request, "Change accepted." if decision == "accept" else "Change rejected."
        )
    return redirect("source_proposals", slug=workspace.slug)
