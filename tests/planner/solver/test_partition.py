"""Splitting a day by post office: items go where a courier can serve them; leftovers anywhere."""

from __future__ import annotations

import pytest

from planner.domain import Courier, TimeWindow
from planner.problem import Problem
from planner.solver import SolveParams, check, get_engine, solve, split_servable
from planner.solver.budget import Budget
from planner.solver.engine import EngineRequest
from planner.solver.partition import depot_parts
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


def _parts(p: Problem) -> dict[str, set[str]]:
    servable = split_servable(p)
    return {g.depot: set(g.items) for g in depot_parts(p, servable.items, servable.able)}


def test_items_go_to_the_nearest_depot_that_can_serve_them() -> None:
    """West items to PO, east items to PE, a skill item to the depot with a skilled courier."""
    p = _problem(courier("K-PE2", start_site="PE", end_site="PE",
                         skills=frozenset({"clearance"})))
    assert _parts(p) == {"PO": {"w"}, "PE": {"e", "m", "s"}}


def test_an_item_the_nearest_couriers_cannot_serve_in_time_goes_elsewhere() -> None:
    """PO's only courier starts at 13:00 and the pickup closes at 10:00: PE takes it."""
    late = courier("K-PO", shift=TimeWindow(H("13:00"), H("17:30")))
    p = build(SITES, [late, courier("K-PE", start_site="PE", end_site="PE")],
              [item("w", "W1", "W2", pickup_windows=(TimeWindow(H("08:00"), H("10:00")),))])
    assert _parts(p) == {"PO": set(), "PE": {"w"}}
    plan = solve(p, PARAMS)
    assert plan.served == {"w"}
    assert [r.courier for r in plan.routes] == ["K-PE"]


def test_plan_by_depot_is_valid_and_reproducible() -> None:
    """With a solution limit the split plan passes check and repeats exactly."""
    p = _problem()
    one = solve(p, PARAMS)
    assert check(p, {r.courier: r.events for r in one.routes}) == []
    assert one.served | {u.item for u in one.unassigned} == {"w", "e", "m", "s"}
    assert {u.item for u in one.unassigned} == {"s"}, "nobody has the clearance"
    assert [d for d, _ in one.stats.phases][:2] == ["depot PE", "depot PO"]
    again = solve(p, PARAMS)
    assert one.routes == again.routes


def test_legs_a_depot_cannot_fit_go_to_a_courier_elsewhere() -> None:
    """PO's courier has time for one of two western legs; PE's courier takes the other."""
    short = courier("K-PO", shift=TimeWindow(H("07:30"), H("08:15")), capacity=(1,))
    far = courier("K-PE", start_site="PE", end_site="PE")
    p = build(SITES, [short, far], [item("w", "W1", "W2"), item("v", "W1", "W2")])
    assert _parts(p) == {"PO": {"w", "v"}, "PE": set()}
    plan = solve(p, PARAMS)
    assert check(p, {r.courier: r.events for r in plan.routes}) == []
    assert plan.served == {"w", "v"}
    assert "K-PE" in {r.courier for r in plan.routes}


def test_a_busy_courier_elsewhere_still_takes_a_leftover_it_can_fit() -> None:
    """PE's courier already has an eastern leg and time to spare: it takes PO's leftover too."""
    short = courier("K-PO", shift=TimeWindow(H("07:30"), H("08:15")), capacity=(1,))
    p = build(SITES, [short, courier("K-PE", start_site="PE", end_site="PE")],
              [item("w", "W1", "W2"), item("v", "W1", "W2"), item("e", "E1", "E2")])
    plan = solve(p, PARAMS)
    assert check(p, {r.courier: r.events for r in plan.routes}) == []
    assert plan.served == {"w", "v", "e"}
    assert plan.stats.phases[-1][0] == "repair across post offices"


def test_a_leftover_no_courier_can_fit_keeps_a_reason_over_all_couriers() -> None:
    """Both couriers are full (capacity 1, no time for a second trip): the reason is fleet full."""
    short = courier("K-PO", shift=TimeWindow(H("07:30"), H("08:15")), capacity=(1,))
    far = courier("K-PE", start_site="PE", end_site="PE",
                  shift=TimeWindow(H("07:30"), H("08:15")), capacity=(1,))
    p = build(SITES, [short, far],
              [item("w", "W1", "W2"), item("v", "W1", "W2"), item("e", "E1", "E2")])
    plan = solve(p, PARAMS)
    assert check(p, {r.courier: r.events for r in plan.routes}) == []
    assert len(plan.served) == 2
    (left,) = plan.unassigned
    assert str(left.reason) == "fleet_full"


