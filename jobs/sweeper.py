"""The sweeper (run by beat): requeue jobs whose worker vanished, resend lost messages."""

from __future__ import annotations

from django.db.models import Q
from django.utils import timezone

from jobs.limits import heartbeat_stale_after, resend_queued_after
from jobs.models import Job
from jobs.sending import send_after_commit


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
            send_after_commit(job.pk)
            requeued += 1
    waiting_since = now - resend_queued_after()
    lost = Job.objects.filter(status=Job.Status.QUEUED).filter(
        Q(heartbeat_at__lt=waiting_since) | Q(heartbeat_at=None, created_at__lt=waiting_since)
    )
    for job_id in lost.values_list("pk", flat=True)[:500]:
        if Job.objects.filter(pk=job_id, status=Job.Status.QUEUED).update(heartbeat_at=now):
            send_after_commit(job_id)
            resent += 1
    return {"requeued": requeued, "failed": failed, "resent": resent}
