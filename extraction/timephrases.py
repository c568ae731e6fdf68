"""Time phrases of casualty reports, resolved against the article's date.

`find_time_phrases(text, start, end, published)` returns every phrase in
text[start:end] that dates a count, as an as-of date or a period, following
labelled/FORMAT.md: "today" is the publication date, "yesterday" the day
before; a weekday is the most recent such day on or before the publication
date; "since Thursday" runs from that Thursday to the date of the report;
"in the past 24 hours" from the day before; "last week" is the Monday to
Sunday before; "on Friday" is that Friday; "in August" is the whole month;
"by the end of March" is as of 31 March; "so far" is as of the report.

Phrases that only date the report ("said on Saturday") are marked
`reporting`: they date a running total (as of that day), never an incident.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

from .numbers import parse_number

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
MONTHS = (
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
)
_WDN = r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)"
_WD = rf"(?P<wd>{_WDN})"
_MONTH = (
    r"(?:january|february|march|april|may|june|july|august|september|october|november|december)"
)
_PART_OF_DAY = r"(?:\s+(?:morning|afternoon|evening|night))?"
_DATE = rf"(?:\d{{1,2}}\s+{_MONTH}(?:\s+\d{{4}})?|{_MONTH}\s+\d{{1,2}}(?!\d)(?:,\s*\d{{4}})?)"
_NUM = r"(?:\d+|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fourteen|a)"
_UNIT = r"(?P<unit>days?|weeks?|fortnight|months?|hours?)"


@dataclass
class TimePhrase:
    start: int
    end: int
    text: str
    value: dict[str, str]
    # What kind of phrase: day, period, since, as_of, reporting, same_period.
    kind: str


def _iso(day: dt.date) -> str:
    return day.isoformat()


def weekday_before(name: str, anchor: dt.date) -> dt.date:
    """The most recent such weekday on or before anchor."""
    target = WEEKDAYS.index(name.lower())
    return anchor - dt.timedelta(days=(anchor.weekday() - target) % 7)


def month_before(month: int, anchor: dt.date, year: int | None = None) -> tuple[dt.date, dt.date]:
    """The most recent such month on or before anchor, as its first and last day."""
    if year is None:
        year = anchor.year if month <= anchor.month else anchor.year - 1
    last = calendar.monthrange(year, month)[1]
    return dt.date(year, month, 1), dt.date(year, month, last)


def parse_date(text: str, anchor: dt.date) -> dt.date | None:
    """'6 March', '10 May 2024', 'March 6, 2025' -> a date (the year of the anchor,
    or the year before when that would fall after it)."""
    m = re.match(rf"\s*(\d{{1,2}})\s+({_MONTH})(?:\s+(\d{{4}}))?", text, re.I) or re.match(
        rf"\s*({_MONTH})\s+(\d{{1,2}})(?!\d)(?:,\s*(\d{{4}}))?", text, re.I
    )
    if not m:
        return None
    a, b, year = m.group(1), m.group(2), m.group(3)
    if a.isdigit():
        day, month = int(a), MONTHS.index(b.lower()) + 1
    else:
        day, month = int(b), MONTHS.index(a.lower()) + 1
    try:
        if year:
            return dt.date(int(year), month, day)
        candidate = dt.date(anchor.year, month, day)
        return candidate if candidate <= anchor else dt.date(anchor.year - 1, month, day)
    except ValueError:
        return None


def _days(unit: str, count: int) -> int:
    unit = unit.lower().rstrip("s")
    return {"day": 1, "week": 7, "fortnight": 14, "month": 30, "hour": 0}.get(unit, 1) * count


_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    (
        "between_dates",
        re.compile(
            rf"\bbetween\s+(?P<a>\d{{1,2}}(?:\s+{_MONTH})?(?:\s+\d{{4}})?)\s+and\s+(?P<b>{_DATE})",
            re.I,
        ),
    ),
    (
        "between_months",
        re.compile(
            rf"\bbetween\s+(?P<a>{_MONTH})(?:\s+(?P<ay>\d{{4}}))?\s+and\s+(?P<b>{_MONTH})"
            r"(?:\s+(?P<by>\d{4}))?",
            re.I,
        ),
    ),
    (
        "between_days",
        re.compile(
            rf"\bbetween\s+(?P<a>{_WDN})\s+and\s+(?P<b>{_WDN})(?P<last>\s+last\s+week)?",
            re.I,
        ),
    ),
    (
        "since",
        re.compile(
            r"\bsince\s+(?:(?P<start>the\s+start\s+of\s+(?:the|this)\s+(?:month|year|week))|"
            rf"(?P<mid>mid-{_MONTH})|(?P<date>{_DATE})|(?P<month>{_MONTH}(?:\s+\d{{4}})?)|"
            rf"(?P<wd>{_WDN})|(?P<today>midnight|this\s+morning|dawn|daybreak)|"
            r"(?P<year>\d{4})|"
            rf"(?P<clause>(?:[\w'’-]+\s+){{0,14}}?(?:in|on)\s+(?:{_DATE}|{_MONTH}\s+\d{{4}}))|"
            r"(?P<event>(?:the|its|their)\s+(?:[\w'’-]+\s+){0,3}?(?P<noun>war|coup|strike|attacks?|"
            r"fighting|offensive|invasion|siege|violence|clashes|raid|assault|conflict|massacre|"
            r"bombing|takeover|crisis|operation|uprising|revolution)\b))",
            re.I,
        ),
    ),
    (
        "past",
        re.compile(
            rf"\b(?:in|over|during|within)\s+the\s+(?:past|last|previous)\s+(?:(?P<n>{_NUM})\s+)?{_UNIT}",
            re.I,
        ),
    ),
    ("space", re.compile(rf"\bin\s+the\s+space\s+of\s+(?P<n>{_NUM})\s+{_UNIT}", re.I)),
    (
        "n_days",
        re.compile(rf"\b(?:in|after|during|over)\s+(?P<n>{_NUM})\s+{_UNIT}(?:\s+of\b)?", re.I),
    ),
    (
        "first_of_year",
        re.compile(
            rf"\bin\s+the\s+first\s+(?:(?P<half>half)|(?P<n>{_NUM})\s+months?|(?P<q>quarter))\s+of\s+"
            r"(?:the|this)\s+year",
            re.I,
        ),
    ),
    (
        "first_of_event",
        re.compile(
            rf"\bin\s+the\s+first\s+(?:(?P<n>{_NUM})\s+)?(?P<unit>years?|months?|weeks?|days?)\s+of\s+"
            r"the\s+(?P<noun>war|conflict|fighting|siege|offensive|invasion|crisis)\b",
            re.I,
        ),
    ),
    (
        "same_period",
        re.compile(
            r"\b(?:in|over|during)\s+the\s+same\s+period"
            r"(?:\s+(?:of|in|last)\s+(?P<y>\d{4}|year))?",
            re.I,
        ),
    ),
    ("last", re.compile(r"\blast\s+(?P<u>week|month|year)\b", re.I)),
    ("this", re.compile(r"\b(?:this|so\s+far\s+this)\s+(?P<u>week|month|year)\b", re.I)),
    ("weekend", re.compile(r"\b(?:over|during)\s+the\s+(?:past\s+)?weekend\b", re.I)),
    ("end_of", re.compile(rf"\bby\s+the\s+end\s+of\s+(?P<m>{_MONTH})(?:\s+(?P<y>\d{{4}}))?", re.I)),
    ("as_of", re.compile(rf"\bas\s+of\s+(?:(?P<date>{_DATE})|(?P<wd>{_WDN}))", re.I)),
    (
        "month",
        re.compile(rf"\b(?:in|during|throughout)\s+(?P<m>{_MONTH})(?:\s+(?P<y>\d{{4}}))?", re.I),
    ),
    ("date", re.compile(rf"\bon\s+(?:{_WDN},\s*)?(?P<date>{_DATE})", re.I)),
    (
        "day",
        re.compile(
            rf"\b(?:(?:late|early|before\s+dawn|at\s+dawn|in\s+the\s+early\s+hours)\s+)?(?:on\s+)?"
            rf"{_WD}{_PART_OF_DAY}\b",
            re.I,
        ),
    ),
    ("overnight", re.compile(r"\b(?:overnight|last\s+night)\b", re.I)),
    ("today", re.compile(r"\b(?:today|tonight|this\s+morning|this\s+afternoon)\b", re.I)),
    ("yesterday", re.compile(r"\byesterday\b", re.I)),
    ("so_far", re.compile(r"\b(?:so\s+far|to\s+date|(?:has|have)\s+now|now\s+stands?)\b", re.I)),
]


def _resolve(kind: str, m: re.Match[str], anchor: dt.date) -> tuple[dict[str, str], str] | None:
    """The value of one matched phrase: ({"from", "to"} or {"as_of"}, its kind)."""
    if kind == "between_dates":
        b = parse_date(m.group("b"), anchor)
        if b is None:
            return None
        a_text = m.group("a")
        a = None
        if re.search(r"[a-z]", a_text, re.I):
            a = parse_date(a_text if re.search(r"\d{4}", a_text) else f"{a_text} {b.year}", anchor)
            if a is not None and a > b:
                a = a.replace(year=a.year - 1)
        if a is None:
            try:
                a = b.replace(day=int(a_text.split()[0]))
            except ValueError:
                return None
        return {"from": _iso(a), "to": _iso(b)}, "period"
    if kind == "between_months":
        b_month = MONTHS.index(m.group("b").lower()) + 1
        b_first, b_last = month_before(
            b_month, anchor, int(m.group("by")) if m.group("by") else None
        )
        a_month = MONTHS.index(m.group("a").lower()) + 1
        a_year = (
            int(m.group("ay"))
            if m.group("ay")
            else (b_first.year if a_month <= b_month else b_first.year - 1)
        )
        return {"from": _iso(dt.date(a_year, a_month, 1)), "to": _iso(b_last)}, "period"
    if kind == "between_days":
        base = anchor - dt.timedelta(days=anchor.weekday() + 7) if m.group("last") else None
        if base is not None:
            a = base + dt.timedelta(days=WEEKDAYS.index(m.group("a").lower()))
            b = base + dt.timedelta(days=WEEKDAYS.index(m.group("b").lower()))
        else:
            b = weekday_before(m.group("b"), anchor)
            a = weekday_before(m.group("a"), b)
        return {"from": _iso(a), "to": _iso(b)}, "period"
    if kind == "since":
        start: dt.date | None = None
        if m.group("start"):
            unit = m.group("start").split()[-1].lower()
            if unit == "month":
                start = anchor.replace(day=1)
            elif unit == "year":
                start = anchor.replace(month=1, day=1)
            else:
                start = anchor - dt.timedelta(days=anchor.weekday())
        elif m.group("mid"):
            month = MONTHS.index(m.group("mid")[4:].lower()) + 1
            start = month_before(month, anchor)[0].replace(day=15)
        elif m.group("date"):
            start = parse_date(m.group("date"), anchor)
        elif m.group("month"):
            parts = m.group("month").split()
            month = MONTHS.index(parts[0].lower()) + 1
            start = month_before(month, anchor, int(parts[1]) if len(parts) > 1 else None)[0]
        elif m.group("wd"):
            start = weekday_before(m.group("wd"), anchor)
        elif m.group("today"):
            return {"from": _iso(anchor), "to": _iso(anchor)}, "today_since"
        elif m.group("year"):
            start = dt.date(int(m.group("year")), 1, 1)
        elif m.group("clause"):
            tail = re.search(rf"(?:in|on)\s+({_DATE}|{_MONTH}\s+\d{{4}})$", m.group("clause"), re.I)
            if tail:
                text = tail.group(1)
                start = parse_date(text, anchor)
                if start is None:
                    month_name, year = text.split()
                    start = dt.date(int(year), MONTHS.index(month_name.lower()) + 1, 1)
        elif m.group("event"):
            return {"event": m.group("noun").lower()}, "since_event"
        if start is None:
            return None
        return {"from": _iso(start), "to": _iso(anchor)}, "since"
    if kind in {"past", "space", "n_days"}:
        n_text = m.groupdict().get("n")
        count = 1
        if n_text:
            parsed = parse_number(n_text) if n_text.lower() != "a" else 1
            if parsed is None:
                return None
            count = int(parsed)
        unit = m.group("unit")
        hours = unit.lower().startswith("hour")
        days = max(1, round(count / 24)) if hours else _days(unit, count)
        if kind == "n_days" and not unit.lower().startswith(("day", "week")):
            return None
        return {"from": _iso(anchor - dt.timedelta(days=days)), "to": _iso(anchor)}, "period"
    if kind == "first_of_year":
        if m.group("half"):
            months = 6
        elif m.group("q"):
            months = 3
        else:
            parsed = parse_number(m.group("n"))
            if parsed is None:
                return None
            months = int(parsed)
        end = month_before(months, anchor, anchor.year)[1]
        return {"from": _iso(anchor.replace(month=1, day=1)), "to": _iso(end)}, "period"
    if kind == "first_of_event":
        n_text = m.group("n")
        count = int(parse_number(n_text) or 1) if n_text and n_text.lower() != "a" else 1
        unit = m.group("unit").lower().rstrip("s")
        return {"event": m.group("noun").lower(), "unit": unit, "n": str(count)}, "first_of_event"
    if kind == "same_period":
        year = m.group("y")
        if year is None:
            return {}, "same_period"  # the period of the count before
        return {"year": year if year.isdigit() else str(anchor.year - 1)}, "same_period"
    if kind == "last":
        unit = m.group("u").lower()
        if unit == "week":
            monday = anchor - dt.timedelta(days=anchor.weekday() + 7)
            return {"from": _iso(monday), "to": _iso(monday + dt.timedelta(days=6))}, "period"
        if unit == "month":
            last = anchor.replace(day=1) - dt.timedelta(days=1)
            return {"from": _iso(last.replace(day=1)), "to": _iso(last)}, "period"
        year = anchor.year - 1
        return {"from": f"{year}-01-01", "to": f"{year}-12-31"}, "period"
    if kind == "this":
        unit = m.group("u").lower()
        if unit == "week":
            start = anchor - dt.timedelta(days=anchor.weekday())
        elif unit == "month":
            start = anchor.replace(day=1)
        else:
            start = anchor.replace(month=1, day=1)
        return {"from": _iso(start), "to": _iso(anchor)}, "to_date"
    if kind == "weekend":
        sunday = anchor - dt.timedelta(days=(anchor.weekday() + 1) % 7)
        if sunday == anchor and anchor.weekday() == 6:
            sunday = anchor
        return {"from": _iso(sunday - dt.timedelta(days=1)), "to": _iso(sunday)}, "period"
    if kind == "end_of":
        month = MONTHS.index(m.group("m").lower()) + 1
        year = int(m.group("y")) if m.group("y") else None
        return {"as_of": _iso(month_before(month, anchor, year)[1])}, "as_of"
    if kind == "as_of":
        if m.group("date"):
            day = parse_date(m.group("date"), anchor)
        else:
            day = weekday_before(m.group("wd"), anchor)
        return ({"as_of": _iso(day)}, "as_of") if day else None
    if kind == "month":
        month = MONTHS.index(m.group("m").lower()) + 1
        year = int(m.group("y")) if m.group("y") else None
        first, last = month_before(month, anchor, year)
        return {"from": _iso(first), "to": _iso(min(last, anchor))}, "period"
    if kind == "date":
        day = parse_date(m.group("date"), anchor)
        return ({"from": _iso(day), "to": _iso(day)}, "day") if day else None
    if kind == "day":
        day = weekday_before(m.group("wd"), anchor)
        return {"from": _iso(day), "to": _iso(day)}, "day"
    if kind == "overnight":
        return {"from": _iso(anchor - dt.timedelta(days=1)), "to": _iso(anchor)}, "overnight"
    if kind == "today":
        return {"from": _iso(anchor), "to": _iso(anchor)}, "day"
    if kind == "yesterday":
        day = anchor - dt.timedelta(days=1)
        return {"from": _iso(day), "to": _iso(day)}, "day"
    if kind == "so_far":
        return {"as_of": _iso(anchor)}, "so_far"
    return None


def find_time_phrases(
    text: str, start: int, end: int, published: dt.date, anchor: dt.date | None = None
) -> list[TimePhrase]:
    """Every time phrase in text[start:end], earliest first, none overlapping."""
    anchor = anchor or published
    taken: list[tuple[int, int]] = []
    found: list[TimePhrase] = []
    for kind, pattern in _PATTERNS:
        for m in pattern.finditer(text, start, end):
            if any(m.start() < e and s < m.end() for s, e in taken):
                continue
            resolved = _resolve(kind, m, anchor)
            if resolved is None:
                continue
            value, phrase_kind = resolved
            taken.append((m.start(), m.end()))
            found.append(TimePhrase(m.start(), m.end(), m.group(0), value, phrase_kind))
    found.sort(key=lambda p: p.start)
    return found


def end_of_month(day: dt.date) -> dt.date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def shift_year(value: dict[str, str], year: int) -> dict[str, str] | None:
    """The same period in another year ('in the same period of 2024')."""
    try:
        return {
            k: dt.date.fromisoformat(v).replace(year=year).isoformat()
            for k, v in value.items()
            if k in {"from", "to", "as_of"}
        }
    except ValueError:
        return None
