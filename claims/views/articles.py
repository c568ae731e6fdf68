"""The workspace home (its articles), importing an article, the article page,
and the claims covering one character of it."""

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from claims.forms import ArticleImportForm
from claims.models import Claim
from claims.presenters import article_page_context
from claims.selectors import article_for_workspace, articles_page, claims_for_article
from claims.services.articles import article_import, body_from_upload
from workspaces.access import ANNOTATORS
from workspaces.forms import apply_validation_error
from workspaces.http import get_workspace, parse_int
from workspaces.pagination import page_size
from workspaces.uploads import upload_refusal


@require_GET
def workspace_home(request: HttpRequest, slug: str) -> HttpResponse:
    workspace = get_workspace(request, slug)
    page = articles_page(
        workspace=workspace,
        after=request.GET.get("after", ""),
        before=request.GET.get("before", ""),
        size=page_size(request.GET.get("size")),
    )
    return render(
        request,
        "claims/workspace_home.html",
        {"workspace": workspace, "articles": page, "statuses": Claim.Status.choices},
    )


@require_http_methods(["GET", "POST"])
def article_import_view(request: HttpRequest, slug: str) -> HttpResponse:
    workspace = get_workspace(request, slug, roles=ANNOTATORS, action="import articles")
    form = ArticleImportForm(
        request.POST or None,
        request.FILES or None,
        workspace=workspace,
        upload_refused=upload_refusal(request, "upload"),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if data["upload"]:
                body = body_from_upload(data["upload"].read(), data["upload"].name)
            else:
                body = data["body"]
            article = article_import(
                workspace=workspace,
                actor=request.user,
                title=data["title"],
                body=body,
                outlet=data["outlet"],
                url=data["url"],
                published_on=data["published_on"],
                language=data["language"],
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            return redirect("article_detail", slug=workspace.slug, pk=article.pk)
    status = 422 if form.errors else 200
    return render(
        request, "claims/article_import.html", {"workspace": workspace, "form": form}, status=status
    )


@require_GET
def article_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    workspace = get_workspace(request, slug)
    article = article_for_workspace(workspace=workspace, pk=pk)
    return render(
        request,
        "claims/article_detail.html",
        article_page_context(workspace=workspace, article=article),
    )


@require_GET
def claims_at_offset(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """The claims covering one character: a click on a highlight shows them all,
    so nested and overlapping claims each stay reachable."""
    workspace = get_workspace(request, slug)
    article = article_for_workspace(workspace=workspace, pk=pk)
    offset = parse_int(request.GET.get("offset"))
    claims = list(claims_for_article(article=article).filter(start__lte=offset, end__gt=offset))
    if len(claims) == 1:
        return redirect("claim_detail", slug=workspace.slug, pk=claims[0].pk)
    return render(
        request,
        "claims/article_detail.html#claim_chooser",
        {"workspace": workspace, "article": article, "covering": claims},
    )
