"""Bounds, intervals and agreement (counting.figures): pure, no database."""

from decimal import Decimal

import pytest

from counting.figures import (
    Interval,
    agree,
    compare,
    describe,
    figure_interval,
    range_ends,
    sum_intervals,
)

D = Decimal


@pytest.mark.parametrize(
    ("value", "qualifier", "high", "expected"),
    [
        (236, "exact", None, Interval(D(236), D(236))),
        (809, "at_least", None, Interval(D(809), None)),
        (1000, "more_than", None, Interval(D(1000), None)),
        (60, "up_to", None, Interval(D(0), D(60))),
        (60, "fewer_than", None, Interval(D(0), D(60))),
        (700, "about", None, Interval(D(630), D(770))),
        (700, "nearly", None, Interval(D(630), D(770))),
        (30, "range", 40, Interval(D(30), D(40))),
        (24, "dozens", None, Interval(D(24), D(99))),
    ],
)
def test_it_reads_bounds_as_intervals(value, qualifier, high, expected):
    assert figure_interval(value, qualifier, high) == expected


def test_it_agrees_on_overlap_or_a_gap_within_the_tolerance():
    assert agree(Interval(D(118), D(118)), Interval(D(129), D(129)), D("0.10"))  # 129.8 >= 129
    assert not agree(Interval(D(352), D(352)), Interval(D(388), D(388)), D("0.10"))  # 387.2
    assert agree(Interval(D(640), None), Interval(D(630), D(770)))


def test_about_widens_a_bound_it_does_not_add_to_the_tolerance():
    """Two monitors 23% apart: 'about 1,000' is 900-1,100, and 1,100 x 1.1 =
    1,210 is below 1,250, so they differ: the old 10% + 10% swallowed it."""
    about = figure_interval(1000, "about")
    other = figure_interval(1250, "exact")
    assert compare(about, other, D("0.10")) == "below"


def test_it_gives_range_ends_with_open_sides_at_the_value():
    assert range_ends(640, "at_least") == (D(640), D(640))
    assert range_ends(60, "up_to") == (D(60), D(60))
    assert range_ends(500000, "about") == (D(450000), D(550000))


def test_it_sums_parts_unbounded_when_one_part_is():
    assert sum_intervals([Interval(D(92), D(92)), Interval(D(81), D(81))]) == Interval(
        D(173), D(173)
    )
    assert sum_intervals([Interval(D(1900), None), Interval(D(630), D(770))]).hi is None


def test_it_words_figures_through_counting_wording():
    assert describe(D(30), "range", D(40)) == "30–40"
    assert describe(D(1000), "more_than") == "more than 1,000"
