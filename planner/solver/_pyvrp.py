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
from collections.abc import Mapping, Sequence
from concurrent.futures import Executor
from dataclasses import dataclass, field

import numpy as np
import pyvrp
from pyvrp.exceptions import PenaltyBoundWarning
from pyvrp.stop import MaxIterations, MaxRuntime, MultipleCriteria, StoppingCriterion

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
#: PyVRP initialises its penalties for lateness and overload from the arc costs;
#: a courier weight orders of magnitude above them (as the OR-Tools model's
#: 300,000 VND against 1 VND/km benchmark arcs) kept its search among infeasible
#: plans with a courier fewer: at 5 s on R102, RC106, lr102 and lrc104 a weight of
#: 3,000 average arcs found feasible plans at or near the best-known counts where
#: the OR-Tools weight found none on three of the four.
COURIER_WEIGHT_ARCS = 3_000
#: Iterations of the genetic search per solution of a solution limit: a solution
#: limit makes a run reproducible, and PyVRP counts iterations, not solutions.
ITERATIONS_PER_SOLUTION = 50


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
    feasible plan (the caller then tries the other model).
    """

    def __init__(self, inner: StoppingCriterion, control: Control, budget: Budget,
                 give_up: StoppingCriterion | None = None) -> None:
        self.inner = inner
        self.control = control
        self.budget = budget
        self.give_up = give_up

    def __call__(self, best_cost: int) -> bool:
        self.control.report(self.budget.fraction_used(), "search")
        if self.give_up is not None and self.give_up(best_cost) and (
                best_cost >= _NO_FEASIBLE_PLAN):
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

        Two searches on one budget: first with every item required (PyVRP's search
        is built for required clients); if it has no plan serving every item by
        :attr:`~planner.solver.budget.Shares.pyvrp_required` of the time (or of the
        iterations under a solution limit), the rest goes to a search where items
        are optional with their penalty as prize, started from the first search's
        best routes (a fleet too small for the day).
        """
        del executor
        with warnings.catch_warnings():
            # Penalties at their bound say the fleet cannot serve every item: what give_up
            # handles here, and what check mode cuts back after the search with prizes.
            warnings.simplefilter("ignore", PenaltyBoundWarning)
            return self._run(request, control or SILENT)

    @staticmethod
    def _run(request: EngineRequest, control: Control) -> EngineResult:
        t0 = time.monotonic()
        p = request.problem
        items = request.routed_items()
        data, index = _data(p, items, required=True)
        initial = None if request.initial is None else _solution(data, index, request.initial)
        budget = request.budget
        limit = request.params.solution_limit
        share = SHARES.pyvrp_required
        left = budget.remaining_s()
        give_up = None if left is None and limit is None else _criteria(
            None if left is None else share * left, None if limit is None else share * limit)
        result = pyvrp.solve(data, _Stop(_criteria(left, limit), control, budget, give_up),
                             seed=request.params.seed, display=False, initial_solution=initial)
        iterations = int(result.num_iterations)
        phases = [("pyvrp required", round(time.monotonic() - t0, 3))]
        if not result.best.is_feasible() and not control.cancelled():
            start = _routes(result.best, index)
            data, index = _data(p, items, required=False)
            left = budget.remaining_s()
            result = pyvrp.solve(
                data, _Stop(_criteria(left, None if limit is None else (1 - share) * limit),
                            control, budget),
                seed=request.params.seed, display=False,
                initial_solution=_solution(data, index, start))
            iterations += int(result.num_iterations)
            phases.append(("pyvrp with prizes", round(time.monotonic() - t0, 3)))
        return EngineResult(
            routes=_routes(result.best, index),
            objective=int(result.cost()) if result.best.is_feasible() else None,
            stats={"iterations": iterations, "feasible": int(result.best.is_feasible())},
            phases=tuple(phases),
        )


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
            routes.append(pyvrp.Route(data, acts, type_of[courier]))
    try:
        return pyvrp.Solution(data, routes)
    except (ValueError, RuntimeError, IndexError):
        return None  # not a solution PyVRP accepts as a start (e.g. too many of a type)
