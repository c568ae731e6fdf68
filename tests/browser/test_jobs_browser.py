"""An analyst fetches an article by URL in the browser, watches its progress, and
opens the new article.

How the job runs here (documented choice): the first test keeps the job queued
(jobs are really sent, to a queue of this run that no worker reads) and the test
itself then plays the worker with runner.job_execute, so the browser is seen
polling from "queued" to "succeeded" and swapping in the link. The second test
forces in-process (eager) mode, which is what a developer without Redis gets:
the job is done by the time the form's answer arrives. Real workers are
covered by tests/test_worker.py.
"""

from __future__ import annotations

import uuid

import pytest
from playwright.sync_api import expect

from claims.models import Article
from jobs import runner
from jobs.models import Job
from tests.conftest import PASSWORD, make_member
from tests.http_test_server import LocalHTTPServer
from tests.jobs_support import ARTICLE_HTML, jobs_in_process
from workbench.celery import app
from workspaces.models import Workspace

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TITLE = "Dozens killed in coastal clashes"


@pytest.fixture
def desk(transactional_db):
    workspace = Workspace.objects.create(slug="desk", name="Coast desk")
    make_member(workspace, "ana", "analyst")
    return workspace


@pytest.fixture
def news_site(settings):
    settings.FETCH_ALLOWED_HOSTS = ["127.0.0.1:*"]
    with LocalHTTPServer() as server:
        server.add_route("/news/clashes", body=ARTICLE_HTML)
        yield server


@pytest.fixture
def jobs_queued(settings):
    """Send jobs for real, to a queue no worker reads, so they stay queued."""

    queue = f"wbtest-browser-{uuid.uuid4().hex[:12]}"
    settings.CELERY_TASK_DEFAULT_QUEUE = queue
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.JOB_HEARTBEAT_SECONDS = 60
    eager = app.conf.task_always_eager
    app.conf.task_always_eager = False
    yield
    app.conf.task_always_eager = eager
    if settings.REDIS_URL:
        import redis

        client = redis.Redis.from_url(settings.REDIS_URL)
        for key in client.scan_iter(match=f"{queue}*"):
            client.delete(key)
        client.delete(f"_kombu.binding.{queue}", f"_kombu.binding_permanent.{queue}")
        client.close()


def _fetch_in_browser(page, live_server, desk, url):
    page.goto(f"{live_server.url}/w/{desk.slug}/articles/new/")
    page.get_by_label("Article URL").fill(url)
    page.get_by_role("button", name="Fetch", exact=True).click()


def test_it_shows_the_progress_of_a_fetch_and_then_links_to_the_article(
    page, login, live_server, desk, news_site, jobs_queued
):
    login("ana", PASSWORD)
    _fetch_in_browser(page, live_server, desk, news_site.url("/news/clashes"))

    progress = page.locator("#fetch-area .job-progress")
    expect(progress).to_have_attribute("data-job-status", "queued")
    expect(progress.locator("progress")).to_be_visible()
    assert not Article.objects.exists()

    assert runner.job_execute(Job.objects.get().pk) == "succeeded"  # the worker's part

    link = page.get_by_role("link", name=f"Open “{TITLE}”")
    expect(link).to_be_visible()  # swapped in by the next poll
    expect(progress).to_have_attribute("data-job-status", "succeeded")
    link.click()
    expect(page.get_by_role("heading", name=TITLE)).to_be_visible()
    assert page.url.endswith(f"/articles/{Article.objects.get().pk}/")
    assert page.console_errors == []


def test_it_fetches_in_process_without_a_broker(
    page, login, live_server, desk, news_site, settings
):
    with jobs_in_process(settings):
        login("ana", PASSWORD)
        _fetch_in_browser(page, live_server, desk, news_site.url("/news/clashes"))

        expect(page.get_by_role("link", name=f"Open “{TITLE}”")).to_be_visible()
        expect(page.locator("#fetch-area .job-progress")).to_have_attribute(
            "data-job-status", "succeeded"
        )
    assert page.console_errors == []


def test_it_shows_a_refused_address_as_a_form_error(page, login, live_server, desk):
    login("ana", PASSWORD)
    _fetch_in_browser(page, live_server, desk, "file:///etc/passwd")

    expect(
        page.get_by_text("Enter a web address starting with http:// or https://.")
    ).to_be_visible()
    assert not Job.objects.exists()
