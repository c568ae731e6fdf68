"""What every view shares: workspace lookup and error answers for htmx."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django_htmx.http import reswap, retarget

from claims.selectors import workspace_for_user
from claims.services.access import require_role


def get_workspace(request: HttpRequest, slug: str, *, roles=None, action: str = ""):
    """The workspace if the user is a member, else 404 (never 403: do not reveal it).

    With roles, a member in another role gets 403 before any input is read;
    the services check again, so this only makes refusals early and uniform.
    """
    workspace = workspace_for_user(slug=slug, user=request.user)
    if roles is not None:
        require_role(workspace=workspace, user=request.user, roles=roles, action=action)
    return workspace


def render_fragments(
    request: HttpRequest, *fragments: tuple[str, dict], status: int = 200
) -> HttpResponse:
    """Several template partials in one htmx answer (the main swap plus out-of-band ones)."""
    html = "".join(render_to_string(name, context, request=request) for name, context in fragments)
    return HttpResponse(html, status=status)


def error_response(request: HttpRequest, message: str, *, status: int, details=()) -> HttpResponse:
    """A refused action, with its message. htmx shows it in the page's alert area;
    a JSON client gets {"error": message}; a full page load gets a small page."""
    context = {"message": message, "details": list(details), "status": status}
    if getattr(request, "htmx", False):
        response = HttpResponse(
            render_to_string("claims/error.html#alert", context, request=request), status=status
        )
        return reswap(retarget(response, "#alerts"), "innerHTML")
    if "application/json" in request.headers.get("Accept", ""):
        from django.http import JsonResponse

        return JsonResponse({"error": message, "details": list(details)}, status=status)
    return HttpResponse(
        render_to_string("claims/error.html", context, request=request), status=status
    )
