"""F6: sign-in throttling (django-axes) and session lifetimes.

40 wrong passwords in 14 s, then the right one, used to sign in. Now, after
LOGIN_FAILURE_LIMIT failures for one user from one address, sign-in is
refused with a clear message (even with the right password) until the wait
is over or an admin unlocks; every lockout is audited in the user's
workspaces. Sessions end when idle too long, and after a maximum age."""

import datetime
import time

import pytest
from axes.models import AccessAttempt
from django.test import Client
from django.urls import reverse

from audit.models import AuditEvent
from tests.conftest import PASSWORD
from workspaces.models import Membership

LOGIN = "/accounts/login/"


def _try(client, username, password, address="10.0.0.7"):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=address)


def test_it_locks_out_after_repeated_failures_even_with_the_right_password(
    settings, analyst, workspace
):
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert _try(client, "ana", "wrong").status_code == 200
    locked = _try(client, "ana", "wrong")
    assert locked.status_code == 429
    assert "Too many failed sign-ins" in locked.content.decode()
    right = _try(client, "ana", PASSWORD)
    assert right.status_code == 429
    assert "Too many failed sign-ins" in right.content.decode()
    assert "_auth_user_id" not in client.session


def test_the_lockout_is_per_user_and_address(settings, analyst, reviewer, workspace):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _try(Client(), "ana", "wrong")
    # Another address, or another user from the same address, still signs in.
    assert _try(Client(), "ana", PASSWORD, address="10.0.0.8").status_code == 302
    assert _try(Client(), "rita", PASSWORD).status_code == 302


def test_every_lockout_is_audited_in_the_users_workspaces(
    settings, analyst, workspace, other_workspace
):
    Membership.objects.create(workspace=other_workspace, user=analyst, role="reviewer")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _try(Client(), "ana", "wrong")
    events = AuditEvent.objects.filter(object_type="membership", action="update")
    locked = [e for e in events if "login_locked_out" in e.changes]
    assert {e.workspace_id for e in locked} == {workspace.pk, other_workspace.pk}
    assert locked[0].changes["ip_address"] == [None, "10.0.0.7"]
    assert locked[0].actor is None


def test_an_admin_unlocks_a_member(settings, client_for, analyst, admin_user, workspace):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _try(Client(), "ana", "wrong")
    page = client_for(admin_user).get(reverse("member_list", args=[workspace.slug]))
    assert "sign-in locked out" in page.content.decode()
    membership = analyst.memberships.get(workspace=workspace)
    response = client_for(admin_user).post(
        reverse("member_update", args=[workspace.slug, membership.pk]), {"action": "unlock"}
    )
    assert response.status_code == 302
    assert not AccessAttempt.objects.filter(username="ana").exists()
    assert _try(Client(), "ana", PASSWORD).status_code == 302
    unlock = AuditEvent.objects.filter(actor=admin_user, object_type="membership").last()
    assert unlock.changes["login_locked_out"] == [True, False]


def test_a_lockout_expires(settings, analyst, workspace):
    settings.AXES_COOLOFF_TIME = datetime.timedelta(seconds=1)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _try(Client(), "ana", "wrong")
    assert _try(Client(), "ana", PASSWORD).status_code == 429
    time.sleep(1.2)
    assert _try(Client(), "ana", PASSWORD).status_code == 302


@pytest.mark.parametrize("which", ["idle", "absolute"])
def test_sessions_end_when_idle_or_too_old(settings, client_for, analyst, workspace, which):
    client = client_for(analyst)
    home = reverse("workspace_home", args=[workspace.slug])
    assert client.get(home).status_code == 200
    session = client.session
    if which == "idle":
        session["_session_seen_at"] = time.time() - settings.SESSION_IDLE_SECONDS - 5
    else:
        session["_session_started_at"] = time.time() - settings.SESSION_MAX_AGE - 5
        session["_session_seen_at"] = time.time()
    session.save()
    response = client.get(home)
    assert response.status_code == 302 and response["Location"].startswith(LOGIN)
    page = client.get(response["Location"])
    assert "You were signed out" in page.content.decode()


def test_an_active_session_stays(settings, client_for, analyst, workspace):
    client = client_for(analyst)
    home = reverse("workspace_home", args=[workspace.slug])
    for _ in range(3):
        assert client.get(home).status_code == 200
