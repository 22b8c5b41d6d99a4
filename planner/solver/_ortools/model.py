"""The OR-Tools routing model of one request: nodes, dimensions, costs, and one search run.

Nodes: one start and one end node per courier, then a pickup and a delivery
node per item (only a delivery node for items already on board, and for items
loaded at the start: see ``loaded_at_start``). Time and
distance transits are registered as matrices per vehicle type; each arc's
time is the item's own hand-over time at the tail, the travel time, and the
head site's ``visit_s`` when the site changes (paid once per visit).

Objective, in milli-VND: penalties of unserved items (disjunctions), then a
fixed cost per used courier (its own plus a weight that makes fewer couriers
preferred over shorter routes), then distance cost per km, a cost per visit
to an agency (``Rules.agency_visit_cost``: one visit per agency and session
is the norm), time per hour and late arrivals after an agency's soft cut-off.

Times inside the model follow check mode's rules (:mod:`planner.solver.check`).
Deadlines are on ``time.monotonic``'s clock, as :class:`planner.solver.budget.Budget`.
"""

from __future__ import annotations

import itertools
import logging
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from ortools.constraint_solver import pywrapcp, routing_enums_pb2
from ortools.util import optional_boolean_pb2

from planner.domain.hours import TimeWindow
from planner.domain.items import Item
from planner.domain.sites import SiteKind
from planner.exceptions import SolverError
from planner.plan import Action, Event
from planner.problem import IntMatrix, Problem
from planner.solver.budget import Budget
from planner.solver.check import (
    allowed_windows,
    cash_delta,
    horizon_s,
    initial_load,
    service_s,
)
from planner.solver.control import Control
from planner.solver.features import loaded_at_start
from planner.solver.params import SolveParams

#: Internal weight (VND) of one used courier, above route costs, below item penalties.
COURIER_WEIGHT_VND = 300_000
#: Wall-clock safety net of runs limited by a solution count only, per solution and 100 nodes
#: (at least ``SAFETY_MIN_S`` for 100 nodes, less for fewer: a model of a few nodes that has
#: no more solutions to find waited 10 s twice): generous, so that a busy machine never cuts
#: a search that is still finding solutions; when it does cut one, a warning says the plan
#: may not repeat.
SAFETY_S_PER_SOLUTION = 1.0
SAFETY_MIN_S = 10.0
#: Nodes removed around a seed node by the close-nodes ruin-and-recreate operators.
CLOSE_NODES_LNS = 10
#: First-solution strategies, one per worker in this order.
STRATEGIES = ("LOCAL_CHEAPEST_INSERTION", "PARALLEL_CHEAPEST_INSERTION")
#: Above this many items a day is large: parallel cheapest insertion considers only
#: each node's ``INSERTION_NEIGHBOURS`` nearest nodes, and it goes first. In full its
#: time grows with the cube of the size (16.6 s on the 400-request hatinh_400, minutes
#: on the 1,000-request quangngai_1000, where a worker ran out of time without a plan);
#: limited, it took 3.8 s and 24-28 s, with 31 and 67 couriers where local cheapest
#: insertion took 2.2 s and 21 s for 32 and 74.
LARGE_DAY_ITEMS = 250
INSERTION_NEIGHBOURS = 100

log = logging.getLogger(__name__)


@dataclass
class _Nodes:
    """Index-based view of the problem for the routing model."""

    site: list[int] = field(default_factory=list)
    event: list[Event | None] = field(default_factory=list)
    service: list[int] = field(default_factory=list)


def _nodes(problem: Problem, items: Sequence[Item], loaded: frozenset[str]) -> _Nodes:
    n = _Nodes()
    si = problem.site_index
    for c in problem.couriers:
        n.site.append(si[c.start_site])
        n.event.append(None)
        n.service.append(0)
    for c in problem.couriers:
        n.site.append(si[c.end_site])
        n.event.append(None)
        n.service.append(0)
    for it in items:
        alone = it.on_board or it.tracking_code in loaded
        actions = (Action.DELIVERY,) if alone else (Action.PICKUP, Action.DELIVERY)
        for a in actions:
            n.site.append(si[it.pickup_site if a is Action.PICKUP else it.delivery_site])
            n.event.append(Event(it.tracking_code, a))
            n.service.append(service_s(it, a))
    return n


