"""The PyVRP engine adapter (PyVRP, MIT): the only module that imports ``pyvrp``.

PyVRP's hybrid genetic search models pickups and deliveries (shipments), one
time window per stop, several depots and vehicle types, capacities in several
dimensions, optional items with a prize and an initial solution. A request with
several windows per stop is relaxed to the hull of its windows; check mode then
finds what the relaxation broke (the portfolio relies on that).

Mapping: one PyVRP location per site; one depot per courier start or end site;
one vehicle type per group of alike couriers; items that need no pickup stop
(:func:`planner.solver.features.loaded_at_start`) are delivery clients, the
others shipments. A site's ``visit_s`` is added to every edge arriving at it
from another site, so it is paid once per visit as in check mode. Costs are in
the OR-Tools model's unit (milli-VND): distance at the courier's cost per km,
a fixed cost per used courier, and an item's penalty as its prize.
"""

from __future__ import annotations

import time
import warnings
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import Executor
from dataclasses import dataclass, field, replace

import numpy as np
import pyvrp
from pyvrp.exceptions import PenaltyBoundWarning
from pyvrp.stop import (
    FirstFeasible,
    MaxIterations,
    MaxRuntime,
    MultipleCriteria,
    StoppingCriterion,
)

from planner.domain.fleet import Courier, VehicleType
from planner.domain.hours import TimeWindow
from planner.domain.items import Item
from planner.plan import Action, Event
from planner.problem import Problem
from planner.solver.budget import SHARES, Budget
from planner.solver.check import allowed_windows, horizon_s, service_s
from planner.solver.control import SILENT, Control
from planner.solver.engine import Capabilities, EngineRequest, EngineResult, Routes
from planner.solver.features import loaded_at_start

#: Weight of one used courier, in average arcs of its vehicle: fewer couriers first.
#: PyVRP 0.14 starts its penalties for lateness, overload and excess distance at
#: 50,000 per unit (the midpoint of its bounds, whatever the costs); a courier
#: weight orders of magnitude above what that makes of a route's violations (as
#: the OR-Tools model's 300,000 VND against 1 VND/km benchmark arcs) kept its
#: search among infeasible plans with a courier fewer: at 5 s on R102, RC106,
#: lr102 and lrc104 a weight of 3,000 average arcs found feasible plans at or near
#: the best-known counts where the OR-Tools weight found none on three of the four.
COURIER_WEIGHT_ARCS = 3_000
#: Iterations of the genetic search per solution of a solution limit: a solution
#: limit makes a run reproducible, and PyVRP counts iterations, not solutions.
ITERATIONS_PER_SOLUTION = 50
#: PyVRP's random number generator takes a 32-bit unsigned seed; ``SolveParams``
#: allows any seed from 0, and the tries at fewer couriers search on the next ones.
_SEEDS = 2**32


@dataclass
class _Index:
    """What each PyVRP client, shipment and vehicle type stands for."""

    clients: list[str] = field(default_factory=list)  # tracking codes, delivery only
    shipments: list[str] = field(default_factory=list)  # tracking codes
    types: list[list[str]] = field(default_factory=list)  # courier ids per vehicle type
    loaded: frozenset[str] = frozenset()


#: What PyVRP's stopping criteria receive as the best cost while no plan is feasible.
_NO_FEASIBLE_PLAN = np.iinfo(np.int64).max


class _Stop(StoppingCriterion):
    """The budget or the solution limit, whichever comes first, and the caller's cancel.

    ``give_up``: a criterion that stops the search early only while it has no
    feasible plan (the caller then tries the other model); ``done``: one that
    stops it early only once it has one (the caller then goes on from it);
    ``better_posted``: asked with the best cost, True when another line posted a
    plan that costs less (the caller then goes on from that plan).
    """

    def __init__(self, inner: StoppingCriterion, control: Control, budget: Budget, *,
                 give_up: StoppingCriterion | None = None,
                 done: StoppingCriterion | None = None,
                 better_posted: Callable[[int], bool] | None = None) -> None:
        self.inner = inner
        self.control = control
        self.budget = budget
        self.give_up = give_up
        self.done = done
        self.better_posted = better_posted

    def __call__(self, best_cost: int) -> bool:
        self.control.report(self.budget.fraction_used(), "search")
        feasible = best_cost < _NO_FEASIBLE_PLAN
        # Every criterion is asked on every call: iteration counters count calls.
        gave_up = self.give_up is not None and bool(self.give_up(best_cost))
        finished = self.done is not None and bool(self.done(best_cost))
        if (gave_up and not feasible) or (finished and feasible):
            return True
        if self.better_posted is not None and self.better_posted(best_cost):
            return True
        return bool(self.inner(best_cost)) or self.control.cancelled()


