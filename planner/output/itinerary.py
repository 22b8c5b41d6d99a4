"""A route resolved against its problem: sites, items, fees, contacts and waits per stop.

Route sheets (PDF, CSV) and maps show the same things: which site, which
items are picked up or handed over, which fee is collected, what the courier
waits for and why. Resolving them once here (waits from
:func:`planner.timeline.route_timeline`, as the KPIs count them) keeps the
outputs consistent with each other and with the KPIs.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from planner.domain.fleet import Courier
from planner.domain.hours import DAY_S, TimeWindow, intersect
from planner.domain.items import Item, ItemKind
from planner.domain.sites import Site, SiteKind
from planner.output import i18n
from planner.output.i18n import Lang
from planner.plan import Action, Route, Stop
from planner.problem import Problem
from planner.timeline import Activity, Span, route_timeline


def public_name(site: Site, codes: Iterable[str] = (), lang: Lang = "vi") -> str:
    """The site's name where people other than its courier see it (maps, plan.json).

    A citizen's site is named after the person in the orders; outside the
    courier's own route sheet it is shown as ``Công dân · <tracking codes>``
    (the site id when no code is given). Other sites keep their names.
    """
    if site.kind is not SiteKind.CITIZEN:
        return site.name
    label = ", ".join(dict.fromkeys(codes)) or site.id
    return f"{i18n.site_kind(SiteKind.CITIZEN, lang)} · {label}"


@dataclass(frozen=True)
class ItemLine:
    """One item at one stop: what happens to it and what is collected."""

    tracking_code: str
    kind: ItemKind
    action: Action
    fee_vnd: int  # government fee collected from the citizen here (0: none here)
    citizen_name: str
    citizen_phone: str
    procedure: str
    #: Postage (cước) collected from the citizen here; government fee handed to the agency
    #: here with the dossier, on the biên bản (QĐ 45 art. 7(5)).
    postage_vnd: int = 0
    fee_handed_vnd: int = 0
    #: Government fee taken here at the post office with a dossier, for its agency (the fee
    #: an earlier leg's courier collected and remitted: ``Item.fee_carried_vnd``).
    fee_taken_vnd: int = 0
    #: When the item's own window (a result's release, a citizen's appointment) starts
    #: after service at the stop begins: the courier waits for it there.
    not_before_s: int | None = None
    attempt: int = 0


@dataclass(frozen=True)
class StopView:
    """One numbered stop with its site and item lines."""

    number: int
    stop: Stop
    site: Site
    lines: tuple[ItemLine, ...]
    #: The waits at this stop, in time order, each with its cause and the item waited for.
    waits: tuple[Span, ...] = ()

    @property
    def fee_vnd(self) -> int:
        """Fees collected at this stop."""
        return sum(li.fee_vnd for li in self.lines)

    @property
    def postage_vnd(self) -> int:
        """Postage collected at this stop."""
        return sum(li.postage_vnd for li in self.lines)

    @property
    def fee_handed_vnd(self) -> int:
        """Government fees handed to the agency at this stop (the biên bản's fee line)."""
        return sum(li.fee_handed_vnd for li in self.lines)

    @property
    def fee_taken_vnd(self) -> int:
        """Government fees taken at the post office here, to hand to agencies later."""
        return sum(li.fee_taken_vnd for li in self.lines)

    @property
    def cash_after_vnd(self) -> int:
        """Cash on board when the courier leaves this stop."""
        return self.stop.cash_after_vnd

    def public_name(self, lang: Lang = "vi") -> str:
        """The stop's site as maps show it (no citizen's name; see :func:`public_name`)."""
        return public_name(self.site, (li.tracking_code for li in self.lines), lang)

    #: When the first item changes hands here (after waiting and the visit); None: unknown.
    handover_s: int | None = None

    @property
    def wait_s(self) -> int:
        """Seconds waited at this stop, whatever the cause."""
        return sum(w.duration_s for w in self.waits)

    def waits_for(self, tracking_code: str) -> tuple[Span, ...]:
        """The waits before ``tracking_code``'s hand-over here."""
        return tuple(w for w in self.waits if w.item == tracking_code)

    @property
    def is_citizen(self) -> bool:
        """Whether the stop is a citizen's address (personal data shown)."""
        return self.site.kind is SiteKind.CITIZEN

    @property
    def is_agency(self) -> bool:
        """Whether a hand-over record (biên bản giao nhận) is signed here."""
        return self.site.kind.is_agency

    def contacts(self) -> list[tuple[str, str]]:
        """Distinct (name, phone) of the citizens met at a citizen stop, else empty."""
        if not self.is_citizen:
            return []
        seen: dict[tuple[str, str], None] = {}
        for li in self.lines:
            if li.citizen_name or li.citizen_phone:
                seen[(li.citizen_name, li.citizen_phone or self.site.phone)] = None
        if not seen and self.site.phone:
            seen[("", self.site.phone)] = None
        return list(seen)


@dataclass(frozen=True)
class RouteView:
    """A courier's route with its depots and resolved stops."""

    route: Route
    courier: Courier
    start_site: Site
    end_site: Site
    stops: tuple[StopView, ...]
    #: The whole route as spans (driving, visits, hand-overs, waits, lunch).
    timeline: tuple[Span, ...] = ()

    @property
    def road_waits(self) -> tuple[Span, ...]:
        """Waits between stops (before the lunch window opens, or unexplained idle)."""
        return tuple(s for s in self.timeline if s.activity is Activity.WAIT and s.stop is None)

    @property
    def wait_s(self) -> int:
        """Seconds waited over the route, at stops and between them."""
        return sum(s.duration_s for s in self.timeline if s.activity is Activity.WAIT)

    @property
    def picked_up(self) -> int:
        """Number of pickups on the route."""
        return sum(li.action is Action.PICKUP for s in self.stops for li in s.lines)

    @property
    def delivered(self) -> int:
        """Number of deliveries on the route."""
        return sum(li.action is Action.DELIVERY for s in self.stops for li in s.lines)

    @property
    def fee_vnd(self) -> int:
        """Fees collected over the route."""
        return sum(s.fee_vnd for s in self.stops)

    @property
    def postage_vnd(self) -> int:
        """Postage collected over the route."""
        return sum(s.postage_vnd for s in self.stops)

    @property
    def fee_handed_vnd(self) -> int:
        """Government fees handed to agencies over the route."""
        return sum(s.fee_handed_vnd for s in self.stops)

    @property
    def remit_vnd(self) -> int:
        """Cash to remit at the post office at the end: what is on board after the last stop.

        Postage, and the fees of results collected at delivery (QĐ 45 art. 15(2);
        TT 17 art. 5(2)(e): the post passes them on to the agency).
        """
        return self.stops[-1].cash_after_vnd if self.stops else 0


def _own_start(item: Item, act: Action, stop: Stop) -> int | None:
    wins = item.pickup_windows if act is Action.PICKUP else item.delivery_windows
    if act is Action.PICKUP and item.released_s is not None:  # not before the release
        wins = intersect(wins, (TimeWindow(item.released_s, DAY_S),))
    starts = [w.start_s for w in wins if w.end_s >= stop.start_s]
    first = min(starts, default=None)
    return first if first is not None and first >= stop.start_s + 60 else None


def _line(item: Item, act: Action, stop: Stop) -> ItemLine:
    return ItemLine(
        tracking_code=item.tracking_code,
        kind=item.kind,
        action=act,
        fee_vnd=item.fee_collected_vnd(act),
        postage_vnd=item.postage_collected_vnd(act),
        fee_handed_vnd=item.fee_handed_vnd(act),
        fee_taken_vnd=item.fee_taken_vnd(act),
        citizen_name=item.citizen_name,
        citizen_phone=item.citizen_phone,
        procedure=item.procedure,
        not_before_s=_own_start(item, act, stop),
        attempt=item.attempt if act is Action.DELIVERY else 0,
    )


def route_view(problem: Problem, route: Route) -> RouteView:
    """Resolve ``route`` against ``problem``.

    Raises
    ------
    KeyError
        If the route names a courier, site or item the problem does not have.
    """
    courier = problem.courier(route.courier)
    timeline = route_timeline(problem, route)
    stops = tuple(
        StopView(
            number=i,
            stop=stop,
            site=problem.site(stop.site),
            lines=tuple(_line(problem.item(e.item), e.action, stop) for e in stop.events),
            waits=tuple(s for s in timeline
                        if s.activity is Activity.WAIT and s.stop == i - 1),
            handover_s=next((s.start_s for s in timeline if s.stop == i - 1
                             and s.activity is Activity.SERVICE and s.action is not None), None),
        )
        for i, stop in enumerate(route.stops, start=1)
    )
    return RouteView(
        route=route,
        courier=courier,
        start_site=problem.site(courier.start_site),
        end_site=problem.site(courier.end_site),
        stops=stops,
        timeline=timeline,
    )
