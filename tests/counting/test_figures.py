"""Figures reconciliation rules (claims/figures.py): pure functions, no database."""

import datetime
from decimal import Decimal

import pytest

from counting.figures import (
    Category,
    FigureRecord,
    PartsState,
    Role,
    compatible,
    describe,
    figure_interval,
    normalise_counted,
    parts_against_totals,
    reconcile,
)

D1 = datetime.date(2025, 3, 8)
D2 = datetime.date(2025, 3, 9)
D3 = datetime.date(2025, 3, 10)
MONITOR, MINISTRY, AGENCY = 1, 2, 3
NAMES = {MONITOR: "Monitor", MINISTRY: "Ministry", AGENCY: "Agency"}

_ids = iter(range(1, 10_000))


def fig(value, counted, *, source=MONITOR, on=D1, qualifier="exact", article=1, order=0):
    pk = next(_ids)
    return FigureRecord(
        id=pk,
        claim_id=pk,
        article_id=article,
        article_title=f"Article {article}",
        source_id=source,
        source_name=NAMES[source],
        counted=counted,
        value=Decimal(value),
        qualifier=qualifier,
        on=on,
        order=order,
    )


@pytest.mark.parametrize(
    ("counted", "expected"),
    [
        ("civilians killed", Category("civilian", "killed")),
        ("civilian deaths", Category("civilian", "killed")),
        ("dead civilians", Category("civilian", "killed")),
        ("Civilians Killed", Category("civilian", "killed")),
        ("people killed", Category("people", "killed")),
        ("people dead", Category("people", "killed")),
        ("deaths", Category("people", "killed")),
        ("dead", Category("people", "killed")),
        ("death toll", Category("people", "killed")),
        ("persons killed", Category("people", "killed")),
        ("children killed", Category("child", "killed")),
        ("people injured", Category("people", "wounded")),
        ("wounded people", Category("people", "wounded")),
        ("families displaced", Category("family", "displaced")),
        ("members of the security forces killed", Category("security force", "killed")),
        ("homes", Category("home", "")),
    ],
)
def test_it_normalises_what_a_figure_counts(counted, expected):
    assert normalise_counted(counted) == expected


def test_it_groups_civilians_killed_with_civilian_deaths():
    report = reconcile([fig(745, "civilians killed"), fig(740, "civilian deaths", source=MINISTRY)])
    assert [r.label for r in report.categories] == ["civilians killed"]
    assert report.categories[0].figure_count == 2


@pytest.mark.parametrize(
    ("a", "b", "agree"),
    [
        ((1000, "more_than"), (1018, "exact"), True),
        ((1000, "more_than"), (1000, "exact"), False),
        ((1000, "at_least"), (1000, "exact"), True),
        ((1000, "more_than"), (900, "exact"), False),
        ((300, "about"), (320, "exact"), True),
        ((300, "about"), (340, "exact"), False),
        ((24, "dozens"), (60, "exact"), True),
        ((24, "dozens"), (150, "exact"), False),
        ((100, "up_to"), (0, "exact"), True),
        ((100, "fewer_than"), (100, "exact"), False),
        ((1000, "nearly"), (950, "exact"), True),
        ((1000, "nearly"), (1000, "exact"), False),
    ],
)
def test_it_decides_whether_two_figures_can_both_be_true(a, b, agree):
    assert compatible(Decimal(a[0]), a[1], Decimal(b[0]), b[1]) is agree
    assert compatible(Decimal(b[0]), b[1], Decimal(a[0]), a[1]) is agree


def test_it_allows_a_tolerance_between_sources():
    assert not compatible(Decimal(1000), "exact", Decimal(1080), "exact")
    assert compatible(Decimal(1000), "exact", Decimal(1080), "exact", Decimal("0.10"))
    assert not compatible(Decimal(1000), "exact", Decimal(1300), "exact", Decimal("0.10"))


def test_it_reads_vague_quantities_as_ranges():
    interval = figure_interval(Decimal(200), "hundreds")
    assert (interval.lo, interval.hi) == (200, 999)


def test_it_describes_figures_with_their_qualifier():
    assert describe(Decimal("1000.00"), "more_than") == "more than 1,000"
    assert describe(Decimal("745"), "exact") == "745"
    assert describe(Decimal("24"), "dozens") == "dozens"


