"""The figures page: per category (scope) a timeline chart, updates, ranges,
conflicts with the rule in words, parts checks with their parts; read from the
stored summary the reconcile job writes, in a constant number of queries."""

from __future__ import annotations

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from claims.models import Figure
from claims.services.articles import article_import
from claims.services.claims import claim_create
from claims.services.sources import source_create
from figures.models import FigureCategory, FigureSummary
from figures.selectors import CATEGORIES_PER_PAGE
from figures.services import figures_reconcile
from jobs.models import Job
from tests.matching.world import build_world, figure
from vocabulary.services import place_create


@pytest.fixture
def world(workspace, analyst, monitor, ministry, agency):
    world = build_world(workspace, analyst, monitor, ministry, agency)
    figures_reconcile(workspace=workspace)
    # The jobs the claims queued (sent after a commit a test never reaches)
    # are set aside; the tests reconcile themselves.
    Job.objects.filter(status=Job.Status.QUEUED).update(status=Job.Status.CANCELLED)
    return world


def _page(client, query: str = "") -> str:
    response = client.get(reverse("figures", args=["desk-a"]) + query)
    assert response.status_code == 200
    return response.content.decode()


def _category(html: str, title: str) -> str:
    """The HTML of the category whose title starts with `title`."""
    match = re.search(
        r'<section class="figure-category[^"]*"[^>]*>\s*<header class="category-head">\s*'
        r"<h2[^>]*>" + re.escape(title) + r".*?</section>",
        html,
        re.S,
    )
    assert match, f"no section for {title}"
    return match.group(0)


PEOPLE = "killed · people (unspecified) · Syria"
CIVILIANS = "killed · civilians · Syria"


def test_it_checks_parts_against_the_total_and_names_the_parts(world, client_for, analyst):
    section = _category(_page(client_for(analyst)), PEOPLE)
    assert "745 (civilians) + 125 (security forces) + 148 (armed groups) = 1,018" in section
    assert "consistent with the total, more than 1,000" in section
    assert "parts-consistent" in section
    assert "a breakdown by population in the same report" in section


def test_it_flags_a_conflict_with_the_rule_in_words(world, client_for, analyst):
    section = _category(_page(client_for(analyst)), PEOPLE)
    assert "has-conflict" in section
    assert "Interior Ministry: 300" in section
    assert "differ beyond the 10% tolerance" in section
    assert "more than 1,000 is read as 1,000 or more" in section


def test_a_later_total_of_the_same_source_is_an_update_not_a_conflict(world, client_for, analyst):
    section = _category(_page(client_for(analyst)), PEOPLE)
    updates = re.search(r'<ul class="updates">.*?</ul>', section, re.S).group(0)
    assert "Monitoring Group" in updates
    assert "1,311" in updates and "up 311" in updates
    conflicts = re.search(r'<ul class="conflicts">.*?</ul>', section, re.S).group(0)
    assert "1,311" not in conflicts


def test_the_relayed_toll_is_a_repeat(world, client_for, analyst):
    section = _category(_page(client_for(analyst)), PEOPLE)
    assert "Repeats" in section
    assert "The same source, scope and day (or period), and the figures agree" in section


def test_civilian_deaths_and_civilians_killed_are_one_category(world, client_for, analyst):
    section = _category(_page(client_for(analyst)), CIVILIANS)
    assert "Coast Hospital" in section and "Monitoring Group" in section
    assert "has-conflict" not in section  # 740 and 745 agree within 10%
    assert "<strong>740–745</strong>" in section


def test_it_draws_a_timeline_chart_without_inline_styles(world, client_for, analyst):
    html = _page(client_for(analyst))
    section = _category(html, PEOPLE)
    assert '<svg viewBox="0 0 760 260" role="img"' in section
    assert 'class="series-line"' in section  # the monitor's totals joined
    assert 'class="conflict-ring"' in section
    assert 'class="range-band"' in section
    assert " style=" not in html
    assert "<script>" not in html


def test_it_links_figures_to_their_claims(world, client_for, analyst):
    section = _category(_page(client_for(analyst)), PEOPLE)
    assert reverse("claim_detail", args=["desk-a", world.d_toll.pk]) in section


def test_it_dates_a_figure_without_a_date_by_its_article(workspace, analyst, monitor, client_for):
    place_create(workspace=workspace, actor=analyst, name="Syria", level="country")
    article = article_import(workspace=workspace, actor=analyst, title="Undated", body="12 dead.")
    claim_create(
        article=article,
        actor=analyst,
        source=monitor,
        quote="12 dead",
        figures=[figure(12, "dead", basis="incident")],
    )
    figures_reconcile(workspace=workspace)
    imported = article.imported_at.date()
    assert f"{imported.day} {imported:%b %Y}" in _page(client_for(analyst))


def test_a_reviewer_may_read_the_page(world, client_for, reviewer):
    assert "745 (civilians)" in _page(client_for(reviewer))


