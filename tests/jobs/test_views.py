"""Jobs pages: the list, live progress that stops polling, retry, fetch by URL,
evidence archives and WARC downloads; isolation between workspaces."""

from __future__ import annotations

import hashlib
import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from archive.models import Snapshot
from claims.models import Evidence
from jobs.models import Job
from safefetch.fetcher import FetchResult
from safefetch.warc import snapshot_warc
from tests.conftest import make_member
from tests.jobs_support import jobs_in_process

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture(autouse=True)
def in_process(settings):
    with jobs_in_process(settings):
        yield


def _job(workspace, actor=None, **fields) -> Job:
    values = {"kind": Job.Kind.FETCH_ARTICLE, "params": {"url": "https://example.org/a"}}
    values.update(fields)
    return Job.objects.create(workspace=workspace, created_by=actor, **values)


def _snapshot(workspace, *, evidence=None, body=b"<p>archived</p>") -> Snapshot:

    result = FetchResult(
        requested_url="https://example.org/report",
        final_url="https://example.org/report",
        status=200,
        reason="OK",
        headers=[("Content-Type", "text/html")],
        content_type="text/html",
        charset=None,
        body=body,
        peer_ip="93.184.215.14",
        redirects=[],
        fetched_at=timezone.now(),
        http_version="HTTP/1.1",
        request_headers=[("Host", "example.org")],
    )
    warc = snapshot_warc(result)
    return Snapshot.objects.create(
        workspace=workspace,
        evidence=evidence,
        url=result.requested_url,
        final_url=result.final_url,
        status_code=200,
        content_type="text/html",
        sha256=result.sha256,
        warc=warc,
        warc_sha256=hashlib.sha256(warc).hexdigest(),
        fetched_at=result.fetched_at,
    )


@pytest.fixture
def evidence(workspace, claim, analyst):
    return Evidence.objects.create(
        workspace=workspace,
        claim=claim,
        stance="corroborates",
        title="Monitor report",
        url="https://example.org/report",
        added_by=analyst,
    )


# --- The Jobs page ------------------------------------------------------------------------


def test_it_lists_the_workspaces_recent_jobs(client_for, workspace, other_workspace, analyst):
    mine = _job(workspace, analyst, message="Fetching the page…", status="running")
    theirs = _job(other_workspace, params={"url": "https://secret.example/"})

    response = client_for(analyst).get(reverse("job_list", args=[workspace.slug]))

    assert response.status_code == 200
    html = response.content.decode()
    assert f'id="job-{mine.pk}"' in html and "Fetching the page…" in html
    assert "started by ana" in html
    assert f'id="job-{theirs.pk}"' not in html and "secret.example" not in html


def test_it_lists_jobs_with_a_constant_number_of_queries(
    client_for, workspace, analyst, django_assert_num_queries
):
    """Session, user, workspace, membership, jobs with their starters: 5, for 1 job or 13."""
    client = client_for(analyst)
    url = reverse("job_list", args=[workspace.slug])
    other = make_member(workspace, "bob", "analyst")
    _job(workspace, analyst)
    with django_assert_num_queries(5):
        client.get(url)
    for i in range(12):
        _job(workspace, other if i % 2 else analyst, status="failed", error="boom")
    with django_assert_num_queries(5):
        response = client.get(url)
    assert response.content.decode().count('class="job-item"') == 13


def test_it_shows_the_jobs_a_page_at_a_time(client_for, workspace, analyst):
    Job.objects.bulk_create(
        [Job(workspace=workspace, kind="fetch_article", message=f"job {i}") for i in range(105)]
    )
    client = client_for(analyst)
    seen = []
    url = reverse("job_list", args=[workspace.slug])
    while url:
        response = client.get(url)
        html = response.content.decode()
        seen += re.findall(r"job (\d+)<", html)
        following = re.search(r'rel="next" href="([^"]+)"', html)
        url = (
            reverse("job_list", args=[workspace.slug]) + following.group(1).replace("&amp;", "&")
            if following
            else None
        )
        assert html.count('class="job-item"') <= 50
    assert sorted(map(int, seen)) == list(range(105))


def test_it_links_the_jobs_page_from_the_workspace_navigation(client_for, workspace, analyst):
    response = client_for(analyst).get(reverse("workspace_home", args=[workspace.slug]))

    assert f'href="{reverse("job_list", args=[workspace.slug])}"' in response.content.decode()


