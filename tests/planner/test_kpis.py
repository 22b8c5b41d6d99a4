"""Key figures of the hand-made day, checked against numbers computed by hand."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from pathlib import Path
from types import MappingProxyType

import pytest

from planner.backlog import InFlight
from planner.domain import Order
from planner.journeys import DayWork, Leg
from planner.kpis import compute_kpis, kpis_from_dict, kpis_to_dict, write_kpis_json
from planner.plan import Plan
from planner.problem import Problem
from planner.timeline import route_timeline
from tests.planner.output.conftest import make_plan, make_problem


@pytest.fixture(scope="module")
def problem() -> Problem:
    """The hand-made day of tests/planner/output/conftest.py."""
    return make_problem()


@pytest.fixture(scope="module")
def plan() -> Plan:
    """Its two hand-timed routes and two unassigned items."""
    return make_plan()


def test_counts_match_hand_computed(problem: Problem, plan: Plan) -> None:
    """Couriers, distance, hours, items and unassigned match the docstring's day."""
    k = compute_kpis(problem, plan)
    assert (k.couriers_used, k.couriers_available) == (2, 3)
    assert k.distance_m == 96_000
    assert k.distance_km == pytest.approx(96.0)
    assert k.courier_s == 15_000 + 10_500
    assert k.courier_hours == pytest.approx(25_500 / 3600)
    assert (k.items_total, k.items_served, k.items_picked_up) == (6, 4, 4)
    assert k.unassigned == 2
    assert k.unassigned_by_reason == {"fleet_full": 1, "no_skilled_courier": 1}


def test_fees_postage_and_cash_apart(problem: Problem, plan: Plan) -> None:
    """Fees 50 000 + 30 000, postage 22 000 + 30 000; D1's fee goes to OS1; 82 000 remitted."""
    k = compute_kpis(problem, plan)
    assert (k.fees_vnd, k.postage_vnd, k.fees_handed_vnd) == (80_000, 52_000, 50_000)
    assert (k.cash_peak_vnd, k.cash_to_remit_vnd) == (82_000, 82_000)


def test_deadline_share_counts_overdue_items_as_late(problem: Problem, plan: Plan) -> None:
    """Of D1, R1, R2 (due today) and D3 (overdue), only D1 and R1 are within deadline."""
    k = compute_kpis(problem, plan)
    assert (k.due_items, k.due_on_time) == (4, 2)
    assert k.on_time_share == pytest.approx(0.5)


def test_cutoff_waiting_fees_productivity(problem: Problem, plan: Plan) -> None:
    """SC hand-over at 15:10 is 10 min late; K1 waits 10 min at OS1; fees 80 000 VND."""
    k = compute_kpis(problem, plan)
    assert (k.cutoff_late_visits, k.cutoff_late_s) == (1, 600)
    assert k.fees_vnd == 80_000
    assert k.items_per_courier_hour == pytest.approx(4 / (25_500 / 3600))


def test_empty_plan_has_no_ratios(problem: Problem, plan: Plan) -> None:
    """A plan without routes has zero work and undefined (None) productivity."""
    empty = Plan((), plan.unassigned, plan.stats)
    k = compute_kpis(problem, empty)
    assert (k.couriers_used, k.items_served, k.courier_s) == (0, 0, 0)
    assert k.items_per_courier_hour is None
    assert k.on_time_share == 0.0


def test_kpis_json_round_trips(problem: Problem, plan: Plan, tmp_path: Path) -> None:
    """kpis.json carries a schema version, the raw figures and the rounded ratios."""
    k = compute_kpis(problem, plan)
    path = write_kpis_json(k, tmp_path / "kpis.json", date="2026-11-23")
    doc = json.loads(path.read_text(encoding="utf-8"))
    assert doc["schema_version"] == "1.1"
    assert doc["distance_km"] == 96.0
    assert doc["on_time_share"] == 0.5
    assert kpis_from_dict(doc) == k
    assert kpis_from_dict(kpis_to_dict(k)) == k


def test_waits_have_their_cause_and_are_all_counted(problem: Problem, plan: Plan) -> None:
    """K1 waits 10 min for OS1 to open, 15 min for R1's 13:15 release, 15 min for lunch to open.

    Before 11:00 (the lunch window) the idle is the lunch's; 11:00–11:30 and the
    hand-timed slack before the depots are not explained by any rule ('other').
    """
    k = compute_kpis(problem, plan)
    assert k.wait_by_cause == {"office_closed": 600, "not_released": 900,
                               "lunch_not_open": 900, "other": 5725}
    assert k.wait_s == sum(k.wait_by_cause.values())
    waits = sum(s.duration_s for r in plan.routes for s in route_timeline(problem, r)
                if s.cause is not None)
    assert k.wait_s == waits


