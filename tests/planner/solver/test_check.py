"""Re-timing routes: where the lunch break goes."""

from __future__ import annotations

from planner.domain import LunchBreak, SiteKind, TimeWindow
from planner.domain.hours import CLOSED
from planner.solver import time_route, timed_routes
from tests.planner.solver.days import H, build, courier, events, item, site

LUNCH = LunchBreak(TimeWindow(H("11:00"), H("13:30")), 3600)


def test_short_morning_route_is_not_held_back_for_lunch() -> None:
    """Work that fits before the lunch window is done first; lunch comes after it."""
    p = build([site("PO", 0), site("A", 1), site("B", 2)], [courier("K1", lunch=LUNCH)],
              [item("D1", "A", "B")])
    (route,) = timed_routes(p, {"K1": events(("D1", "p"), ("D1", "d"))})
    assert route.stops[0].arrival_s < H("08:00")
    assert route.end_s < H("11:00")
    assert route.lunch_start_s == H("11:00")


def test_checking_keeps_the_first_valid_lunch_position() -> None:
    """Check mode only needs a valid position; it finds one without scanning all."""
    p = build([site("PO", 0), site("A", 1), site("B", 2)], [courier("K1", lunch=LUNCH)],
              [item("D1", "A", "B")])
    route, violations = time_route(p, "K1", events(("D1", "p"), ("D1", "d")))
    assert violations == []
    assert route.lunch_start_s is not None
    assert H("11:00") <= route.lunch_start_s <= H("13:30")


def test_lunch_waits_for_the_work_that_must_come_first() -> None:
    """A delivery due before noon is made before lunch, the afternoon pickup after it."""
    p = build(
        [site("PO", 0), site("A", 1), site("B", 2), site("C", 3)],
        [courier("K1", lunch=LUNCH)],
        [
            item("D1", "A", "B", delivery_windows=(TimeWindow(H("10:30"), H("11:30")),)),
            item("D2", "C", "PO", pickup_windows=(TimeWindow(H("14:00"), H("16:00")),)),
        ],
    )
    (route,) = timed_routes(p, {"K1": events(("D1", "p"), ("D1", "d"), ("D2", "p"),
                                              ("D2", "d"))})
    b_stop = route.stops[1]
    assert route.lunch_start_s is not None
    assert b_stop.start_s <= H("11:30") <= route.lunch_start_s + 3600
    assert route.lunch_start_s >= b_stop.departure_s


def test_a_closed_office_is_named_closed_in_violations() -> None:
    """A hand-over at an office closed today says 'closed', not a 00:00–00:00 window."""
    p = build([site("PO", 0), site("A", 1), site("B", 2, kind=SiteKind.COMMUNE_ONE_STOP,
                                                   opening=CLOSED)],
              [courier("K1")], [item("D1", "A", "B")])
    _, violations = time_route(p, "K1", events(("D1", "p"), ("D1", "d")))
    (v,) = [v for v in violations if v.kind == "window"]
    assert "closed" in v.message
    assert "00:00" not in v.message
