"""An item's journey across days: legs through post offices, one leg per working day.

An order whose origin and destination share a post-office territory is one
leg, done by a local courier. Otherwise it travels in up to three legs: the
local courier brings it to the origin's post office, the trunk van carries it
to the destination's post office, and that office's courier delivers it.
Each day, every open order contributes its next leg as one solver
:class:`~planner.domain.items.Item` carrying the order's tracking code.

One leg per order per day: chaining two legs of one item inside a day would
need the second courier to wait for the first (cross-route synchronisation),
which the routing model does not express. Each leg gets its own deadline: the
last working day that still lets the remaining legs, one per day, meet the
order's J+n deadline.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from types import MappingProxyType

from geodata import haversine_m
from planner.backlog import Backlog, InFlight
from planner.calendar import Scope, WorkingCalendar
from planner.domain.hours import DAY_S, TimeWindow, intersect
from planner.domain.items import FeeMoment, Item, ItemKind
from planner.domain.orders import Order
from planner.domain.sites import Site, SiteKind
from planner.exceptions import InputError, InputErrors
from planner.plan import Action
from planner.service_times import ServiceTimes

#: Skill a courier needs to carry trunk legs between post offices (the van).
TRUNK_SKILL = "trunk"
#: Origin and destination closer than this (straight line, metres) make one direct leg even
#: across territories: a courier rides a few kilometres rather than relaying over days.
DIRECT_WITHIN_M = 5_000
#: Priority added to same-day procedures (QĐ 45 art. 16(3)): served before ordinary items.
SAME_DAY_PRIORITY = 5

__all__ = ["JOURNEY_COMPLETE", "SAME_DAY_PRIORITY", "TRUNK_SKILL", "DayWork", "InFlight", "Leg",
           "TrunkRun", "carry_over", "home_post_office", "legs_of", "midday_trunk",
           "order_deadline", "sites_named", "todays_work"]


@dataclass(frozen=True)
class Leg:
    """One hop of an order's journey, done by one courier on one day."""

    order: str
    index: int
    pickup_site: str
    delivery_site: str
    trunk: bool


def home_post_office(site: Site, sites: Mapping[str, Site]) -> str:
    """The post office whose territory ``site`` lies in (a post office is its own).

    Raises
    ------
    InputError
        The site has none, or names one that is not a post office among ``sites``.
    """
    if site.kind.is_post_office:
        return site.id
    home = site.home_post_office
    if not home:
        raise InputError(f"site '{site.id}' has no home post office", source="sites",
                         row=site.id, field="home_post_office")
    if home not in sites or not sites[home].kind.is_post_office:
        raise InputError(f"home post office '{home}' of site '{site.id}' is not a post office "
                         "among the sites", source="sites", row=site.id,
                         field="home_post_office")
    return home


def legs_of(order: Order, sites: Mapping[str, Site]) -> tuple[Leg, ...]:
    """The legs of ``order``'s journey from its origin to its destination.

    One direct leg when both ends share a home post office or lie within
    ``DIRECT_WITHIN_M`` of each other, or for a same-day procedure (collected
    and delivered the same day, QĐ 45 art. 16(3): a relay over post offices
    takes a day per leg); otherwise origin → its post office → (trunk) → the
    destination's post office → destination.

    Raises
    ------
    InputError
        The origin or destination is unknown, or lacks a home post office.
    """
    for key in ("origin", "destination"):
        if getattr(order, key) not in sites:
            raise InputError(f"unknown site '{getattr(order, key)}'", source="orders",
                             row=order.tracking_code, field=key)
    origin, dest = sites[order.origin], sites[order.destination]
    po_o, po_d = home_post_office(origin, sites), home_post_office(dest, sites)
    code = order.tracking_code
    near = haversine_m(origin.lon, origin.lat, dest.lon, dest.lat) <= DIRECT_WITHIN_M
    # a same-day result is collected and delivered at once, by one courier (QĐ 45 art. 16(3))
    if po_o == po_d or origin.id == dest.id or near or order.same_day:
        return (Leg(code, 0, origin.id, dest.id, trunk=False),)
    hops: list[tuple[str, str, bool]] = []
    if origin.id != po_o:
        hops.append((origin.id, po_o, False))
    hops.append((po_o, po_d, True))
    if dest.id != po_d:
        hops.append((po_d, dest.id, False))
    return tuple(Leg(code, k, a, b, t) for k, (a, b, t) in enumerate(hops))