class PyVrpEngine:
    """PyVRP's iterated local search (see the module docstring)."""

    name = "pyvrp"
    capabilities = Capabilities(multi_depot=True, initial_plan=True)

    def run(
        self, request: EngineRequest, *, executor: Executor | None = None,
        control: Control | None = None,
    ) -> EngineResult:
        """Solve in this process (PyVRP is single-threaded); ``executor`` is not used.

        Up to four searches on one budget (see :class:`~planner.solver.budget.Shares`
        for each share and the measurements behind it):

        1. every item required (PyVRP's search is built for required clients), for
           ``pyvrp_first`` of the time (or of the iterations under a solution limit)
           once it has a plan serving every item;
        2. if it has such a plan and ``request.fewer_couriers``: fewer couriers,
           one at a time. The plan's smallest route is emptied and its items must
           fit into the other routes with no courier more (a hard fleet of one
           less); each try stops at its first complete plan or after ``pyvrp_try``
           of the time left, none is made when the couriers left cannot carry the
           loads (:func:`_loads_fit`), and the first failed try ends the phase (route
           elimination in the spirit of Nagata and Bräysy's route minimisation
           heuristic, 2009, and of PyVRP's own ``minimise_fleet``, which restarts
           from no plan and takes one vehicle type only);
        3. the rest shortens the routes of the smallest fleet found, from its plan
           (without ``fewer_couriers``, the first search goes on to the end instead);
        4. if no plan served every item by ``pyvrp_required`` of the time: the rest
           goes to a search where items are optional with their penalty as prize,
           started from the first search's best routes (a fleet too small for the day).

        With a board (``request.board``, the portfolio's two PyVRP searches): a search
        with ``fewer_couriers`` posts each smaller fleet it finds in step 2; a search
        without looks at the board while it searches, and a posted plan that costs
        less than its best stops it and is searched on from (:mod:`planner.solver.board`).
        """
        del executor
        with warnings.catch_warnings():
            # Penalties at their bound say the fleet cannot serve every item: what give_up
            # handles here, and what check mode cuts back after the search with prizes.
            warnings.simplefilter("ignore", PenaltyBoundWarning)
            return _Search(request, control or SILENT).run()


