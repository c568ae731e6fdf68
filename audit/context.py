"""The request an audit event belongs to. The web layer binds the id of each
request here (workbench.middleware); events written meanwhile record it."""

from contextvars import ContextVar

current_request_id: ContextVar[str] = ContextVar("current_request_id", default="")

# The X-Request-ID a client sent, if any: kept apart, labelled as the client's
# (the server's own id is what events are found by; a client cannot choose it).
current_client_request_id: ContextVar[str] = ContextVar("current_client_request_id", default="")
