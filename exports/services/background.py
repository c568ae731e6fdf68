"""The background export job: PDF reports, and any export above the job
threshold. The finished file is stored on the Export row for download.
Registered as the handler of export jobs by exports.tasks."""

from __future__ import annotations

from celery.exceptions import SoftTimeLimitExceeded
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat

from exports.exceptions import ExportFailed
from exports.models import Export
from exports.services.runner import export_prepare, export_to_storage
from jobs.limits import time_limits_for
from jobs.models import Job
from jobs.runner import JobFailed, job_progress
from workspaces.exceptions import NotAllowed, NotAMember


def export_job_run(job: Job) -> dict:
    # Idempotent: a job whose export was recorded before its worker died is done.
    done = Export.objects.filter(job=job).values_list("pk", flat=True).first()
    if done:
        return {"message": "Export ready.", "export_id": done}
    params = job.params or {}
    actor = get_user_model().objects.filter(pk=params.get("actor")).first()
    if actor is None:
        raise JobFailed("The user who asked for this export no longer exists.")
    # Checked again now: a member removed, or an admin demoted, since asking
    # no longer gets the file.
    try:
        ctx = export_prepare(
            workspace=job.workspace,
            actor=actor,
            format=params.get("format", ""),
            params=params.get("scope") or {},
            include_real_names=bool(params.get("include_real_names")),
            base_url=params.get("base_url"),
        )
    except NotAMember:
        raise JobFailed(f"{actor.username} is no longer a member of this workspace.") from None
    except NotAllowed as exc:
        raise JobFailed(str(exc)) from None
    except ValidationError as exc:
        raise JobFailed(" ".join(exc.messages)) from None

    def progress(done: int, total: int) -> None:
        job_progress(job, done=done, total=total, message=f"{done} of {total} claims written…")

    ctx.progress = progress
    try:
        export = export_to_storage(ctx, job=job)
    except ExportFailed as exc:
        raise JobFailed(str(exc)) from None
    except SoftTimeLimitExceeded:
        raise JobFailed(
            f"The export of {ctx.claim_count} claims took longer than a job may run "
            f"({time_limits_for(Job.Kind.EXPORT)[0]} s). Export a narrower scope, or raise "
            "EXPORT_SOFT_TIME_LIMIT and EXPORT_HARD_TIME_LIMIT (and REDIS_VISIBILITY_TIMEOUT "
            "above them)."
        ) from None
    label = Export.Format(ctx.format).label
    return {
        "message": f"{label} ready: {ctx.claim_count} claims, {filesizeformat(export.size)}.",
        "export_id": export.pk,
    }
