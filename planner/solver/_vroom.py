"""The VROOM engine adapter (pyvroom, BSD): the only module that imports ``vroom``.

VROOM models pickups and deliveries (shipments), several time windows per stop,
a break per vehicle, skills, several depots and capacities in several
dimensions, and it is fast: seconds where a metaheuristic takes minutes. It
has no cash limit, no incompatible classes, no items on board and no locked
stops; the portfolio uses it exactly where those are absent, and as a first
plan to repair elsewhere.

Mapping: VROOM locations are the problem's sites (matrix indices); a site's
``visit_s`` is VROOM's setup time, paid on arrival from another location, as in
check mode; an item's hand-over time is its service. Items that need no pickup
stop (:func:`planner.solver.features.loaded_at_start`) are delivery jobs, the
others shipments. The lunch break is a VROOM break that starts inside the
lunch window. VROOM always serves as many items as it can first (weighted by
priority), then minimises cost: distance at the courier's cost per km and a
fixed cost per used courier, all in metres (VROOM's costs are 32-bit: costs in
VND would overflow on a province's day).
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Sequence
from concurrent.futures import Executor

import vroom

from planner.domain.fleet import Courier
from planner.domain.hours import TimeWindow
from planner.domain.items import Item
from planner.plan import Action, Event
from planner.problem import Problem
from planner.solver.check import allowed_windows, service_s
from planner.solver.control import SILENT, Control
from planner.solver.engine import Capabilities, EngineRequest, EngineResult, Routes
from planner.solver.features import loaded_at_start

#: VROOM's search depth (its command line's ``-x``, 0..5); 5 is its default and best.
EXPLORATION_LEVEL = 5
#: Time of one exploration level against level 0, in VROOM's constructions (see ``_solve``).
LEVEL_COST = 1.5
#: Weight of one used courier, in average arcs (as the PyVRP adapter, for the same reason).
COURIER_WEIGHT_ARCS = 3_000


class VroomEngine:
    """VROOM's local search (see the module docstring)."""

    name = "vroom"
    capabilities = Capabilities(multiple_windows=True, breaks=True, multi_depot=True,
                                skills=True)

    def run(
        self, request: EngineRequest, *, executor: Executor | None = None,
        control: Control | None = None,
    ) -> EngineResult:
        """Solve on one thread in this process; ``executor`` is not used."""
        del executor
        control = control or SILENT
        t0 = time.monotonic()
        p = request.problem
        items = request.routed_items()
        problem_input, jobs, steps = _input(p, items)
        control.report(0.0, "search")
        solution = _solve(problem_input, request.budget.remaining_s())
        routes = _routes(p, solution, jobs, steps, loaded_at_start(p, items)[0])
        control.report(1.0, "search")
        return EngineResult(
            routes=routes,
            objective=int(solution.summary.cost),
            stats={"unassigned": int(solution.summary.unassigned)},
            phases=(("vroom search", round(time.monotonic() - t0, 3)),),
        )


def _solve(problem_input: vroom.Input, left: float | None) -> vroom.Solution:
    """VROOM's best solution within ``left`` seconds (None: at ``EXPLORATION_LEVEL``).

    VROOM's timeout bounds only its local search: its constructions all run
    first, and their number grows with the exploration level (level 5 took 9 s
    on a 250-request region given 0.5 s, level 0 took 1 s, on a loaded machine).
    With a time limit, level 0 runs first; then the highest level whose
    constructions fit in what is left (level ``x`` costs about ``1.5 (x + 1)``
    times level 0, as measured there) runs too, and the better solution is kept.
    """
    if left is None:
        return problem_input.solve(exploration_level=EXPLORATION_LEVEL, nb_threads=1)
    t0 = time.monotonic()
    deadline = t0 + left
    solution = problem_input.solve(exploration_level=0, nb_threads=1,
                                   timeout=dt.timedelta(seconds=max(0.05, left)))
    took = max(time.monotonic() - t0, 1e-3)
    rest = deadline - time.monotonic()
    level = min(EXPLORATION_LEVEL, int(rest / (LEVEL_COST * took)) - 1)
    if level < 1:
        return solution
    deeper = problem_input.solve(exploration_level=level, nb_threads=1,
                                 timeout=dt.timedelta(seconds=max(0.05, rest)))
    if (int(deeper.summary.unassigned), int(deeper.summary.cost)) < (
            int(solution.summary.unassigned), int(solution.summary.cost)):
        return deeper
    return solution


def _fixed_m(c: Courier, arc_m: float) -> int:
    """A used courier's cost in metres (VROOM's cost unit here: costs are distances).

    Its own fixed cost at its cost per km, plus ``COURIER_WEIGHT_ARCS`` average
    arcs; capped to VROOM's 32-bit costs.
    """
    own = c.fixed_cost * 1000 // max(c.cost_per_km, 1)
    return min(2**31 - 1, int(own + COURIER_WEIGHT_ARCS * arc_m))


