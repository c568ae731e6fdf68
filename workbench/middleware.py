"""Request-wide concerns: a request id for the audit trail, login everywhere,
and the one place where domain errors become HTTP answers."""

import time
import uuid
from dataclasses import asdict

from csp.constants import HEADER
from csp.middleware import CSPMiddleware as DjangoCSPMiddleware
from csp.utils import build_policy
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.middleware import LoginRequiredMiddleware as DjangoLoginRequired
from django.http import Http404, JsonResponse

from audit.context import current_client_request_id, current_request_id
from claims.exceptions import StaleVersion, TransitionNotAllowed
from workspaces.exceptions import NotAllowed, NotFound
from workspaces.http import error_response
from workspaces.sessions import SEEN, STARTED


class RequestIdMiddleware:
    """Give every request an id of the server's making, which audit events
    record and responses carry. A client's X-Request-ID is never used as the
    id (a client could otherwise make its actions look like another's); it is
    kept only as the events' separate client_request_id."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request_id = uuid.uuid4().hex
        incoming = request.headers.get("X-Request-ID", "")
        client_id = incoming if _looks_like_request_id(incoming) else ""
        request.request_id = request_id
        token = current_request_id.set(request_id)
        client_token = current_client_request_id.set(client_id)
        try:
            response = self.get_response(request)
        finally:
            current_request_id.reset(token)
            current_client_request_id.reset(client_token)
        response["X-Request-ID"] = request_id
        return response


def _looks_like_request_id(value: str) -> bool:
    return 8 <= len(value) <= 64 and all(c.isalnum() or c in "-_" for c in value)


class SessionTimeoutMiddleware:
    """End a session after SESSION_IDLE_SECONDS without a request, and in any
    case SESSION_MAX_AGE seconds after it began; the login page says why."""

    STARTED, SEEN = STARTED, SEEN
    # The last-seen time is written at most this often (a session write each request is waste).
    SEEN_RESOLUTION = 60

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if getattr(request, "user", None) is not None and request.user.is_authenticated:
            now = time.time()
            session = request.session
            started = session.setdefault(self.STARTED, now)
            seen = session.get(self.SEEN, now)
            idle = now - seen > settings.SESSION_IDLE_SECONDS
            if idle or now - started > settings.SESSION_MAX_AGE:
                logout(request)
                messages.info(
                    request,
                    "You were signed out after "
                    + ("a while without activity." if idle else "the longest a session may last.")
                    + " Please sign in again.",
                )
            elif now - seen >= self.SEEN_RESOLUTION or self.SEEN not in session:
                session[self.SEEN] = now
        return self.get_response(request)


class RejectNulMiddleware:
    """A NUL character fits no field (PostgreSQL text cannot hold one), and a
    view that passes a raw value to a query would answer 500: refuse such a
    request at once with 400 and say why. (Forms already refuse NUL.)"""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        for data in [request.GET] + ([request.POST] if request.method == "POST" else []):
            for key, values in data.lists():
                if "\x00" in key or any("\x00" in value for value in values):
                    return error_response(
                        request,
                        "The request holds a NUL character (\\x00), which no field accepts.",
                        status=400,
                    )
        return self.get_response(request)


class LoginRequiredMiddleware(DjangoLoginRequired):
    """Django's deny-by-default login requirement (views opt out with
    @login_not_required: the login page and the health check), except that
    htmx and JSON requests get a 401 instead of a redirect to the login page."""

    def handle_no_permission(self, request, view_func):
        if request.headers.get("HX-Request") or "application/json" in request.headers.get(
            "Accept", ""
        ):
            return JsonResponse({"error": "Authentication required."}, status=401)
        return super().handle_no_permission(request, view_func)


class DomainErrorMiddleware:
    """Domain errors raised anywhere below a view, answered with their message:
    no such object, or not a member -> 404 (a workspace's existence is not revealed), a role that
    may not -> 403, a stale version or a refused workflow step -> 409."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, NotFound):
            raise Http404(str(exception)) from exception
        if isinstance(exception, NotAllowed):
            return error_response(request, str(exception), status=403)
        if isinstance(exception, StaleVersion):
            return error_response(
                request, exception.message, status=409, details=exception.changed_fields
            )
        if isinstance(exception, TransitionNotAllowed):
            return error_response(request, exception.message, status=409)
        return None


class CSPMiddleware(DjangoCSPMiddleware):
    """django-csp, with the header on every response: it leaves DEBUG's 404
    and 500 pages without one (their inline styles then render unstyled)."""

    def process_response(self, request, response):
        response = super().process_response(request, response)
        if HEADER not in response and not getattr(response, "_csp_exempt", False):
            policy = build_policy(
                **asdict(self.get_policy_parts(request=request, response=response))
            )
            if policy:
                response[HEADER] = policy
        return response
