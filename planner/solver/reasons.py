"""Why an item is left unserved: computed from the problem, never guessed.

In order: no courier has the skills; the item exceeds the capacity (or cash
limit) of every skilled courier; no skilled courier can serve it inside its
windows even alone (re-timed with :mod:`planner.solver.timing`); every courier
that could serve it alone carries an incompatible class; otherwise the fleet is
full, naming the binding resource (couriers, time or capacity).
"""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence

from planner.domain.fleet import Courier
from planner.domain.items import Item
from planner.plan import Action, Event, Unassigned, UnassignedReason
from planner.problem import Problem
from planner.solver.timing import time_route

#: Routes longer than this are not probed event by event (the probe is quadratic).
MAX_PROBED_EVENTS = 80
#: Re-timed insertions tried per unassigned item: adjacent pickup-delivery pairs first,
#: then the others; keeps the probe bounded on long routes (its verdict says so).
PROBE_BUDGET = 150
#: Wall-clock seconds for probing all the unassigned items of one plan: on a trunk van's
#: long route each re-timed insertion also tries every lunch position (seen: 80 s for
#: one depot's leftovers). Items past the budget keep a fleet-full reason that says so.
PROBE_TIME_S = 3.0


def _alone(item: Item) -> list[Event]:
    if item.on_board is not None:
        return [Event(item.tracking_code, Action.DELIVERY)]
    return [Event(item.tracking_code, Action.PICKUP), Event(item.tracking_code, Action.DELIVERY)]


def _fits(item: Item, c: Courier) -> bool:
    if any(q > cap for q, cap in zip(item.quantity, c.capacity, strict=True)):
        return False
    return c.cash_limit_vnd is None or item.fee_vnd <= c.cash_limit_vnd


def _insertions(events: Sequence[Event], item: Item) -> list[list[Event]]:
    """Every way to insert the item's events into a route (pickup before delivery)."""
    pair = _alone(item)
    n = len(events)
    out = []
    if len(pair) == 1:
        for j in range(n + 1):
            out.append([*events[:j], pair[0], *events[j:]])
        return out
    for i in range(n + 1):
        for j in range(i, n + 1):
            out.append([*events[:i], pair[0], *events[i:j], pair[1], *events[j:]])
    return out


def _gap(events: Sequence[Event], code: str) -> int:
    """Events between the item's pickup and its delivery (0: handed over next)."""
    where = [k for k, e in enumerate(events) if e.item == code]
    return where[-1] - where[0]


def _binding(
    problem: Problem,
    item: Item,
    couriers: list[Courier],
    routes: Mapping[str, Sequence[Event]],
    deadline: float | None = None,
) -> str:
    """The resource that keeps a feasible-alone item out: couriers, capacity or time."""
    idle = [c.id for c in couriers if not routes.get(c.id)]
    if idle:
        return (
            f"couriers: {', '.join(idle[:3])} could serve it alone, but using another "
            "courier costs more than leaving it"
        )
    kinds: set[str] = set()
    candidates: list[tuple[int, str, list[Event]]] = []
    for c in couriers:
        evs = list(routes.get(c.id, ()))
        if len(evs) > MAX_PROBED_EVENTS:
            kinds.add("time")
            continue
        for cand in _insertions(evs, item):
            gap = _gap(cand, item.tracking_code)
            candidates.append((gap, c.id, cand))
    candidates.sort(key=lambda t: t[0])  # stable: courier order, then position
    for _, courier, cand in candidates[:PROBE_BUDGET]:
        if deadline is not None and time.perf_counter() > deadline:
            return ("couriers' capacity or time: not probed further "
                    f"(the {PROBE_TIME_S:g} s budget for reasons ran out)")
        v = {x.kind for x in time_route(problem, courier, cand)[1]}
        if not v:
            return "none found by the probe: the search stopped before inserting it"
        kinds |= v
    if kinds <= {"capacity", "cash"}:
        return "capacity: every courier who could take it is full when passing by"
    return "time: every courier who could take it is busy when it can be served"


