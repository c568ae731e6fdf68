"""Real Celery workers (subprocesses) against Redis and the PostgreSQL test database.

1. A fetch started through the web page is run by a worker, and the page's
   progress endpoint reports the result.
2. A worker killed with SIGKILL in the middle of a job: the job is completed by
   another worker (its beat runs the sweeper), with nothing created twice.
3. A poison message (a job that kills its worker process every time) fails
   with a clear error after its attempts instead of looping. Its handler lives
   in tests/worker_poison.py, which only the test workers import (--include).

Each run uses its own queue name, so sessions sharing one Redis (CI uses DB 0)
never take each other's messages; only this run's keys are deleted afterwards.
Workers run the solo pool (one process each, in their own process group) and
are killed at teardown, so nothing is left behind. Without REDIS_URL and
PostgreSQL these tests skip on a developer's machine and fail under CI=true.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings as django_settings
from django.db import connection, transaction
from django.urls import reverse

from archive.models import Snapshot
from archive.services import article_fetch_start
from claims.models import Article
from jobs import services as job_services
from jobs.models import Job
from tests.http_test_server import LocalHTTPServer
from tests.jobs.worker_poison import POISON_KIND
from tests.jobs_support import ARTICLE_HTML
from workbench.celery import app

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

HTMX = {"HTTP_HX_REQUEST": "true"}
WORKER_START_TIMEOUT = 40
JOB_TIMEOUT = 40


def _require_infrastructure() -> None:
    problems = []
    if not django_settings.REDIS_URL:
        problems.append("REDIS_URL is not set")
    if connection.vendor != "postgresql":
        problems.append("workers need a shared database: set DATABASE_URL to PostgreSQL")
    if problems:
        message = "Real-worker tests need Redis and PostgreSQL: " + "; ".join(problems)
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message)
        pytest.skip(message)


def _test_database_url() -> str:
    """The test database (test_<name>), which the worker must use too."""
    db = connection.settings_dict
    user = quote(db.get("USER") or "", safe="")
    password = quote(db.get("PASSWORD") or "", safe="")
    auth = f"{user}:{password}@" if password else (f"{user}@" if user else "")
    return f"postgres://{auth}{db.get('HOST') or '127.0.0.1'}:{db.get('PORT') or 5432}/{db['NAME']}"


class Worker:
    """One `celery worker` subprocess in its own process group."""

    def __init__(
        self, name: str, queue: str, tmp_path: Path, *, beat: bool = False, pool: str = "solo"
    ):
        self.name = name
        self.log_path = tmp_path / f"worker-{name}.log"
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "workbench.settings",
            "DATABASE_URL": _test_database_url(),
            "DB_CONN_MAX_AGE": "0",
            "REDIS_URL": django_settings.REDIS_URL,
            "JOB_QUEUE": queue,
            "FETCH_ALLOWED_HOSTS": "127.0.0.1:*",
            "WORKBENCH_VAR_DIR": str(tmp_path / f"var-{name}"),
            # Short clocks so a vanished worker is noticed within seconds.
            "JOB_HEARTBEAT_SECONDS": "0.5",
            "JOB_STALE_SECONDS": "4",
            "JOB_SWEEP_SECONDS": "1",
            "REDIS_VISIBILITY_TIMEOUT": "60",
            "JOB_SOFT_TIME_LIMIT": "40",
            "JOB_HARD_TIME_LIMIT": "50",
            "JOB_FETCH_TIMEOUT_SECONDS": "30",
        }
        command = [
            sys.executable, "-m", "celery", "-A", "workbench", "worker",
            f"--pool={pool}", "--concurrency=1", "-Q", queue, "-n", f"{queue}-{name}@%h",
            "--without-gossip", "--without-mingle", "--without-heartbeat", "--loglevel=INFO",
            "--include", "tests.jobs.worker_poison",
        ]  # fmt: skip
        if beat:
            command += ["--beat", "--schedule", str(tmp_path / f"beat-{name}")]
        self.log = self.log_path.open("wb")
        self.process = subprocess.Popen(
            command,
            cwd=django_settings.BASE_DIR,
            env=env,
            # Nothing of pytest's: an orphaned worker could not hold CI's pipes open.
            stdin=subprocess.DEVNULL,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: beat dies with it
        )

    @property
    def pid(self) -> int:
        return self.process.pid

    def output(self) -> str:
        return self.log_path.read_text(errors="replace")

    def wait_ready(self) -> None:
        deadline = time.monotonic() + WORKER_START_TIMEOUT
        while time.monotonic() < deadline:
            if " ready." in self.output():
                return
            if self.process.poll() is not None:
                break
            time.sleep(0.1)
        raise AssertionError(f"worker {self.name} did not start:\n{self.output()[-3000:]}")

    def kill(self) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.process.wait(timeout=10)
        self.log.close()


@pytest.fixture
def queue(settings):
    _require_infrastructure()

    name = f"wbtest-{uuid.uuid4().hex[:12]}"
    # This process sends to the run's queue, and really sends (no eager mode).
    settings.CELERY_TASK_DEFAULT_QUEUE = name
    settings.CELERY_TASK_ALWAYS_EAGER = False
    eager = app.conf.task_always_eager
    app.conf.task_always_eager = False
    try:
        yield name
    finally:
        app.conf.task_always_eager = eager
        _delete_queue_keys(name)


def _delete_queue_keys(queue: str) -> None:
    """Remove this run's queue, bindings and unacknowledged messages; nothing else."""
    import redis

    client = redis.Redis.from_url(django_settings.REDIS_URL)
    try:
        for key in client.scan_iter(match=f"{queue}*"):
            client.delete(key)
        client.delete(f"_kombu.binding.{queue}", f"_kombu.binding_permanent.{queue}")
        # The workers' remote-control bindings share one set with everyone's.
        for member in client.smembers("_kombu.binding.celery.pidbox"):
            if queue.encode() in member:
                client.srem("_kombu.binding.celery.pidbox", member)
        for tag, payload in client.hscan_iter("unacked"):
            with contextlib.suppress(ValueError, TypeError):
                _message, exchange, routing_key = json.loads(payload)
                if queue in (exchange, routing_key):
                    client.hdel("unacked", tag)
                    client.zrem("unacked_index", tag)
    finally:
        client.close()


