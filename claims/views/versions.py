"""Article versions: import an edited text as a new version, see the versions
and the claims left behind on earlier ones, re-place an orphaned claim."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers
from django_htmx.http import HttpResponseClientRedirect, HttpResponseClientRefresh

from claims.forms import NewVersionForm
from claims.selectors import (
    article_for_workspace,
    claim_brief,
    find_article,
    orphans_for_versions,
    version_chain,
)
from claims.services.articles import body_from_upload
from claims.services.versions import article_version_import, claim_replace
from workspaces.access import ANNOTATORS, require_role
from workspaces.forms import apply_validation_error
from workspaces.http import error_response, get_workspace, parse_id, parse_int
from workspaces.uploads import upload_refusal

VERSION_PREFIX = "version"


def _versions_context(workspace, article, form=None) -> dict:
    chain = version_chain(article=article)
    latest = chain[-1]
    return {
        "workspace": workspace,
        "article": article,
        "chain": chain,
        "latest": latest,
        "is_latest": latest.pk == article.pk,
        "position": next((i for i, a in enumerate(chain, start=1) if a.pk == article.pk), 1),
        "orphans": orphans_for_versions(chain=chain, article=article),
        "can_annotate": workspace.access.can_annotate,
        "version_form": form or NewVersionForm(prefix=VERSION_PREFIX),
    }


@vary_on_headers("HX-Request")
@require_GET
def article_versions(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """The versions of an article, its orphaned claims and the new-version form:
    the whole page, or (htmx) the box loaded into the article page."""
    workspace = get_workspace(request, slug)
    article = article_for_workspace(workspace=workspace, pk=pk)
    context = _versions_context(workspace, article)
    if request.htmx:
        return render(request, "claims/article_versions.html#versions_box", context)
    return render(request, "claims/article_versions.html", context)


@vary_on_headers("HX-Request")
@require_http_methods(["POST"])
def article_new_version(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    workspace = get_workspace(request, slug)
    article = article_for_workspace(workspace=workspace, pk=pk)
    require_role(
        workspace=workspace, user=request.user, roles=ANNOTATORS, action="import new versions"
    )
    form = NewVersionForm(
        request.POST,
        request.FILES,
        prefix=VERSION_PREFIX,
        upload_refused=upload_refusal(request, f"{VERSION_PREFIX}-upload"),
    )
    if form.is_valid():
        data = form.cleaned_data
        try:
            if data["upload"]:
                body = body_from_upload(data["upload"].read(), data["upload"].name)
            else:
                body = data["body"]
            imported = article_version_import(
                article=article,
                actor=request.user,
                body=body,
                title=data["title"],
                published_on=data["published_on"],
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            target = redirect("article_detail", slug=workspace.slug, pk=imported.article.pk)
            if request.htmx:
                return HttpResponseClientRedirect(target.url)
            return target
    return render(
        request,
        "claims/article_versions.html",
        _versions_context(workspace, article, form),
        status=422,
    )


def _offset(value) -> int | None:
    """An offset into the text, or None when the analyst typed the quote instead."""
    number = parse_int(value)
    return number if number >= 0 else None


@vary_on_headers("HX-Request")
@require_POST
def claim_replace_view(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """Re-place an orphaned claim on a newer version, where the analyst selected
    or typed its passage."""
    workspace = get_workspace(request, slug)
    claim = claim_brief(workspace=workspace, pk=pk)
    require_role(workspace=workspace, user=request.user, roles=ANNOTATORS, action="re-place claims")

    article = find_article(workspace=workspace, pk=parse_id(request.POST.get("article")))
    if article is None:
        return error_response(
            request, "Choose the version of the article to place the claim on.", status=422
        )

    try:
        claim_replace(
            claim=claim,
            article=article,
            actor=request.user,
            expected_version=parse_int(request.POST.get("version")),
            start=_offset(request.POST.get("start")),
            end=_offset(request.POST.get("end")),
            quote=request.POST.get("quote") or None,
        )
    except ValidationError as exc:
        return error_response(request, " ".join(exc.messages), status=422)
    if request.htmx:
        return HttpResponseClientRefresh()
    return redirect("article_detail", slug=workspace.slug, pk=article.pk)
