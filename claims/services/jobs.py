"""Background jobs: the Job row is the truth the pages read.

A job is created by a service (never by a view directly), sent to Celery only
after the transaction commits, and run by `job_execute`, which:

- claims the row with a conditional update, so two deliveries of one message
  never run it twice at once;
- counts attempts on the row itself (brokers keep no delivery count), so a
  job that kills its worker every time fails after `max_attempts` instead of
  looping forever;
- beats a heartbeat while the handler runs, so the sweeper can tell a job
  whose worker vanished from a slow one;
- records progress, the result, or the error users see, with a retry button.

Handlers are plain functions registered per job kind with @job_handler. They
must be idempotent: running one twice creates nothing twice.
"""

from __future__ import annotations

import logging
import socket
import threading
from collections.abc import Callable
from datetime import timedelta
from functools import partial
from typing import Any

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.db import close_old_connections, transaction
from django.db.models import F, Q
from django.utils import timezone

from claims.models import Job, Workspace
from claims.services.access import EVERYONE, require_role

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


def time_budget() -> float:
    """Seconds a handler should work in one delivery before raising JobContinue:
    well under the soft time limit."""
    default = float(getattr(settings, "CELERY_TASK_SOFT_TIME_LIMIT", 240)) / 2
    return float(getattr(settings, "JOB_TIME_BUDGET_SECONDS", default))


def job_handler(kind: str) -> Callable[[Handler], Handler]:
    def register(func: Handler) -> Handler:
        HANDLERS[kind] = func
        return func

    return register


def heartbeat_interval() -> float:
    return float(getattr(settings, "JOB_HEARTBEAT_SECONDS", 5))


def heartbeat_stale_after() -> timedelta:
    """A running job whose heartbeat is older than this lost its worker."""
    return timedelta(seconds=float(getattr(settings, "JOB_STALE_SECONDS", 60)))


def visibility_timeout() -> float:
    """Seconds after which Redis hands an unacknowledged message to another worker."""
    options = getattr(settings, "CELERY_BROKER_TRANSPORT_OPTIONS", {}) or {}
    return float(options.get("visibility_timeout", 3600))


def max_countdown() -> float:
    """The longest delay any message may carry. A worker holds a delayed message
    unacknowledged until it is due, so a delay beyond the visibility timeout
    would make Redis deliver it a second time."""
    return visibility_timeout() / 2


def resend_queued_after() -> timedelta:
    """A job queued (or re-queued) this long ago whose message may have been lost
    is sent again by the sweeper. Longer than any retry backoff, so a job
    waiting out its backoff is not hurried."""
    return timedelta(seconds=float(getattr(settings, "JOB_RESEND_QUEUED_SECONDS", 600)))


def time_limits_for(kind: str) -> tuple[int, int]:
    """(soft, hard) seconds for a job kind: the task defaults, or the longer
    limits some kinds need (a PDF report of 10,000 claims takes many minutes)."""
    default = (settings.CELERY_TASK_SOFT_TIME_LIMIT, settings.CELERY_TASK_TIME_LIMIT)
    return tuple(getattr(settings, "JOB_TIME_LIMITS", {}).get(kind, default))


def _send(job_id: int, countdown: float = 0) -> None:
    """The one place that sends run_job messages."""
    from claims.tasks import run_job

    countdown = min(max(countdown, 0), max_countdown())
    # The queue is named on every send: the Celery app caches its default queue.
    queue = getattr(settings, "CELERY_TASK_DEFAULT_QUEUE", None) or "celery"
    kind = Job.objects.filter(pk=job_id).values_list("kind", flat=True).first() or ""
    soft, hard = time_limits_for(kind)
    run_job.apply_async(
        kwargs={"job_id": job_id},
        countdown=countdown or None,
        queue=queue,
        soft_time_limit=soft,
        time_limit=hard,
    )


def _send_on_commit(job_id: int) -> None:
    # robust: a broker that is down must not turn the user's committed request
    # into an error page; the job stays queued and the sweeper sends it again.
    transaction.on_commit(partial(_send, job_id), robust=True)