def test_it_shows_nothing_of_another_workspace(world, client_for, outsider, other_workspace):
    source = source_create(workspace=other_workspace, actor=outsider, name="Elsewhere Monitor")
    place_create(workspace=other_workspace, actor=outsider, name="Syria", level="country")
    article = article_import(
        workspace=other_workspace, actor=outsider, title="Far away", body="99 people killed."
    )
    claim_create(
        article=article,
        actor=outsider,
        source=source,
        quote="99 people killed",
        figures=[figure(99, "people killed")],
    )
    figures_reconcile(workspace=other_workspace)
    client = client_for(outsider)
    assert client.get(reverse("figures", args=["desk-a"])).status_code == 404
    html = client.get(reverse("figures", args=["desk-b"])).content.decode()
    assert "Elsewhere Monitor" in html
    assert "Monitoring Group" not in html


def test_it_links_the_page_from_the_navigation(world, client_for, analyst):
    html = client_for(analyst).get(reverse("workspace_home", args=["desk-a"])).content.decode()
    assert f'href="{reverse("figures", args=["desk-a"])}"' in html
    assert f'href="{reverse("vocabulary", args=["desk-a"])}"' in html


def test_it_says_when_there_are_no_figures(workspace, analyst, client_for):
    assert "No figures yet" in _page(client_for(analyst))


def test_it_reads_the_stored_summary_and_never_reconciles_on_request(
    world, workspace, analyst, client_for
):
    Figure.objects.filter(claim=world.c_toll).update(value=1000)  # behind the job's back
    assert "Interior Ministry: 300" in _page(client_for(analyst))
    figures_reconcile(workspace=workspace)
    assert "Interior Ministry: 300" not in _page(client_for(analyst))


def test_a_claim_change_queues_the_reconcile_job_which_updates_the_page(
    world, workspace, analyst, monitor, client_for, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        claim_create(
            article=world.d,
            actor=analyst,
            source=world.hospital,
            quote="740 civilians were killed",
            figures=[figure(900, "civilians killed", as_of=datetime.date(2025, 3, 10))],
        )
    job = Job.objects.filter(kind=Job.Kind.RECONCILE_FIGURES).latest("id")
    assert job.status == Job.Status.SUCCEEDED, job.error
    assert "900" in _page(client_for(analyst))


def test_analysts_may_ask_for_a_reconciliation_and_reviewers_may_not(
    world, client_for, analyst, reviewer, django_capture_on_commit_callbacks
):
    url = reverse("figures_reconcile", args=["desk-a"])
    assert client_for(reviewer).post(url).status_code == 403
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(analyst).post(url)
    assert response.status_code == 302
    assert Job.objects.filter(kind=Job.Kind.RECONCILE_FIGURES, status="succeeded").exists()


def _many_categories(workspace, analyst, count: int) -> None:
    """`count` more categories (one place each), each with two sources' figures."""
    country = place_create(workspace=workspace, actor=analyst, name="Elsewhere", level="country")
    sources = [
        source_create(workspace=workspace, actor=analyst, name=f"Extra monitor {n}")
        for n in range(2)
    ]
    article = article_import(
        workspace=workspace, actor=analyst, title="Many places", body="Many counts."
    )
    for n in range(count):
        place = place_create(
            workspace=workspace, actor=analyst, name=f"Town {n}", level="region", parent=country
        )
        for i, source in enumerate(sources):
            claim_create(
                article=article,
                actor=analyst,
                source=source,
                quote="Many counts",
                figures=[figure(100 + 40 * i, "people killed", place=place)],
            )


def test_its_query_count_does_not_grow_with_the_figures(world, workspace, analyst, client_for):
    client = client_for(analyst)
    with CaptureQueriesContext(connection) as few:
        _page(client)
    _many_categories(workspace, analyst, 12)
    figures_reconcile(workspace=workspace)
    assert FigureSummary.objects.get(workspace=workspace).categories > 12
    with CaptureQueriesContext(connection) as many:
        html = _page(client)
    assert "Categories 1–3" in html
    # session, user, workspace, membership, summary, categories, job
    assert len(few.captured_queries) == len(many.captured_queries) == 7


def test_it_pages_through_categories(world, workspace, analyst, client_for):
    _many_categories(workspace, analyst, 5)
    figures_reconcile(workspace=workspace)
    total = FigureCategory.objects.filter(workspace=workspace).count()
    client = client_for(analyst)
    first = _page(client)
    assert first.count('<section class="figure-category') == CATEGORIES_PER_PAGE
    assert f"?from={CATEGORIES_PER_PAGE + 1}" in first
    last = _page(client, f"?from={total}")
    assert last.count('<section class="figure-category') == 1
    assert "Next categories" not in last
    assert "← Previous" in last
    assert _page(client, "?from=banana").count('<section class="figure-category') == 3


def test_conflicts_and_exceeding_parts_come_first(world, workspace):
    first = FigureCategory.objects.filter(workspace=workspace).order_by("rank").first()
    assert first.conflict_count > 0
