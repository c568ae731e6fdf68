"""The reconciliation rules (counting.reconcile): scope, updates, repeats,
parts checks, ranges and conflicts. Pure, no database."""

import datetime
from decimal import Decimal

from counting.reconcile import FigureRecord, PartsState, Role, figure_relations, reconcile
from counting.scope import Scope

SYRIA, LATAKIA, TARTUS, JABLEH = 1, 2, 3, 4
PARENTS = {SYRIA: None, LATAKIA: SYRIA, TARTUS: SYRIA, JABLEH: LATAKIA}
MONITOR, HEALTH, MINISTRY = 10, 11, 12
NAMES = {MONITOR: "Monitor", HEALTH: "Health directorate", MINISTRY: "Ministry"}
_ids = iter(range(1, 100_000))


def day(n: int) -> datetime.date:
    return datetime.date(2025, 3, n)


def fig(
    value,
    *,
    source=MONITOR,
    on=7,
    population="unspecified",
    place=SYRIA,
    basis="cumulative",
    qualifier="exact",
    high=None,
    report=1,
    part_of=None,
    start=None,
    end=None,
    subgroups=(),
    outcome="killed",
):
    pk = next(_ids)
    return FigureRecord(
        id=pk,
        claim_id=pk,
        article_id=report,
        source_id=source,
        value=Decimal(value),
        qualifier=qualifier,
        value_high=None if high is None else Decimal(high),
        scope=Scope(outcome, population, tuple(subgroups), place, basis),
        as_of=day(on),
        period_start=start,
        period_end=end,
        part_of=part_of,
        order=pk,
        source_name=NAMES[source],
    )


def test_a_later_total_of_one_source_is_an_update_never_a_conflict():
    first, later, lower = fig(236, on=7), fig(610, on=8), fig(600, on=9)
    result = reconcile([first, later, lower])
    (category,) = result.categories
    assert [r.id for r in category.updates[0].records] == [first.id, later.id, lower.id]
    assert not result.conflicts
    roles = [e.role for e in category.series[0].entries]
    assert roles == [Role.FIRST, Role.UPDATE, Role.UPDATE]
    assert "revised down 10" in category.series[0].entries[2].note


def test_the_same_count_again_the_same_day_is_a_repeat():
    first, again = fig(610, on=8, report=1), fig(610, on=8, report=2, qualifier="about")
    result = reconcile([first, again])
    assert [(r.first.id, r.again.id) for r in result.repeats] == [(first.id, again.id)]
    assert not result.updates


def test_figures_of_different_scope_are_never_compared():
    """A day's count and one province's count sit apart from the running total."""
    total = fig(1000, on=8)
    increment = fig(374, on=8, basis="increment", start=day(7), end=day(8), source=HEALTH)
    province = fig(388, on=8, place=LATAKIA, source=HEALTH)
    result = reconcile([total, increment, province])
    assert len(result.categories) == 3
    assert not result.conflicts


def test_it_flags_independent_sources_apart_beyond_the_tolerance():
    monitor, health = fig(388, on=8, place=LATAKIA), fig(352, on=8, place=LATAKIA, source=HEALTH)
    result = reconcile([monitor, health])
    (conflict,) = result.conflicts
    assert {r.id for r in conflict.records} == {monitor.id, health.id}
    assert "10% tolerance" in conflict.message and "352 plus" in conflict.message
    (found,) = result.ranges
    assert (found.low, found.high) == (Decimal(352), Decimal(388))


def test_about_does_not_swallow_a_23_percent_gap():
    a, b = fig(1018, qualifier="about"), fig(1250, source=HEALTH)
    assert len(reconcile([a, b]).conflicts) == 1


def test_sources_within_the_tolerance_agree_and_give_a_range():
    a, b = fig(640, on=9, place=LATAKIA), fig(618, on=9, place=LATAKIA, source=HEALTH)
    result = reconcile([a, b])
    assert not result.conflicts
    assert [(r.low, r.high) for r in result.ranges] == [(Decimal(618), Decimal(640))]


def test_figures_of_different_days_are_not_comparable():
    a, b = fig(610, on=8), fig(1022, on=9, source=HEALTH)
    result = reconcile([a, b])
    assert not result.conflicts and not result.ranges


def test_a_workspace_tolerance_changes_what_conflicts():
    a, b = fig(100), fig(125, source=HEALTH)
    assert reconcile([a, b], tolerance=Decimal("0.10")).conflicts
    assert not reconcile([a, b], tolerance=Decimal("0.30")).conflicts


