"""``auto``: every engine that models the day runs, the best valid plan is kept, faults drop out."""

from __future__ import annotations

from concurrent.futures import ProcessPoolExecutor

import pytest

from planner.domain import LunchBreak, TimeWindow
from planner.problem import Problem
from planner.solver import SolveParams, check, solve
from planner.solver._vroom import VroomEngine
from planner.solver.engine import Capabilities
from planner.solver.portfolio import lines

from .days import PARAMS, H, build, courier, item, site


def _day(lunch: bool) -> Problem:
    sites = [site("PO", 0, kind="district_post_office"), *(site(f"S{k}", k) for k in range(1, 7))]
    items = [item(f"D{k}", f"S{k}", f"S{7 - k}") for k in range(1, 7)]
    kw = {"lunch": LunchBreak(TimeWindow(H("11:00"), H("12:30")), 3600)} if lunch else {}
    return build(sites, [courier("K1", capacity=(3,), **kw), courier("K2", capacity=(3,), **kw)],
                 items)


def test_lines_follow_what_models_the_day() -> None:
    """PyVRP runs only where it is exact; OR-Tools always; locks leave OR-Tools alone."""
    assert lines(Capabilities(), 2) == [["pyvrp"], ["vroom", "ortools", "pyvrp:reseeded"]]
    assert lines(Capabilities(breaks=True), 2) == [["vroom", "ortools"], ["ortools"]]
    assert lines(Capabilities(cash_limits=True), 1) == [["vroom", "ortools:fresh", "ortools"]]
    assert lines(Capabilities(locked_stops=True), 2) == [["ortools"]]


@pytest.mark.parametrize("lunch", [False, True])
def test_auto_serves_at_least_what_ortools_alone_serves(lunch: bool) -> None:
    """At one solution limit the portfolio serves no fewer items, with no more couriers."""
    p = _day(lunch)
    auto, alone = solve(p, PARAMS, "auto"), solve(p, PARAMS, "ortools")
    assert check(p, {r.courier: r.events for r in auto.routes}) == []
    assert len(auto.served) >= len(alone.served)
    if len(auto.served) == len(alone.served):
        assert len(auto.routes) <= len(alone.routes)


def test_an_engine_that_crashes_does_not_fail_auto(monkeypatch: pytest.MonkeyPatch) -> None:
    """VROOM raising inside its line: OR-Tools' plan is still returned, valid."""
    def boom(*_: object, **__: object) -> None:
        raise RuntimeError("vroom crashed")

    monkeypatch.setattr(VroomEngine, "run", boom)
    p = _day(lunch=True)
    plan = solve(p, PARAMS, "auto")
    assert check(p, {r.courier: r.events for r in plan.routes}) == []
    assert plan.served == {it.tracking_code for it in p.items}


def test_auto_runs_its_lines_on_the_callers_processes() -> None:
    """Two workers: one line per process, a valid plan serving every item."""
    p = _day(lunch=False)
    params = SolveParams(seed=0, time_limit_s=None, solution_limit=PARAMS.solution_limit,
                         workers=2)
    with ProcessPoolExecutor(2) as pool:
        plan = solve(p, params, "auto", executor=pool)
    assert check(p, {r.courier: r.events for r in plan.routes}) == []
    assert plan.served == {it.tracking_code for it in p.items}


def test_the_first_line_runs_in_the_callers_process() -> None:
    """Only the other lines go to the executor: the first loses no process start."""
    from concurrent.futures import ThreadPoolExecutor

    class Counting(ThreadPoolExecutor):
        submitted = 0

        def submit(self, *a: object, **kw: object) -> object:  # type: ignore[override]
            Counting.submitted += 1
            return super().submit(*a, **kw)  # type: ignore[arg-type]

    p = _day(lunch=False)
    params = SolveParams(seed=0, time_limit_s=None, solution_limit=PARAMS.solution_limit,
                         workers=2)
    from planner.solver.budget import Budget
    from planner.solver.engine import EngineRequest, get_engine

    request = EngineRequest(problem=p, items=tuple(it.tracking_code for it in p.items),
                            params=params, budget=Budget(None))
    with Counting(2) as pool:
        result = get_engine("auto").run(request, executor=pool)
    assert Counting.submitted == len(lines(Capabilities(), 2)) - 1 == 1
    assert {"pyvrp served", "vroom served", "ortools served",
            "pyvrp:reseeded served"} <= set(result.stats)


