"""Reconciling a workspace's figures into the stored summary the page reads.

`figures_reconcile` reads every figure of the workspace in one query, applies
the rules (counting.reconcile: grouped by scope, sorted by date, O(n log n)),
and replaces the workspace's FigureSummary and FigureCategory rows in one
transaction. Each category keeps what the page shows, bounded (the newest
points of each source, the newest findings of each kind, with counts), so
rendering a page costs the same at a hundred figures or a million.

It runs as a job (Job.Kind.RECONCILE_FIGURES), queued by claim, place and
tolerance changes; one queued job per workspace at most.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import Any

from django.db import transaction
from django.utils import timezone

from claims.figure_records import figure_records, reconcilable
from claims.models import Figure
from counting.figures import range_ends
from counting.reconcile import (
    Category,
    Conflict,
    FigureRecord,
    PartsCheck,
    Range,
    Reconciliation,
    SourceSeries,
    reconcile,
)
from counting.scope import Basis, Population
from counting.wording import format_number
from figures.models import FigureCategory, FigureSummary
from jobs.models import Job
from jobs.runner import job_progress
from vocabulary.selectors import gazetteer_for
from vocabulary.services import reconcile_later
from workspaces.access import ANNOTATORS, require_role
from workspaces.models import Workspace

# What a category keeps for the page (the newest of each; counts of all).
MAX_POINTS_PER_SOURCE = 40
MAX_SOURCES = 12
MAX_FINDINGS = 25


def _number(value) -> float | None:
    return None if value is None else float(value)


def _figure(record: FigureRecord, role: str = "", note: str = "") -> dict[str, Any]:
    interval = record.interval
    low, high = range_ends(record.value, record.qualifier, record.value_high)
    return {
        "id": record.id,
        "claim": record.claim_id,
        "article": record.article_id,
        "title": record.article_title,
        "source": record.source_name,
        "source_id": record.source_id,
        "text": record.text,
        "value": float(record.value),
        "low": float(low),
        "high": float(high),
        "unbounded": interval.hi is None,
        "date": record.time_key[-1].isoformat(),
        "start": record.period_start.isoformat() if record.period_start else None,
        "when": record.when,
        "counted": record.counted,
        "place": record.place_name,
        "role": role,
        "note": note,
    }


def _series(series: SourceSeries) -> dict[str, Any]:
    entries = series.entries[-MAX_POINTS_PER_SOURCE:]
    return {
        "source": series.source_name,
        "source_id": series.source_id,
        "total": len(series.entries),
        "points": len(series.points),
        "entries": [_figure(e.record, e.role, e.note) for e in entries],
        "latest": _figure(series.latest),
    }


def _conflict(conflict: Conflict) -> dict[str, Any]:
    return {
        "kind": conflict.kind,
        "figures": [_figure(r) for r in conflict.records],
        "message": conflict.message,
    }


def _range(found: Range) -> dict[str, Any]:
    return {
        "low": float(found.low),
        "high": float(found.high),
        "low_text": format_number(found.low),
        "high_text": format_number(found.high),
        "when": found.when,
        "date": found.records[0].time_key[-1].isoformat(),
        "sources": found.sources,
        "figures": [_figure(r) for r in found.records],
        "message": found.message,
    }


def _parts(check: PartsCheck) -> dict[str, Any]:
    return {
        "state": check.state,
        "state_label": check.state_label,
        "rule": check.rule,
        "total": _figure(check.total),
        "parts": [_figure(p) for p in check.parts],
        "message": check.message,
    }


def _steps(records: Sequence[FigureRecord]) -> list[dict[str, Any]]:
    """A timeline's points, each with its change from the one before."""
    steps = []
    for previous, record in zip((None, *records), records, strict=False):
        point = _figure(record)
        if previous is not None:
            difference = record.value - previous.value
            point["change"] = (
                f"up {format_number(difference)}"
                if difference > 0
                else f"revised down {format_number(-difference)}"
                if difference < 0
                else "unchanged"
            )
        steps.append(point)
    return steps


def _newest(items: Sequence, key) -> list:
    return sorted(items, key=key, reverse=True)[:MAX_FINDINGS]


