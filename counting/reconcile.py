"""Figures reconciliation by the rules casualty recorders use. Pure, no Django:
the figures app turns Figure rows into FigureRecords, calls `reconcile`, and
stores what it returns; the matcher calls `figure_relations` on the figures of
one scope.

The rules (figures/sequences/FORMAT.md is their specification):

- **Scope.** Figures are compared only within one scope: the same outcome,
  population, sub-groups, place and basis (counting.scope.Scope).
- **Comparable in time.** Cumulative totals when counted to the same day (and
  from the same start, if both give one); increments when they cover the same
  period; incidents when on the same day (and, by the scope, the same place).
- **Updates.** From one source, the cumulative figures of a scope ordered by
  date form its timeline; a later one updates the one before, whatever its
  value, and is never a conflict. On one day, the first figure is the
  timeline's point; later ones from that source that agree are repeats.
- **Parts.** A total is checked against its parts where an analyst recorded
  `part_of`, or, in one report from one source, where figures break a total
  down along one dimension: population (civilians, security forces, armed
  groups of an unspecified total) or place (the outermost places below the
  total's place). The check names the parts it used.
- **Ranges.** Where two or more independent sources give comparable figures,
  the range runs from the lowest low to the highest high.
- **Conflicts.** Two comparable figures from different sources that differ
  beyond the tolerance (after their bounds are applied) conflict.

Everything is grouped by scope and sorted by date once: O(n log n), plus the
pairs a conflict list must name.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import combinations

from counting.figures import (
    DEFAULT_TOLERANCE,
    Comparison,
    Interval,
    compare,
    describe,
    figure_interval,
    percent,
    range_ends,
    sum_intervals,
)
from counting.scope import Basis, Population, Scope
from counting.wording import day, format_number, period


@dataclass(frozen=True)
class FigureRecord:
    """One figure as the reconciliation sees it."""

    id: int
    claim_id: int
    article_id: int
    source_id: int
    value: Decimal
    qualifier: str
    scope: Scope | None
    as_of: datetime.date
    value_high: Decimal | None = None
    period_start: datetime.date | None = None
    period_end: datetime.date | None = None
    part_of: int | None = None
    order: int = 0  # publication order: tie-break within a date
    counted: str = ""
    source_name: str = ""
    article_title: str = ""
    place_name: str = ""
    outcome_label: str = ""

    @property
    def interval(self) -> Interval:
        return figure_interval(self.value, self.qualifier, self.value_high)

    @property
    def text(self) -> str:
        return describe(self.value, self.qualifier, self.value_high)

    @property
    def when(self) -> str:
        """The date or period the figure is counted to, in words."""
        if self.scope is not None and self.scope.basis == Basis.INCREMENT:
            return period(self.period_start, self.period_end or self.as_of)
        return day(self.as_of)

    @property
    def time_key(self) -> tuple:
        """Increments compare by period; totals and incidents by day."""
        if self.scope is not None and self.scope.basis == Basis.INCREMENT:
            return (self.period_start, self.period_end or self.as_of)
        return (self.as_of,)

    @property
    def sort_key(self) -> tuple:
        return (self.time_key[-1], self.order, self.id)


def _comparable_starts(a: FigureRecord, b: FigureRecord) -> bool:
    """Two totals to the same day compare when their starts, if both give one, agree."""
    if a.scope is None or a.scope.basis != Basis.CUMULATIVE:
        return True
    return a.period_start is None or b.period_start is None or a.period_start == b.period_start


def comparable(a: FigureRecord, b: FigureRecord) -> bool:
    """Same scope, and comparable in time."""
    return (
        a.scope is not None
        and a.scope == b.scope
        and a.time_key == b.time_key
        and _comparable_starts(a, b)
    )


def scope_label(record: FigureRecord) -> str:
    """'killed · civilians (children) · Latakia · cumulative total'."""
    scope = record.scope
    if scope is None:
        return record.counted
    population = Population.LABELS.get(scope.population, scope.population)
    if scope.subgroups:
        population = f"{population} ({', '.join(scope.subgroups)})"
    outcome = record.outcome_label or scope.outcome
    return " · ".join(
        (
            outcome,
            population,
            record.place_name or f"place {scope.place}",
            Basis.LABELS[scope.basis],
        )
    )


# --- what the reconciliation finds -------------------------------------------------------


class Role:
    FIRST = "first"
    UPDATE = "update"
    REPEAT = "repeat"
    DISCREPANCY = "discrepancy"
    ALONE = "alone"  # an increment or incident with nothing to compare in its series


@dataclass
class Entry:
    """A figure in its source's series, and how it relates to the one before."""

    record: FigureRecord
    role: str = Role.FIRST
    previous: FigureRecord | None = None
    note: str = ""


