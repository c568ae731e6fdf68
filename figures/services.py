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
    Role,
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
MAX_POINTS_PER_SOURCE = 30
MAX_SOURCES = 8  # the chart's colours
MAX_FINDINGS = 12
MAX_NAMED = 8  # figures and sources named in a range
MAX_PARTS = 12
MAX_STEPS = 10  # points of a timeline listed under "Updates"
MAX_REPEATS = 6


def _point(record: FigureRecord, role: str = "", note: str = "") -> dict[str, Any]:
    """A figure as the chart and the table draw it."""
    low, high = range_ends(record.value, record.qualifier, record.value_high)
    return {
        "id": record.id,
        "claim": record.claim_id,
        "title": record.article_title[:80],
        "text": record.text,
        "value": float(record.value),
        "low": float(low),
        "high": float(high),
        "unbounded": record.interval.hi is None,
        "date": record.time_key[-1].isoformat(),
        "when": record.when,
        "counted": record.counted[:80],
        "role": role,
        "note": note,
    }


def _ref(record: FigureRecord) -> dict[str, Any]:
    """A figure as a finding names it (a link to its claim)."""
    return {
        "id": record.id,
        "claim": record.claim_id,
        "source": record.source_name,
        "text": record.text,
        "when": record.when,
        "title": record.article_title[:80],
        "counted": record.counted[:80],
        "place": record.place_name,
    }


def _short_note(entry) -> str:
    """How a figure relates to the one before it in its series, briefly (the
    rule itself is said once on the page)."""
    previous = entry.previous
    if previous is None:
        return ""
    if entry.role == Role.UPDATE:
        difference = entry.record.value - previous.value
        change = (
            f"up {format_number(difference)}"
            if difference > 0
            else f"revised down {format_number(-difference)}"
            if difference < 0
            else "unchanged"
        )
        return f"updates {previous.text} of {previous.when}, {change}"
    if entry.role == Role.REPEAT:
        return f"repeats {previous.text} of {previous.when}"
    return f"differs from {previous.text} given for the same day"


def _series(series: SourceSeries) -> dict[str, Any]:
    entries = series.entries[-MAX_POINTS_PER_SOURCE:]
    return {
        "source": series.source_name,
        "source_id": series.source_id,
        "total": len(series.entries),
        "points": len(series.points),
        "entries": [_point(e.record, e.role, _short_note(e)) for e in entries],
        "latest": _point(series.latest),
    }


def _conflict(conflict: Conflict) -> dict[str, Any]:
    return {
        "kind": conflict.kind,
        "figures": [_ref(r) for r in conflict.records],
        "message": conflict.message,
    }


def _range(found: Range) -> dict[str, Any]:
    sources = found.sources
    return {
        "low": float(found.low),
        "high": float(found.high),
        "low_text": format_number(found.low),
        "high_text": format_number(found.high),
        "when": found.when,
        "date": found.records[0].time_key[-1].isoformat(),
        "sources": sources[:MAX_NAMED],
        "more_sources": max(0, len(sources) - MAX_NAMED),
        "figures": [_ref(r) for r in found.records[:MAX_NAMED]],
        "more_figures": max(0, len(found.records) - MAX_NAMED),
    }


def _parts(check: PartsCheck) -> dict[str, Any]:
    return {
        "state": check.state,
        "state_label": check.state_label,
        "rule": check.rule,
        "total": _ref(check.total),
        "parts": [_ref(p) for p in check.parts[:MAX_PARTS]],
        "more_parts": max(0, len(check.parts) - MAX_PARTS),
        "message": check.message,
    }


def _steps(records: Sequence[FigureRecord]) -> list[dict[str, Any]]:
    """A timeline's newest points, each with its change from the one before."""
    steps = []
    for previous, record in zip((None, *records), records, strict=False):
        point = _ref(record)
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
    return steps[-MAX_STEPS:]


def _newest(items: Sequence, key) -> list:
    return sorted(items, key=key, reverse=True)[:MAX_FINDINGS]


def category_data(category: Category) -> dict[str, Any]:
    """What the page shows of one category, as JSON. Bounded whatever the
    workspace's size: the most active sources, the newest points and findings,
    and counts of the rest."""
    scope = category.scope
    series = sorted(category.series, key=lambda s: (-len(s.entries), s.source_name.lower()))
    charted = {s.source_id for s in series[:MAX_SOURCES]}
    first = category.records[0]
    return {
        "basis": scope.basis,
        "basis_label": Basis.LABELS[scope.basis],
        "population": Population.LABELS.get(scope.population, scope.population),
        "subgroups": list(scope.subgroups),
        "outcome": first.outcome_label or scope.outcome,
        "place": first.place_name,
        "series": [_series(s) for s in series[:MAX_SOURCES]],
        "more_sources": max(0, len(series) - MAX_SOURCES),
        "updates": [
            {"source": u.source_name, "points": _steps(u.records), "total": len(u.records)}
            for u in category.updates
            if u.source_id in charted
        ],
        "update_count": len(category.updates),
        "repeats": [
            {"first": _ref(r.first), "again": _ref(r.again)}
            for r in _newest(category.repeats, key=lambda r: r.again.sort_key)[:MAX_REPEATS]
        ],
        "repeat_count": len(category.repeats),
        "conflicts": [
            _conflict(c) for c in _newest(category.conflicts, key=lambda c: c.records[1].sort_key)
        ],
        "conflict_count": len(category.conflicts),
        "ranges": [
            _range(r) for r in _newest(category.ranges, key=lambda r: r.records[0].sort_key)
        ],
        "range_count": len(category.ranges),
        "parts": [
            _parts(p) for p in _newest(category.parts_checks, key=lambda p: p.total.sort_key)
        ],
        "parts_count": len(category.parts_checks),
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
