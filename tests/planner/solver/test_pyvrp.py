"""The PyVRP adapter's fleet minimisation: one courier fewer while the others can take the items."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pyvrp

from planner.domain import TimeWindow
from planner.plan import Event
from planner.problem import Problem
from planner.solver import _pyvrp as adapter
from planner.solver import check
from planner.solver.board import PlanBoard
from planner.solver.budget import Budget
from planner.solver.control import SILENT
from planner.solver.engine import EngineRequest, get_engine

from .days import PARAMS, H, build, courier, events, item, site


def _day(couriers: int, *, ready: str = "08:00", due: str = "16:00") -> Problem:
    """Four results from the post office to sites 1-4, within ``ready``-``due``."""
    sites = [site("PO", 0, kind="district_post_office"), *(site(f"S{k}", k) for k in range(1, 5))]
    items = [item(f"D{k}", "PO", f"S{k}",
                  delivery_windows=(TimeWindow(H(ready), H(due)),)) for k in range(1, 5)]
    return build(sites, [courier(f"K{k}") for k in range(1, couriers + 1)], items)


def _request(p: Problem) -> EngineRequest:
    return EngineRequest(problem=p, items=tuple(it.tracking_code for it in p.items),
                         params=PARAMS, budget=Budget(None))


def _solution(p: Problem, routes: dict[str, list[str]]) -> tuple[
        pyvrp.ProblemData, adapter._Index, pyvrp.Solution]:
    data, index = adapter._data(p, p.items, required=True)
    plan = {c: events(*((code, "p") for code in codes), *((code, "d") for code in codes))
            for c, codes in routes.items()}
    solution = adapter._solution(data, index, plan)
    assert solution is not None
    return data, index, solution


def test_one_route_fewer_drops_the_smallest_route_and_its_courier() -> None:
    """Three routes on three couriers: the start keeps two routes, the fleet two couriers."""
    p = _day(3)
    data, index, best = _solution(p, {"K1": ["D1", "D2"], "K2": ["D3"], "K3": ["D4"]})
    assert best.num_routes() == 3
    fewer, fewer_index, start = adapter._one_route_fewer(data, index, best)
    assert fewer.num_vehicles == 2
    assert start.num_routes() == 2
    assert not start.is_complete()  # one result is left for the search to insert
    assert fewer_index.types == index.types


def test_one_route_fewer_drops_a_vehicle_type_left_with_no_courier() -> None:
    """Couriers of two kinds, one route of the second: the fleet keeps only the first kind."""
    p = _day(0)
    p = build(list(p.sites), [courier("K1"), courier("K2"), courier("V1", capacity=(20,))],
              list(p.items))
    data, index, best = _solution(p, {"K1": ["D1", "D2", "D3"], "V1": ["D4"]})
    assert data.num_vehicle_types == 2
    fewer, fewer_index, start = adapter._one_route_fewer(data, index, best)
    assert fewer.num_vehicle_types == 1
    assert fewer.vehicle_type(0).num_available == 1  # K1's kind, as many as the plan used
    assert fewer_index.types == [["K1", "K2"]]
    assert [r.vehicle_type() for r in start.routes()] == [0]


def test_the_search_empties_a_courier_the_others_can_do_without() -> None:
    """From a plan on three couriers where one suffices, the search ends on one courier."""
    p = _day(3)
    data, index, best = _solution(p, {"K1": ["D1", "D2"], "K2": ["D3"], "K3": ["D4"]})
    search = adapter._Search(_request(p), SILENT)
    data, index, fewer = search._fewer_couriers(data, index, best)
    assert fewer.is_feasible()
    assert fewer.num_routes() == 1
    assert [name for name, _ in search.phases].count("pyvrp one courier fewer") >= 1
    assert search.emptied == 2


def test_without_fewer_couriers_the_first_search_takes_the_whole_budget() -> None:
    """The portfolio's second PyVRP search: one search, no courier emptied."""
    p = _day(3)
    result = get_engine("pyvrp").run(replace(_request(p), fewer_couriers=False))
    assert [name for name, _ in result.phases] == ["pyvrp required"]
    assert result.stats["couriers emptied"] == 0
    assert {e.item for evs in result.routes.values() for e in evs} == {"D1", "D2", "D3", "D4"}