def test_the_split_serves_no_fewer_items_than_one_model_of_the_whole_day() -> None:
    """At the same solution limit, the split plan serves at least what one model serves."""
    couriers = [courier("K-PO", capacity=(2,)), courier("K-PE", start_site="PE", end_site="PE",
                                                           capacity=(2,)),
                courier("K-PO2", shift=TimeWindow(H("12:00"), H("17:30")))]
    items = [item(f"x{k}", s, t) for k, (s, t) in enumerate(
        [("W1", "W2"), ("W2", "M"), ("E1", "E2"), ("M", "W1"), ("E2", "M"), ("W1", "E1"),
         ("M", "E2"), ("W2", "E1")])]
    p = build(SITES, couriers, items)
    split = solve(p, PARAMS)
    whole = get_engine("ortools").run(EngineRequest(
        problem=p, items=tuple(it.tracking_code for it in p.items), params=PARAMS,
        budget=Budget(None)))
    served_whole = {e.item for evs in whole.routes.values() for e in evs}
    assert len(split.served) >= len(served_whole)
    assert check(p, {r.courier: r.events for r in split.routes}) == []


def test_parts_run_in_parallel_on_the_callers_executor() -> None:
    """Two workers on a process pool give a valid plan that serves the same items."""
    from concurrent.futures import ProcessPoolExecutor

    p = _problem()
    params = SolveParams(seed=PARAMS.seed, time_limit_s=None,
                         solution_limit=PARAMS.solution_limit, workers=2)
    with ProcessPoolExecutor(2) as pool:
        plan = solve(p, params, executor=pool)
    assert check(p, {r.courier: r.events for r in plan.routes}) == []
    assert plan.served == solve(p, PARAMS).served


