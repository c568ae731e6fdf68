"""The request an audit event belongs to. The web layer binds the id of each
request here (workbench.middleware); events written meanwhile record it."""

from contextvars import ContextVar

current_request_id: ContextVar[str] = ContextVar("current_request_id", default="")
