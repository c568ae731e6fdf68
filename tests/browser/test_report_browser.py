"""The HTML audit report in a real browser: a saved copy opens styled with the
network cut off, and the in-app view is styled under the app's CSP (no
violation reported)."""

import pytest
from django.urls import reverse

from tests.conftest import PASSWORD
from tests.exports.world import build_world, export_bytes


@pytest.fixture
def world(workspace, analyst, reviewer, monitor, ministry, agency):
    return build_world(
        workspace=workspace,
        analyst=analyst,
        reviewer=reviewer,
        monitor=monitor,
        ministry=ministry,
        agency=agency,
    )


def _styles(page) -> dict:
    return page.evaluate(
        """() => {
          const mark = getComputedStyle(document.querySelector('.quote mark'));
          const quote = getComputedStyle(document.querySelector('.quote'));
          const table = getComputedStyle(document.querySelector('table.evidence'));
          return {mark: mark.backgroundColor, border: quote.borderLeftStyle,
                  layout: table.tableLayout};
        }"""
    )


STYLED = {"mark": "rgb(253, 230, 138)", "border": "solid", "layout": "fixed"}


def test_a_saved_report_opens_styled_with_no_network(world, analyst, page, tmp_path):
    path = tmp_path / "report.html"
    path.write_bytes(export_bytes(workspace=world.workspace, actor=analyst, format="html"))
    requests = []

    def refuse(route):
        requests.append(route.request.url)
        route.abort()

    page.context.route(
        "**/*",
        lambda route: route.continue_() if route.request.url.startswith("file:") else refuse(route),
    )
    page.goto(path.as_uri())
    assert _styles(page) == STYLED
    assert requests == []  # it asked the network for nothing
    page.screenshot(path=str(tmp_path / "report-offline.png"), full_page=False)


def test_the_in_app_report_is_styled_under_the_csp(world, analyst, page, live_server):
    violations = []
    page.on(
        "console", lambda msg: "Content Security Policy" in msg.text and violations.append(msg.text)
    )
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill(analyst.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    page.goto(f"{live_server.url}{reverse('export_list', args=[world.workspace.slug])}")
    page.get_by_label("Format").select_option("html")
    with page.expect_navigation():
        page.get_by_role("button", name="Export").click()
    assert _styles(page) == STYLED
    assert violations == []