def test_a_very_large_part_is_split_into_regions_that_keep_every_item(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Above the split size, regions share the items and couriers out; nothing is lost."""
    from planner.solver import partition

    monkeypatch.setattr(partition, "SPLIT_ABOVE_ITEMS", 6)
    sites = [site("PO", 0, kind="district_post_office"),
             *(site(f"W{k}", -k) for k in range(1, 5)), *(site(f"E{k}", k) for k in range(1, 5))]
    items = [item(f"w{k}", f"W{k % 4 + 1}", f"W{(k + 1) % 4 + 1}") for k in range(6)]
    items += [item(f"e{k}", f"E{k % 4 + 1}", f"E{(k + 1) % 4 + 1}") for k in range(6)]
    p = build(sites, [courier(f"K{k}") for k in range(4)], items)
    whole = partition.Part("PO", tuple(c.id for c in p.couriers),
                           tuple(it.tracking_code for it in p.items))
    regions = partition.geographic_parts(p, whole, max_items=6)
    assert len(regions) == 2
    assert sorted(c for r in regions for c in r.items) == sorted(whole.items)
    assert sorted(c for r in regions for c in r.couriers) == sorted(whole.couriers)
    assert {frozenset(c[0] for c in r.items) for r in regions} == {frozenset("w"), frozenset("e")}
    plan = solve(p, PARAMS)
    assert check(p, {r.courier: r.events for r in plan.routes}) == []
    assert plan.served == set(whole.items)


def test_a_part_keeps_only_its_sites_with_their_travel() -> None:
    """A part's problem holds the sites its couriers and items use, at the same distances."""
    from planner.solver.partition import restrict

    p = _problem()
    sub = restrict(p, {"K-PO"}, {"w"})
    assert {s.id for s in sub.sites} == {"PO", "W1", "W2"}
    for a in ("PO", "W1", "W2"):
        for b in ("PO", "W1", "W2"):
            assert sub.travel_s(sub.couriers[0].vehicle, a, b) == p.travel_s(
                p.couriers[0].vehicle, a, b)
            assert sub.distance_m(sub.couriers[0].vehicle, a, b) == p.distance_m(
                p.couriers[0].vehicle, a, b)


def test_regions_are_sized_so_a_first_plan_fits_their_time() -> None:
    """More items or less time: smaller regions; a 1,000-request day at 60 s stays one model."""
    from planner.solver.partition import MIN_REGION_ITEMS, region_items

    big = region_items(3000, 57.0, 2)
    assert 300 <= big <= 600  # 5 to 10 regions of a 3,000-request day on 2 cores at 60 s
    assert region_items(3000, 27.0, 2) < big
    assert region_items(1000, 57.0, 1) >= 1000
    assert region_items(1000, 57.0, 2) >= 1000
    assert region_items(100_000, 1.0, 1) == MIN_REGION_ITEMS
    assert region_items(2000, None, 2) == 750  # no time limit: the fixed size


def test_parts_started_together_share_the_time_alike() -> None:
    """Four equal parts on two workers: each gets half the time."""
    from planner.solver.partition import part_ends

    assert part_ends([750, 750, 750, 750], 2) == [0.5, 0.5, 1.0, 1.0]
    assert part_ends([20, 10, 10], 1) == [0.5, 0.75, 1.0]


def test_small_parts_after_a_long_one_keep_time_in_proportion_to_their_items() -> None:
    """A part starting while the other core is still busy does not take the later parts' time.

    The shape of a generated Sơn La day (13 parts, two workers): with shares of
    the time left when each part started, the last five got the 0.5 s floor.
    Planned as a pool runs them, every part's time is in proportion to its items.
    """
    from planner.solver.partition import part_ends

    sizes = [139, 102, 60, 50, 45, 30, 25, 20, 15, 10, 8, 4, 2]
    ends = part_ends(sizes, 2)
    assert max(ends) == 1.0
    free = [0.0, 0.0]
    per_item = []
    for n, end in zip(sizes, ends, strict=True):
        core = min(range(2), key=lambda c: (free[c], c))
        per_item.append((end - free[core]) / n)
        free[core] = end
    assert max(per_item) == pytest.approx(min(per_item))
    assert per_item[0] * sum(sizes) >= 1.9  # both cores busy nearly all the time


def test_the_repairs_search_takes_the_couriers_nearest_the_leftovers() -> None:
    """Over its size, the repair's model keeps the couriers whose stops are nearest."""
    from planner.plan import Action, Event
    from planner.solver.repair import _nearest_couriers

    sites = [site("PO", 0, kind="district_post_office"),
             *(site(f"S{k}", k) for k in range(1, 9))]
    couriers = [courier(f"K{k}") for k in range(1, 5)]
    items = [item(f"i{k}", f"S{k}", f"S{k}") for k in range(1, 9)]
    p = build(sites, couriers, items)
    routes = {f"K{k}": [Event(f"i{j}", a) for j in (2 * k - 1, 2 * k)
                        for a in (Action.PICKUP, Action.DELIVERY)] for k in range(1, 4)}
    # K3 serves i5, i6 (sites 5, 6), K2 i3, i4, K1 i1, i2; the leftover i8 lies at site 8.
    assert _nearest_couriers(p, routes, ["K1", "K2", "K3"], ["i8"], 3) == ["K3"]
    assert _nearest_couriers(p, routes, ["K1", "K2", "K3"], ["i8"], 5) == ["K2", "K3"]
    assert _nearest_couriers(p, routes, ["K1", "K2", "K3"], ["i8"], 99) == ["K1", "K2", "K3"]


def test_a_leftover_is_inserted_even_when_the_parts_used_up_the_time() -> None:
    """Parts that ran late leave the repair no time: the cheap insertion pass still runs."""
    import time

    from planner.solver.control import SILENT
    from planner.solver.repair import repair_across_parts

    p = _problem()
    servable = split_servable(p)
    budget = Budget(0.001)
    time.sleep(0.01)
    assert budget.expired()
    routes = repair_across_parts(p, get_engine("ortools"), {}, servable.able, params=PARAMS,
                                 budget=budget, control=SILENT)
    served = {e.item for evs in routes.values() for e in evs}
    assert served  # without the insertion's moment nothing at all was inserted
    assert check(p, routes) == []


def test_a_part_keeps_the_days_horizon() -> None:
    """A day whose times run past 48 h keeps its horizon in every part (Li & Lim's LC2)."""
    from planner.problem import ProblemBuilder
    from planner.solver.partition import restrict

    p = _problem()
    b = ProblemBuilder(p.date, dimensions=p.dimensions, horizon_s=3 * 86_400)
    b.add_sites(p.sites)
    b.add_couriers(p.couriers)
    b.add_items(p.items)
    for vehicle, t in p.travel.items():
        b.set_travel(vehicle, t)
    wide = b.build()
    assert restrict(wide, {"K-PO"}, {"w"}).horizon_s == 3 * 86_400
