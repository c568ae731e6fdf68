"""Fetch jobs end to end against a local HTTP server: an article by URL, an
evidence archive, link re-checks. Each test runs the job the way one worker
delivery would (runner.job_execute); one goes through Celery (in-process)."""

from __future__ import annotations

import hashlib
import io
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from warcio.archiveiterator import ArchiveIterator

from archive.models import LinkCheck, Snapshot
from archive.services import (
    article_fetch_start,
    evidence_archive_start,
    links_recheck_due,
    links_recheck_start,
)
from audit.models import AuditEvent
from claims.models import Article, Evidence, Source
from claims.services.sources import source_create
from jobs import runner
from jobs import services as job_services
from jobs.models import Job
from safefetch.warc import read_warc_response
from tests.http_test_server import LocalHTTPServer, free_port
from tests.jobs_support import ARTICLE_HTML, jobs_in_process
from workspaces.exceptions import NotAllowed


@pytest.fixture(autouse=True)
def in_process(settings):
    with jobs_in_process(settings):
        yield


@pytest.fixture
def server(settings):
    settings.FETCH_ALLOWED_HOSTS = ["127.0.0.1:*"]
    settings.JOB_FETCH_TIMEOUT_SECONDS = 2
    settings.LINK_CHECK_RETRY_DELAYS = [0.0]
    with LocalHTTPServer() as s:
        s.add_route("/news/clashes", body=ARTICLE_HTML)
        yield s


def _run(job: Job) -> str:
    """One delivery of the job to a worker."""
    try:
        outcome = runner.job_execute(job.pk)
    except runner.JobRetryable:
        outcome = "retry"
    job.refresh_from_db()
    return outcome


def _fetch(workspace, analyst, url) -> Job:
    job = article_fetch_start(workspace=workspace, actor=analyst, url=url)
    _run(job)
    return job


# --- Fetch an article by URL ----------------------------------------------------------


def test_it_imports_the_article_with_title_body_date_and_outlet(workspace, analyst, server):
    job = _fetch(workspace, analyst, server.url("/news/clashes"))

    assert job.status == "succeeded", job.error
    article = Article.objects.get(pk=job.result["article_id"])
    assert article.title == "Dozens killed in coastal clashes"
    assert article.body.startswith("A monitoring group said more than 1,000 people were killed")
    assert "Copyright" not in article.body and "Home" not in article.body
    assert str(article.published_on) == "2025-03-08"
    assert article.outlet.name == "The Daily Ledger"
    assert article.outlet.kind == Source.Kind.NEWS_OUTLET
    assert article.url == server.url("/news/clashes")
    assert article.imported_by == analyst
    assert job.message == "Imported “Dozens killed in coastal clashes”."


def test_it_audits_the_import_like_the_browser_does(workspace, analyst, server):
    job = _fetch(workspace, analyst, server.url("/news/clashes"))

    created = AuditEvent.objects.filter(workspace=workspace, action="create", actor=analyst)
    assert set(created.values_list("object_type", flat=True)) >= {"article", "source", "snapshot"}
    assert created.filter(object_id=str(job.result["article_id"])).exists()


def test_it_stores_a_snapshot_of_the_fetched_page(workspace, analyst, server):
    job = _fetch(workspace, analyst, server.url("/news/clashes"))

    snapshot = Snapshot.objects.get(article_id=job.result["article_id"])
    status, _headers, body = read_warc_response(bytes(snapshot.warc))
    assert (status, body) == (200, ARTICLE_HTML.encode())
    assert snapshot.sha256 == hashlib.sha256(ARTICLE_HTML.encode()).hexdigest()
    assert snapshot.warc_sha256 == hashlib.sha256(bytes(snapshot.warc)).hexdigest()
    assert snapshot.job_id == job.pk and snapshot.workspace == workspace
    assert job.result["snapshot_id"] == snapshot.pk


def test_it_creates_nothing_twice_when_the_job_runs_again(workspace, analyst, server):
    job = _fetch(workspace, analyst, server.url("/news/clashes"))
    Job.objects.filter(pk=job.pk).update(status="queued")  # a second delivery

    assert _run(job) == "succeeded"
    assert Article.objects.count() == 1
    assert Snapshot.objects.count() == 1
    assert Source.objects.filter(name="The Daily Ledger").count() == 1
    assert server.hits("/news/clashes") == 1  # the finished job did not even fetch again


