"""``solve``: the one place that turns a Problem into a Plan.

It only assembles (PyVRP's ``solve()`` is the model):

1. refuse what no engine can take (:mod:`._validate`), and locks that name
   unknown couriers or items;
2. split off what no courier can serve, with reasons (:func:`.reasons.split_servable`);
3. run the engine: on the whole day, or on one part per post office
   (:mod:`.partition`) in parallel on the caller's executor, then offer every
   leftover to the whole fleet (:mod:`.repair`);
4. hand the dossiers over first at every agency stop
   (:func:`.handover_order.deliveries_first`), and re-time every route in
   check mode (:func:`.check.timed_routes`);
5. give every item left its reason over all couriers (:func:`.reasons.unassigned_reasons`);
6. return the :class:`Plan` with the run's statistics.

Time comes from one :class:`Budget`, cut only by :data:`.budget.SHARES`.
Processes come from the caller: ``executor`` is a ``concurrent.futures``
executor (a process pool from the command line, ``client.get_executor()`` on
Dask, None to run everything in this process).
"""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from concurrent.futures import FIRST_COMPLETED, Executor, Future, wait
from dataclasses import dataclass, replace

from planner.exceptions import InputError, SolverError
from planner.plan import Action, Event, Plan, SolveStats, Unassigned
from planner.problem import Problem
from planner.solver._validate import validate_problem
from planner.solver.budget import SHARES, Budget
from planner.solver.check import ViolationKind, check, timed_routes
from planner.solver.control import SILENT, Control
from planner.solver.engine import (
    DEFAULT_ENGINE,
    Capabilities,
    Engine,
    EngineRequest,
    EngineResult,
    Routes,
    get_engine,
)
from planner.solver.features import needs
from planner.solver.handover_order import deliveries_first
from planner.solver.params import SolveParams
from planner.solver.partition import (
    Part,
    depot_parts,
    geographic_parts,
    part_ends,
    region_items,
    restrict,
)
from planner.solver.reasons import Servable, split_servable, unassigned_reasons
from planner.solver.repair import make_valid, repair_across_parts


@dataclass(frozen=True)
class Locks:
    """Re-optimisation: per courier, events done or in progress (kept first), and now."""

    events: Mapping[str, Sequence[Event]]
    now_s: int


def solve(
    problem: Problem,
    params: SolveParams | None = None,
    engine: str = DEFAULT_ENGINE,
    *,
    budget: Budget | None = None,
    executor: Executor | None = None,
    control: Control | None = None,
    locks: Locks | None = None,
    initial: Mapping[str, Sequence[Event]] | None = None,
) -> Plan:
    """Plan the day with the named engine.

    Parameters
    ----------
    problem
        The day's problem.
    params
        Seed, limits and workers (default: 30 s, one worker, seed 0).
    engine
        A registered engine name (``planner.solver.engine_names()``).
    budget
        The request's time, if it started earlier (travel matrices computed for
        it count); default: a new budget of ``params.time_limit_s``.
    executor
        Where parallel searches run (at most ``params.workers`` at once); None:
        one search at a time, in this process.
    control
        Progress callback and cancel token.
    locks
        Stops kept first per courier, and the time from which the rest starts.
    initial
        Routes to start from (engines that can).

    Returns
    -------
    Plan
        Routes re-timed in check mode, every unassigned item with its reason.

    Raises
    ------
    InputError
        A problem no engine can take, a lock naming an unknown courier or item,
        or a request the engine cannot model.
    SolverError
        When no search found any plan within the limits.
    SolveCancelled
        When the caller cancelled.
    """
    t0 = time.monotonic()
    params = params or SolveParams()
    control = control or SILENT
    budget = budget or Budget(params.time_limit_s)
    eng = get_engine(engine)
    validate_problem(problem)
    if locks is not None:
        check_locks(problem, locks)
    if initial is not None:
        check_initial(problem, initial)
    control.report(0.0, "servable")
    now_s = None if locks is None else locks.now_s
    servable = split_servable(problem, now_s)
    in_locks = set() if locks is None else {e.item for evs in locks.events.values() for e in evs}
    hopeless = [u for u in servable.hopeless if u.item not in in_locks]
    codes = tuple(it.tracking_code for it in problem.items
                  if it.tracking_code in servable.able or it.tracking_code in in_locks)
    _check_capabilities(eng, needs(problem, [problem.item(c) for c in codes],
                                   locked=None if locks is None else locks.events,
                                   initial=initial))
    search = budget.share(1 - SHARES.finish) if budget.limited else budget
    workers = params.workers if executor is not None else 1
    size = region_items(len(servable.items), search.remaining_s(), workers)
    parts = [] if locks is not None or initial is not None else [
        region for p in depot_parts(problem, servable.items, servable.able) if p.items
        for region in geographic_parts(problem, p, size)]
    if len(parts) > 1:
        routes, objective, phases = _solve_parts(problem, eng, parts, servable, params=params,
                                                 budget=search, executor=executor,
                                                 control=control)
        winner = None
    else:
        within = control.within(0.05, 0.9)
        result = eng.run(_request(problem, codes, params=params, budget=search, locks=locks,
                                  initial=initial),
                         executor=executor, control=within)
        routes, objective, phases = result.routes, result.objective, result.phases
        winner = str(result.stats["winner"]) if "winner" in result.stats else None
        # An engine's plan that breaks a rule (PyVRP's best on a day too big for the
        # fleet) is still routes: check mode cuts them back below. Only no routes at all
        # is no plan.
        if objective is None and codes and not any(routes.values()):
            raise SolverError(_nothing_found(problem, len(codes), params))
    control.raise_if_cancelled()
    control.report(0.95, "check")
    plan = _plan(problem, eng.name, params, routes, objective=objective, codes=codes,
                 hopeless=hopeless, locks=locks, budget=budget, phases=phases, t0=t0,
                 winner=winner)
    control.report(1.0, "done")
    return plan


