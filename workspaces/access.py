"""Who may do what in a workspace. Every service checks here before writing;
pages ask a `WorkspaceAccess` instead of comparing role names in templates."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from workspaces.exceptions import NotAllowed, NotAMember
from workspaces.models import Membership, Workspace

Role = Membership.Role

# Analysts and admins annotate; reviewers judge. A role outside the set is refused.
ANNOTATORS = frozenset({Role.ANALYST, Role.ADMIN})
REVIEWERS = frozenset({Role.REVIEWER, Role.ADMIN})
ADMINS = frozenset({Role.ADMIN})
EVERYONE = frozenset(Role)


def membership_for(*, workspace: Workspace, user) -> Membership | None:
    """The user's membership (cached on the user object for the request)."""
    if not getattr(user, "is_authenticated", False):
        return None
    cache = getattr(user, "_membership_cache", None)
    if cache is None:
        cache = user._membership_cache = {}
    if workspace.pk not in cache:
        cache[workspace.pk] = Membership.objects.filter(workspace=workspace, user=user).first()
    return cache[workspace.pk]


def forget_membership(user, workspace: Workspace) -> None:
    """Drop the cached membership after a role change."""
    getattr(user, "_membership_cache", {}).pop(workspace.pk, None)


def role_of(*, workspace: Workspace, user) -> str | None:
    membership = membership_for(workspace=workspace, user=user)
    return membership.role if membership else None


def require_member(*, workspace: Workspace, user) -> Membership:
    """A non-member must not learn the workspace exists (answered as 404)."""
    membership = membership_for(workspace=workspace, user=user)
    if membership is None:
        raise NotAMember("No such workspace.")
    return membership


def require_role(*, workspace: Workspace, user, roles: Iterable[str], action: str) -> Membership:
    membership = require_member(workspace=workspace, user=user)
    if membership.role not in roles:
        allowed = ", ".join(sorted(str(r) for r in roles))
        raise NotAllowed(f"Your role ({membership.role}) cannot {action}; it needs: {allowed}.")
    return membership


@dataclass(frozen=True)
class WorkspaceAccess:
    """What the current user may do in a workspace, for pages and templates:
    `{% if access.can_annotate %}` instead of role names in markup. The
    services enforce the same rules through require_role."""

    role: str | None

    @property
    def is_member(self) -> bool:
        return self.role is not None

    @property
    def can_annotate(self) -> bool:
        return self.role in ANNOTATORS

    @property
    def can_review(self) -> bool:
        return self.role in REVIEWERS

    @property
    def is_admin(self) -> bool:
        return self.role in ADMINS

    @classmethod
    def of(cls, *, workspace: Workspace, user) -> WorkspaceAccess:
        return cls(role_of(workspace=workspace, user=user))