def test_time_split_adds_up_to_courier_time(problem: Problem, plan: Plan) -> None:
    """Driving, visits, hand-overs, lunch and waits make up the routes' whole duration."""
    k = compute_kpis(problem, plan)
    assert k.drive_s + k.visit_s + k.service_s + k.lunch_s + k.wait_s == k.courier_s
    assert k.lunch_s == 3600
    assert k.service_by_site_kind["citizen"] == 1800


def test_agency_visits_records_and_filing_profile(problem: Problem, plan: Plan) -> None:
    """OS1 (D1, D2 filed at 13:00) and SC (D3 at 15:10): two visits, two biên bản."""
    k = compute_kpis(problem, plan)
    assert (k.agency_visits, k.agency_repeat_visits, k.handover_records) == (2, 0, 2)
    assert k.filing_profile == {"before_11_30": 0, "11_30_13_00": 0, "13_00_15_00": 2,
                                "after_15_00": 1}


def test_cost_and_utilisation_from_the_fleet(problem: Problem, plan: Plan) -> None:
    """Cost = fixed + per km + per hour of each used route; utilisation against the shifts."""
    costly = problem.replace(couriers=[dataclasses.replace(c, fixed_cost=100_000, cost_per_km=2_000,
                                                            cost_per_hour=36_000)
                                       for c in problem.couriers])
    k = compute_kpis(costly, plan)
    # K1: 27 km, 4h10; K2: 69 km, 2h55
    assert k.cost_vnd == 2 * 100_000 + 96 * 2_000 + round(36_000 * 25_500 / 3600)
    assert k.shift_s == 2 * (17 - 7.5) * 3600
    assert k.utilisation_share == pytest.approx(25_500 / k.shift_s)


def _work(problem: Problem) -> DayWork:
    """Every item as a one-leg order accepted today; deadlines as the items' (X1: tomorrow)."""
    day = problem.date
    sites = {s.id: dataclasses.replace(s, home_post_office="PO1") for s in problem.sites}
    flight, legs = {}, {}
    for it in problem.items:
        order = Order(it.tracking_code, it.kind, it.pickup_site, it.delivery_site, day)
        flight[it.tracking_code] = InFlight(order, 0, it.pickup_site,
                                            it.deadline or day + dt.timedelta(days=1))
        legs[it.tracking_code] = Leg(it.tracking_code, 0, it.pickup_site, it.delivery_site,
                                     trunk=False)
    return DayWork(day, problem.items, MappingProxyType(legs), MappingProxyType(flight),
                   MappingProxyType({}), MappingProxyType(sites))


def test_orders_end_to_end_apart_from_legs(problem: Problem, plan: Plan) -> None:
    """D1, R1, D2 finish on time, D3 finishes late; R2 (due today) and X1 stay in flight."""
    k = compute_kpis(problem, plan, _work(problem))
    assert (k.orders_open, k.orders_finished, k.orders_on_time, k.orders_late) == (6, 4, 3, 1)
    assert (k.orders_in_flight, k.orders_overdue) == (2, 1)
    assert compute_kpis(problem, plan).orders_finished is None


def test_a_reattempt_counts_by_its_first_attempt(problem: Problem, plan: Plan) -> None:
    """TT 17 art. 3(5): D3 and R2 had a first attempt on time; neither is late nor overdue."""
    work = _work(problem)
    flight = dict(work.in_flight)
    for code in ("D3", "R2"):
        flight[code] = dataclasses.replace(flight[code], attempts=1, clock_on_time=True)
    k = compute_kpis(problem, plan, dataclasses.replace(work, in_flight=MappingProxyType(flight)))
    assert (k.orders_finished, k.orders_on_time, k.orders_late) == (4, 4, 0)
    assert (k.orders_in_flight, k.orders_overdue) == (2, 0)
    assert (k.due_items, k.due_on_time) == (2, 2), "only D1 and R1 are still on the clock"


def test_kpis_json_records_what_produced_it(problem: Problem, plan: Plan, tmp_path: Path) -> None:
    """``produced_by`` is written as given; a 1.0 file without the new figures still reads."""
    k = compute_kpis(problem, plan)
    path = write_kpis_json(k, tmp_path / "kpis.json", produced_by={"engine": "hand", "seed": 7})
    doc = json.loads(path.read_text(encoding="utf-8"))
    assert doc["produced_by"] == {"engine": "hand", "seed": 7}
    old = {key: doc[key] for key in ("couriers_used", "couriers_available", "distance_m",
                                     "courier_s", "items_total", "items_served",
                                     "items_picked_up", "unassigned", "unassigned_by_reason",
                                     "due_items", "due_on_time", "cutoff_late_visits",
                                     "cutoff_late_s", "wait_s", "fees_vnd")}
    assert kpis_from_dict(old).drive_s == 0