def test_a_failed_try_keeps_the_plan_it_started_from() -> None:
    """Four results due in the same five minutes at four places ten minutes apart.

    No courier can be spared.

    The one try at a courier fewer fails; the plan on four couriers is kept and
    every result is served.
    """
    p = _day(4, ready="08:40", due="08:45")
    result = get_engine("pyvrp").run(_request(p))
    served = {e.item for evs in result.routes.values() for e in evs}
    assert served == {"D1", "D2", "D3", "D4"}
    assert sum(1 for evs in result.routes.values() if evs) == 4
    assert check(p, {c: list(evs) for c, evs in result.routes.items()}) == []
    assert [name for name, _ in result.phases] == [
        "pyvrp required", "pyvrp one courier fewer", "pyvrp shorter routes"]
    assert result.stats["couriers emptied"] == 0


def test_the_tries_search_on_the_next_seed_even_at_the_last_32_bit_seed() -> None:
    """Seed 2**32 - 1 (any seed from 0 is allowed): the first try's seed wraps to 0.

    PyVRP's random number generator takes a 32-bit unsigned seed; the try on the
    next seed used to raise a TypeError out of ``solve``.
    """
    from dataclasses import replace

    p = _day(4, ready="08:40", due="08:45")
    request = _request(p)
    request = replace(request, params=replace(request.params, seed=2**32 - 1))
    result = get_engine("pyvrp").run(request)
    assert "pyvrp one courier fewer" in [name for name, _ in result.phases]
    assert {e.item for evs in result.routes.values() for e in evs} == {"D1", "D2", "D3", "D4"}


def test_dropping_a_middle_vehicle_type_keeps_each_route_on_its_courier() -> None:
    """Three kinds of courier (two post offices), the middle kind's route emptied.

    The kinds after it move down one place in PyVRP's fleet; each kept route must
    still come back on its own courier and from its own post office.
    """
    p = _day(0)
    sites = [*p.sites, site("PO2", 5, kind="district_post_office")]
    couriers = [courier("K1"), courier("V1", capacity=(20,)),
                courier("K3", start_site="PO2", end_site="PO2")]
    p = build(sites, couriers, list(p.items))
    data, index, best = _solution(p, {"K1": ["D1", "D2"], "V1": ["D3"], "K3": ["D4"]})
    assert index.types == [["K1"], ["V1"], ["K3"]]
    fewer, fewer_index, start = adapter._one_route_fewer(data, index, best)
    assert fewer_index.types == [["K1"], ["K3"]]
    assert [fewer.vehicle_type(k).name for k in range(fewer.num_vehicle_types)] == ["K1", "K3"]
    routes = adapter._routes(start, fewer_index)
    assert {c: {e.item for e in evs} for c, evs in routes.items()} == {
        "K1": {"D1", "D2"}, "K3": {"D4"}}
    assert check(p, {c: list(evs) for c, evs in routes.items()}) == []


def test_no_try_when_the_couriers_left_cannot_carry_the_loads() -> None:
    """Four results leave the post office on couriers carrying two each: two couriers needed.

    The fleet's capacity is a lower bound: with one courier left it cannot carry
    the four, so no try is made (a try would only spend the time left).
    """
    p = _day(0)
    loading = (TimeWindow(H("07:30"), H("07:40")),)  # only as the couriers leave
    p = build(list(p.sites), [courier(f"K{k}", capacity=(2,)) for k in (1, 2, 3)],
              [replace(it, pickup_windows=loading) for it in p.items])
    data, index, best = _solution(p, {"K1": ["D1", "D2"], "K2": ["D3", "D4"]})
    assert index.clients == ["D1", "D2", "D3", "D4"]  # loaded at the post office
    fewer, _, _ = adapter._one_route_fewer(data, index, best)
    assert not adapter._loads_fit(fewer)
    assert adapter._loads_fit(data)
    assert best.is_feasible()
    search = adapter._Search(_request(p), SILENT)
    _, _, kept = search._fewer_couriers(data, index, best)
    assert kept.num_routes() == 2
    assert search.phases == []


def _posted(p: Problem, routes: dict[str, list[str]]) -> dict[str, list[Event]]:
    return {c: events(*((code, "p") for code in codes), *((code, "d") for code in codes))
            for c, codes in routes.items()}


