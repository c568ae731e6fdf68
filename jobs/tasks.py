"""Celery tasks of the job system: thin. They take ids, and the Job row carries
everything else.

Written in the shape of Django 6's django.tasks (module-level functions with
JSON keyword arguments holding ids), so a later move is mechanical.

Reliability, in short: run_job is acknowledged only after it ends (acks_late)
and put back when its worker dies (reject_on_worker_lost), which is safe
because job handlers are idempotent. Brokers keep no delivery count, so the Job
row counts attempts and gives up on a job that keeps killing its worker. The
sweeper (beat) requeues jobs whose worker vanished without a trace.
"""

from celery import shared_task
from django.db import transaction

from jobs import runner, sweeper

# Retry delays grow 5, 10, 20, ... seconds up to this; it must stay below the
# Redis visibility timeout (tests/test_jobs_core.py asserts it), or a message
# waiting out its delay would be handed to a second worker.
RETRY_BACKOFF_MAX = 300


@shared_task(
    bind=True,
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=(runner.JobRetryable,),
    retry_backoff=5,
    retry_backoff_max=RETRY_BACKOFF_MAX,
    retry_jitter=True,
    # The Job row bounds the attempts (Job.max_attempts); this only stops a
    # runaway loop should the row ever fail to.
    max_retries=10,
)
def run_job(self, *, job_id: int) -> str:
    return runner.job_execute(job_id)


@shared_task(acks_late=True)
def sweep_jobs() -> dict:
    with transaction.atomic():
        return sweeper.jobs_sweep()
