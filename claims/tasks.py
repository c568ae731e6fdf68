"""Celery tasks: thin. They take ids, and the Job row carries everything else.

Written in the shape of Django 6's django.tasks (module-level functions with
JSON keyword arguments holding ids), so a later move is mechanical.
"""

from celery import shared_task

from claims.fetching import FetchNetworkError
from claims.services import jobs


@shared_task(
    bind=True,
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=(jobs.JobRetryable, FetchNetworkError),
    retry_backoff=5,
    retry_backoff_max=300,
    retry_jitter=True,
    max_retries=5,
)
def run_job(self, *, job_id: int) -> str:
    return jobs.job_execute(job_id)


@shared_task(acks_late=True)
def sweep_jobs() -> dict:
    from django.db import transaction

    with transaction.atomic():
        return jobs.jobs_sweep()
