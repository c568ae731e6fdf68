"""What a figure allows, and whether two figures agree. Pure functions, no
Django: the reconciliation (counting.reconcile) and the matcher build on them.

The casualty recorders' reading of bounds:

- exact v is [v, v]; "at least", "more than", "over" v is [v, ∞);
- "at most", "up to", "fewer than" v is [0, v];
- "about", "around", "nearly", "some" v is [0.9·v, 1.1·v];
- a range low-high is [low, high];
- "dozens" (24) is [24, 99], "hundreds" (200) [200, 999]: up to the next power of ten.

Two intervals *agree* when they overlap, or when the gap between them is
within the workspace's tolerance: with A below B, they agree when
B.low ≤ A.high x (1 + tolerance). "About" widens a bound; it does not add to
the tolerance.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from counting.wording import format_number, quantity

DEFAULT_TOLERANCE = Decimal("0.10")


# "about 300" stands for 270-330.
APPROXIMATE_SPREAD = Decimal("0.10")


class Bounds:
    """The five kinds of bounds a figure can have (plus vague quantities)."""

    EXACT = "exact"
    AT_LEAST = "at_least"
    AT_MOST = "at_most"
    ABOUT = "about"
    RANGE = "range"
    VAGUE = "vague"


# The stored qualifiers (claims.Figure.Qualifier) and the bounds they give.
QUALIFIER_BOUNDS = {
    "exact": Bounds.EXACT,
    "more_than": Bounds.AT_LEAST,
    "at_least": Bounds.AT_LEAST,
    "about": Bounds.ABOUT,
    "nearly": Bounds.ABOUT,
    "up_to": Bounds.AT_MOST,
    "fewer_than": Bounds.AT_MOST,
    "range": Bounds.RANGE,
    "dozens": Bounds.VAGUE,
    "hundreds": Bounds.VAGUE,
    "thousands": Bounds.VAGUE,
}


def bounds_of(qualifier: str) -> str:
    return QUALIFIER_BOUNDS.get(qualifier, Bounds.EXACT)


@dataclass(frozen=True)
class Interval:
    """The values a figure allows; hi None means unbounded above."""

    lo: Decimal
    hi: Decimal | None

    @property
    def text(self) -> str:
        if self.hi is None:
            return f"{format_number(self.lo)} or more"
        if self.lo == self.hi:
            return format_number(self.lo)
        return f"{format_number(self.lo)}–{format_number(self.hi)}"


def _vague_upper(value: Decimal) -> Decimal:
    """'dozens' (24) up to 99, 'hundreds' (200) up to 999: the next power of ten."""
    digits = len(str(int(value))) if value >= 1 else 1
    return Decimal(10**digits - 1)


def figure_interval(value, qualifier: str, value_high=None) -> Interval:
    value = Decimal(value)
    kind = bounds_of(qualifier)
    if kind == Bounds.AT_LEAST:
        return Interval(value, None)
    if kind == Bounds.AT_MOST:
        return Interval(Decimal(0), value)
    if kind == Bounds.ABOUT:
        spread = value * APPROXIMATE_SPREAD
        return Interval(value - spread, value + spread)
    if kind == Bounds.RANGE:
        high = Decimal(value_high) if value_high is not None else value
        return Interval(min(value, high), max(value, high))
    if kind == Bounds.VAGUE:
        return Interval(value, max(value, _vague_upper(value)))
    return Interval(value, value)


def range_ends(value, qualifier: str, value_high=None) -> tuple[Decimal, Decimal]:
    """The ends a figure gives a range across sources: its interval, except
    that an open side uses the value itself ("at least 640" ends at 640,
    "up to 60" starts at 60)."""
    interval = figure_interval(value, qualifier, value_high)
    value = Decimal(value)
    low = value if bounds_of(qualifier) == Bounds.AT_MOST else interval.lo
    high = value if interval.hi is None else interval.hi
    return low, high


def agree(a: Interval, b: Interval, tolerance: Decimal = Decimal(0)) -> bool:
    """Do the intervals overlap, or lie within the tolerance of each other?"""
    if a.hi is not None and a.hi < b.lo:
        return b.lo <= a.hi * (1 + tolerance)
    if b.hi is not None and b.hi < a.lo:
        return a.lo <= b.hi * (1 + tolerance)
    return True


class Comparison:
    AGREE = "agree"
    BELOW = "below"  # the first is below the second beyond the tolerance
    ABOVE = "above"


def compare(a: Interval, b: Interval, tolerance: Decimal = Decimal(0)) -> str:
    """How a stands to b: agree, below or above (beyond the tolerance)."""
    if agree(a, b, tolerance):
        return Comparison.AGREE
    if a.hi is not None and a.hi < b.lo:
        return Comparison.BELOW
    return Comparison.ABOVE


def compatible(a_value, a_qualifier, b_value, b_qualifier, tolerance=Decimal(0)) -> bool:
    """Can both figures be true at once (allowing the tolerance for counting error)?"""
    return agree(
        figure_interval(a_value, a_qualifier), figure_interval(b_value, b_qualifier), tolerance
    )


def sum_intervals(intervals) -> Interval:
    """The sum of parts: lows add up, highs add up (unbounded if any part is)."""
    intervals = list(intervals)
    lo = sum((i.lo for i in intervals), Decimal(0))
    his = [i.hi for i in intervals]
    hi = None if any(h is None for h in his) else sum(his, Decimal(0))
    return Interval(lo, hi)


def gap_text(low: Interval, high: Interval, tolerance: Decimal) -> str:
    """Why two intervals differ, in numbers: "352 x 1.10 = 387.2 is below 388"."""
    factor = 1 + tolerance
    reach = (low.hi or low.lo) * factor
    return (
        f"{format_number(low.hi)} × {format_number(factor.quantize(Decimal('0.01')))}"
        f" = {format_number(reach.quantize(Decimal('0.1')).normalize())}"
        f" is below {format_number(high.lo)}"
    )


def describe(value, qualifier: str, value_high=None) -> str:
    """'more than 1,000', '745', 'dozens', '30-40' (the wording of counting.wording)."""
    return quantity(value, qualifier, value_high)


def percent(tolerance: Decimal) -> str:
    return f"{format_number((tolerance * 100).quantize(Decimal('0.1')).normalize())}%"
