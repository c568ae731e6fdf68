"""Every list is bounded: each page runs the same number of queries on a
workspace of 100 claims and one of 400 (an N+1, or a list of every row, would
show up as a difference), and lists come a page at a time."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from bench.generate import generate
from dashboard.services import dashboard_refresh
from exports.models import Export
from jobs.models import Job

SMALL, LARGE = 100, 400

PAGES = [
    ("workspace_home", {}),
    ("review_queue", {}),
    ("review_queue", {"kind": "figure"}),
    ("my_claims", {}),
    ("source_list", {}),
    ("export_list", {}),
    ("job_list", {}),
    ("claims_table", {}),
    ("claims_table", {"status": ["new", "approved"], "sort": "oldest"}),
    ("claims_table", {"grade": "A", "has_evidence": "yes", "verdict": "none"}),
    ("claims_table", {"has_conflict": "yes", "size": "25"}),
    ("claims_table", {"assignee": "none", "kind": "event"}),
    ("claims_table", {"q": "killed", "created_from": "2020-01-01"}),
    ("search", {"q": "killed"}),
    ("search", {"q": "Baniyas houses"}),
    ("search", {"q": "Haddad", "type": "sources"}),
    ("dashboard", {}),
    ("article_pick", {"q": "Report"}),
    ("source_pick", {"q": "Ministry"}),
]


@pytest.fixture(scope="module")
def two_sizes(django_db_setup, django_db_blocker):
    """Both workspaces, built once for the module inside a transaction that is
    rolled back at its end (each test runs in a savepoint of it)."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield _build()
        transaction.set_rollback(True)


@pytest.fixture
def sized(two_sizes, db):
    return two_sizes


def _build():
    small = generate(slug="small", claims=SMALL, seed=1)
    large = generate(slug="large", claims=LARGE, seed=1)
    for workspace in (small, large):
        dashboard_refresh(workspace=workspace)
        analyst = workspace.memberships.get(role="analyst", user__username="bench-analyst").user
        Job.objects.bulk_create(
            [Job(workspace=workspace, kind="fetch_article", message=f"job {i}") for i in range(3)]
        )
        Export.objects.create(
            workspace=workspace,
            scope={},
            scope_label="everything",
            format=Export.Format.CSV,
            created_by=analyst,
            sha256="0" * 64,
            size=1,
        )
    return small, large


def _queries(client, name, slug, params) -> tuple[int, int]:
    url = reverse(name, args=[slug])
    client.get(url, params)  # warm the session and the content types
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params)
    assert response.status_code == 200, (name, params, response.content[:500])
    return len(queries), len(response.content)


@pytest.mark.parametrize(("name", "params"), PAGES)
def test_a_page_runs_the_same_queries_at_two_sizes(client, sized, name, params):
    small, large = sized
    client.force_login(get_user_model().objects.get(username="bench-analyst"))
    few, _ = _queries(client, name, small.slug, params)
    many, _ = _queries(client, name, large.slug, params)
    assert few == many, (name, params, few, many)


def _walk(client, url) -> list[str]:
    """Follow the "next" links of a paginated page; the rows' links on each."""
    seen = []
    while url:
        html = client.get(url).content.decode()
        seen.append(html)
        following = re.search(r'rel="next" href="([^"]+)"', html)
        url = url.split("?")[0] + following.group(1).replace("&amp;", "&") if following else None
    return seen


def test_the_claims_table_pages_through_every_claim_once(client, sized):
    _, large = sized
    client.force_login(get_user_model().objects.get(username="bench-analyst"))
    pages = _walk(client, reverse("claims_table", args=[large.slug]) + "?size=25&sort=oldest")
    ids = [int(i) for html in pages for i in re.findall(r'name="claim" value="(\d+)"', html)]
    assert len(pages) == -(-LARGE // 25)
    assert len(ids) == len(set(ids)) == LARGE
    oldest_first = large.claims.order_by("created_at", "id").values_list("pk", flat=True)
    assert ids == list(oldest_first)


def test_the_workspace_home_pages_through_its_articles(client, sized):
    _, large = sized
    client.force_login(get_user_model().objects.get(username="bench-analyst"))
    pages = _walk(client, reverse("workspace_home", args=[large.slug]) + "?size=10")
    titles = [t for html in pages for t in re.findall(r">(Report \d+: [^<]+)</a>", html)]
    assert len(titles) == len(set(titles)) == LARGE // 10
    with CaptureQueriesContext(connection) as queries:
        client.get(reverse("workspace_home", args=[large.slug]))
    assert not [q for q in queries if '"claims_article"."body"' in q["sql"]]


def test_the_review_queue_pages_oldest_first_and_back(client, sized):
    _, large = sized
    client.force_login(get_user_model().objects.get(username="bench-reviewer"))
    url = reverse("review_queue", args=[large.slug])
    pages = _walk(client, url)
    ids = [int(i) for html in pages for i in re.findall(r'id="queue-(\d+)"', html)]
    pending = large.claims.filter(status="pending_review").order_by("proposed_at", "id")
    assert ids == list(pending.values_list("pk", flat=True))
    assert len(pages) > 1
    # Back from the second page: the first page again.
    second = client.get(
        url + re.search(r'rel="next" href="([^"]+)"', pages[0]).group(1).replace("&amp;", "&")
    )
    back = re.search(r'rel="prev" href="([^"]+)"', second.content.decode()).group(1)
    first_again = client.get(url + back.replace("&amp;", "&")).content.decode()
    assert re.findall(r'id="queue-(\d+)"', first_again) == re.findall(r'id="queue-(\d+)"', pages[0])
