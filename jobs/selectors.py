"""Reads for the jobs pages."""

from __future__ import annotations

from jobs.models import Job
from workspaces.selectors import get_or_not_found

RECENT_JOBS_LIMIT = 100


def jobs_for_workspace(*, workspace, limit: int = RECENT_JOBS_LIMIT) -> list[Job]:
    """The workspace's most recent jobs, newest first (served by job_ws_recent_idx)."""
    return list(
        Job.objects.in_workspace(workspace)
        .select_related("created_by", "target_type")
        .newest_first()[:limit]
    )


def job_for_workspace(*, workspace, pk: int, kind: str | None = None) -> Job:
    jobs = Job.objects.in_workspace(workspace).select_related("created_by", "target_type")
    if kind is not None:
        jobs = jobs.of_kind(kind)
    return get_or_not_found(jobs, pk=pk)