def _time_matrix(problem: Problem, n: _Nodes, dur: IntMatrix) -> list[list[int]]:
    """transit(i, j) = service(i) + travel + visit_s(j's site) if the site changes."""
    sites = np.array(n.site)
    visit = np.array([s.visit_s for s in problem.sites], dtype=np.int64)[sites]
    nv = len(problem.couriers)
    visit[: 2 * nv] = 0  # depots: no hand-over visit
    m = dur[np.ix_(sites, sites)] + np.array(n.service, dtype=np.int64)[:, None]
    m = m + np.where(sites[:, None] != sites[None, :], visit[None, :], 0)
    np.fill_diagonal(m, 0)
    return m.tolist()  # type: ignore[no-any-return]


def _visit_starts(problem: Problem, n: _Nodes, nv: int) -> IntMatrix:
    """1 on the arcs that start a visit to an agency (head at an agency, tail elsewhere).

    Depot nodes (the first ``2 * nv``) start no visit. Weighed by
    ``Rules.agency_visit_cost``, consolidating an agency's nodes into one
    visit is cheaper than coming back.
    """
    sites = np.array(n.site)
    agency = np.array([SiteKind(s.kind).is_agency for s in problem.sites], dtype=bool)[sites]
    agency[: 2 * nv] = False
    return (agency[None, :] & (sites[:, None] != sites[None, :])).astype(np.int64)  # type: ignore[no-any-return]


