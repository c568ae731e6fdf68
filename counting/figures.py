"""Figures reconciliation: what each source counted, when, and whether the
numbers agree. Pure functions, no Django: the page's selector turns Figure
rows into FigureRecords and renders what `reconcile` returns.

The rules follow how casualty recorders handle conflicting sources:

- Figures are grouped by what they count, normalised ("civilians killed" and
  "civilian deaths" are one category: subject "civilian", measure "killed").
- A qualifier makes a figure an interval: "more than 1,000" is (1000, ∞),
  "about 300" is [270, 330], "dozens" is [24, 99]. Two figures agree when their
  intervals overlap.
- Per source, figures are read in date order: a later figure is an update of
  the earlier one (tolls grow), never a conflict; the same source giving
  incompatible figures on the same date is a conflict.
- Between sources, the latest figure of each is compared, with a tolerance
  (10% by default) for the imprecision of counting.
- Parts are checked against totals stated by the same source in the same
  article: 745 + 125 + 148 = 1,018 is consistent with "more than 1,000".
"""

from __future__ import annotations

import datetime
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import combinations

from counting.wording import format_number, quantity

DEFAULT_TOLERANCE = Decimal("0.10")


# "about 300" and "nearly 300" stand for a spread around the number.
APPROXIMATE_SPREAD = Decimal("0.10")


# Words that name what happened to the people counted, mapped to one measure.
MEASURES: dict[str, str] = {
    "killed": "killed",
    "kill": "killed",
    "dead": "killed",
    "death": "killed",
    "deaths": "killed",
    "died": "killed",
    "fatalities": "killed",
    "fatality": "killed",
    "killings": "killed",
    "slain": "killed",
    "toll": "killed",
    "perished": "killed",
    "murdered": "killed",
    "wounded": "wounded",
    "injured": "wounded",
    "injuries": "wounded",
    "injury": "wounded",
    "hurt": "wounded",
    "missing": "missing",
    "disappeared": "missing",
    "displaced": "displaced",
    "fled": "displaced",
    "uprooted": "displaced",
    "detained": "detained",
    "arrested": "detained",
    "arrests": "detained",
    "detentions": "detained",
    "abducted": "abducted",
    "kidnapped": "abducted",
    "executed": "executed",
}


# Subjects that mean "everyone": a figure counting them is a total.
TOTAL_SUBJECTS = frozenset({"people", "person", "persons", "individual", "victim", "total"})


# Words that carry no meaning for grouping.
FILLER_WORDS = frozenset(
    {
        "the",
        "a",
        "an",
        "of",
        "were",
        "was",
        "have",
        "has",
        "been",
        "had",
        "are",
        "other",
        "others",
        "more",
        "further",
        "additional",
        "another",
        "total",
        "overall",
        "at",
        "least",
        "in",
        "number",
        "members",
        "member",
        "people's",
    }
)


IRREGULAR_SINGULARS = {
    "people": "people",
    "persons": "people",
    "person": "people",
    "individuals": "people",
    "individual": "people",
    "victims": "people",
    "victim": "people",
    "children": "child",
    "women": "woman",
    "men": "man",
    "police": "police",
    "forces": "force",
    "staff": "staff",
    "news": "news",
}


_WORD_RE = re.compile(r"[a-z][a-z'’-]*")


@dataclass(frozen=True)
class Category:
    """What a figure counts, normalised: subject + measure."""

    subject: str
    measure: str

    @property
    def key(self) -> str:
        return f"{self.subject}|{self.measure}"

    @property
    def label(self) -> str:
        subject = self.subject or "people"
        return f"{subject} {self.measure}".strip() if self.measure else subject

    @property
    def is_total(self) -> bool:
        return self.subject in ("", "people")


def singular(word: str) -> str:
    if word in IRREGULAR_SINGULARS:
        return IRREGULAR_SINGULARS[word]
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith(("ches", "shes", "sses", "xes")):
        return word[:-2]
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def normalise_counted(counted: str) -> Category:
    """'Civilians killed', 'civilian deaths', 'dead civilians' -> civilian|killed."""
    words = _WORD_RE.findall(counted.lower().replace("’", "'"))
    measure = ""
    subject_words: list[str] = []
    for word in words:
        if word in MEASURES and not measure:
            measure = MEASURES[word]
            continue
        if word in MEASURES or word in FILLER_WORDS:
            continue
        subject_words.append(singular(word.removesuffix("'s").removesuffix("'")))
    subject = " ".join(subject_words)
    if subject in TOTAL_SUBJECTS or subject == "people":
        subject = "people"
    if not subject and measure:
        subject = "people"  # "deaths", "dead", "the toll": everyone
    return Category(subject=subject, measure=measure)


