"""A route's day, second by second: driving, visits, hand-overs, waits with their cause, lunch.

The plan stores when each stop is reached, started and left; this module
splits a route's whole duration into spans, so the KPIs, the route sheets and
the maps count and explain the same time. Waits get their cause from the
route, the site's opening hours and the item's own windows (a result's
release time, a citizen's appointment), following the timing rules of check
mode (``planner.solver.check``): a visit is paid on arrival, each hand-over
starts at the earliest allowed time, lunch is taken on the road or during the
wait on arrival, and the route leaves its depot as late as the first hand-over
allows.

The spans of a route cover ``route.start_s`` to ``route.end_s`` exactly: their
durations add up to ``route.duration_s``. Every hand-over has its span, even
one of no duration (it marks the hand-over's time).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from enum import StrEnum

from planner.domain.sites import Site, SiteKind
from planner.plan import Action, Event, Route
from planner.problem import Problem
from planner.solver.check import allowed_windows, earliest_in, service_s, site_hours


class Activity(StrEnum):
    """What a courier does during a span."""

    DRIVE = "drive"
    VISIT = "visit"  # parking, finding the officer, the hand-over record (once per stop)
    SERVICE = "service"  # one item's hand-over
    WAIT = "wait"
    LUNCH = "lunch"


class WaitCause(StrEnum):
    """Why a courier waits (each wait has exactly one)."""

    OFFICE_CLOSED = "office_closed"  # the site is not open (before opening, lunch closure)
    NOT_RELEASED = "not_released"  # the agency releases the result later (art. 8(4) notice)
    APPOINTMENT = "appointment"  # the citizen's own window has not started
    LUNCH_NOT_OPEN = "lunch_not_open"  # the lunch window has not opened yet
    OTHER = "other"  # idle the rules do not explain (a hand-edited or foreign plan)


@dataclass(frozen=True)
class Span:
    """One stretch of a route's time.

    ``stop`` is the index of the stop in ``route.stops`` where it happens (None:
    on the road or at a depot); ``item`` the tracking code served or waited for;
    ``cause`` is set for waits only, ``action`` for hand-overs only.
    """

    activity: Activity
    start_s: int
    end_s: int
    stop: int | None = None
    item: str | None = None
    cause: WaitCause | None = None
    action: Action | None = None  # for a hand-over: pickup or delivery

    @property
    def duration_s(self) -> int:
        """Length of the span in seconds."""
        return self.end_s - self.start_s


def _own_cause(site: Site, action: Action) -> WaitCause:
    """The cause of waiting for an item's own window at ``site``."""
    if site.kind.is_agency and action is Action.PICKUP:
        return WaitCause.NOT_RELEASED
    if site.kind is SiteKind.CITIZEN:
        return WaitCause.APPOINTMENT
    return WaitCause.NOT_RELEASED if action is Action.PICKUP else WaitCause.APPOINTMENT


def _waits(problem: Problem, item_code: str, action: Action, at: int, until: int, *,
           stop: int) -> list[Span]:
    """Spans of a wait from ``at`` to ``until`` before ``item_code``'s hand-over, by cause.

    Times are hand-over starts. The part while the site's hours do not let the
    hand-over start (:func:`planner.solver.check.site_hours`: at an agency,
    until the visit fits after the opening, or when it would not end before the
    closing) is ``OFFICE_CLOSED``; the rest is the item's own window (release or
    appointment).
    """
    if until <= at:
        return []
    item = problem.item(item_code)
    site = problem.site(item.pickup_site if action is Action.PICKUP else item.delivery_site)
    opens = earliest_in(site_hours(problem, item, action), at)
    closed_until = until if opens is None else min(max(opens, at), until)
    out = []
    if closed_until > at:
        out.append(Span(Activity.WAIT, at, closed_until, stop, item_code,
                        WaitCause.OFFICE_CLOSED))
    if until > closed_until:
        out.append(Span(Activity.WAIT, closed_until, until, stop, item_code,
                        _own_cause(site, action)))
    return out


#: Explains a wait at the next stop from ``at`` to ``until`` (seconds) by its own causes.
_Ahead = Callable[[int, int], list[Span]]