def reason_for(
    problem: Problem,
    code: str,
    routes: Mapping[str, Sequence[Event]],
    now_s: int | None = None,
    deadline: float | None = None,
) -> Unassigned:
    """The computed reason why item ``code`` is not on any of ``routes`` (starting at ``now_s``).

    ``deadline`` (``time.perf_counter()``) bounds the fleet-full probe.
    """
    item = problem.item(code)
    skilled = [c for c in problem.couriers if item.required_skills <= c.skills]
    if item.on_board is not None:
        skilled = [c for c in skilled if c.id == item.on_board]
    if not skilled:
        need = ", ".join(sorted(item.required_skills))
        return Unassigned(
            code, UnassignedReason.NO_SKILLED_COURIER, f"no courier has the skill(s) {need}"
        )
    fitting = [c for c in skilled if _fits(item, c)]
    if not fitting:
        return Unassigned(
            code,
            UnassignedReason.OVER_CAPACITY,
            f"quantity {item.quantity} (fee {item.fee_vnd} VND) exceeds every "
            "skilled courier's capacity or cash limit",
        )
    alone = []
    first_problem = ""
    verdict: dict[tuple[object, ...], str] = {}
    for c in fitting:
        key = _signature(c)
        if key not in verdict:
            v = time_route(problem, c.id, _alone(item), not_before_s=now_s)[1]
            v = [x for x in v if x.kind != "deadline"]
            verdict[key] = f"{c.id}: {v[0].message}" if v else ""
        if not verdict[key]:
            alone.append(c)
        elif not first_problem:
            first_problem = verdict[key]
    if not alone:
        return Unassigned(
            code,
            UnassignedReason.OUTSIDE_WINDOWS,
            f"no courier can serve it in time even alone ({first_problem})",
        )
    carried: dict[str, set[str]] = {}
    for o in problem.items:
        if o.on_board is not None:
            carried.setdefault(o.on_board, set()).add(o.item_class)
    compatible = [
        c
        for c in alone
        if not any(problem.rules.incompatible(item.item_class, k) for k in carried.get(c.id, ()))
    ]
    if not compatible:
        return Unassigned(
            code,
            UnassignedReason.INCOMPATIBLE,
            f"every courier who could take it carries a class incompatible "
            f"with '{item.item_class}'",
        )
    return Unassigned(
        code, UnassignedReason.FLEET_FULL, _binding(problem, item, compatible, routes, deadline)
    )


def _signature(c: Courier) -> tuple[object, ...]:
    """What decides whether a courier can serve an item alone (couriers alike share it)."""
    return (
        c.vehicle,
        c.shift,
        c.start_site,
        c.end_site,
        c.lunch,
        c.max_duration_s,
        c.max_distance_m,
        c.skills,
        c.capacity,
        c.cash_limit_vnd,
    )


def split_servable(
    problem: Problem, now_s: int | None = None
) -> tuple[list[Item], list[Unassigned]]:
    """Items some courier can serve alone, and the others with their reasons.

    Items nobody can serve are kept out of the routing model: smaller, and a
    search never stalls on them.
    """
    servable: list[Item] = []
    hopeless: list[Unassigned] = []
    for it in problem.items:
        u = reason_for(problem, it.tracking_code, {}, now_s)
        if u.reason is UnassignedReason.FLEET_FULL:
            servable.append(it)
        else:
            hopeless.append(u)
    return servable, hopeless


def unassigned_reasons(
    problem: Problem, routes: Mapping[str, Sequence[Event]], codes: Sequence[str]
) -> list[Unassigned]:
    """Reasons for every item in ``codes`` (items left off ``routes``)."""
    deadline = time.perf_counter() + PROBE_TIME_S
    return [reason_for(problem, code, routes, deadline=deadline) for code in codes]
