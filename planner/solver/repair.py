"""Repair across parts: offer every item a part left unserved to the whole fleet.

After the parts of a split day are solved, an item left by its post office's
couriers (whatever the reason there) may still fit on another office's route.
First a cheapest-insertion pass over every route of every post office, each
insertion re-timed in check mode; then, if items are still left and time
remains, a short search by the engine over the couriers who could take them,
started from the current routes.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from concurrent.futures import Executor

import numpy as np

from planner.plan import Action, Event
from planner.problem import Problem
from planner.solver.budget import SHARES, Budget
from planner.solver.check import ViolationKind, event_site, time_route
from planner.solver.control import Control
from planner.solver.engine import Engine, EngineRequest, Routes
from planner.solver.params import SolveParams
from planner.solver.partition import restrict

#: Insertions re-timed per leftover item and courier, cheapest by added distance first
#: (the check is exact, the distance estimate only orders the candidates); every able
#: courier gets its turn, so an idle courier far away is tried as well as a busy one near.
CANDIDATES_PER_COURIER = 6
#: Items (on the routes taken and left over) in the repair's search model at most: the
#: couriers nearest the leftovers are taken until it is full. On a 3,000-request day every
#: courier can take every leftover, and a model of the whole day has no time to find a
#: plan (its first plan alone takes minutes); a region's size finds one in seconds.
REPAIR_MODEL_ITEMS = 400


def make_valid(
    problem: Problem,
    routes: Routes,
    *,
    locked: Mapping[str, int] | None = None,
    now_s: int | None = None,
) -> Routes:
    """Routes that pass check mode: items are taken off a route until it breaks no rule.

    An engine that models the request exactly returns valid routes and nothing
    changes; a relaxed one (several windows seen as one, no lunch) may not. The
    item a violation names goes first; a violation of the whole route (shift,
    lunch, duration) takes off the route's last item that is not locked.
    Lateness past an overdue item's deadline is a notice, not a fault.
    """
    locked = locked or {}
    out: Routes = {}
    for courier, events in routes.items():
        evs = list(events)
        keep = locked.get(courier, 0)
        while evs:
            faults = [v for v in time_route(problem, courier, evs, now_s, keep)[1]
                      if v.kind is not ViolationKind.DEADLINE]
            if not faults:
                break
            named = next((v.item for v in faults if v.item is not None), None)
            movable = [e.item for e in evs[keep:]]
            if named is None or named not in movable:
                if not movable:
                    break
                named = movable[-1]
            evs = [e for e in evs if e.item != named]
        out[courier] = evs
    return out


def repair_across_parts(
    problem: Problem,
    engine: Engine,
    routes: Routes,
    able: Mapping[str, tuple[str, ...]],
    *,
    params: SolveParams,
    budget: Budget,
    control: Control,
) -> Routes:
    """Offer every servable item on no route to the whole fleet, in three steps.

    1. insert it where it adds the least distance and breaks no rule
       (:func:`insert_leftovers`);
    2. a fresh search of what is left over the couriers no part used
       (:func:`idle_couriers_take`);
    3. a short search over the couriers able to take what is still left, from
       their current routes (:func:`search_leftovers`).

    Parameters
    ----------
    problem
        The whole day.
    engine
        The engine that solved the parts.
    routes
        Events per courier after the parts.
    able
        Per servable tracking code, the couriers able to serve it alone.
    params, budget, control
        One worker's parameters, the repair's time, progress and cancel.

    Returns
    -------
    dict
        Events per courier; never fewer items served than ``routes``.
    """
    def left_over(rs: Routes) -> list[str]:
        served = {e.item for evs in rs.values() for e in evs if e.action is Action.DELIVERY}
        return [code for code in able if code not in served]

    def time_for(share: float, at_least_s: float = 0.0) -> Budget | None:
        if control.cancelled() or (budget.expired() and not at_least_s):
            return None
        return budget.share(share, at_least_s=at_least_s) if budget.limited else budget

    left = left_over(routes)
    # The insertion pass always gets a moment (a few leftovers take milliseconds): parts
    # that ran late on a busy machine had left it no time at all (0.0 s in every run of the
    # sample day and of the 3,000-request days at a load of 20 or more).
    step = time_for(SHARES.repair_insert, SHARES.min_part_s)
    if left and step is not None:
        routes = insert_leftovers(problem, routes, left, able, step)
        left = left_over(routes)
    step = time_for(SHARES.repair_idle)
    if left and step is not None:
        routes = idle_couriers_take(problem, engine, routes, left, able, params=params,
                                    budget=step, control=control)
        left = left_over(routes)
    step = time_for(1.0)
    if left and step is not None:
        routes = search_leftovers(problem, engine, routes, left, able, params=params,
                                  budget=step, control=control)
    return routes


def insert_leftovers(
    problem: Problem,
    routes: Routes,
    leftovers: Sequence[str],
    able: Mapping[str, tuple[str, ...]],
    budget: Budget,
    *,
    locked: Mapping[str, int] | None = None,
    now_s: int | None = None,
) -> Routes:
    """Insert each leftover item where it adds the least distance and breaks no rule.

    Parameters
    ----------
    problem
        The whole day (every courier of every post office).
    routes
        Events per courier; not changed (a new mapping is returned).
    leftovers
        Tracking codes to insert, most costly to leave first (by penalty).
    able
        Per tracking code, the couriers able to serve it alone.
    budget
        Items not reached when it runs out stay left over.
    locked, now_s
        Per courier, leading events that stay first; insertions start no earlier than ``now_s``.

    Returns
    -------
    dict
        Events per courier, with every item that could be inserted.
    """
    out = {c: list(evs) for c, evs in routes.items()}
    locked = locked or {}
    order = sorted(leftovers, key=lambda code: (-problem.penalty(problem.item(code)), code))
    for code in order:
        if budget.expired():
            break
        best = _best_insertion(problem, out, code, able.get(code, ()), locked=locked,
                               now_s=now_s)
        if best is not None:
            courier, events = best
            out[courier] = events
    return out


def _best_insertion(
    problem: Problem,
    routes: Mapping[str, list[Event]],
    code: str,
    couriers: Sequence[str],
    *,
    locked: Mapping[str, int],
    now_s: int | None,
) -> tuple[str, list[Event]] | None:
    item = problem.item(code)
    pair = ([Event(code, Action.DELIVERY)] if item.on_board is not None
            else [Event(code, Action.PICKUP), Event(code, Action.DELIVERY)])
    candidates: list[tuple[int, str, int, int]] = []
    for courier in couriers:
        evs = routes.get(courier, [])
        own = sorted(_positions(problem, courier, evs, pair, locked.get(courier, 0)))
        candidates.extend((cost, courier, i, j) for cost, i, j in own[:CANDIDATES_PER_COURIER])
    candidates.sort()
    for _, courier, i, j in candidates:
        evs = routes.get(courier, [])
        trial = _inserted(evs, pair, i, j)
        violations = time_route(problem, courier, trial, now_s, locked.get(courier, 0))[1]
        if all(v.kind is ViolationKind.DEADLINE for v in violations):
            return courier, trial
    return None


def _inserted(evs: Sequence[Event], pair: Sequence[Event], i: int, j: int) -> list[Event]:
    if len(pair) == 1:
        return [*evs[:i], pair[0], *evs[i:]]
    return [*evs[:i], pair[0], *evs[i:j], pair[1], *evs[j:]]


def _positions(
    problem: Problem, courier: str, evs: Sequence[Event], pair: Sequence[Event], first: int
) -> list[tuple[int, int, int]]:
    """(added metres, i, j) of every insertion at or after position ``first``."""
    c = problem.courier(courier)
    dist = problem.travel[c.vehicle].distance_m
    idx = problem.site_index
    sites = [idx[c.start_site],
             *(idx[event_site(problem.item(e.item), e.action)] for e in evs),
             idx[c.end_site]]
    ends = [idx[event_site(problem.item(e.item), e.action)] for e in pair]

    def detour(k: int, s: int) -> int:  # insert site s between sites[k] and sites[k + 1]
        return int(dist[sites[k], s] + dist[s, sites[k + 1]] - dist[sites[k], sites[k + 1]])

    n = len(evs)
    out: list[tuple[int, int, int]] = []
    if len(pair) == 1:
        return [(detour(i, ends[0]), i, i) for i in range(first, n + 1)]
    p, d = ends
    for i in range(first, n + 1):
        together = int(dist[sites[i], p] + dist[p, d] + dist[d, sites[i + 1]]
                       - dist[sites[i], sites[i + 1]])
        out.append((together, i, i))
        out.extend((detour(i, p) + detour(j, d), i, j) for j in range(i + 1, n + 1))
    return out


def idle_couriers_take(
    problem: Problem,
    engine: Engine,
    routes: Routes,
    leftovers: Sequence[str],
    able: Mapping[str, tuple[str, ...]],
    *,
    params: SolveParams,
    budget: Budget,
    control: Control | None = None,
) -> Routes:
    """A fresh search of the leftovers over the couriers no part used, wherever they start.

    A dispatcher lends an idle courier of a quiet office before leaving work for
    tomorrow: a small model (idle couriers, leftover items) finds that quickly.
    """
    idle = {c.id for c in problem.couriers if not routes.get(c.id)}
    codes = [code for code in leftovers if idle & set(able.get(code, ()))]
    if not codes:
        return routes
    sub = restrict(problem, idle, set(codes))
    result = engine.run(EngineRequest(problem=sub, items=tuple(codes), params=params,
                                      budget=budget), control=control)
    merged = {c: list(evs) for c, evs in routes.items()}
    merged.update({c: list(evs) for c, evs in result.routes.items() if evs})
    return merged


def search_leftovers(
    problem: Problem,
    engine: Engine,
    routes: Routes,
    leftovers: Sequence[str],
    able: Mapping[str, tuple[str, ...]],
    *,
    params: SolveParams,
    budget: Budget,
    executor: Executor | None = None,
    control: Control | None = None,
) -> Routes:
    """A short search over the couriers who could take the leftovers, from the current routes.

    The couriers able to take a leftover, and those able to take an item now on
    one of their routes, so that the search can move that item away and make
    room (a KT1 dossier only a cleared courier may carry, whose route is taken
    by an ordinary dossier another office's idle courier could carry).
    Returns the search's routes for those couriers (the others unchanged) when
    they serve more items than before, else ``routes`` as they are.
    """
    first = {c for code in leftovers for c in able.get(code, ())}
    movable = {e.item for c in first for e in routes.get(c, ()) if e.action is Action.DELIVERY}
    couriers = sorted(first | {c for code in movable for c in able.get(code, ())})
    if not couriers or not engine.capabilities.initial_plan:
        return routes
    couriers = _nearest_couriers(problem, routes, couriers, leftovers, REPAIR_MODEL_ITEMS)
    keep = set(couriers)
    on_routes = [e.item for c in couriers for e in routes.get(c, []) if e.action is Action.DELIVERY]
    codes = (*on_routes, *leftovers)
    sub = restrict(problem, keep, set(codes))
    request = EngineRequest(
        problem=sub, items=tuple(codes), params=params, budget=budget,
        initial={c: tuple(routes.get(c, ())) for c in couriers},
    )
    result = engine.run(request, executor=executor, control=control)
    if result.objective is None:
        return routes
    before = len(on_routes)
    after = sum(1 for evs in result.routes.values() for e in evs if e.action is Action.DELIVERY)
    if after <= before:
        return routes
    merged = {c: list(evs) for c, evs in routes.items() if c not in keep}
    merged.update({c: list(evs) for c, evs in result.routes.items()})
    return merged


def _nearest_couriers(
    problem: Problem, routes: Routes, couriers: Sequence[str], leftovers: Sequence[str],
    max_items: int,
) -> list[str]:
    """The couriers with a start or stop nearest the leftovers, items at most ``max_items``.

    The leftovers count toward ``max_items``; the nearest courier is always kept.
    Returns ``couriers`` as they are when all of them fit.
    """
    def delivered(c: str) -> int:
        return sum(1 for e in routes.get(c, ()) if e.action is Action.DELIVERY)

    if len(leftovers) + sum(delivered(c) for c in couriers) <= max_items:
        return list(couriers)
    idx = problem.site_index
    left = np.array(sorted({idx[s] for code in leftovers
                            for s in (problem.item(code).pickup_site,
                                      problem.item(code).delivery_site)}), dtype=np.int64)

    def nearness(courier: str) -> tuple[int, str]:
        c = problem.courier(courier)
        own = np.array([idx[c.start_site], *(
            idx[event_site(problem.item(e.item), e.action)] for e in routes.get(courier, ()))],
            dtype=np.int64)
        return int(problem.travel[c.vehicle].distance_m[np.ix_(own, left)].min()), courier

    kept: list[str] = []
    room = max_items - len(leftovers)
    for _, courier in sorted(nearness(c) for c in couriers):
        if kept and delivered(courier) > room:
            continue
        kept.append(courier)
        room -= delivered(courier)
    return sorted(kept)