def _gap(t: int, arrival: int, travel: int, lunch: tuple[int, int] | None,
         lunch_opens: int, *, ahead: _Ahead | None = None) -> list[Span]:
    """The road between two places: driving, lunch on the way or on arrival, idle.

    When the lunch window opens after the courier can get there, the courier
    drives first and waits at the next place (check mode's rule): the part of
    that wait the next hand-over would have needed anyway (its office closed,
    the release, the appointment) takes the cause ``ahead`` gives it; only the
    rest, time the courier could have worked, is ``LUNCH_NOT_OPEN`` (up to
    ``lunch_opens``, the start of the courier's lunch window) or ``OTHER``.
    """
    if lunch is None or not (t <= lunch[0] < arrival or (lunch[0] == arrival == t)):
        drive = min(travel, arrival - t)
        return [s for s in (Span(Activity.WAIT, t, arrival - drive, cause=WaitCause.OTHER),
                            Span(Activity.DRIVE, arrival - drive, arrival)) if s.duration_s]
    ls, le = lunch[0], min(lunch[1], arrival)
    pre, post = ls - t, arrival - le
    drive_post = min(post, travel)
    drive_pre = min(pre, travel - drive_post)
    idle_pre = pre - drive_pre
    if idle_pre and not drive_post:  # drive, then wait there for the break
        there = t + drive_pre
        waits = ahead(there, ls) if ahead is not None else []
        spans = [Span(Activity.DRIVE, t, there), *waits,
                 *_lunch_waits(waits[-1].end_s if waits else there, ls, lunch_opens)]
    else:
        spans = [*_lunch_waits(t, t + idle_pre, lunch_opens),
                 Span(Activity.DRIVE, t + idle_pre, ls)]
    spans += [
        Span(Activity.LUNCH, ls, le),
        Span(Activity.DRIVE, le, le + drive_post),
        Span(Activity.WAIT, le + drive_post, arrival, cause=WaitCause.OTHER),
    ]
    return [s for s in spans if s.duration_s]


def _lunch_waits(at: int, until: int, lunch_opens: int) -> list[Span]:
    """Idle for the break: ``LUNCH_NOT_OPEN`` before ``lunch_opens``, ``OTHER`` after."""
    not_open = min(max(lunch_opens, at), until)
    return [Span(Activity.WAIT, at, not_open, cause=WaitCause.LUNCH_NOT_OPEN),
            Span(Activity.WAIT, not_open, until, cause=WaitCause.OTHER)]


def _ahead(problem: Problem, route: Route, k: int, here: str) -> _Ahead:
    """The waits stop ``k`` needs anyway, for idle before a break taken on arrival there.

    A wait from ``at`` is the stop's own (office closed, release, appointment)
    as long as its first hand-over could not start earlier without the break:
    up to that hand-over's earliest start after a visit begun at ``at``.
    """
    stop = route.stops[k]
    visit = problem.site(stop.site).visit_s if stop.site != here else 0
    first = stop.events[0]
    wins = allowed_windows(problem, problem.item(first.item), first.action)

    def explain(at: int, until: int) -> list[Span]:
        ready = earliest_in(wins, at + visit)
        end = until if ready is None else min(until, ready - visit)
        waited = first
        if end < until:  # the first hand-over could start sooner: unless the stop waits later
            leaves, longest = _without_break(problem, stop.events, at + visit)
            if leaves is not None and leaves >= stop.departure_s and longest is not None:
                end, waited = until, longest  # the break cost the stop nothing
        return [Span(s.activity, s.start_s - visit, s.end_s - visit, k, s.item, s.cause)
                for s in _waits(problem, waited.item, waited.action, at + visit, end + visit,
                                stop=k)]

    return explain


def _without_break(problem: Problem, events: Iterable[Event],
                   now: int) -> tuple[int | None, Event | None]:
    """When a stop begun at ``now`` would end without a break, and the event waited for longest.

    (None, None) when a hand-over has no window left.
    """
    longest: tuple[int, Event | None] = (0, None)
    for e in events:
        item = problem.item(e.item)
        start = earliest_in(allowed_windows(problem, item, e.action), now)
        if start is None:
            return None, None
        if start - now > longest[0]:
            longest = (start - now, e)
        now = start + service_s(item, e.action)
    return now, longest[1]


