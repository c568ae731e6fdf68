"""Running one job: claim its row, call the handler registered for its kind,
beat a heartbeat meanwhile, and record progress, the result or the error.

A job is created by a service (jobs.services.job_enqueue), sent to Celery only
after the transaction commits (jobs.sending), and run by `job_execute`, which:

- claims the row with a conditional update, so two deliveries of one message
  never run it twice at once;
- counts attempts on the row itself (brokers keep no delivery count), so a
  job that kills its worker every time fails after `max_attempts` instead of
  looping forever;
- beats a heartbeat while the handler runs, so the sweeper can tell a job
  whose worker vanished from a slow one;
- records progress, the result, or the error users see, with a retry button.

Handlers are plain functions registered per job kind with @job_handler, in
each feature's tasks module. They must be idempotent: running one twice
creates nothing twice.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
from collections.abc import Callable
from typing import Any

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.db import close_old_connections, connection
from django.db.models import F, Q
from django.utils import timezone

from jobs.limits import heartbeat_interval, heartbeat_stale_after
from jobs.models import Job
from jobs.sending import send_after_commit

logger = logging.getLogger(__name__)
Handler = Callable[[Job], dict[str, Any] | None]
HANDLERS: dict[str, Handler] = {}


class JobRetryable(Exception):
    """A transient failure (network, a busy server): try again later."""


class JobFailed(Exception):
    """A permanent failure with a message for the user; retrying will not help."""


class JobContinue(Exception):
    """The handler did part of the work and wants to go on in a fresh delivery
    (a long job staying under its time limit). Not a failure: the attempt is
    not counted. The handler must pick up where it stopped (it is idempotent)."""


def job_handler(kind: str) -> Callable[[Handler], Handler]:
    def register(func: Handler) -> Handler:
        HANDLERS[kind] = func
        return func

    return register


def job_progress(job: Job, *, done: int, total: int | None = None, message: str = "") -> None:
    fields = {"progress_done": done, "heartbeat_at": timezone.now()}
    if total is not None:
        fields["progress_total"] = total
        job.progress_total = total
    if message:
        fields["message"] = message[:500]
        job.message = message[:500]
    job.progress_done = done
    Job.objects.filter(pk=job.pk, status=Job.Status.RUNNING).update(**fields)


def _claim(job_id: int, worker: str) -> tuple[Job | None, str]:
    """Take the job for this worker. Returns (job, "") or (None, why not)."""
    now = timezone.now()
    stale_before = now - heartbeat_stale_after()
    claimable = Q(status=Job.Status.QUEUED) | Q(
        status=Job.Status.RUNNING, heartbeat_at__lt=stale_before
    )
    taken = Job.objects.filter(claimable, pk=job_id).update(
        status=Job.Status.RUNNING,
        attempts=F("attempts") + 1,
        worker=worker[:200],
        heartbeat_at=now,
        started_at=now,
        error="",
    )
    job = Job.objects.filter(pk=job_id).first()
    if job is None:
        return None, "gone"
    if not taken:
        return None, job.status
    if job.attempts > job.max_attempts:
        # This delivery only closes the job: it is not an attempt of its own.
        Job.objects.filter(pk=job.pk).update(attempts=job.max_attempts)
        job.attempts = job.max_attempts
        _finish(
            job,
            Job.Status.FAILED,
            error=(
                f"Gave up after {job.max_attempts} attempts: the job stopped its worker each "
                "time (it may crash or exceed its time limit). Retry it once the cause is fixed."
            ),
        )
        return None, "exhausted"
    return job, ""


def _finish(job: Job, status: str, *, error: str = "", message: str = "", result=None) -> None:
    fields: dict[str, Any] = {
        "status": status,
        "finished_at": timezone.now(),
        "heartbeat_at": timezone.now(),
    }
    if error:
        fields["error"] = error
        fields["message"] = error[:500]
    elif message:
        fields["message"] = message[:500]
    if result is not None:
        fields["result"] = result
    if status == Job.Status.SUCCEEDED and job.progress_total:
        fields["progress_done"] = job.progress_total
    Job.objects.filter(pk=job.pk).update(**fields)
    for name, value in fields.items():
        setattr(job, name, value)


class _Heartbeat(threading.Thread):
    """Refresh the job's heartbeat while its handler runs."""

    def __init__(self, job_id: int):
        super().__init__(daemon=True, name=f"job-{job_id}-heartbeat")
        self.job_id = job_id
        self.stopped = threading.Event()

    def run(self) -> None:
        try:
            while not self.stopped.wait(heartbeat_interval()):
                Job.objects.filter(pk=self.job_id, status=Job.Status.RUNNING).update(
                    heartbeat_at=timezone.now()
                )
        finally:
            close_old_connections()
            connection.close()

    def stop(self) -> None:
        self.stopped.set()


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{threading.get_ident()}"