class _Search:
    """One PyVRP run of the adapter: its budget, iterations and phases (see ``run``)."""

    def __init__(self, request: EngineRequest, control: Control) -> None:
        self.t0 = time.monotonic()
        self.request = request
        self.control = control
        self.budget = request.budget
        self.limit = request.params.solution_limit
        self.seed = request.params.seed
        self.iterations = 0
        self.emptied = 0  # couriers the fleet minimisation spared
        self.phases: list[tuple[str, float]] = []
        # Another line's plans: posted by a search that minimises the fleet, taken by one
        # that only shortens routes (see planner.solver.board).
        board = request.board
        self.reader = None if board is None or request.fewer_couriers else board.reader()
        self.posted: pyvrp.Solution | None = None  # a posted plan better than the best
        self.taken = 0

    def _left(self, share: float = 1.0) -> StoppingCriterion:
        """``share`` of the time and the solutions left, whichever ends first."""
        seconds = self.budget.remaining_s()
        solutions = (None if self.limit is None
                     else self.limit - self.iterations / ITERATIONS_PER_SOLUTION)
        return _criteria(None if seconds is None else share * seconds,
                         None if solutions is None else share * max(solutions, 0.0))

    def _out_of_budget(self) -> bool:
        if self.control.cancelled() or self.budget.expired():
            return True
        return self.limit is not None and (
            self.iterations >= self.limit * ITERATIONS_PER_SOLUTION)

    def _solve(self, data: pyvrp.ProblemData, stop: StoppingCriterion, seed: int,
               initial: pyvrp.Solution | None, phase: str) -> pyvrp.Result:
        result = pyvrp.solve(data, stop, seed=seed % _SEEDS, display=False,
                             initial_solution=initial)
        self.iterations += int(result.num_iterations)
        self.phases.append((phase, round(time.monotonic() - self.t0, 3)))
        return result

    def run(self) -> EngineResult:
        p = self.request.problem
        items = self.request.routed_items()
        data, index = _data(p, items, required=True)
        initial = (None if self.request.initial is None
                   else _solution(data, index, self.request.initial))
        limited = self.budget.limited or self.limit is not None
        give_up = self._left(SHARES.pyvrp_required) if limited else None
        done = (self._left(SHARES.pyvrp_first)
                if limited and self.request.fewer_couriers else None)
        result = self._solve(
            data, _Stop(self._left(), self.control, self.budget, give_up=give_up, done=done,
                        better_posted=self._listen(data, index)), self.seed,
            initial, "pyvrp required")
        data, index, best = self._from_posted(data, index, result.best)
        if best.is_feasible():
            if self.request.fewer_couriers:
                data, index, best = self._fewer_couriers(data, index, best)
            if not self._out_of_budget():
                polished = self._solve(data, _Stop(self._left(), self.control, self.budget),
                                       self.seed, best, "pyvrp shorter routes").best
                if polished.is_feasible() and _cost(data, polished) < _cost(data, best):
                    best = polished
        elif not self.control.cancelled():
            start = _routes(best, index)
            data, index = _data(p, items, required=False)
            best = self._solve(data, _Stop(self._left(), self.control, self.budget),
                               self.seed, _solution(data, index, start),
                               "pyvrp with prizes").best
        feasible = best.is_feasible()
        return EngineResult(
            routes=_routes(best, index),
            objective=_cost(data, best) if feasible else None,
            stats={"iterations": self.iterations, "feasible": int(feasible),
                   "couriers emptied": self.emptied, "plans taken from another line": self.taken},
            phases=tuple(self.phases),
        )

    def _listen(self, data: pyvrp.ProblemData, index: _Index) -> Callable[[int], bool] | None:
        """The stop's ``better_posted``: a plan on the board that costs less than ``best_cost``.

        Keeps that plan in ``self.posted`` for :meth:`_from_posted`. None without a board
        to read (a search that minimises the fleet posts, it does not read).
        """
        reader = self.reader
        if reader is None:
            return None

        def better(best_cost: int) -> bool:
            routes = reader.news()
            if routes is None:
                return False
            posted = _solution(data, index, routes)
            if posted is None or not posted.is_feasible() or _cost(data, posted) >= best_cost:
                return False
            self.posted = posted
            return True

        return better

    def _from_posted(self, data: pyvrp.ProblemData, index: _Index, best: pyvrp.Solution,
                     ) -> tuple[pyvrp.ProblemData, _Index, pyvrp.Solution]:
        """While a posted plan stopped the search: go on from it; the best plan of all.

        The search from a posted plan has the fleet capped at the couriers the plan
        uses (:func:`_capped`), as the search that posted it shortens its routes.
        Costs compare across the capped and the whole request (the same costs,
        only fewer couriers available).
        """
        whole, whole_index = data, index
        while self.posted is not None:
            posted, self.posted = self.posted, None
            self.taken += 1
            capped, capped_index, start = _capped(whole, whole_index, posted)
            if not best.is_feasible() or _cost(capped, start) < _cost(data, best):
                data, index, best = capped, capped_index, start
            if self._out_of_budget():
                break
            found = self._solve(
                capped, _Stop(self._left(), self.control, self.budget,
                              better_posted=self._listen(whole, whole_index)),
                self.seed, start, "pyvrp from another line's plan").best
            if found.is_feasible() and _cost(capped, found) < _cost(data, best):
                data, index, best = capped, capped_index, found
        return data, index, best

    def _fewer_couriers(self, data: pyvrp.ProblemData, index: _Index, best: pyvrp.Solution,
                        ) -> tuple[pyvrp.ProblemData, _Index, pyvrp.Solution]:
        """Empty the smallest route while the others can take its items (see ``run``)."""
        tries = 0
        while best.num_routes() > 1 and not self._out_of_budget():
            fewer, fewer_index, start = _one_route_fewer(data, index, best)
            if not _loads_fit(fewer):
                break  # the couriers left cannot carry what leaves the depot: no try
            tries += 1
            stop = _Stop(MultipleCriteria([FirstFeasible(), self._left(SHARES.pyvrp_try)]),
                         self.control, self.budget)
            found = self._solve(fewer, stop, self.seed + tries, start,
                                "pyvrp one courier fewer").best
            if not found.is_feasible() or found.num_routes() >= best.num_routes():
                break
            self.emptied += best.num_routes() - found.num_routes()
            data, index, best = fewer, fewer_index, found
            if self.request.board is not None:  # for the line that shortens routes
                self.request.board.post(_routes(best, index))
        return data, index, best


