"""Errors a user can cause on claims. Services raise them; views turn them into
form errors, the error middleware into 409 answers with the message, commands
into a non-zero exit."""


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
