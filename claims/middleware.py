"""Request-wide concerns: a request id for the audit trail, and login everywhere."""

import uuid
from contextvars import ContextVar

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.http import JsonResponse

current_request_id: ContextVar[str] = ContextVar("current_request_id", default="")

# Paths that must answer without a login: the login page itself, static files
# (served by WhiteNoise before this runs in production, by staticfiles in debug)
# and the health check used by load balancers.
PUBLIC_PREFIXES = ("/accounts/login/", "/static/", "/healthz")


class RequestIdMiddleware:
    """Give every request an id that audit events record and responses echo."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.headers.get("X-Request-ID", "")
        request_id = incoming if _looks_like_request_id(incoming) else uuid.uuid4().hex
        request.request_id = request_id
        token = current_request_id.set(request_id)
        try:
            response = self.get_response(request)
        finally:
            current_request_id.reset(token)
        response["X-Request-ID"] = request_id
        return response


def _looks_like_request_id(value: str) -> bool:
    return 8 <= len(value) <= 64 and all(c.isalnum() or c in "-_" for c in value)


class LoginRequiredMiddleware:
    """Every page needs a login; the few public paths are listed above.

    Deny by default so a new view cannot be published by forgetting a decorator.
    API-style requests (htmx, JSON) get a 401 instead of a redirect page.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated or request.path.startswith(PUBLIC_PREFIXES):
            return self.get_response(request)
        if request.headers.get("HX-Request") or "application/json" in request.headers.get(
            "Accept", ""
        ):
            return JsonResponse({"error": "Authentication required."}, status=401)
        return redirect_to_login(request.get_full_path(), settings.LOGIN_URL)