def _stop_spans(problem: Problem, route: Route, k: int, here: str) -> list[Span]:
    """Waits, the visit and each hand-over at stop ``k``, re-timed as check mode does."""
    stop = route.stops[k]
    site = problem.site(stop.site)
    visit = site.visit_s if stop.site != here else 0
    first = stop.events[0]
    spans = _waits(problem, first.item, first.action, stop.arrival_s + visit,
                   stop.start_s + visit, stop=k)
    spans = [Span(s.activity, s.start_s - visit, s.end_s - visit, k, s.item, s.cause)
             for s in spans]
    if visit:
        spans.append(Span(Activity.VISIT, stop.start_s, stop.start_s + visit, k))
    now = stop.start_s + visit
    for e in stop.events:
        item = problem.item(e.item)
        start = earliest_in(allowed_windows(problem, item, e.action), now)
        start = now if start is None else min(start, max(now, stop.departure_s))
        spans += _waits(problem, e.item, e.action, now, start, stop=k)
        end = min(start + service_s(item, e.action), max(start, stop.departure_s))
        # kept when empty too: the span marks the hand-over's time (the filing time)
        spans.append(Span(Activity.SERVICE, start, end, k, e.item, action=e.action))
        now = end
    if stop.departure_s > now:  # longer at the stop than the rules say: still service
        spans.append(Span(Activity.SERVICE, now, stop.departure_s, k))
    return spans


def route_timeline(problem: Problem, route: Route) -> tuple[Span, ...]:
    """Split ``route``'s duration into spans, in time order.

    Raises
    ------
    KeyError
        If the route names a courier, site or item the problem does not have.
    """
    c = problem.courier(route.courier)
    lunch = None
    opens = c.lunch.window.start_s if c.lunch is not None else 0
    if route.lunch_start_s is not None and route.lunch_end_s is not None:
        lunch = (route.lunch_start_s, route.lunch_end_s)
    spans: list[Span] = []
    t, here = route.start_s, c.start_site
    for k, stop in enumerate(route.stops):
        spans += _gap(t, stop.arrival_s, stop.travel_s, lunch, opens,
                      ahead=_ahead(problem, route, k, here))
        spans += _stop_spans(problem, route, k, here)
        t, here = max(t, stop.departure_s), stop.site
    back = problem.travel_s(c.vehicle, here, c.end_site) if route.stops else 0
    spans += _gap(t, route.end_s, back, lunch, opens)
    return tuple(spans)


@dataclass(frozen=True)
class TimeSplit:
    """Seconds per activity, waits per cause, and service per site kind."""

    drive_s: int
    visit_s: int
    service_s: int
    lunch_s: int
    wait_s: int
    wait_by_cause: dict[str, int]
    service_by_site_kind: dict[str, int]

    @property
    def total_s(self) -> int:
        """Everything: equals the routes' duration."""
        return self.drive_s + self.visit_s + self.service_s + self.lunch_s + self.wait_s


def time_split(problem: Problem, routes: Iterable[Route]) -> TimeSplit:
    """Add up the spans of ``routes`` (service per site kind includes the visits)."""
    per: dict[Activity, int] = defaultdict(int)
    cause: dict[str, int] = defaultdict(int)
    kind: dict[str, int] = defaultdict(int)
    for r in routes:
        for s in route_timeline(problem, r):
            per[s.activity] += s.duration_s
            if s.cause is not None:
                cause[s.cause.value] += s.duration_s
            if s.activity in (Activity.VISIT, Activity.SERVICE) and s.stop is not None:
                kind[problem.site(r.stops[s.stop].site).kind.value] += s.duration_s
    return TimeSplit(
        drive_s=per[Activity.DRIVE], visit_s=per[Activity.VISIT],
        service_s=per[Activity.SERVICE], lunch_s=per[Activity.LUNCH],
        wait_s=per[Activity.WAIT],
        wait_by_cause={c.value: cause[c.value] for c in WaitCause if cause[c.value]},
        service_by_site_kind=dict(sorted(kind.items())),
    )