@pytest.fixture
def workers(queue, tmp_path, transactional_db):
    """Start workers with start(name, beat=False); all are killed at teardown
    (before the test database is flushed or dropped)."""
    started: list[Worker] = []

    def start(name: str, *, beat: bool = False, pool: str = "solo") -> Worker:
        worker = Worker(name, queue, tmp_path, beat=beat, pool=pool)
        started.append(worker)
        worker.wait_ready()
        return worker

    yield start
    for worker in started:
        worker.kill()


@pytest.fixture
def server():
    with LocalHTTPServer() as s:
        s.add_route("/news/clashes", body=ARTICLE_HTML)
        yield s


def _wait_for(predicate, *, timeout: float, what: str, workers=()):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.2)
    logs = "\n".join(f"--- {w.name}:\n{w.output()[-2000:]}" for w in workers)
    raise AssertionError(f"timed out waiting for {what}\n{logs}")


def test_it_runs_a_fetch_started_from_the_web_page_in_a_worker(
    workers, server, client_for, workspace, analyst
):
    started = time.monotonic()
    worker = workers("a")
    client = client_for(analyst)

    response = client.post(
        reverse("article_fetch", args=[workspace.slug]),
        {"url": server.url("/news/clashes")},
        **HTMX,
    )
    assert response.status_code == 200, response.content
    job = Job.objects.get()
    progress_url = reverse("job_detail", args=[workspace.slug, job.pk])

    final = _wait_for(
        lambda: (r := client.get(progress_url, **HTMX)).status_code == 286 and r,
        timeout=JOB_TIMEOUT,
        what="the progress endpoint to report the end of the job",
        workers=[worker],
    )

    job.refresh_from_db()
    article = Article.objects.get()
    assert job.status == "succeeded", job.error
    assert f":{worker.pid}:" in job.worker  # run by the subprocess, not in-process
    assert reverse("article_detail", args=[workspace.slug, article.pk]) in final.content.decode()
    assert article.title == "Dozens killed in coastal clashes"
    assert Snapshot.objects.get().article == article
    print(f"\nweb page -> worker -> done in {time.monotonic() - started:.1f} s")


