"""The sources list, and creating or editing a source."""

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from claims.forms import SourceForm
from claims.selectors import source_for_workspace, sources_page
from claims.services.sources import source_create, source_update
from workspaces.access import ANNOTATORS
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
        {"workspace": workspace, "sources": page, "can_edit": workspace.access.can_annotate},
    )


@require_http_methods(["GET", "POST"])
def source_edit(request: HttpRequest, slug: str, pk: int | None = None) -> HttpResponse:
    workspace = get_workspace(request, slug, roles=ANNOTATORS, action="edit sources")
    source = source_for_workspace(workspace=workspace, pk=pk) if pk else None
    form = SourceForm(request.POST or None, instance=source)
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in SourceForm.Meta.fields}
        try:
            if source is None:
                source_create(workspace=workspace, actor=request.user, **fields)
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