def test_it_finds_parts_consistent_with_a_total():
    records = [
        fig(1000, "people killed", qualifier="more_than"),
        fig(745, "civilians killed"),
        fig(125, "security forces killed"),
        fig(148, "fighters killed"),
    ]
    [check] = parts_against_totals(records)
    assert check.state == PartsState.CONSISTENT
    assert check.parts_sum == 1018
    assert check.equation == "745 + 125 + 148 = 1,018"
    assert "consistent with more than 1,000 people killed" in check.message


def test_it_flags_parts_that_exceed_the_total():
    records = [fig(900, "people killed"), fig(745, "civilians killed"), fig(300, "fighters killed")]
    [check] = parts_against_totals(records)
    assert check.state == PartsState.EXCEEDS
    assert report_has_inconsistent_parts(records)


def report_has_inconsistent_parts(records):
    return bool(reconcile(records).inconsistent_parts)


def test_it_says_when_parts_cover_only_part_of_the_total():
    records = [fig(1000, "people killed", qualifier="more_than"), fig(745, "civilians killed")]
    [check] = parts_against_totals(records)
    assert check.state == PartsState.SHORT


def test_it_compares_parts_only_within_one_article_and_source():
    records = [
        fig(1000, "people killed", article=1),
        fig(745, "civilians killed", article=2),
        fig(745, "civilians killed", article=1, source=MINISTRY),
    ]
    assert parts_against_totals(records) == []


def test_it_does_not_mix_measures_in_parts_checks():
    records = [fig(50, "people killed"), fig(120, "civilians wounded")]
    assert parts_against_totals(records) == []


def test_it_shows_a_later_higher_figure_from_the_same_source_as_an_update():
    first = fig(1000, "people killed", qualifier="more_than", on=D1)
    later = fig(1311, "people killed", on=D3)
    report = reconcile([later, first])
    [category] = report.categories
    [series] = category.series
    assert [e.record for e in series.entries] == [first, later]
    assert [e.role for e in series.entries] == [Role.FIRST, Role.UPDATE]
    assert "updates more than 1,000" in series.entries[1].note
    assert category.conflicts == []
    assert series.latest == later


def test_it_flags_incompatible_figures_from_one_source_on_the_same_day():
    report = reconcile(
        [fig(1000, "people killed", article=1), fig(600, "people killed", article=2)]
    )
    [conflict] = report.conflicts
    assert conflict.kind == "same_source"
    assert report.categories[0].series[0].entries[1].role == Role.CONFLICT


def test_it_counts_the_same_figure_relayed_twice_as_a_repeat():
    report = reconcile(
        [fig(745, "civilians killed", article=1), fig(745, "civilians killed", article=2, on=D2)]
    )
    assert report.conflicts == []
    assert report.categories[0].series[0].entries[1].role == Role.REPEAT


def test_it_flags_sources_that_disagree_beyond_the_tolerance():
    report = reconcile(
        [
            fig(1000, "people killed", qualifier="more_than"),
            fig(300, "people killed", source=MINISTRY, on=D2),
        ]
    )
    [conflict] = report.conflicts
    assert conflict.kind == "between_sources"
    assert "Monitor" in conflict.message and "Ministry" in conflict.message


def test_it_accepts_sources_within_the_tolerance():
    report = reconcile(
        [
            fig(1018, "people killed"),
            fig(1000, "people killed", qualifier="more_than", source=AGENCY),
        ]
    )
    assert report.conflicts == []
    report = reconcile([fig(1000, "people killed"), fig(1090, "people killed", source=AGENCY)])
    assert report.conflicts == []


def test_it_compares_sources_on_their_latest_figure():
    report = reconcile(
        [
            fig(300, "people killed", on=D1),
            fig(1000, "people killed", on=D3),
            fig(1010, "people killed", source=MINISTRY, on=D2),
        ]
    )
    assert report.conflicts == []


def test_it_gives_the_range_across_sources():
    report = reconcile(
        [
            fig(300, "people killed", on=D1),
            fig(1018, "people killed", on=D3),
            fig(900, "people killed", source=MINISTRY, on=D2),
            fig(1100, "people killed", source=AGENCY, on=D2),
        ]
    )
    [category] = report.categories
    assert category.minimum.value == 900
    assert category.maximum.value == 1100
    assert [r.value for r in category.latest_per_source] == [1100, 900, 1018]


def test_it_lists_categories_with_most_figures_first():
    report = reconcile(
        [fig(3, "children killed"), fig(5, "people killed"), fig(6, "deaths", source=AGENCY)]
    )
    assert [c.label for c in report.categories] == ["people killed", "children killed"]
