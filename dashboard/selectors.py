"""Reads for the dashboard page: the stored summary and its refresh job."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType

from dashboard.models import DashboardSummary
from jobs.models import Job
from workspaces.models import Workspace


def summary_for(*, workspace: Workspace) -> DashboardSummary | None:
    return DashboardSummary.objects.filter(workspace=workspace).first()


def active_refresh(*, workspace: Workspace) -> Job | None:
    """The refresh job queued or running for the workspace, if any."""
    return (
        Job.objects.in_workspace(workspace)
        .of_kind(Job.Kind.DASHBOARD)
        .active()
        .filter(target_type=ContentType.objects.get_for_model(Workspace), target_id=workspace.pk)
        .first()
    )
