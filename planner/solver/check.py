"""Re-time a courier's ordered events into a Route and list every rule it breaks.

This is the check mode (VROOM's ``-c``): it knows nothing of OR-Tools. Plans
made by an engine are re-timed here too, so a Plan never depends on the
engine's own bookkeeping.

Timing conventions (the OR-Tools model encodes the same ones):

* consecutive events at one site form one Stop (one visit, one hand-over
  record); the site's ``visit_s`` is paid once, on arrival from another site;
* an event's hand-over must *start* inside the allowed windows (the site's
  opening hours intersected with the item's own windows); the courier waits
  when early; at an agency the whole visit lies inside one opening session:
  the visit starts at or after it opens and the hand-over ends by its close
  (:func:`site_hours`);
* the lunch break is taken on one of the legs (or after the last one), never
  during a hand-over, starting inside its window: on the road, or during the
  wait on arrival when its window opens after the courier gets there (the
  courier never idles at one stop for the lunch window while it could drive on);
* the route leaves the start depot as late as possible without delaying the
  first hand-over (no waiting at the first stop).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from enum import StrEnum

from planner.domain.fleet import Courier
from planner.domain.hours import DAY_S, TimeWindow, intersect, merged, windows_text
from planner.domain.items import Item
from planner.domain.sites import SiteKind
from planner.plan import Action, Event, Route, Stop
from planner.problem import Problem
from planner.reason_text import sentence


class ViolationKind(StrEnum):
    """The rule a :class:`Violation` breaks (compares equal to its string value)."""

    UNKNOWN = "unknown"  # a courier or item the problem does not have
    WINDOW = "window"  # a hand-over outside the site's hours and the item's windows
    LUNCH = "lunch"  # the break cannot start inside its window
    SHIFT = "shift"  # the route leaves before or ends after the shift
    MAX_DURATION = "max_duration"
    MAX_DISTANCE = "max_distance"
    CAPACITY = "capacity"  # a load dimension over the vehicle's capacity
    CASH = "cash"  # cash on board over the courier's limit
    SKILL = "skill"  # the courier lacks a skill the item needs
    INCOMPATIBLE = "incompatible"  # classes that may not share a vehicle ride together
    PRECEDENCE = "precedence"  # delivered before it was picked up
    SAME_ROUTE = "same_route"  # pickup and delivery on different routes, or one missing
    ON_BOARD = "on_board"  # an item on board of another courier, or picked up again
    DUPLICATE = "duplicate"  # an event twice, or an item on two routes
    DEADLINE = "deadline"  # delivered after its deadline (advisory for reasons)


@dataclass(frozen=True)
class Violation:
    """One broken rule: its kind, the courier and item (when one is at fault), and a sentence."""

    kind: ViolationKind
    courier: str
    item: str | None
    message: str
    key: str = ""  # the message as a key of planner.reason_text (empty: "v.other")
    args: tuple[tuple[str, str], ...] = ()

    def __str__(self) -> str:
        return f"[{self.kind}] {self.courier}: {self.message}"


def _said(kind: ViolationKind, courier: str, item: str | None, key: str, /,
          **args: object) -> Violation:
    """A violation whose sentence is ``key`` of :mod:`planner.reason_text` (English message)."""
    pairs = tuple((name, str(value)) for name, value in args.items())
    return Violation(kind, courier, item, sentence(key, pairs, "en"), key, pairs)


def allowed_windows(problem: Problem, item: Item, action: Action) -> tuple[TimeWindow, ...]:
    """Windows in which the hand-over of ``item`` for ``action`` may start.

    The site's hours for this hand-over (:func:`site_hours`) intersected with
    the item's own windows (a citizen's appointment), from its release on for a
    pickup (``Item.released_s``, the agency's notice); an empty tuple means never.
    """
    own = merged(item.pickup_windows if action is Action.PICKUP else item.delivery_windows)
    if action is Action.PICKUP and item.released_s is not None:  # not before the release
        released = intersect(own, (TimeWindow(item.released_s, horizon_s(problem)),))
        if own and not released:
            return ()  # released after its own windows: never today
        own = released
    hours = site_hours(problem, item, action)
    if not own or not hours:
        return hours
    return intersect(hours, own)  # both non-empty: empty means never


def site_hours(problem: Problem, item: Item, action: Action) -> tuple[TimeWindow, ...]:
    """Windows in which the site's hours let the hand-over of ``item`` for ``action`` start.

    The planning day, cut to the site's opening hours. At an agency (one-stop
    shop, service centre) the whole visit lies inside one opening session:
    parking, finding the officer and the biên bản (the site's ``visit_s``,
    paid on arrival, before the first hand-over) start at or after the
    session opens, and the hand-over (``service_s``) ends at or before it
    closes; each session ``[open, close]`` becomes ``[open + visit_s, close -
    service_s]`` in hand-over start times, and is dropped when nothing is left
    (DOMAIN.md §4 and §8.6: the one-stop shop's hours and lunch closure; the
    biên bản is signed with the officer, QĐ 45 art. 7(2-4)). Other sites bind
    the start of the hand-over only. An empty tuple means never.
    """
    site = problem.site(event_site(item, action))
    day = (TimeWindow(0, horizon_s(problem)),)
    hours = merged(site.opening)
    if not hours:
        return day
    if SiteKind(site.kind).is_agency:
        service = service_s(item, action)
        hours = tuple(
            TimeWindow(w.start_s + site.visit_s, w.end_s - service)
            for w in hours
            if w.start_s + site.visit_s <= w.end_s - service
        )
        if not hours:
            return ()
    return intersect(day, hours)  # both non-empty: empty means never


def horizon_s(problem: Problem) -> int:
    """End of the planning horizon: the day, or the latest shift end when later."""
    return max(DAY_S, problem.latest_shift_end_s)


def event_site(item: Item, action: Action) -> str:
    """Site where the event happens."""
    return item.pickup_site if action is Action.PICKUP else item.delivery_site


def service_s(item: Item, action: Action) -> int:
    """The item's own hand-over time for this event."""
    return item.pickup_service_s if action is Action.PICKUP else item.delivery_service_s


