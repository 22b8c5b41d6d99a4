"""Key figures of a plan: orders and legs, couriers, distance, time split, cost, fees.

Computed from the Plan and the Problem (never from solver internals), so a
hand-edited plan read back from ``plan.json`` gets the same figures; the
orders' end-to-end figures also need the day's journeys (``DayWork``). Time
figures come from :func:`planner.timeline.route_timeline`, the same spans the
route sheets print, so the waits here are the waits in the plan. Each
figure's definition is in :class:`Kpis`; ``kpis.json`` is its serialised form,
with what produced it (engine, seed, limits, service times, code version).
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import MISSING as _MISSING
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any

from planner.domain.hours import SAME_DAY_CUTOFF_S, hhmm_to_s
from planner.journeys import JOURNEY_COMPLETE, DayWork, legs_of
from planner.plan import Action, Plan, Route
from planner.problem import Problem
from planner.timeline import Activity, route_timeline, time_split

#: Version of the ``kpis.json`` layout; bump on any incompatible change.
KPIS_SCHEMA_VERSION = "1.1"

#: Bounds of the filing-time profile of dossiers handed over at agencies (QĐ 45 art. 7(4):
#: the filing time is the biên bản's signature): the morning session, lunch, the
#: afternoon before the one-stop 15:00 cut-off (NĐ 61 art. 18), after it.
FILING_BANDS: tuple[tuple[str, int], ...] = (
    ("before_11_30", hhmm_to_s("11:30")),
    ("11_30_13_00", hhmm_to_s("13:00")),
    ("13_00_15_00", SAME_DAY_CUTOFF_S),
    ("after_15_00", 48 * 3600),
)


@dataclass(frozen=True)
class Kpis:
    """The plan's key figures.

    Attributes
    ----------
    couriers_used, couriers_available
        Routes with at least one stop; couriers in the problem.
    distance_m
        Total road distance of all routes, depot to depot.
    courier_s
        Sum over routes of the time from leaving the start depot to arriving at
        the end depot (lunch included): paid courier time.
    items_total, items_served, items_picked_up
        Items in the problem; items delivered today; items picked up today
        (an item already on board is delivered without a pickup).
    unassigned_by_reason
        Unassigned items per reason code.
    due_items, due_on_time
        Items whose J+n deadline is today or earlier, and those of them
        delivered today on or before their deadline (an item already overdue
        cannot be on time). ``on_time_share`` is their ratio (None: none due).
        Re-attempts and return legs after a failed delivery are not due: the
        first attempt met or missed the clock (TT 17 art. 3(5)).
    cutoff_late_visits, cutoff_late_s
        Stops where items are handed over at a site with a soft cut-off
        (the one-stop 15:00 cut-off) and the courier arrives after it, and the
        total seconds of arrival past the cut-off over those stops.
    wait_s, wait_by_cause
        Total time couriers wait, and per cause (``planner.timeline.WaitCause``:
        office closed, result not yet released, citizen's appointment, lunch
        window not yet open, other): every wait the route sheets print.
    fees_vnd, postage_vnd
        Government fees and charges (phí, lệ phí: the agencies' money) and
        postage (cước: the post's revenue) collected in cash from citizens at
        their door over all routes (QĐ 45 art. 11, 12).
    fees_handed_vnd
        Government fees handed to the agencies with their dossiers, on the
        biên bản (QĐ 45 art. 7(5)).
    cash_peak_vnd, cash_to_remit_vnd
        Most cash any courier carries after a stop; cash all couriers remit at
        the post office at the end of their routes (QĐ 45 art. 15(2)).
    items_per_courier_hour
        ``items_served`` per courier-hour (None when no courier works).
    orders_open, orders_finished, orders_on_time, orders_late, orders_in_flight, orders_overdue
        Orders end to end (not legs; None without the day's journeys): open this
        morning; reaching their destination today; of those, on or before their
        J+n deadline and after it; still under way tonight; of those, with a
        deadline today or earlier (late already).
    drive_s, visit_s, service_s, lunch_s
        Time split of ``courier_s`` with ``wait_s``: on the road, fixed visit
        time (parking, finding the officer, the record), hand-overs, lunch.
    service_by_site_kind
        Visit and hand-over seconds per site kind.
    agency_visits, agency_repeat_visits, handover_records
        Stops at agencies; visits beyond the first of a courier to the same
        agency; biên bản giao nhận signed (agency stops where dossiers are handed over).
    filing_profile
        Dossiers handed over at agencies per time band (:data:`FILING_BANDS`).
    cost_vnd
        Fleet cost of the used couriers: fixed cost + per km + per hour of route.
    shift_s
        Shift length of the used couriers; ``utilisation_share`` = ``courier_s / shift_s``.
    """

    couriers_used: int
    couriers_available: int
    distance_m: int
    courier_s: int
    items_total: int
    items_served: int
    items_picked_up: int
    unassigned: int
    unassigned_by_reason: dict[str, int]
    due_items: int
    due_on_time: int
    cutoff_late_visits: int
    cutoff_late_s: int
    wait_s: int
    fees_vnd: int
    wait_by_cause: dict[str, int] = field(default_factory=dict)
    orders_open: int | None = None
    orders_finished: int | None = None
    orders_on_time: int | None = None
    orders_late: int | None = None
    orders_in_flight: int | None = None
    orders_overdue: int | None = None
    drive_s: int = 0
    visit_s: int = 0
    service_s: int = 0
    lunch_s: int = 0
    service_by_site_kind: dict[str, int] = field(default_factory=dict)
    agency_visits: int = 0
    agency_repeat_visits: int = 0
    handover_records: int = 0
    filing_profile: dict[str, int] = field(default_factory=dict)
    cost_vnd: int = 0
    shift_s: int = 0
    postage_vnd: int = 0
    fees_handed_vnd: int = 0
    cash_peak_vnd: int = 0
    cash_to_remit_vnd: int = 0

    @property
    def distance_km(self) -> float:
        """Total distance in km."""
        return self.distance_m / 1000

    @property
    def courier_hours(self) -> float:
        """Total courier time in hours."""
        return self.courier_s / 3600

    @property
    def on_time_share(self) -> float | None:
        """Share of due items delivered within their deadline (None: nothing due)."""
        return self.due_on_time / self.due_items if self.due_items else None

    @property
    def items_per_courier_hour(self) -> float | None:
        """Delivered items per courier-hour (None: no courier time)."""
        return self.items_served / self.courier_hours if self.courier_s else None

    @property
    def utilisation_share(self) -> float | None:
        """Route time over the used couriers' shifts (None: no courier used)."""
        return self.courier_s / self.shift_s if self.shift_s else None


def _cash(problem: Problem, routes: Sequence[Route]) -> dict[str, int]:
    """Fees, postage and fees handed over on ``routes``; cash peak and cash to remit (VND)."""
    events = [(problem.item(e.item), e.action) for r in routes for s in r.stops for e in s.events]
    return {
        "fees_vnd": sum(it.fee_collected_vnd(a) for it, a in events),
        "postage_vnd": sum(it.postage_collected_vnd(a) for it, a in events),
        "fees_handed_vnd": sum(it.fee_handed_vnd(a) for it, a in events),
        "cash_peak_vnd": max((s.cash_after_vnd for r in routes for s in r.stops), default=0),
        "cash_to_remit_vnd": sum(r.stops[-1].cash_after_vnd for r in routes if r.stops),
    }


def compute_kpis(problem: Problem, plan: Plan, work: DayWork | None = None) -> Kpis:
    """Compute the key figures of ``plan`` for ``problem``.

    ``work``, the day's journeys, adds the orders' end-to-end figures.

    Raises
    ------
    KeyError
        If the plan names an item or site that the problem does not have.
    """
    routes = [r for r in plan.routes if r.stops]
    served = plan.served
    stopped = _clock_stopped(work)
    due = [it for it in problem.items if it.deadline is not None and it.deadline <= problem.date
           and it.tracking_code not in stopped]
    late_visits, late_s = _cutoff_lateness(problem, plan)
    cash = _cash(problem, routes)
    split = time_split(problem, routes)
    visits = _agency_visits(problem, routes)
    return Kpis(
        couriers_used=len(routes),
        couriers_available=len(problem.couriers),
        distance_m=sum(r.distance_m for r in routes),
        courier_s=sum(r.duration_s for r in routes),
        items_total=len(problem.items),
        items_served=len(served),
        items_picked_up=sum(e.action is Action.PICKUP for r in routes for e in r.events),
        unassigned=len(plan.unassigned),
        unassigned_by_reason=dict(sorted(Counter(u.reason.value for u in plan.unassigned).items())),
        due_items=len(due),
        due_on_time=sum(
            1 for it in due if it.tracking_code in served and it.deadline == problem.date
        ),
        cutoff_late_visits=late_visits,
        cutoff_late_s=late_s,
        wait_s=split.wait_s,
        wait_by_cause=split.wait_by_cause,
        **(_orders(plan, work) if work is not None else {}),
        drive_s=split.drive_s,
        visit_s=split.visit_s,
        service_s=split.service_s,
        lunch_s=split.lunch_s,
        service_by_site_kind=split.service_by_site_kind,
        agency_visits=visits[0],
        agency_repeat_visits=visits[1],
        handover_records=visits[2],
        filing_profile=_filing_profile(problem, routes),
        cost_vnd=sum(_route_cost(problem, r) for r in routes),
        **cash,
        shift_s=sum(_shift_s(problem, r) for r in routes),
    )


def _clock_stopped(work: DayWork | None) -> frozenset[str]:
    """Orders whose end-to-end clock a first delivery attempt stopped (TT 17 art. 3(5))."""
    if work is None:
        return frozenset()
    return frozenset(c for c, e in work.in_flight.items() if e.clock_on_time is not None)


def _orders(plan: Plan, work: DayWork) -> dict[str, int]:
    """End-to-end counts of the open orders (see :class:`Kpis`).

    A re-attempt or return leg after a failed delivery counts on time or late
    by its first attempt (TT 17 art. 3(5)), never overdue.
    """
    served = plan.served
    finished = on_time = in_flight = overdue = 0
    for code, entry in work.in_flight.items():
        leg = work.legs.get(code)
        if leg is None and work.not_today.get(code) == JOURNEY_COMPLETE:
            continue
        last = leg is not None and leg.index == len(legs_of(entry.order, work.sites)) - 1
        clock = entry.clock_on_time
        if last and code in served:
            finished += 1
            on_time += (work.date <= entry.deadline) if clock is None else clock
        else:
            in_flight += 1
            overdue += clock is None and entry.deadline <= work.date
    return {"orders_open": finished + in_flight, "orders_finished": finished,
            "orders_on_time": on_time, "orders_late": finished - on_time,
            "orders_in_flight": in_flight, "orders_overdue": overdue}


def _agency_visits(problem: Problem, routes: list[Route]) -> tuple[int, int, int]:
    """Agency stops, repeat visits (same courier, same agency), and biên bản signed."""
    visits = Counter((r.courier, s.site) for r in routes for s in r.stops
                     if problem.site(s.site).kind.is_agency)
    records = sum(
        1 for r in routes for s in r.stops
        if problem.site(s.site).kind.is_agency
        and any(e.action is Action.DELIVERY for e in s.events)
    )
    total = sum(visits.values())
    return total, total - len(visits), records


def _filing_profile(problem: Problem, routes: list[Route]) -> dict[str, int]:
    """Dossiers handed over at agencies per band of their hand-over time."""
    out = dict.fromkeys((name for name, _ in FILING_BANDS), 0)
    for r in routes:
        for span in route_timeline(problem, r):
            if span.activity is not Activity.SERVICE or span.action is not Action.DELIVERY \
                    or span.item is None or span.stop is None:
                continue
            at_agency = problem.site(r.stops[span.stop].site).kind.is_agency
            if at_agency and problem.item(span.item).kind.is_filing:
                out[next(n for n, end in FILING_BANDS if span.start_s < end)] += 1
    return out


def _shift_s(problem: Problem, r: Route) -> int:
    shift = problem.courier(r.courier).shift
    return shift.end_s - shift.start_s


def _route_cost(problem: Problem, r: Route) -> int:
    """The fleet's cost of one used route (VND)."""
    c = problem.courier(r.courier)
    return round(c.fixed_cost + c.cost_per_km * r.distance_m / 1000
                 + c.cost_per_hour * r.duration_s / 3600)


def _cutoff_lateness(problem: Problem, plan: Plan) -> tuple[int, int]:
    visits = 0
    seconds = 0
    for r in plan.routes:
        for s in r.stops:
            cutoff = problem.site(s.site).cutoff_s
            hands_over = any(e.action is Action.DELIVERY for e in s.events)
            if cutoff is not None and hands_over and s.arrival_s > cutoff:
                visits += 1
                seconds += s.arrival_s - cutoff
    return visits, seconds


def kpis_to_dict(kpis: Kpis) -> dict[str, Any]:
    """``kpis`` as a JSON-ready dict: raw fields plus derived ratios, rounded."""
    out: dict[str, Any] = asdict(kpis)
    share = kpis.on_time_share
    per_hour = kpis.items_per_courier_hour
    use = kpis.utilisation_share
    out.update(
        distance_km=round(kpis.distance_km, 1),
        courier_hours=round(kpis.courier_hours, 2),
        on_time_share=None if share is None else round(share, 4),
        items_per_courier_hour=None if per_hour is None else round(per_hour, 2),
        utilisation_share=None if use is None else round(use, 4),
    )
    return out


def kpis_from_dict(data: dict[str, Any]) -> Kpis:
    """Rebuild :class:`Kpis` from :func:`kpis_to_dict` output (derived fields ignored).

    Figures added after version 1.0 take their defaults when missing.

    Raises
    ------
    KeyError
        If a raw field of version 1.0 is missing.
    """
    required = {f.name for f in fields(Kpis) if f.default is f.default_factory is _MISSING}
    return Kpis(**{f.name: data[f.name] for f in fields(Kpis)
                   if f.name in required or f.name in data})


def write_kpis_json(kpis: Kpis, path: Path, *, date: str = "",
                    produced_by: Mapping[str, Any] | None = None) -> Path:
    """Write ``kpis.json`` and return its path.

    The document holds ``schema_version``, ``date``, ``produced_by`` (what made
    the plan: engine, seed, limits, service times, rules, code version; see
    ``planner.output.write.provenance``), then every figure.
    """
    doc = {"schema_version": KPIS_SCHEMA_VERSION, "date": date,
           "produced_by": dict(produced_by or {}), **kpis_to_dict(kpis)}
    path.write_text(json.dumps(doc, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return path
