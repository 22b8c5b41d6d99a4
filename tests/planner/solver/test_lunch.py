"""Lunch fits the day (issue 13): no break outside the shift, a break taken during a wait."""

from __future__ import annotations

from planner.domain import LunchBreak, SiteKind, TimeWindow
from planner.problem import Problem
from planner.solver import time_route
from planner.solver.reasons import feasibility
from planner.timeline import Activity, WaitCause, route_timeline
from tests.planner.solver.days import H, build, courier, events, item, site, solved

#: The fleet file's default lunch: a one-hour break starting 11:00–13:30.
DEFAULT_LUNCH = LunchBreak(TimeWindow(H("11:00"), H("13:30")), 3600)


def test_a_morning_part_timer_has_no_lunch() -> None:
    """A 07:00–11:00 shift with the default 11:00–13:30 lunch serves its dossiers, lunch-free."""
    p = build(
        [site("PO", 0), site("A", 1), site("B", 2)],
        [courier("K1", shift=TimeWindow(H("07:00"), H("11:00")), lunch=DEFAULT_LUNCH)],
        [item("D1", "A", "B"), item("D2", "B", "A")],
    )
    assert p.courier("K1").lunch is None
    plan = solved(p)
    assert plan.unassigned == ()
    assert plan.routes[0].lunch_start_s is None


def test_a_lunch_reaching_past_the_shift_is_clipped() -> None:
    """A 07:00–12:30 shift keeps a break that must start by 11:30 (and so ends in the shift)."""
    p = build([site("PO", 0)],
              [courier("K1", shift=TimeWindow(H("07:00"), H("12:30")), lunch=DEFAULT_LUNCH)], [])
    lunch = p.courier("K1").lunch
    assert lunch is not None
    assert lunch.window == TimeWindow(H("11:00"), H("11:30"))


def _far_citizen() -> Problem:
    """A citizen 100 minutes away, home only 12:00–13:00; the break starts 11:00–12:00."""
    return build(
        [site("PO", 0), site("C", 10, visit_s=120), site("A", 9, kind=SiteKind.COMMUNE_ONE_STOP)],
        [courier("K1", shift=TimeWindow(H("07:00"), H("17:00")),
                 lunch=LunchBreak(TimeWindow(H("11:00"), H("12:00")), 3600))],
        [item("X", "C", "A", pickup_windows=(TimeWindow(H("12:00"), H("13:00")),),
              pickup_service_s=480)],
    )


def test_the_break_is_taken_during_the_wait_on_arrival() -> None:
    """Check mode: drive there, lunch while waiting for the citizen, collect at 12:00."""
    p = _far_citizen()
    route, violations = time_route(p, "K1", events(("X", "p"), ("X", "d")))
    assert violations == []
    assert route.lunch_start_s == H("11:00")
    first = route.stops[0]
    assert first.start_s == H("12:00")  # after the break: the visit, then the pickup
    spans = route_timeline(p, route)
    assert sum(s.duration_s for s in spans) == route.duration_s
    lunch = [s for s in spans if s.activity is Activity.LUNCH]
    assert [(s.start_s, s.end_s) for s in lunch] == [(H("11:00"), H("12:00"))]


def test_the_far_citizen_is_served_and_not_called_impossible() -> None:
    """The model and the reasons agree with check mode: the item is feasible and served."""
    p = _far_citizen()
    able, reason = feasibility(p, p.item("X"))
    assert reason is None
    assert [c.id for c in able] == ["K1"]
    plan = solved(p)
    assert plan.unassigned == ()
    (route,) = plan.routes
    assert route.lunch_start_s is not None
    assert H("11:00") <= route.lunch_start_s <= H("12:00")


def test_a_wait_the_stop_needs_anyway_is_not_waiting_for_lunch() -> None:
    """Idle before a break taken on arrival is the stop's own wait when it could not start sooner.

    The courier leaves a morning stop at 07:40 for an office opening at 13:00, with
    a break to start 11:00–12:30: the wait is for the office, the break fits inside it.
    """
    p = build(
        [site("PO", 0), site("A", 1),
         site("B", 2, kind=SiteKind.COMMUNE_ONE_STOP,
              opening=(TimeWindow(H("13:00"), H("17:00")),))],
        [courier("K1", shift=TimeWindow(H("07:30"), H("17:00")),
                 lunch=LunchBreak(TimeWindow(H("11:00"), H("12:30")), 3600))],
        [item("D1", "A", "B", pickup_windows=(TimeWindow(H("07:30"), H("08:00")),))],
    )
    route, violations = time_route(p, "K1", events(("D1", "p"), ("D1", "d")),
                                   settle_lunch=True)
    assert violations == []
    spans = route_timeline(p, route)
    assert route.lunch_start_s == H("11:00")
    waits = [s for s in spans if s.activity is Activity.WAIT]
    assert {s.cause for s in waits} == {WaitCause.OFFICE_CLOSED}
    assert sum(s.duration_s for s in waits) == H("13:00") - H("07:50") - 3600  # there at 07:50


def test_a_break_inside_a_wait_for_a_later_release_is_not_waiting_for_lunch() -> None:
    """At a stop that waits for a 14:00 release anyway, idle before the break is that wait.

    The stop's first pickup could start on arrival, but the courier stays for the
    second one, released at 14:00, after the lunch window: the break goes in that wait.
    """
    office = (TimeWindow(H("07:30"), H("11:30")), TimeWindow(H("13:00"), H("17:00")))
    p = build(
        [site("PO", 0), site("A", 3, kind=SiteKind.COMMUNE_ONE_STOP, opening=office),
         site("B", 4)],
        [courier("K1", shift=TimeWindow(H("07:30"), H("17:00")), lunch=DEFAULT_LUNCH)],
        [item("R1", "A", "B", pickup_windows=(TimeWindow(H("07:30"), H("08:00")),)),
         item("R2", "B", "A"), item("R4", "A", "B"), item("R3", "A", "B", released_s=H("14:00"))],
    )
    route, violations = time_route(
        p, "K1", events(("R1", "p"), ("R1", "d"), ("R2", "p"), ("R2", "d"), ("R4", "p"),
                        ("R3", "p"), ("R4", "d"), ("R3", "d")), settle_lunch=True)
    assert violations == []
    causes = {s.cause for s in route_timeline(p, route) if s.activity is Activity.WAIT}
    assert WaitCause.LUNCH_NOT_OPEN not in causes
    assert WaitCause.NOT_RELEASED in causes