def earliest_in(windows: tuple[TimeWindow, ...], t: int) -> int | None:
    """The earliest time >= ``t`` inside ``windows``, or None when all are over."""
    for w in windows:
        if w.end_s >= t:
            return max(t, w.start_s)
    return None


def cash_delta(item: Item, action: Action) -> int:
    """Change of cash carried at this event (VND, may be negative).

    Fee and postage are collected from the citizen at their door (pickup of a
    dossier, delivery of a result); a dossier's fee is handed to the agency
    with it (QĐ 45 art. 7(5)); the rest is remitted at the post office at the
    end (QĐ 45 art. 15(2)). See :meth:`Item.cash_delta_vnd`.
    """
    return item.cash_delta_vnd(action)


def initial_load(problem: Problem, courier: str) -> tuple[list[int], int]:
    """Load per dimension and cash of the items already on board ``courier``."""
    load = [0] * len(problem.dimensions)
    cash = 0
    for it in problem.on_board.get(courier, ()):
        if it.on_board == courier:
            load = [a + b for a, b in zip(load, it.quantity, strict=True)]
            cash += it.cash_on_board_vnd
    return load, cash


def group_stops(problem: Problem, events: Sequence[Event]) -> list[tuple[str, list[Event]]]:
    """Consecutive events at one site grouped into (site, events) visits."""
    stops: list[tuple[str, list[Event]]] = []
    for e in events:
        site = event_site(problem.item(e.item), e.action)
        if stops and stops[-1][0] == site:
            stops[-1][1].append(e)
        else:
            stops.append((site, [e]))
    return stops


@dataclass
class _Timed:
    route: Route
    violations: list[Violation]