@dataclass
class SourceSeries:
    """One source's figures of one category, in date order."""

    source_id: int
    source_name: str
    entries: list[Entry] = field(default_factory=list)

    @property
    def points(self) -> list[Entry]:
        """The timeline's points: the first figure of each day or period."""
        return [e for e in self.entries if e.role in (Role.FIRST, Role.UPDATE, Role.ALONE)]

    @property
    def latest(self) -> FigureRecord:
        return self.points[-1].record if self.points else self.entries[-1].record


@dataclass(frozen=True)
class Update:
    """A source's timeline of cumulative figures: two or more points."""

    source_id: int
    source_name: str
    records: tuple[FigureRecord, ...]


@dataclass(frozen=True)
class Repeat:
    first: FigureRecord
    again: FigureRecord
    note: str


@dataclass(frozen=True)
class Conflict:
    """Two figures that differ beyond the tolerance; the message, with the
    rule in words, is written when asked for (a big workspace has many)."""

    kind: str  # "between_sources" or "same_source"
    records: tuple[FigureRecord, FigureRecord]
    tolerance: Decimal = DEFAULT_TOLERANCE

    @property
    def message(self) -> str:
        a, b = self.records
        between = _between(a, b, self.tolerance)
        if self.kind == "same_source":
            return (
                f"Same-source discrepancy: {a.source_name} gave {a.text} ({a.article_title}) "
                f"and {b.text} ({b.article_title}) for {b.when}; {between}."
            )
        return (
            f"{a.source_name}: {a.text} vs {b.source_name}: {b.text} ({a.when}). "
            f"Rule: two independent sources, the same scope and "
            f"{'period' if len(a.time_key) == 2 else 'day'}, differ beyond the "
            f"{percent(self.tolerance)} tolerance: {between}."
        )


@dataclass(frozen=True)
class Range:
    records: tuple[FigureRecord, ...]
    low: Decimal
    high: Decimal
    label: str = ""

    @property
    def message(self) -> str:
        names = self.sources
        return (
            f"{len(names)} independent sources on {self.label} for {self.when}: "
            f"{format_number(self.low)} to {format_number(self.high)} ({', '.join(names)})"
        )

    @property
    def when(self) -> str:
        return self.records[0].when

    @property
    def sources(self) -> list[str]:
        names: list[str] = []
        for r in self.records:
            if r.source_name not in names:
                names.append(r.source_name)
        return names


class PartsState:
    CONSISTENT = "consistent"
    PARTIAL = "partial"
    EXCEEDS = "exceeds"

    LABELS = {
        "consistent": "consistent",
        "partial": "partial breakdown",
        "exceeds": "parts exceed the total",
    }


class Dimension:
    RECORDED = "recorded"
    POPULATION = "population"
    PLACE = "place"

    LABELS = {
        "recorded": "recorded by an analyst as parts of this total",
        "population": "a breakdown by population in the same report",
        "place": "a breakdown by place in the same report",
    }


@dataclass(frozen=True)
class PartsCheck:
    total: FigureRecord
    parts: tuple[FigureRecord, ...]
    state: str
    dimensions: tuple[str, ...]
    message: str

    @property
    def state_label(self) -> str:
        return PartsState.LABELS[self.state]

    @property
    def rule(self) -> str:
        return "; ".join(Dimension.LABELS[d] for d in self.dimensions)


@dataclass
class Category:
    """Everything found for one scope."""

    scope: Scope
    label: str
    series: list[SourceSeries] = field(default_factory=list)
    updates: list[Update] = field(default_factory=list)
    repeats: list[Repeat] = field(default_factory=list)
    conflicts: list[Conflict] = field(default_factory=list)
    ranges: list[Range] = field(default_factory=list)
    parts_checks: list[PartsCheck] = field(default_factory=list)

    @property
    def key(self) -> str:
        return self.scope.key

    @property
    def records(self) -> list[FigureRecord]:
        return sorted((e.record for s in self.series for e in s.entries), key=lambda r: r.sort_key)

    @property
    def figure_count(self) -> int:
        return sum(len(s.entries) for s in self.series)

    @property
    def latest(self) -> datetime.date:
        return max(e.record.time_key[-1] for s in self.series for e in s.entries)

    @property
    def exceeding_parts(self) -> list[PartsCheck]:
        return [p for p in self.parts_checks if p.state == PartsState.EXCEEDS]

    @property
    def needs_attention(self) -> bool:
        return bool(self.conflicts or self.exceeding_parts)


