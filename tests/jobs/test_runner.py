"""The job runner: claiming, attempts, outcomes, retry. Tasks run in-process here;
tests/test_worker*.py run real Celery workers against Redis."""

import re
from datetime import timedelta
from importlib import import_module
from pathlib import Path

import pytest
from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings as django_settings
from django.db import transaction
from django.utils import timezone

from jobs import limits, runner, sending, sweeper
from jobs import services as job_services
from jobs.models import Job
from jobs.tasks import RETRY_BACKOFF_MAX, run_job
from safefetch.fetcher import FetchConnectionError
from workbench.celery import app
from workspaces.exceptions import NotAMember


@pytest.fixture(autouse=True)
def in_process_jobs(settings):
    """These tests run jobs in-process even where REDIS_URL is set (CI)."""
    settings.CELERY_TASK_ALWAYS_EAGER = True
    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = previous


@pytest.fixture
def handlers():
    saved = dict(runner.HANDLERS)
    yield runner.HANDLERS
    runner.HANDLERS.clear()
    runner.HANDLERS.update(saved)


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run a block and then its on-commit callbacks, as a real commit would."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def _enqueue(committed, workspace, analyst, kind="suggest_claims", **kwargs):
    with committed():
        job = job_services.job_enqueue(workspace=workspace, kind=kind, actor=analyst, **kwargs)
    job.refresh_from_db()
    return job


def test_it_runs_a_job_after_commit_and_records_the_result(
    handlers, workspace, analyst, django_capture_on_commit_callbacks
):
    calls = []

    def handler(job):
        calls.append(job.pk)
        runner.job_progress(job, done=1, total=2, message="half")
        return {"message": "All done", "created": 3}

    handlers["suggest_claims"] = handler
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        job = job_services.job_enqueue(workspace=workspace, kind="suggest_claims", actor=analyst)
    assert calls == [] and len(callbacks) == 1  # nothing is sent before commit
    callbacks[0]()
    job.refresh_from_db()
    assert (job.status, job.message, job.result, job.attempts) == (
        "succeeded",
        "All done",
        {"created": 3},
        1,
    )
    assert (job.progress_done, job.progress_total, job.percent) == (2, 2, 100)


def test_it_never_runs_a_finished_job_again(handlers, workspace, analyst, committed):
    handlers["suggest_claims"] = lambda job: None
    job = _enqueue(committed, workspace, analyst)
    assert job.status == "succeeded"
    assert runner.job_execute(job.pk) == "succeeded"  # the second delivery is refused...
    assert Job.objects.get(pk=job.pk).attempts == 1  # ...and changes nothing


def test_it_returns_the_active_job_instead_of_a_duplicate(
    handlers, workspace, analyst, article, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):
        first = job_services.job_enqueue(
            workspace=workspace, kind="suggest_claims", actor=analyst, target=article
        )
        second = job_services.job_enqueue(
            workspace=workspace, kind="suggest_claims", actor=analyst, target=article
        )
    assert first.pk == second.pk


def test_it_fails_with_the_handlers_message(handlers, workspace, analyst, committed):
    def handler(job):
        raise runner.JobFailed("refused: localhost resolves to 127.0.0.1, a loopback address")

    handlers["suggest_claims"] = handler
    job = _enqueue(committed, workspace, analyst)
    assert job.status == "failed"
    assert "loopback" in job.error


def test_it_gives_up_on_a_job_that_keeps_killing_its_worker(handlers, workspace, analyst):
    """Simulate deliveries whose worker died: the row was claimed, never finished."""
    handlers["suggest_claims"] = lambda job: None
    with transaction.atomic():
        job = job_services.job_enqueue(
            workspace=workspace, kind="suggest_claims", actor=analyst, max_attempts=2
        )
        Job.objects.filter(pk=job.pk).update(
            status="running", attempts=2, heartbeat_at="2000-01-01T00:00Z"
        )
    assert runner.job_execute(job.pk) == "exhausted"
    job.refresh_from_db()
    assert (job.status, job.attempts) == ("failed", 2)
    assert "Gave up after 2 attempts" in job.error


def test_it_retries_a_failed_job_from_scratch(handlers, workspace, analyst, committed):
    outcomes = iter([runner.JobFailed("boom"), None])

    def handler(job):
        outcome = next(outcomes)
        if outcome:
            raise outcome

    handlers["suggest_claims"] = handler
    job = _enqueue(committed, workspace, analyst)
    assert job.status == "failed"
    with committed():
        job_services.job_retry(job=job, actor=analyst)
    job.refresh_from_db()
    assert job.status == "succeeded"