def _simulate(  # noqa: PLR0915, PLR0917 - one forward pass, kept in one piece
    problem: Problem,
    c: Courier,
    stops: list[tuple[str, list[Event]]],
    lunch_pos: int | None,
    not_before_s: int | None = None,
    locked: int = 0,
) -> _Timed:
    """Forward schedule with the lunch before leg ``lunch_pos`` (len(stops)+1: after the end)."""
    v: list[Violation] = []
    travel = problem.travel[c.vehicle]
    si = problem.site_index
    resume = not_before_s or 0
    t = max(c.shift.start_s, resume) if locked == 0 else c.shift.start_s
    done = 0
    here = c.start_site
    lunch_at: int | None = None

    def take_lunch(now: int) -> int:
        nonlocal lunch_at
        assert c.lunch is not None
        start = max(now, c.lunch.window.start_s)
        if start > c.lunch.window.end_s:
            v.append(_said(ViolationKind.LUNCH, c.id, None, "v.lunch",
                           at=_hm(start), window=c.lunch.window))
        lunch_at = start
        return start + c.lunch.duration_s

    out: list[Stop] = []
    dist_total = 0
    for k, (site, evs) in enumerate(stops):
        leg_t = int(travel.duration_s[si[here], si[site]])
        leg_d = int(travel.distance_m[si[here], si[site]])
        dist_total += leg_d
        if lunch_pos == k and c.lunch is not None:
            # the break falls on the road (a roadside meal) or, when its window opens
            # after the courier gets there, during the wait on arrival: never held at
            # the previous stop while the road could be driven
            lunch_start = max(t, c.lunch.window.start_s)
            take_lunch(lunch_start)
            arrival = max(t + leg_t, lunch_start) + c.lunch.duration_s
        else:
            arrival = t + leg_t
        visit = problem.site(site).visit_s if site != here else 0
        now = arrival + visit
        first_start: int | None = None
        for e in evs:
            item = problem.item(e.item)
            if done >= locked:
                now = max(now, resume)
            done += 1
            wins = allowed_windows(problem, item, e.action)
            start = earliest_in(wins, now)
            if start is None:
                key, note = _visit_note(problem, item, e.action)
                v.append(_said(ViolationKind.WINDOW, c.id, e.item, key, action=e.action.value,
                               item=e.item, site=site, at=_hm(now), windows=windows_text(wins),
                               **note))
                start = now
            first_start = start if first_start is None else first_start
            now = start + service_s(item, e.action)
        assert first_start is not None
        out.append(
            Stop(
                site=site,
                arrival_s=arrival,
                start_s=max(arrival, first_start - visit),
                departure_s=now,
                events=tuple(evs),
                load_after=(),
                travel_s=leg_t,
                distance_m=leg_d,
            )
        )
        t, here = now, site
    leg_d = int(travel.distance_m[si[here], si[c.end_site]])
    dist_total += leg_d
    leg_t = int(travel.duration_s[si[here], si[c.end_site]])
    end = t + leg_t
    if lunch_pos == len(stops) and c.lunch is not None:  # on the way back, or on arrival
        lunch_start = max(t, c.lunch.window.start_s)
        take_lunch(lunch_start)
        end = max(end, lunch_start) + c.lunch.duration_s
    if lunch_pos == len(stops) + 1:
        take_lunch(end)
    start_s = max(c.shift.start_s, resume) if locked == 0 else c.shift.start_s
    if out:
        # leave as late as possible without delaying the first hand-over
        first = out[0]
        latest = first.start_s - first.travel_s
        if (lunch_at is not None and c.lunch is not None and lunch_at < first.start_s
                and lunch_at + c.lunch.duration_s > latest):
            latest -= c.lunch.duration_s  # lunch on the first leg: leave earlier by the break
        if latest > start_s:
            start_s = latest
            out[0] = replace(out[0], arrival_s=first.start_s)
    lunch_end = None
    if lunch_at is not None and c.lunch is not None:
        lunch_end = lunch_at + c.lunch.duration_s
    route = Route(
        courier=c.id,
        start_s=start_s,
        end_s=end,
        stops=tuple(out),
        distance_m=dist_total,
        lunch_start_s=lunch_at,
        lunch_end_s=lunch_end,
    )
    return _Timed(route, v)


def _visit_note(problem: Problem, item: Item, action: Action) -> tuple[str, dict[str, object]]:
    """The key of a window violation, and why an agency's windows are shorter than its hours."""
    site = problem.site(event_site(item, action))
    if not (SiteKind(site.kind).is_agency and site.opening):
        return "v.window", {}
    return "v.window_visit", {"visit_min": site.visit_s // 60,
                              "service_min": service_s(item, action) // 60,
                              "session": windows_text(merged(site.opening))}


def _hm(t: int) -> str:
    return f"{t // 3600:02d}:{(t % 3600) // 60:02d}"