def _windows(wins: Sequence[TimeWindow]) -> list[vroom.TimeWindow]:
    return [vroom.TimeWindow(w.start_s, w.end_s) for w in wins]


def _vehicle(k: int, c: Courier, p: Problem, skill_ids: dict[str, int],
             fixed_m: int) -> vroom.Vehicle:
    breaks = []
    if c.lunch is not None:
        latest = min(c.lunch.window.end_s, c.shift.end_s - c.lunch.duration_s)
        if latest >= c.lunch.window.start_s:
            breaks.append(vroom.Break(1, time_windows=[vroom.TimeWindow(
                c.lunch.window.start_s, latest)], service=c.lunch.duration_s))
    return vroom.Vehicle(
        id=k, start=p.site_index[c.start_site], end=p.site_index[c.end_site],
        profile=str(c.vehicle), capacity=list(c.capacity),
        skills={skill_ids[s] for s in c.skills}, time_window=vroom.TimeWindow(
            c.shift.start_s, c.shift.end_s),
        breaks=breaks, costs=vroom.VehicleCosts(fixed=fixed_m),
        max_distance=c.max_distance_m if c.max_distance_m is not None else 4_294_967_295,
    )


def _input(p: Problem, items: Sequence[Item]
           ) -> tuple[vroom.Input, dict[int, str], dict[int, str]]:
    """VROOM's input, and the tracking code of every job id and shipment step id."""
    inp = vroom.Input()
    for v in sorted({c.vehicle for c in p.couriers}):
        t = p.travel[v]
        inp.set_durations_matrix(profile=str(v), matrix_input=t.duration_s)
        inp.set_costs_matrix(profile=str(v), matrix_input=t.distance_m)
        inp.set_distances_matrix(profile=str(v), matrix_input=t.distance_m)
    skills = sorted({s for c in p.couriers for s in c.skills}
                    | {s for it in items for s in it.required_skills})
    skill_ids = {s: k for k, s in enumerate(skills, start=1)}
    arc = {v: float(p.travel[v].distance_m.mean()) for v in p.travel}
    for k, c in enumerate(p.couriers):
        inp.add_vehicle(_vehicle(k, c, p, skill_ids, _fixed_m(c, arc[c.vehicle])))
    loaded = loaded_at_start(p, items)[0]
    top = max((p.penalty(it) for it in items), default=1) or 1
    jobs: dict[int, str] = {}
    steps: dict[int, str] = {}
    visit = [s.visit_s for s in p.sites]
    for n, it in enumerate(items, start=1):
        d_tw = allowed_windows(p, it, Action.DELIVERY)
        need = {skill_ids[s] for s in it.required_skills}
        priority = min(100, round(100 * p.penalty(it) / top))
        d_site = p.site_index[it.delivery_site]
        if it.tracking_code in loaded:
            if d_tw:
                inp.add_job(vroom.Job(
                    id=n, location=d_site, default_setup=visit[d_site],
                    default_service=service_s(it, Action.DELIVERY),
                    delivery=vroom.Amount(list(it.quantity)), skills=need, priority=priority,
                    time_windows=_windows(d_tw)))
                jobs[n] = it.tracking_code
            continue
        p_tw = allowed_windows(p, it, Action.PICKUP)
        if not d_tw or not p_tw:
            continue
        p_site = p.site_index[it.pickup_site]
        inp.add_shipment(
            pickup=vroom.ShipmentStep(id=n, location=p_site, default_setup=visit[p_site],
                                      default_service=service_s(it, Action.PICKUP),
                                      time_windows=_windows(p_tw)),
            delivery=vroom.ShipmentStep(id=n, location=d_site, default_setup=visit[d_site],
                                        default_service=service_s(it, Action.DELIVERY),
                                        time_windows=_windows(d_tw)),
            amount=vroom.Amount(list(it.quantity)), skills=need, priority=priority)
        steps[n] = it.tracking_code
    return inp, jobs, steps


def _routes(p: Problem, solution: object, jobs: dict[int, str], steps: dict[int, str],
            loaded: frozenset[str]) -> Routes:
    """Events per courier from VROOM's route table."""
    table = solution.routes  # type: ignore[attr-defined]
    out: Routes = {}
    for vehicle, rows in table.groupby("vehicle_id", sort=True):
        courier = p.couriers[int(vehicle)].id
        loads: list[Event] = []
        evs: list[Event] = []
        for kind, ident in zip(rows["type"], rows["id"], strict=True):
            if kind == "job":
                code = jobs[int(ident)]
                if code in loaded:
                    loads.append(Event(code, Action.PICKUP))
                evs.append(Event(code, Action.DELIVERY))
            elif kind in ("pickup", "delivery"):
                action = Action.PICKUP if kind == "pickup" else Action.DELIVERY
                evs.append(Event(steps[int(ident)], action))
        if evs:
            out[courier] = loads + evs
    return out