def test_it_completes_a_job_whose_worker_was_killed_without_duplicates(
    workers, server, workspace, analyst
):
    started = time.monotonic()
    release = threading.Event()
    first_request_served = threading.Event()
    body = ARTICLE_HTML.encode()

    def slow_then_fast(handler) -> None:
        """The first request stalls half-way through the body (until the test
        ends); later ones are answered at once."""
        handler.send_response(200)
        handler.send_header("Content-Type", "text/html; charset=utf-8")
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        if not first_request_served.is_set():
            first_request_served.set()
            handler.wfile.write(body[:100])
            handler.wfile.flush()
            release.wait(60)
            return
        handler.wfile.write(body)

    server.add_handler("/stalls", slow_then_fast)
    first = workers("first")
    try:
        with transaction.atomic():
            job = article_fetch_start(workspace=workspace, actor=analyst, url=server.url("/stalls"))
        _wait_for(
            lambda: (
                first_request_served.is_set()
                and Job.objects.filter(pk=job.pk, status="running").exists()
            ),
            timeout=JOB_TIMEOUT,
            what="the first worker to start fetching",
            workers=[first],
        )
        second = workers("second", beat=True)  # its beat runs the sweeper every second
        time.sleep(5)  # longer than JOB_STALE_SECONDS: the heartbeat keeps the job
        job.refresh_from_db()
        assert (job.status, job.attempts) == ("running", 1)
        assert f":{first.pid}:" in job.worker

        first.kill()  # SIGKILL in the middle of the job

        _wait_for(
            lambda: Job.objects.filter(pk=job.pk, status__in=["succeeded", "failed"]).exists(),
            timeout=JOB_TIMEOUT,
            what="the second worker to finish the job",
            workers=[first, second],
        )
    finally:
        release.set()

    job.refresh_from_db()
    assert job.status == "succeeded", job.error
    assert job.attempts == 2
    assert f":{second.pid}:" in job.worker
    assert Article.objects.count() == 1
    assert Snapshot.objects.count() == 1
    assert server.hits("/stalls") == 2
    print(f"\nkilled worker -> job finished by another in {time.monotonic() - started:.1f} s")


def test_it_gives_up_on_a_job_that_kills_its_worker_every_time(workers, workspace, analyst):

    started = time.monotonic()
    # Prefork: the pool's child dies with the job, the worker lives on and gets
    # the message back (reject_on_worker_lost); its beat runs the sweeper.
    worker = workers("poisoned", beat=True, pool="prefork")
    with transaction.atomic():
        job = job_services.job_enqueue(
            workspace=workspace, kind=POISON_KIND, actor=analyst, max_attempts=2
        )

    _wait_for(
        lambda: Job.objects.filter(pk=job.pk, status="failed").exists(),
        timeout=JOB_TIMEOUT,
        what="the poisoned job to be given up",
        workers=[worker],
    )

    job.refresh_from_db()
    assert job.attempts == 2
    assert job.error in {
        "The worker running this job vanished 2 times; giving up. "
        "Retry it once the cause is fixed.",
        "Gave up after 2 attempts: the job stopped its worker each time (it may crash or "
        "exceed its time limit). Retry it once the cause is fixed.",
    }
    assert worker.process.poll() is None  # the worker itself survived
    print(f"\npoison message given up in {time.monotonic() - started:.1f} s")