@dataclass
class Reconciliation:
    categories: list[Category]
    unscoped: list[FigureRecord]
    tolerance: Decimal

    @property
    def conflicts(self) -> list[Conflict]:
        return [c for cat in self.categories for c in cat.conflicts]

    @property
    def parts_checks(self) -> list[PartsCheck]:
        return [p for cat in self.categories for p in cat.parts_checks]

    @property
    def updates(self) -> list[Update]:
        return [u for cat in self.categories for u in cat.updates]

    @property
    def repeats(self) -> list[Repeat]:
        return [r for cat in self.categories for r in cat.repeats]

    @property
    def ranges(self) -> list[Range]:
        return [r for cat in self.categories for r in cat.ranges]


# --- the rules ---------------------------------------------------------------------------


def _between(a: FigureRecord, b: FigureRecord, tolerance: Decimal) -> str:
    """Why a and b differ, in words: the bounds and the tolerance."""
    low, high = sorted((a, b), key=lambda r: (r.interval.lo, r.id))
    low_i, high_i = low.interval, high.interval
    reach = (low_i.hi if low_i.hi is not None else low_i.lo) * (1 + tolerance)
    bounds = []
    for r in (low, high):
        if r.interval.lo != r.interval.hi or r.interval.hi is None:
            bounds.append(f"{r.text} is read as {r.interval.text}")
    read = f" ({'; '.join(bounds)})" if bounds else ""
    return (
        f"{format_number(low_i.hi)} plus the {percent(tolerance)} tolerance reaches "
        f"{format_number(reach.quantize(Decimal('0.1')).normalize())}, below "
        f"{format_number(high_i.lo)}{read}"
    )


def _series(
    source_id: int, records: Sequence[FigureRecord], tolerance: Decimal
) -> tuple[SourceSeries, list[Repeat], list[Conflict], Update | None]:
    """A source's figures of one scope in date order: the first figure of a
    day (or period) is the timeline's point, later agreeing ones repeat it,
    a later cumulative day updates the day before."""
    records = sorted(records, key=lambda r: r.sort_key)
    series = SourceSeries(source_id, records[0].source_name)
    repeats: list[Repeat] = []
    conflicts: list[Conflict] = []
    cumulative = records[0].scope.basis == Basis.CUMULATIVE
    points: list[FigureRecord] = []
    by_time: dict[tuple, FigureRecord] = {}
    for record in records:
        first = by_time.get(record.time_key)
        if first is not None and _comparable_starts(first, record):
            if compare(first.interval, record.interval, tolerance) == Comparison.AGREE:
                note = (
                    f"repeats {first.text} ({first.when}): the same source, scope and "
                    f"{'day' if len(record.time_key) == 1 else 'period'}, and the figures agree"
                )
                series.entries.append(Entry(record, Role.REPEAT, first, note))
                repeats.append(Repeat(first, record, note))
            else:
                note = (
                    f"differs from {first.text} that {series.source_name} gave for the same "
                    f"{'day' if len(record.time_key) == 1 else 'period'}: "
                    f"{_between(first, record, tolerance)}"
                )
                series.entries.append(Entry(record, Role.DISCREPANCY, first, note))
                conflicts.append(Conflict("same_source", (first, record), tolerance))
            continue
        by_time[record.time_key] = record
        if cumulative and points:
            previous = points[-1]
            difference = record.value - previous.value
            direction = (
                f"up {format_number(difference)}"
                if difference > 0
                else f"revised down {format_number(-difference)}"
                if difference < 0
                else "unchanged"
            )
            note = (
                f"updates {previous.text} of {previous.when} ({direction}): a later cumulative "
                f"total from the same source, never a conflict"
            )
            series.entries.append(Entry(record, Role.UPDATE, previous, note))
        else:
            role = Role.FIRST if cumulative else Role.ALONE
            series.entries.append(Entry(record, role))
        points.append(record)
    update = (
        Update(source_id, series.source_name, tuple(points))
        if cumulative and len(points) > 1
        else None
    )
    return series, repeats, conflicts, update


