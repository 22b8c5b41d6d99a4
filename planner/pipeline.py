"""The dispatcher's day: orders and geography in; a plan, route sheets, maps and a backlog out.

Two steps, as the service and the scenarios need them apart:

* :func:`plan_day` computes the day in memory: today's legs of every open
  order (``journeys``) → the day's Problem with travel matrices (road network
  or straight-line) → :func:`planner.solver.solve` → what carries over
  (``backlog``). Progress goes to a plain callback; one :class:`Budget` covers
  the whole request, matrices included.
* :func:`publish` writes every output and ``backlog.json`` into a staging
  directory and swaps it into place only when everything succeeded, so a
  failed run never leaves a half-written output directory.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from concurrent.futures import Executor
from dataclasses import dataclass, field, replace
from importlib import metadata
from pathlib import Path
from typing import Any

from geodata import RoadNetwork, roads_layer, route_geometry
from planner.backlog import Backlog, write_backlog
from planner.calendar import WorkingCalendar, calendar_to_dict
from planner.domain.fleet import Courier, VehicleType
from planner.domain.orders import Order
from planner.domain.outcomes import Outcome
from planner.domain.sites import Site
from planner.exceptions import InputError, InputErrors
from planner.journeys import DayWork, carry_over, todays_work
from planner.kpis import Kpis, compute_kpis
from planner.outcomes import AppliedOutcomes, apply_outcomes
from planner.output import Geography, OutputFiles
from planner.output.i18n import check_lang
from planner.output.publish import make_staging, out_path, remove_staging, swap_in
from planner.output.write import render_outputs
from planner.plan import Plan, Route
from planner.problem import Problem, ProblemBuilder, Rules, Travel
from planner.service_times import ServiceTimes, service_times_to_dict
from planner.solver import Budget, CancelToken, Control, ProgressFn, SolveParams, solve
from planner.solver.engine import DEFAULT_ENGINE
from planner.travel import road_travel, straight_travel

#: KT1 confidential mail may not share a vehicle with ordinary loads (DOMAIN.md 7, 8.17).
DEFAULT_RULES = Rules(incompatible_classes=frozenset({frozenset({"KT1", ""})}))

BACKLOG_FILE = "backlog.json"


@dataclass(frozen=True)
class DayInput:
    """Everything a day's planning needs; built from files (``planner plan``) or the sample.

    ``network`` None: straight-line travel (haversine × detour). ``territories``:
    commune polygons with a ``home_post_office`` column, for the maps only.
    """

    date: dt.date
    sites: tuple[Site, ...]
    couriers: tuple[Courier, ...]
    orders: tuple[Order, ...]
    backlog: Backlog | None = None
    network: RoadNetwork | None = None
    province: str = ""
    territories: Any = None
    generated_roads: bool = False
    calendar: WorkingCalendar = field(default_factory=WorkingCalendar)
    service_times: ServiceTimes = field(default_factory=ServiceTimes)
    rules: Rules = DEFAULT_RULES


@dataclass(frozen=True)
class DayResult:
    """A planned day, in memory: the inputs as planned, the problem, the plan, what carries over.

    ``day`` has its sites completed from the service-time rules; ``kpis`` are the
    day's figures (orders end to end, time split, cost), as ``kpis.json`` gives them.
    """

    day: DayInput
    problem: Problem
    plan: Plan
    work: DayWork
    backlog: Backlog
    kpis: Kpis


@dataclass(frozen=True)
class DayOutcome:
    """A published day: the result and the files (paths inside the output directory)."""

    result: DayResult
    files: OutputFiles
    backlog_path: Path

    @property
    def problem(self) -> Problem:
        """The day's problem."""
        return self.result.problem

    @property
    def plan(self) -> Plan:
        """The day's plan."""
        return self.result.plan

    @property
    def work(self) -> DayWork:
        """The day's legs."""
        return self.result.work

    @property
    def backlog(self) -> Backlog:
        """What carries over to the next working day."""
        return self.result.backlog


def check_references(day: DayInput) -> None:
    """Report every order or courier that names a site the sites list does not have.

    Raises
    ------
    InputErrors
        One error per bad reference, naming the order or courier and the field.
    """
    known = {s.id for s in day.sites}
    errors = [
        InputError(f"unknown site '{getattr(o, f)}'", source="orders", row=o.tracking_code,
                   field=f)
        for o in day.orders
        for f in ("origin", "destination")
        if getattr(o, f) not in known
    ]
    errors += [
        InputError(f"unknown site '{getattr(c, f)}'", source="fleet", row=c.id, field=f)
        for c in day.couriers
        for f in ("start_site", "end_site")
        if getattr(c, f) not in known
    ]
    if errors:
        raise InputErrors(errors)