def test_it_reuses_a_source_known_by_an_alias(workspace, analyst, server):
    ledger = source_create(
        workspace=workspace, actor=analyst, name="Ledger", aliases=["The Daily Ledger"]
    )
    job = _fetch(workspace, analyst, server.url("/news/clashes"))

    assert Article.objects.get(pk=job.result["article_id"]).outlet == ledger
    assert Source.objects.filter(workspace=workspace).count() == 1


def test_it_names_the_outlet_after_the_host_when_the_page_does_not(workspace, analyst, server):
    server.add_route("/plain", body="Ceasefire holds\n\nThe ceasefire held overnight.",
                     content_type="text/plain; charset=utf-8")  # fmt: skip
    job = _fetch(workspace, analyst, server.url("/plain"))

    article = Article.objects.get(pk=job.result["article_id"])
    assert (article.title, article.outlet.name) == ("Ceasefire holds", "127.0.0.1")


def test_it_keeps_the_given_url_when_the_final_one_is_not_storable(workspace, analyst, server):
    long_path = "/news/clashes?" + "x" * 2100
    server.add_redirect("/short", long_path)
    server.add_route("/news/clashes", body=ARTICLE_HTML)
    job = _fetch(workspace, analyst, server.url("/short"))

    assert job.status == "succeeded", job.error
    assert Article.objects.get().url == server.url("/short")
    assert len(Snapshot.objects.get().final_url) == 2000


def test_it_refuses_a_redirect_to_a_loopback_address(workspace, analyst, server, settings):
    settings.FETCH_ALLOWED_HOSTS = ["localhost:*"]
    server.add_redirect("/r", server.url("/news/clashes"))  # http://127.0.0.1:port/...
    job = _fetch(workspace, analyst, server.url("/r", host="localhost"))

    assert job.status == "failed"
    assert "127.0.0.1" in job.error and "loopback" in job.error
    assert not Article.objects.exists() and server.hits("/news/clashes") == 0


def test_it_refuses_a_redirect_to_the_cloud_metadata_address(workspace, analyst, server):
    server.add_redirect("/meta", "http://169.254.169.254/latest/meta-data/")
    job = _fetch(workspace, analyst, server.url("/meta"))

    assert job.status == "failed"
    assert "169.254.169.254" in job.error and "cloud metadata" in job.error
    assert not Article.objects.exists()


def test_it_fails_clearly_on_an_oversized_page(workspace, analyst, server, settings):
    settings.JOB_FETCH_MAX_BYTES = 10_000
    server.add_route("/big", body="<p>" + "word " * 5000 + "</p>")
    job = _fetch(workspace, analyst, server.url("/big"))

    assert job.status == "failed"
    assert "is 25007 bytes, over the 10000 bytes limit" in job.error
    assert not Article.objects.exists()


def test_it_fails_clearly_after_too_many_redirects(workspace, analyst, server):
    first = server.add_redirect_chain("/hop", 6, "/news/clashes")
    job = _fetch(workspace, analyst, server.url(first))

    assert job.status == "failed"
    assert "more than 5 redirects" in job.error
    assert not Article.objects.exists()


def test_it_fails_clearly_on_a_page_that_is_not_text(workspace, analyst, server):
    server.add_route("/img", body=b"\x89PNG....", content_type="image/png")
    job = _fetch(workspace, analyst, server.url("/img"))

    assert job.status == "failed"
    assert "image/png" in job.error


def test_it_fails_clearly_on_a_missing_page(workspace, analyst, server):
    job = _fetch(workspace, analyst, server.url("/no-such-page"))

    assert job.status == "failed"
    assert job.error == f"The server answered 404 Not Found for {server.url('/no-such-page')}."


def test_it_retries_after_a_slow_server_times_out(workspace, analyst, server, settings):
    settings.JOB_FETCH_TIMEOUT_SECONDS = 0.5
    server.add_trickle("/slow", interval=0.2, body=b"x" * 100)
    job = article_fetch_start(workspace=workspace, actor=analyst, url=server.url("/slow"))

    assert _run(job) == "retry"
    assert job.status == "queued" and job.attempts == 1
    assert "timed out" in job.error.lower() or "deadline" in job.error.lower(), job.error
    assert job.message.startswith("Retrying soon (2 attempts left)")