def _check_capabilities(eng: Engine, needed: Capabilities) -> None:
    missing = eng.capabilities.missing(needed)
    if missing:
        raise InputError(
            f"engine '{eng.name}' cannot model this day ({', '.join(missing)}): "
            "use --engine ortools, or auto", field="engine")


def check_locks(problem: Problem, locks: Locks) -> None:
    """Refuse locks that cannot be a route's beginning.

    Raises
    ------
    InputError
        Naming the courier (and the item) at fault: an unknown courier or item,
        an event twice, a delivery whose pickup is not locked before it (unless
        the item is on board), the pickup of an item already on board, or a
        time outside the day.
    """
    if not 0 <= locks.now_s <= problem.horizon_s:
        raise InputError(f"now ({locks.now_s} s) lies outside the day (0..{problem.horizon_s} s)",
                         source="locked", field="now_s")
    for courier, events in locks.events.items():
        if courier not in problem.courier_index:
            raise InputError(f"unknown courier '{courier}'", source="locked", field="courier")
        seen: set[tuple[str, Action]] = set()
        for e in events:
            if e.item not in problem.item_index:
                raise InputError(
                    f"unknown item '{e.item}'", source="locked", row=courier, field="item"
                )
            fault = _lock_fault(problem, e, seen)
            if fault:
                raise InputError(fault, source="locked", row=courier, field="item")
            seen.add((e.item, e.action))


def _lock_fault(problem: Problem, e: Event, seen: set[tuple[str, Action]]) -> str:
    aboard = problem.item(e.item).on_board is not None
    if (e.item, e.action) in seen:
        return f"the {e.action} of {e.item} is locked twice"
    if e.action is Action.PICKUP and aboard:
        return f"{e.item} is already on board: it has no pickup to lock"
    if e.action is Action.DELIVERY and not aboard and (e.item, Action.PICKUP) not in seen:
        return f"the delivery of {e.item} is locked without its pickup before it"
    return ""


#: Faults that make routes no starting plan at all (windows or loads may be broken:
#: the search repairs those).
_NOT_A_PLAN = frozenset({ViolationKind.UNKNOWN, ViolationKind.DUPLICATE,
                         ViolationKind.PRECEDENCE, ViolationKind.SAME_ROUTE,
                         ViolationKind.ON_BOARD})


def check_initial(problem: Problem, initial: Mapping[str, Sequence[Event]]) -> None:
    """Refuse an initial plan with unknown couriers or items, repeats or broken pairs.

    Raises
    ------
    InputError
        Naming the courier (and the item) of the first such fault.
    """
    for v in check(problem, initial):
        if v.kind in _NOT_A_PLAN:
            raise InputError(v.message, source="initial", row=v.courier, field="item")


def _request(problem: Problem, codes: tuple[str, ...], *, params: SolveParams, budget: Budget,
             locks: Locks | None, initial: Mapping[str, Sequence[Event]] | None,
             ) -> EngineRequest:
    return EngineRequest(
        problem=problem, items=codes, params=params, budget=budget,
        locked={c: tuple(evs) for c, evs in (locks.events.items() if locks else ())},
        now_s=None if locks is None else locks.now_s,
        initial=None if initial is None else {c: tuple(evs) for c, evs in initial.items()},
    )