def _comparable_groups(records: Sequence[FigureRecord]) -> list[list[FigureRecord]]:
    """Figures of one scope that compare in time: by day (totals, incidents) or
    period (increments); totals with different starts are split, those with
    no start joining each."""
    by_time: dict[tuple, list[FigureRecord]] = defaultdict(list)
    for record in records:
        by_time[record.time_key].append(record)
    groups = []
    for key in sorted(by_time, key=lambda k: (k[-1], k[0] or k[-1])):
        members = sorted(by_time[key], key=lambda r: r.sort_key)
        starts = sorted({r.period_start for r in members if r.period_start is not None})
        if members[0].scope.basis != Basis.CUMULATIVE or len(starts) <= 1:
            groups.append(members)
            continue
        for start in starts:
            groups.append([r for r in members if r.period_start in (start, None)])
    return groups


def _across_sources(
    group: Sequence[FigureRecord], tolerance: Decimal, label: str
) -> tuple[Range | None, list[Conflict]]:
    """The range of a comparable group from two or more sources, and its conflicts."""
    sources = {r.source_id for r in group}
    if len(sources) < 2:
        return None, []
    ends = [range_ends(r.value, r.qualifier, r.value_high) for r in group]
    low, high = min(e[0] for e in ends), max(e[1] for e in ends)
    found = Range(tuple(group), low, high, label)
    conflicts = []
    for a, b in combinations(group, 2):
        if a.source_id == b.source_id or not _comparable_starts(a, b):
            continue
        if compare(a.interval, b.interval, tolerance) != Comparison.AGREE:
            conflicts.append(Conflict("between_sources", (a, b), tolerance))
    return found, conflicts


def parts_state(total: FigureRecord, parts: Sequence[FigureRecord], tolerance: Decimal) -> str:
    summed = sum_intervals(p.interval for p in parts)
    comparison = compare(summed, total.interval, tolerance)
    if comparison == Comparison.AGREE:
        return PartsState.CONSISTENT
    return PartsState.PARTIAL if comparison == Comparison.BELOW else PartsState.EXCEEDS


def _parts_message(
    total: FigureRecord, parts: Sequence[FigureRecord], state: str, tolerance: Decimal
) -> str:
    terms = " + ".join(f"{p.text} ({_part_name(total, p)})" for p in parts)
    summed = sum_intervals(p.interval for p in parts)
    equation = terms if len(parts) == 1 else f"{terms} = {summed.text}"
    if state == PartsState.CONSISTENT:
        return f"{equation}: consistent with the total, {total.text} (within {percent(tolerance)})"
    if state == PartsState.EXCEEDS:
        return f"{equation}: more than the total, {total.text}, beyond {percent(tolerance)}"
    return f"{equation}: accounts for part of the total, {total.text}; the rest is not broken down"


def _part_name(total: FigureRecord, part: FigureRecord) -> str:
    """What distinguishes the part from its total: its population, place, sub-group or period."""
    names = []
    if part.scope is not None and total.scope is not None:
        if part.scope.population != total.scope.population:
            names.append(Population.LABELS.get(part.scope.population, part.scope.population))
        if part.scope.subgroups != total.scope.subgroups and part.scope.subgroups:
            names.append(", ".join(part.scope.subgroups))
        if part.scope.place != total.scope.place:
            names.append(part.place_name)
        if part.scope.basis != total.scope.basis:
            names.append(part.when)
    return " ".join(n for n in names if n) or part.counted


def _ancestors_of(place: int, parents: Mapping[int, int | None]) -> list[int]:
    chain, seen = [], {place}
    current = parents.get(place)
    while current is not None and current not in seen:
        chain.append(current)
        seen.add(current)
        current = parents.get(current)
    return chain