@dataclass(frozen=True)
class Interval:
    """The values a figure allows; hi None means unbounded."""

    lo: Decimal
    hi: Decimal | None
    lo_open: bool = False
    hi_open: bool = False

    def widened(self, tolerance: Decimal) -> Interval:
        if not tolerance:
            return self
        return Interval(
            self.lo * (1 - tolerance),
            None if self.hi is None else self.hi * (1 + tolerance),
            self.lo_open,
            self.hi_open,
        )


def _vague_upper(value: Decimal) -> Decimal:
    """'dozens' (24) up to 99, 'hundreds' (200) up to 999: the next power of ten."""
    digits = len(str(int(value))) if value >= 1 else 1
    return Decimal(10**digits - 1)


def figure_interval(value: Decimal, qualifier: str) -> Interval:
    value = Decimal(value)
    spread = value * APPROXIMATE_SPREAD
    if qualifier == "more_than":
        return Interval(value, None, lo_open=True)
    if qualifier == "at_least":
        return Interval(value, None)
    if qualifier == "about":
        return Interval(value - spread, value + spread)
    if qualifier == "nearly":
        return Interval(value - spread, value, hi_open=True)
    if qualifier == "up_to":
        return Interval(Decimal(0), value)
    if qualifier == "fewer_than":
        return Interval(Decimal(0), value, hi_open=True)
    if qualifier in ("dozens", "hundreds", "thousands"):
        return Interval(value, max(value, _vague_upper(value)))
    return Interval(value, value)


def intervals_overlap(a: Interval, b: Interval) -> bool:
    def below(x_hi: Decimal | None, x_hi_open: bool, y_lo: Decimal, y_lo_open: bool) -> bool:
        """Is every value of x below every value of y?"""
        if x_hi is None:
            return False
        return x_hi < y_lo or (x_hi == y_lo and (x_hi_open or y_lo_open))

    return not below(a.hi, a.hi_open, b.lo, b.lo_open) and not below(
        b.hi, b.hi_open, a.lo, a.lo_open
    )


def compatible(
    a_value: Decimal,
    a_qualifier: str,
    b_value: Decimal,
    b_qualifier: str,
    tolerance: Decimal = Decimal(0),
) -> bool:
    """Can both figures be true at once (allowing the tolerance for counting error)?"""
    a = figure_interval(a_value, a_qualifier).widened(tolerance)
    b = figure_interval(b_value, b_qualifier).widened(tolerance)
    return intervals_overlap(a, b)


def day(on: datetime.date) -> str:
    return f"{on.day} {on:%b %Y}"


def describe(value: Decimal, qualifier: str) -> str:
    """'more than 1,000', '745', 'dozens' (the wording of counting.wording)."""
    return quantity(value, qualifier)


@dataclass(frozen=True)
class FigureRecord:
    """One figure as the reconciliation sees it."""

    id: int
    claim_id: int
    article_id: int
    article_title: str
    source_id: int
    source_name: str
    counted: str
    value: Decimal
    qualifier: str
    on: datetime.date
    order: int = 0  # tie-break within a date: import order

    @property
    def category(self) -> Category:
        return normalise_counted(self.counted)

    @property
    def text(self) -> str:
        return describe(self.value, self.qualifier)

    @property
    def interval(self) -> Interval:
        return figure_interval(self.value, self.qualifier)


class Role:
    FIRST = "first"
    UPDATE = "update"
    REPEAT = "repeat"
    CONFLICT = "conflict"


@dataclass
class Entry:
    """A figure in its source's series, with how it relates to the one before."""

    record: FigureRecord
    role: str = Role.FIRST
    previous: FigureRecord | None = None

    @property
    def role_label(self) -> str:
        """How it relates to the one before, in words; nothing for the first."""
        return "" if self.role == Role.FIRST else self.role

    @property
    def note(self) -> str:
        if self.previous is None:
            return ""
        if self.role == Role.UPDATE:
            direction = "up" if self.record.value > self.previous.value else "down"
            return f"updates {self.previous.text} of {day(self.previous.on)} ({direction})"
        if self.role == Role.REPEAT:
            if self.record.on == self.previous.on and self.record.text != self.previous.text:
                return f"consistent with {self.previous.text} the same day"
            return f"repeats {self.previous.text} of {day(self.previous.on)}"
        if self.role == Role.CONFLICT:
            return f"conflicts with {self.previous.text} the same day"
        return ""


@dataclass
class SourceSeries:
    source_id: int
    source_name: str
    entries: list[Entry] = field(default_factory=list)

    @property
    def latest(self) -> FigureRecord:
        return self.entries[-1].record