def _loads_fit(data: pyvrp.ProblemData) -> bool:
    """Whether the fleet's capacity covers what its clients' deliveries and pickups add up to.

    A necessary condition only (a lower bound on the fleet, as PyVRP's
    ``minimise_fleet`` takes): every delivery client's load leaves the depot on
    some courier and every pickup client's comes back on one, in each dimension.
    Shipments are left out (a shipment's load rides only between its two stops).
    """
    clients = data.clients()
    types = data.vehicle_types()
    for d in range(data.num_load_dimensions):
        room = sum(vt.num_available * vt.capacity[d] for vt in types)
        if (sum(c.delivery[d] for c in clients) > room
                or sum(c.pickup[d] for c in clients) > room):
            return False
    return True


def _cost(data: pyvrp.ProblemData, solution: pyvrp.Solution) -> int:
    """A feasible solution's objective: distance, duration and fixed costs (milli-VND)."""
    return int(pyvrp.CostEvaluator([0.0] * data.num_load_dimensions, 0.0, 0.0).cost(solution))


#: What a route's schedule holds that a route given to PyVRP may hold (no depots).
_VISITS = (pyvrp.ActivityType.CLIENT, pyvrp.ActivityType.PICKUP, pyvrp.ActivityType.DELIVERY)


def _one_route_fewer(data: pyvrp.ProblemData, index: _Index, best: pyvrp.Solution,
                     ) -> tuple[pyvrp.ProblemData, _Index, pyvrp.Solution]:
    """The request with one courier fewer than ``best`` uses, and ``best`` less its smallest route.

    The start leaves the emptied route's items unplanned for the search to insert
    (see :func:`_capped` for the fleet).
    """
    routes = best.routes()
    drop = min(range(len(routes)), key=lambda k: (len(routes[k]), k))
    return _capped(data, index, best, drop=drop)


def _capped(data: pyvrp.ProblemData, index: _Index, solution: pyvrp.Solution, *,
            drop: int | None = None) -> tuple[pyvrp.ProblemData, _Index, pyvrp.Solution]:
    """The request with each vehicle type capped at the couriers ``solution`` uses of it.

    ``drop``: a route of ``solution`` left out, its courier with it (its items
    are then unplanned). Types left with no courier are dropped (PyVRP wants at
    least one vehicle per type), with the index's courier lists to match; the
    solution is rebuilt in the capped request. Capped, PyVRP shortens the routes
    of a fleet better in the same time than with the whole fleet and only the
    courier weight to keep it small: after the 12 tries that emptied a courier
    among 12 shared instances × seeds 0 and 1 (2026-11-30, 6 s each way from the
    same plan and seed), the capped search was shorter in 7, equal in 4 and longer
    in 1 (by 0.01 %), though it ran 1.1-4 times fewer iterations per second.
    """
    routes = solution.routes()
    used = Counter(r.vehicle_type() for r in routes)
    if drop is not None:
        used[routes[drop].vehicle_type()] -= 1
    kept = [t for t in range(data.num_vehicle_types) if used[t] > 0]
    new_type = {t: k for k, t in enumerate(kept)}
    capped = data.replace(vehicle_types=[
        data.vehicle_type(t).replace(num_available=used[t]) for t in kept])
    capped_index = replace(index, types=[index.types[t] for t in kept])
    start = pyvrp.Solution(capped, [
        pyvrp.Route(capped, [pyvrp.Activity(a.type, a.idx) for a in r.schedule()
                             if a.type in _VISITS], new_type[r.vehicle_type()])
        for k, r in enumerate(routes) if k != drop])
    return capped, capped_index, start