def category_data(category: Category) -> dict[str, Any]:
    """What the page shows of one category, as JSON (bounded)."""
    scope = category.scope
    series = sorted(category.series, key=lambda s: (-len(s.entries), s.source_name.lower()))
    return {
        "basis": scope.basis,
        "basis_label": Basis.LABELS[scope.basis],
        "population": Population.LABELS.get(scope.population, scope.population),
        "subgroups": list(scope.subgroups),
        "outcome": category.records[0].outcome_label or scope.outcome,
        "place": category.records[0].place_name,
        "series": [_series(s) for s in series[:MAX_SOURCES]],
        "more_sources": max(0, len(series) - MAX_SOURCES),
        "updates": [
            {
                "source": u.source_name,
                "points": _steps(u.records)[-MAX_POINTS_PER_SOURCE:],
                "total": len(u.records),
            }
            for u in category.updates
        ][:MAX_FINDINGS],
        "repeats": [
            {"first": _figure(r.first), "again": _figure(r.again), "note": r.note}
            for r in _newest(category.repeats, key=lambda r: r.again.sort_key)
        ],
        "repeat_count": len(category.repeats),
        "conflicts": [
            _conflict(c) for c in _newest(category.conflicts, key=lambda c: c.records[1].sort_key)
        ],
        "ranges": [
            _range(r) for r in _newest(category.ranges, key=lambda r: r.records[0].sort_key)
        ],
        "range_count": len(category.ranges),
        "parts": [
            _parts(p) for p in _newest(category.parts_checks, key=lambda p: p.total.sort_key)
        ],
    }


def _category_row(workspace: Workspace, rank: int, category: Category) -> FigureCategory:
    return FigureCategory(
        workspace=workspace,
        rank=rank,
        key=category.key[:250],
        label=category.label[:400],
        figure_count=category.figure_count,
        source_count=len(category.series),
        conflict_count=len(category.conflicts),
        update_count=len(category.updates),
        parts_count=len(category.parts_checks),
        exceeding_count=len(category.exceeding_parts),
        latest=category.latest,
        data=category_data(category),
    )


def workspace_reconciliation(*, workspace: Workspace) -> Reconciliation:
    """The rules applied to every figure of the workspace (reads only)."""
    records = figure_records(reconcilable(Figure.objects.filter(claim__workspace=workspace)))
    gazetteer = gazetteer_for(workspace=workspace)
    return reconcile(records, parents=gazetteer.parents, tolerance=workspace.figure_tolerance)


@transaction.atomic
def _store(workspace: Workspace, result: Reconciliation, seconds: float) -> FigureSummary:
    FigureCategory.objects.filter(workspace=workspace).delete()
    FigureCategory.objects.bulk_create(
        (_category_row(workspace, rank, c) for rank, c in enumerate(result.categories, start=1)),
        batch_size=200,
    )
    summary, _ = FigureSummary.objects.update_or_create(
        workspace=workspace,
        defaults={
            "computed_at": timezone.now(),
            "seconds": round(seconds, 3),
            "tolerance": result.tolerance,
            "figures": sum(c.figure_count for c in result.categories) + len(result.unscoped),
            "unscoped": len(result.unscoped),
            "categories": len(result.categories),
            "updates": len(result.updates),
            "repeats": len(result.repeats),
            "conflicts": len(result.conflicts),
            "ranges": len(result.ranges),
            "parts_checks": len(result.parts_checks),
            "exceeding_parts": sum(len(c.exceeding_parts) for c in result.categories),
        },
    )
    return summary


def figures_reconcile(*, workspace: Workspace) -> FigureSummary:
    """Reconcile the workspace's figures and store what the page shows.
    Idempotent: running it twice stores the same."""
    workspace = Workspace.objects.get(pk=workspace.pk)  # the tolerance as it is now
    started = time.monotonic()
    result = workspace_reconciliation(workspace=workspace)
    return _store(workspace, result, time.monotonic() - started)


def reconcile_start(*, workspace: Workspace, actor) -> Job:
    """An analyst asks for the figures to be reconciled now."""
    require_role(workspace=workspace, user=actor, roles=ANNOTATORS, action="reconcile figures")
    return reconcile_later(workspace=workspace, actor=actor)


def reconcile_figures_job(job: Job) -> dict:
    workspace = Workspace.objects.filter(pk=job.workspace_id).first()
    if workspace is None:
        return {"message": "The workspace no longer exists."}
    job_progress(job, done=0, total=1, message="Reconciling the workspace's figures…")
    summary = figures_reconcile(workspace=workspace)
    return {
        "message": f"{summary.categories} categories, {summary.conflicts} conflicts, "
        f"{summary.parts_checks} parts checks ({summary.seconds:.1f} s).",
        "categories": summary.categories,
        "conflicts": summary.conflicts,
    }