@dataclass(frozen=True)
class Conflict:
    kind: str  # "same_source" or "between_sources"
    records: tuple[FigureRecord, ...]
    message: str


@dataclass
class CategoryReport:
    category: Category
    series: list[SourceSeries]
    conflicts: list[Conflict]

    @property
    def key(self) -> str:
        return self.category.key

    @property
    def label(self) -> str:
        """The wording the analysts used most for this category ("civilians killed")."""
        records = _chronological(e.record for s in self.series for e in s.entries)
        counts = Counter(" ".join(r.counted.lower().split()) for r in records)
        # The most used wording; among equals, the first one used.
        return max(counts, key=counts.__getitem__) if counts else self.category.label

    @property
    def latest_per_source(self) -> list[FigureRecord]:
        return [s.latest for s in self.series]

    @property
    def minimum(self) -> FigureRecord:
        return min(self.latest_per_source, key=lambda r: (r.value, r.on))

    @property
    def maximum(self) -> FigureRecord:
        return max(self.latest_per_source, key=lambda r: (r.value, r.on))

    @property
    def figure_count(self) -> int:
        return sum(len(s.entries) for s in self.series)

    @property
    def dates(self) -> list[datetime.date]:
        return sorted({e.record.on for s in self.series for e in s.entries})

    @property
    def grid(self) -> list[tuple[SourceSeries, list[list[Entry]]]]:
        """Sources down, dates across: each cell holds the figures a source gave that day."""
        dates = self.dates
        rows = []
        for series in self.series:
            cells: list[list[Entry]] = [[] for _ in dates]
            for entry in series.entries:
                cells[dates.index(entry.record.on)].append(entry)
            rows.append((series, cells))
        return rows

    @property
    def has_conflict(self) -> bool:
        return bool(self.conflicts)


class PartsState:
    CONSISTENT = "consistent"
    EXCEEDS = "exceeds"
    SHORT = "short"


@dataclass(frozen=True)
class PartsCheck:
    """Parts (civilians, security forces, fighters killed) against the total
    (people killed) one source gave in one article."""

    article_id: int
    article_title: str
    source_name: str
    total: FigureRecord
    parts: tuple[FigureRecord, ...]
    state: str

    STATE_LABELS = {
        PartsState.CONSISTENT: "consistent",
        PartsState.EXCEEDS: "parts exceed total",
        PartsState.SHORT: "partial breakdown",
    }

    @property
    def state_label(self) -> str:
        return self.STATE_LABELS.get(self.state, self.state)

    @property
    def parts_sum(self) -> Decimal:
        return sum((p.value for p in self.parts), Decimal(0))

    @property
    def equation(self) -> str:
        terms = " + ".join(describe(p.value, p.qualifier) for p in self.parts)
        if len(self.parts) == 1:
            return terms
        return f"{terms} = {format_number(self.parts_sum)}"

    @property
    def message(self) -> str:
        total = f"{self.total.text} {self.total.category.label}"
        if self.state == PartsState.CONSISTENT:
            return f"{self.equation}, consistent with {total}"
        if self.state == PartsState.EXCEEDS:
            return f"{self.equation} is more than the total, {total}"
        return f"{self.equation} accounts for part of {total}; the rest is not broken down"


@dataclass
class Reconciliation:
    categories: list[CategoryReport]
    parts_checks: list[PartsCheck]

    @property
    def conflicts(self) -> list[Conflict]:
        return [c for report in self.categories for c in report.conflicts]

    @property
    def inconsistent_parts(self) -> list[PartsCheck]:
        return [p for p in self.parts_checks if p.state == PartsState.EXCEEDS]


def _chronological(records: Iterable[FigureRecord]) -> list[FigureRecord]:
    return sorted(records, key=lambda r: (r.on, r.order, r.id))


def source_series(
    source_id: int, source_name: str, records: Sequence[FigureRecord]
) -> tuple[SourceSeries, list[Conflict]]:
    """A source's figures in date order: later ones update earlier ones; the
    same day, an incompatible figure is a conflict and a compatible one a repeat."""
    series = SourceSeries(source_id, source_name)
    conflicts: list[Conflict] = []
    for record in _chronological(records):
        if not series.entries:
            series.entries.append(Entry(record))
            continue
        previous = series.entries[-1].record
        same_day = [e.record for e in series.entries if e.record.on == record.on]
        clashing = [
            other
            for other in same_day
            if not compatible(other.value, other.qualifier, record.value, record.qualifier)
        ]
        if clashing:
            series.entries.append(Entry(record, Role.CONFLICT, clashing[-1]))
            conflicts.append(
                Conflict(
                    "same_source",
                    (clashing[-1], record),
                    f"{source_name} gave {clashing[-1].text} ({clashing[-1].article_title}) "
                    f"and {record.text} ({record.article_title}) on {day(record.on)}",
                )
            )
        elif record.on == previous.on or (
            record.value == previous.value and record.qualifier == previous.qualifier
        ):
            series.entries.append(Entry(record, Role.REPEAT, previous))
        else:
            series.entries.append(Entry(record, Role.UPDATE, previous))
    return series, conflicts


