"""The OR-Tools engine on tiny days, one rule each; every plan passes check mode."""

from __future__ import annotations

import time
from concurrent.futures import ProcessPoolExecutor

import pytest

from planner.domain import Courier, LunchBreak, SiteKind, TimeWindow, VehicleType
from planner.domain.hours import OFFICE_HOURS
from planner.exceptions import SolverError
from planner.plan import Action, Event, UnassignedReason
from planner.problem import Problem, Rules
from planner.solver import SolveParams, check, solve
from planner.solver._ortools.model import LARGE_DAY_ITEMS, STRATEGIES, Model
from planner.solver._ortools.search import Config, _eliminate, configs
from planner.solver.control import SILENT
from planner.solver.features import loaded_at_start

from .days import PARAMS, H, build, courier, item, site, solved


def test_pickup_before_delivery_on_one_route() -> None:
    """A pickup and its delivery ride the same route, pickup first."""
    p = build([site("PO", 0), site("A", 2), site("B", 1)], [courier("K1")], [item("D1", "A", "B")])
    plan = solved(p)
    (route,) = plan.routes
    assert [(e.item, e.action) for e in route.events] == [
        ("D1", Action.PICKUP),
        ("D1", Action.DELIVERY),
    ]


def test_lunch_closure_of_an_agency_is_respected() -> None:
    """A hand-over that cannot make the morning session waits for the afternoon one."""
    p = build(
        [
            site("PO", 0),
            site("A", 1),
            site("OS", 2, kind=SiteKind.COMMUNE_ONE_STOP, opening=OFFICE_HOURS),
        ],
        [courier("K1")],
        [item("D1", "A", "OS", pickup_windows=(TimeWindow(H("11:25"), H("11:40")),))],
    )
    plan = solved(p)
    stop = plan.routes[0].stops[-1]
    assert stop.site == "OS"
    assert stop.start_s >= H("13:00")


def test_capacity_forces_two_trips() -> None:
    """Two items that do not fit together are carried one after the other."""
    p = build(
        [site("PO", 0), site("A", 1), site("B", 3)],
        [courier("K1", capacity=(5,))],
        [item("D1", "A", "B", quantity=(3,)), item("D2", "A", "B", quantity=(3,))],
    )
    plan = solved(p)
    assert all(s.load_after[0] <= 5 for r in plan.routes for s in r.stops)
    assert plan.served == {"D1", "D2"}


def test_several_capacity_dimensions() -> None:
    """The kg dimension binds although the item count would fit."""
    p = build(
        [site("PO", 0), site("A", 1), site("B", 3)],
        [courier("K1", capacity=(10, 8))],
        [item("D1", "A", "B", quantity=(1, 5)), item("D2", "A", "B", quantity=(1, 5))],
        dimensions=("items", "kg"),
    )
    plan = solved(p)
    assert max(s.load_after[1] for r in plan.routes for s in r.stops) <= 8


def test_cash_limit_caps_fees_carried() -> None:
    """A courier never carries more cash than the limit; the rest waits for another courier."""
    p = build(
        [site("PO", 0), site("A", 1), site("B", 2)],
        [courier("K1", cash_limit_vnd=100_000), courier("K2", cash_limit_vnd=100_000)],
        [item("D1", "A", "B", fee_vnd=80_000), item("D2", "A", "B", fee_vnd=80_000)],
    )
    plan = solved(p)
    assert len(plan.routes) == 2
    assert all(s.cash_after_vnd <= 100_000 for r in plan.routes for s in r.stops)


def test_a_fee_handed_to_the_agency_frees_the_courier_cash() -> None:
    """Each dossier's fee drops at the agency: one courier with a 100,000 limit serves both."""
    p = build(
        [site("PO", 0), site("A", 1), site("B", 2, kind=SiteKind.COMMUNE_ONE_STOP)],
        [courier("K1", cash_limit_vnd=100_000)],
        [item(c, "A", "B", fee_vnd=80_000, postage_vnd=10_000, fee_to_agency=True)
         for c in ("D1", "D2")],
    )
    plan = solved(p)
    assert plan.served == {"D1", "D2"}
    (route,) = plan.routes
    assert [s.cash_after_vnd for s in route.stops] == [90_000, 10_000, 100_000, 20_000]
    assert check(p, {route.courier: route.events}) == []