def _with_loads(problem: Problem, c: Courier, route: Route, v: list[Violation]) -> Route:
    """Fill loads and cash per stop and list capacity and cash-limit violations."""
    load, cash = initial_load(problem, c.id)
    stops = []
    for s in route.stops:
        for e in s.events:
            item = problem.item(e.item)
            sign = 1 if e.action is Action.PICKUP else -1
            load = [a + sign * q for a, q in zip(load, item.quantity, strict=True)]
            cash += cash_delta(item, e.action)
            for dim, (amount, cap) in enumerate(zip(load, c.capacity, strict=True)):
                if amount > cap:
                    v.append(_said(ViolationKind.CAPACITY, c.id, e.item, "v.capacity",
                                   dimension=problem.dimensions[dim], amount=amount, cap=cap,
                                   action=e.action.value, item=e.item))
            if c.cash_limit_vnd is not None and cash > c.cash_limit_vnd:
                v.append(_said(ViolationKind.CASH, c.id, e.item, "v.cash", cash_vnd=cash,
                               limit_vnd=c.cash_limit_vnd, action=e.action.value, item=e.item))
        stops.append(replace(s, load_after=tuple(load), cash_after_vnd=cash))
    return replace(route, stops=tuple(stops))


def _route_rules(c: Courier, route: Route, v: list[Violation]) -> None:
    """Shift, duration and distance limits of the whole route."""
    if route.start_s < c.shift.start_s or route.end_s > c.shift.end_s:
        v.append(_said(ViolationKind.SHIFT, c.id, None, "v.shift", start=_hm(route.start_s),
                       end=_hm(route.end_s), shift=c.shift))
    if c.lunch is not None and route.lunch_end_s is not None and route.lunch_end_s > c.shift.end_s:
        v.append(_said(ViolationKind.SHIFT, c.id, None, "v.lunch_after_shift"))
    if c.max_duration_s is not None and route.duration_s > c.max_duration_s:
        v.append(_said(ViolationKind.MAX_DURATION, c.id, None, "v.max_duration",
                       duration_s=route.duration_s, max_s=c.max_duration_s))
    if c.max_distance_m is not None and route.distance_m > c.max_distance_m:
        v.append(_said(ViolationKind.MAX_DISTANCE, c.id, None, "v.max_distance",
                       distance_m=route.distance_m, max_m=c.max_distance_m))


def _item_rules(  # noqa: PLR0912 - one check per rule
    problem: Problem, c: Courier, events: Sequence[Event], v: list[Violation]
) -> None:
    """Skills, incompatible classes, precedence, pairing, on-board and deadlines."""
    pos: dict[tuple[str, Action], int] = {}
    for k, e in enumerate(events):
        if (e.item, e.action) in pos:
            v.append(Violation(ViolationKind.DUPLICATE, c.id, e.item,
                               f"{e.action} of {e.item} appears twice"))
        pos[(e.item, e.action)] = k
    seen: set[str] = set()
    for e in events:
        if e.item in seen:
            continue
        seen.add(e.item)
        it = problem.item(e.item)
        missing = it.required_skills - c.skills
        if missing:
            v.append(
                Violation(
                    ViolationKind.SKILL,
                    c.id,
                    it.tracking_code,
                    f"{it.tracking_code} needs skill(s) {', '.join(sorted(missing))}",
                )
            )
        p, d = (
            pos.get((it.tracking_code, Action.PICKUP)),
            pos.get((it.tracking_code, Action.DELIVERY)),
        )
        if it.on_board is not None:
            if it.on_board != c.id:
                v.append(
                    Violation(
                        ViolationKind.ON_BOARD,
                        c.id,
                        it.tracking_code,
                        f"{it.tracking_code} is on board courier {it.on_board}",
                    )
                )
            if p is not None:
                v.append(
                    Violation(
                        ViolationKind.ON_BOARD,
                        c.id,
                        it.tracking_code,
                        f"{it.tracking_code} is already picked up and cannot be picked up again",
                    )
                )
        elif p is None:
            v.append(
                Violation(
                    ViolationKind.SAME_ROUTE,
                    c.id,
                    it.tracking_code,
                    f"{it.tracking_code} is delivered but not picked up on this route",
                )
            )
        elif d is None:
            v.append(
                Violation(
                    ViolationKind.SAME_ROUTE,
                    c.id,
                    it.tracking_code,
                    f"{it.tracking_code} is picked up but not delivered on this route",
                )
            )
        elif d < p:
            v.append(
                Violation(
                    ViolationKind.PRECEDENCE,
                    c.id,
                    it.tracking_code,
                    f"{it.tracking_code} is delivered before it is picked up",
                )
            )
        if d is not None and it.deadline is not None and it.deadline < problem.date:
            v.append(
                Violation(
                    ViolationKind.DEADLINE,
                    c.id,
                    it.tracking_code,
                    f"{it.tracking_code} was due {it.deadline.isoformat()}, before the plan date",
                )
            )
    classes = sorted({problem.item(i).item_class for i in seen})
    for a_i, a in enumerate(classes):
        for b in classes[a_i + 1 :]:
            if problem.rules.incompatible(a, b):
                v.append(
                    Violation(
                        ViolationKind.INCOMPATIBLE,
                        c.id,
                        None,
                        f"classes '{a}' and '{b}' may not share a vehicle",
                    )
                )


