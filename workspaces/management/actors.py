"""Who a management command acts as: the member named with --as-user, or a
default member of the workspace. Shared by the commands that write."""

from django.contrib.auth import get_user_model
from django.core.management.base import CommandError

from workspaces.models import Membership


def command_actor(workspace, username: str, *, default_roles, missing: str):
    """The named member, or the first member holding one of default_roles
    (in the given order); CommandError with `missing` when there is none."""
    memberships = Membership.objects.filter(workspace=workspace).select_related("user")
    if username:
        membership = memberships.filter(user__username=username).first()
        if membership is None:
            if not get_user_model().objects.filter(username=username).exists():
                raise CommandError(f"No user “{username}”.")
            raise CommandError(f"“{username}” is not a member of workspace “{workspace.slug}”.")
        return membership.user
    for role in default_roles:
        membership = memberships.filter(role=role).order_by("id").first()
        if membership is not None:
            return membership.user
    raise CommandError(missing)