def test_lunch_break_is_taken_in_its_window() -> None:
    """A courier busy all day still takes lunch inside its window."""
    lunch = LunchBreak(TimeWindow(H("11:00"), H("12:00")), 3600)
    p = build(
        [site("PO", 0), site("A", 3), site("B", 6)],
        [courier("K1", lunch=lunch)],
        [
            item(
                "D1",
                "A",
                "B",
                pickup_windows=(TimeWindow(H("10:30"), H("11:00")),),
                delivery_windows=(TimeWindow(H("12:00"), H("12:30")),),
            )
        ],
    )
    plan = solved(p)
    route = plan.routes[0]
    assert route.lunch_start_s is not None
    assert H("11:00") <= route.lunch_start_s <= H("12:00")


def test_skill_sends_item_to_the_cleared_courier() -> None:
    """Only the courier with the skill takes the sealed item."""
    p = build(
        [site("PO", 0), site("A", 1), site("B", 2)],
        [courier("K1"), courier("K2", skills=frozenset({"seal"}))],
        [item("D1", "A", "B", required_skills=frozenset({"seal"}))],
    )
    plan = solved(p)
    assert [r.courier for r in plan.routes] == ["K2"]


def test_incompatible_classes_never_share_a_route() -> None:
    """KT1 mail and ordinary items ride on different couriers."""
    rules = Rules(incompatible_classes=frozenset({frozenset({"KT1", ""})}))
    p = build(
        [site("PO", 0), site("A", 1), site("B", 2)],
        [courier("K1"), courier("K2")],
        [item("D1", "A", "B"), item("S1", "A", "B", item_class="KT1")],
        rules=rules,
    )
    plan = solved(p)
    assert sorted(sorted(e.item for e in r.events)[0] for r in plan.routes) == ["D1", "S1"]


def test_fewer_couriers_preferred() -> None:
    """Two nearby items go on one courier although two are free."""
    p = build(
        [site("PO", 0), site("A", 1), site("B", 2), site("C", 3)],
        [courier("K1"), courier("K2")],
        [item("D1", "A", "B"), item("D2", "B", "C")],
    )
    assert len(solved(p).routes) == 1


def test_heterogeneous_multi_depot_fleet() -> None:
    """A car based at another depot ends where it must; its shift bounds the route."""
    p = build(
        [site("PO", 0), site("PO2", 8), site("A", 7), site("B", 9)],
        [
            courier("K1", shift=TimeWindow(H("07:30"), H("08:30"))),
            courier("K2", vehicle=VehicleType.CAR, start_site="PO2", end_site="PO2"),
        ],
        [item("D1", "A", "B")],
    )
    plan = solved(p)
    assert [r.courier for r in plan.routes] == ["K2"]


def test_one_visit_per_site_pays_visit_time_once() -> None:
    """Two items handed over at one agency share a stop; the visit time is paid once."""
    p = build(
        [site("PO", 0), site("A", 1), site("OS", 2, visit_s=900)],
        [courier("K1")],
        [
            item("D1", "A", "OS", delivery_service_s=60),
            item("D2", "A", "OS", delivery_service_s=60),
        ],
    )
    route = solved(p).routes[0]
    stop = next(s for s in route.stops if s.site == "OS")
    assert len(stop.events) == 2
    assert stop.departure_s - stop.arrival_s == 900 + 2 * 60


def test_soft_cutoff_prefers_arrival_before_15h() -> None:
    """With room to choose, the agency gets the dossier before its 15:00 cut-off."""
    p = build(
        [
            site("PO", 0),
            site("A", 1),
            site(
                "OS", 2, kind=SiteKind.COMMUNE_ONE_STOP, opening=OFFICE_HOURS, cutoff_s=H("15:00")
            ),
        ],
        [courier("K1")],
        [item("D1", "A", "OS", pickup_windows=(TimeWindow(H("14:00"), H("16:00")),))],
    )
    route = solved(p).routes[0]
    assert route.stops[-1].start_s <= H("15:00")


def test_item_on_board_is_only_delivered() -> None:
    """An item already on board is delivered by its courier, with no pickup."""
    p = build(
        [site("PO", 0), site("A", 1), site("B", 2)],
        [courier("K1"), courier("K2")],
        [item("D1", "A", "B", on_board="K2")],
    )
    route = solved(p).routes[0]
    assert route.courier == "K2"
    assert [e.action for e in route.events] == [Action.DELIVERY]
    assert route.stops[0].load_after == (0,)


