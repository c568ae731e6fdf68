"""Reads about workspaces and their members."""

from __future__ import annotations

from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Model, QuerySet

from workspaces.access import WorkspaceAccess, require_member
from workspaces.exceptions import NotAMember, NotFound
from workspaces.models import Membership, Workspace


def get_or_not_found(queryset: QuerySet | type[Model], **filters) -> Model:
    """The object matching the filters, or NotFound (answered as 404).
    Selectors use it instead of get_object_or_404: HTTP stays in the views."""
    if isinstance(queryset, type):
        queryset = queryset._default_manager.all()
    obj = queryset.filter(**filters).first()
    if obj is None:
        raise NotFound(f"No such {queryset.model._meta.verbose_name} here.")
    return obj


def memberships_for_user(user) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(user=user).select_related("workspace").order_by("workspace__name")
    )


def workspace_for_user(*, slug: str, user) -> Workspace:
    """The workspace if the user is a member; NotAMember otherwise (never reveal
    it exists). The workspace carries the user's role and access for the page."""
    workspace = Workspace.objects.filter(slug=slug).first()
    if workspace is None:
        raise NotAMember("No such workspace.")
    membership = require_member(workspace=workspace, user=user)
    workspace.access = WorkspaceAccess(membership.role)
    return workspace


def members_of(*, workspace: Workspace) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(workspace=workspace)
        .select_related("user")
        .order_by("user__username")
    )


def membership_for_workspace(*, workspace: Workspace, pk) -> Membership:
    return get_or_not_found(
        Membership.objects.select_related("user", "workspace"), workspace=workspace, pk=pk
    )


def locked_out_usernames(*, workspace: Workspace) -> set[str]:
    """Members whose sign-in is locked out now (from some address)."""
    usernames = Membership.objects.filter(workspace=workspace).values("user__username")
    return set(
        AccessAttempt.objects.filter(
            username__in=usernames, failures_since_start__gte=settings.AXES_FAILURE_LIMIT
        ).values_list("username", flat=True)
    )
