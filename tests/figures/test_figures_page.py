"""The figures reconciliation page: every figure by category, source and date,
conflicts flagged, parts checked against totals, in a constant number of queries."""

from __future__ import annotations

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from claims.services.articles import article_import
from claims.services.claims import claim_create
from claims.services.sources import source_create
from tests.matching.world import build_world


@pytest.fixture
def world(workspace, analyst, monitor, ministry, agency):
    return build_world(workspace, analyst, monitor, ministry, agency)


def _page(client) -> str:
    response = client.get(reverse("figures", args=["desk-a"]))
    assert response.status_code == 200
    return response.content.decode()


def _category(html: str, label: str) -> str:
    """The HTML of one category's section."""
    match = re.search(
        r'<section class="figure-category[^"]*"[^>]*>\s*<h2[^>]*>'
        + re.escape(label)
        + r"\b.*?</section>",
        html,
        re.S,
    )
    assert match, f"no section for {label}"
    return match.group(0)


def test_it_checks_parts_against_the_total(world, client_for, analyst):
    html = _page(client_for(analyst))
    assert "745 + 125 + 148 = 1,018, consistent with more than 1,000 people killed" in html
    assert "parts-consistent" in html


def test_it_flags_a_conflicting_figure_from_another_source(world, client_for, analyst):
    section = _category(_page(client_for(analyst)), "people killed")
    assert "has-conflict" in section
    assert "Interior Ministry: 300" in section
    assert "more than 10% apart" in section


def test_it_shows_a_later_higher_figure_of_the_same_source_as_an_update(world, client_for, analyst):
    section = _category(_page(client_for(analyst)), "people killed")
    assert 'class="figure-entry role-update"' in section
    assert "updates more than 1,000 of 9 Mar 2025" in section
    assert "Monitoring Group: 1,311" in section  # compared on its latest figure
    assert "Monitoring Group: more than 1,000" not in section


def test_it_counts_the_relayed_figure_as_a_repeat_not_a_conflict(world, client_for, analyst):
    section = _category(_page(client_for(analyst)), "people killed")
    assert 'class="figure-entry role-repeat"' in section
    assert 'class="figure-entry role-conflict"' not in section


def test_it_groups_civilian_deaths_with_civilians_killed(world, client_for, analyst):
    section = _category(_page(client_for(analyst)), "civilians killed")
    assert "Coast Hospital" in section and "Monitoring Group" in section
    assert "has-conflict" not in section  # 740 and 745 agree within 10%


def test_it_gives_the_range_and_latest_per_source(world, client_for, analyst):
    section = _category(_page(client_for(analyst)), "people killed")
    range_line = re.search(r'<p class="range">.*?</p>', section, re.S).group(0)
    assert "<strong>300</strong>" in range_line
    assert "<strong>1,311</strong>" in range_line
    for date in ("8 Mar 2025", "9 Mar 2025", "10 Mar 2025"):
        assert f">{date}</th>" in section


def test_it_dates_an_undated_article_by_its_import(workspace, analyst, monitor, client_for):
    article = article_import(workspace=workspace, actor=analyst, title="Undated", body="12 dead.")
    claim_create(
        article=article,
        actor=analyst,
        source=monitor,
        quote="12 dead",
        figures=[{"value": "12", "qualifier": "exact", "counted": "dead"}],
    )
    section = _category(_page(client_for(analyst)), "dead")
    imported = timezone.localdate(article.imported_at)
    assert f">{imported.day} {imported:%b %Y}</th>" in section


def test_a_reviewer_may_read_the_page(world, client_for, reviewer):
    assert "745 + 125 + 148" in _page(client_for(reviewer))


def test_it_shows_nothing_of_another_workspace(world, client_for, outsider, other_workspace):
    source = source_create(workspace=other_workspace, actor=outsider, name="Elsewhere Monitor")
    article = article_import(
        workspace=other_workspace, actor=outsider, title="Far away", body="99 people killed."
    )
    claim_create(
        article=article,
        actor=outsider,
        source=source,
        quote="99 people killed",
        figures=[{"value": "99", "qualifier": "exact", "counted": "people killed"}],
    )
    client = client_for(outsider)
    assert client.get(reverse("figures", args=["desk-a"])).status_code == 404
    html = client.get(reverse("figures", args=["desk-b"])).content.decode()
    assert "Elsewhere Monitor" in html
    assert "Monitoring Group" not in html


def test_it_links_the_page_from_the_navigation(world, client_for, analyst):
    html = client_for(analyst).get(reverse("workspace_home", args=["desk-a"])).content.decode()
    assert f'href="{reverse("figures", args=["desk-a"])}"' in html


def test_it_says_when_there_are_no_figures(workspace, analyst, client_for):
    assert "No figures yet" in _page(client_for(analyst))


def test_its_query_count_does_not_grow_with_the_figures(
    world, workspace, analyst, client_for, django_assert_num_queries
):
    client = client_for(analyst)
    with CaptureQueriesContext(connection) as few:
        _page(client)
    extra = source_create(workspace=workspace, actor=analyst, name="Second Monitor")
    for day in range(1, 6):
        article = article_import(
            workspace=workspace,
            actor=analyst,
            title=f"Day {day}",
            body=f"{day * 100} people were killed and {day * 10} children died.",
            published_on=datetime.date(2025, 4, day),
        )
        claim_create(
            article=article,
            actor=analyst,
            source=extra,
            quote=f"{day * 100} people were killed",
            figures=[
                {"value": str(day * 100), "qualifier": "exact", "counted": "people killed"},
                {"value": str(day * 10), "qualifier": "exact", "counted": "children killed"},
            ],
        )
    assert len(few.captured_queries) == 5  # session, user, workspace, membership, figures
    with django_assert_num_queries(5):
        html = _page(client)
    assert "Second Monitor" in html