def time_route(
    problem: Problem,
    courier: str,
    events: Sequence[Event],
    not_before_s: int | None = None,
    locked: int = 0,
    *,
    settle_lunch: bool = False,
) -> tuple[Route, list[Violation]]:
    """Re-time ``events`` for ``courier`` into a Route and list every violation.

    Parameters
    ----------
    problem
        The day's problem (sites, items, the courier, travel).
    courier
        Courier id.
    events
        Ordered pickups and deliveries; consecutive events at one site become one Stop.
    not_before_s
        Hand-overs after the first ``locked`` events start no earlier than this
        (re-optimisation: now).
    locked
        How many leading events are done or in progress (timed from the shift start).
    settle_lunch
        Also try every later lunch position and keep the latest one that ends the
        day no later: the courier works on instead of idling until the lunch
        window opens (checking only needs the first valid position).

    Returns
    -------
    tuple
        The timed route and the violations (empty when the route is valid).
    """
    c = problem.courier(courier)
    for e in events:
        if e.item not in problem.item_index:
            return (
                Route(courier, c.shift.start_s, c.shift.start_s, (), 0),
                [Violation(ViolationKind.UNKNOWN, courier, e.item, f"unknown item '{e.item}'")],
            )
    stops = group_stops(problem, events)

    def attempt(pos: int | None) -> _Timed:
        timed = _simulate(problem, c, stops, pos, not_before_s, locked)
        _route_rules(c, timed.route, timed.violations)
        return timed

    best = attempt(None if c.lunch is None else 0)
    if c.lunch is not None:
        for pos in range(1, len(stops) + 2):
            if not best.violations:
                break
            timed = attempt(pos)
            if (len(timed.violations), timed.route.end_s) < (len(best.violations),
                                                              best.route.end_s):
                best = timed
        if settle_lunch and not best.violations:
            first = best.route.lunch_start_s
            for pos in range(len(stops) + 1, 0, -1):
                timed = attempt(pos)
                if not timed.violations and timed.route.end_s <= best.route.end_s:
                    if (timed.route.lunch_start_s or 0) >= (first or 0):
                        best = timed
                    break
    violations = list(best.violations)
    route = _with_loads(problem, c, best.route, violations)
    _item_rules(problem, c, events, violations)
    return route, violations


def check(problem: Problem, routes: Mapping[str, Sequence[Event]]) -> list[Violation]:
    """Every violation in a set of routes (solved or edited by hand).

    Besides each route's own rules, an item may appear on one route only.

    Examples
    --------
    Empty routes break nothing:

    >>> import datetime as dt
    >>> from planner.problem import ProblemBuilder
    >>> check(ProblemBuilder(dt.date(2026, 11, 23)).build(), {})
    []
    """
    out: list[Violation] = []
    owner: dict[str, str] = {}
    for courier, events in routes.items():
        if courier not in problem.courier_index:
            out.append(Violation(ViolationKind.UNKNOWN, courier, None,
                                 f"unknown courier '{courier}'"))
            continue
        out.extend(time_route(problem, courier, events)[1])
        for e in events:
            if owner.setdefault(e.item, courier) != courier:
                out.append(
                    Violation(
                        ViolationKind.DUPLICATE,
                        courier,
                        e.item,
                        f"{e.item} is also on the route of {owner[e.item]}",
                    )
                )
    return out


def timed_routes(
    problem: Problem,
    routes: Mapping[str, Sequence[Event]],
    locked: Mapping[str, int] | None = None,
    not_before_s: int | None = None,
) -> tuple[Route, ...]:
    """Routes of the non-empty event sequences, timed by :func:`time_route`.

    ``locked`` gives per courier the number of leading events already done;
    the others start no earlier than ``not_before_s``.
    """
    locked = locked or {}
    return tuple(
        time_route(problem, c, evs, not_before_s, locked.get(c, 0), settle_lunch=True)[0]
        for c, evs in routes.items()
        if evs
    )
