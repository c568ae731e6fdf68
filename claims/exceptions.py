"""Errors a user can cause. Services raise them; views turn them into form
errors or 4xx answers with the message, commands into a non-zero exit."""

from django.core.exceptions import PermissionDenied, ValidationError

__all__ = [
    "NotAllowed",
    "PermissionDenied",
    "StaleVersion",
    "TransitionNotAllowed",
    "ValidationError",
]


class NotAllowed(PermissionDenied):
    """The actor's role in the workspace does not permit this action."""


class StaleVersion(Exception):
    """The object changed since the actor loaded it; nothing was written."""

    def __init__(self, message: str, *, current=None, changed_fields=()):
        super().__init__(message)
        self.message = message
        self.current = current
        self.changed_fields = tuple(changed_fields)


class TransitionNotAllowed(Exception):
    """A workflow transition that the state machine refuses."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message