class Model:
    """Builds the routing model once; ``run`` searches and returns events per courier."""

    def __init__(
        self,
        problem: Problem,
        items: Sequence[Item],
        locked: Mapping[str, Sequence[Event]] | None = None,
        now_s: int | None = None,
        *,
        order_seed: int = 0,
        courier_costs: bool = True,
    ) -> None:
        self.p = problem
        self.courier_costs = courier_costs
        #: After :meth:`run`: seconds from its start to its first solution (inf: none).
        self.first_solution_s = float("inf")
        self.fixed_cost: dict[str, int] = {}  # per courier, in the objective's unit
        self.items = tuple(items)
        if order_seed:  # another order of the items: insertion heuristics break ties by it
            perm = np.random.default_rng(order_seed).permutation(len(self.items))
            self.items = tuple(self.items[k] for k in perm)
        self.locked = dict(locked or {})
        self.locked_events = {e for evs in self.locked.values() for e in evs}
        self.now_s = now_s
        self.loaded, self.pinned = (
            loaded_at_start(problem, self.items)
            if not self.locked and now_s is None
            else (frozenset(), frozenset())
        )
        self.n = _nodes(problem, self.items, self.loaded)
        nv = len(problem.couriers)
        self.nv = nv
        starts = list(range(nv))
        ends = list(range(nv, 2 * nv))
        self.manager = pywrapcp.RoutingIndexManager(len(self.n.site), nv, starts, ends)
        self.routing = pywrapcp.RoutingModel(self.manager)
        self.node_of: dict[tuple[str, Action], int] = {
            (e.item, e.action): k for k, e in enumerate(self.n.event) if e is not None
        }
        self._costs()
        self._time()
        self._capacities()
        self._items()
        self._deliveries = [  # whether each delivery is performed, for ``_served_now``
            self.routing.ActiveVar(self.manager.NodeToIndex(k))
            for k, e in enumerate(self.n.event)
            if e is not None and e.action is Action.DELIVERY
        ]

    # -- costs ------------------------------------------------------------------
    def _costs(self) -> None:
        p, r, n = self.p, self.routing, self.n
        sites = np.array(n.site)
        visits = 1000 * p.rules.agency_visit_cost * _visit_starts(p, n, self.nv)
        cache: dict[tuple[str, int], int] = {}
        min_pen = min((p.penalty(it) for it in self.items), default=10 * COURIER_WEIGHT_VND)
        weight = max(1, min(COURIER_WEIGHT_VND, min_pen // 4))
        for v, c in enumerate(p.couriers):
            key = (str(c.vehicle), c.cost_per_km)
            if key not in cache:
                dist = p.travel[c.vehicle].distance_m[np.ix_(sites, sites)]
                arcs = dist * max(c.cost_per_km, 1) + visits
                cache[key] = r.RegisterTransitMatrix(arcs.tolist())
            r.SetArcCostEvaluatorOfVehicle(cache[key], v)
            self.fixed_cost[c.id] = 1000 * (c.fixed_cost + weight)
            if self.courier_costs:
                r.SetFixedCostOfVehicle(self.fixed_cost[c.id], v)

    def _time(self) -> None:  # noqa: PLR0912 - one block per time rule
        p, r, m = self.p, self.routing, self.manager
        cache: dict[str, int] = {}
        evaluators = []
        for c in p.couriers:
            if str(c.vehicle) not in cache:
                mat = _time_matrix(p, self.n, p.travel[c.vehicle].duration_s)
                cache[str(c.vehicle)] = r.RegisterTransitMatrix(mat)
            evaluators.append(cache[str(c.vehicle)])
        horizon = horizon_s(p)
        r.AddDimensionWithVehicleTransits(evaluators, horizon, horizon, False, "time")
        td = r.GetDimensionOrDie("time")
        self.time_dim = td
        solver = r.solver()
        for v, c in enumerate(p.couriers):
            leave = c.shift.start_s if v in self.pinned else c.shift.end_s
            td.CumulVar(r.Start(v)).SetRange(c.shift.start_s, leave)
            td.CumulVar(r.End(v)).SetRange(c.shift.start_s, c.shift.end_s)
            if c.max_duration_s is not None:
                td.SetSpanUpperBoundForVehicle(c.max_duration_s, v)
            if c.cost_per_hour:
                td.SetSpanCostCoefficientForVehicle(max(1, c.cost_per_hour * 1000 // 3600), v)
            if c.lunch is not None:
                latest = min(c.lunch.window.end_s, c.shift.end_s - c.lunch.duration_s)
                brk = solver.FixedDurationIntervalVar(
                    c.lunch.window.start_s,
                    max(latest, c.lunch.window.start_s),
                    c.lunch.duration_s,
                    False,
                    f"lunch {c.id}",
                )
                td.SetBreakIntervalsOfVehicle([brk], v, self.n.service)
        for k, e in enumerate(self.n.event):
            if e is None:
                continue
            idx = m.NodeToIndex(k)
            if e in self.locked_events:
                continue  # done or in progress: its time is history
            wins = allowed_windows(p, p.item(e.item), e.action)
            if self.now_s is not None:
                wins = tuple(
                    TimeWindow(max(w.start_s, self.now_s), w.end_s)
                    for w in wins
                    if w.end_s >= self.now_s
                )
            cumul = td.CumulVar(idx)
            if not wins:
                r.ActiveVar(idx).SetValue(0)
                continue
            cumul.SetRange(wins[0].start_s, wins[-1].end_s)
            for a, b in itertools.pairwise(wins):
                if b.start_s > a.end_s + 1:
                    cumul.RemoveInterval(a.end_s + 1, b.start_s - 1)
            cutoff = p.sites[self.n.site[k]].cutoff_s
            if cutoff is not None and p.rules.late_cutoff_cost_per_min:
                td.SetCumulVarSoftUpperBound(
                    idx, cutoff, max(1, p.rules.late_cutoff_cost_per_min * 1000 // 60)
                )
        for v in range(self.nv):
            r.AddVariableMinimizedByFinalizer(td.CumulVar(r.Start(v)))
            r.AddVariableMinimizedByFinalizer(td.CumulVar(r.End(v)))

    def _capacities(self) -> None:
        p, r, m = self.p, self.routing, self.manager
        loads = [initial_load(p, c.id) for c in p.couriers]
        for d, name in enumerate(p.dimensions):
            demand = [0] * len(self.n.site)
            for k, e in enumerate(self.n.event):
                if e is not None:
                    q = p.item(e.item).quantity[d]
                    demand[k] = q if e.action is Action.PICKUP else -q
            idx = r.RegisterUnaryTransitVector(demand)
            caps = [c.capacity[d] for c in p.couriers]
            r.AddDimensionWithVehicleCapacity(idx, 0, caps, False, f"load {name}")
            dim = r.GetDimensionOrDie(f"load {name}")
            for v in range(self.nv):
                self._start_load(dim, v, loads[v][0][d], caps[v])
        cash = [0] * len(self.n.site)
        for k, e in enumerate(self.n.event):
            if e is not None:
                cash[k] = cash_delta(p.item(e.item), e.action)
        if any(c.cash_limit_vnd is not None for c in p.couriers) and any(cash):
            # Fees and postage in at the citizen's door, a dossier's fee out at its
            # agency (negative transit): the cumul is the cash on board after each stop.
            idx = r.RegisterUnaryTransitVector(cash)
            total = sum(max(0, x) for x in cash) + sum(loads[v][1] for v in range(self.nv))
            caps = [c.cash_limit_vnd if c.cash_limit_vnd is not None else total for c in p.couriers]
            r.AddDimensionWithVehicleCapacity(idx, 0, caps, False, "cash")
            dim = r.GetDimensionOrDie("cash")
            for v in range(self.nv):
                dim.CumulVar(r.Start(v)).SetValue(min(loads[v][1], caps[v]))
        if any(c.max_distance_m is not None for c in p.couriers):
            sites = np.array(self.n.site)
            cache: dict[str, int] = {}
            evaluators = []
            for c in p.couriers:
                if str(c.vehicle) not in cache:
                    mat = p.travel[c.vehicle].distance_m[np.ix_(sites, sites)]
                    cache[str(c.vehicle)] = r.RegisterTransitMatrix(mat.tolist())
                evaluators.append(cache[str(c.vehicle)])
            big = int(max(int(t.distance_m.max()) for t in p.travel.values()) * len(sites) + 1)
            caps = [c.max_distance_m if c.max_distance_m is not None else big for c in p.couriers]
            r.AddDimensionWithVehicleTransitAndCapacity(evaluators, 0, caps, True, "distance")
        del m

    def _start_load(self, dim: pywrapcp.RoutingDimension, v: int, load: int, cap: int) -> None:
        """Set the load courier ``v`` leaves with.

        What is on board; or, when it loads items at the start, whatever it
        delivers of them (start left free, empty at the end).
        """
        r = self.routing
        if v in self.pinned:
            dim.CumulVar(r.Start(v)).SetRange(0, cap)
            dim.CumulVar(r.End(v)).SetValue(0)
        else:
            dim.CumulVar(r.Start(v)).SetValue(load)

    def _items(self) -> None:
        p, r, m = self.p, self.routing, self.manager
        solver = r.solver()
        td = self.time_dim
        classes = sorted({it.item_class for it in self.items})
        type_of = {c: k for k, c in enumerate(classes)}
        has_incompat = any(p.rules.incompatible(a, b) for a in classes for b in classes)
        for it in self.items:
            code = it.tracking_code
            d_idx = m.NodeToIndex(self.node_of[(code, Action.DELIVERY)])
            allowed = [v for v, c in enumerate(p.couriers) if it.required_skills <= c.skills]
            if it.on_board is not None:
                allowed = [v for v in allowed if p.couriers[v].id == it.on_board]
            allowed = [v for v in allowed if not self._blocked(v, it)]
            indices = [d_idx]
            if it.on_board is None and code not in self.loaded:
                p_idx = m.NodeToIndex(self.node_of[(code, Action.PICKUP)])
                indices = [p_idx, d_idx]
                r.AddPickupAndDelivery(p_idx, d_idx)
                solver.Add(r.VehicleVar(p_idx) == r.VehicleVar(d_idx))
                solver.Add(td.CumulVar(p_idx) <= td.CumulVar(d_idx))
            for idx in indices:
                if not allowed:
                    r.VehicleVar(idx).SetValues([-1])
                elif len(allowed) < self.nv:
                    r.VehicleVar(idx).SetValues([-1, *allowed])
                if has_incompat:
                    r.SetVisitType(idx, type_of[it.item_class], r.TYPE_ADDED_TO_VEHICLE)
            r.AddDisjunction(indices, 1000 * p.penalty(it), len(indices))
        for a in classes:
            for b in classes:
                if a < b and p.rules.incompatible(a, b):
                    r.AddHardTypeIncompatibility(type_of[a], type_of[b])

    def _blocked(self, v: int, it: Item) -> bool:
        """Whether courier ``v`` carries an on-board item of a class incompatible with ``it``."""
        if not hasattr(self, "_carried"):
            self._carried: dict[str, set[str]] = {}
            for o in self.p.items:
                if o.on_board is not None:
                    self._carried.setdefault(o.on_board, set()).add(o.item_class)
        carried = self._carried.get(self.p.couriers[v].id, set())
        return any(self.p.rules.incompatible(k, it.item_class) for k in carried)

    # -- search -----------------------------------------------------------------
    def run(
        self,
        params: SolveParams,
        strategy: str = STRATEGIES[0],
        deadline: float | None = None,
        *,
        start: Mapping[str, Sequence[Event]] | None = None,
        stop_after: float | None = None,
        enough_served: int | None = None,
        control: Control | None = None,
        budget: Budget | None = None,
        near_only: bool = False,
    ) -> tuple[dict[str, list[Event]], int | None]:
        """Search (from the routes ``start`` if given); return events per courier and objective.

        ``deadline`` ends the search; ``stop_after`` ends it at the first solution
        found after that time, so a search never stops before it has a plan;
        ``enough_served`` ends it at the first solution serving that many items;
        ``control`` ends it at the first solution after the caller cancelled, and
        hears the share of ``budget`` used at each solution. ``near_only``: the
        cheapest insertions weigh each node's ``INSERTION_NEIGHBOURS`` nearest
        nodes only, as on a large day.
        Deadlines are on ``time.monotonic``'s clock.
        Returns ``({}, None)`` when the search found no plan within its limits.
        """
        sp = self._first_solution(strategy, near_only=near_only)
        sp.local_search_metaheuristic = (
            routing_enums_pb2.LocalSearchMetaheuristic.GUIDED_LOCAL_SEARCH
        )
        # Without this, every candidate move of a route with a lunch break, a span cost or
        # a soft cut-off is scheduled by an LP/CP-SAT model: on the sample day's trunk depot
        # (92 nodes) that made 40 solutions take 57 s instead of 9 s, and at a fixed time the
        # plans were longer (3,342 km against 2,889 km, 353 against 356 legs served). Times
        # are re-computed in check mode by ``solve`` anyway.
        sp.disable_scheduling_beware_this_may_degrade_performance = True
        # Ruin-and-recreate moves: remove a node and its nearest neighbours, re-insert them
        # by cheapest insertion. On nine hard Li & Lim instances at 10 s this took the
        # vehicles over best-known from 1.11 to 0.67 and the distance gap from 12.7 % to
        # 5.5 % (docs/solver.md).
        ops = sp.local_search_operators
        ops.use_local_cheapest_insertion_close_nodes_lns = optional_boolean_pb2.BOOL_TRUE
        ops.use_global_cheapest_insertion_close_nodes_lns = optional_boolean_pb2.BOOL_TRUE
        sp.heuristic_close_nodes_lns_num_nodes = CLOSE_NODES_LNS
        began = time.monotonic()
        if params.time_limit_s is not None:
            left = params.time_limit_s if deadline is None else deadline - time.monotonic()
            sp.time_limit.FromMilliseconds(max(100, int(left * 1000)))
        safety_net = params.solution_limit is not None and params.time_limit_s is None
        if params.solution_limit is not None:
            sp.solution_limit = params.solution_limit
            if safety_net:
                # A safety net only: a search whose neighbourhood holds no other feasible
                # solution would never reach the count.
                nodes = len(self.n.site)
                safety = max(
                    SAFETY_MIN_S * min(1.0, nodes / 100),
                    SAFETY_S_PER_SOLUTION * params.solution_limit * nodes / 100,
                )
                sp.time_limit.FromMilliseconds(int(1000 * safety))
        self.routing.CloseModelWithParameters(sp)
        if self.locked:
            m = self.manager
            locks = [
                [m.NodeToIndex(self.node_of[(e.item, e.action)]) for e in self.locked.get(c.id, ())]
                for c in self.p.couriers
            ]
            if not self.routing.ApplyLocksToAllVehicles(locks, False):
                raise SolverError("the locked stops cannot be kept as they are")
        found = [0]
        first_at = [float("inf")]

        def at_solution() -> None:
            found[0] += 1
            first_at[0] = min(first_at[0], time.monotonic())
            if control is not None and budget is not None:
                control.report(budget.fraction_used(), "search")
            if (
                (stop_after is not None and time.monotonic() >= stop_after)
                or (enough_served is not None and self._served_now() >= enough_served)
                or (control is not None and control.cancelled())
            ):
                self.routing.solver().FinishCurrentSearch()

        self.routing.AddAtSolutionCallback(at_solution)
        initial = None
        if start is not None:
            m = self.manager
            initial = self.routing.ReadAssignmentFromRoutes(
                [
                    [
                        m.NodeToIndex(self.node_of[(e.item, e.action)])
                        for e in start.get(c.id, ())
                        if (e.item, e.action) in self.node_of
                    ]
                    for c in self.p.couriers
                ],
                True,
            )
        if initial is not None:
            sol = self.routing.SolveFromAssignmentWithParameters(initial, sp)
        else:
            sol = self.routing.SolveWithParameters(sp)
        if safety_net and found[0] < (params.solution_limit or 0) and (
            self.routing.status() != routing_enums_pb2.RoutingSearchStatus.ROUTING_SUCCESS
        ):
            log.warning(
                "the search stopped on its %.0f s safety net after %d of %d solutions "
                "(%d couriers, %d items): the same seed may not repeat this plan",
                safety, found[0], params.solution_limit, self.nv, len(self.items),
            )
        self.first_solution_s = first_at[0] - began
        if sol is None:
            return {}, (0 if not self.items else None)
        return self._routes(sol), int(sol.ObjectiveValue())

    def _first_solution(self, strategy: str, *, near_only: bool) -> Any:
        """Default search parameters with the first-solution strategy (near nodes on big days)."""
        sp = pywrapcp.DefaultRoutingSearchParameters()
        sp.first_solution_strategy = getattr(routing_enums_pb2.FirstSolutionStrategy, strategy)
        if near_only or len(self.items) > LARGE_DAY_ITEMS:
            nodes = len(self.n.site)
            insertion = sp.global_cheapest_insertion_first_solution_parameters
            insertion.neighbors_ratio = min(1.0, INSERTION_NEIGHBOURS / nodes)
            insertion.min_neighbors = INSERTION_NEIGHBOURS
            insertion.use_neighbors_ratio_for_initialization = True
        return sp

    def with_courier_costs(self, routes: Mapping[str, Sequence[Event]], cost: int) -> int:
        """``cost`` of a model built without courier costs, plus those of the couriers used."""
        return cost + sum(self.fixed_cost[c] for c, evs in routes.items() if evs)

    def _served_now(self) -> int:
        """Items delivered in the solution the search has just found (inside a callback)."""
        return sum(active.Value() for active in self._deliveries)

    def _routes(self, sol: pywrapcp.Assignment) -> dict[str, list[Event]]:
        r, m = self.routing, self.manager
        out: dict[str, list[Event]] = {}
        for v, c in enumerate(self.p.couriers):
            idx = sol.Value(r.NextVar(r.Start(v)))
            evs: list[Event] = []
            while not r.IsEnd(idx):
                e = self.n.event[m.IndexToNode(idx)]
                if e is not None:
                    evs.append(e)
                idx = sol.Value(r.NextVar(idx))
            loads = [Event(e.item, Action.PICKUP) for e in evs if e.item in self.loaded]
            out[c.id] = loads + evs
        return out