def prepare_day(day: DayInput) -> tuple[DayInput, DayWork]:
    """Check references, give sites their service times and the day's hours, cut today's legs.

    Agencies get the day's opening from the calendar (Saturday mornings where
    they open then, closed where they do not). Returns the day with its sites
    completed from the service-time rules, and
    the day's work (one leg per open order that can move today).
    """
    check_references(day)
    by_id: Mapping[str, Site] = {
        s.id: replace(_with_service_times(s, day.service_times),
                      opening=day.calendar.agency_hours(s, day.date))
        for s in day.sites}
    day = replace(day, sites=tuple(by_id.values()))
    work = todays_work(day.date, day.orders, day.backlog, by_id, calendar=day.calendar,
                       service_times=day.service_times)
    return day, work


def build_problem(
    day: DayInput,
    work: DayWork,
    *,
    cache_dir: Path | None = None,
    progress: ProgressFn | None = None,
) -> Problem:
    """The day's Problem: the sites today's legs and couriers use, with travel per vehicle type.

    ``progress(fraction, phase)`` hears ``"matrix <vehicle>"`` before each
    vehicle type's matrices (the slow step on a road network).
    """
    used = {c.start_site for c in day.couriers} | {c.end_site for c in day.couriers}
    used |= {it.pickup_site for it in work.items} | {it.delivery_site for it in work.items}
    # the day's sites and those only the backlog names (yesterday's citizens)
    known = {**work.sites, **{s.id: s for s in day.sites}}
    sites = [s for sid, s in known.items() if sid in used]
    b = ProblemBuilder(day.date)
    b.rules = day.rules
    b.add_sites(sites)
    b.add_couriers(day.couriers)
    b.add_items(work.items)
    for vehicle in sorted({c.vehicle for c in day.couriers}):
        if progress is not None:
            progress(0.0, f"matrix {vehicle}")
        b.set_travel(vehicle, _travel(day.network, sites, vehicle, cache_dir))
    return b.build()


def _travel(
    network: RoadNetwork | None, sites: list[Site], vehicle: VehicleType, cache_dir: Path | None
) -> Travel:
    if network is None:
        return straight_travel(sites, vehicle)
    return road_travel(network, sites, vehicle, cache_dir)


def route_shapes(
    problem: Problem, plan: Plan, network: RoadNetwork
) -> dict[str, list[list[tuple[float, float]]]]:
    """Per courier, one road polyline per leg of the route (depot, stops, depot)."""
    return {r.courier: _route_shape(problem, r, network) for r in plan.routes}


def _route_shape(
    problem: Problem, r: Route, network: RoadNetwork
) -> list[list[tuple[float, float]]]:
    c = problem.courier(r.courier)
    ids = [c.start_site, *(s.site for s in r.stops), c.end_site]
    pts = [(problem.site(i).lon, problem.site(i).lat) for i in ids]
    return route_geometry(network, pts, str(c.vehicle))


#: Progress reported before the solve starts (legs and matrices); not a share of time.
PREPARE_PROGRESS = 0.1


@dataclass(frozen=True)
class DayWithOutcomes:
    """A day whose backlog has taken in the outcomes, and what they changed."""

    day: DayInput
    applied: AppliedOutcomes


def with_outcomes(day: DayInput, outcomes: Sequence[Outcome], *,
                  source: str = "outcomes") -> DayWithOutcomes:
    """``day`` with its backlog updated by ``outcomes`` (:func:`planner.outcomes.apply_outcomes`).

    Raises
    ------
    InputError
        Outcomes are given without a backlog (they describe its orders).
    InputErrors
        As :func:`planner.outcomes.apply_outcomes`.
    """
    if day.backlog is None:
        if not outcomes:
            return DayWithOutcomes(day, AppliedOutcomes(Backlog(day.date, ())))
        raise InputError("outcomes describe an earlier day's orders: give that day's backlog "
                         "too (--backlog)", source=source)
    applied = apply_outcomes(day.backlog, outcomes, calendar=day.calendar, sites=day.sites,
                             source=source)
    return DayWithOutcomes(replace(day, backlog=applied.backlog), applied)


