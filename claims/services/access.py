"""Who may do what in a workspace. Every service checks here before writing."""

from __future__ import annotations

from collections.abc import Iterable

from django.http import Http404

from claims.exceptions import NotAllowed
from claims.models import Membership, Workspace

Role = Membership.Role

# Analysts and admins annotate; reviewers judge. A role outside the set is refused.
ANNOTATORS = frozenset({Role.ANALYST, Role.ADMIN})
REVIEWERS = frozenset({Role.REVIEWER, Role.ADMIN})
ADMINS = frozenset({Role.ADMIN})
EVERYONE = frozenset(Role)


def membership_for(*, workspace: Workspace, user) -> Membership | None:
    if not getattr(user, "is_authenticated", False):
        return None
    cache = getattr(user, "_membership_cache", None)
    if cache is None:
        cache = user._membership_cache = {}
    if workspace.pk not in cache:
        cache[workspace.pk] = Membership.objects.filter(workspace=workspace, user=user).first()
    return cache[workspace.pk]


def role_of(*, workspace: Workspace, user) -> str | None:
    membership = membership_for(workspace=workspace, user=user)
    return membership.role if membership else None


def require_member(*, workspace: Workspace, user) -> Membership:
    """A non-member must not learn the workspace exists: 404, not 403."""
    membership = membership_for(workspace=workspace, user=user)
    if membership is None:
        raise Http404("No such workspace.")
    return membership


def require_role(*, workspace: Workspace, user, roles: Iterable[str], action: str) -> Membership:
    membership = require_member(workspace=workspace, user=user)
    if membership.role not in roles:
        allowed = ", ".join(sorted(str(r) for r in roles))
        raise NotAllowed(f"Your role ({membership.role}) cannot {action}; it needs: {allowed}.")
    return membership
