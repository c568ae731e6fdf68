"""The job system's limits, read from settings: heartbeats, staleness, time
limits per kind, and what the broker's visibility timeout allows."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings


def time_budget() -> float:
    """Seconds a handler should work in one delivery before raising JobContinue:
    well under the soft time limit."""
    default = float(getattr(settings, "CELERY_TASK_SOFT_TIME_LIMIT", 240)) / 2
    return float(getattr(settings, "JOB_TIME_BUDGET_SECONDS", default))


def heartbeat_interval() -> float:
    return float(getattr(settings, "JOB_HEARTBEAT_SECONDS", 5))


def heartbeat_stale_after() -> timedelta:
    """A running job whose heartbeat is older than this lost its worker."""
    return timedelta(seconds=float(getattr(settings, "JOB_STALE_SECONDS", 60)))


def visibility_timeout() -> float:
    """Seconds after which Redis hands an unacknowledged message to another worker."""
    options = getattr(settings, "CELERY_BROKER_TRANSPORT_OPTIONS", {}) or {}
    return float(options.get("visibility_timeout", 3600))


def max_countdown() -> float:
    """The longest delay any message may carry. A worker holds a delayed message
    unacknowledged until it is due, so a delay beyond the visibility timeout
    would make Redis deliver it a second time."""
    return visibility_timeout() / 2


def resend_queued_after() -> timedelta:
    """A job queued (or re-queued) this long ago whose message may have been lost
    is sent again by the sweeper. Longer than any retry backoff, so a job
    waiting out its backoff is not hurried."""
    return timedelta(seconds=float(getattr(settings, "JOB_RESEND_QUEUED_SECONDS", 600)))


def time_limits_for(kind: str) -> tuple[int, int]:
    """(soft, hard) seconds for a job kind: the task defaults, or the longer
    limits some kinds need (a PDF report of 10,000 claims takes many minutes)."""
    default = (settings.CELERY_TASK_SOFT_TIME_LIMIT, settings.CELERY_TASK_TIME_LIMIT)
    return tuple(getattr(settings, "JOB_TIME_LIMITS", {}).get(kind, default))