def test_max_distance_limits_the_route() -> None:
    """A courier with a short range leaves the far item."""
    p = build(
        [site("PO", 0), site("A", 1), site("B", 9)],
        [courier("K1", max_distance_m=5000)],
        [item("D1", "A", "B")],
    )
    plan = solved(p)
    assert plan.unassigned[0].reason is UnassignedReason.OUTSIDE_WINDOWS


def test_max_duration_limits_the_route() -> None:
    """A courier with a short maximum duration leaves the far item."""
    p = build(
        [site("PO", 0), site("A", 1), site("B", 9)],
        [courier("K1", max_duration_s=3600)],
        [item("D1", "A", "B")],
    )
    assert solved(p).unassigned[0].reason is UnassignedReason.OUTSIDE_WINDOWS


@pytest.mark.parametrize("seed", [0, 3])
def test_same_seed_same_plan(seed: int) -> None:
    """Single worker with a solution limit: the same problem and seed give the same plan."""
    p = build(
        [site("PO", 0), *(site(f"S{k}", k) for k in range(1, 7))],
        [courier("K1", capacity=(3,)), courier("K2", capacity=(3,))],
        [item(f"D{k}", f"S{k}", f"S{7 - k}") for k in range(1, 7)],
    )
    params = PARAMS.__class__(seed=seed, time_limit_s=None, solution_limit=50)
    a, b = solve(p, params), solve(p, params)
    assert a.routes == b.routes
    assert a.unassigned == b.unassigned


def test_two_workers_try_two_strategies_and_keep_the_better_valid_plan() -> None:
    """Two workers search in parallel (two strategies); the best plan is valid and repeats."""
    params = SolveParams(seed=2, time_limit_s=None, solution_limit=50, workers=2)
    sites = [site("PO", 0, kind=SiteKind.DISTRICT_POST_OFFICE), *(site(f"S{k}", k) for k in
                                                                  range(1, 7))]
    items = [item(f"D{k}", f"S{k}", f"S{7 - k}") for k in range(1, 7)]
    p = build(sites, [courier("K1"), courier("K2")], items)
    with ProcessPoolExecutor(2) as pool:
        first, again = solved(p, params, executor=pool), solved(p, params, executor=pool)
    assert first.routes == again.routes
    assert first.served == {it.tracking_code for it in items}


def _depot_day(window: TimeWindow, couriers: int = 1, **kw: object) -> Problem:
    """Two items of 3 loaded at PO within ``window``, for couriers of capacity 5."""
    return build(
        [site("PO", 0), site("A", 1), site("B", 2)],
        [courier(f"K{k}", capacity=(5,), **kw) for k in range(1, couriers + 1)],
        [
            item("D1", "PO", "A", quantity=(3,), pickup_windows=(window,)),
            item("D2", "PO", "B", quantity=(3,), pickup_windows=(window,)),
        ],
    )


AT_START = TimeWindow(H("07:30"), H("07:30"))


def test_items_loaded_only_at_the_start_need_no_pickup_node() -> None:
    """Loaded when the courier leaves: delivery nodes only, and the plan still lists the loading."""
    p = _depot_day(AT_START, couriers=2)
    assert loaded_at_start(p, p.items) == (frozenset({"D1", "D2"}), frozenset({0, 1}))
    plan = solved(p)
    assert plan.served == {"D1", "D2"}
    for route in plan.routes:  # one vehicle each: 6 items never fit in 5
        assert [e.action for e in route.events] == [Action.PICKUP, Action.DELIVERY]
        assert route.stops[0].site == "PO"
        assert route.stops[0].start_s == H("07:30")


def test_loading_only_at_the_start_allows_no_second_trip() -> None:
    """One courier of capacity 5 cannot come back for the second item: it stays unassigned."""
    plan = solved(_depot_day(AT_START))
    assert len(plan.served) == 1
    assert len(plan.unassigned) == 1


def test_items_the_courier_may_come_back_for_keep_their_pickup() -> None:
    """Loadable all morning: the courier may return for the second item, so both are served."""
    p = _depot_day(TimeWindow(H("07:30"), H("11:00")))
    assert loaded_at_start(p, p.items) == (frozenset(), frozenset())
    plan = solved(p)
    assert plan.served == {"D1", "D2"}
    (route,) = plan.routes
    assert [s.site for s in route.stops].count("PO") == 2


def test_couriers_paid_by_the_hour_are_not_pinned_to_their_shift_start() -> None:
    """With a cost per hour, leaving later is cheaper: the items keep their pickup nodes."""
    p = _depot_day(AT_START, cost_per_hour=50_000)
    assert loaded_at_start(p, p.items) == (frozenset(), frozenset())


