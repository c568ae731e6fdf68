"""Issue 12 in a real browser: the login page says why sign-in is locked, and
an analyst's change to a protected source waits for an admin."""

import os
import tempfile
from pathlib import Path

import pytest

from claims.models import Source, SourceChangeProposal
from claims.services.sources import source_create
from tests.conftest import PASSWORD, make_member
from workspaces.models import Workspace

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = Path(os.environ.get("SCREENSHOT_DIR", tempfile.gettempdir()))


@pytest.fixture
def desk(transactional_db):
    workspace = Workspace.objects.create(slug="desk", name="Coast desk")
    analyst = make_member(workspace, "ana", "analyst")
    make_member(workspace, "adam", "admin")
    witness = source_create(
        workspace=workspace,
        actor=analyst,
        name="Ali Sheha",
        kind="witness",
        aliases=["Abu Karim"],
        protected=True,
    )
    return {"workspace": workspace, "witness": witness}


def test_the_login_page_says_why_sign_in_is_locked(page, live_server, desk, settings, tmp_path):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        page.goto(f"{live_server.url}/accounts/login/")
        page.get_by_label("Username").fill("ana")
        page.get_by_label("Password").fill("not-the-password")
        page.get_by_role("button", name="Log in").click()
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    alert = page.locator(".form-errors")
    assert "Too many failed sign-ins" in alert.inner_text()
    assert "/accounts/login/" in page.url
    page.screenshot(path=str(SHOTS / "issue12-login-locked.png"), full_page=True)
    # The browser reports the 429 itself as a failed load; nothing else.
    assert all("status of 429" in error for error in page.console_errors)


def test_an_analysts_change_to_a_protected_source_waits_for_an_admin(
    page, login, live_server, desk
):
    witness = desk["witness"]
    login("ana", PASSWORD)
    page.goto(f"{live_server.url}/w/desk/sources/{witness.pk}/edit/")
    page.get_by_label("Protected").uncheck()
    page.get_by_role("button", name="Save").click()
    page.wait_for_url(f"{live_server.url}/w/desk/sources/")
    assert "sent to an admin" in page.content()
    assert Source.objects.get(pk=witness.pk).protected
    page.screenshot(path=str(SHOTS / "issue12-proposal-sent.png"), full_page=True)

    page.context.clear_cookies()
    login("adam", PASSWORD)
    page.goto(f"{live_server.url}/w/desk/sources/")
    page.get_by_role("link", name="1 proposed change to protected sources").click()
    page.screenshot(path=str(SHOTS / "issue12-proposals.png"), full_page=True)
    page.get_by_role("button", name="Reject").click()
    assert "Change rejected." in page.content()
    assert SourceChangeProposal.objects.get().status == "rejected"
    assert Source.objects.get(pk=witness.pk).protected
    assert not page.console_errors