def test_it_fails_clearly_when_its_last_attempt_times_out(workspace, analyst, server, settings):
    settings.JOB_FETCH_TIMEOUT_SECONDS = 0.5
    server.add_trickle("/slow", interval=0.2, body=b"x" * 100)
    job = article_fetch_start(workspace=workspace, actor=analyst, url=server.url("/slow"))
    Job.objects.filter(pk=job.pk).update(attempts=job.max_attempts - 1)

    assert _run(job) == "failed"
    assert job.status == "failed"
    assert job.error.endswith("(gave up after 3 attempts)")
    assert not Article.objects.exists()


def test_it_retries_network_errors_through_celery_then_fails(
    workspace, analyst, settings, django_capture_on_commit_callbacks
):
    settings.FETCH_ALLOWED_HOSTS = ["127.0.0.1:*"]
    url = f"http://127.0.0.1:{free_port()}/gone"  # nothing listens: connection refused
    with django_capture_on_commit_callbacks(execute=True):
        job = article_fetch_start(workspace=workspace, actor=analyst, url=url)
    job.refresh_from_db()

    assert (job.status, job.attempts) == ("failed", 3)
    assert "refused" in job.error.lower() and "(gave up after 3 attempts)" in job.error


@pytest.mark.parametrize("url", ["ftp://example.org/a", "example.org/a", "javascript:alert(1)"])
def test_it_refuses_a_url_that_is_not_http_up_front(workspace, analyst, url):
    with pytest.raises(ValidationError) as raised:
        article_fetch_start(workspace=workspace, actor=analyst, url=url)

    assert "http:// or https://" in raised.value.message_dict["url"][0]
    assert not Job.objects.exists()


def test_it_lets_only_annotators_fetch_articles(workspace, reviewer, server):
    with pytest.raises(NotAllowed):
        article_fetch_start(workspace=workspace, actor=reviewer, url=server.url("/news/clashes"))


def test_it_fails_clearly_when_the_starter_lost_the_right_to_import(workspace, analyst, server):
    job = article_fetch_start(workspace=workspace, actor=analyst, url=server.url("/news/clashes"))
    analyst.memberships.update(role="reviewer")

    assert _run(job) == "failed"
    assert "cannot import articles" in job.error
    assert not Article.objects.exists()


# --- Archive evidence ----------------------------------------------------------------------


@pytest.fixture
def evidence(workspace, claim, analyst, server):
    return Evidence.objects.create(
        workspace=workspace,
        claim=claim,
        stance="corroborates",
        title="Ledger report",
        url=server.url("/news/clashes"),
        added_by=analyst,
    )


def _archive(evidence, actor) -> Job:
    job = evidence_archive_start(evidence=evidence, actor=actor)
    _run(job)
    return job


def test_it_archives_evidence_as_a_warc_that_warcio_reads_back(evidence, analyst):
    job = _archive(evidence, analyst)

    assert job.status == "succeeded", job.error
    snapshot = Snapshot.objects.get(evidence=evidence)
    records = {
        r.rec_type: (r, r.content_stream().read())
        for r in ArchiveIterator(io.BytesIO(bytes(snapshot.warc)))
    }
    response, payload = records["response"]
    assert payload == ARTICLE_HTML.encode()
    assert response.rec_headers.get_header("WARC-Target-URI") == evidence.url
    assert response.http_headers.get_statuscode() == "200"
    assert set(records) == {"warcinfo", "request", "response"}
    assert snapshot.sha256 == hashlib.sha256(payload).hexdigest()
    assert job.message == f"Archived (sha256 {snapshot.sha256[:12]}…)."
    assert "745 civilians" in snapshot.text
    assert ("Content-Type", "text/html; charset=utf-8") in map(tuple, snapshot.headers)


