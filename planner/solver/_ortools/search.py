"""The OR-Tools search: configurations per worker, three phases, fleet minimisation.

One worker runs :func:`search` on one :class:`Job` (plain data: it may run in
another process, on another machine); :func:`best` keeps the best of the
workers' results. The time each phase gets comes from
:data:`planner.solver.budget.SHARES`.
"""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from planner.domain.items import Item
from planner.plan import Action, Event
from planner.problem import Problem
from planner.solver._ortools.model import LARGE_DAY_ITEMS, STRATEGIES, Model
from planner.solver.budget import SHARES, Budget
from planner.solver.control import Control
from planner.solver.params import SolveParams

#: The first-solution strategy that places every item soonest on long routes: the one
#: a slower strategy cut at phase 1's end hands over to (:func:`_fastest_first_plan`).
FASTEST_FIRST_PLAN = "PARALLEL_CHEAPEST_INSERTION"
#: Couriers (fewest deliveries first) whose route the elimination tries to empty per round.
ELIMINATION_VICTIMS = 3

Result = tuple[dict[str, list[Event]], int | None]


@dataclass(frozen=True)
class Config:
    """One worker's search: first-solution strategy and the seed that orders the items."""

    strategy: str
    order_seed: int


def configs(params: SolveParams, items: int, workers: int) -> list[Config]:
    """One configuration per worker: the strategies in turn, then further seeds."""
    strategies = STRATEGIES if items <= LARGE_DAY_ITEMS else STRATEGIES[::-1]
    n = len(strategies)
    return [Config(strategies[k % n], params.seed + k // n) for k in range(workers)]


@dataclass(frozen=True)
class Job:
    """Everything one worker needs, as plain picklable data."""

    problem: Problem
    items: tuple[Item, ...]
    locked: Mapping[str, Sequence[Event]]
    now_s: int | None
    params: SolveParams
    config: Config
    budget: Budget
    control: Control
    initial: Mapping[str, Sequence[Event]] | None = None


def search(job: Job) -> Result:
    """Search with one configuration, in three phases; returns events per courier and objective.

    Phase 1 weighs every courier used (fewer couriers first). Phase 2 empties
    couriers one at a time (``_eliminate``). Guided local search scales its
    penalties with the whole objective, so while courier weights dominate it, the
    search wanders instead of shortening routes (on Li & Lim lc104 it cycled among
    four plans for 7 s). Phase 3 therefore keeps only the couriers still used,
    drops their weights and searches from that plan on distance and time.
    Returns ``({}, None)`` when no plan was found within the limits.
    """
    problem, items, params, cfg = job.problem, job.items, job.params, job.config
    control, now_s = job.control, job.now_s
    if not items:
        return {}, 0
    end = job.budget.deadline
    phase1 = elimination = end
    t0 = time.monotonic()
    if end is not None and not job.locked:
        phase1 = t0 + (end - t0) * SHARES.first_plan
        elimination = t0 + (end - t0) * SHARES.elimination_end
    model = Model(problem, items, job.locked, now_s, order_seed=cfg.order_seed)
    # A large day may need more than phase 1's share for its first plan: phase 1
    # then goes on until that plan exists (at most until the whole deadline; the
    # later phases get what is left, if anything). A strategy other than the
    # fastest gets phase 1's share only; when its first plan took most of it (it was
    # cut there, its plan leaving items out), the fastest strategy makes one too.
    fallback = (end is not None and not job.locked and job.initial is None
                and cfg.strategy != FASTEST_FIRST_PLAN)
    routes, objective = model.run(params, cfg.strategy, phase1 if fallback else end,
                                  stop_after=phase1, start=job.initial, control=control,
                                  budget=job.budget)
    if (fallback and phase1 is not None and not control.cancelled()
            and model.first_solution_s >= SHARES.first_plan_slow * (phase1 - t0)):
        routes, objective = _fastest_first_plan(job, (routes, objective))
    aboard = {it.on_board for it in items if it.on_board is not None}
    if job.locked or objective is None or control.cancelled():
        return routes, objective
    fewer, fewer_objective = _eliminate(
        problem, items, routes, objective,
        now_s=now_s, params=params, cfg=cfg, deadline=elimination, control=control,
    )
    used = [c for c in problem.couriers if fewer.get(c.id) or c.id in aboard]
    if not used or job.budget.expired() or control.cancelled():
        return fewer, fewer_objective
    polish = Model(problem.replace(couriers=used), items, None, now_s,
                   order_seed=cfg.order_seed, courier_costs=False)
    better, cost = polish.run(params, cfg.strategy, end, start=fewer, control=control,
                              budget=job.budget)
    if cost is None or rank((better, 0))[:2] > rank((fewer, 0))[:2]:
        return fewer, fewer_objective  # no plan in time: the eliminated plan as it is
    return better, polish.with_courier_costs(better, cost)


def _fastest_first_plan(job: Job, cut: Result) -> Result:
    """The better of a cut first plan and the fastest strategy's first plan (to the deadline).

    Every rule an insertion is checked against (lunch breaks, agency sessions
    with a hole, courier weights) slows it: on the sample day's provincial
    office (147 items, 7 couriers) local cheapest insertion took 25-40 s of CPU
    for its first plan where parallel cheapest insertion took 6-8 s (0.01-0.1 s
    each on benchmark instances), and cut at its time limit it had placed 50-68
    of 147 items (docs/solver.md, "First plans on province parts").
    """
    model = Model(job.problem, job.items, job.locked, job.now_s, order_seed=job.config.order_seed)
    fast = model.run(job.params, FASTEST_FIRST_PLAN, job.budget.deadline,
                     stop_after=time.monotonic(), control=job.control, budget=job.budget,
                     near_only=True)
    return fast if fast[1] is not None and rank(fast) < rank(cut) else cut


def _eliminate(
    problem: Problem,
    items: Sequence[Item],
    routes: dict[str, list[Event]],
    objective: int,
    *,
    now_s: int | None,
    params: SolveParams,
    cfg: Config,
    deadline: float | None,
    control: Control,
) -> tuple[dict[str, list[Event]], int]:
    """Empty couriers one at a time while every item served stays served.

    A try takes away the courier with the fewest deliveries and searches, from the
    other routes as they are, for a plan that fits its items in as well: the
    disjunction penalties of the items left out guide the search step by step,
    where a weight per courier only pays once a whole route is empty. A round
    tries the ``ELIMINATION_VICTIMS`` smallest routes; a success starts the next
    round with one courier fewer. With a time limit a failed round is repeated
    with tries twice as long until ``deadline``; with a solution limit only, each
    try searches that many solutions and the first failed round ends it, so the
    same seed gives the same plan. Couriers with items on board are never taken away.
    Returns the routes and their objective (``routes, objective`` when no courier
    could be taken away).
    """
    aboard = {it.on_board for it in items if it.on_board is not None}
    end = deadline if params.time_limit_s is not None else None
    slice_s = 0.0 if end is None else (end - time.monotonic()) / SHARES.elimination_slices
    while end is None or time.monotonic() < end:
        if control.cancelled():
            return routes, objective
        used = [c for c in problem.couriers if routes.get(c.id)]
        victims = sorted(
            (c for c in used if c.id not in aboard and len(used) > 1),
            key=lambda c: sum(1 for e in routes[c.id] if e.action is Action.DELIVERY),
        )[:ELIMINATION_VICTIMS]
        need = rank((routes, 0))[0]
        for victim in victims:
            if end is not None and time.monotonic() >= end:
                return routes, objective
            keep = [c for c in problem.couriers
                    if c is not victim and (routes.get(c.id) or c.id in aboard)]
            model = Model(problem.replace(couriers=keep), items, None, now_s,
                           order_seed=cfg.order_seed, courier_costs=False)
            try_end = None if end is None else min(end, time.monotonic() + slice_s)
            start = {c.id: routes[c.id] for c in keep if routes.get(c.id)}
            # A try ends at its first plan that serves them all: the rest of its
            # time goes to the next courier.
            found, cost = model.run(params, cfg.strategy, try_end, start=start,
                                    enough_served=-need, control=control)
            if cost is not None and rank((found, 0))[0] <= need:
                routes = found
                objective = model.with_courier_costs(found, cost)
                break
        else:  # no courier could be taken away this round
            if end is None or not victims:
                return routes, objective
            slice_s *= 2
    return routes, objective


def rank(result: tuple[dict[str, list[Event]], int | None]) -> tuple[int, int, float]:
    """Most items served, then fewest couriers, then the lowest objective."""
    routes, objective = result
    served = sum(1 for evs in routes.values() for e in evs if e.action is Action.DELIVERY)
    used = sum(1 for evs in routes.values() if evs)
    return -served, used, float("inf") if objective is None else objective

