"""Computing a workspace's dashboard (in a job: it reads every claim) and
starting that job when the stored one is missing or old.

Everything is counted from what the rows say now:
- claims by status and by verdict, and the two together;
- claims added per week (created_at), split by their status today;
- claims approved per week (approved_at), split by verdict;
- reviews per week (approved or sent back), the review queue's throughput;
- the review queue's age: pending claims by how long ago they were proposed,
  the oldest, the median, and the median time from proposal to approval;
- claims per grade of their source, split by status;
- recent conflicts: confirmed "contradicts" links and pending conflict proposals.
"""

from __future__ import annotations

import statistics
import time
from datetime import UTC, datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Min, Q
from django.db.models.functions import TruncWeek
from django.utils import timezone

from claims.models import Claim, ClaimLink, Review
from dashboard.models import DashboardSummary
from exports.scope import conflicted_claims
from jobs.models import Job
from jobs.services import job_enqueue
from matching.models import LinkProposal
from workspaces.access import EVERYONE, require_role
from workspaces.models import Workspace

WEEKS = 26
# Ages of pending claims, by the calendar day (UTC) they were proposed:
# (label, days ago at least, days ago at most or None), so that each bucket
# is exactly a proposed_from/proposed_to filter of the claims table.
QUEUE_AGES = (
    ("today", 0, 0),
    ("1–2 days", 1, 2),
    ("3–6 days", 3, 6),
    ("1–2 weeks", 7, 13),
    ("2–4 weeks", 14, 27),
    ("4 weeks or more", 28, None),
)
RECENT_CONFLICTS = 8


def max_age() -> timedelta:
    """A stored dashboard older than this is recomputed when someone looks."""
    return timedelta(seconds=float(getattr(settings, "DASHBOARD_MAX_AGE_SECONDS", 300)))


def _day_start(moment: datetime) -> datetime:
    day = moment.astimezone(UTC).date()
    return datetime.combine(day, datetime.min.time(), tzinfo=UTC)


def _week_start(moment: datetime) -> datetime:
    """Monday 00:00 UTC of the moment's week (TruncWeek's weeks, in UTC as
    the claims table's date filters)."""
    day = _day_start(moment)
    return day - timedelta(days=day.weekday())


def _weekly(queryset, field: str, split: str, since: datetime) -> dict[str, dict[str, int]]:
    rows = (
        queryset.filter(**{f"{field}__gte": since})
        .annotate(week=TruncWeek(field, tzinfo=UTC))
        .order_by()
        .values("week", split)
        .annotate(n=Count("id"))
    )
    weekly: dict[str, dict[str, int]] = {}
    for row in rows:
        key = row["week"].date().isoformat()
        weekly.setdefault(key, {})[row[split] or ""] = row["n"]
    return weekly


def _claim_brief(claim: Claim) -> dict[str, Any]:
    return {
        "id": claim.pk,
        "source": claim.source.name,
        "statement": (claim.statement or claim.quote)[:140],
        "status": claim.status,
    }


