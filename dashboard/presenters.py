"""The dashboard's charts and tables, from the stored summary: SVG geometry
computed here (the template only draws it, with classes for colours, since
the CSP forbids inline styles) and, for every number, the claims-table URL
that lists exactly those claims."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any
from urllib.parse import urlencode

from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.html import escape
from django.utils.safestring import mark_safe

from claims.models import Claim, Source
from dashboard.models import DashboardSummary
from dashboard.services import QUEUE_AGES
from workspaces.models import Workspace

STATUSES = list(Claim.Status)
VERDICTS = [*list(Claim.Verdict), ""]
VERDICT_LABELS = {**dict(Claim.Verdict.choices), "": "No verdict yet"}
GRADES = list(Source.Reliability)

# Chart geometry, in SVG user units (the SVG scales to its box).
WIDTH, HEIGHT = 760, 230
LEFT, RIGHT, TOP, BOTTOM = 44, 10, 12, 34


def _link(workspace: Workspace, **filters) -> str:
    """The claims table filtered to exactly what a number counts."""
    base = getattr(workspace, "_claims_table_url", None)
    if base is None:
        base = workspace._claims_table_url = reverse("claims_table", args=[workspace.slug])
    pairs = [
        (name, str(item))
        for name, value in filters.items()
        for item in (value if isinstance(value, list | tuple) else [value])
    ]
    return f"{base}?{urlencode(pairs)}"


@dataclass
class Segment:
    x: float
    y: float
    width: float
    height: float
    css: str
    title: str
    url: str


@dataclass
class Bar:
    label: str
    total: int
    x: float
    url: str
    segments: list[Segment] = field(default_factory=list)
    cells: list[tuple[int, str]] = field(default_factory=list)  # (n, url) per legend key
    show_label: bool = False


@dataclass
class Chart:
    title: str
    bars: list[Bar]
    ticks: list[tuple[float, str]]
    legend: list[tuple[str, str, str, int]]  # css, label, url, total
    width: int = WIDTH
    height: int = HEIGHT
    baseline: float = HEIGHT - BOTTOM
    left: int = LEFT
    right_edge: int = WIDTH - RIGHT
    svg: str = ""


def _svg(chart: Chart, chart_id: str) -> str:
    """The chart as SVG markup: written here rather than in the template
    (hundreds of bars render ten times faster); every text escaped, colours
    by class (the CSP forbids inline styles), each bar segment a link."""
    out = [
        f'<svg viewBox="0 0 {chart.width} {chart.height}" class="chart-svg" role="img" '
        f'aria-labelledby="{chart_id}-title"><title id="{chart_id}-title">{escape(chart.title)}</title>'
    ]
    for y, label in chart.ticks:
        out.append(
            f'<line x1="{chart.left}" x2="{chart.right_edge}" y1="{y}" y2="{y}" class="grid"></line>'
            f'<text x="{chart.left - 6}" y="{y}" dy="4" class="tick" text-anchor="end">{escape(label)}</text>'
        )
    for bar in chart.bars:
        for seg in bar.segments:
            out.append(
                f'<a href="{escape(seg.url)}"><rect x="{seg.x}" y="{seg.y}" width="{seg.width}" '
                f'height="{seg.height}" class="seg {seg.css}"><title>{escape(seg.title)}</title></rect></a>'
            )
        if bar.show_label:
            out.append(
                f'<text x="{bar.x}" y="{chart.baseline}" dy="18" class="xlabel" '
                f'text-anchor="middle">{escape(bar.label)}</text>'
            )
    out.append(
        f'<line x1="{chart.left}" x2="{chart.right_edge}" y1="{chart.baseline}" '
        f'y2="{chart.baseline}" class="axis"></line></svg>'
    )
    # Every text and URL above is escaped.
    return mark_safe("".join(out))


def _nice_max(value: int) -> int:
    if value <= 5:
        return 5
    magnitude = 10 ** (len(str(value)) - 1)
    for step in (1, 2, 2.5, 5, 10):
        top = int(step * magnitude)
        if top >= value:
            return top
    return value


def _stacked_weekly(
    *,
    title: str,
    weeks: list[str],
    weekly: dict[str, dict[str, int]],
    keys: list[str],
    css_prefix: str,
    labels: dict[str, str],
    link_for,
    legend_link_for,
) -> Chart:
    totals = [sum(weekly.get(week, {}).values()) for week in weeks]
    top = _nice_max(max(totals, default=0))
    plot_height = HEIGHT - TOP - BOTTOM
    step = (WIDTH - LEFT - RIGHT) / max(len(weeks), 1)
    bar_width = step * 0.72
    bars = []
    for i, week in enumerate(weeks):
        counts = weekly.get(week, {})
        monday = date.fromisoformat(week)
        sunday = monday + timedelta(days=6)
        x = LEFT + i * step + (step - bar_width) / 2
        bar = Bar(
            label=monday.strftime("%-d %b"),
            total=sum(counts.values()),
            x=round(x + bar_width / 2, 1),
            url=link_for(monday, sunday, None),
            show_label=i % 4 == 0,
            cells=[(counts.get(key, 0), link_for(monday, sunday, key)) for key in keys],
        )
        y = HEIGHT - BOTTOM
        for key in keys:
            n = counts.get(key, 0)
            if not n:
                continue
            height = plot_height * n / top
            y -= height
            bar.segments.append(
                Segment(
                    x=round(x, 1),
                    y=round(y, 1),
                    width=round(bar_width, 1),
                    height=round(max(height, 0.5), 1),
                    css=f"{css_prefix}{key or 'none'}",
                    title=f"{n:,} {labels[key].lower()}, week of {monday:%-d %b %Y}",
                    url=link_for(monday, sunday, key),
                )
            )
        bars.append(bar)
    ticks = [
        (round(HEIGHT - BOTTOM - plot_height * fraction, 1), f"{int(top * fraction):,}")
        for fraction in (0, 0.25, 0.5, 0.75, 1)
    ]
    legend = [
        (
            f"{css_prefix}{key or 'none'}",
            labels[key],
            legend_link_for(key),
            sum(weekly.get(week, {}).get(key, 0) for week in weeks),
        )
        for key in keys
    ]
    chart = Chart(title=title, bars=bars, ticks=ticks, legend=legend)
    chart.svg = _svg(chart, css_prefix.rstrip("-"))
    return chart


def _matrix(workspace: Workspace, rows: list[dict[str, Any]]) -> dict[str, Any]:
    counts = {(row["status"], row["verdict"]): row["n"] for row in rows}
    body = []
    for status in STATUSES:
        cells = [
            {
                "n": counts.get((status, verdict), 0),
                "url": _link(workspace, status=status, verdict=verdict or "none"),
            }
            for verdict in VERDICTS
        ]
        body.append(
            {
                "status": status,
                "label": status.label,
                "cells": cells,
                "total": sum(c["n"] for c in cells),
                "url": _link(workspace, status=status),
            }
        )
    totals = [
        {
            "n": sum(counts.get((status, verdict), 0) for status in STATUSES),
            "url": _link(workspace, verdict=verdict or "none"),
        }
        for verdict in VERDICTS
    ]
    return {
        "verdicts": [(verdict or "none", VERDICT_LABELS[verdict]) for verdict in VERDICTS],
        "rows": body,
        "totals": totals,
    }


def _queue(workspace: Workspace, queue: dict[str, Any], today: date) -> dict[str, Any]:
    biggest = max(queue["ages"], default=0) or 1
    buckets = []
    for (label, low, high), n in zip(QUEUE_AGES, queue["ages"], strict=True):
        filters = {
            "status": Claim.Status.PENDING_REVIEW,
            "proposed_to": today - timedelta(days=low),
        }
        if high is not None:
            filters["proposed_from"] = today - timedelta(days=high)
        buckets.append(
            {
                "label": label,
                "n": n,
                "url": _link(workspace, **filters),
                "width": round(100 * n / biggest, 1),
                "css": f"age-{min(len(buckets), 5)}",
            }
        )
    oldest = parse_datetime(queue["oldest"]) if queue.get("oldest") else None
    return {
        **queue,
        "buckets": buckets,
        "oldest": oldest,
        "oldest_url": _link(
            workspace, status=Claim.Status.PENDING_REVIEW, proposed_to=oldest.date()
        )
        if oldest
        else "",
        "url": _link(workspace, status=Claim.Status.PENDING_REVIEW),
        "approved_30d_url": _link(
            workspace, status=Claim.Status.APPROVED, approved_from=today - timedelta(days=30)
        ),
    }


def _grades(workspace: Workspace, rows: list[dict[str, Any]]) -> dict[str, Any]:
    counts = {(row["grade"], row["status"]): row["n"] for row in rows}
    biggest = max((sum(counts.get((grade, s), 0) for s in STATUSES) for grade in GRADES), default=0)
    body = []
    for grade in GRADES:
        total = sum(counts.get((grade, s), 0) for s in STATUSES)
        offset = 0.0
        segments = []
        for status in STATUSES:
            n = counts.get((grade, status), 0)
            if n and biggest:
                width = 100 * n / biggest
                segments.append(
                    {
                        "x": round(offset, 2),
                        "width": round(width, 2),
                        "css": f"st-{status}",
                        "title": f"{n:,} {status.label.lower()}",
                        "url": _link(workspace, grade=grade, status=status),
                    }
                )
                offset += width
        body.append(
            {
                "grade": grade,
                "label": grade.label,
                "total": total,
                "url": _link(workspace, grade=grade),
                "segments": segments,
                "cells": [
                    {
                        "n": counts.get((grade, status), 0),
                        "url": _link(workspace, grade=grade, status=status),
                    }
                    for status in STATUSES
                ],
            }
        )
    return {"rows": body, "statuses": [(s, s.label) for s in STATUSES]}


def _conflicts(workspace: Workspace, conflicts: dict[str, Any]) -> dict[str, Any]:
    def claim(brief):
        return {**brief, "url": reverse("claim_detail", args=[workspace.slug, brief["id"]])}

    return {
        **conflicts,
        "url": _link(workspace, has_conflict="yes"),
        "links": [
            {
                **item,
                "when": parse_datetime(item["created_at"]),
                "a": claim(item["a"]),
                "b": claim(item["b"]),
            }
            for item in conflicts["links"]
        ],
        "proposals": [
            {
                **item,
                "when": parse_datetime(item["created_at"]),
                "a": claim(item["a"]),
                "b": claim(item["b"]),
            }
            for item in conflicts["proposals"]
        ],
    }


def dashboard_context(*, workspace: Workspace, summary: DashboardSummary) -> dict[str, Any]:
    """Everything the dashboard template draws, from one stored summary."""
    data = summary.data
    weeks = data["weeks"]
    today = date.fromisoformat(data["today"])
    status_labels = dict(Claim.Status.choices)
    added = _stacked_weekly(
        title="Claims added per week, by their status today",
        weeks=weeks,
        weekly=data["added_weekly"],
        keys=list(Claim.Status.values),
        css_prefix="st-",
        labels=status_labels,
        link_for=lambda monday, sunday, key: _link(
            workspace,
            created_from=monday,
            created_to=sunday,
            **({"status": key} if key else {}),
        ),
        legend_link_for=lambda key: _link(workspace, status=key, created_from=weeks[0]),
    )
    approved = _stacked_weekly(
        title="Claims approved per week, by verdict",
        weeks=weeks,
        weekly=data["approved_weekly"],
        keys=[v for v in VERDICTS if v],
        css_prefix="vd-",
        labels=VERDICT_LABELS,
        link_for=lambda monday, sunday, key: _link(
            workspace,
            status=Claim.Status.APPROVED,
            approved_from=monday,
            approved_to=sunday,
            **({"verdict": key} if key else {}),
        ),
        legend_link_for=lambda key: _link(
            workspace, status=Claim.Status.APPROVED, verdict=key, approved_from=weeks[0]
        ),
    )
    by_status = {
        status: sum(row["n"] for row in data["by_status_verdict"] if row["status"] == status)
        for status in Claim.Status.values
    }
    reviews = data["reviews_weekly"]
    return {
        "summary": summary,
        "age": timezone.now() - summary.computed_at,
        "total": data["total"],
        "total_url": _link(workspace),
        "cards": [
            {
                "label": status.label,
                "n": by_status[status],
                "url": _link(workspace, status=status),
                "css": f"st-{status}",
            }
            for status in STATUSES
        ],
        "matrix": _matrix(workspace, data["by_status_verdict"]),
        "added": added,
        "approved": approved,
        "reviews_4w": {
            decision: sum(reviews.get(week, {}).get(decision, 0) for week in weeks[-4:])
            for decision in ("approved", "changes_requested")
        },
        "queue": _queue(workspace, data["queue"], today),
        "grades": _grades(workspace, data["grades"]),
        "conflicts": _conflicts(workspace, data["conflicts"]),
        "changes_requested_url": _link(workspace, status=Claim.Status.CHANGES_REQUESTED),
    }
