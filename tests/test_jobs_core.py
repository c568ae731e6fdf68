"""The job runner: claiming, attempts, outcomes, retry. Tasks run in-process here;
tests/test_worker*.py run real Celery workers against Redis."""

import pytest
from django.db import transaction

from claims.models import Job
from claims.services import jobs


@pytest.fixture(autouse=True)
def in_process_jobs(settings):
    """These tests run jobs in-process even where REDIS_URL is set (CI)."""
    from workbench.celery import app

    settings.CELERY_TASK_ALWAYS_EAGER = True
    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = previous


@pytest.fixture
def handlers():
    saved = dict(jobs.HANDLERS)
    yield jobs.HANDLERS
    jobs.HANDLERS.clear()
    jobs.HANDLERS.update(saved)


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run a block and then its on-commit callbacks, as a real commit would."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def _enqueue(committed, workspace, analyst, kind="suggest_claims", **kwargs):
    with committed():
        job = jobs.job_enqueue(workspace=workspace, kind=kind, actor=analyst, **kwargs)
    job.refresh_from_db()
    return job


def test_it_runs_a_job_after_commit_and_records_the_result(
    handlers, workspace, analyst, django_capture_on_commit_callbacks
):
    calls = []

    def handler(job):
        calls.append(job.pk)
        jobs.job_progress(job, done=1, total=2, message="half")
        return {"message": "All done", "created": 3}

    handlers["suggest_claims"] = handler
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        job = jobs.job_enqueue(workspace=workspace, kind="suggest_claims", actor=analyst)
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
    assert jobs.job_execute(job.pk) == "succeeded"  # the second delivery is refused...
    assert Job.objects.get(pk=job.pk).attempts == 1  # ...and changes nothing


def test_it_returns_the_active_job_instead_of_a_duplicate(
    handlers, workspace, analyst, article, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):
        first = jobs.job_enqueue(
            workspace=workspace, kind="suggest_claims", actor=analyst, target=article
        )
        second = jobs.job_enqueue(
            workspace=workspace, kind="suggest_claims", actor=analyst, target=article
        )
    assert first.pk == second.pk


def test_it_fails_with_the_handlers_message(handlers, workspace, analyst, committed):
    def handler(job):
        raise jobs.JobFailed("refused: localhost resolves to 127.0.0.1, a loopback address")

    handlers["suggest_claims"] = handler
    job = _enqueue(committed, workspace, analyst)
    assert job.status == "failed"
    assert "loopback" in job.error


def test_it_gives_up_on_a_job_that_keeps_killing_its_worker(handlers, workspace, analyst):
    """Simulate deliveries whose worker died: the row was claimed, never finished."""
    handlers["suggest_claims"] = lambda job: None
    with transaction.atomic():
        job = jobs.job_enqueue(
            workspace=workspace, kind="suggest_claims", actor=analyst, max_attempts=2
        )
        Job.objects.filter(pk=job.pk).update(
            status="running", attempts=2, heartbeat_at="2000-01-01T00:00Z"
        )
    assert jobs.job_execute(job.pk) == "exhausted"
    job.refresh_from_db()
    assert job.status == "failed"
    assert "Gave up after 2 attempts" in job.error


def test_it_retries_a_failed_job_from_scratch(handlers, workspace, analyst, committed):
    outcomes = iter([jobs.JobFailed("boom"), None])

    def handler(job):
        outcome = next(outcomes)
        if outcome:
            raise outcome

    handlers["suggest_claims"] = handler
    job = _enqueue(committed, workspace, analyst)
    assert job.status == "failed"
    with committed():
        jobs.job_retry(job=job, actor=analyst)
    job.refresh_from_db()
    assert job.status == "succeeded"


def test_it_sweeps_a_job_whose_worker_vanished(handlers, workspace, analyst, committed):
    handlers["suggest_claims"] = lambda job: None
    with transaction.atomic():
        job = jobs.job_enqueue(workspace=workspace, kind="suggest_claims", actor=analyst)
        Job.objects.filter(pk=job.pk).update(
            status="running", attempts=1, heartbeat_at="2000-01-01T00:00Z"
        )
    with committed():
        counts = jobs.jobs_sweep()
    job.refresh_from_db()
    assert counts["requeued"] == 1
    assert job.status == "succeeded"  # re-sent and run in-process
