"""Project-level views: the health check used by load balancers, and the
answer to a locked-out sign-in."""

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.forms import AuthenticationForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET


@login_not_required
@require_GET
def healthz(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain")


def lockout_message() -> str:
    minutes = max(1, round(settings.AXES_COOLOFF_TIME.total_seconds() / 60))
    return (
        f"Too many failed sign-ins for this account from your address "
        f"({settings.AXES_FAILURE_LIMIT} in a row). Sign-in is blocked for {minutes} "
        "minutes from the last try; a workspace admin can unlock you sooner."
    )


def login_locked_out(request: HttpRequest, original_response=None, credentials=None):
    """django-axes' answer to a locked-out sign-in: the login page, saying why (429)."""
    username = (credentials or {}).get("username") or request.POST.get("username", "")
    form = AuthenticationForm(request, initial={"username": username[:150]})
    form.cleaned_data = {}
    form.add_error(None, lockout_message())
    return render(
        request,
        "registration/login.html",
        {"form": form, "next": request.POST.get("next", "")[:2000]},
        status=429,
    )
