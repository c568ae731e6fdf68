"""An analyst reviews suggested claims on the article page: accepts one, sees it
highlighted and listed, and dismisses another, all without a reload."""

import pytest

from claims.models import Claim
from claims.services.articles import article_import
from claims.services.sources import source_create
from suggestions.models import ClaimSuggestion
from suggestions.services import suggestions_start
from tests.conftest import PASSWORD, make_member
from workspaces.models import Workspace

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MONITOR_SENTENCE = "The Harbour Watch Collective said at least 212 civilians had been killed."
MINISTRY_SENTENCE = "The Ministry of Coastal Affairs said its forces had acted lawfully."


@pytest.fixture
def suggested_world(transactional_db):

    workspace = Workspace.objects.create(slug="desk", name="Coast desk")
    analyst = make_member(workspace, "ana", "analyst")
    source_create(
        workspace=workspace, actor=analyst, name="Harbour Watch Collective", kind="monitor"
    )
    source_create(
        workspace=workspace, actor=analyst, name="Ministry of Coastal Affairs", kind="government"
    )
    body = f"Shelling hit Verdal on Sunday.\n\n{MONITOR_SENTENCE}\n\n{MINISTRY_SENTENCE}"
    article = article_import(workspace=workspace, actor=analyst, title="Verdal", body=body)
    # Committed for real here: the job runs in-process when the service's transaction commits.
    job = suggestions_start(article=article, actor=analyst)
    job.refresh_from_db()
    assert job.status == "succeeded", job.error
    return {"workspace": workspace, "article": article}


def _row(page, sentence):
    suggestion = ClaimSuggestion.objects.get(quote=sentence)
    return suggestion, page.locator(f"#suggestion-{suggestion.pk}")


def test_an_analyst_accepts_one_suggestion_and_dismisses_another(
    page, login, live_server, suggested_world
):
    workspace, article = suggested_world["workspace"], suggested_world["article"]
    login("ana", PASSWORD)
    page.goto(f"{live_server.url}/w/{workspace.slug}/articles/{article.pk}/")
    page.evaluate("window.__noReload = true")
    page.locator("#suggestions li.suggestion").first.wait_for()
    assert page.locator("#suggestions li.suggestion").count() == 2
    assert page.locator("#claim-list li.claim-item").count() == 0

    _, row = _row(page, MONITOR_SENTENCE)
    row.get_by_role("button", name="Accept", exact=False).first.click()
    row.wait_for(state="detached")
    claim = Claim.objects.get(quote=MONITOR_SENTENCE)
    highlight = page.locator(f'#article-text mark[data-claims~="{claim.pk}"]')
    highlight.first.wait_for()
    assert highlight.first.inner_text() == MONITOR_SENTENCE
    assert "kind-figure" in highlight.first.get_attribute("class")
    listed = page.locator("#claim-list li.claim-item")
    assert listed.count() == 1
    assert "Harbour Watch Collective" in listed.first.inner_text()

    dismissed, row = _row(page, MINISTRY_SENTENCE)
    row.get_by_role("button", name="Dismiss", exact=False).click()
    row.wait_for(state="detached")
    page.get_by_text("No pending suggestions.").wait_for()
    dismissed.refresh_from_db()
    assert dismissed.status == ClaimSuggestion.Status.DISMISSED
    assert Claim.objects.count() == 1
    assert page.evaluate("window.__noReload") is True, "the page reloaded instead of swapping"
    assert not page.console_errors, page.console_errors


def test_an_analyst_edits_a_suggestion_before_accepting_it(
    page, login, live_server, suggested_world
):
    workspace, article = suggested_world["workspace"], suggested_world["article"]
    login("ana", PASSWORD)
    page.goto(f"{live_server.url}/w/{workspace.slug}/articles/{article.pk}/")
    suggestion, row = _row(page, MINISTRY_SENTENCE)
    row.get_by_role("button", name="Edit", exact=False).click()
    page.locator("#claim-form").wait_for()
    assert page.locator("#id_quote").input_value() == MINISTRY_SENTENCE
    page.fill("#id_statement", "The ministry says its forces acted lawfully")
    page.get_by_role("button", name="Save claim").click()

    page.locator(".claim-detail").wait_for()
    claim = Claim.objects.get(quote=MINISTRY_SENTENCE)
    assert claim.statement == "The ministry says its forces acted lawfully"
    suggestion.refresh_from_db()
    assert (suggestion.status, suggestion.claim_id) == ("accepted", claim.pk)
    page.locator(f'#article-text mark[data-claims~="{claim.pk}"]').first.wait_for()
    row.wait_for(state="detached")
    assert not page.console_errors, page.console_errors


def test_an_analyst_accepts_the_checked_suggestions_at_once(
    page, login, live_server, suggested_world
):
    workspace, article = suggested_world["workspace"], suggested_world["article"]
    login("ana", PASSWORD)
    page.goto(f"{live_server.url}/w/{workspace.slug}/articles/{article.pk}/")
    page.locator("#suggestions li.suggestion").first.wait_for()
    page.locator("#suggestions input.pick").nth(0).check()
    page.locator("#suggestions input.pick").nth(1).check()
    page.get_by_role("button", name="Accept selected").click()
    page.get_by_text("No pending suggestions.").wait_for()
    page.locator("#claim-list li.claim-item").nth(1).wait_for()
    assert page.locator("#article-text mark[data-claims]").count() == 2
    assert set(Claim.objects.values_list("quote", flat=True)) == {
        MONITOR_SENTENCE,
        MINISTRY_SENTENCE,
    }
    assert not page.console_errors, page.console_errors


def test_the_suggest_button_runs_the_job_and_lists_what_it_found(
    page, login, live_server, suggested_world
):

    workspace = suggested_world["workspace"]
    analyst = workspace.memberships.get().user
    article = article_import(
        workspace=workspace,
        actor=analyst,
        title="Verdal, day two",
        body=f"Shelling went on.\n\n{MINISTRY_SENTENCE}",
        suggest=False,  # the analyst starts it with the button below
    )
    login("ana", PASSWORD)
    page.goto(f"{live_server.url}/w/{workspace.slug}/articles/{article.pk}/")
    page.get_by_text("No pending suggestions.").wait_for()
    page.get_by_role("button", name="Suggest claims").click()
    page.locator("#suggestions li.suggestion").first.wait_for()
    assert page.locator("#suggestions li.suggestion").count() == 1
    assert "Succeeded" in page.locator("#suggestion-job").inner_text().title()
    assert not page.console_errors, page.console_errors
