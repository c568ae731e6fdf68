"""The geometry of a category's timeline chart, drawn as SVG by the template
(no chart library, no script): each source's figures by date, cumulative
totals joined as a line, bounds ("about", ranges) as whiskers, the range
across sources as a band per date, conflicts ringed. Plain Python over the
stored category data."""

from __future__ import annotations

import datetime
import math
from dataclasses import dataclass, field
from itertools import pairwise

from counting.wording import format_number

WIDTH = 760
HEIGHT = 260
LEFT, RIGHT, TOP, BOTTOM = 64, 120, 16, 34
PALETTE = 8  # series-0 ... series-7 in figures.css


@dataclass
class Marker:
    x: float
    y: float
    shape: str  # "point", "repeat", "discrepancy", "alone"
    title: str
    claim: int
    low_y: float | None = None  # whisker ends, for bounded figures
    high_y: float | None = None
    open_up: bool = False  # "at least": unbounded above
    conflict: bool = False


@dataclass
class Line:
    css: str
    points: str  # "x,y x,y ..." for <polyline points>
    markers: list[Marker] = field(default_factory=list)
    source: str = ""
    label_x: float = 0
    label_y: float = 0
    label: str = ""


@dataclass
class Tick:
    at: float
    label: str


@dataclass
class Band:
    x: float
    top: float
    height: float
    title: str
    width: float = 14


@dataclass
class Chart:
    width: int
    height: int
    plot_left: int
    plot_right: int
    plot_top: int
    plot_bottom: int
    lines: list[Line]
    y_ticks: list[Tick]
    x_ticks: list[Tick]
    bands: list[Band]
    cumulative: bool
    title: str
    description: str
    has_repeats: bool = False

    @property
    def plot_width(self) -> int:
        return self.plot_right - self.plot_left


def nice_ceiling(value: float) -> tuple[float, float]:
    """(top of the axis, step) for values up to `value`: 1, 2 or 5 times a power of ten."""
    if value <= 0:
        return 1.0, 0.2
    raw = value / 4
    power = 10 ** math.floor(math.log10(raw))
    for factor in (1, 2, 2.5, 5, 10):
        step = factor * power
        if step >= raw:
            break
    top = step * math.ceil(value / step)
    if top < value * 1.05:
        top += step
    return top, step


def _date(text: str) -> datetime.date:
    return datetime.date.fromisoformat(text)


def _short(day: datetime.date) -> str:
    return f"{day.day} {day:%b}"


LABEL_GAP = 12


def _spread_labels(lines: list[Line], top: float, bottom: float) -> None:
    """Move end labels apart so that two close values stay readable."""
    ordered = sorted(lines, key=lambda line: (line.label_y, line.label_x))
    for previous, line in pairwise(ordered):
        if (
            abs(line.label_x - previous.label_x) < 40
            and line.label_y - previous.label_y < LABEL_GAP
        ):
            line.label_y = round(previous.label_y + LABEL_GAP, 1)
    for line in ordered:
        line.label_y = min(max(line.label_y, top + 8), bottom - 2)


def chart_for(data: dict, label: str) -> Chart | None:
    """The chart of one stored category (FigureCategory.data); None for fewer
    than two figures (one figure is said in words)."""
    series = data.get("series") or []
    entries = [e for s in series for e in s["entries"]]
    if len(entries) < 2:
        return None
    cumulative = data.get("basis") == "cumulative"
    days = sorted({_date(e["date"]) for e in entries})
    first, last = days[0], days[-1]
    span = max((last - first).days, 1)
    ceiling = max(max(e["high"] for e in entries), max(e["value"] for e in entries))
    top, step = nice_ceiling(ceiling)
    plot_left, plot_right = LEFT, WIDTH - RIGHT
    plot_top, plot_bottom = TOP, HEIGHT - BOTTOM

    count = max(len(series), 1)
    # Sources side by side within a day, so figures of one day stay apart:
    # wide apart when the chart has one day, a few pixels otherwise.
    dodge = min(90.0, (plot_right - plot_left) / (count + 1)) if len(days) == 1 else 6.0

    def x_of(text: str, index: int | None = None) -> float:
        shift = 0.0 if index is None else (index - (count - 1) / 2) * dodge
        if len(days) == 1:
            return round((plot_left + plot_right) / 2 + shift, 1)
        offset = (_date(text) - first).days / span
        return round(plot_left + 20 + offset * (plot_right - plot_left - 40) + shift, 1)

    def y_of(value: float) -> float:
        return round(plot_bottom - (value / top) * (plot_bottom - plot_top), 1)

    conflicting = {f["id"] for c in data.get("conflicts") or [] for f in c["figures"]}
    lines = []
    for index, s in enumerate(series):
        markers = []
        path = []
        for e in s["entries"]:
            x, y = x_of(e["date"], index), y_of(e["value"])
            shape = {
                "repeat": "repeat",
                "discrepancy": "discrepancy",
                "alone": "alone",
            }.get(e["role"], "point")
            bounded = e["low"] != e["high"] or e["unbounded"]
            note = f" — {e['note']}" if e.get("note") else ""
            markers.append(
                Marker(
                    x=x,
                    y=y,
                    shape=shape,
                    title=f"{s['source']}: {e['text']} ({e['when']}){note}. {e['title']}",
                    claim=e["claim"],
                    low_y=y_of(e["low"]) if bounded else None,
                    high_y=y_of(e["high"]) if bounded and not e["unbounded"] else None,
                    open_up=e["unbounded"],
                    conflict=e["id"] in conflicting,
                )
            )
            if cumulative and shape == "point":
                path.append(f"{x},{y}")
        latest = s["latest"]
        lines.append(
            Line(
                css=f"series-{index % PALETTE}",
                points=" ".join(path),
                markers=markers,
                source=s["source"],
                label_x=x_of(latest["date"], index) + 9,
                label_y=y_of(latest["value"]) + 4,
                label=latest["text"],
            )
        )
    _spread_labels(lines, plot_top, plot_bottom)
    bands = []
    for r in data.get("ranges") or []:
        left, right = x_of(r["date"], 0), x_of(r["date"], count - 1)
        high, low = y_of(r["high"]), y_of(r["low"])
        bands.append(
            Band(
                x=left - 10,
                width=right - left + 20,
                top=high,
                height=max(low - high, 2),
                title=f"Range across independent sources, {r['when']}: "
                f"{r['low_text']}–{r['high_text']} ({', '.join(r['sources'])})",
            )
        )
    y_ticks = []
    value = 0.0
    while value <= top + step / 2:
        y_ticks.append(Tick(y_of(value), format_number(round(value, 6))))
        value += step
    shown = days if len(days) <= 8 else [days[round(i * (len(days) - 1) / 6)] for i in range(7)]
    x_ticks = [Tick(x_of(d.isoformat()), _short(d)) for d in sorted(set(shown))]
    sources = ", ".join(s["source"] for s in series)
    return Chart(
        width=WIDTH,
        height=HEIGHT,
        plot_left=plot_left,
        plot_right=plot_right,
        plot_top=plot_top,
        plot_bottom=plot_bottom,
        lines=lines,
        y_ticks=y_ticks,
        x_ticks=x_ticks,
        bands=bands,
        cumulative=cumulative,
        has_repeats=any(m.shape == "repeat" for line in lines for m in line.markers),
        title=f"{label}: figures by date and source",
        description=(
            f"{len(entries)} figures from {len(series)} source{'s' if len(series) != 1 else ''} "
            f"({sources}), {_short(first)} to {_short(last)} {last.year}"
        ),
    )
