"""Each engine adapter on small days: valid plans, repeatable runs, refusals of what it lacks."""

from __future__ import annotations

import pytest

from planner.domain import LunchBreak, TimeWindow
from planner.exceptions import InputError
from planner.problem import Problem
from planner.solver import check, solve

from .days import PARAMS, H, build, courier, item, site

ENGINES = ("ortools", "pyvrp", "vroom", "auto")


def _line_day(**courier_kw: object) -> Problem:
    """Six pickups and deliveries along a line, two couriers at one post office."""
    sites = [site("PO", 0, kind="district_post_office"), *(site(f"S{k}", k) for k in range(1, 7))]
    items = [item(f"D{k}", f"S{k}", f"S{7 - k}",
                  pickup_windows=(TimeWindow(H("08:00"), H("12:00")),)) for k in range(1, 7)]
    return build(sites, [courier("K1", capacity=(3,), **courier_kw),
                         courier("K2", capacity=(3,), **courier_kw)], items)


@pytest.mark.parametrize("engine", ENGINES)
def test_every_engine_serves_a_plain_day_validly(engine: str) -> None:
    """One window per stop, no lunch: every engine models it and serves every item."""
    p = _line_day()
    plan = solve(p, PARAMS, engine)
    assert check(p, {r.courier: r.events for r in plan.routes}) == []
    assert plan.served == {it.tracking_code for it in p.items}
    assert plan.stats.engine == engine


@pytest.mark.parametrize("engine", ENGINES)
def test_a_solution_limit_makes_every_engine_reproducible(engine: str) -> None:
    """The same problem, seed and solution limit on one worker: the same routes."""
    p = _line_day()
    assert solve(p, PARAMS, engine).routes == solve(p, PARAMS, engine).routes


def test_an_engine_is_refused_what_it_cannot_model() -> None:
    """PyVRP has no lunch breaks: naming it for a day with lunch is an error naming the rule."""
    p = _line_day(lunch=LunchBreak(TimeWindow(H("11:00"), H("12:30")), 3600))
    with pytest.raises(InputError, match="breaks") as err:
        solve(p, PARAMS, "pyvrp")
    assert err.value.field == "engine"


def test_vroom_models_lunch_and_every_plan_passes_check_mode() -> None:
    """VROOM models the break; its plan is valid as check mode re-times it."""
    p = _line_day(lunch=LunchBreak(TimeWindow(H("11:00"), H("12:30")), 3600))
    plan = solve(p, PARAMS, "vroom")
    assert check(p, {r.courier: r.events for r in plan.routes}) == []
    assert plan.served == {it.tracking_code for it in p.items}


def test_vroom_with_a_time_limit_goes_deeper_only_when_its_constructions_fit(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Level 0 first; then a deeper level only if level 0's time says it fits what is left."""
    import time

    from planner.solver import _vroom

    class Summary:
        def __init__(self, cost: int) -> None:
            self.unassigned, self.cost = 0, cost

    class Solution:
        def __init__(self, cost: int) -> None:
            self.summary = Summary(cost)

    class Input:
        def __init__(self, level0_s: float) -> None:
            self.levels: list[int] = []
            self.level0_s = level0_s

        def solve(self, exploration_level: int, **_: object) -> Solution:
            self.levels.append(exploration_level)
            if exploration_level == 0:
                time.sleep(self.level0_s)
            return Solution(100 - exploration_level)

    slow = Input(0.2)
    assert _vroom._solve(slow, 0.5).summary.cost == 100
    assert slow.levels == [0]  # level 1 would take about 0.6 s of the 0.3 s left
    quick = Input(0.0)
    assert _vroom._solve(quick, 5.0).summary.cost == 100 - _vroom.EXPLORATION_LEVEL
    assert quick.levels == [0, _vroom.EXPLORATION_LEVEL]
    unlimited = Input(0.0)
    _vroom._solve(unlimited, None)
    assert unlimited.levels == [_vroom.EXPLORATION_LEVEL]


def _overbooked_day() -> Problem:
    """Two results due at opposite ends of the line in the same ten minutes: one courier."""
    sites = [site("PO", 0, kind="district_post_office"), site("A", 1), site("B", 6),
             site("C", -1), site("E", -6)]
    window = (TimeWindow(H("09:00"), H("09:10")),)
    items = [item("D1", "A", "B", delivery_windows=window),
             item("D2", "C", "E", delivery_windows=window)]
    return build(sites, [courier("K1")], items)


def test_pyvrp_requires_every_item_first_and_falls_back_to_prizes() -> None:
    """A fleet that can take every item: one search with items required, all served.

    A fleet too small for the day: the required search gives up at its share and the
    search with prizes takes the rest; check mode cuts its plan back to what fits.
    """
    from planner.solver.budget import Budget
    from planner.solver.engine import EngineRequest, get_engine

    def run(p: Problem) -> tuple[set[str], tuple[str, ...]]:
        request = EngineRequest(problem=p, items=tuple(it.tracking_code for it in p.items),
                                params=PARAMS, budget=Budget(None))
        result = get_engine("pyvrp").run(request)
        served = {e.item for evs in result.routes.values() for e in evs}
        return served, tuple(name for name, _ in result.phases)

    assert run(_line_day()) == ({f"D{k}" for k in range(1, 7)},
                                ("pyvrp required", "pyvrp shorter routes"))
    assert run(_overbooked_day())[1] == ("pyvrp required", "pyvrp with prizes")
    p = _overbooked_day()
    plan = solve(p, PARAMS, "pyvrp")
    assert len(plan.served) == 1
    assert len(plan.unassigned) == 1
    assert check(p, {r.courier: r.events for r in plan.routes}) == []
