"""Reads for the jobs feature: the Jobs page, one job, snapshots, archive status."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet
from django.shortcuts import get_object_or_404

from claims.models import Evidence, Job, Snapshot, Workspace

RECENT_JOBS_LIMIT = 100


def jobs_for_workspace(*, workspace: Workspace, limit: int = RECENT_JOBS_LIMIT) -> list[Job]:
    """The workspace's most recent jobs, newest first (served by job_ws_recent_idx)."""
    return list(
        Job.objects.filter(workspace=workspace)
        .select_related("created_by")
        .order_by("-created_at", "-id")[:limit]
    )


def job_for_workspace(*, workspace: Workspace, pk: int) -> Job:
    return get_object_or_404(Job.objects.select_related("created_by"), workspace=workspace, pk=pk)


def snapshots_newest_first() -> QuerySet[Snapshot]:
    """Snapshots without their WARC bytes, for listing."""
    return Snapshot.objects.defer("warc", "text", "headers").order_by("-fetched_at", "-id")


def snapshot_for_workspace(*, workspace: Workspace, pk: int) -> Snapshot:
    return get_object_or_404(Snapshot, workspace=workspace, pk=pk)


def evidence_with_snapshots(*, workspace: Workspace, pk: int) -> Evidence:
    """One evidence item as the claim panel shows it: snapshots newest first."""
    return get_object_or_404(
        Evidence.objects.prefetch_related(Prefetch("snapshots", queryset=snapshots_newest_first())),
        workspace=workspace,
        pk=pk,
    )


def latest_archive_job(*, evidence: Evidence) -> Job | None:
    """The newest archive job for an evidence item (served by job_target_idx)."""
    return (
        Job.objects.filter(
            workspace_id=evidence.workspace_id,
            kind=Job.Kind.ARCHIVE_EVIDENCE,
            target_type="evidence",
            target_id=str(evidence.pk),
        )
        .order_by("-created_at", "-id")
        .first()
    )