def test_it_archives_the_redirect_chain_so_the_cited_url_replays(
    workspace, claim, analyst, server, client_for, tmp_path
):
    server.add_redirect("/cited", "/moved")
    server.add_redirect("/moved", "/news/clashes", status=301)
    evidence = Evidence.objects.create(
        workspace=workspace,
        claim=claim,
        stance="corroborates",
        title="Ledger report",
        url=server.url("/cited"),
        added_by=analyst,
    )
    job = _archive(evidence, analyst)

    assert job.status == "succeeded", job.error
    snapshot = Snapshot.objects.get(evidence=evidence)
    responses = [
        (r.rec_headers.get_header("WARC-Target-URI"), r.http_headers.get_statuscode())
        for r in ArchiveIterator(io.BytesIO(bytes(snapshot.warc)))
        if r.rec_type == "response"
    ]
    assert responses == [
        (server.url("/cited"), "302"),
        (server.url("/moved"), "301"),
        (server.url("/news/clashes"), "200"),
    ]
    assert snapshot.url == evidence.url and snapshot.final_url == server.url("/news/clashes")
    path = tmp_path / "snapshot.warc.gz"
    path.write_bytes(bytes(snapshot.warc))
    warcio = shutil.which("warcio") or str(Path(sys.executable).with_name("warcio"))
    check = subprocess.run([warcio, "check", "-v", str(path)], capture_output=True, text=True)
    assert check.returncode == 0 and check.stdout.count("digest pass") == 7, check.stdout
    # The download's hashes, each named for what it covers.
    response = client_for(analyst).get(
        reverse("snapshot_download", args=[workspace.slug, snapshot.pk])
    )
    data = response.getvalue()
    assert response["X-WARC-SHA256"] == hashlib.sha256(data).hexdigest() == snapshot.warc_sha256
    assert (
        response["X-Payload-SHA256"]
        == snapshot.sha256
        == hashlib.sha256(ARTICLE_HTML.encode()).hexdigest()
    )


def test_it_marks_archived_evidence_live(evidence, analyst):
    _archive(evidence, analyst)

    evidence.refresh_from_db()
    assert evidence.link_state == "live"
    assert evidence.version == 1  # a system field: an analyst's edit does not go stale


def test_it_archives_a_pdf(evidence, analyst, server):
    from pypdf import PdfWriter

    pdf = io.BytesIO()
    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    writer.write(pdf)
    server.add_route("/report.pdf", body=pdf.getvalue(), content_type="application/pdf")
    Evidence.objects.filter(pk=evidence.pk).update(url=server.url("/report.pdf"))
    evidence.refresh_from_db()

    job = _archive(evidence, analyst)

    assert job.status == "succeeded", job.error
    assert Snapshot.objects.get(evidence=evidence).content_type == "application/pdf"


def test_it_stores_one_snapshot_per_archive_job(evidence, analyst, server):
    job = _archive(evidence, analyst)
    Job.objects.filter(pk=job.pk).update(status="queued")

    assert _run(job) == "succeeded"
    assert Snapshot.objects.filter(evidence=evidence).count() == 1
    assert server.hits("/news/clashes") == 1


def test_it_marks_the_link_failed_when_archiving_is_refused(evidence, analyst, server):
    server.add_redirect("/meta", "http://169.254.169.254/")
    Evidence.objects.filter(pk=evidence.pk).update(url=server.url("/meta"))
    evidence.refresh_from_db()

    job = _archive(evidence, analyst)

    evidence.refresh_from_db()
    assert job.status == "failed" and "cloud metadata" in job.error
    assert evidence.link_state == "failed"
    assert not Snapshot.objects.exists()


def test_it_fails_clearly_to_archive_an_address_that_is_not_on_the_web(evidence, analyst):
    Evidence.objects.filter(pk=evidence.pk).update(url="ftp://example.org/report.txt")
    evidence.refresh_from_db()

    job = _archive(evidence, analyst)

    evidence.refresh_from_db()
    assert job.status == "failed" and "ftp" in job.error
    assert evidence.link_state == "failed"


def test_it_returns_the_running_archive_job_instead_of_a_second(evidence, analyst):
    first = evidence_archive_start(evidence=evidence, actor=analyst)
    second = evidence_archive_start(evidence=evidence, actor=analyst)

    assert first.pk == second.pk


def test_it_refuses_to_archive_evidence_without_a_web_address(evidence, analyst):
    evidence.url = ""
    with pytest.raises(ValidationError):
        evidence_archive_start(evidence=evidence, actor=analyst)


# --- Re-check archived links ----------------------------------------------------------------


def _recheck(workspace) -> Job:
    job = links_recheck_start(workspace=workspace)
    _run(job)
    return job


