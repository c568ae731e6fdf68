"""Reads for the jobs pages."""

from __future__ import annotations

from django.db.models import QuerySet

from jobs.models import Job
from workspaces.pagination import KeysetPage, keyset_page
from workspaces.selectors import get_or_not_found

# The Jobs page's keyset order, newest first (served by job_ws_recent_idx).
JOB_ORDER = ("-created_at", "-id")


def jobs_for_workspace(*, workspace) -> QuerySet[Job]:
    """The workspace's jobs with what the Jobs page shows."""
    return Job.objects.in_workspace(workspace).select_related("created_by", "target_type")


def jobs_page(*, workspace, after: str = "", before: str = "", size: int) -> KeysetPage:
    """One page of the workspace's jobs, newest first (one query)."""
    return keyset_page(
        jobs_for_workspace(workspace=workspace),
        order=JOB_ORDER,
        after=after,
        before=before,
        size=size,
    )


def job_for_workspace(*, workspace, pk: int, kind: str | None = None) -> Job:
    jobs = Job.objects.in_workspace(workspace).select_related("created_by", "target_type")
    if kind is not None:
        jobs = jobs.of_kind(kind)
    return get_or_not_found(jobs, pk=pk)