def _between_sources(
    series: Sequence[SourceSeries], tolerance: Decimal, label: str
) -> list[Conflict]:
    conflicts = []
    for a, b in combinations(series, 2):
        x, y = a.latest, b.latest
        if not compatible(x.value, x.qualifier, y.value, y.qualifier, tolerance):
            conflicts.append(
                Conflict(
                    "between_sources",
                    (x, y),
                    f"{a.source_name}: {x.text} {label} (as of {day(x.on)}) vs "
                    f"{b.source_name}: {y.text} (as of {day(y.on)}), "
                    f"more than {tolerance * 100:.0f}% apart",
                )
            )
    return conflicts


def _sum_interval(parts: Sequence[FigureRecord]) -> Interval:
    lo = sum((p.interval.lo for p in parts), Decimal(0))
    his = [p.interval.hi for p in parts]
    hi = None if any(h is None for h in his) else sum(his, Decimal(0))
    return Interval(
        lo,
        hi,
        lo_open=any(p.interval.lo_open for p in parts),
        hi_open=any(p.interval.hi_open for p in parts),
    )


def parts_state(total: FigureRecord, parts: Sequence[FigureRecord]) -> str:
    whole = total.interval
    summed = _sum_interval(parts)
    if intervals_overlap(whole, summed):
        return PartsState.CONSISTENT
    if whole.hi is not None and (
        summed.lo > whole.hi or (summed.lo == whole.hi and (summed.lo_open or whole.hi_open))
    ):
        return PartsState.EXCEEDS
    return PartsState.SHORT


def parts_against_totals(records: Sequence[FigureRecord]) -> list[PartsCheck]:
    """In each article, for each source and measure, the figures for a subgroup
    (civilians killed) against the figure for everyone (people killed)."""
    groups: dict[tuple[int, int, str], list[FigureRecord]] = defaultdict(list)
    for record in records:
        if record.category.measure:
            groups[(record.article_id, record.source_id, record.category.measure)].append(record)
    checks = []
    for (_article, _source, _measure), members in sorted(groups.items()):
        totals = [r for r in members if r.category.is_total]
        parts: dict[str, FigureRecord] = {}
        for record in sorted(members, key=lambda r: (r.order, r.id)):
            if not record.category.is_total:
                parts.setdefault(record.category.subject, record)
        if not totals or not parts:
            continue
        for total in sorted(totals, key=lambda r: (r.order, r.id)):
            chosen = tuple(parts.values())
            checks.append(
                PartsCheck(
                    article_id=total.article_id,
                    article_title=total.article_title,
                    source_name=total.source_name,
                    total=total,
                    parts=chosen,
                    state=parts_state(total, chosen),
                )
            )
    return checks


def reconcile(
    records: Iterable[FigureRecord], *, tolerance: Decimal = DEFAULT_TOLERANCE
) -> Reconciliation:
    """Every figure grouped by category and source, with conflicts, updates,
    ranges and the parts-against-totals checks."""
    records = list(records)
    by_category: dict[str, list[FigureRecord]] = defaultdict(list)
    categories: dict[str, Category] = {}
    for record in records:
        category = record.category
        by_category[category.key].append(record)
        categories[category.key] = category
    reports = []
    for key, members in by_category.items():
        by_source: dict[int, list[FigureRecord]] = defaultdict(list)
        names: dict[int, str] = {}
        for record in members:
            by_source[record.source_id].append(record)
            names[record.source_id] = record.source_name
        series_list: list[SourceSeries] = []
        conflicts: list[Conflict] = []
        for source_id, source_records in by_source.items():
            series, source_conflicts = source_series(source_id, names[source_id], source_records)
            series_list.append(series)
            conflicts.extend(source_conflicts)
        series_list.sort(key=lambda s: (s.source_name.lower(), s.source_id))
        report = CategoryReport(categories[key], series_list, conflicts)
        conflicts.extend(_between_sources(series_list, tolerance, report.label))
        reports.append(report)
    reports.sort(key=lambda r: (-r.figure_count, r.label))
    return Reconciliation(reports, parts_against_totals(records))
