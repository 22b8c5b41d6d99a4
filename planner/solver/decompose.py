"""Solve a multi-depot day depot by depot: each post office's couriers plan the legs nearest them.

A provincial day has a dozen post offices, each with its own couriers and
territory. Solving them as one routing model makes insertion heuristics
quadratic in the province's size; solving one model per depot keeps each
small (tens of items), lets the depots run in parallel on several workers,
and matches how post offices work: their couriers serve their territory.

Each item goes to the depot whose couriers can carry it (skills, an item
already on board) and for which the round trip depot → pickup → delivery →
depot is shortest; items no courier can carry still go somewhere, where the
engine reports them unassigned with their reason.

A second round gives the legs a depot could not fit (fleet full) to the
couriers that the first round left idle, wherever they start: a dispatcher
lends an idle courier of a quiet office before leaving work for tomorrow.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, replace

from planner.domain.fleet import Courier
from planner.domain.items import Item
from planner.plan import Plan, SolveStats, UnassignedReason
from planner.problem import Problem
from planner.solver.engine import SolveParams, get_engine

#: Shortest search a depot gets under a time limit (its first solution takes far less).
MIN_GROUP_S = 0.5
#: Share of the wall-clock limit given to searches; the rest covers building the
#: models, computing reasons and starting worker processes.
SEARCH_SHARE = 0.8
#: Share of the search time kept for the second round (idle couriers, leftover legs).
SPILL_SHARE = 0.15


@dataclass(frozen=True)
class DepotGroup:
    """The couriers starting at one depot and the items given to them."""

    depot: str
    couriers: tuple[str, ...]
    items: tuple[str, ...]


def _round_trip_s(problem: Problem, courier: Courier, item: Item) -> int:
    d, a, b = courier.start_site, item.pickup_site, item.delivery_site
    v = courier.vehicle
    if item.on_board is not None:
        return problem.travel_s(v, d, b) + problem.travel_s(v, b, courier.end_site)
    return (problem.travel_s(v, d, a) + problem.travel_s(v, a, b)
            + problem.travel_s(v, b, courier.end_site))


def depot_groups(problem: Problem) -> list[DepotGroup]:
    """Split couriers by start depot and give each item to the nearest depot able to carry it."""
    by_depot: dict[str, list[Courier]] = {}
    for c in problem.couriers:
        by_depot.setdefault(c.start_site, []).append(c)
    items: dict[str, list[str]] = {d: [] for d in by_depot}
    for it in problem.items:
        if it.on_board is not None:
            items[problem.courier(it.on_board).start_site].append(it.tracking_code)
            continue
        able = [(d, c) for d, cs in by_depot.items() for c in cs if it.required_skills <= c.skills]
        pool = able or [(d, c) for d, cs in by_depot.items() for c in cs]
        best = min(pool, key=lambda dc: _round_trip_s(problem, dc[1], it))
        items[best[0]].append(it.tracking_code)
    return [DepotGroup(d, tuple(c.id for c in cs), tuple(items[d])) for d, cs in by_depot.items()]


def _solve_group(args: tuple[Problem, SolveParams, str]) -> tuple[Plan, float]:
    problem, params, engine = args
    t0 = time.perf_counter()
    plan = get_engine(engine).solve(problem, params)
    return plan, time.perf_counter() - t0


def _group_params(params: SolveParams, share: float) -> SolveParams:
    if params.time_limit_s is None:
        return replace(params, workers=1)
    limit = params.time_limit_s * SEARCH_SHARE * (1 - SPILL_SHARE)
    budget = min(limit, max(MIN_GROUP_S, limit * params.workers * share))
    return replace(params, time_limit_s=budget, workers=1)


def _spill_params(params: SolveParams) -> SolveParams:
    if params.time_limit_s is None:
        return replace(params, workers=1)
    budget = max(MIN_GROUP_S, params.time_limit_s * SEARCH_SHARE * SPILL_SHARE)
    return replace(params, time_limit_s=budget, workers=1)


def solve_by_depot(problem: Problem, params: SolveParams, engine: str = "ortools") -> Plan:
    """Plan each depot's couriers and items separately (in parallel with ``params.workers``).

    One depot: the engine's plain solve. With a time limit each depot gets a
    share of it proportional to its items (at least ``MIN_GROUP_S``), so the whole run
    takes about the limit; with a solution limit each depot uses that limit,
    and the plan is reproducible.
    """
    groups = [g for g in depot_groups(problem) if g.couriers]
    if len(groups) <= 1:
        return get_engine(engine).solve(problem, params)
    t0 = time.perf_counter()
    total = max(1, len(problem.items))
    jobs: list[tuple[Problem, SolveParams, str]] = []
    for g in groups:
        keep_c, keep_i = set(g.couriers), set(g.items)
        sub = problem.replace(couriers=[c for c in problem.couriers if c.id in keep_c],
                              items=[it for it in problem.items if it.tracking_code in keep_i])
        jobs.append((sub, _group_params(params, len(g.items) / total), engine))
    order = sorted(range(len(jobs)), key=lambda k: -len(groups[k].items))  # largest first
    done = _run([jobs[k] for k in order], params.workers)
    results = [done[order.index(k)] for k in range(len(jobs))]
    plan = _merge(problem, params, engine, groups=groups, results=results,
                  wall_s=time.perf_counter() - t0)
    return _spill_over(problem, params, engine, plan, t0)


def _spill_over(problem: Problem, params: SolveParams, engine: str, plan: Plan,
                t0: float) -> Plan:
    """Offer the fleet-full legs to the couriers left idle; keep the first reasons otherwise."""
    busy = {r.courier for r in plan.routes}
    idle = [c for c in problem.couriers if c.id not in busy]
    full = {u.item for u in plan.unassigned if u.reason is UnassignedReason.FLEET_FULL}
    if not idle or not full:
        return plan
    sub = problem.replace(couriers=idle,
                          items=[it for it in problem.items if it.tracking_code in full])
    t1 = time.perf_counter()
    extra = get_engine(engine).solve(sub, _spill_params(params))
    if not extra.routes:
        return plan
    routes = {r.courier: r for r in (*plan.routes, *extra.routes)}
    served = extra.served
    objective = (None if plan.stats.objective is None or extra.stats.objective is None
                 else plan.stats.objective + extra.stats.objective)
    return Plan(
        routes=tuple(routes[c.id] for c in problem.couriers if c.id in routes),
        unassigned=tuple(u for u in plan.unassigned if u.item not in served),
        stats=replace(plan.stats, solve_s=round(time.perf_counter() - t0, 3),
                      objective=objective,
                      phases=(*plan.stats.phases,
                              ("idle couriers", round(time.perf_counter() - t1, 3)))),
    )


def _run(jobs: list[tuple[Problem, SolveParams, str]], workers: int) -> list[tuple[Plan, float]]:
    if workers <= 1:
        return [_solve_group(j) for j in jobs]
    with ProcessPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(_solve_group, jobs))


def _merge(problem: Problem, params: SolveParams, engine: str, *, groups: Sequence[DepotGroup],
           results: Sequence[tuple[Plan, float]], wall_s: float) -> Plan:
    routes = {r.courier: r for plan, _ in results for r in plan.routes}
    unassigned = {u.item: u for plan, _ in results for u in plan.unassigned}
    objectives = [plan.stats.objective for plan, _ in results]
    stats = SolveStats(
        engine=engine,
        seed=params.seed,
        solve_s=round(wall_s, 3),
        objective=None if any(o is None for o in objectives) else sum(
            o for o in objectives if o is not None),
        time_limit_s=params.time_limit_s,
        solution_limit=params.solution_limit,
        phases=tuple((f"depot {g.depot}", round(s, 3)) for g, (_, s) in
                     zip(groups, results, strict=True)),
    )
    return Plan(
        routes=tuple(routes[c.id] for c in problem.couriers if c.id in routes),
        unassigned=tuple(unassigned[it.tracking_code] for it in problem.items
                         if it.tracking_code in unassigned),
        stats=stats,
    )
