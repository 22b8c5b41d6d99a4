"""``solve`` runs where the caller says: in this process, a process pool, or a Dask cluster."""

from __future__ import annotations

import multiprocessing
import threading
import time
from concurrent.futures import ProcessPoolExecutor

import pytest

from planner.plan import Plan
from planner.problem import Problem
from planner.solver import Control, SolveCancelled, SolveParams, check, solve

from .days import PARAMS, build, courier, item, site

#   W2 W1 [PO] E1 E2 ... [PE]
SITES = [site("PO", 0, kind="district_post_office"), site("PE", 8, kind="district_post_office"),
         site("W1", -1), site("W2", -2), site("E1", 7), site("E2", 9), site("M", 4)]


def _two_offices() -> Problem:
    """Two post offices with a courier each and items on both sides."""
    return build(SITES, [courier("K-PO"), courier("K-PE", start_site="PE", end_site="PE")],
                 [item("w", "W1", "W2"), item("e", "E1", "E2"), item("m", "M", "E1")])


def _valid(p: Problem, plan: Plan) -> None:
    assert check(p, {r.courier: r.events for r in plan.routes}) == []
    assert plan.served == {"w", "e", "m"}


def test_a_dask_worker_can_call_solve() -> None:
    """A task on a LocalCluster of processes calls solve with no executor of its own."""
    distributed = pytest.importorskip("distributed")
    p = _two_offices()
    with distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=True,
                                  dashboard_address=":0") as cluster, \
            distributed.Client(cluster) as client:
        plan = client.submit(solve, p, PARAMS).result(timeout=120)
    _valid(p, plan)


def test_the_parts_can_run_on_a_dask_cluster() -> None:
    """Dask's concurrent.futures executor runs the post offices' parts."""
    distributed = pytest.importorskip("distributed")
    p = _two_offices()
    params = SolveParams(seed=PARAMS.seed, time_limit_s=None,
                         solution_limit=PARAMS.solution_limit, workers=2)
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=":0") as cluster, \
            distributed.Client(cluster) as client:
        plan = solve(p, params, executor=client.get_executor())
    _valid(p, plan)


def test_progress_is_reported_from_start_to_finish() -> None:
    """The progress callback hears the solver's phases, ending with the check."""
    seen: list[tuple[float, str]] = []
    solve(_two_offices(), PARAMS, control=Control(progress=lambda f, p: seen.append((f, p))))
    assert seen[0] == (0.0, "servable")
    assert seen[-1] == (1.0, "done")
    assert [f for f, _ in seen] == sorted(f for f, _ in seen)


def test_cancel_before_the_search_stops_it() -> None:
    """A token already set: SolveCancelled, no plan."""
    stop = threading.Event()
    stop.set()
    with pytest.raises(SolveCancelled):
        solve(_two_offices(), PARAMS, control=Control(cancel=stop))


def test_cancel_reaches_searches_in_worker_processes() -> None:
    """Set a second into a 120 s search, a manager's event stops the parts in their processes.

    Without the token reaching the workers, the searches would run their whole
    limit; the bound below is ten times what stopping takes, not a speed target.
    """
    with multiprocessing.Manager() as manager:
        stop = manager.Event()
        threading.Timer(1.0, stop.set).start()
        params = SolveParams(seed=0, time_limit_s=120.0, workers=2)
        t0 = time.monotonic()
        with ProcessPoolExecutor(2) as pool, pytest.raises(SolveCancelled):
            solve(_two_offices(), params, executor=pool, control=Control(cancel=stop))
        assert time.monotonic() - t0 < 60
