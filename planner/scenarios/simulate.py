"""One scenario × one seed over N working days on its province (the sample's by default).

Each day is the sample generator's day for the seed (the same demand for every
scenario that keeps the same demand settings: the fleet is drawn apart), with
the scenario's fleet, shifts, cut-off and J+n norms applied, planned with
:func:`planner.pipeline.plan_day` (no executor: a Dask task runs it in its own
process). The day's backlog (unserved legs, legs still to travel) becomes the
next day's, after the day's failed deliveries (``demand.delivery_failure_rate``)
went through the same outcomes code as ``planner plan --outcomes``. Every
order accepted on a simulated day is followed to the day its final leg is
first delivered (TT 17 art. 3(5)), so on-time shares and delays are end to end.

The first day starts from the generator's morning backlog (orders accepted
before the horizon); those orders are planned like any other but not counted.
"""

from __future__ import annotations

import datetime as dt
import random
import time
import zlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from geodata import haversine_m, sample_province
from geodata.matrix import DEFAULT_DETOUR
from planner.backlog import Backlog, InFlight
from planner.calendar import WorkingCalendar
from planner.domain.fleet import Courier, LunchBreak, VehicleType
from planner.domain.hours import TimeWindow, hhmm_to_s
from planner.domain.items import ItemKind
from planner.domain.orders import Order
from planner.domain.outcomes import FailureReason, Outcome, OutcomeStatus
from planner.domain.sites import Site, SiteKind
from planner.journeys import legs_of, midday_trunk
from planner.kpis import compute_kpis
from planner.outcomes import INVITED_KINDS, apply_outcomes
from planner.pipeline import DayInput, DayResult, plan_day
from planner.plan import Action
from planner.sample_day import (
    KT1_CLASS,
    SampleVolumes,
    province_volumes,
    sample_couriers,
    sample_day,
)
from planner.scenarios.spec import Demand, Scenario
from planner.solver import SolveParams
from planner.timeline import Activity, route_timeline

__all__ = ["DayFigures", "OrderOutcome", "Simulation", "failed_deliveries", "online_only",
           "scenario_day", "simulate", "trunk_cost_vnd", "working_days"]


@dataclass(frozen=True)
class DayFigures:
    """One simulated day's figures (``cost_vnd`` from the scenario's unit costs).

    ``legs``: legs planned that day (new orders and backlog); ``backlog``: open
    orders carried to the next working day; ``failed_deliveries``: deliveries
    to citizens drawn as failed under ``demand.delivery_failure_rate``.
    ``trunk_carried``: items the scheduled mid-day trunk carried (its cost,
    ``trunk_cost_vnd``, is in ``cost_vnd``). ``dossiers_filed``: dossiers handed over at agencies;
    ``filed_before_cutoff``: those handed over by the agency's cut-off;
    ``filing_profile``: dossiers per band of hand-over time
    (:data:`planner.kpis.FILING_BANDS`).
    """

    date: dt.date
    couriers_used: int
    vans_used: int
    distance_km: float
    courier_hours: float
    cost_vnd: int
    legs: int
    served: int
    unassigned_by_reason: Mapping[str, int]
    backlog: int
    trunk_carried: int = 0
    trunk_cost_vnd: int = 0
    dossiers_filed: int = 0
    filed_before_cutoff: int = 0
    filing_profile: Mapping[str, int] = field(default_factory=dict)
    failed_deliveries: int = 0


@dataclass(frozen=True)
class OrderOutcome:
    """An order accepted during the horizon: its deadline and the day its journey ended.

    ``finished_on`` None: still open after the last simulated day. ``delay_days``:
    working days after the deadline (0 when on time); for an open order past
    its deadline, the least it can be (delivered the next working day).
    ``delay_hours``: the delay in working hours (office hours,
    :meth:`WorkingCalendar.working_seconds_between`) from the end of the
    deadline day to the final delivery; for an open order past its deadline,
    up to the end of the last simulated day (a lower bound).
    """

    tracking_code: str
    kind: str
    accepted_on: dt.date
    deadline: dt.date
    finished_on: dt.date | None
    delay_days: int
    delay_hours: float = 0.0

    @property
    def on_time(self) -> bool:
        """Its final leg was delivered on or before its deadline."""
        return self.finished_on is not None and self.finished_on <= self.deadline

    @property
    def decided(self) -> bool:
        """On time or late is known (finished, or open past its deadline)."""
        return self.finished_on is not None or self.delay_days > 0


@dataclass(frozen=True)
class Simulation:
    """What one scenario and seed gave over the horizon (plain data: it leaves Dask workers)."""

    scenario: str
    seed: int
    days: tuple[DayFigures, ...]
    orders: tuple[OrderOutcome, ...]
    wall_s: float


