"""Starting, retrying and cancelling jobs. Features start their jobs here, by kind."""

from __future__ import annotations

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone

from audit.models import AuditEvent
from audit.services import audit_record
from jobs.models import Job
from jobs.sending import send_after_commit
from workspaces.access import ADMINS, EVERYONE, require_role
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
    """Queue a failed or cancelled job again, with a fresh set of attempts.

    Only who started a job, or a workspace admin, may retry it (a job started
    by no one, such as a link re-check, any member). A job that acts as a
    user (its params name an "actor", as exports do) runs again as the one
    who retries it, so their own rights are checked when it runs: another
    member cannot rerun an admin's real-name export as that admin (F5). The
    retry is recorded in the audit trail."""
    _job_for_user(job, actor)
    if job.created_by_id and job.created_by_id != actor.pk:
        require_role(
            workspace=job.workspace,
            user=actor,
            roles=ADMINS,
            action="retry a job someone else started",
        )
    params = dict(job.params or {})
    if "actor" in params:
        params["actor"] = actor.pk
    updated = Job.objects.filter(
        pk=job.pk, status__in=[Job.Status.FAILED, Job.Status.CANCELLED]
    ).update(
        status=Job.Status.QUEUED,
        params=params,
        attempts=0,
        error="",
        message="Queued again…",
        progress_done=0,
        finished_at=None,
        heartbeat_at=timezone.now(),
    )
    job.refresh_from_db()
    if updated:
        audit_record(
            workspace=job.workspace,
            actor=actor,
            obj=job,
            action=AuditEvent.Action.UPDATE,
            changes={"status": [None, Job.Status.QUEUED], "retried_by": [None, actor.username]},
        )
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