def test_it_shows_one_job_on_its_own_page(client_for, workspace, analyst):
    job = _job(workspace, analyst, status="failed", error="The server answered 404 Not Found.")

    response = client_for(analyst).get(reverse("job_detail", args=[workspace.slug, job.pk]))

    assert response.status_code == 200
    assert f"Fetch article #{job.pk}" in response.content.decode()


def test_it_sends_anonymous_visitors_to_log_in(client, workspace):
    response = client.get(reverse("job_list", args=[workspace.slug]))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


# --- Live progress -----------------------------------------------------------------------------


def test_it_polls_the_progress_of_an_active_job(client_for, workspace, analyst):
    job = _job(workspace, analyst, status="running", progress_done=1, progress_total=3)

    response = client_for(analyst).get(reverse("job_detail", args=[workspace.slug, job.pk]), **HTMX)

    html = response.content.decode()
    assert response.status_code == 200
    assert 'hx-trigger="every 1s"' in html
    assert '<progress class="job-bar" max="3" value="1"' in html
    assert "<html" not in html  # the partial only


def test_it_stops_polling_when_the_job_has_ended(client_for, workspace, analyst, article):
    job = _job(
        workspace,
        analyst,
        status="succeeded",
        message="Imported “Clashes”.",
        result={"article_id": article.pk, "title": article.title},
    )

    response = client_for(analyst).get(reverse("job_detail", args=[workspace.slug, job.pk]), **HTMX)

    html = response.content.decode()
    assert response.status_code == 286  # htmx swaps this in and stops polling
    assert "hx-trigger" not in html
    assert reverse("article_detail", args=[workspace.slug, article.pk]) in html


def test_it_shows_a_failed_jobs_error_with_a_retry_button(client_for, workspace, analyst):
    job = _job(workspace, analyst, status="failed", error="Refused: 10.0.0.1 is a private address.")

    response = client_for(analyst).get(reverse("job_detail", args=[workspace.slug, job.pk]), **HTMX)

    html = response.content.decode()
    assert response.status_code == 286
    assert "Refused: 10.0.0.1 is a private address." in html
    assert f'hx-post="{reverse("job_retry", args=[workspace.slug, job.pk])}"' in html


def test_it_shows_a_job_that_will_retry_as_retrying(client_for, workspace, analyst):
    job = _job(workspace, analyst, attempts=1, error="Connection reset.", message="Retrying soon")

    response = client_for(analyst).get(reverse("job_detail", args=[workspace.slug, job.pk]), **HTMX)

    html = response.content.decode()
    assert response.status_code == 200
    assert "Retrying</span>" in html and "Last try: Connection reset." in html


def test_it_escapes_job_messages(client_for, workspace, analyst):
    job = _job(workspace, analyst, status="failed", error="<script>alert(1)</script>")

    html = (
        client_for(analyst)
        .get(reverse("job_detail", args=[workspace.slug, job.pk]), **HTMX)
        .content.decode()
    )

    assert "<script>alert(1)" not in html and "&lt;script&gt;" in html


# --- Retry -----------------------------------------------------------------------------------


def _csrf_client(user) -> Client:
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    return client


def _token(client, workspace) -> str:
    client.get(reverse("job_list", args=[workspace.slug]))
    return client.cookies["csrftoken"].value


def test_it_requeues_a_failed_job_on_retry(workspace, analyst):
    job = _job(workspace, analyst, status="failed", error="boom", attempts=3)
    client = _csrf_client(analyst)

    response = client.post(
        reverse("job_retry", args=[workspace.slug, job.pk]),
        HTTP_X_CSRFTOKEN=_token(client, workspace),
        **HTMX,
    )

    job.refresh_from_db()
    assert response.status_code == 200
    assert (job.status, job.attempts, job.error) == ("queued", 0, "")
    assert 'hx-trigger="every 1s"' in response.content.decode()  # polling again


def test_it_refuses_a_retry_without_the_csrf_token(workspace, analyst):
    job = _job(workspace, analyst, status="failed", error="boom")

    response = _csrf_client(analyst).post(reverse("job_retry", args=[workspace.slug, job.pk]))

    assert response.status_code == 403
    assert Job.objects.get(pk=job.pk).status == "failed"


def test_it_refuses_a_retry_by_get(client_for, workspace, analyst):
    job = _job(workspace, analyst, status="failed", error="boom")

    response = client_for(analyst).get(reverse("job_retry", args=[workspace.slug, job.pk]))

    assert response.status_code == 405