def working_days(start: dt.date, n: int, calendar: WorkingCalendar) -> list[dt.date]:
    """The first ``n`` working days from ``start`` (``start`` included when it is one)."""
    out: list[dt.date] = []
    day = calendar.next_working_day(start)
    while len(out) < n:
        out.append(day)
        day = calendar.next_working_day(day + dt.timedelta(days=1))
    return out


def _demand(s: Scenario) -> SampleVolumes:
    """The generator's volumes with the scenario's demand and the default fleet.

    The generator draws its fleet before the orders from the same stream, so
    the day's orders are drawn with one fleet whatever the scenario's.
    """
    d = s.demand
    return SampleVolumes(orders=d.orders, dossier_share=d.dossier_share,
                         result_share=d.result_share, service_center_share=d.service_center_share,
                         carried_share=d.carried_share)


def _fleet(s: Scenario) -> SampleVolumes:
    f = s.fleet
    return SampleVolumes(couriers_per_district_office=f.couriers_per_district_office,
                         couriers_at_provincial_office=f.couriers_at_provincial_office,
                         vans=f.vans, motorbike_capacity=f.capacity, van_capacity=f.van_capacity)


def _courier(c: Courier, s: Scenario) -> Courier:
    sh, costs = s.shifts, s.costs
    van = c.vehicle is VehicleType.VAN
    vehicle = c.vehicle if van else VehicleType(s.fleet.vehicle)
    lunch = None if sh.lunch_minutes == 0 else LunchBreak(
        TimeWindow(hhmm_to_s(sh.lunch_from), hhmm_to_s(sh.lunch_until)), sh.lunch_minutes * 60)
    return replace(
        c, vehicle=vehicle, shift=TimeWindow(hhmm_to_s(sh.start), hhmm_to_s(sh.end)), lunch=lunch,
        fixed_cost=costs.per_van_day_vnd if van else costs.per_courier_day_vnd,
        cost_per_km=costs.per_km(vehicle.value),
        cost_per_hour=costs.per_van_hour_vnd if van else costs.per_courier_hour_vnd)


def _deadline(o: Order, sites: Mapping[str, Site], s: Scenario,
              calendar: WorkingCalendar) -> Order:
    if o.same_day:
        return o
    n = s.policy.local_days if len(legs_of(o, sites)) == 1 else s.policy.province_days
    n *= 2 if o.kind is ItemKind.APPOINTMENT_SLIP else 1
    return replace(o, deadline=calendar.add_working_days(o.accepted_on, n))


def _nearest(site: Site, among: Sequence[Site]) -> Site:
    return min(among, key=lambda o: haversine_m(site.lon, site.lat, o.lon, o.lat))


def _based(couriers: Sequence[Courier], sites: Mapping[str, Site], s: Scenario) -> list[Courier]:
    """The couriers moved to the scenario's depots (local) and hubs (vans, in turn).

    A local courier of an office that is not a depot starts and ends at the
    nearest depot (straight line); vans are spread over the hubs in turn.
    """
    net = s.network
    out = list(couriers)
    if net.depots:
        depots = [sites[d] for d in net.depots]
        for k, c in enumerate(out):
            if c.vehicle is not VehicleType.VAN and c.start_site not in net.depots:
                depot = _nearest(sites[c.start_site], depots).id
                out[k] = replace(c, start_site=depot, end_site=depot)
    if net.hubs:
        vans = [k for k, c in enumerate(out) if c.vehicle is VehicleType.VAN]
        for n, k in enumerate(vans):
            hub = net.hubs[n % len(net.hubs)]
            out[k] = replace(out[k], start_site=hub, end_site=hub)
    return out


def online_only(order: Order, d: Demand) -> bool:
    """Whether ``order``'s procedure is done fully online under demand ``d`` (Directive 24/CT-TTg).

    Its procedure is listed in ``online_only_procedures``, or a draw fixed by
    its tracking code falls below ``online_only_share`` (the same orders go
    online in every scenario with that share; a larger share takes a superset).
    KT1 official mail is not a citizen's procedure and always goes by post.
    """
    if order.item_class == KT1_CLASS:
        return False
    if order.procedure in d.online_only_procedures:
        return True
    draw = zlib.crc32(order.tracking_code.encode()) / 2**32
    return draw < d.online_only_share


