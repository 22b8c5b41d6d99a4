"""Route views: stops resolved against the problem, with what the courier waits for."""

from __future__ import annotations

from planner.output.itinerary import route_view
from planner.plan import Plan
from planner.problem import Problem
from tests.planner.output.conftest import H


def test_an_item_released_after_service_starts_is_marked(problem: Problem, plan: Plan) -> None:
    """R1 is released at 13:15 while service at OS1 starts at 13:00: the courier waits for it."""
    view = route_view(problem, plan.routes[0])
    shop = view.stops[2]
    lines = {li.tracking_code: li for li in shop.lines}
    assert lines["R1"].not_before_s == H("13:15")
    assert lines["D1"].not_before_s is None
    assert shop.held_until_s == H("13:15")


def test_stops_without_later_windows_hold_nothing(problem: Problem, plan: Plan) -> None:
    """Items whose windows are open when service starts carry no waiting mark."""
    view = route_view(problem, plan.routes[1])
    assert all(s.held_until_s is None for s in view.stops)
    assert [s.number for s in view.stops] == [1, 2]