def order_deadline(order: Order, legs: tuple[Leg, ...], calendar: WorkingCalendar) -> dt.date:
    """The order's own deadline, or J+n from the calendar by its scope."""
    if order.same_day:
        return order.accepted_on
    if order.deadline is not None:
        return order.deadline
    scope = Scope.LOCAL if len(legs) == 1 else Scope.PROVINCE
    return calendar.deadline(order.accepted_on, scope,
                             with_slip=order.kind is ItemKind.APPOINTMENT_SLIP)


def leg_deadline(final: dt.date, legs_after: int, calendar: WorkingCalendar) -> dt.date:
    """Last working day of a leg that leaves ``legs_after`` legs, one a day, to meet ``final``."""
    day = final
    for _ in range(legs_after):
        day -= dt.timedelta(days=1)
        while not calendar.is_working_day(day):
            day -= dt.timedelta(days=1)
    return day


@dataclass(frozen=True)
class DayWork:
    """Today's legs as solver items, and the state of every open order.

    ``items``: one per order that moves today (tracking code = the order's);
    ``legs``: the leg each item stands for; ``in_flight``: every open order's
    state this morning (with or without a leg today); ``not_today``: why an
    open order has no leg today; ``sites``: the sites the orders name.
    """

    date: dt.date
    items: tuple[Item, ...]
    legs: Mapping[str, Leg]
    in_flight: Mapping[str, InFlight]
    not_today: Mapping[str, str]
    sites: Mapping[str, Site]


def _paid_on_leg(o: Order, leg: Leg, *, first: bool, last: bool,
                 sites: Mapping[str, Site]) -> bool:
    """Whether the courier of ``leg`` collects the order's fee and postage from the citizen.

    Only where the payer is: at the citizen's own address, at the pickup of the
    first leg (``fee_at`` pickup) or the delivery of the last (``fee_at``
    delivery). A dossier brought to, or a result left at, a commune post point
    is paid at its counter, not to the courier (QĐ 45 art. 6(4), 11; TT 17 art.
    5(2)(e); DOMAIN.md §3.5).
    """
    if o.fee_at is FeeMoment.PICKUP:
        return first and sites[leg.pickup_site].kind is SiteKind.CITIZEN
    return last and sites[leg.delivery_site].kind is SiteKind.CITIZEN


def _fee_carried(o: Order, leg: Leg, *, paid_here: bool, sites: Mapping[str, Site]) -> int:
    """The fee ``leg``'s courier takes at the post office and hands to the agency (VND).

    A dossier's fee travels with it (QĐ 45 art. 7(5), 11, 15(2)): collected at
    the citizen's door on the first leg of a journey through post offices, it is
    remitted at the post office by that courier and carried by the leg that
    hands the dossier to the agency, where the biên bản shows it. The same holds
    for a fee paid at a post point's counter. The trunk van carries no cash (the
    offices settle between themselves) [I].
    """
    if paid_here or o.fee_at is not FeeMoment.PICKUP or not o.kind.is_filing:
        return 0
    return o.fee_vnd if sites[leg.delivery_site].kind.is_agency else 0


def _leg_item(entry: InFlight, legs: tuple[Leg, ...], sites: Mapping[str, Site], *,
              calendar: WorkingCalendar, service: ServiceTimes, dims: int,
              date: dt.date) -> Item:
    o, leg = entry.order, legs[entry.next_leg]
    first, last = leg.index == 0, leg.index == len(legs) - 1
    pickup_windows: tuple[TimeWindow, ...] = o.origin_windows if first else ()
    if entry.ready_s is not None:  # it reaches its post office today (a mid-day trunk)
        pickup_windows = intersect(pickup_windows or (TimeWindow(0, DAY_S),),
                                   (TimeWindow(entry.ready_s, DAY_S),))
    paid_here = _paid_on_leg(o, leg, first=first, last=last, sites=sites)
    quantity = o.quantity if len(o.quantity) == dims else (*o.quantity, *(0,) * dims)[:dims]
    return Item(
        tracking_code=o.tracking_code,
        kind=o.kind,
        pickup_site=leg.pickup_site,
        delivery_site=leg.delivery_site,
        quantity=quantity,
        pickup_windows=pickup_windows,
        delivery_windows=o.destination_windows if last else (),
        pickup_service_s=service.item_s(sites[leg.pickup_site].kind, Action.PICKUP),
        delivery_service_s=service.item_s(sites[leg.delivery_site].kind, Action.DELIVERY),
        deadline=leg_deadline(entry.deadline, len(legs) - 1 - leg.index, calendar),
        required_skills=o.required_skills | ({TRUNK_SKILL} if leg.trunk else set()),
        item_class=o.item_class,
        priority=o.priority + (SAME_DAY_PRIORITY if o.same_day else 0),
        fee_vnd=o.fee_vnd if paid_here else 0,
        fee_at=o.fee_at,
        postage_vnd=o.postage_vnd if paid_here else 0,
        fee_to_agency=paid_here and o.fee_at is FeeMoment.PICKUP
        and sites[leg.delivery_site].kind.is_agency,
        fee_carried_vnd=_fee_carried(o, leg, paid_here=paid_here, sites=sites),
        citizen_name=o.citizen_name,
        citizen_phone=o.citizen_phone,
        procedure=o.procedure,
        attempt=entry.attempts + 1 if entry.attempts and o.kind is not ItemKind.RETURN else 0,
        released_s=released_s(o, date) if first else None,
    )


