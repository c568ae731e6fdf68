"""An analyst selects text with the mouse, saves a claim, and sees it highlighted."""

import pytest

from claims.models import Claim
from claims.services.articles import article_import
from claims.services.claims import claim_create
from claims.services.sources import source_create
from tests.conftest import PASSWORD, make_member
from workspaces.models import Workspace

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def annotated_world(transactional_db):

    workspace = Workspace.objects.create(slug="desk", name="Coast desk")
    analyst = make_member(workspace, "ana", "analyst")
    monitor = source_create(
        workspace=workspace, actor=analyst, name="Monitoring Group", kind="monitor"
    )
    source_create(workspace=workspace, actor=analyst, name="Interior Ministry", kind="government")
    body = (
        "Clashes on the coast\n\n"
        "The monitoring group said 745 civilians were among the dead, most shot at close range.\n\n"
        'The ministry blamed "individual actions" for the violence in the coastal towns. '
        "Café owners said the 🚨 sirens sounded all night."
    )
    article = article_import(
        workspace=workspace, actor=analyst, title="Clashes on the coast", body=body
    )
    outer = claim_create(
        article=article,
        actor=analyst,
        source=monitor,
        quote="The monitoring group said 745 civilians were among the dead, most shot at close range.",
        kind="figure",
    )
    inner = claim_create(
        article=article, actor=analyst, source=monitor, quote="745 civilians", kind="figure"
    )
    return {"workspace": workspace, "article": article, "outer": outer, "inner": inner}


def _drag_select(page, text: str):
    """Select `text` inside the article with a real mouse drag."""
    box = page.evaluate(
        """(needle) => {
            const container = document.getElementById('article-text');
            const walker = document.createTreeWalker(container, NodeFilter.SHOW_TEXT);
            let node;
            while ((node = walker.nextNode())) {
                const at = node.data.indexOf(needle);
                if (at >= 0) {
                    const range = document.createRange();
                    range.setStart(node, at); range.setEnd(node, at + 1);
                    const first = range.getBoundingClientRect();
                    range.setStart(node, at + needle.length - 1); range.setEnd(node, at + needle.length);
                    const last = range.getBoundingClientRect();
                    return {x1: first.left + 1, y1: first.top + first.height / 2,
                            x2: last.right - 1, y2: last.top + last.height / 2};
                }
            }
            return null;
        }""",
        text,
    )
    assert box, f"{text!r} is not in one text node of the article"
    page.mouse.move(box["x1"], box["y1"])
    page.mouse.down()
    page.mouse.move((box["x1"] + box["x2"]) / 2, box["y2"], steps=4)
    page.mouse.move(box["x2"], box["y2"], steps=4)
    page.mouse.up()


def test_an_analyst_selects_text_saves_a_claim_and_sees_it_highlighted(
    page, login, live_server, annotated_world
):
    workspace, article = annotated_world["workspace"], annotated_world["article"]
    login("ana", PASSWORD)
    page.goto(f"{live_server.url}/w/{workspace.slug}/articles/{article.pk}/")
    page.evaluate("window.__noReload = true")

    quote = "sirens sounded all night"
    _drag_select(page, quote)
    form = page.locator("#claim-form")
    form.wait_for()
    assert page.locator("#id_quote").input_value() == quote
    expected_start = article.body.index(quote)  # code points, despite the emoji before it
    assert page.locator("#id_start").input_value() == str(expected_start)
    assert page.locator("#id_end").input_value() == str(expected_start + len(quote))

    page.select_option("#id_source", label="Interior Ministry (Government or ministry, F)")
    page.select_option("#id_kind", "event")
    page.fill("#id_statement", "Sirens sounded all night")
    page.get_by_role("button", name="Save claim").click()

    page.locator(".claim-detail").wait_for()
    claim = Claim.objects.get(quote=quote)
    highlight = page.locator(f'#article-text mark[data-claims~="{claim.pk}"]')
    highlight.first.wait_for()
    assert highlight.first.inner_text() == quote
    assert "kind-event" in highlight.first.get_attribute("class")
    assert page.locator("#claim-list li.claim-item").count() == 3
    assert page.evaluate("window.__noReload") is True, "the page reloaded instead of swapping"
    assert (claim.start, claim.end) == (expected_start, expected_start + len(quote))
    assert not page.console_errors, page.console_errors


def test_nested_claims_both_stay_visible_and_clickable(page, login, live_server, annotated_world):
    workspace, article = annotated_world["workspace"], annotated_world["article"]
    outer, inner = annotated_world["outer"], annotated_world["inner"]
    login("ana", PASSWORD)
    page.goto(f"{live_server.url}/w/{workspace.slug}/articles/{article.pk}/")

    # The nested passage shows two layers; clicking it offers both claims.
    nested = page.locator(f'#article-text mark[data-claims="{outer.pk} {inner.pk}"]')
    assert nested.inner_text() == "745 civilians"
    assert "depth-2" in nested.get_attribute("class")
    nested.click()
    chooser = page.locator(".chooser")
    chooser.wait_for()
    assert chooser.locator("button.claim-open").count() == 2

    # A part of the outer claim outside the inner one opens the outer claim directly.
    page.locator(f'#article-text mark[data-claims="{outer.pk}"]').first.click()
    page.locator(f'.claim-detail[data-claim-id="{outer.pk}"]').wait_for()

    # Clicking the inner claim in the list opens it and marks its highlight.
    page.locator(f'#claim-list button[data-scroll-to="{inner.pk}"]').click()
    page.locator(f'.claim-detail[data-claim-id="{inner.pk}"]').wait_for()
    assert "active" in nested.get_attribute("class")
    assert not page.console_errors, page.console_errors


def test_a_highlight_opens_from_the_keyboard(page, login, live_server, annotated_world):
    workspace, article, outer = (
        annotated_world["workspace"],
        annotated_world["article"],
        annotated_world["outer"],
    )
    login("ana", PASSWORD)
    page.goto(f"{live_server.url}/w/{workspace.slug}/articles/{article.pk}/")
    page.locator(f'#article-text mark[data-starts~="{outer.pk}"]').focus()
    page.keyboard.press("Enter")
    page.locator(".chooser, .claim-detail").first.wait_for()


def test_a_keyboard_user_types_a_quote_instead_of_selecting(
    page, login, live_server, annotated_world
):
    workspace, article = annotated_world["workspace"], annotated_world["article"]
    login("ana", PASSWORD)
    page.goto(f"{live_server.url}/w/{workspace.slug}/articles/{article.pk}/")
    page.locator("#new-claim-button").focus()
    page.keyboard.press("Enter")
    page.locator("#claim-form").wait_for()
    page.locator("#id_quote").fill("individual actions")
    page.select_option("#id_source", label="Interior Ministry (Government or ministry, F)")
    page.get_by_role("button", name="Save claim").click()
    page.locator(".claim-detail").wait_for()
    claim = Claim.objects.get(quote="individual actions")
    assert article.body[claim.start : claim.end] == "individual actions"
    page.locator(f'#article-text mark[data-claims~="{claim.pk}"]').first.wait_for()
