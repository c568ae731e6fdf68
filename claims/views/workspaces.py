from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from claims.models import Claim
from claims.selectors import articles_with_claim_counts, memberships_for_user
from claims.views.common import get_workspace


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    memberships = list(memberships_for_user(request.user))
    if len(memberships) == 1:
        return redirect("workspace_home", slug=memberships[0].workspace.slug)
    return render(request, "claims/home.html", {"memberships": memberships})


@require_GET
def workspace_home(request: HttpRequest, slug: str) -> HttpResponse:
    workspace = get_workspace(request, slug)
    articles = articles_with_claim_counts(workspace=workspace)
    return render(
        request,
        "claims/workspace_home.html",
        {"workspace": workspace, "articles": articles, "statuses": Claim.Status.choices},
    )


@require_GET
def healthz(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain")