def released_s(order: Order, date: dt.date) -> int | None:
    """When the agency releases ``order``'s result on ``date``, or None when it is out already.

    ``Order.ready_s`` is a time on the acceptance day J (the agency's notice, QĐ 45
    art. 8(4)); from the next working day on the result waits at the agency and
    binds no longer. So a release that misses the order's window today (released
    at 14:00, the citizen's window 08:00–10:00) leaves the order in the backlog for
    one day only: the next day it is collected in that window.
    """
    return order.ready_s if order.ready_s is not None and date <= order.accepted_on else None


def todays_work(
    date: dt.date,
    orders: Iterable[Order],
    backlog: Backlog | None,
    sites: Mapping[str, Site],
    *,
    calendar: WorkingCalendar | None = None,
    service_times: ServiceTimes | None = None,
    dimensions: tuple[str, ...] = ("items",),
) -> DayWork:
    """Cut today's legs from new orders and yesterday's backlog.

    Raises
    ------
    InputErrors
        Every order whose tracking code repeats (among the orders or with the
        backlog), names an unknown site, or lacks a home post office.
    """
    calendar = calendar or WorkingCalendar()
    service_times = service_times or ServiceTimes()
    all_sites = dict(sites)
    if backlog is not None:
        for s in backlog.sites:
            all_sites.setdefault(s.id, s)
    entries: dict[str, InFlight] = {}
    errors: list[InputError] = []
    for e in backlog.entries if backlog is not None else ():
        entries[e.order.tracking_code] = e
        try:
            legs_of(e.order, all_sites)
        except InputError as err:
            errors.append(InputError(err.message, source=backlog.source if backlog else None,
                                     row=e.order.tracking_code, field=err.field))
    carried = set(entries)
    for o in orders:
        if o.tracking_code in entries:
            where = "the backlog" if o.tracking_code in carried else "today's orders"
            errors.append(InputError(f"tracking code already in {where}", source="orders",
                                     row=o.tracking_code, field="tracking_code"))
            continue
        try:
            legs = legs_of(o, all_sites)
        except InputError as err:
            errors.append(err)
            continue
        entries[o.tracking_code] = InFlight(o, 0, o.origin, order_deadline(o, legs, calendar))
    if errors:
        raise InputErrors(errors)
    items, legs_today, not_today = [], {}, {}
    for code, e in entries.items():
        legs = legs_of(e.order, all_sites)
        wait = _not_yet(e, date, entries, legs)
        if wait:
            not_today[code] = wait
            continue
        items.append(_leg_item(e, legs, all_sites, calendar=calendar, service=service_times,
                               dims=len(dimensions), date=date))
        legs_today[code] = legs[e.next_leg]
    return DayWork(date, tuple(items), MappingProxyType(legs_today), MappingProxyType(entries),
                   MappingProxyType(not_today), MappingProxyType(all_sites))


#: Why an order has no leg today because its journey ended (``DayWork.not_today``).
JOURNEY_COMPLETE = "journey complete"


def _not_yet(e: InFlight, date: dt.date, entries: Mapping[str, InFlight],
             legs: tuple[Leg, ...]) -> str:
    """Why ``e`` has no leg on ``date`` ("" when it has one).

    An order waits for its acceptance day; a re-attempt for its day
    (``InFlight.not_before``, TT 17 art. 5(2)(h)); an appointment slip for its
    dossier's hand-over, where it is issued (QĐ 45 art. 7(5); DOMAIN.md 8.2).
    """
    o = e.order
    if o.accepted_on > date:
        return f"accepted on {o.accepted_on.isoformat()}"
    if e.next_leg >= len(legs):
        return JOURNEY_COMPLETE
    if e.not_before is not None and e.not_before > date:
        return f"re-attempt from {e.not_before.isoformat()} (TT 17 art. 5(2)(h))"
    if o.kind is ItemKind.APPOINTMENT_SLIP and o.follows and o.follows in entries:
        return f"waits for dossier {o.follows} to be handed over (QĐ 45 art. 7(5))"
    return ""