def scenario_day(s: Scenario, seed: int, date: dt.date, backlog: Backlog | None,
                 calendar: WorkingCalendar) -> DayInput:
    """The sample day ``date`` for ``seed`` under scenario ``s`` (on its ``province``).

    ``backlog`` None: the generator's own morning backlog (the first day).
    Orders of online-only procedures are left out (:func:`online_only`);
    couriers start at the scenario's depots and hubs. On a province other than
    the sample, ``demand.orders`` and ``fleet.vans`` are the sample's and are
    scaled to it (:func:`planner.sample_day.province_volumes`).
    """
    csv = Path(s.communes_csv) if s.communes_csv else None
    geo = sample_province(s.province, csv)
    sample = sample_day(date, seed=seed, volumes=province_volumes(geo, _demand(s)),
                        calendar=calendar, province=s.province, communes_csv=csv)
    cutoff = s.policy.cutoff_s
    sites = tuple(replace(x, cutoff_s=cutoff) if x.kind.is_agency else x for x in sample.sites)
    by_id = {x.id: x for x in sites}
    orders = tuple(_deadline(o, by_id, s, calendar) for o in sample.orders
                   if not online_only(o, s.demand))
    fleet = sample_couriers(province_volumes(geo, _fleet(s)), seed, province=s.province,
                            communes_csv=csv)
    couriers = tuple(_courier(c, s) for c in _based(fleet, by_id, s))
    province = sample.province
    return DayInput(date=date, sites=sites, couriers=couriers, orders=orders,
                    backlog=sample.backlog if backlog is None else backlog,
                    network=province.network if s.solver.roads else None,
                    province=province.name, calendar=calendar)


def trunk_cost_vnd(s: Scenario, sites: Sequence[Site]) -> int:
    """A day of the scheduled mid-day trunk (VND), 0 when the scenario runs none.

    ``network.trunk_cost_vnd`` when the scenario gives it; otherwise one van
    per hub (``per_van_day_vnd``), paid from departure to arrival and back
    (``per_van_hour_vnd`` × twice the run), and every other post office
    served out and back from its nearest hub at ``per_km_van_vnd``: straight
    line × the routers' detour factor (``geodata.matrix.DEFAULT_DETOUR``), an
    upper bound of a loop's km. An approximation, stated in docs/scenarios.md.
    """
    net, c = s.network, s.costs
    if not net.midday_trunk:
        return 0
    if net.trunk_cost_vnd is not None:
        return net.trunk_cost_vnd
    offices = [x for x in sites if x.kind.is_post_office]
    hub_ids = net.hubs or tuple(x.id for x in offices
                                if x.kind is SiteKind.PROVINCIAL_POST_OFFICE)
    hubs = [x for x in offices if x.id in hub_ids]
    km = sum(2 * haversine_m(o.lon, o.lat, (h := _nearest(o, hubs)).lon, h.lat) / 1000
             for o in offices if o.id not in hub_ids) * DEFAULT_DETOUR
    return round(len(hubs) * (c.per_van_day_vnd + c.per_van_hour_vnd * 2 * net.trunk_hours)
                 + c.per_km_van_vnd * km)


def _filings(r: DayResult) -> tuple[int, int]:
    """Dossiers handed over at agencies, and those handed over by the agency's cut-off."""
    filed = before = 0
    for route in r.plan.routes:
        for span in route_timeline(r.problem, route):
            if span.activity is not Activity.SERVICE or span.action is not Action.DELIVERY \
                    or span.item is None or span.stop is None:
                continue
            site = r.problem.site(route.stops[span.stop].site)
            if site.kind.is_agency and r.problem.item(span.item).kind is ItemKind.DOSSIER:
                filed += 1
                before += site.cutoff_s is None or span.start_s <= site.cutoff_s
    return filed, before


def _figures(r: DayResult, trunk_carried: int = 0, trunk_cost: int = 0) -> DayFigures:
    k = compute_kpis(r.problem, r.plan)
    cost = 0.0
    vans = 0
    for route in r.plan.routes:
        if not route.stops:
            continue
        c = r.problem.courier(route.courier)
        vans += c.vehicle is VehicleType.VAN
        cost += c.fixed_cost + c.cost_per_km * route.distance_m / 1000 \
            + c.cost_per_hour * route.duration_s / 3600
    filed, before = _filings(r)
    return DayFigures(r.day.date, k.couriers_used, vans, round(k.distance_km, 1),
                      round(k.courier_hours, 2), round(cost) + trunk_cost, k.items_total,
                      k.items_served, dict(k.unassigned_by_reason), len(r.backlog.entries),
                      trunk_carried, trunk_cost, filed, before, dict(k.filing_profile))


def failed_deliveries(backlog: Backlog, rate: float, seed: int) -> tuple[Outcome, ...]:
    """Draw which of ``backlog``'s deliveries to citizens failed (the citizen was absent).

    Each result or slip delivered at a citizen's door on ``backlog.as_of``
    fails with probability ``rate``, drawn from a stream of the seed and the
    day (the same for every scenario with the same demand and deliveries).
    """
    if rate <= 0:
        return ()
    rng = random.Random(f"failures:{seed}:{backlog.as_of.isoformat()}")
    kinds = {s.id: s.kind for s in backlog.sites}
    return tuple(
        Outcome(e.order.tracking_code, backlog.as_of, OutcomeStatus.FAILED, FailureReason.ABSENT)
        for e in backlog.delivered
        if e.order.kind in INVITED_KINDS and kinds.get(e.order.destination) is SiteKind.CITIZEN
        and rng.random() < rate
    )


