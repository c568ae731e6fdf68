"""Reads for archives: snapshots (never with their WARC bytes when listing), an
evidence item's archive state, its latest archive job."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet, prefetch_related_objects

from archive.models import Snapshot
from claims.models import Evidence
from jobs.models import Job
from workspaces.models import Workspace
from workspaces.selectors import get_or_not_found


def snapshots_newest_first() -> QuerySet[Snapshot]:
    """Snapshots without their WARC bytes, for listing."""
    return Snapshot.objects.defer("warc", "text", "headers").order_by("-fetched_at", "-id")


def snapshot_for_workspace(*, workspace: Workspace, pk: int) -> Snapshot:
    return get_or_not_found(Snapshot, workspace=workspace, pk=pk)


def evidence_with_snapshots(*, workspace: Workspace, pk: int) -> Evidence:
    """One evidence item as the claim panel shows it: snapshots newest first."""
    return get_or_not_found(
        Evidence.objects.prefetch_related(Prefetch("snapshots", queryset=snapshots_newest_first())),
        workspace=workspace,
        pk=pk,
    )


def latest_archive_job(*, evidence: Evidence) -> Job | None:
    """The newest archive job for an evidence item (served by job_target_idx)."""
    return Job.objects.latest_for(kind=Job.Kind.ARCHIVE_EVIDENCE, target=evidence)


def with_snapshots(evidence: list[Evidence]) -> None:
    """Load the snapshots of already-fetched evidence items (newest first,
    without their bytes) in one query, for the claim panel."""
    prefetch_related_objects(evidence, Prefetch("snapshots", queryset=snapshots_newest_first()))
