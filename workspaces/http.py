"""What every view shares: the workspace of a request, answers for refused
actions, several fragments in one htmx answer, and parsing small inputs."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django_htmx.http import reswap, retarget

from workspaces.access import require_role
from workspaces.ids import MAX_ID
from workspaces.models import Workspace
from workspaces.selectors import workspace_for_user


def get_workspace(request: HttpRequest, slug: str, *, roles=None, action: str = "") -> Workspace:
    """The workspace if the user is a member, else 404 (never 403: do not reveal it).

    With roles, a member in another role gets 403 before any input is read;
    the services check again, so this only makes refusals early and uniform.
    The workspace carries `access` (a WorkspaceAccess) for the templates.
    """
    workspace = workspace_for_user(slug=slug, user=request.user)
    if roles is not None:
        require_role(workspace=workspace, user=request.user, roles=roles, action=action)
    return workspace


def parse_id(value) -> int | None:
    """A positive id from form or query input; None for anything else."""
    text = str(value if value is not None else "").strip()
    if not text.isdigit():
        return None
    number = int(text)
    return number if 0 < number <= MAX_ID else None


def parse_int(value, *, default: int = -1) -> int:
    """An integer from form input (a version, an offset); `default` when it is not one."""
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        return default
    return number if -MAX_ID <= number <= MAX_ID else default


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
            render_to_string("workspaces/error.html#alert", context, request=request),
            status=status,
        )
        return reswap(retarget(response, "#alerts"), "innerHTML")
    if "application/json" in request.headers.get("Accept", ""):
        return JsonResponse({"error": message, "details": list(details)}, status=status)
    return HttpResponse(
        render_to_string("workspaces/error.html", context, request=request), status=status
    )
