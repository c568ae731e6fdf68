"""An analyst enters two reports of one monitor and a breakdown through the
claim form (with type-ahead for the place); the figures page shows one update
and one consistent parts check. A second monitor's figure 25% higher shows one
conflict. Jobs run in-process (the reconcile job after each save)."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest

from claims.models import Figure
from claims.services.articles import article_import
from claims.services.sources import source_create
from tests.conftest import PASSWORD, make_member
from vocabulary.services import place_create
from workspaces.models import Workspace

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"


@pytest.fixture
def desk(transactional_db):
    workspace = Workspace.objects.create(slug="coast", name="Coast desk")
    analyst = make_member(workspace, "ana", "analyst")
    syria = place_create(workspace=workspace, actor=analyst, name="Syria", level="country")
    place_create(
        workspace=workspace,
        actor=analyst,
        name="Latakia",
        level="region",
        parent=syria,
        alternatives=["Lattakia"],
    )
    first = source_create(workspace=workspace, actor=analyst, name="Coast Monitor", kind="monitor")
    second = source_create(
        workspace=workspace, actor=analyst, name="Rights Network", kind="monitor"
    )
    reports = [
        article_import(
            workspace=workspace,
            actor=analyst,
            title=title,
            body=body,
            published_on=datetime.date(2025, 3, day),
            suggest=False,
        )
        for title, body, day in (
            (
                "Monitor counts 200 dead",
                "The monitor said 200 people had been killed since Thursday. "
                "They were 150 civilians and 50 fighters, it said.",
                7,
            ),
            ("Toll rises to 300", "By Saturday the monitor said 300 people had been killed.", 8),
            ("A second count", "A rights network said 375 people had been killed by Saturday.", 8),
        )
    ]
    return {"workspace": workspace, "reports": reports, "first": first, "second": second}


def _new_claim(page, live_server, workspace, article, *, quote, source, figures):
    page.goto(f"{live_server.url}/w/{workspace.slug}/articles/{article.pk}/")
    page.get_by_role("button", name="New claim…").click()
    page.locator("#claim-form").wait_for()
    page.fill("#id_quote", quote)
    page.select_option("#id_source", label=source)
    page.select_option("#id_kind", "figure")
    for index, figure in enumerate(figures):
        prefix = f"#id_fig-{index}-"
        page.fill(prefix + "value", figure["value"])
        page.fill(prefix + "counted", figure["counted"])
        place = page.locator(prefix + "place")
        place.fill("Syr")  # type-ahead offers the gazetteer's place
        option = page.locator(f"#id_fig-{index}-place-options option[value='Syria']")
        option.wait_for(state="attached")
        place.fill("Syria")
        page.select_option(prefix + "basis", "cumulative")
        if "population" in figure:
            page.select_option(prefix + "population", figure["population"])
    page.get_by_role("button", name="Save claim").click()
    page.locator(".claim-detail").wait_for()


def test_an_analyst_sees_an_update_a_parts_check_and_a_conflict(page, login, live_server, desk):
    workspace, (r1, r2, r3) = desk["workspace"], desk["reports"]
    login("ana", PASSWORD)
    monitor = "Coast Monitor (Monitoring group / NGO, F)"
    _new_claim(
        page,
        live_server,
        workspace,
        r1,
        quote="200 people had been killed since Thursday",
        source=monitor,
        figures=[{"value": "200", "counted": "people killed"}],
    )
    _new_claim(
        page,
        live_server,
        workspace,
        r1,
        quote="They were 150 civilians and 50 fighters",
        source=monitor,
        figures=[
            {"value": "150", "counted": "civilians killed", "population": "civilians"},
            {"value": "50", "counted": "fighters killed", "population": "armed_groups"},
        ],
    )
    _new_claim(
        page,
        live_server,
        workspace,
        r2,
        quote="300 people had been killed",
        source=monitor,
        figures=[{"value": "300", "counted": "people killed"}],
    )
    assert Figure.objects.filter(place__name="Syria", basis="cumulative").count() == 4

    page.goto(f"{live_server.url}/w/{workspace.slug}/figures/")
    summary = page.locator(".figures-summary").inner_text()
    assert "1 update timeline" in summary
    assert "0 conflicts" in summary
    assert "1 parts check" in summary
    people = page.locator(
        "section.figure-category", has_text="killed · people (unspecified) · Syria"
    )
    assert people.locator(".badge.parts-consistent").count() == 1
    assert "150 (civilians) + 50 (armed groups) = 200" in people.inner_text()
    assert "200 (7 Mar 2025) → 300 (8 Mar 2025, up 100)" in " ".join(
        people.locator("ul.updates").inner_text().split()
    )

    _new_claim(
        page,
        live_server,
        workspace,
        r3,
        quote="375 people had been killed by Saturday",
        source="Rights Network (Monitoring group / NGO, F)",
        figures=[{"value": "375", "counted": "people killed"}],
    )
    page.goto(f"{live_server.url}/w/{workspace.slug}/figures/")
    assert "1 conflict ·" in page.locator(".figures-summary").inner_text()
    people = page.locator(
        "section.figure-category", has_text="killed · people (unspecified) · Syria"
    )
    conflicts = people.locator("ul.conflicts li")
    assert conflicts.count() == 1
    assert "Coast Monitor: 300 vs Rights Network: 375" in conflicts.first.inner_text()
    assert "differ beyond the 10% tolerance" in conflicts.first.inner_text()
    assert people.locator("svg.timeline-chart .conflict-ring").count() == 2
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "figures-page.png"), full_page=True)
    assert not page.console_errors, page.console_errors