def _is_retryable(exc: BaseException) -> bool:
    """JobRetryable, or a library error that says it is transient (the fetcher's
    network errors carry retryable=True)."""
    return isinstance(exc, JobRetryable) or getattr(exc, "retryable", False) is True


def _requeue_for_retry(job: Job, exc: BaseException) -> bool:
    """Put the job back in the queue after a transient failure; False when its
    attempts are used up (then it is failed with the reason)."""
    attempts_left = job.max_attempts - job.attempts
    if attempts_left <= 0:
        noun = "attempt" if job.attempts == 1 else "attempts"
        _finish(job, Job.Status.FAILED, error=f"{exc} (gave up after {job.attempts} {noun})")
        return False
    Job.objects.filter(pk=job.pk, status=Job.Status.RUNNING).update(
        status=Job.Status.QUEUED,
        error=str(exc)[:2000],
        heartbeat_at=timezone.now(),
        message=f"Retrying soon ({attempts_left} attempts left): {exc}"[:500],
    )
    return True


def job_execute(job_id: int) -> str:
    """Run one job to its end. Returns the outcome: succeeded, failed, cancelled,
    or why the job was not taken. A transient failure (JobRetryable, or an
    exception with retryable=True such as the fetcher's network errors) leaves
    the job queued, showing that it will retry, and propagates for the task to
    retry with backoff; when the attempts are used up the job fails instead."""
    job, refusal = _claim(job_id, worker_name())
    if job is None:
        return refusal
    handler = HANDLERS.get(job.kind)
    if handler is None:
        _finish(job, Job.Status.FAILED, error=f"No handler for jobs of kind “{job.kind}”.")
        return "failed"
    heartbeat = (
        _Heartbeat(job.pk) if not getattr(settings, "CELERY_TASK_ALWAYS_EAGER", False) else None
    )
    if heartbeat:
        heartbeat.start()
    try:
        result = handler(job) or {}
    except JobFailed as exc:
        _finish(job, Job.Status.FAILED, error=str(exc))
        return "failed"
    except JobContinue as exc:
        if Job.objects.filter(pk=job.pk, status=Job.Status.RUNNING).update(
            status=Job.Status.QUEUED,
            attempts=F("attempts") - 1,
            heartbeat_at=timezone.now(),
            message=(str(exc) or "Continuing…")[:500],
        ):
            send_after_commit(job.pk)
        return "continued"
    except SoftTimeLimitExceeded:
        limit = getattr(settings, "CELERY_TASK_SOFT_TIME_LIMIT", None)
        _finish(
            job,
            Job.Status.FAILED,
            error=f"The job ran longer than its time limit ({limit} seconds) and was stopped.",
        )
        return "failed"
    except Exception as exc:
        if _is_retryable(exc):
            if not _requeue_for_retry(job, exc):
                return "failed"
            if isinstance(exc, JobRetryable):
                raise
            raise JobRetryable(str(exc)) from exc
        logger.exception("Job %s (%s) crashed", job.pk, job.kind)
        _finish(job, Job.Status.FAILED, error=f"Unexpected error: {type(exc).__name__}: {exc}")
        return "failed"
    finally:
        if heartbeat:
            heartbeat.stop()
    status = Job.objects.filter(pk=job.pk).values_list("status", flat=True).first()
    if status is None:
        return "gone"  # deleted with its target meanwhile
    if status == Job.Status.CANCELLED:
        return "cancelled"
    _finish(job, Job.Status.SUCCEEDED, message=result.pop("message", "Done."), result=result)
    return "succeeded"
