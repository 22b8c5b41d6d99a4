"""Split a multi-depot day into parts, one per post office, by what each courier can serve.

A provincial day has a dozen post offices, each with its own couriers and
territory. One routing model of the whole province makes insertion heuristics
quadratic in its size; one model per post office keeps each small (tens of
items), lets the parts run in parallel, and matches how post offices work.

An item goes to a post office only if one of its couriers can serve it alone
(shift, windows, lunch, capacity in every dimension, cash limit, skills,
classes on board: :func:`planner.solver.reasons.feasibility`), and among those
to the one whose able courier has the shortest round trip start → pickup →
delivery → end. Distance alone would give a 08:00-10:00 pickup to an office
whose only courier starts at 13:00. Whatever a part leaves unserved is offered
to the whole fleet afterwards (:mod:`planner.solver.repair`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from planner.domain.fleet import Courier
from planner.domain.items import Item
from planner.problem import Problem


@dataclass(frozen=True)
class Part:
    """The couriers starting at one post office and the items given to them."""

    depot: str
    couriers: tuple[str, ...]
    items: tuple[str, ...]


def round_trip_s(problem: Problem, courier: Courier, item: Item) -> int:
    """Seconds of start → pickup → delivery → end for ``courier`` serving ``item`` alone."""
    d, a, b = courier.start_site, item.pickup_site, item.delivery_site
    v = courier.vehicle
    if item.on_board is not None:
        return problem.travel_s(v, d, b) + problem.travel_s(v, b, courier.end_site)
    return (problem.travel_s(v, d, a) + problem.travel_s(v, a, b)
            + problem.travel_s(v, b, courier.end_site))


def depot_parts(
    problem: Problem, items: tuple[Item, ...], able: Mapping[str, tuple[str, ...]]
) -> list[Part]:
    """One part per start depot, each item with the nearest depot that has an able courier.

    Parameters
    ----------
    problem
        The day.
    items
        The items to share out (those some courier can serve).
    able
        Per tracking code, the couriers able to serve it alone
        (:func:`planner.solver.reasons.split_servable`).

    Returns
    -------
    list of Part
        In the order the depots first appear among the couriers; a part may have no items.
    """
    by_depot: dict[str, list[Courier]] = {}
    for c in problem.couriers:
        by_depot.setdefault(c.start_site, []).append(c)
    given: dict[str, list[str]] = {d: [] for d in by_depot}
    for it in items:
        if it.on_board is not None:
            given[problem.courier(it.on_board).start_site].append(it.tracking_code)
            continue
        couriers = [problem.courier(c) for c in able.get(it.tracking_code, ())]
        pool = couriers or list(problem.couriers)
        best = min(pool, key=lambda c: (round_trip_s(problem, c, it), c.id))
        given[best.start_site].append(it.tracking_code)
    return [Part(d, tuple(c.id for c in cs), tuple(given[d])) for d, cs in by_depot.items()]


def restrict(problem: Problem, couriers: set[str], codes: set[str]) -> Problem:
    """The problem with only these couriers and items (and what those couriers carry)."""
    return problem.replace(
        couriers=[c for c in problem.couriers if c.id in couriers],
        items=[it for it in problem.items
               if it.tracking_code in codes
               or (it.on_board is not None and it.on_board in couriers)],
    )
