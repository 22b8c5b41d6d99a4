"""Key figures of the hand-made day, checked against numbers computed by hand."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from planner.kpis import compute_kpis, kpis_from_dict, kpis_to_dict, write_kpis_json
from planner.plan import Plan
from planner.problem import Problem
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


def test_deadline_share_counts_overdue_items_as_late(problem: Problem, plan: Plan) -> None:
    """Of D1, R1, R2 (due today) and D3 (overdue), only D1 and R1 are within deadline."""
    k = compute_kpis(problem, plan)
    assert (k.due_items, k.due_on_time) == (4, 2)
    assert k.on_time_share == pytest.approx(0.5)


def test_cutoff_waiting_fees_productivity(problem: Problem, plan: Plan) -> None:
    """SC hand-over at 15:10 is 10 min late; K1 waits 10 min at OS1; fees 80 000 VND."""
    k = compute_kpis(problem, plan)
    assert (k.cutoff_late_visits, k.cutoff_late_s) == (1, 600)
    assert k.wait_s == 600
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
    assert doc["schema_version"] == "1.0"
    assert doc["distance_km"] == 96.0
    assert doc["on_time_share"] == 0.5
    assert kpis_from_dict(doc) == k
    assert kpis_from_dict(kpis_to_dict(k)) == k