def test_it_cancels_a_queued_job(client_for, workspace, analyst):
    job = _job(workspace, analyst)

    response = client_for(analyst).post(
        reverse("job_cancel", args=[workspace.slug, job.pk]), **HTMX
    )

    assert response.status_code == 286
    assert Job.objects.get(pk=job.pk).status == "cancelled"


def test_it_starts_a_link_recheck_from_the_jobs_page(client_for, workspace, analyst):
    response = client_for(analyst).post(reverse("links_recheck", args=[workspace.slug]), **HTMX)

    job = Job.objects.get(kind="recheck_links")
    assert (job.workspace, job.created_by, job.status) == (workspace, analyst, "queued")
    assert f'id="job-{job.pk}"' in response.content.decode()


# --- Fetch by URL ------------------------------------------------------------------------------


def test_it_shows_the_fetch_form_on_the_import_page(client_for, workspace, analyst):
    response = client_for(analyst).get(reverse("article_import", args=[workspace.slug]))

    html = response.content.decode()
    assert "Fetch by URL" in html
    assert f'hx-post="{reverse("article_fetch", args=[workspace.slug])}"' in html


def test_it_hides_the_fetch_form_from_reviewers(client_for, workspace, reviewer):
    response = client_for(reviewer).get(reverse("article_import", args=[workspace.slug]))

    assert "Fetch by URL" not in response.content.decode()


def test_it_starts_a_fetch_job_and_shows_its_progress(client_for, workspace, analyst):
    response = client_for(analyst).post(
        reverse("article_fetch", args=[workspace.slug]),
        {"url": " https://example.org/news/1 "},
        **HTMX,
    )

    job = Job.objects.get()
    html = response.content.decode()
    assert response.status_code == 200
    assert (job.kind, job.params, job.created_by) == (
        "fetch_article",
        {"url": "https://example.org/news/1"},
        analyst,
    )
    assert f'id="job-{job.pk}"' in html and 'hx-trigger="every 1s"' in html
    assert 'id="id_fetch_url"' in html  # the form stays, emptied, for the next URL


def test_it_shows_a_form_error_for_an_address_that_is_not_on_the_web(
    client_for, workspace, analyst
):
    response = client_for(analyst).post(
        reverse("article_fetch", args=[workspace.slug]), {"url": "file:///etc/passwd"}, **HTMX
    )

    html = response.content.decode()
    assert response.status_code == 422
    assert "Enter a web address starting with http:// or https://." in html
    assert 'value="file:///etc/passwd"' in html
    assert not Job.objects.exists()


def test_it_redirects_to_the_job_page_without_htmx(client_for, workspace, analyst):
    response = client_for(analyst).post(
        reverse("article_fetch", args=[workspace.slug]), {"url": "https://example.org/a"}
    )

    job = Job.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("job_detail", args=[workspace.slug, job.pk])


@pytest.mark.parametrize("url", ["https://example.org/a", ""])
def test_it_refuses_reviewers_fetching_articles(client_for, workspace, reviewer, url):
    response = client_for(reviewer).post(
        reverse("article_fetch", args=[workspace.slug]), {"url": url}, **HTMX
    )

    assert response.status_code == 403
    assert not Job.objects.exists()


def test_it_refuses_to_archive_evidence_without_an_address(client_for, workspace, analyst, claim):
    evidence = Evidence.objects.create(
        workspace=workspace, claim=claim, stance="context", title="Phone call", added_by=analyst
    )

    response = client_for(analyst).post(
        reverse("evidence_archive", args=[workspace.slug, evidence.pk]), **HTMX
    )

    assert response.status_code == 400
    assert "no web address to archive" in response.content.decode()
    assert not Job.objects.filter(kind=Job.Kind.ARCHIVE_EVIDENCE).exists()


# --- Evidence archives and WARC downloads -------------------------------------------------------


def test_it_downloads_a_snapshot_as_a_warc_attachment(client_for, workspace, analyst, evidence):
    snapshot = _snapshot(workspace, evidence=evidence)

    response = client_for(analyst).get(
        reverse("snapshot_download", args=[workspace.slug, snapshot.pk])
    )

    assert response.status_code == 200
    assert response.getvalue() == bytes(snapshot.warc)
    assert response["Content-Disposition"].startswith("attachment; filename=")
    assert response["Content-Disposition"].endswith('.warc.gz"')