def job_enqueue(
    *,
    workspace: Workspace,
    kind: str,
    actor=None,
    target=None,
    params: dict[str, Any] | None = None,
    message: str = "",
    dedupe: bool = True,
    reuse_running: bool = True,
    max_attempts: int = 3,
) -> Job:
    """Create a job and send it to a worker once the surrounding transaction
    commits. With dedupe, an active job of the same kind and target is
    returned instead of starting a second one. A job that must see the target's
    latest state passes reuse_running=False: a running job may already have
    read the target, so only a queued one is reused."""
    target_type = target._meta.model_name if target is not None else ""
    target_id = str(target.pk) if target is not None else ""
    if dedupe and target is not None:
        active = Job.objects.filter(
            workspace=workspace,
            kind=kind,
            target_type=target_type,
            target_id=target_id,
            status__in=Job.ACTIVE if reuse_running else [Job.Status.QUEUED],
            params=params or {},
        ).first()
        if active:
            return active
    job = Job.objects.create(
        workspace=workspace,
        kind=kind,
        target_type=target_type,
        target_id=target_id,
        params=params or {},
        created_by=actor if getattr(actor, "pk", None) else None,
        message=message or "Waiting for a worker…",
        max_attempts=max_attempts,
    )
    _send_on_commit(job.pk)
    return job


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
            from django.db import connection

            connection.close()

    def stop(self) -> None:
        self.stopped.set()


def worker_name() -> str:
    import os

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
            _send_on_commit(job.pk)
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
    job.refresh_from_db(fields=["status"])
    if job.status == Job.Status.CANCELLED:
        return "cancelled"
    _finish(job, Job.Status.SUCCEEDED, message=result.pop("message", "Done."), result=result)
    return "succeeded"


def _job_for_user(job: Job, actor) -> None:
    require_role(workspace=job.workspace, user=actor, roles=EVERYONE, action="manage jobs")


@transaction.atomic
def job_retry(*, job: Job, actor) -> Job:
    """Queue a failed or cancelled job again, with a fresh set of attempts."""
    _job_for_user(job, actor)
    updated = Job.objects.filter(
        pk=job.pk, status__in=[Job.Status.FAILED, Job.Status.CANCELLED]
    ).update(
        status=Job.Status.QUEUED,
        attempts=0,
        error="",
        message="Queued again…",
        progress_done=0,
        finished_at=None,
        heartbeat_at=timezone.now(),
    )
    job.refresh_from_db()
    if updated:
        _send_on_commit(job.pk)
    return job


@transaction.atomic
def job_cancel(*, job: Job, actor) -> Job:
    _job_for_user(job, actor)
    Job.objects.filter(pk=job.pk, status__in=Job.ACTIVE).update(
        status=Job.Status.CANCELLED, finished_at=timezone.now(), message="Cancelled."
    )
    job.refresh_from_db()
    return job


def jobs_sweep() -> dict[str, int]:
    """Find running jobs whose worker vanished (stale heartbeat): queue them
    again, or fail them when their attempts are used up. Also re-send jobs that
    have sat queued for long (a message lost with a broker restart, or a send
    that failed); a duplicate message is harmless, the claim refuses it.

    Each change is a conditional update on the state just read, so two
    sweepers running at once (two beats) never requeue or fail a job twice."""
    now = timezone.now()
    requeued = failed = resent = 0
    stale = Job.objects.filter(
        status=Job.Status.RUNNING, heartbeat_at__lt=now - heartbeat_stale_after()
    )
    for job in stale:
        unchanged = Job.objects.filter(
            pk=job.pk, status=Job.Status.RUNNING, heartbeat_at=job.heartbeat_at
        )
        if job.attempts >= job.max_attempts:
            if unchanged.update(
                status=Job.Status.FAILED,
                finished_at=now,
                error=(
                    f"The worker running this job vanished {job.attempts} times; giving up. "
                    "Retry it once the cause is fixed."
                ),
                message="Failed: its worker vanished.",
            ):
                failed += 1
        elif unchanged.update(
            status=Job.Status.QUEUED,
            heartbeat_at=now,
            message="Its worker vanished; queued again…",
        ):
            _send_on_commit(job.pk)
            requeued += 1
    waiting_since = now - resend_queued_after()
    lost = Job.objects.filter(status=Job.Status.QUEUED).filter(
        Q(heartbeat_at__lt=waiting_since) | Q(heartbeat_at=None, created_at__lt=waiting_since)
    )
    for job_id in lost.values_list("pk", flat=True)[:500]:
        if Job.objects.filter(pk=job_id, status=Job.Status.QUEUED).update(heartbeat_at=now):
            _send_on_commit(job_id)
            resent += 1
    return {"requeued": requeued, "failed": failed, "resent": resent}
