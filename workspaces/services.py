"""Workspace membership, managed by workspace admins."""

from __future__ import annotations

import logging

from axes.utils import reset as axes_reset
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction

from audit.models import AuditEvent
from audit.services import audit_record
from workspaces.access import ADMINS, forget_membership, require_role
from workspaces.models import Membership, Workspace
from workspaces.selectors import get_or_not_found

log = logging.getLogger(__name__)


def _check_role(role: str) -> None:
    if role not in Membership.Role.values:
        raise ValidationError({"role": f"Unknown role “{role}”."})


@transaction.atomic
def membership_add(*, workspace: Workspace, actor, username: str, role: str) -> Membership:
    require_role(workspace=workspace, user=actor, roles=ADMINS, action="manage members")
    _check_role(role)
    user = get_user_model().objects.filter(username=username.strip()).first()
    if user is None:
        raise ValidationError({"username": f"No user called “{username}”."})
    if Membership.objects.filter(workspace=workspace, user=user).exists():
        raise ValidationError({"username": f"{user.username} is already a member."})
    membership = Membership.objects.create(workspace=workspace, user=user, role=role)
    audit_record(
        workspace=workspace,
        actor=actor,
        obj=membership,
        action=AuditEvent.Action.CREATE,
        changes={"user": [None, user.username], "role": [None, role]},
    )
    return membership


def _lock_memberships(workspace: Workspace) -> None:
    """Serialise membership changes of a workspace: the workspace row is
    locked until the transaction ends, so two admins demoting or removing
    each other at once are decided one after the other, and the second sees
    the first's change when it counts the admins left (F9)."""
    Workspace.objects.select_for_update().filter(pk=workspace.pk).first()


def _admins_left(workspace: Workspace, without: Membership) -> int:
    return (
        Membership.objects.filter(workspace=workspace, role=Membership.Role.ADMIN)
        .exclude(pk=without.pk)
        .count()
    )


@transaction.atomic
def membership_set_role(*, membership: Membership, actor, role: str) -> Membership:
    _lock_memberships(membership.workspace)
    forget_membership(actor, membership.workspace)
    require_role(workspace=membership.workspace, user=actor, roles=ADMINS, action="manage members")
    _check_role(role)
    membership = get_or_not_found(Membership.objects.select_for_update(), pk=membership.pk)
    if (
        membership.role == Membership.Role.ADMIN
        and role != Membership.Role.ADMIN
        and not _admins_left(membership.workspace, membership)
    ):
        raise ValidationError({"role": "A workspace needs at least one admin."})
    before = membership.role
    membership.role = role
    membership.save()
    audit_record(
        workspace=membership.workspace,
        actor=actor,
        obj=membership,
        action=AuditEvent.Action.UPDATE,
        changes={
            "user": [membership.user.username, membership.user.username],
            "role": [before, role],
        },
    )
    return membership


@transaction.atomic
def membership_remove(*, membership: Membership, actor) -> None:
    _lock_memberships(membership.workspace)
    forget_membership(actor, membership.workspace)
    require_role(workspace=membership.workspace, user=actor, roles=ADMINS, action="manage members")
    membership = get_or_not_found(Membership.objects.select_for_update(), pk=membership.pk)
    if membership.role == Membership.Role.ADMIN and not _admins_left(
        membership.workspace, membership
    ):
        raise ValidationError({"role": "A workspace needs at least one admin."})
    audit_record(
        workspace=membership.workspace,
        actor=actor,
        obj=membership,
        action=AuditEvent.Action.DELETE,
        changes={"user": [membership.user.username, None], "role": [membership.role, None]},
    )
    membership.delete()


@transaction.atomic
def login_lockout_record(*, username: str, ip_address: str | None) -> int:
    """Record a sign-in lockout (django-axes' user_locked_out) in the audit
    trail of every workspace the user belongs to: the trail is per workspace,
    and those are the admins who can unlock them. A username that is no
    member of any workspace (or no user at all) is only logged. Returns how
    many workspaces recorded it."""
    memberships = Membership.objects.filter(user__username=username).select_related(
        "workspace", "user"
    )
    recorded = 0
    for membership in memberships:
        audit_record(
            workspace=membership.workspace,
            actor=None,
            obj=membership,
            action=AuditEvent.Action.UPDATE,
            label=f"sign-in of {username}",
            changes={"login_locked_out": [False, True], "ip_address": [None, ip_address or ""]},
        )
        recorded += 1
    if not recorded:
        log.warning(
            "Sign-in locked out for %r from %s (no workspace to record it in).",
            username[:150],
            ip_address,
        )
    return recorded


def on_user_locked_out(sender, request=None, username=None, ip_address=None, **kwargs):
    """Receiver of django-axes' user_locked_out signal."""
    login_lockout_record(username=str(username or ""), ip_address=ip_address)


@transaction.atomic
def member_unlock(*, membership: Membership, actor) -> int:
    """A workspace admin lifts a member's sign-in lockout (all addresses);
    recorded in the workspace's audit trail."""
    require_role(workspace=membership.workspace, user=actor, roles=ADMINS, action="manage members")
    removed = axes_reset(username=membership.user.username)
    audit_record(
        workspace=membership.workspace,
        actor=actor,
        obj=membership,
        action=AuditEvent.Action.UPDATE,
        label=f"sign-in of {membership.user.username}",
        changes={"login_locked_out": [True, False], "attempts_cleared": [None, removed]},
    )
    return removed
