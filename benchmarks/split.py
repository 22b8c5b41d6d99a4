"""The sample day split by post office against one model of the whole province, same budget.

Issue "one solve": at the same budget the split plan never serves fewer items
than one model of the whole day. Both run on this machine's two cores: the
split with its parts on a process pool, the one model with OR-Tools' two
strategies on it. Prints legs served and couriers used for each.
"""

from __future__ import annotations

import datetime as dt
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from rich.console import Console
from rich.table import Table

from planner.pipeline import DayInput, build_problem, prepare_day
from planner.plan import Action
from planner.sample_day import sample_day
from planner.solver import Budget, EngineRequest, SolveParams, get_engine, solve, split_servable
from planner.travel import default_cache_dir

DATE = dt.date(2026, 11, 30)
LIMITS = (10.0, 30.0)


def run(quick: bool, out: Path) -> bool:
    """Print the table; True (nothing here is checked against a bound)."""
    del out
    sample = sample_day(DATE, seed=0)
    day, work = prepare_day(DayInput(DATE, sample.sites, sample.couriers, sample.orders,
                                     backlog=sample.backlog, network=sample.province.network))
    problem = build_problem(day, work, cache_dir=default_cache_dir())
    t = Table(title=f"sample day {DATE}: split by post office against one model (ortools, "
                    "2 workers)", title_justify="left")
    for col in ("limit s", "how", "legs served", "of", "couriers", "wall s"):
        t.add_column(col, justify="right")
    for limit in LIMITS[:1] if quick else LIMITS:
        params = SolveParams(seed=0, time_limit_s=limit, workers=2)
        with ProcessPoolExecutor(2) as pool:
            t0 = time.monotonic()
            budget = Budget(limit)
            servable = split_servable(problem)
            whole = get_engine("ortools").run(EngineRequest(
                problem=problem, items=tuple(it.tracking_code for it in servable.items),
                params=params, budget=budget.share(0.95)), executor=pool)
            served = sum(1 for evs in whole.routes.values() for e in evs
                         if e.action is Action.DELIVERY)
            t.add_row(f"{limit:g}", "one model", str(served), str(len(problem.items)),
                      str(sum(1 for evs in whole.routes.values() if evs)),
                      f"{time.monotonic() - t0:.1f}")
            t0 = time.monotonic()
            plan = solve(problem, params, "ortools", executor=pool)
            t.add_row(f"{limit:g}", "split", str(len(plan.served)), str(len(problem.items)),
                      str(len(plan.routes)), f"{time.monotonic() - t0:.1f}")
    Console().print(t)
    return True
