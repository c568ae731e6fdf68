"""Errors about who may act in a workspace. Services raise them; one
middleware (workbench.middleware.DomainErrorMiddleware) turns them into HTTP."""

from django.core.exceptions import PermissionDenied


class NotFound(Exception):
    """No such object here (in this workspace). Answered as 404."""


class NotAMember(NotFound):
    """The user is not a member of the workspace. Answered as 404, never 403:
    a non-member must not learn that the workspace exists."""


class NotAllowed(PermissionDenied):
    """The actor's role in the workspace does not permit this action."""
