"""The OR-Tools engine adapter: the only package that imports ``ortools``.

:mod:`.model` builds the routing model of one request and runs one search;
:mod:`.search` runs a worker's phases (first plan, fleet minimisation, route
shortening). :class:`OrToolsEngine` turns an :class:`EngineRequest` into raw
routes: one job per worker, on the caller's executor.
"""

from __future__ import annotations

import time
from concurrent.futures import FIRST_COMPLETED, Executor, wait

from planner.solver._ortools.search import Job, Result, configs, rank, search
from planner.solver.budget import Budget
from planner.solver.control import SILENT, Control
from planner.solver.engine import Capabilities, EngineRequest, EngineResult


class OrToolsEngine:
    """Google OR-Tools' routing library, with guided local search and fleet minimisation."""

    name = "ortools"
    capabilities = Capabilities(
        multiple_windows=True,
        breaks=True,
        locked_stops=True,
        incompatible_classes=True,
        cash_limits=True,
        initial_plan=True,
        multi_depot=True,
        skills=True,
        items_on_board=True,
    )

    def run(
        self, request: EngineRequest, *, executor: Executor | None = None,
        control: Control | None = None,
    ) -> EngineResult:
        """Search with ``request.params.workers`` configurations; keep the best result.

        With an ``executor`` each configuration is one job on it (a process pool,
        Dask's ``client.get_executor()``); without one, a single configuration
        runs in this process.
        """
        control = control or SILENT
        t0 = time.monotonic()
        p = request.problem
        items = request.routed_items()
        workers = request.params.workers if executor is not None else 1
        here = workers == 1  # one search runs in this process, with the caller's callbacks
        jobs = [
            Job(p, items, dict(request.locked), request.now_s, request.params, cfg,
                request.budget, control if here else control.for_executor(executor),
                request.initial)
            for cfg in configs(request.params, len(items), workers)
        ]
        results: list[Result]
        if here or executor is None:
            results = [search(jobs[0])]
        else:
            results = _gather(executor, jobs, control, request.budget)
        routes, objective = min(results, key=rank)
        found = sum(1 for _, o in results if o is not None)
        return EngineResult(
            routes=routes,
            objective=objective,
            stats={"workers": len(jobs), "workers_with_plan": found},
            phases=(("ortools search", round(time.monotonic() - t0, 3)),),
        )


def _gather(executor: Executor, jobs: list[Job], control: Control, budget: Budget
            ) -> list[Result]:
    """The jobs' results, reporting the budget's progress while they run elsewhere."""
    futures = [executor.submit(search, job) for job in jobs]
    pending = set(futures)
    while pending:
        _, pending = wait(pending, timeout=0.5, return_when=FIRST_COMPLETED)
        control.report(budget.fraction_used(), "search")
    return [f.result() for f in futures]