def test_a_fleet_minimising_search_posts_each_smaller_fleet(tmp_path: Path) -> None:
    """From three couriers to one: the board ends with the plan on one courier."""
    p = _day(3)
    data, index, best = _solution(p, {"K1": ["D1", "D2"], "K2": ["D3"], "K3": ["D4"]})
    board = PlanBoard(tmp_path / "plan.pickle")
    search = adapter._Search(replace(_request(p), board=board), SILENT)
    search._fewer_couriers(data, index, best)
    posted = board.reader().news()
    assert posted is not None
    assert sum(1 for evs in posted.values() if evs) == 1
    assert {e.item for evs in posted.values() for e in evs} == {"D1", "D2", "D3", "D4"}


def test_a_search_that_shortens_routes_goes_on_from_a_better_posted_plan(
        tmp_path: Path) -> None:
    """The other line posted a plan on one courier; this search started from three.

    The posted plan stops the search at its first look and the rest of the search
    goes on from it: the result uses one courier.
    """
    p = _day(3)
    board = PlanBoard(tmp_path / "plan.pickle")
    board.post(_posted(p, {"K2": ["D1", "D2", "D3", "D4"]}))
    start = _posted(p, {"K1": ["D1", "D2"], "K2": ["D3"], "K3": ["D4"]})
    request = replace(_request(p), fewer_couriers=False, board=board,
                      initial={c: tuple(evs) for c, evs in start.items()})
    result = get_engine("pyvrp").run(request)
    assert result.stats["plans taken from another line"] == 1
    assert [name for name, _ in result.phases] == [
        "pyvrp required", "pyvrp from another line's plan"]
    assert sum(1 for evs in result.routes.values() if evs) == 1
    assert check(p, {c: list(evs) for c, evs in result.routes.items()}) == []


def test_a_posted_plan_that_costs_more_is_not_taken(tmp_path: Path) -> None:
    """A plan on three couriers posted to a search that has one on one courier: ignored."""
    p = _day(3)
    board = PlanBoard(tmp_path / "plan.pickle")
    board.post(_posted(p, {"K1": ["D1", "D2"], "K2": ["D3"], "K3": ["D4"]}))
    start = _posted(p, {"K1": ["D1", "D2", "D3", "D4"]})
    request = replace(_request(p), fewer_couriers=False, board=board,
                      initial={c: tuple(evs) for c, evs in start.items()})
    result = get_engine("pyvrp").run(request)
    assert result.stats["plans taken from another line"] == 0
    assert [name for name, _ in result.phases] == ["pyvrp required"]


def test_a_fleet_minimising_search_does_not_read_the_board(tmp_path: Path) -> None:
    """Posts go one way, from the search that tries fewer couriers to the other."""
    p = _day(3)
    board = PlanBoard(tmp_path / "plan.pickle")
    board.post(_posted(p, {"K2": ["D1", "D2", "D3", "D4"]}))
    result = get_engine("pyvrp").run(replace(_request(p), board=board))
    assert result.stats["plans taken from another line"] == 0


def test_capped_keeps_only_the_couriers_the_plan_uses() -> None:
    """Two routes of the first kind, none of the second: the fleet is two of the first kind."""
    p = _day(0)
    p = build(list(p.sites), [courier("K1"), courier("K2"), courier("K3"),
                              courier("V1", capacity=(20,))], list(p.items))
    data, index, plan = _solution(p, {"K1": ["D1", "D2"], "K3": ["D3", "D4"]})
    capped, capped_index, start = adapter._capped(data, index, plan)
    assert capped.num_vehicle_types == 1
    assert capped.vehicle_type(0).num_available == 2
    assert capped_index.types == [["K1", "K2", "K3"]]
    assert start.num_routes() == 2
    assert start.is_complete()
    assert adapter._cost(capped, start) == adapter._cost(data, plan)


def test_a_posted_plan_with_a_delivery_before_its_pickup_is_not_taken(tmp_path: Path) -> None:
    """A plan PyVRP cannot build (a shipment delivered before its pickup) is refused, not raised."""
    p = _day(3)
    p = build(list(p.sites), list(p.couriers),
              [item("S1", "S1", "S2"), *p.items])  # a shipment beside the four results
    board = PlanBoard(tmp_path / "plan.pickle")
    board.post({"K1": events(("S1", "d"), ("S1", "p"), *((f"D{k}", "p") for k in range(1, 5)),
                             *((f"D{k}", "d") for k in range(1, 5)))})
    result = get_engine("pyvrp").run(replace(_request(p), fewer_couriers=False, board=board))
    assert result.stats["plans taken from another line"] == 0
    assert {e.item for evs in result.routes.values() for e in evs} == {
        "S1", "D1", "D2", "D3", "D4"}
