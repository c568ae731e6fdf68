"""In a real browser: an analyst confirms a proposed match from the claim panel,
and re-places an orphaned claim on a new version by selecting its passage."""

import pytest

from claims.models import Claim, ClaimLink
from claims.services.articles import article_import
from claims.services.claims import claim_create
from claims.services.sources import source_create
from claims.services.versions import article_version_import
from matching.models import LinkProposal
from matching.services import matches_find_start
from tests.conftest import PASSWORD, make_member
from tests.jobs_support import jobs_in_process
from vocabulary.services import place_create
from workspaces.models import Workspace

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _jobs_run_in_process(settings):
    """Jobs run in-process here, even where REDIS_URL is set (CI)."""
    with jobs_in_process(settings):
        yield


OLD = (
    "Shelling hit Verdal on Sunday, the monitor said.\n\n"
    "Residents said gunmen fired at close range near the market."
)
NEW = (
    "Shelling hit Verdal on Sunday, the monitor said.\n\n"
    "Witnesses described men with rifles shooting people in the market square."
)


@pytest.fixture
def desk(transactional_db):

    workspace = Workspace.objects.create(slug="desk", name="Coast desk")
    analyst = make_member(workspace, "ana", "analyst")
    monitor = source_create(workspace=workspace, actor=analyst, name="Harbour Watch")
    # Figures are compared within one scope: the same place and basis.
    place_create(workspace=workspace, actor=analyst, name="Verdal", level="district")
    scope = {"place": "Verdal", "basis": "incident"}
    ministry = source_create(workspace=workspace, actor=analyst, name="Coast Ministry")
    first = article_import(workspace=workspace, actor=analyst, title="Verdal shelled", body=OLD)
    second = article_import(
        workspace=workspace,
        actor=analyst,
        title="Ministry on Verdal",
        body="The ministry said 40 people were killed in Verdal on Sunday.",
    )
    toll = claim_create(
        article=first,
        actor=analyst,
        source=monitor,
        quote="Shelling hit Verdal on Sunday",
        figures=[{"value": "200", "qualifier": "exact", "counted": "people killed", **scope}],
    )
    other = claim_create(
        article=second,
        actor=analyst,
        source=ministry,
        quote="40 people were killed in Verdal on Sunday",
        figures=[{"value": "40", "qualifier": "exact", "counted": "people killed", **scope}],
    )
    shooting = claim_create(
        article=first, actor=analyst, source=monitor, quote="gunmen fired at close range"
    )
    return {
        "workspace": workspace,
        "analyst": analyst,
        "first": first,
        "toll": toll,
        "other": other,
        "shooting": shooting,
    }


def test_an_analyst_confirms_a_proposed_conflict(page, login, live_server, desk):

    job = matches_find_start(claim=desk["toll"], actor=desk["analyst"])
    job.refresh_from_db()
    assert job.status == "succeeded", job.error
    proposal = LinkProposal.objects.get()
    login("ana", PASSWORD)
    page.goto(f"{live_server.url}/w/desk/articles/{desk['first'].pk}/")
    page.locator(f'#claim-list button[data-scroll-to="{desk["toll"].pk}"]').click()
    row = page.locator(f"#proposal-{proposal.pk}")
    row.wait_for()
    assert "Possible conflict" in row.inner_text()
    row.get_by_role("button", name="Confirm link").click()
    row.wait_for(state="detached")
    link = ClaimLink.objects.get()
    assert (link.from_claim_id, link.to_claim_id, link.relation) == (
        desk["toll"].pk,
        desk["other"].pk,
        "contradicts",
    )
    assert page.console_errors == []


def test_an_analyst_replaces_an_orphan_by_selecting_its_passage(page, login, live_server, desk):

    new = article_version_import(article=desk["first"], actor=desk["analyst"], body=NEW).article
    orphan = Claim.objects.get(pk=desk["shooting"].pk)
    assert orphan.anchor_state == "orphaned"
    login("ana", PASSWORD)
    page.goto(f"{live_server.url}/w/desk/articles/{new.pk}/")
    box = page.locator(f"#orphan-{orphan.pk}")
    box.wait_for()
    passage = "men with rifles shooting people"
    page.evaluate(
        """(passage) => {
            const text = document.getElementById("article-text");
            const node = Array.from(text.childNodes).find(n => n.textContent.includes(passage));
            const walker = document.createTreeWalker(node, NodeFilter.SHOW_TEXT);
            let leaf = node.nodeType === Node.TEXT_NODE ? node : walker.nextNode();
            while (leaf && !leaf.textContent.includes(passage)) leaf = walker.nextNode();
            const at = leaf.textContent.indexOf(passage);
            const range = document.createRange();
            range.setStart(leaf, at);
            range.setEnd(leaf, at + passage.length);
            const selection = window.getSelection();
            selection.removeAllRanges();
            selection.addRange(range);
        }""",
        passage,
    )
    box.get_by_role("button", name="Use selected text").click()
    assert box.locator("textarea").input_value() == passage
    box.get_by_role("button", name="Re-place here").click()
    page.locator(f'#article-text mark[data-claims~="{orphan.pk}"]').first.wait_for()
    orphan.refresh_from_db()
    assert orphan.article_id == new.pk
    assert NEW[orphan.start : orphan.end] == passage
    assert page.console_errors == []