def _finished(r: DayResult) -> dict[str, int]:
    """Orders whose journey ended today, with the time of their final delivery (s)."""
    still_open = {e.order.tracking_code for e in r.backlog.entries}
    done = {code for code in r.plan.served if code in r.work.legs and code not in still_open}
    return {e.item: stop.start_s for route in r.plan.routes for stop in route.stops
            for e in stop.events if e.action is Action.DELIVERY and e.item in done}


def _at(day: dt.date, seconds: int) -> dt.datetime:
    return dt.datetime.combine(day, dt.time()) + dt.timedelta(seconds=seconds)


def _outcome(o: Order, deadline: dt.date, *, finished: dt.date | None, last: dt.date,
             calendar: WorkingCalendar, at_s: int = 0) -> OrderOutcome:
    end = finished if finished is not None else calendar.next_working_day(
        last + dt.timedelta(days=1))
    not_due_yet = finished is None and deadline > last
    delay = 0 if not_due_yet or end <= deadline else calendar.working_days_between(deadline, end)
    until = _at(finished, at_s) if finished is not None else _at(last + dt.timedelta(days=1), 0)
    hours = 0.0 if not_due_yet else calendar.working_seconds_between(
        _at(deadline + dt.timedelta(days=1), 0), until) / 3600
    return OrderOutcome(o.tracking_code, o.kind.value, o.accepted_on, deadline, finished, delay,
                        round(hours, 2))


def simulate(scenario: Scenario, seed: int, days: int, start: dt.date) -> Simulation:
    """Simulate ``days`` working days of ``scenario`` from ``start`` with demand ``seed``.

    Parameters
    ----------
    scenario
        Fleet, shifts, policy, demand, costs and solver settings.
    seed
        Seeds the generated demand and the solver.
    days
        Working days to simulate (at least 1).
    start
        The first day (moved to the next working day under the scenario's calendar).

    Returns
    -------
    Simulation
        Per-day figures and every order accepted during the horizon.

    Raises
    ------
    InputError, SolverError
        As :func:`planner.pipeline.plan_day`.
    """
    t0 = time.monotonic()
    calendar = scenario.working_calendar()
    dates = working_days(start, days, calendar)
    horizon = set(dates)
    params = SolveParams(seed=seed, time_limit_s=scenario.solver.time_limit_s,
                         solution_limit=scenario.solver.solution_limit, workers=1)
    backlog: Backlog | None = None
    figures: list[DayFigures] = []
    outcomes: dict[str, OrderOutcome] = {}
    net = scenario.network
    for date in dates:
        day = scenario_day(scenario, seed, date, backlog, calendar)
        ended: list[tuple[InFlight, int]] = []
        carried, trunk_cost = 0, 0
        if net.midday_trunk and day.backlog is not None:
            run = midday_trunk(day.backlog, {x.id: x for x in day.sites}, net.trunk_arrives_s)
            day = replace(day, backlog=run.backlog)
            ended = [(e, net.trunk_arrives_s) for e in run.finished]
            carried, trunk_cost = len(run.carried), trunk_cost_vnd(scenario, day.sites)
        result = plan_day(day, params=params, engine=scenario.solver.engine)
        failed = failed_deliveries(result.backlog, scenario.demand.delivery_failure_rate, seed)
        figures.append(replace(_figures(result, carried, trunk_cost),
                               failed_deliveries=len(failed)))
        ended += [(result.work.in_flight[code], at) for code, at in _finished(result).items()]
        for e, at in ended:
            # the first delivery attempt ends the order's clock (TT 17 art. 3(5))
            if e.order.accepted_on in horizon and e.order.tracking_code not in outcomes:
                outcomes[e.order.tracking_code] = _outcome(
                    e.order, e.deadline, finished=date, last=dates[-1], calendar=calendar,
                    at_s=at)
        backlog = apply_outcomes(result.backlog, failed, calendar=calendar).backlog
    for e in backlog.entries if backlog is not None else ():
        if e.order.accepted_on in horizon and e.order.tracking_code not in outcomes:
            outcomes[e.order.tracking_code] = _outcome(e.order, e.deadline, finished=None,
                                                       last=dates[-1], calendar=calendar)
    return Simulation(scenario.name, seed, tuple(figures), tuple(outcomes.values()),
                      round(time.monotonic() - t0, 2))