def _within_report_breakdowns(
    records: Sequence[FigureRecord], parents: Mapping[int, int | None]
) -> list[tuple[FigureRecord, tuple[FigureRecord, ...], str]]:
    """(total, parts, dimension) found in one report from one source: figures
    of the same outcome, basis and date that break a total down by population
    or by place."""
    groups: dict[tuple, list[FigureRecord]] = defaultdict(list)
    for r in records:
        if r.scope is not None:
            groups[(r.article_id, r.source_id, r.scope.outcome, r.scope.basis, r.time_key)].append(
                r
            )
    found = []
    for members in groups.values():
        if len(members) < 2:
            continue
        members.sort(key=lambda r: (r.order, r.id))
        totals_seen: set[Scope] = set()
        for total in members:
            if total.scope in totals_seen:
                continue  # the same total given twice in a report: check it once
            totals_seen.add(total.scope)
            ts = total.scope
            if ts.population == Population.UNSPECIFIED:
                parts: dict[str, FigureRecord] = {}
                for r in members:
                    s = r.scope
                    if (
                        s.population in Population.PARTS
                        and s.place == ts.place
                        and s.subgroups == ts.subgroups
                    ):
                        parts.setdefault(s.population, r)
                if parts:
                    found.append((total, tuple(parts.values()), Dimension.POPULATION))
            below: dict[int, FigureRecord] = {}
            for r in members:
                s = r.scope
                if (
                    s.population == ts.population
                    and s.subgroups == ts.subgroups
                    and s.place != ts.place
                    and ts.place in _ancestors_of(s.place, parents)
                ):
                    below.setdefault(s.place, r)
            outermost = tuple(
                r
                for place, r in below.items()
                if not any(
                    a in below
                    for a in _ancestors_of(place, parents)[: _depth_below(place, ts.place, parents)]
                )
            )
            if outermost:
                found.append((total, outermost, Dimension.PLACE))
    return found


def _depth_below(place: int, top: int, parents: Mapping[int, int | None]) -> int:
    """How many ancestors of `place` lie strictly below `top`."""
    chain = _ancestors_of(place, parents)
    return chain.index(top) if top in chain else len(chain)


def parts_checks(
    records: Sequence[FigureRecord],
    parents: Mapping[int, int | None],
    tolerance: Decimal,
) -> list[PartsCheck]:
    """Every check of a total against its parts: the parts an analyst
    recorded (part_of), and the breakdowns within one report. Identical
    checks merge."""
    by_id = {r.id: r for r in records}
    candidates: dict[tuple[int, tuple[int, ...]], tuple[FigureRecord, tuple, list[str]]] = {}
    recorded: dict[int, list[FigureRecord]] = defaultdict(list)
    for r in records:
        if r.part_of is not None and r.part_of in by_id:
            recorded[r.part_of].append(r)
    for total_id, parts in recorded.items():
        parts.sort(key=lambda r: (r.order, r.id))
        key = (total_id, tuple(sorted(p.id for p in parts)))
        candidates[key] = (by_id[total_id], tuple(parts), [Dimension.RECORDED])
    for total, parts, dimension in _within_report_breakdowns(records, parents):
        key = (total.id, tuple(sorted(p.id for p in parts)))
        if key in candidates:
            candidates[key][2].append(dimension)
        else:
            candidates[key] = (total, parts, [dimension])
    checks = []
    for total, parts, dimensions in candidates.values():
        state = parts_state(total, parts, tolerance)
        checks.append(
            PartsCheck(
                total,
                parts,
                state,
                tuple(dimensions),
                _parts_message(total, parts, state, tolerance),
            )
        )
    checks.sort(key=lambda c: (c.total.sort_key, [p.id for p in c.parts]))
    return checks


def reconcile(
    records: Iterable[FigureRecord],
    *,
    parents: Mapping[int, int | None] | None = None,
    tolerance: Decimal = DEFAULT_TOLERANCE,
) -> Reconciliation:
    """Every scoped figure grouped by category and source, with updates,
    repeats, ranges, conflicts and the parts checks. `parents` maps a place
    to its parent in the gazetteer (for breakdowns by place)."""
    parents = parents or {}
    records = list(records)
    by_scope: dict[Scope, list[FigureRecord]] = defaultdict(list)
    unscoped = []
    for record in records:
        if record.scope is None:
            unscoped.append(record)
        else:
            by_scope[record.scope].append(record)
    categories: dict[Scope, Category] = {}
    for scope, members in by_scope.items():
        category = Category(scope, scope_label(members[0]))
        by_source: dict[int, list[FigureRecord]] = defaultdict(list)
        for record in members:
            by_source[record.source_id].append(record)
        for source_id, source_records in by_source.items():
            series, repeats, conflicts, update = _series(source_id, source_records, tolerance)
            category.series.append(series)
            category.repeats.extend(repeats)
            category.conflicts.extend(conflicts)
            if update is not None:
                category.updates.append(update)
        category.series.sort(key=lambda s: (s.source_name.lower(), s.source_id))
        for group in _comparable_groups(members):
            found, conflicts = _across_sources(group, tolerance, category.label)
            if found is not None:
                category.ranges.append(found)
            category.conflicts.extend(conflicts)
        categories[scope] = category
    for check in parts_checks(records, parents, tolerance):
        if check.total.scope in categories:
            categories[check.total.scope].parts_checks.append(check)
    ordered = sorted(
        categories.values(),
        key=lambda c: (not c.needs_attention, -c.latest.toordinal(), -c.figure_count, c.label),
    )
    return Reconciliation(ordered, unscoped, tolerance)