def test_increments_compare_by_period_and_cumulative_totals_by_start():
    april = fig(209, basis="increment", start=day(1), end=day(30), on=30, source=MONITOR)
    april_other = fig(231, basis="increment", start=day(1), end=day(30), on=30, source=HEALTH)
    march = fig(170, basis="increment", start=day(1), end=day(2), on=2, source=HEALTH)
    result = reconcile([april, april_other, march])
    assert len(result.conflicts) == 1  # 209 x 1.1 = 229.9 < 231
    since_6 = fig(100, start=day(6), source=MONITOR, on=9)
    since_1 = fig(300, start=day(1), source=HEALTH, on=9)
    assert not reconcile([since_6, since_1]).conflicts  # different starts: not comparable


def test_it_checks_a_breakdown_by_population_in_one_report():
    total = fig(236)
    parts = [fig(92, population="security_forces"), fig(81, population="armed_groups")]
    parts.append(fig(63, population="civilians"))
    (check,) = reconcile([total, *parts]).parts_checks
    assert check.state == PartsState.CONSISTENT
    assert [p.id for p in check.parts] == [p.id for p in parts]
    assert "92" in check.message and check.rule.startswith("a breakdown by population")


def test_it_checks_a_breakdown_by_the_outermost_places_below_the_total():
    total = fig(236)
    latakia, jableh, tartus = fig(147, place=LATAKIA), fig(40, place=JABLEH), fig(58, place=TARTUS)
    checks = reconcile([total, latakia, jableh, tartus], parents=PARENTS).parts_checks
    by_total = {c.total.id: c for c in checks}
    check = by_total[total.id]
    assert {p.id for p in check.parts} == {latakia.id, tartus.id}
    assert check.state == PartsState.PARTIAL  # 205 x 1.1 = 225.5 < 236
    assert [p.id for p in by_total[latakia.id].parts] == [jableh.id]  # Jableh lies in Latakia


def test_parts_above_their_total_exceed_it():
    total = fig(1225)
    parts = [fig(973, population="civilians"), fig(231, population="security_forces")]
    parts.append(fig(250, population="armed_groups"))
    (check,) = reconcile([total, *parts]).parts_checks
    assert check.state == PartsState.EXCEEDS
    assert reconcile([total, *parts]).categories[0].needs_attention


def test_breakdowns_need_the_same_report_and_source():
    total = fig(236, report=1)
    other_report = fig(63, population="civilians", report=2)
    other_source = fig(92, population="security_forces", source=HEALTH)
    assert not reconcile([total, other_report, other_source]).parts_checks


def test_a_recorded_part_is_checked_even_across_scopes():
    total = fig(610, on=8)
    day_count = fig(374, on=8, basis="increment", start=day(7), end=day(8), part_of=total.id)
    (check,) = reconcile([total, day_count]).parts_checks
    assert check.state == PartsState.PARTIAL and check.dimensions == ("recorded",)


def test_an_unbounded_part_makes_the_sum_unbounded():
    total = fig(6231)
    parts = [
        fig(1900, place=LATAKIA, qualifier="at_least"),
        fig(700, place=TARTUS, qualifier="about"),
    ]
    (check,) = reconcile([total, *parts], parents=PARENTS).parts_checks
    assert check.state == PartsState.CONSISTENT


def test_the_matcher_gets_updates_repeats_conflicts_and_corroborations():
    a = fig(236, on=7, report=1)
    relayed = fig(236, on=7, report=2)
    later = fig(610, on=8, report=3)
    other = fig(500, on=8, report=4, source=HEALTH)
    relations = {(r.a.id, r.b.id): r.relation for r in figure_relations([a, relayed, later, other])}
    assert relations[(relayed.id, a.id)] == "repeat"
    assert relations[(later.id, a.id)] == "updates"
    assert relations[(later.id, relayed.id)] == "updates"
    assert relations[(later.id, other.id)] == "conflict"


def test_it_groups_in_n_log_n():
    """Twenty thousand figures of a hundred scopes reconcile in one pass."""
    records = [
        fig(100 + i % 50, on=1 + i % 28, source=MONITOR if i % 2 else HEALTH, place=i % 100 + 10)
        for i in range(20_000)
    ]
    result = reconcile(records)
    assert len(result.categories) == 100
