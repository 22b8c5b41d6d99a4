"""``auto``: the best valid plan in the budget from OR-Tools, PyVRP and VROOM.

Every engine whose capabilities cover the request runs, each on its own core
(one "line" per worker: the first in the caller's process, the others on its
executor), within the one budget; OR-Tools
always runs, since it models every rule. Where only OR-Tools models the request
(lunch breaks with several windows per stop, cash limits, classes that may not
share a vehicle, items on board), VROOM plans the relaxed request first and its
plan, cut back in check mode to what breaks no rule, is a candidate and may seed
OR-Tools; OR-Tools gets the main share from its own first plan, since a relaxed
plan cut back can be a poor start (on the sample day, auto seeded from VROOM used
27-28 couriers where OR-Tools alone used 26). Every candidate is cut back in
check mode before the best is kept: most items served, then fewest couriers,
then the shortest distance. An engine that crashes or finds nothing only drops
out.

Lines, by what models the request exactly:

=========================  =======================================================
PyVRP and VROOM exact      ``pyvrp`` | ``vroom``, ``ortools``, then ``pyvrp`` again
only OR-Tools exact        ``vroom`` then ``ortools`` from its plan | ``ortools``
locks or an initial plan   ``ortools``
=========================  =======================================================

Where PyVRP is exact its search is the strongest of the three (on the 76 shared
100-task instances at 10 s, OR-Tools never had fewer couriers than PyVRP's line),
and which instances reach the best-known count varies from one search to the
next. So the second line, after VROOM and a short OR-Tools search, runs PyVRP
again on the next seed (``RESEEDED``) from the best plan so far: two searches
that differ hedge against one search's bad luck. Measured on those 76 instances in
one run with every line's plan kept (issue 17's notes, 2026-11-30): distance gap
at the best-known counts 0.15 → 0.05 % (Li & Lim) and 1.12 → 0.63 % (Solomon);
best-known counts 64 → 65 of 76, within one search's variation.

The two PyVRP searches also differ in what they spend their time on: the first
tries one courier fewer at a time once it has a complete plan (the adapter's
fleet minimisation, ``EngineRequest.fewer_couriers``), the second spends all of
its time on shorter routes. A try that fails costs the first search time it
would have spent shortening routes, so the second hedges the distance where no
courier can be spared. Where a courier can be spared, the first search posts the
smaller fleet's plan on a board the lines share (:mod:`planner.solver.board`, on a
wall-clock budget only) and the second goes on from it: the smaller fleet gets
the second line's time for shorter routes while the first tries one courier fewer
again.

With one worker the lines run one after the other in this process; where only
OR-Tools is exact, one worker runs ``vroom``, then ``ortools`` from no plan
(``FRESH``), then ``ortools`` from the better of the two plans so far: the relaxed
plan is a start only when it beats OR-Tools' own by the score.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Mapping, Sequence
from concurrent.futures import Executor
from contextlib import nullcontext
from dataclasses import dataclass, replace

import numpy as np

from planner.plan import Action, Event
from planner.problem import Problem
from planner.solver.board import PlanBoard
from planner.solver.budget import SHARES, Budget
from planner.solver.check import event_site
from planner.solver.control import SILENT, Control
from planner.solver.engine import (
    Capabilities,
    EngineRequest,
    EngineResult,
    Routes,
    get_engine,
)
from planner.solver.features import needs
from planner.solver.repair import make_valid

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Outcome:
    """One engine's valid routes (cut back in check mode) and how they rank."""

    engine: str
    routes: Routes
    objective: int | None
    score: tuple[int, int, int]  # -served, couriers, metres
    seconds: float


def score(problem: Problem, routes: Mapping[str, Sequence[Event]]) -> tuple[int, int, int]:
    """(-items served, couriers used, metres driven): lower is better."""
    served = sum(1 for evs in routes.values() for e in evs if e.action is Action.DELIVERY)
    used = [c for c, evs in routes.items() if evs]
    metres = 0
    idx = problem.site_index
    for courier in used:
        c = problem.courier(courier)
        sites = [idx[c.start_site],
                 *(idx[event_site(problem.item(e.item), e.action)] for e in routes[courier]),
                 idx[c.end_site]]
        s = np.array(sites)
        metres += int(problem.travel[c.vehicle].distance_m[s[:-1], s[1:]].sum())
    return -served, len(used), metres


#: Suffix of a step that starts from no plan (a step otherwise starts from the best so far).
FRESH = ":fresh"
#: Suffix of a step that searches on the next seed (a second search of an engine in another
#: line), shortening routes the whole time where the first search also tries fewer couriers.
RESEEDED = ":reseeded"


def lines(need: Capabilities, workers: int) -> list[list[str]]:
    """The engines each worker runs in turn (see the module docstring)."""
    if need.locked_stops or need.initial_plan:
        return [["ortools"]]
    if get_engine("pyvrp").capabilities.covers(need):
        return [["pyvrp"], ["vroom", "ortools", "pyvrp" + RESEEDED]] if workers >= 2 else [
            ["vroom", "pyvrp", "ortools"]]
    return [["vroom", "ortools"], ["ortools"]] if workers >= 2 else [
        ["vroom", "ortools" + FRESH, "ortools"]]


