"""One scenario × one seed over N working days on the sample province, in this process.

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
from collections.abc import Mapping
from dataclasses import dataclass, replace

from planner.backlog import Backlog
from planner.calendar import WorkingCalendar
from planner.domain.fleet import Courier, LunchBreak, VehicleType
from planner.domain.hours import TimeWindow, hhmm_to_s
from planner.domain.items import ItemKind
from planner.domain.orders import Order
from planner.domain.outcomes import FailureReason, Outcome, OutcomeStatus
from planner.domain.sites import Site, SiteKind
from planner.journeys import legs_of
from planner.kpis import compute_kpis
from planner.outcomes import INVITED_KINDS, apply_outcomes
from planner.pipeline import DayInput, DayResult, plan_day
from planner.sample_day import SampleVolumes, sample_couriers, sample_day
from planner.scenarios.spec import Scenario
from planner.solver import SolveParams

__all__ = ["DayFigures", "OrderOutcome", "Simulation", "failed_deliveries", "scenario_day",
           "simulate", "working_days"]


@dataclass(frozen=True)
class DayFigures:
    """One simulated day's figures (``cost_vnd`` from the scenario's unit costs).

    ``legs``: legs planned that day (new orders and backlog); ``backlog``: open
    orders carried to the next working day; ``failed_deliveries``: deliveries
    to citizens drawn as failed under ``demand.delivery_failure_rate``.
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
    failed_deliveries: int = 0


@dataclass(frozen=True)
class OrderOutcome:
    """An order accepted during the horizon: its deadline and the day its journey ended.

    ``finished_on`` None: still open after the last simulated day. ``delay_days``:
    working days after the deadline (0 when on time); for an open order past
    its deadline, the least it can be (delivered the next working day).
    """

    tracking_code: str
    kind: str
    accepted_on: dt.date
    deadline: dt.date
    finished_on: dt.date | None
    delay_days: int

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


def scenario_day(s: Scenario, seed: int, date: dt.date, backlog: Backlog | None,
                 calendar: WorkingCalendar) -> DayInput:
    """The sample day ``date`` for ``seed`` under scenario ``s``.

    ``backlog`` None: the generator's own morning backlog (the first day).
    """
    sample = sample_day(date, seed=seed, volumes=_demand(s), calendar=calendar)
    cutoff = s.policy.cutoff_s
    sites = tuple(replace(x, cutoff_s=cutoff) if x.kind.is_agency else x for x in sample.sites)
    by_id = {x.id: x for x in sites}
    orders = tuple(_deadline(o, by_id, s, calendar) for o in sample.orders)
    couriers = tuple(_courier(c, s) for c in sample_couriers(_fleet(s), seed))
    province = sample.province
    return DayInput(date=date, sites=sites, couriers=couriers, orders=orders,
                    backlog=sample.backlog if backlog is None else backlog,
                    network=province.network if s.solver.roads else None,
                    province=province.name, calendar=calendar)


def _figures(r: DayResult) -> DayFigures:
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
    return DayFigures(r.day.date, k.couriers_used, vans, round(k.distance_km, 1),
                      round(k.courier_hours, 2), round(cost), k.items_total, k.items_served,
                      dict(k.unassigned_by_reason), len(r.backlog.entries))


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


def _finished(r: DayResult) -> list[str]:
    still_open = {e.order.tracking_code for e in r.backlog.entries}
    return [code for code in r.plan.served if code in r.work.legs and code not in still_open]


def _outcome(o: Order, deadline: dt.date, *, finished: dt.date | None, last: dt.date,
             calendar: WorkingCalendar) -> OrderOutcome:
    end = finished if finished is not None else calendar.next_working_day(
        last + dt.timedelta(days=1))
    not_due_yet = finished is None and deadline > last
    delay = 0 if not_due_yet or end <= deadline else calendar.working_days_between(deadline, end)
    return OrderOutcome(o.tracking_code, o.kind.value, o.accepted_on, deadline, finished, delay)


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
    calendar = WorkingCalendar(saturday_open=scenario.policy.saturday_open)
    dates = working_days(start, days, calendar)
    horizon = set(dates)
    params = SolveParams(seed=seed, time_limit_s=scenario.solver.time_limit_s,
                         solution_limit=scenario.solver.solution_limit, workers=1)
    backlog: Backlog | None = None
    figures: list[DayFigures] = []
    outcomes: dict[str, OrderOutcome] = {}
    for date in dates:
        day = scenario_day(scenario, seed, date, backlog, calendar)
        result = plan_day(day, params=params, engine=scenario.solver.engine)
        failed = failed_deliveries(result.backlog, scenario.demand.delivery_failure_rate, seed)
        figures.append(replace(_figures(result), failed_deliveries=len(failed)))
        for code in _finished(result):
            e = result.work.in_flight[code]
            # the first delivery attempt ends the order's clock (TT 17 art. 3(5))
            if e.order.accepted_on in horizon and code not in outcomes:
                outcomes[code] = _outcome(e.order, e.deadline, finished=date, last=dates[-1],
                                          calendar=calendar)
        backlog = apply_outcomes(result.backlog, failed, calendar=calendar).backlog
    for e in backlog.entries if backlog is not None else ():
        if e.order.accepted_on in horizon and e.order.tracking_code not in outcomes:
            outcomes[e.order.tracking_code] = _outcome(e.order, e.deadline, finished=None,
                                                       last=dates[-1], calendar=calendar)
    return Simulation(scenario.name, seed, tuple(figures), tuple(outcomes.values()),
                      round(time.monotonic() - t0, 2))
