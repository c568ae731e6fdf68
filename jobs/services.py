"""Starting, retrying and cancelling jobs. Features start their jobs here, by kind."""

from __future__ import annotations

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone

from jobs.models import Job
from jobs.sending import send_after_commit
from workspaces.access import EVERYONE, require_role
from workspaces.models import Workspace


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
    target_type = ContentType.objects.get_for_model(target) if target is not None else None
    target_id = target.pk if target is not None else None
    if dedupe and target is not None:
        active = (
            Job.objects.in_workspace(workspace)
            .of_kind(kind)
            .filter(
                target_type=target_type,
                target_id=target_id,
                status__in=Job.ACTIVE if reuse_running else [Job.Status.QUEUED],
                params=params or {},
            )
            .first()
        )
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
    send_after_commit(job.pk)
    return job


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
        send_after_commit(job.pk)
    return job


@transaction.atomic
def job_cancel(*, job: Job, actor) -> Job:
    _job_for_user(job, actor)
    Job.objects.filter(pk=job.pk, status__in=Job.ACTIVE).update(
        status=Job.Status.CANCELLED, finished_at=timezone.now(), message="Cancelled."
    )
    job.refresh_from_db()
    return job