def _one_item_each(p: Problem) -> dict[str, list[Event]]:
    """A wasteful plan: item k on courier k, alone."""
    return {
        c.id: [Event(it.tracking_code, Action.PICKUP), Event(it.tracking_code, Action.DELIVERY)]
        for c, it in zip(p.couriers, p.items, strict=True)
    }


def _line_day(*couriers: Courier, on_board: str | None = None) -> Problem:
    """Three items along the line; D2 already on board of ``on_board`` when given."""
    return build(
        [site("PO", 0), *(site(f"S{k}", k) for k in range(1, 5))],
        couriers,
        [item("D1", "S1", "S2"), item("D2", "S2", "S3", on_board=on_board),
         item("D3", "S3", "S4")],
    )


def _eliminated(p: Problem, start: dict[str, list[Event]]) -> dict[str, list[Event]]:
    """The elimination phase from ``start``, with a solution limit (deterministic)."""
    routes, _ = _eliminate(p, p.items, start, 0, now_s=None, params=PARAMS,
                           cfg=Config(STRATEGIES[0], 0), deadline=None, control=SILENT)
    return routes


def test_elimination_empties_couriers_whose_items_fit_elsewhere() -> None:
    """From one courier per item, the couriers are taken away one by one; one is enough."""
    p = _line_day(courier("K1"), courier("K2"), courier("K3"))
    routes = _eliminated(p, _one_item_each(p))
    assert sum(1 for evs in routes.values() if evs) == 1
    assert {e.item for evs in routes.values() for e in evs} == {"D1", "D2", "D3"}
    assert check(p, routes) == []


def test_elimination_never_takes_away_a_courier_with_items_on_board() -> None:
    """K2 carries D2 already: its route stays, the other items may join it."""
    p = _line_day(courier("K1"), courier("K2"), courier("K3"), on_board="K2")
    start = _one_item_each(p)
    start["K2"] = [Event("D2", Action.DELIVERY)]
    routes = _eliminated(p, start)
    assert [c for c, evs in routes.items() if evs] == ["K2"]
    assert check(p, routes) == []


def test_elimination_keeps_the_couriers_capacity_needs() -> None:
    """Two loads of 3 for couriers of 5 that cannot come back: both couriers stay."""
    p = _depot_day(AT_START, couriers=2)
    routes = _eliminated(p, _one_item_each(p))
    assert sum(1 for evs in routes.values() if evs) == 2
    assert check(p, routes) == []


def test_phase_one_never_ends_before_its_first_plan() -> None:
    """``stop_after`` already past: the search still returns its first plan, and soon."""
    p = _line_day(courier("K1"), courier("K2"), courier("K3"))
    model = Model(p, p.items)
    t0 = time.monotonic()
    routes, objective = model.run(SolveParams(seed=0, time_limit_s=20.0), STRATEGIES[0],
                                  t0 + 20.0, stop_after=t0 - 1.0)
    assert objective is not None
    assert {e.item for evs in routes.values() for e in evs} == {"D1", "D2", "D3"}
    assert time.monotonic() - t0 < 10.0


def test_a_try_ends_at_its_first_plan_that_serves_every_item() -> None:
    """``enough_served`` reached: the search stops there instead of using its 20 s."""
    p = _line_day(courier("K1"), courier("K2"), courier("K3"))
    model = Model(p, p.items)
    t0 = time.monotonic()
    routes, objective = model.run(SolveParams(seed=0, time_limit_s=20.0), STRATEGIES[0],
                                  t0 + 20.0, enough_served=3)
    assert objective is not None
    assert {e.item for evs in routes.values() for e in evs} == {"D1", "D2", "D3"}
    assert time.monotonic() - t0 < 10.0


def test_large_days_start_with_parallel_insertion_among_neighbours() -> None:
    """Above the size where its full form is too slow, the neighbour-limited one goes first."""
    params = SolveParams(seed=3, workers=3)
    small = configs(params, LARGE_DAY_ITEMS, params.workers)
    assert [(c.strategy, c.order_seed) for c in small] == [
        ("LOCAL_CHEAPEST_INSERTION", 3), ("PARALLEL_CHEAPEST_INSERTION", 3),
        ("LOCAL_CHEAPEST_INSERTION", 4)]
    large = configs(params, LARGE_DAY_ITEMS + 1, params.workers)
    assert [c.strategy for c in large] == [
        "PARALLEL_CHEAPEST_INSERTION", "LOCAL_CHEAPEST_INSERTION", "PARALLEL_CHEAPEST_INSERTION"]