def test_it_sweeps_a_job_whose_worker_vanished(handlers, workspace, analyst, committed):
    handlers["suggest_claims"] = lambda job: None
    with transaction.atomic():
        job = job_services.job_enqueue(workspace=workspace, kind="suggest_claims", actor=analyst)
        Job.objects.filter(pk=job.pk).update(
            status="running", attempts=1, heartbeat_at="2000-01-01T00:00Z"
        )
    with committed():
        counts = sweeper.jobs_sweep()
    job.refresh_from_db()
    assert counts["requeued"] == 1
    assert job.status == "succeeded"  # re-sent and run in-process


def test_it_shows_a_transient_failure_as_retrying_and_keeps_the_job_queued(
    handlers, workspace, analyst
):
    def handler(job):
        raise runner.JobRetryable("The server answered 503 Service Unavailable")

    handlers["suggest_claims"] = handler
    with transaction.atomic():
        job = job_services.job_enqueue(workspace=workspace, kind="suggest_claims", actor=analyst)
    with pytest.raises(runner.JobRetryable):
        runner.job_execute(job.pk)
    job.refresh_from_db()
    assert (job.status, job.attempts) == ("queued", 1)
    assert (
        job.message
        == "Retrying soon (2 attempts left): The server answered 503 Service Unavailable"
    )
    assert job.error == "The server answered 503 Service Unavailable"


def test_it_retries_network_errors_raised_by_a_handler(handlers, workspace, analyst):
    def handler(job):
        raise FetchConnectionError("connection refused by 127.0.0.1")

    handlers["suggest_claims"] = handler
    with transaction.atomic():
        job = job_services.job_enqueue(workspace=workspace, kind="suggest_claims", actor=analyst)
    with pytest.raises(runner.JobRetryable):  # what run_job's autoretry catches
        runner.job_execute(job.pk)
    assert Job.objects.get(pk=job.pk).status == "queued"


def test_it_retries_through_celery_and_fails_once_the_attempts_are_used_up(
    handlers, workspace, analyst, committed
):
    calls = []

    def handler(job):
        calls.append(job.attempts)
        raise runner.JobRetryable("Connection reset")

    handlers["suggest_claims"] = handler
    job = _enqueue(committed, workspace, analyst)
    assert calls == [1, 2, 3]
    assert job.status == "failed"
    assert job.error == "Connection reset (gave up after 3 attempts)"


def test_it_fails_a_job_that_exceeds_its_soft_time_limit(handlers, workspace, analyst, committed):
    def handler(job):
        raise SoftTimeLimitExceeded()

    handlers["suggest_claims"] = handler
    job = _enqueue(committed, workspace, analyst)
    assert job.status == "failed"
    assert job.error == "The job ran longer than its time limit (240 seconds) and was stopped."


def test_it_cancels_an_active_job_and_never_runs_it(handlers, workspace, analyst):
    handlers["suggest_claims"] = lambda job: pytest.fail("a cancelled job ran")
    with transaction.atomic():
        job = job_services.job_enqueue(workspace=workspace, kind="suggest_claims", actor=analyst)
        job_services.job_cancel(job=job, actor=analyst)
    assert job.status == "cancelled"
    assert runner.job_execute(job.pk) == "cancelled"


def test_it_keeps_other_workspaces_from_retrying_a_job(
    handlers, workspace, analyst, outsider, committed
):
    handlers["suggest_claims"] = lambda job: (_ for _ in ()).throw(runner.JobFailed("no"))
    job = _enqueue(committed, workspace, analyst)
    with pytest.raises(NotAMember):
        job_services.job_retry(job=job, actor=outsider)
    assert Job.objects.get(pk=job.pk).status == "failed"


def test_it_fails_a_job_whose_worker_vanished_too_often(handlers, workspace, analyst):
    with transaction.atomic():
        job = job_services.job_enqueue(workspace=workspace, kind="suggest_claims", actor=analyst)
        Job.objects.filter(pk=job.pk).update(
            status="running", attempts=3, heartbeat_at="2000-01-01T00:00Z"
        )
        counts = sweeper.jobs_sweep()
    job.refresh_from_db()
    assert counts["failed"] == 1
    assert job.status == "failed" and "vanished 3 times" in job.error


def test_it_leaves_a_job_with_a_fresh_heartbeat_running(handlers, workspace, analyst):
    with transaction.atomic():
        job = job_services.job_enqueue(workspace=workspace, kind="suggest_claims", actor=analyst)
        Job.objects.filter(pk=job.pk).update(
            status="running", attempts=1, heartbeat_at=timezone.now()
        )
        assert sweeper.jobs_sweep() == {"requeued": 0, "failed": 0, "resent": 0}
    assert runner.job_execute(job.pk) == "running"  # a redelivery while it runs is refused


