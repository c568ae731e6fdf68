"""The dashboard: computed by a job and stored; every number opens the claims
table filtered to exactly the claims it counts; charts are SVG without
inline styles (CSP)."""

import html as htmllib
import re
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from bench.generate import generate
from dashboard.models import DashboardSummary
from dashboard.services import dashboard_refresh
from jobs.models import Job


@pytest.fixture(scope="module")
def _workspace(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        yield generate(slug="dash", claims=150, seed=7)
        transaction.set_rollback(True)


@pytest.fixture
def workspace(_workspace, db):
    return _workspace


@pytest.fixture
def client(client, workspace):
    client.force_login(get_user_model().objects.get(username="bench-analyst"))
    return client


def _dashboard(client, workspace, **extra):
    return client.get(reverse("dashboard", args=[workspace.slug]), **extra)


NUMBER_LINKS = [
    # A table cell or a link whose text is the number.
    re.compile(r'<a href="(/w/[^"]+/claims/\?[^"]*)">([\d,]+)</a>'),
    # The cards and the queue's bars: the number inside the link.
    re.compile(r'<a href="(/w/[^"]+/claims/\?[^"]*)"><span class="kpi-n">([\d,]+)</span>'),
    re.compile(
        r'<a href="(/w/[^"]+/claims/\?[^"]*)">(?:(?!</a>).)*?<span class="hbar-n">([\d,]+)</span>',
        re.S,
    ),
    # The charts' bars (the number in the bar's title) and their legends.
    re.compile(r'<a href="(/w/[^"]+/claims/\?[^"]*)"><rect [^>]*><title>([\d,]+) '),
    re.compile(
        r'<a href="(/w/[^"]+/claims/\?[^"]*)"><span class="swatch [^"]*"></span>'
        r'[^<]*<span class="muted">([\d,]+)</span>'
    ),
]


def test_every_number_opens_the_claims_it_counts(client, workspace):
    dashboard_refresh(workspace=workspace)
    page = _dashboard(client, workspace).content.decode()
    links = {}
    for pattern in NUMBER_LINKS:
        for url, number in pattern.findall(page):
            links[htmllib.unescape(url)] = int(number.replace(",", ""))
    assert len(links) > 60  # cards, matrix, grades, queue ages, weeks
    # Every kind of number (a sample of the weekly ones: they are many).
    kinds = ("kpi", "verdict=", "grade=", "proposed_to=", "created_from=", "approved_from=")
    checked = sorted(links.items())
    checked = [
        item
        for i, item in enumerate(checked)
        if i % 4 == 0 or not any(k in item[0] for k in kinds[4:])
    ]
    assert all(any(k in url for url, _ in checked) for k in kinds[1:])
    for url, number in checked:
        table = client.get(url).content.decode()
        count = re.search(r'id="claims-count">([\d,]+)\+? claim', table)
        assert count, url
        assert int(count.group(1).replace(",", "")) == number, url


def test_it_shows_the_parts_the_issue_asks_for(client, workspace):
    dashboard_refresh(workspace=workspace)
    page = _dashboard(client, workspace).content.decode()
    for title in (
        "Claims by status over time",
        "Status and verdict",
        "Verdicts over time",
        "Review queue",
        "How long they have waited",
        "Throughput",
        "Claims per source grade",
        "Recent conflicts",
    ):
        assert title in page
    assert page.count("<svg") >= 2 + 6 + 6  # two charts, six age bars, six grade bars
    assert "style=" not in page  # the CSP allows no inline styles
    assert "<script" not in page.split("<main")[1]


def test_the_first_visit_counts_and_later_visits_read_the_stored_summary(
    client, workspace, django_capture_on_commit_callbacks
):
    assert not DashboardSummary.objects.filter(workspace=workspace).exists()
    # The job is sent when the request's transaction commits (here: run
    # in-process at the end of the block); meanwhile the page polls.
    with django_capture_on_commit_callbacks(execute=True):
        first = _dashboard(client, workspace).content.decode()
    assert "Counting this workspace's claims for the first time" in first
    assert 'hx-trigger="every 2s"' in first
    assert DashboardSummary.objects.get(workspace=workspace).data["total"] == 150
    response = _dashboard(client, workspace)
    assert '150</span><span class="kpi-label">claims' in response.content.decode()
    jobs = Job.objects.filter(workspace=workspace, kind=Job.Kind.DASHBOARD).count()
    _dashboard(client, workspace)
    assert Job.objects.filter(workspace=workspace, kind=Job.Kind.DASHBOARD).count() == jobs


def test_an_old_summary_is_counted_again(client, workspace, django_capture_on_commit_callbacks):
    dashboard_refresh(workspace=workspace)
    old = DashboardSummary.objects.get(workspace=workspace)
    DashboardSummary.objects.filter(workspace=workspace).update(
        computed_at=timezone.now() - timedelta(hours=1), data={**old.data, "total": 1}
    )
    with django_capture_on_commit_callbacks(execute=True):
        stale = _dashboard(client, workspace).content.decode()
    assert "counting again now" in stale  # the old numbers meanwhile
    assert '1</span><span class="kpi-label">claims' in stale
    fresh = DashboardSummary.objects.get(workspace=workspace)
    assert fresh.computed_at > timezone.now() - timedelta(minutes=1)
    assert fresh.data["total"] == 150


def test_recount_now_forces_a_refresh(client, workspace, django_capture_on_commit_callbacks):
    dashboard_refresh(workspace=workspace)
    before = DashboardSummary.objects.get(workspace=workspace).computed_at
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("dashboard_refresh", args=[workspace.slug]))
    assert response.status_code == 302
    assert DashboardSummary.objects.get(workspace=workspace).computed_at > before


def test_while_a_worker_counts_the_page_polls_then_stops(client, workspace):
    dashboard_refresh(workspace=workspace)
    job = Job.objects.create(
        workspace=workspace,
        kind=Job.Kind.DASHBOARD,
        target_type=ContentType.objects.get_for_model(workspace),
        target_id=workspace.pk,
        status=Job.Status.RUNNING,
    )
    url = reverse("dashboard", args=[workspace.slug]) + "?poll=1"
    polling = client.get(url, HTTP_HX_REQUEST="true")
    assert polling.status_code == 200
    assert 'hx-trigger="every 2s"' in polling.content.decode()
    Job.objects.filter(pk=job.pk).update(status=Job.Status.SUCCEEDED)
    done = client.get(url, HTTP_HX_REQUEST="true")
    assert done.status_code == 286  # htmx stops polling
    assert 'hx-trigger="every 2s"' not in done.content.decode()