def test_it_shows_the_archive_in_the_claim_panel(client_for, workspace, analyst, claim, evidence):
    snapshot = _snapshot(workspace, evidence=evidence)
    Evidence.objects.filter(pk=evidence.pk).update(link_state="live")

    html = (
        client_for(analyst)
        .get(reverse("claim_detail", args=[workspace.slug, claim.pk]), **HTMX)
        .content.decode()
    )

    assert (
        f'page SHA-256 <code class="hash" title="SHA-256 of the archived page body: '
        f'{snapshot.sha256}">{snapshot.sha256[:12]}'
    ) in html
    assert f'title="WARC file SHA-256: {snapshot.warc_sha256}"' in html
    assert reverse("snapshot_download", args=[workspace.slug, snapshot.pk]) in html
    assert "link-rotted" not in html


def test_it_flags_a_rotted_link_in_the_claim_panel(client_for, workspace, analyst, claim, evidence):
    _snapshot(workspace, evidence=evidence)
    Evidence.objects.filter(pk=evidence.pk).update(link_state="gone")

    html = (
        client_for(analyst)
        .get(reverse("claim_detail", args=[workspace.slug, claim.pk]), **HTMX)
        .content.decode()
    )

    assert "link-rotted link-gone" in html and "⚠ Gone" in html


def test_it_polls_an_archive_while_its_job_runs(client_for, workspace, analyst, evidence):
    _job(
        workspace,
        analyst,
        kind="archive_evidence",
        target=evidence,
        status="running",
    )

    response = client_for(analyst).get(
        reverse("evidence_archive", args=[workspace.slug, evidence.pk]), **HTMX
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert 'hx-trigger="every 1s"' in html and "<progress" in html


def test_it_stops_polling_an_archive_once_its_job_ended(client_for, workspace, analyst, evidence):
    snapshot = _snapshot(workspace, evidence=evidence)
    Evidence.objects.filter(pk=evidence.pk).update(link_state="live")
    _job(
        workspace,
        analyst,
        kind="archive_evidence",
        target=evidence,
        status="succeeded",
    )

    response = client_for(analyst).get(
        reverse("evidence_archive", args=[workspace.slug, evidence.pk]), **HTMX
    )

    assert response.status_code == 286
    assert snapshot.sha256[:12] in response.content.decode()


def test_it_archives_again_on_request(client_for, workspace, analyst, evidence):
    Evidence.objects.filter(pk=evidence.pk).update(link_state="failed")

    response = client_for(analyst).post(
        reverse("evidence_archive", args=[workspace.slug, evidence.pk]), **HTMX
    )

    job = Job.objects.get(kind="archive_evidence")
    assert response.status_code == 200
    assert (job.target, job.params) == (evidence, {"url": evidence.url})
    assert Evidence.objects.get(pk=evidence.pk).link_state == "unchecked"


# --- Workspace isolation ------------------------------------------------------------------------


def test_it_answers_404_for_another_workspaces_jobs_and_snapshots(
    client_for, workspace, other_workspace, analyst, outsider, evidence
):
    job = _job(workspace, analyst, status="failed", error="boom")
    snapshot = _snapshot(workspace, evidence=evidence)
    jobs_before = Job.objects.count()
    client = client_for(outsider)
    own = other_workspace.slug  # the outsider's own workspace, foreign ids

    for slug in (workspace.slug, own):
        assert client.get(reverse("job_detail", args=[slug, job.pk])).status_code == 404
        assert client.post(reverse("job_retry", args=[slug, job.pk])).status_code == 404
        assert client.post(reverse("job_cancel", args=[slug, job.pk])).status_code == 404
        assert client.get(reverse("snapshot_download", args=[slug, snapshot.pk])).status_code == 404
        assert client.get(reverse("evidence_archive", args=[slug, evidence.pk])).status_code == 404
        assert client.post(reverse("evidence_archive", args=[slug, evidence.pk])).status_code == 404
    assert client.get(reverse("job_list", args=[workspace.slug])).status_code == 404
    assert client.post(reverse("article_fetch", args=[workspace.slug])).status_code == 404
    assert client.post(reverse("links_recheck", args=[workspace.slug])).status_code == 404
    assert Job.objects.get(pk=job.pk).status == "failed"
    assert Job.objects.count() == jobs_before  # nothing was started
