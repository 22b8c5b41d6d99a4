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

import numpy as np

from planner.domain.fleet import Courier
from planner.domain.items import Item
from planner.problem import IntMatrix, Problem, Travel


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
    # The round trip depends only on a courier's vehicle, start and end: per set of able
    # couriers, the first courier by id of each such kind (360 couriers, one kind, on a
    # 3,000-request day).
    trips: dict[tuple[str, ...], list[Courier]] = {}
    for it in items:
        if it.on_board is not None:
            given[problem.courier(it.on_board).start_site].append(it.tracking_code)
            continue
        ids = able.get(it.tracking_code, ())
        if ids not in trips:
            pool = [problem.courier(c) for c in ids] or list(problem.couriers)
            firsts: dict[tuple[object, ...], Courier] = {}
            for c in sorted(pool, key=lambda c: c.id):
                firsts.setdefault((c.vehicle, c.start_site, c.end_site), c)
            trips[ids] = list(firsts.values())
        best = min(trips[ids], key=lambda c: (round_trip_s(problem, c, it), c.id))
        given[best.start_site].append(it.tracking_code)
    return [Part(d, tuple(c.id for c in cs), tuple(given[d])) for d, cs in by_depot.items()]


def restrict(problem: Problem, couriers: set[str], codes: set[str]) -> Problem:
    """The problem with only these couriers and items (and what those couriers carry).

    Only the sites they use stay, with their rows and columns of the travel
    matrices: a part of a 3,000-request day (6,001 sites, two 288 MB matrices)
    then travels to its worker process as a few MB instead of 576 MB, and its
    model never sees a site it cannot visit.
    """
    kept_couriers = [c for c in problem.couriers if c.id in couriers]
    items = [it for it in problem.items
             if it.tracking_code in codes or (it.on_board is not None and it.on_board in couriers)]
    used = ({c.start_site for c in kept_couriers} | {c.end_site for c in kept_couriers}
            | {it.pickup_site for it in items} | {it.delivery_site for it in items})
    if len(used) == len(problem.sites):
        return problem.replace(couriers=kept_couriers, items=items)
    sites = [s for s in problem.sites if s.id in used]
    keep = np.array([problem.site_index[s.id] for s in sites], dtype=np.int64)
    cut = np.ix_(keep, keep)
    travel = {v: Travel(np.ascontiguousarray(t.distance_m[cut]),
                        np.ascontiguousarray(t.duration_s[cut]))
              for v, t in problem.travel.items()}
    return problem.replace(sites=sites, couriers=kept_couriers, items=items, travel=travel)


#: Without a time limit (runs bounded by a solution count), a post office's part with more
#: items than this is split by geography into regions of at most ``REGION_ITEMS``.
SPLIT_ABOVE_ITEMS = 1_000
REGION_ITEMS = 750
#: Seconds one OR-Tools model takes for its first plan, per (items / 1,000) squared, on this
#: 2-core machine unloaded: quangngai_1000 24-28 s, hatinh_400 3.8 s (0.16 x 25 = 4.0); on
#: regions of the generated 3,000-request Thanh Hóa day, under a load of 10, 1.2 s at 250
#: items, 5.1 s at 375, 8.9 s at 500, none within 18 s at 750 (docs/solver.md).
FIRST_PLAN_S_PER_1000_SQUARED = 25.0
#: A part stays one model while its first plan takes at most this share of the search: one
#: model of quangngai_1000 at 60 s (first plan 24-28 s of 57) used 67 couriers, four regions
#: of it 79.
WHOLE_FIRST_PLAN_SHARE = 0.5
#: A region's first plan may take at most this share of the search time it gets: a region
#: without a first plan loses all its items, the search's first phase ends at
#: ``SHARES.first_plan`` (30 %) of its time when a plan exists, and a busy machine takes
#: twice as long or more.
REGION_FIRST_PLAN_SHARE = 0.25
#: A part this small is never split (its first plan takes about a second).
MIN_REGION_ITEMS = 250


def first_plan_s(items: int) -> float:
    """Estimated seconds of one OR-Tools model's first plan (``FIRST_PLAN_S_PER_1000_SQUARED``)."""
    return FIRST_PLAN_S_PER_1000_SQUARED * (items / 1000) ** 2


def region_items(total_items: int, seconds: float | None, workers: int) -> int:
    """The most items one model of a split day gets: the day's own size if it stays whole.

    The day stays one model while its first plan (:func:`first_plan_s`) takes
    at most ``WHOLE_FIRST_PLAN_SHARE`` of ``seconds``. Otherwise its parts share
    ``workers`` cores for ``seconds``, each in proportion to its items, so a
    region of ``n`` of the day's ``total_items`` gets ``workers * seconds * n /
    total_items`` core-seconds; the largest ``n`` whose first plan takes at most
    ``REGION_FIRST_PLAN_SHARE`` of that is returned (at least
    ``MIN_REGION_ITEMS``). Without a time limit: ``REGION_ITEMS`` above
    ``SPLIT_ABOVE_ITEMS`` items, else no split.

    Examples
    --------
    >>> region_items(3000, 57.0, 2)  # a 3,000-request day, 60 s on 2 cores
    380
    >>> region_items(1000, 57.0, 1)  # a 1,000-request day at 60 s stays one model
    1000
    """
    if seconds is None:
        return REGION_ITEMS if total_items > SPLIT_ABOVE_ITEMS else max(total_items, 1)
    if first_plan_s(total_items) <= WHOLE_FIRST_PLAN_SHARE * seconds:
        return max(total_items, 1)
    n = (REGION_FIRST_PLAN_SHARE * max(workers, 1) * seconds * 1e6
         / (FIRST_PLAN_S_PER_1000_SQUARED * max(total_items, 1)))
    return max(MIN_REGION_ITEMS, int(n))