def _criteria(seconds: float | None, solutions: float | None) -> StoppingCriterion:
    """Stop after ``seconds`` or the iterations of ``solutions`` solutions, whichever first."""
    criteria: list[StoppingCriterion] = []
    if seconds is not None:
        criteria.append(MaxRuntime(max(0.05, seconds)))
    if solutions is not None:
        criteria.append(MaxIterations(max(1, int(solutions * ITERATIONS_PER_SOLUTION))))
    return MultipleCriteria(criteria) if len(criteria) > 1 else criteria[0]


def _groups(couriers: Sequence[Courier]) -> dict[tuple[object, ...], list[Courier]]:
    """Couriers alike for PyVRP (one vehicle type each group)."""
    out: dict[tuple[object, ...], list[Courier]] = {}
    for c in couriers:
        key = (c.vehicle, c.capacity, c.shift, c.start_site, c.end_site, c.max_duration_s,
               c.max_distance_m, c.fixed_cost, c.cost_per_km, c.cost_per_hour)
        out.setdefault(key, []).append(c)
    return out


def _hull(windows: Sequence[TimeWindow]) -> tuple[int, int]:
    return windows[0].start_s, windows[-1].end_s


def _data(p: Problem, items: Sequence[Item], *,
          required: bool) -> tuple[pyvrp.ProblemData, _Index]:
    """PyVRP's problem data for ``items`` of ``p`` (see the module docstring).

    ``required``: every item must be served (no prize); otherwise each is optional
    with its penalty as prize.
    """
    index = _Index(loaded=loaded_at_start(p, items)[0])
    site = p.site_index
    depot_sites = sorted({site[c.start_site] for c in p.couriers}
                         | {site[c.end_site] for c in p.couriers})
    n = len(p.sites)
    # Depots are locations of their own beside their site's (a copy with no visit time).
    locations = [pyvrp.Location(s.lon, s.lat, name=s.id) for s in p.sites]
    locations += [pyvrp.Location(p.sites[s].lon, p.sites[s].lat, name=f"depot {p.sites[s].id}")
                  for s in depot_sites]
    depot_of = {s: k for k, s in enumerate(depot_sites)}
    horizon = horizon_s(p)
    depots = [pyvrp.Depot(location=n + k, tw_early=0, tw_late=horizon)
              for k in range(len(depot_sites))]
    profiles = sorted({c.vehicle for c in p.couriers})
    profile_of = {v: k for k, v in enumerate(profiles)}
    vehicle_types = []
    arc = {v: float(p.travel[v].distance_m.mean()) for v in profiles}
    for group in _groups(p.couriers).values():
        c = group[0]
        weight = int(COURIER_WEIGHT_ARCS * arc[c.vehicle] * max(c.cost_per_km, 1))
        vehicle_types.append(pyvrp.VehicleType(
            num_available=len(group), capacity=list(c.capacity),
            start_depot=depot_of[site[c.start_site]], end_depot=depot_of[site[c.end_site]],
            fixed_cost=1000 * c.fixed_cost + weight,
            tw_early=c.shift.start_s, tw_late=c.shift.end_s,
            shift_duration=c.max_duration_s if c.max_duration_s is not None else 2**62,
            max_distance=c.max_distance_m if c.max_distance_m is not None else 2**62,
            unit_distance_cost=max(c.cost_per_km, 1),
            unit_duration_cost=c.cost_per_hour * 1000 // 3600,
            profile=profile_of[c.vehicle], name=c.id))
        index.types.append([x.id for x in group])
    clients, shipments = [], []
    for it in items:
        d_tw = allowed_windows(p, it, Action.DELIVERY)
        if not d_tw:
            continue
        prize = 0 if required else 1000 * p.penalty(it)
        if it.tracking_code in index.loaded:
            early, late = _hull(d_tw)
            clients.append(pyvrp.Client(
                location=site[it.delivery_site], delivery=list(it.quantity),
                service_duration=service_s(it, Action.DELIVERY), tw_early=early, tw_late=late,
                prize=prize, required=required, name=it.tracking_code))
            index.clients.append(it.tracking_code)
            continue
        p_tw = allowed_windows(p, it, Action.PICKUP)
        if not p_tw:
            continue
        (pe, pl), (de, dl) = _hull(p_tw), _hull(d_tw)
        shipments.append(pyvrp.Shipment(
            pickup_location=site[it.pickup_site], delivery_location=site[it.delivery_site],
            pickup_tw_early=pe, pickup_tw_late=pl,
            pickup_service_duration=service_s(it, Action.PICKUP),
            delivery_tw_early=de, delivery_tw_late=dl,
            delivery_service_duration=service_s(it, Action.DELIVERY),
            amount=list(it.quantity), prize=prize, required=required, name=it.tracking_code))
        index.shipments.append(it.tracking_code)
    distances, durations = _matrices(p, profiles, depot_sites)
    data = pyvrp.ProblemData(locations=locations, clients=clients, depots=depots,
                             vehicle_types=vehicle_types,
                             distance_matrices=distances,  # type: ignore[arg-type]  # stub
                             duration_matrices=durations,  # type: ignore[arg-type]
                             shipments=shipments)
    return data, index