class PortfolioEngine:
    """The engine portfolio (see the module docstring)."""

    name = "auto"
    capabilities = Capabilities(
        multiple_windows=True, breaks=True, locked_stops=True, incompatible_classes=True,
        cash_limits=True, initial_plan=True, multi_depot=True, skills=True,
        items_on_board=True,
    )

    def run(
        self, request: EngineRequest, *, executor: Executor | None = None,
        control: Control | None = None,
    ) -> EngineResult:
        """Run the lines (one per worker on ``executor``) and keep the best valid plan."""
        control = control or SILENT
        p = request.problem
        need = needs(p, request.routed_items(), locked=request.locked, initial=request.initial)
        workers = request.params.workers if executor is not None else 1
        plan = lines(need, workers)
        one = replace(request, params=replace(request.params, workers=1))
        if len(plan) == 1 or executor is None:
            outcomes = [o for line in plan for o in run_line(line, one, control)]
        else:
            # The lines share a board only on a wall clock: under a solution limit what
            # one line takes from the other would depend on timing, and a solution limit
            # promises the same plan for the same input and seed.
            with (PlanBoard.temporary() if request.budget.limited
                  else nullcontext(None)) as board:
                outcomes = _parallel(plan, replace(one, board=board), control, executor)
        return _best(outcomes)


def _parallel(plan: Sequence[Sequence[str]], request: EngineRequest, control: Control,
              executor: Executor) -> list[Outcome]:
    """The first line here, the others on ``executor``; every line's outcomes."""
    # The first line runs here, where the engines are loaded already and the caller
    # would only wait: a line sent to a fresh worker process loses its start (imports,
    # the problem pickled) out of the same budget.
    remote = control.for_executor(executor)
    futures = [executor.submit(run_line, line, request, remote) for line in plan[1:]]
    outcomes = run_line(plan[0], request, control)
    for f in futures:
        try:
            outcomes.extend(f.result())
        except Exception:  # a worker that died takes only its line with it
            log.exception("an engine line failed")
    return outcomes


def run_line(line: Sequence[str], request: EngineRequest, control: Control) -> list[Outcome]:
    """Run the engines of one line in turn, each later one from the best plan so far.

    Returns every engine's valid outcome (an engine that fails is logged and skipped).
    """
    out: list[Outcome] = []
    for k, step in enumerate(line):
        if control.cancelled() or (k and request.budget.expired()):
            break
        name, _, how = step.partition(":")
        last = k == len(line) - 1
        budget = request.budget if last else _first_share(request.budget, line, k)
        start = min(out, key=lambda o: o.score).routes if out and step != name + FRESH else None
        sub = replace(request, budget=budget)
        if step == name + RESEEDED:
            sub = replace(sub, params=replace(sub.params, seed=sub.params.seed + 1),
                          fewer_couriers=False)
        outcome = _run_one(name, sub, control, start)
        if outcome is not None and how:
            outcome = replace(outcome, engine=step)
        if outcome is not None:
            out.append(outcome)
    return out


def _first_share(budget: Budget, line: Sequence[str], k: int) -> Budget:
    if not budget.limited:
        return budget
    share = {"pyvrp": SHARES.portfolio_pyvrp,
             "ortools" + FRESH: SHARES.portfolio_fresh}.get(line[k], SHARES.portfolio_first)
    return budget.share(share)


def _run_one(name: str, request: EngineRequest, control: Control,
             start: Routes | None) -> Outcome | None:
    """One engine on the request (or on what it can model of it), cut back to valid routes."""
    t0 = time.monotonic()
    p = request.problem
    engine = get_engine(name)
    items = request.items
    if not engine.capabilities.items_on_board:  # delivered by their own courier, later
        items = tuple(c for c in items if p.item(c).on_board is None)
    seed = ({c: tuple(evs) for c, evs in start.items()}
            if start and engine.capabilities.initial_plan else None)
    sub = replace(request, items=items, initial=seed)
    try:
        result = engine.run(sub, control=control)
    except Exception:  # an engine's fault never fails the portfolio
        log.exception("engine %s failed", name)
        return None
    routes = make_valid(p, {c: list(evs) for c, evs in result.routes.items() if evs})
    return Outcome(name, routes, result.objective, score(p, routes), time.monotonic() - t0)


def _best(outcomes: Sequence[Outcome]) -> EngineResult:
    if not outcomes:
        return EngineResult(routes={}, objective=None, stats={"winner": "none"})
    best = min(outcomes, key=lambda o: (o.score, o.engine))
    stats: dict[str, float | int | str] = {"winner": best.engine}
    for o in outcomes:
        stats[f"{o.engine} served"] = -o.score[0]
        stats[f"{o.engine} couriers"] = o.score[1]
    return EngineResult(
        routes=best.routes,
        objective=best.objective if best.objective is not None else 0,
        stats=stats,
        phases=tuple((f"{o.engine}", round(o.seconds, 3)) for o in outcomes),
    )
