"""What a request needs an engine to model, and shapes of items every engine shares.

:func:`needs` lists the features a request uses (several windows per stop,
lunch breaks, skills, cash limits, incompatible classes, items on board,
locked stops, an initial plan, several depots) as
:class:`planner.solver.engine.Capabilities`; an engine models the request
exactly when its own capabilities cover them. :func:`loaded_at_start` finds
the items that need no pickup stop (Solomon's customers, loaded at the depot
when it opens), which every adapter models the same way.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence

import numpy as np

from planner.domain.items import Item
from planner.plan import Action, Event
from planner.problem import Problem
from planner.solver.check import allowed_windows, cash_delta, horizon_s
from planner.solver.engine import Capabilities


def needs(
    problem: Problem,
    items: Sequence[Item],
    *,
    locked: Mapping[str, Sequence[Event]] | None = None,
    initial: Mapping[str, Sequence[Event]] | None = None,
) -> Capabilities:
    """The features routing ``items`` of ``problem`` uses, as capabilities an engine must have.

    Examples
    --------
    >>> import datetime as dt
    >>> from planner.problem import ProblemBuilder
    >>> needs(ProblemBuilder(dt.date(2026, 11, 23)).build(), []) == Capabilities()
    True
    """
    loaded, _ = loaded_at_start(problem, items)
    windows = any(
        len(allowed_windows(problem, it, a)) > 1
        for it in items
        for a in (Action.PICKUP, Action.DELIVERY)
        if not (a is Action.PICKUP and (it.on_board or it.tracking_code in loaded))
    )
    couriers = problem.couriers
    skills = any(not all(it.required_skills <= c.skills for c in couriers) for it in items)
    cash = any(c.cash_limit_vnd is not None for c in couriers) and any(
        cash_delta(it, a) for it in items for a in (Action.PICKUP, Action.DELIVERY))
    classes = {it.item_class for it in items}
    incompatible = any(problem.rules.incompatible(a, b)
                       for a, b in itertools.combinations_with_replacement(sorted(classes), 2))
    return Capabilities(
        multiple_windows=windows,
        breaks=any(c.lunch is not None for c in couriers),
        locked_stops=bool(locked),
        incompatible_classes=incompatible,
        cash_limits=cash,
        initial_plan=initial is not None,
        multi_depot=len({c.start_site for c in couriers} | {c.end_site for c in couriers}) > 1,
        skills=skills,
        items_on_board=any(it.on_board is not None for it in items),
    )


def loaded_at_start(
    problem: Problem, items: Sequence[Item]
) -> tuple[frozenset[str], frozenset[int]]:
    """Items whose pickup can only be "loaded as the courier leaves", and those couriers.

    An item qualifies when every courier with its skills starts at its pickup
    site, carries nothing yet, has no span cost or limit (so leaving at the shift
    start and waiting loses nothing), and can only load it then: a pickup window
    holds the shift start, none is still open when the courier could be back
    from any other site, and loading takes no hand-over time and no cash. Such
    an item needs no pickup node: its delivery node alone, with the courier's
    start load left free and its end load fixed to zero, is the same problem
    with fewer nodes and no pickup-and-delivery pair (Solomon's customers, all
    loaded at the depot when it opens, are the plain case). Returns the tracking
    codes and the couriers whose start is pinned to their shift start.
    """
    carrying = {it.on_board for it in problem.items if it.on_board is not None}
    back_by: dict[int, int] = {}  # courier -> earliest time it could be back at its start
    for v, c in enumerate(problem.couriers):
        if c.max_duration_s is None and not c.cost_per_hour and c.id not in carrying:
            k = problem.site_index[c.start_site]
            dur = problem.travel[c.vehicle].duration_s
            others = np.arange(len(problem.sites)) != k
            trip = dur[k, others] + dur[others, k]
            back_by[v] = c.shift.start_s + (int(trip.min()) if trip.size else horizon_s(problem))
    loaded: set[str] = set()
    pinned: set[int] = set()
    for it in items:
        if it.on_board is not None or it.pickup_service_s or cash_delta(it, Action.PICKUP):
            continue
        allowed = [v for v, c in enumerate(problem.couriers) if it.required_skills <= c.skills]
        wins = allowed_windows(problem, it, Action.PICKUP)
        if allowed and all(
            v in back_by
            and problem.couriers[v].start_site == it.pickup_site
            and any(w.start_s <= problem.couriers[v].shift.start_s <= w.end_s for w in wins)
            and all(w.end_s < back_by[v] for w in wins)
            for v in allowed
        ):
            loaded.add(it.tracking_code)
            pinned.update(allowed)
    return frozenset(loaded), frozenset(pinned)