def dashboard_compute(workspace: Workspace) -> dict[str, Any]:
    """The dashboard's numbers, as JSON (see the module's docstring)."""
    now = timezone.now()
    since = _week_start(now) - timedelta(weeks=WEEKS - 1)
    claims = Claim.objects.filter(workspace=workspace)

    by_status_verdict = [
        {"status": row["status"], "verdict": row["verdict"], "n": row["n"]}
        for row in claims.order_by().values("status", "verdict").annotate(n=Count("id"))
    ]

    pending = claims.filter(status=Claim.Status.PENDING_REVIEW)
    today = _day_start(now)
    ages = pending.aggregate(
        oldest=Min("proposed_at"),
        **{
            f"age_{i}": Count(
                "id",
                filter=Q(proposed_at__lt=today + timedelta(days=1 - low))
                & (Q(proposed_at__gte=today - timedelta(days=high)) if high is not None else Q()),
            )
            for i, (_, low, high) in enumerate(QUEUE_AGES)
        },
        unknown=Count("id", filter=Q(proposed_at__isnull=True)),
    )
    waiting = sorted(
        (now - proposed).total_seconds() / 86400
        for proposed in pending.exclude(proposed_at__isnull=True).values_list(
            "proposed_at", flat=True
        )
    )
    review_days = [
        (approved - proposed).total_seconds() / 86400
        for proposed, approved in claims.filter(
            status=Claim.Status.APPROVED,
            approved_at__gte=now - timedelta(days=30),
            proposed_at__isnull=False,
        ).values_list("proposed_at", "approved_at")
    ]
    reviews = Review.objects.filter(claim__workspace=workspace)

    grades = [
        {"grade": row["source__reliability"], "status": row["status"], "n": row["n"]}
        for row in claims.order_by().values("source__reliability", "status").annotate(n=Count("id"))
    ]

    links = (
        ClaimLink.objects.filter(workspace=workspace, relation=ClaimLink.Relation.CONTRADICTS)
        .select_related("from_claim__source", "to_claim__source")
        .order_by("-created_at", "-id")[:RECENT_CONFLICTS]
    )
    proposals = (
        LinkProposal.objects.filter(
            workspace=workspace,
            status=LinkProposal.Status.PENDING,
            relation=LinkProposal.Relation.CONFLICT,
        )
        .select_related("claim__source", "other__source")
        .order_by("-created_at", "-id")[:RECENT_CONFLICTS]
    )
    return {
        "today": today.date().isoformat(),
        "weeks": [(since + timedelta(weeks=i)).date().isoformat() for i in range(WEEKS)],
        "total": claims.count(),
        "by_status_verdict": by_status_verdict,
        "added_weekly": _weekly(claims, "created_at", "status", since),
        "approved_weekly": _weekly(
            claims.filter(status=Claim.Status.APPROVED), "approved_at", "verdict", since
        ),
        "reviews_weekly": _weekly(reviews, "created_at", "decision", since),
        "queue": {
            "pending": len(waiting) + ages["unknown"],
            "ages": [ages[f"age_{i}"] for i in range(len(QUEUE_AGES))],
            "oldest": ages["oldest"].isoformat() if ages["oldest"] else None,
            "median_days": round(statistics.median(waiting), 1) if waiting else None,
            "review_median_days": round(statistics.median(review_days), 1) if review_days else None,
            "approved_30d": len(review_days),
            "reviews_7d": reviews.filter(created_at__gte=now - timedelta(days=7)).count(),
            "reviews_30d": reviews.filter(created_at__gte=now - timedelta(days=30)).count(),
        },
        "grades": grades,
        "conflicts": {
            "claims": claims.filter(conflicted_claims(workspace)).count(),
            "links_total": ClaimLink.objects.filter(
                workspace=workspace, relation=ClaimLink.Relation.CONTRADICTS
            ).count(),
            "proposals_total": LinkProposal.objects.filter(
                workspace=workspace,
                status=LinkProposal.Status.PENDING,
                relation=LinkProposal.Relation.CONFLICT,
            ).count(),
            "links": [
                {
                    "created_at": link.created_at.isoformat(),
                    "a": _claim_brief(link.from_claim),
                    "b": _claim_brief(link.to_claim),
                }
                for link in links
            ],
            "proposals": [
                {
                    "created_at": proposal.created_at.isoformat(),
                    "score": proposal.score,
                    "reason": proposal.reason,
                    "a": _claim_brief(proposal.claim),
                    "b": _claim_brief(proposal.other),
                }
                for proposal in proposals
            ],
        },
    }


def dashboard_refresh(*, workspace: Workspace) -> DashboardSummary:
    """Compute the dashboard and store it (the job's work)."""
    started = time.perf_counter()
    data = dashboard_compute(workspace)
    summary, _ = DashboardSummary.objects.update_or_create(
        workspace=workspace,
        defaults={
            "computed_at": timezone.now(),
            "seconds": round(time.perf_counter() - started, 3),
            "data": data,
        },
    )
    return summary


def dashboard_job_run(job: Job) -> dict[str, Any]:
    """Job handler: recompute the workspace's dashboard (idempotent)."""
    summary = dashboard_refresh(workspace=job.workspace)
    return {"computed_at": summary.computed_at.isoformat(), "seconds": summary.seconds}


def dashboard_request_refresh(
    *, workspace: Workspace, actor, summary: DashboardSummary | None, force: bool = False
) -> Job | None:
    """Start a refresh when the stored dashboard is missing or older than
    max_age() (or when asked to); an active refresh is reused."""
    require_role(workspace=workspace, user=actor, roles=EVERYONE, action="see the dashboard")
    if not force and summary is not None and timezone.now() - summary.computed_at < max_age():
        return None
    with transaction.atomic():
        return job_enqueue(
            workspace=workspace,
            kind=Job.Kind.DASHBOARD,
            actor=actor,
            target=workspace,
            message="Counting the workspace's claims…",
        )