def plan_day(
    day: DayInput,
    *,
    params: SolveParams,
    engine: str = DEFAULT_ENGINE,
    budget: Budget | None = None,
    executor: Executor | None = None,
    progress: ProgressFn | None = None,
    cancel: CancelToken | None = None,
    cache_dir: Path | None = None,
    outcomes: Sequence[Outcome] | None = None,
    outcomes_source: str = "outcomes",
) -> DayResult:
    """Plan ``day`` in memory; nothing is written.

    Parameters
    ----------
    day
        Sites, fleet, new orders and yesterday's backlog.
    params, engine
        Solver seed, limits and workers, and the engine name.
    budget
        The request's time (default: ``params.time_limit_s`` from now); the
        matrices computed for the day count against it.
    executor
        Where parallel searches run (None: in this process, one at a time).
    progress
        ``progress(fraction, phase)``: 0..1 over the whole day, and the phase
        (``legs``, ``matrix <vehicle>``, then the solver's phases).
    cancel
        A token with ``is_set()``; when set, planning stops with ``SolveCancelled``.
    cache_dir
        Where road matrices are cached between runs (None: no cache).
    outcomes, outcomes_source
        What happened on the backlog's day (``planner plan --outcomes``):
        failed legs are undone, failed deliveries tried again or returned
        (:func:`planner.outcomes.apply_outcomes`, TT 17 art. 5(2)(h)) before
        the day is cut into legs. ``outcomes_source`` names them in errors.

    Returns
    -------
    DayResult

    Raises
    ------
    InputErrors, InputError
        Bad references or values in the inputs; outcomes without a backlog,
        or naming orders the backlog does not have.
    SolverError, SolveCancelled
        As :func:`planner.solver.solve`.
    """
    budget = budget or Budget(params.time_limit_s)
    report = progress or (lambda _f, _p: None)
    report(0.0, "legs")
    if outcomes is not None:
        day = with_outcomes(day, outcomes, source=outcomes_source).day
    day, work = prepare_day(day)
    problem = build_problem(day, work, cache_dir=cache_dir,
                            progress=lambda _f, phase: report(0.02, phase))

    def solving(fraction: float, phase: str) -> None:
        report(PREPARE_PROGRESS + (1 - PREPARE_PROGRESS) * fraction, phase)

    plan = solve(problem, params, engine, budget=budget, executor=executor,
                 control=Control(progress=solving, cancel=cancel))
    backlog = carry_over(work, plan.served, {u.item: str(u.reason) for u in plan.unassigned},
                         day.date)
    return DayResult(day, problem, plan, work, backlog, compute_kpis(problem, plan, work))


def publish(
    result: DayResult,
    out_dir: Path,
    *,
    lang: str = "vi",
    maps: bool = True,
    generated_at: dt.datetime | None = None,
) -> DayOutcome:
    """Write every output of a planned day into ``out_dir`` at once.

    Parameters
    ----------
    result
        The planned day (:func:`plan_day`).
    out_dir
        Replaced as a whole when every file is written; untouched when writing fails.
    lang
        ``"vi"`` or ``"en"`` for route sheets, maps and the index.
    maps
        Whether to draw maps (and route shapes along the roads).
    generated_at
        Time stamp written into plan.json (fix it for reproducible files).

    Raises
    ------
    InputError
        On an unknown language.
    OSError
        When the directory cannot be written.
    """
    language = check_lang(lang)
    out_dir = out_path(out_dir)
    staging = make_staging(out_dir)
    try:
        geography = _geography(result.day, result.problem, result.plan, maps)
        write_backlog(staging / BACKLOG_FILE, result.backlog)
        files = render_outputs(result.problem, result.plan, staging, lang=language,
                               province=result.day.province, geography=geography, maps=maps,
                               generated_at=generated_at, work=result.work,
                               produced_by=produced_by(result), backlog=BACKLOG_FILE,
                               kpis=result.kpis)
        write_backlog(staging / BACKLOG_FILE, result.backlog)
        swap_in(staging, out_dir)
    finally:
        remove_staging(staging)
    return DayOutcome(result, files.moved_to(out_dir), out_dir / BACKLOG_FILE)


def produced_by(result: DayResult) -> dict[str, Any]:
    """What made the plan, for ``kpis.json``: engine, seed, limits, rules, code version."""
    stats, day = result.plan.stats, result.day
    rules = result.problem.rules
    try:
        version = metadata.version("bcci-dispatch")
    except metadata.PackageNotFoundError:
        version = "unknown"
    return {
        "code_version": version,
        "engine": stats.engine,
        "seed": stats.seed,
        "time_limit_s": stats.time_limit_s,
        "solution_limit": stats.solution_limit,
        "solve_s": round(stats.solve_s, 2),
        "objective": stats.objective,
        "service_times": service_times_to_dict(day.service_times),
        "rules": {
            "late_cutoff_cost_per_min": rules.late_cutoff_cost_per_min,
            "default_penalty": rules.default_penalty,
            "due_today_penalty": rules.due_today_penalty,
            "priority_penalty": rules.priority_penalty,
            "incompatible_classes": sorted(sorted(p) for p in rules.incompatible_classes),
        },
        "calendar": calendar_to_dict(day.calendar),
        "travel": "road network" if day.network is not None else "straight line",
    }


def _with_service_times(site: Site, rules: ServiceTimes) -> Site:
    """Default visit time and cut-off from the rules where the site does not set its own."""
    applied = rules.apply_to_site(site)
    if site.visit_s:
        applied = replace(applied, visit_s=site.visit_s)
    if site.cutoff_s is not None:
        applied = replace(applied, cutoff_s=site.cutoff_s)
    return applied


def _geography(day: DayInput, problem: Problem, plan: Plan, maps: bool) -> Geography | None:
    if not maps:
        return None
    shapes = route_shapes(problem, plan, day.network) if day.network is not None else None
    roads = roads_layer(day.network) if day.network is not None else None
    return Geography(route_shapes=shapes, territories=day.territories, roads=roads,
                     generated_roads=day.generated_roads)