def test_one_worker_runs_ortools_from_no_plan_then_from_the_better_plan(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Only OR-Tools exact, one worker: VROOM's plan seeds OR-Tools only when it is better."""
    from planner.plan import Event
    from planner.solver import portfolio
    from planner.solver.budget import Budget
    from planner.solver.control import SILENT
    from planner.solver.engine import EngineRequest

    p = _day(lunch=True)
    starts: list[tuple[str, object]] = []
    scores = {"vroom": (-6, 2, 10), "ortools": (-6, 1, 20)}

    def fake(name: str, request: EngineRequest, control: object,
             start: object) -> portfolio.Outcome:
        starts.append((name, start))
        routes: dict[str, list[Event]] = {name: []}
        return portfolio.Outcome(name, routes, 0, scores[name], 0.0)

    monkeypatch.setattr(portfolio, "_run_one", fake)
    request = EngineRequest(problem=p, items=tuple(it.tracking_code for it in p.items),
                            params=PARAMS, budget=Budget(None))
    portfolio.run_line(lines(Capabilities(breaks=True), 1)[0], request, SILENT)
    assert starts == [("vroom", None), ("ortools", None), ("ortools", {"ortools": []})]


def test_a_reseeded_step_searches_on_the_next_seed_from_the_best_plan(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """PyVRP's second search (the other line) differs from the first.

    Next seed, the best plan so far as its start, and all its time for shorter
    routes (the first search also tries fewer couriers).
    """
    from planner.plan import Event
    from planner.solver import portfolio
    from planner.solver.budget import Budget
    from planner.solver.control import SILENT
    from planner.solver.engine import EngineRequest

    p = _day(lunch=False)
    calls: list[tuple[str, int, object, bool]] = []
    scores = {"vroom": (-6, 2, 10), "ortools": (-6, 1, 20), "pyvrp": (-6, 1, 15)}

    def fake(name: str, request: EngineRequest, control: object,
             start: object) -> portfolio.Outcome:
        calls.append((name, request.params.seed, start, request.fewer_couriers))
        routes: dict[str, list[Event]] = {name: []}
        return portfolio.Outcome(name, routes, 0, scores[name], 0.0)

    monkeypatch.setattr(portfolio, "_run_one", fake)
    request = EngineRequest(problem=p, items=tuple(it.tracking_code for it in p.items),
                            params=PARAMS, budget=Budget(None))
    out = portfolio.run_line(lines(Capabilities(), 2)[1], request, SILENT)
    seed = PARAMS.seed
    assert calls == [("vroom", seed, None, True), ("ortools", seed, {"vroom": []}, True),
                     ("pyvrp", seed + 1, {"ortools": []}, False)]
    assert [o.engine for o in out] == ["vroom", "ortools", "pyvrp:reseeded"]


def test_the_plan_says_which_engine_auto_kept() -> None:
    """One model of the day: ``auto``'s plan names the line's engine it kept; one engine none."""
    p = _day(lunch=False)
    auto, alone = solve(p, PARAMS, "auto"), solve(p, PARAMS, "ortools")
    assert auto.stats.winner in {"pyvrp", "vroom", "ortools", "pyvrp:reseeded"}
    assert alone.stats.winner is None


@pytest.mark.parametrize(("time_limit_s", "shared"), [(30.0, True), (None, False)])
def test_the_lines_share_a_board_only_on_a_wall_clock(
    monkeypatch: pytest.MonkeyPatch, time_limit_s: float | None, shared: bool,
) -> None:
    """Both lines get the same board on a time limit; none under a solution limit.

    Under a solution limit what one line took from the other would depend on
    timing, and the same input and seed must give the same plan.
    """
    from concurrent.futures import ThreadPoolExecutor

    from planner.solver import portfolio
    from planner.solver.budget import Budget
    from planner.solver.engine import EngineRequest, get_engine

    boards: list[object] = []

    def fake(line: object, request: EngineRequest, control: object) -> list[object]:
        boards.append(request.board)
        return []

    monkeypatch.setattr(portfolio, "run_line", fake)
    p = _day(lunch=False)
    params = SolveParams(seed=0, time_limit_s=time_limit_s,
                         solution_limit=None if time_limit_s else PARAMS.solution_limit,
                         workers=2)
    request = EngineRequest(problem=p, items=tuple(it.tracking_code for it in p.items),
                            params=params, budget=Budget(time_limit_s))
    with ThreadPoolExecutor(2) as pool:
        get_engine("auto").run(request, executor=pool)
    assert len(boards) == 2
    if shared:
        assert boards[0] is not None
        assert boards[0] == boards[1]
    else:
        assert boards == [None, None]


def test_the_lines_run_without_a_board_where_none_can_be_made(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """No temporary folder (a full or read-only disk): both lines still run, unshared.

    The board is a help between the lines; a day must not fail for want of one.
    """
    import errno
    import tempfile
    from concurrent.futures import ThreadPoolExecutor

    from planner.solver import portfolio
    from planner.solver.budget import Budget
    from planner.solver.engine import EngineRequest, get_engine

    def full(*args: object, **kwargs: object) -> str:
        raise OSError(errno.ENOSPC, "No space left on device")

    boards: list[object] = []

    def fake(line: object, request: EngineRequest, control: object) -> list[object]:
        boards.append(request.board)
        return []

    monkeypatch.setattr(tempfile, "mkdtemp", full)
    monkeypatch.setattr(portfolio, "run_line", fake)
    p = _day(lunch=False)
    params = SolveParams(seed=0, time_limit_s=30.0, workers=2)
    request = EngineRequest(problem=p, items=tuple(it.tracking_code for it in p.items),
                            params=params, budget=Budget(30.0))
    with ThreadPoolExecutor(2) as pool:
        get_engine("auto").run(request, executor=pool)
    assert boards == [None, None]