def _matrices(p: Problem, profiles: Sequence[VehicleType],
              depot_sites: Sequence[int]) -> tuple[list[np.ndarray], list[np.ndarray]]:
    """Per profile: distance, and duration plus the head site's visit time when the site changes.

    Locations are the sites, then one copy per depot site with no visit time
    (as the OR-Tools model's start and end nodes).
    """
    ext = np.array([*range(len(p.sites)), *depot_sites], dtype=np.int64)
    visit = np.array([s.visit_s for s in p.sites], dtype=np.int64)[ext]
    visit[len(p.sites):] = 0
    change = ext[:, None] != ext[None, :]
    distances, durations = [], []
    for v in profiles:
        t = p.travel[v]
        dur = t.duration_s[np.ix_(ext, ext)] + np.where(change, visit[None, :], 0)
        distances.append(np.ascontiguousarray(t.distance_m[np.ix_(ext, ext)], dtype=np.int64))
        durations.append(np.ascontiguousarray(dur, dtype=np.int64))
    return distances, durations


def _routes(solution: pyvrp.Solution, index: _Index) -> Routes:
    """Events per courier from PyVRP's routes (couriers of a vehicle type in order)."""
    free = [list(ids) for ids in index.types]
    out: Routes = {}
    for route in solution.routes():
        courier = free[route.vehicle_type()].pop(0)
        loads: list[Event] = []
        evs: list[Event] = []
        for a in route.schedule():
            kind = a.type
            if kind == pyvrp.ActivityType.CLIENT:
                code = index.clients[a.idx]
                loads.append(Event(code, Action.PICKUP))
                evs.append(Event(code, Action.DELIVERY))
            elif kind == pyvrp.ActivityType.PICKUP:
                evs.append(Event(index.shipments[a.idx], Action.PICKUP))
            elif kind == pyvrp.ActivityType.DELIVERY:
                evs.append(Event(index.shipments[a.idx], Action.DELIVERY))
        out[courier] = loads + evs
    return out


def _solution(data: pyvrp.ProblemData, index: _Index,
              initial: Mapping[str, Sequence[Event]]) -> pyvrp.Solution | None:
    """PyVRP's solution for routes given per courier (items it does not know are left out)."""
    client = {code: k for k, code in enumerate(index.clients)}
    shipment = {code: k for k, code in enumerate(index.shipments)}
    type_of = {c: k for k, ids in enumerate(index.types) for c in ids}
    routes = []
    for courier, events in initial.items():
        acts = []
        for e in events:
            if e.item in client and e.action is Action.DELIVERY:
                acts.append(pyvrp.Activity(pyvrp.ActivityType.CLIENT, client[e.item]))
            elif e.item in shipment:
                kind = (pyvrp.ActivityType.PICKUP if e.action is Action.PICKUP
                        else pyvrp.ActivityType.DELIVERY)
                acts.append(pyvrp.Activity(kind, shipment[e.item]))
        if acts and courier in type_of:
            try:
                routes.append(pyvrp.Route(data, acts, type_of[courier]))
            except (ValueError, RuntimeError, IndexError):
                return None  # e.g. a delivery before its pickup
    try:
        return pyvrp.Solution(data, routes)
    except (ValueError, RuntimeError, IndexError):
        return None  # not a solution PyVRP accepts as a start (e.g. too many of a type)
