"""Solving depot by depot: each post office's couriers take the items nearest them."""

from __future__ import annotations

from planner.domain import Courier, TimeWindow
from planner.problem import Problem
from planner.solver import SolveParams, check
from planner.solver.decompose import depot_groups, solve_by_depot
from tests.planner.solver.days import PARAMS, H, build, courier, item, site

#   W2 W1 [PO] E1 E2 ... [PE] at +8
SITES = [site("PO", 0, kind="district_post_office"), site("PE", 8, kind="district_post_office"),
         site("W1", -1), site("W2", -2), site("E1", 7), site("E2", 9), site("M", 4)]


def _problem(*extra_couriers: Courier) -> Problem:
    couriers = [courier("K-PO"), courier("K-PE", start_site="PE", end_site="PE"),
                *extra_couriers]
    items = [item("w", "W1", "W2"), item("e", "E1", "E2"), item("m", "M", "E1"),
             item("s", "W1", "PO", required_skills=frozenset({"clearance"}))]
    return build(SITES, couriers, items)


def test_items_go_to_the_nearest_depot_that_can_carry_them() -> None:
    """West items to PO, east items to PE, a skill item to the depot with a skilled courier."""
    p = _problem(courier("K-PE2", start_site="PE", end_site="PE",
                         skills=frozenset({"clearance"})))
    groups = {g.depot: set(g.items) for g in depot_groups(p)}
    assert groups == {"PO": {"w"}, "PE": {"e", "m", "s"}}


def test_plan_by_depot_is_valid_and_reproducible() -> None:
    """With a solution limit the split plan passes check and repeats exactly, on 1 or 2 workers."""
    p = _problem()
    one = solve_by_depot(p, PARAMS)
    assert check(p, {r.courier: r.events for r in one.routes}) == []
    assert one.served | {u.item for u in one.unassigned} == {"w", "e", "m", "s"}
    assert {u.item for u in one.unassigned} == {"s"}, "nobody has the clearance"
    assert [d for d, _ in one.stats.phases] == ["depot PO", "depot PE"]
    again = solve_by_depot(p, PARAMS)
    two = solve_by_depot(p, SolveParams(seed=PARAMS.seed, time_limit_s=None,
                                        solution_limit=PARAMS.solution_limit, workers=2))
    assert one.routes == again.routes == two.routes


def test_legs_a_depot_cannot_fit_go_to_an_idle_courier_elsewhere() -> None:
    """PO's courier has time for one of two western legs; PE's idle courier takes the other."""
    short = courier("K-PO", shift=TimeWindow(H("07:30"), H("08:15")), capacity=(1,))
    far = courier("K-PE", start_site="PE", end_site="PE")
    p = build(SITES, [short, far], [item("w", "W1", "W2"), item("v", "W1", "W2")])
    assert {g.depot: set(g.items) for g in depot_groups(p)} == {"PO": {"w", "v"}, "PE": set()}
    plan = solve_by_depot(p, PARAMS)
    assert check(p, {r.courier: r.events for r in plan.routes}) == []
    assert plan.served == {"w", "v"}
    assert {r.courier for r in plan.routes} == {"K-PO", "K-PE"}
    assert plan.stats.phases[-1][0] == "idle couriers"


def test_without_idle_couriers_the_first_reasons_stand() -> None:
    """When every courier is busy, a leg left over keeps its fleet-full reason."""
    short = courier("K-PO", shift=TimeWindow(H("07:30"), H("08:15")), capacity=(1,))
    p = build(SITES, [short, courier("K-PE", start_site="PE", end_site="PE")],
              [item("w", "W1", "W2"), item("v", "W1", "W2"), item("e", "E1", "E2")])
    plan = solve_by_depot(p, PARAMS)
    assert check(p, {r.courier: r.events for r in plan.routes}) == []
    assert len(plan.served) == 2
    (left,) = plan.unassigned
    assert str(left.reason) == "fleet_full"
