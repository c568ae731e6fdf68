"""The whole loop in a real browser: an analyst adds evidence and proposes a
verdict; a reviewer approves it in the queue; the claim shows approved with
its history."""

import pytest

from claims.services.articles import article_import
from claims.services.claims import claim_create
from claims.services.sources import source_create
from tests.conftest import PASSWORD, make_member
from workspaces.models import Workspace

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def loop_world(transactional_db):

    workspace = Workspace.objects.create(slug="desk", name="Coast desk")
    analyst = make_member(workspace, "ana", "analyst")
    make_member(workspace, "rita", "reviewer")
    monitor = source_create(
        workspace=workspace, actor=analyst, name="Monitoring Group", kind="monitor"
    )
    source_create(workspace=workspace, actor=analyst, name="Wire Agency", kind="news_outlet")
    body = "The monitoring group said 745 civilians were among the dead."
    article = article_import(workspace=workspace, actor=analyst, title="Toll rises", body=body)
    claim = claim_create(
        article=article,
        actor=analyst,
        source=monitor,
        quote="745 civilians were among the dead",
        kind="figure",
    )
    return {"workspace": workspace, "article": article, "claim": claim}


def test_analyst_proposes_reviewer_approves_claim_shows_history(
    page, login, live_server, loop_world
):
    workspace, article, claim = loop_world["workspace"], loop_world["article"], loop_world["claim"]

    login("ana", PASSWORD)
    page.goto(f"{live_server.url}/w/{workspace.slug}/articles/{article.pk}/")
    page.locator(f'#claim-list button[data-scroll-to="{claim.pk}"]').click()
    panel = page.locator(f'.claim-detail[data-claim-id="{claim.pk}"]')
    panel.wait_for()

    page.get_by_text("Add evidence…").click()
    page.select_option("#id_stance", "corroborates")
    page.select_option("#id_kind", "news_report")
    page.fill("#id_title", "Agency count of civilian dead")
    page.select_option("#id_publisher", label="Wire Agency (News outlet, F)")
    page.get_by_role("button", name="Add evidence").click()
    page.locator(".evidence-item", has_text="Agency count of civilian dead").wait_for()
    assert "Corroborates: 1" in page.locator(".stance-counts").inner_text()

    page.select_option(f"#verdict-{claim.pk}", "corroborated")
    page.fill(f"#rationale-{claim.pk}", "The agency's count matches the monitor's.")
    page.get_by_role("button", name="Propose verdict").click()
    page.locator(".claim-detail .status-pending_review").first.wait_for()

    page.get_by_role("button", name="Log out").click()
    login("rita", PASSWORD)
    page.goto(f"{live_server.url}/w/{workspace.slug}/review/")
    row = page.locator(f"#queue-{claim.pk}")
    assert "The agency's count matches the monitor's." in row.inner_text()
    row.get_by_role("button", name="Approve").focus()
    page.keyboard.press("Enter")  # the queue works from the keyboard
    page.locator(f"#queue-{claim.pk}.done").wait_for()

    page.goto(f"{live_server.url}/w/{workspace.slug}/claims/{claim.pk}/")
    detail = page.locator(".claim-detail")
    assert "Approved" in detail.locator(".workflow").inner_text()
    history = detail.locator(".timeline").inner_text()
    assert "propose" in history and "approve" in history
    assert "rita" in history and "ana" in history
    claim.refresh_from_db()
    assert (claim.status, claim.approved_by.username, claim.proposed_by.username) == (
        "approved",
        "rita",
        "ana",
    )
    assert not page.console_errors, page.console_errors