def carry_over(work: DayWork, served: Iterable[str], unserved: Mapping[str, str],
               date: dt.date) -> Backlog:
    """The backlog after ``date``: served legs move on, unserved ones wait, finished orders leave.

    ``served`` are tracking codes delivered today; ``unserved`` maps the others
    with a leg today to their reason. An order whose final leg was done today
    leaves the open entries for ``Backlog.delivered`` (an outcome may reopen
    it); the delivery stops its end-to-end clock if it was the first attempt
    (TT 17 art. 3(5)).
    """
    done = set(served)
    out: list[InFlight] = []
    delivered: list[InFlight] = []
    for code, e in work.in_flight.items():
        leg = work.legs.get(code)
        if leg is None:
            if work.not_today.get(code) != JOURNEY_COMPLETE:
                out.append(e)
            continue
        if code in done:
            moved = replace(e, next_leg=leg.index + 1, at_site=leg.delivery_site,
                            days_waited=0, last_reason="", moved_on=date, ready_s=None)
            if leg.index + 1 < len(legs_of(e.order, work.sites)):
                out.append(moved)
            else:
                clock = e.clock_on_time if e.clock_on_time is not None else date <= e.deadline
                delivered.append(replace(moved, clock_on_time=clock))
        else:
            out.append(replace(e, days_waited=e.days_waited + 1, ready_s=None,
                               last_reason=unserved.get(code, "not served")))
    return Backlog(date, tuple(out), sites_named([*out, *delivered], work.sites),
                   delivered=tuple(delivered))


def sites_named(entries: Iterable[InFlight], sites: Mapping[str, Site]) -> tuple[Site, ...]:
    """The sites ``entries`` name, with their home post offices (what their legs need)."""
    named = {s for e in entries
             for s in (e.at_site, e.order.origin, e.order.destination, e.return_to) if s}
    named |= {sites[s].home_post_office for s in named if s in sites}
    return tuple(s for sid, s in sites.items() if sid in named)


@dataclass(frozen=True)
class TrunkRun:
    """What a scheduled mid-day trunk did: the backlog after it, and the orders it finished.

    ``backlog``: the morning's backlog with every carried item moved past its
    trunk leg and ready at its destination's post office from the arrival
    time; ``carried``: tracking codes it carried; ``finished``: those whose
    journey ended at that post office (their last leg was the trunk leg).
    """

    backlog: Backlog
    carried: tuple[str, ...]
    finished: tuple[InFlight, ...]


def midday_trunk(backlog: Backlog, sites: Mapping[str, Site], arrives_s: int) -> TrunkRun:
    """Run a scheduled mid-day trunk over the morning's ``backlog``.

    A trunk is a vehicle on a fixed timetable between the hubs and the post
    offices, outside the day's routing. Every item that waits at a post office
    for its trunk leg this morning rides it and is at its destination's post
    office at ``arrives_s`` (seconds since midnight), where its next leg is
    offered the same day with a pickup window from that time instead of the
    next working day. Items that reach a post office during the day wait for
    the next day's trunk: one-leg-a-day otherwise holds (the module's
    docstring: the routing model has no cross-route synchronisation).
    Capacity is not modelled: the timetabled vehicle takes everything.

    Raises
    ------
    InputError
        A backlog order names an unknown site or one without a home post office.
    """
    all_sites = {**{s.id: s for s in backlog.sites}, **sites}
    out: list[InFlight] = []
    carried: list[str] = []
    finished: list[InFlight] = []
    for e in backlog.entries:
        legs = legs_of(e.order, all_sites)
        if e.next_leg >= len(legs) or not legs[e.next_leg].trunk:
            out.append(e)
            continue
        leg = legs[e.next_leg]
        carried.append(e.order.tracking_code)
        moved = replace(e, next_leg=e.next_leg + 1, at_site=leg.delivery_site, days_waited=0,
                        last_reason="", ready_s=arrives_s)
        (finished if moved.next_leg >= len(legs) else out).append(moved)
    return TrunkRun(Backlog(backlog.as_of, tuple(out), sites_named(out, all_sites),
                            source=backlog.source, delivered=backlog.delivered),
                    tuple(carried), tuple(finished))