def test_it_records_a_live_link_when_the_page_is_unchanged(evidence, analyst, workspace):
    _archive(evidence, analyst)
    job = _recheck(workspace)

    check = LinkCheck.objects.get(evidence=evidence)
    evidence.refresh_from_db()
    assert (check.outcome, check.status_code, evidence.link_state) == ("live", 200, "live")
    assert check.sha256 == Snapshot.objects.get(evidence=evidence).sha256
    assert job.status == "succeeded" and job.message == "Re-checked 1 links: 1 live."
    assert (job.progress_done, job.progress_total) == (1, 1)


def test_it_records_a_changed_link_when_the_page_differs(evidence, analyst, workspace, server):
    _archive(evidence, analyst)
    server.add_route("/news/clashes", body=ARTICLE_HTML.replace("1,000", "1,200"))
    _recheck(workspace)

    check = LinkCheck.objects.get(evidence=evidence)
    evidence.refresh_from_db()
    assert (check.outcome, evidence.link_state) == ("changed", "changed")
    assert check.sha256 != Snapshot.objects.get(evidence=evidence).sha256


def test_it_records_a_gone_link_when_the_page_is_missing(evidence, analyst, workspace, server):
    _archive(evidence, analyst)
    server.add_route("/news/clashes", status=404, body="not here")
    _recheck(workspace)

    check = LinkCheck.objects.get(evidence=evidence)
    evidence.refresh_from_db()
    assert (check.outcome, check.status_code, evidence.link_state) == ("gone", 404, "gone")
    assert "404" in check.detail


def test_it_records_a_gone_link_when_the_server_is_unreachable(
    evidence, analyst, workspace, server
):
    _archive(evidence, analyst)
    Evidence.objects.filter(pk=evidence.pk).update(url=f"http://127.0.0.1:{free_port()}/x")
    _recheck(workspace)

    check = LinkCheck.objects.get(evidence=evidence)
    assert (check.outcome, check.status_code) == ("gone", None)
    assert "refused" in check.detail.lower()


def test_it_keeps_the_history_of_checks(evidence, analyst, workspace, server):
    _archive(evidence, analyst)
    _recheck(workspace)
    server.add_route("/news/clashes", status=410, body="gone")
    _recheck(workspace)

    assert list(LinkCheck.objects.filter(evidence=evidence).values_list("outcome", flat=True)) == [
        "gone",
        "live",
    ]
    assert AuditEvent.objects.filter(
        object_type="evidence", changes__link_state=["live", "gone"]
    ).exists()


def test_it_checks_each_link_once_per_job_even_when_run_again(evidence, analyst, workspace, server):
    _archive(evidence, analyst)
    job = _recheck(workspace)
    Job.objects.filter(pk=job.pk).update(status="queued")

    assert _run(job) == "succeeded"
    assert LinkCheck.objects.filter(evidence=evidence).count() == 1


def test_it_goes_on_in_fresh_deliveries_when_there_are_many_links(
    evidence, analyst, workspace, claim, server, settings, django_capture_on_commit_callbacks
):
    second = Evidence.objects.create(
        workspace=workspace, claim=claim, stance="context", title="Copy", url=evidence.url
    )
    _archive(evidence, analyst)
    _archive(second, analyst)
    settings.JOB_TIME_BUDGET_SECONDS = 0  # one link per delivery

    with django_capture_on_commit_callbacks(execute=True):
        job = links_recheck_start(workspace=workspace)
    job.refresh_from_db()

    assert job.status == "succeeded"
    assert job.attempts == 1  # continuing is not a new attempt
    assert LinkCheck.objects.count() == 2
    assert job.message == "Re-checked 2 links: 2 live."


def test_it_starts_rechecks_only_where_links_are_due(
    evidence, analyst, workspace, other_workspace, settings
):
    _archive(evidence, analyst)
    settings.LINK_RECHECK_AFTER_SECONDS = 3600
    assert links_recheck_due() == 0  # archived just now

    settings.LINK_RECHECK_AFTER_SECONDS = 0
    assert links_recheck_due() == 1
    job = Job.objects.get(kind="recheck_links")
    assert (job.workspace, job.params, job.created_by) == (workspace, {"due_only": True}, None)


def test_it_does_not_run_a_cancelled_recheck(evidence, analyst, workspace, server):
    _archive(evidence, analyst)
    job = links_recheck_start(workspace=workspace, actor=analyst)
    job_services.job_cancel(job=job, actor=analyst)

    assert _run(job) == "cancelled"
    assert not LinkCheck.objects.exists()
