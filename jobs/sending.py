"""The one place that sends run_job messages to the broker.

Messages carry the job's id only, and are sent by task name, so nothing here
imports the tasks module (tasks -> services, never back). In-process mode
(no REDIS_URL) runs the task eagerly when the transaction commits.
"""

from __future__ import annotations

import logging

from celery import current_app
from django.conf import settings
from django.db import transaction

from jobs.limits import max_countdown, time_limits_for
from jobs.models import Job

logger = logging.getLogger(__name__)

RUN_JOB_TASK = "jobs.tasks.run_job"


def send_now(job_id: int, countdown: float = 0) -> None:
    """Send one run_job message for a job (ids only)."""
    countdown = min(max(countdown, 0), max_countdown())
    # The queue is named on every send: the Celery app caches its default queue.
    queue = getattr(settings, "CELERY_TASK_DEFAULT_QUEUE", None) or "celery"
    kind = Job.objects.filter(pk=job_id).values_list("kind", flat=True).first() or ""
    soft, hard = time_limits_for(kind)
    current_app.tasks[RUN_JOB_TASK].apply_async(
        kwargs={"job_id": job_id},
        countdown=countdown or None,
        queue=queue,
        soft_time_limit=soft,
        time_limit=hard,
    )


def send_after_commit(job_id: int) -> None:
    """Send the job's message once the surrounding transaction commits.

    robust: a broker that is down must not turn the user's committed request
    into an error page; the job stays queued and the sweeper sends it again.
    """

    def send_job() -> None:
        send_now(job_id)

    transaction.on_commit(send_job, robust=True)