def test_it_resends_a_job_whose_message_was_lost_but_not_one_waiting_out_a_backoff(
    handlers, workspace, analyst, committed
):
    handlers["suggest_claims"] = lambda job: None
    with transaction.atomic():
        lost = job_services.job_enqueue(workspace=workspace, kind="suggest_claims", actor=analyst)
        backing_off = job_services.job_enqueue(
            workspace=workspace, kind="suggest_claims", actor=analyst
        )
        long_ago = timezone.now() - timedelta(hours=2)
        Job.objects.filter(pk__in=[lost.pk, backing_off.pk]).update(created_at=long_ago)
        Job.objects.filter(pk=lost.pk).update(heartbeat_at=long_ago)
        Job.objects.filter(pk=backing_off.pk).update(heartbeat_at=timezone.now(), attempts=1)
    with committed():
        counts = sweeper.jobs_sweep()
    assert counts["resent"] == 1
    assert Job.objects.get(pk=lost.pk).status == "succeeded"
    assert Job.objects.get(pk=backing_off.pk).status == "queued"


def test_it_keeps_every_delay_below_the_redis_visibility_timeout():
    """Redis hands an unacknowledged message to another worker after the
    visibility timeout: a task running longer, or a message delayed longer
    (retry countdown, ETA), would run twice."""
    visibility = django_settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"]
    assert app.conf.broker_transport_options["visibility_timeout"] == visibility
    assert visibility > django_settings.CELERY_TASK_TIME_LIMIT
    for kind, (soft, hard) in django_settings.JOB_TIME_LIMITS.items():
        assert soft < hard < visibility, kind
    assert django_settings.CELERY_TASK_TIME_LIMIT > django_settings.CELERY_TASK_SOFT_TIME_LIMIT
    assert run_job.retry_backoff_max == RETRY_BACKOFF_MAX < visibility
    assert limits.max_countdown() < visibility
    for name, entry in django_settings.CELERY_BEAT_SCHEDULE.items():
        assert float(entry["schedule"]) < visibility, name
        assert float(entry.get("options", {}).get("countdown", 0)) < visibility, name
    # The sweeper must not hurry a job that waits out its retry backoff, nor
    # take a running job from a worker that still beats.
    assert limits.resend_queued_after().total_seconds() > RETRY_BACKOFF_MAX
    assert django_settings.JOB_STALE_SECONDS >= 3 * django_settings.JOB_HEARTBEAT_SECONDS


@pytest.mark.django_db
def test_it_clamps_a_countdown_to_below_the_visibility_timeout(monkeypatch):
    sent = []
    monkeypatch.setattr(run_job, "apply_async", lambda **kwargs: sent.append(kwargs))
    sending.send_now(7, countdown=10 * limits.visibility_timeout())
    assert sent == [
        {
            "kwargs": {"job_id": 7},
            "countdown": limits.max_countdown(),
            "queue": django_settings.CELERY_TASK_DEFAULT_QUEUE,
            "soft_time_limit": django_settings.CELERY_TASK_SOFT_TIME_LIMIT,
            "time_limit": django_settings.CELERY_TASK_TIME_LIMIT,
        }
    ]


def test_it_sends_every_task_message_through_the_job_runner():
    """Only claims/services/jobs.py sends messages (and clamps their delay);
    anything else calling apply_async/delay/retry could exceed the timeout."""
    root = Path(django_settings.BASE_DIR) / "claims"
    pattern = re.compile(r"\.(apply_async|delay|delay_on_commit|retry|send_task)\(|countdown=|eta=")
    offenders = [
        f"{path.relative_to(root)}:{number}"
        for path in root.rglob("*.py")
        if path.name != "jobs.py" or path.parent.name != "services"
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if pattern.search(line)
    ]
    assert offenders == []


def test_it_schedules_only_tasks_that_exist():
    for name, entry in django_settings.CELERY_BEAT_SCHEDULE.items():
        import_module(entry["task"].rpartition(".")[0])
        assert entry["task"] in app.tasks, name


def test_it_continues_a_long_job_in_a_fresh_delivery_without_counting_an_attempt(
    handlers, workspace, analyst, committed
):
    parts = []

    def handler(job):
        parts.append(job.attempts)
        if len(parts) < 3:
            raise runner.JobContinue(f"Did part {len(parts)}; continuing…")
        return {"message": "All parts done"}

    handlers["suggest_claims"] = handler
    job = _enqueue(committed, workspace, analyst)
    assert parts == [1, 1, 1]
    assert (job.status, job.message, job.attempts) == ("succeeded", "All parts done", 1)


def test_it_sends_export_jobs_with_their_longer_time_limits(settings):

    assert limits.time_limits_for(Job.Kind.EXPORT) == tuple(settings.JOB_TIME_LIMITS["export"])
    assert limits.time_limits_for(Job.Kind.FETCH_ARTICLE) == (
        settings.CELERY_TASK_SOFT_TIME_LIMIT,
        settings.CELERY_TASK_TIME_LIMIT,
    )