# --- relations between figures, for the matcher --------------------------------------------


class Relation:
    UPDATES = "updates"
    REPEAT = "repeat"
    CONFLICT = "conflict"
    CORROBORATION = "corroboration"


@dataclass(frozen=True)
class FigureRelation:
    """How figure `a` relates to figure `b` (for updates: a is the later)."""

    a: FigureRecord
    b: FigureRecord
    relation: str
    reason: str


def figure_relations(
    records: Iterable[FigureRecord], *, tolerance: Decimal = DEFAULT_TOLERANCE
) -> list[FigureRelation]:
    """Pairs of figures that a link between their claims could record:

    - updates: every figure of a source's timeline day updates every figure of
      that source on the timeline's previous day (repeats included);
    - repeat: figures of one source, scope and day (or period) that agree;
    - conflict / corroboration: comparable figures of different sources that
      differ / agree.
    """
    by_scope: dict[Scope, list[FigureRecord]] = defaultdict(list)
    for record in records:
        if record.scope is not None:
            by_scope[record.scope].append(record)
    relations: list[FigureRelation] = []
    for members in by_scope.values():
        label = scope_label(members[0])
        by_source: dict[int, list[FigureRecord]] = defaultdict(list)
        for record in members:
            by_source[record.source_id].append(record)
        for source_records in by_source.values():
            _, repeats, _, update = _series(source_records[0].source_id, source_records, tolerance)
            for repeat in repeats:
                relations.append(
                    FigureRelation(
                        repeat.again,
                        repeat.first,
                        Relation.REPEAT,
                        f"{repeat.again.source_name} gives the same count again: "
                        f"{repeat.again.text} {label}, {repeat.again.when} "
                        f"(also {repeat.first.text})",
                    )
                )
            same_day: dict[tuple, list[FigureRecord]] = defaultdict(list)
            for record in source_records:
                same_day[record.time_key].append(record)
            for group in same_day.values():
                group.sort(key=lambda r: r.sort_key)
                for x, y in combinations(group[1:], 2):
                    if compare(x.interval, y.interval, tolerance) == Comparison.AGREE:
                        relations.append(
                            FigureRelation(
                                y,
                                x,
                                Relation.REPEAT,
                                f"{y.source_name} gives the same count again: {y.text} {label},"
                                f" {y.when}",
                            )
                        )
            if update is None:
                continue
            for earlier, later in zip(update.records, update.records[1:], strict=False):
                for a in same_day[later.time_key]:
                    for b in same_day[earlier.time_key]:
                        relations.append(
                            FigureRelation(
                                a,
                                b,
                                Relation.UPDATES,
                                f"{a.source_name}'s cumulative count {label} moves from "
                                f"{b.text} ({b.when}) to {a.text} ({a.when}): a later total "
                                f"from the same source updates the earlier one",
                            )
                        )
        for group in _comparable_groups(members):
            for a, b in combinations(group, 2):
                if a.source_id == b.source_id or not _comparable_starts(a, b):
                    continue
                if compare(a.interval, b.interval, tolerance) == Comparison.AGREE:
                    relations.append(
                        FigureRelation(
                            a,
                            b,
                            Relation.CORROBORATION,
                            f"two independent sources agree on {label}, {a.when}: "
                            f"{a.source_name} {a.text}, {b.source_name} {b.text} "
                            f"(within {percent(tolerance)})",
                        )
                    )
                else:
                    relations.append(
                        FigureRelation(
                            a,
                            b,
                            Relation.CONFLICT,
                            f"comparable figures from two independent sources differ: "
                            f"{a.source_name} {a.text} vs {b.source_name} {b.text}, {label}, "
                            f"{a.when}; {_between(a, b, tolerance)}",
                        )
                    )
    return relations