def part_ends(sizes: list[int], workers: int) -> list[float]:
    """When each part's search must end, as fractions of the split day's search time.

    Parts run in this order, each on the first of ``workers`` cores to come
    free, as a process pool runs them. Each part is planned core-time in
    proportion to its items; the schedule of those durations (largest first,
    on the core free soonest) is scaled so that its last part ends at 1. A part
    searches until its own end, however late it started: one that started
    early gets the slack, and the parts after a long one keep theirs.
    (Shares of the time left when a part started assumed parts start in
    waves; a part starting while another core was still busy took the time
    the later parts needed: on a generated Sơn La day, 13 parts at 30 s on two
    workers, the last five got 0.5 s each and left about 100 of 510 legs.)

    Examples
    --------
    >>> part_ends([750, 750, 750, 750], 2)
    [0.5, 0.5, 1.0, 1.0]
    >>> part_ends([30, 10], 1)
    [0.75, 1.0]
    >>> [round(e, 3) for e in part_ends([60, 20, 20], 2)]
    [1.0, 0.333, 0.667]
    """
    w = max(1, workers)
    total = max(1, sum(sizes))
    free = [0.0] * w
    ends = []
    for n in sizes:
        core = min(range(w), key=lambda c: (free[c], c))
        free[core] += n / total
        ends.append(free[core])
    span = max(ends, default=1.0) or 1.0
    return [e / span for e in ends]


def geographic_parts(problem: Problem, part: Part, max_items: int = REGION_ITEMS
                     ) -> list[Part]:
    """Split a part of more than ``max_items`` items into regions of at most ``max_items``.

    Regions grow around centres chosen far apart (farthest-first over the travel
    distances, so no coordinates are needed); each item joins the centre nearest
    its pickup and delivery with room left, items with the most to lose first.
    Couriers are shared out in proportion to the items, at least one a region.
    Items on board stay with their courier's region.

    Returns
    -------
    list of Part
        ``[part]`` when it is small enough or has too few couriers to share.
    """
    k = -(-len(part.items) // max_items)
    if k <= 1 or len(part.couriers) < k:
        return [part]
    items = [problem.item(c) for c in part.items]
    courier0 = problem.courier(part.couriers[0])
    dist = problem.travel[courier0.vehicle].distance_m
    idx = problem.site_index
    ends = [(idx[it.pickup_site], idx[it.delivery_site]) for it in items]
    centres = _far_apart(dist, sorted({s for pair in ends for s in pair}),
                         idx[courier0.start_site], k)
    cost = [[int(dist[c, a] + dist[c, b]) for c in centres] for a, b in ends]
    room = [-(-len(items) // k)] * k
    region: list[int] = [0] * len(items)
    order = sorted(range(len(items)), key=lambda i: -_regret(cost[i]))
    for i in order:
        best = min((r for r in range(k) if room[r] > 0), key=lambda r: cost[i][r])
        region[i] = best
        room[best] -= 1
    return _shared_out(part, items, region, k)


def _far_apart(d: IntMatrix, sites: list[int], depot: int, k: int) -> list[int]:
    """``k`` sites chosen farthest-first, starting from the one farthest from the depot."""
    chosen = [max(sites, key=lambda s: (int(d[depot, s]), s))]
    near = d[chosen[0], sites].astype(np.int64)
    while len(chosen) < k:
        nxt = sites[int(np.argmax(near))]
        chosen.append(nxt)
        near = np.minimum(near, d[nxt, sites])
    return chosen


def _regret(costs: list[int]) -> int:
    ranked = sorted(costs)
    return ranked[1] - ranked[0] if len(ranked) > 1 else 0


def _shared_out(part: Part, items: list[Item], region: list[int], k: int) -> list[Part]:
    sizes = [region.count(r) for r in range(k)]
    couriers = list(part.couriers)
    share = [max(1, round(len(couriers) * s / len(items))) for s in sizes]
    while sum(share) > len(couriers):
        share[share.index(max(share))] -= 1
    while sum(share) < len(couriers):
        share[sizes.index(max(sizes))] += 1
    aboard = {it.on_board for it in items if it.on_board is not None}
    free = [c for c in couriers if c not in aboard]
    given: list[list[str]] = [[] for _ in range(k)]
    for it, r in zip(items, region, strict=True):  # a courier carrying items joins their region
        if it.on_board is not None and it.on_board not in given[r]:
            given[r].append(it.on_board)
    for r in range(k):
        while len(given[r]) < share[r] and free:
            given[r].append(free.pop(0))
    given[-1].extend(free)
    staffed = [r for r in range(k) if given[r]]
    codes: dict[int, list[str]] = {r: [] for r in staffed}
    for it, r in zip(items, region, strict=True):  # a region nobody staffs joins the first
        codes[r if r in codes else staffed[0]].append(it.tracking_code)
    return [Part(part.depot if n == 0 else f"{part.depot} region {n + 1}", tuple(given[r]),
                 tuple(codes[r])) for n, r in enumerate(staffed)]