def _solve_parts(
    problem: Problem, eng: Engine, parts: list[Part], servable: Servable, *,
    params: SolveParams, budget: Budget, executor: Executor | None, control: Control,
) -> tuple[Routes, int | None, tuple[tuple[str, float], ...]]:
    """Each post office's part on its own (in parallel), then the repair across parts."""
    searches = budget.share(1 - SHARES.repair) if budget.limited else budget
    total = sum(len(p.items) for p in parts)
    one = replace(params, workers=1)
    workers = params.workers if executor is not None else 1
    jobs = []
    ordered = sorted(parts, key=lambda p: (-len(p.items), p.depot))  # largest first
    ends = part_ends([len(p.items) for p in ordered], workers)
    for p, share in zip(ordered, ends, strict=True):
        sub = restrict(problem, set(p.couriers), set(p.items))
        jobs.append((p, EngineRequest(problem=sub, items=p.items, params=one,
                                      budget=searches), share))
    results = _run_parts(eng, jobs, executor=executor, workers=workers, control=control,
                         budget=searches)
    routes: Routes = {}
    objective: int | None = 0
    phases: list[tuple[str, float]] = []
    for (part, _, _), (result, seconds) in zip(jobs, results, strict=True):
        routes.update(result.routes)
        objective = None if objective is None or result.objective is None else (
            objective + result.objective)
        phases.append((f"depot {part.depot}", round(seconds, 3)))
    if all(r.objective is None and not any(r.routes.values()) for r, _ in results):
        raise SolverError(_nothing_found(problem, total, params))
    control.raise_if_cancelled()
    control.report(0.85, "repair")
    t1 = time.monotonic()
    repair = budget  # what is left of the search budget
    routes = repair_across_parts(problem, eng, routes, servable.able, params=one, budget=repair,
                                 control=control)
    phases.append(("repair across post offices", round(time.monotonic() - t1, 3)))
    return routes, objective, tuple(phases)


def _run_parts(
    eng: Engine, jobs: list[tuple[Part, EngineRequest, float]], *, executor: Executor | None,
    workers: int, control: Control, budget: Budget,
) -> list[tuple[EngineResult, float]]:
    if executor is None or workers <= 1:
        out = []
        for k, (_, request, share) in enumerate(jobs):
            control.raise_if_cancelled()
            part = control.within(0.05 + 0.8 * k / len(jobs), 0.05 + 0.8 * (k + 1) / len(jobs))
            out.append(_run_part(eng.name, request, share, part))
        return out
    remote = control.for_executor(executor)
    futures: list[Future[tuple[EngineResult, float]]] = [
        executor.submit(_run_part, eng.name, request, share, remote)
        for _, request, share in jobs]
    pending: set[Future[tuple[EngineResult, float]]] = set(futures)
    while pending:
        _, pending = wait(pending, timeout=0.5, return_when=FIRST_COMPLETED)
        control.report(0.05 + 0.8 * budget.fraction_used(), "search")
        if control.cancelled():
            for f in pending:
                f.cancel()
    control.raise_if_cancelled()
    return [f.result() for f in futures]


def _run_part(engine: str, request: EngineRequest, end: float,
              control: Control) -> tuple[EngineResult, float]:
    """One part's search (a job of its own on the caller's executor).

    It searches from when it starts until ``end`` (a fraction of the split
    day's search time, :func:`planner.solver.partition.part_ends`), at least
    ``SHARES.min_part_s``.
    """
    t0 = time.monotonic()
    searches = request.budget
    own = (searches.until(end, at_least_s=SHARES.min_part_s) if searches.limited
           else searches)
    result = get_engine(engine).run(replace(request, budget=own), control=control)
    return result, time.monotonic() - t0


def _plan(
    problem: Problem, engine: str, params: SolveParams, routes: Routes, *,
    objective: int | None, codes: tuple[str, ...], hopeless: list[Unassigned],
    locks: Locks | None, budget: Budget, phases: tuple[tuple[str, float], ...], t0: float,
    winner: str | None = None,
) -> Plan:
    """Re-time the routes in check mode and give every item left its reason."""
    now_s = None if locks is None else locks.now_s
    locked = {} if locks is None else {c: len(evs) for c, evs in locks.events.items()}
    ordered = {c.id: routes[c.id] for c in problem.couriers if routes.get(c.id)}
    ordered = make_valid(problem, ordered, locked=locked, now_s=now_s)
    ordered = deliveries_first(problem, ordered, locked, now_s)
    plan_routes = timed_routes(problem, ordered, locked, now_s)
    # What check mode cut from an engine's routes is unassigned like any other item.
    served = {e.item for evs in ordered.values() for e in evs if e.action is Action.DELIVERY}
    reasons_budget = budget.seconds(SHARES.reasons_s, at_least_s=SHARES.reasons_min_s)
    unassigned = [*hopeless, *unassigned_reasons(
        problem, ordered, [c for c in codes if c not in served], reasons_budget, now_s)]
    order = problem.item_index
    stats = SolveStats(
        engine=engine,
        seed=params.seed,
        solve_s=round(time.monotonic() - t0, 3),
        objective=objective,
        time_limit_s=params.time_limit_s,
        solution_limit=params.solution_limit,
        phases=phases,
        winner=winner,
    )
    return Plan(routes=plan_routes,
                unassigned=tuple(sorted(unassigned, key=lambda u: order[u.item])),
                stats=stats)


def _nothing_found(problem: Problem, items: int, params: SolveParams) -> str:
    limits = []
    if params.time_limit_s is not None:
        limits.append(f"{params.time_limit_s:g} s")
    if params.solution_limit is not None:
        limits.append(f"{params.solution_limit} solutions")
    return (f"no search found a first plan for {items} items and {len(problem.couriers)} "
            f"couriers within its limits ({', '.join(limits)}): give it more time")
