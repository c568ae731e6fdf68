"""Autocomplete for articles and sources (instead of dropdowns of every row):
at most 20 suggestions as JSON, for static/js/picker.js."""

from django.http import HttpRequest, JsonResponse
from django.views.decorators.http import require_GET

from claims.selectors import articles_to_pick, sources_to_pick
from workspaces.http import get_workspace


@require_GET
def article_pick(request: HttpRequest, slug: str) -> JsonResponse:
    workspace = get_workspace(request, slug)
    articles = articles_to_pick(workspace=workspace, text=request.GET.get("q", ""))
    return JsonResponse(
        {
            "results": [
                {
                    "id": a.pk,
                    "label": a.title,
                    "detail": " · ".join(
                        part
                        for part in (
                            a.outlet.name if a.outlet else "",
                            a.published_on.isoformat() if a.published_on else "",
                            f"#{a.pk}",
                        )
                        if part
                    ),
                }
                for a in articles
            ]
        }
    )


@require_GET
def source_pick(request: HttpRequest, slug: str) -> JsonResponse:
    workspace = get_workspace(request, slug)
    sources = sources_to_pick(workspace=workspace, text=request.GET.get("q", ""))
    return JsonResponse(
        {
            "results": [
                {
                    "id": s.pk,
                    "label": s.name,
                    "detail": f"{s.get_kind_display()} · grade {s.reliability} · #{s.pk}",
                }
                for s in sources
            ]
        }
    )