def test_no_first_plan_within_the_limits_is_a_clear_error(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Every worker came back without a plan: say so and what to do, not a status code."""
    monkeypatch.setattr(Model, "run", lambda *a, **kw: ({}, None))
    p = _line_day(courier("K1"))
    with pytest.raises(SolverError, match=r"no search found a first plan for 3 items and "
                                          r"1 couriers .*200 solutions.*more time"):
        solve(p, PARAMS, "ortools")


def test_later_searches_without_a_plan_keep_the_first_one(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Tries and the polish that find nothing in time (a busy machine) leave a valid plan."""
    run = Model.run

    def first_plan_only(self: Model, *a: object, **kw: object) -> object:
        return ({}, None) if kw.get("start") is not None else run(self, *a, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(Model, "run", first_plan_only)
    p = _line_day(courier("K1"), courier("K2"), courier("K3"))
    assert not solved(p, PARAMS).unassigned


def test_a_large_day_gets_its_first_plan_from_the_neighbour_limited_insertion() -> None:
    """Past ``LARGE_DAY_ITEMS`` parallel cheapest insertion looks at near nodes only."""
    sites = [site("PO", 0), *(site(f"S{k}", k % 12 + 1) for k in range(40))]
    n = LARGE_DAY_ITEMS + 10
    items = [item(f"D{k}", f"S{k % 40}", f"S{(k * 7 + 1) % 40}") for k in range(n)]
    p = build(sites, [courier(f"K{k}", capacity=(20,)) for k in range(1, 41)], items)
    params = SolveParams(seed=0, time_limit_s=None, solution_limit=1)
    strategy = configs(params, n, 1)[0].strategy
    assert strategy == "PARALLEL_CHEAPEST_INSERTION"
    routes, objective = Model(p, p.items).run(params, strategy, stop_after=0.0)
    assert objective is not None
    assert check(p, routes) == []
    assert sum(1 for evs in routes.values() for e in evs) == 2 * n


def _first_plans(monkeypatch: pytest.MonkeyPatch, slow: str, *, late: bool) -> list[str]:
    """Patch ``Model.run`` so that ``slow``'s first plan comes ``late`` and serves nothing.

    Returns the list the runs' first-plan strategies are appended to.
    """
    run = Model.run
    seen: list[str] = []

    def patched(self: Model, params: SolveParams, strategy: str, *a: object,
                **kw: object) -> object:
        if kw.get("start") is None:
            seen.append(strategy)
        if strategy == slow and kw.get("start") is None:
            self.first_solution_s = 1e9 if late else 0.0
            return ({c.id: [] for c in self.p.couriers}, 10**15) if late else run(
                self, params, strategy, *a, **kw)  # type: ignore[arg-type]
        return run(self, params, strategy, *a, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(Model, "run", patched)
    return seen


def test_a_first_plan_cut_at_its_share_hands_over_to_the_fastest_strategy(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Local cheapest insertion that needs all of phase 1 (a long-route day) is not the plan.

    On the sample day's provincial office it took 25-40 s of CPU and, cut at its
    share, had placed 50 of 147 items; parallel cheapest insertion then makes
    the first plan (``SHARES.first_plan_slow``).
    """
    seen = _first_plans(monkeypatch, "LOCAL_CHEAPEST_INSERTION", late=True)
    p = _line_day(courier("K1"), courier("K2"), courier("K3"))
    params = SolveParams(seed=0, time_limit_s=3.0, solution_limit=None)
    plan = solved(p, params)
    assert seen[:2] == ["LOCAL_CHEAPEST_INSERTION", "PARALLEL_CHEAPEST_INSERTION"]
    assert not plan.unassigned


def test_a_quick_first_plan_keeps_its_strategy(monkeypatch: pytest.MonkeyPatch) -> None:
    """A first plan well inside its share (every benchmark instance) gets no second one."""
    seen = _first_plans(monkeypatch, "LOCAL_CHEAPEST_INSERTION", late=False)
    p = _line_day(courier("K1"), courier("K2"), courier("K3"))
    solved(p, SolveParams(seed=0, time_limit_s=3.0, solution_limit=None))
    assert seen[0] == "LOCAL_CHEAPEST_INSERTION"
    assert "PARALLEL_CHEAPEST_INSERTION" not in seen
