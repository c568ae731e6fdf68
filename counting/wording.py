"""How a figure is worded, everywhere: pages, history, reports, exports and
suggestions. One place, so "more than 1,000" never reads "1E+3" or "exactly
1000.00" somewhere else.

- `plain_number`: the value as data (JSON, CSV cells, audit history):
  "1000", "7.5"; no exponent, no thousands separator, no trailing zeros.
- `format_number`: the value for people: "1,000", "7.5".
- `quantity`: the number with its qualifier: "more than 1,000", "745", "dozens".
- `figure_phrase`: with what is counted: "more than 1,000 people killed".
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

QUALIFIER_PHRASES = {
    "exact": "",
    "more_than": "more than",
    "at_least": "at least",
    "about": "about",
    "nearly": "nearly",
    "up_to": "up to",
    "fewer_than": "fewer than",
    "dozens": "dozens of",
    "hundreds": "hundreds of",
    "thousands": "thousands of",
    "range": "",
}
# Vague quantities are worded without their number ("dozens of people").
VAGUE = frozenset({"dozens", "hundreds", "thousands"})


def _decimal(value) -> Decimal | None:
    try:
        number = Decimal(str(value).replace(",", "").strip())
    except (InvalidOperation, ValueError):
        return None
    return number if number.is_finite() else None


def plain_number(value) -> str:
    """1000.00 -> "1000"; 7.50 -> "7.5"; never an exponent."""
    number = _decimal(value)
    if number is None:
        return str(value)
    if number == number.to_integral_value():
        return str(int(number))
    return format(number.normalize(), "f")


def format_number(value) -> str:
    """1000.00 -> "1,000"; 1234.5 -> "1,234.5"."""
    number = _decimal(value)
    if number is None:
        return str(value)
    if number == number.to_integral_value():
        return f"{int(number):,}"
    whole, _, fraction = format(number.normalize(), "f").partition(".")
    return f"{int(whole):,}.{fraction}" if whole not in ("", "-") else f"{whole}0.{fraction}"


def quantity_parts(value, qualifier: str, value_high=None) -> tuple[str, str]:
    """(words before the number, the number): ("more than", "1,000"),
    ("", "745"), ("dozens of", "") for a vague quantity, ("", "30-40") for a range."""
    words = QUALIFIER_PHRASES.get(qualifier, qualifier.replace("_", " "))
    if qualifier in VAGUE:
        return words, ""
    if qualifier == "range" and value_high is not None:
        return words, f"{format_number(value)}–{format_number(value_high)}"
    return words, format_number(value)


def quantity(value, qualifier: str, value_high=None) -> str:
    """ "more than 1,000", "745", "dozens", "30-40"."""
    words, number = quantity_parts(value, qualifier, value_high)
    if not number:
        return words.removesuffix(" of")
    return f"{words} {number}".strip()


def figure_phrase(value, qualifier: str, counted: str, value_high=None) -> str:
    """ "more than 1,000 people killed", "745 civilians killed", "dozens of homes burned",
    "30-40 villagers killed"."""
    words, number = quantity_parts(value, qualifier, value_high)
    return " ".join(part for part in (words, number, " ".join(counted.split())) if part)


def day(on) -> str:
    """ "9 Mar 2025"."""
    return f"{on.day} {on:%b %Y}"


def period(start, end) -> str:
    """ "6-9 Mar 2025", "28 Feb - 2 Mar 2025", "24 Feb 2022 - 30 Apr 2025"."""
    if start is None:
        return f"to {day(end)}"
    if start == end:
        return day(end)
    if (start.year, start.month) == (end.year, end.month):
        return f"{start.day}–{day(end)}"
    if start.year == end.year:
        return f"{start.day} {start:%b} – {day(end)}"
    return f"{day(start)} – {day(end)}"
