"""Route views: stops resolved against the problem, with what the courier waits for and why."""

from __future__ import annotations

import dataclasses

import pytest

from planner.domain import TimeWindow
from planner.output.itinerary import route_view
from planner.plan import Action, Event, Plan, Route, Stop
from planner.problem import Problem
from planner.timeline import WaitCause
from tests.planner.output.conftest import H


def test_an_item_released_after_service_starts_is_marked(problem: Problem, plan: Plan) -> None:
    """R1 is released at 13:15 while service at OS1 starts at 13:00: the courier waits for it."""
    view = route_view(problem, plan.routes[0])
    shop = view.stops[2]
    lines = {li.tracking_code: li for li in shop.lines}
    assert lines["R1"].not_before_s == H("13:15")
    assert lines["D1"].not_before_s is None
    assert [(w.cause, w.start_s, w.end_s) for w in shop.waits] == [
        (WaitCause.OFFICE_CLOSED, H("12:50"), H("13:00")),
        (WaitCause.NOT_RELEASED, H("13:00"), H("13:15")),
    ]
    assert shop.waits_for("R1")[0].cause is WaitCause.NOT_RELEASED


def test_stops_without_later_windows_hold_nothing(problem: Problem, plan: Plan) -> None:
    """Items whose windows are open when service starts carry no waiting mark."""
    view = route_view(problem, plan.routes[1])
    assert all(not s.waits for s in view.stops)
    assert [s.number for s in view.stops] == [1, 2]


def released_at_ten(problem: Problem) -> tuple[Problem, Route]:
    """R1 released at 10:00 at OS1 (open since 07:30); K3 arrives 09:45 and waits for it."""
    items = [dataclasses.replace(it, pickup_windows=(TimeWindow(H("10:00"), H("17:00")),))
             if it.tracking_code == "R1" else it for it in problem.items]
    p = problem.replace(items=items)
    travel = p.travel_s(p.courier("K3").vehicle, "PO1", "OS1")
    stop = Stop("OS1", H("09:45"), H("10:00"), H("10:00"), (Event("R1", Action.PICKUP),),
                (1,), 0, travel, 1000)
    back = p.travel_s(p.courier("K3").vehicle, "OS1", "PO1")
    return p, Route("K3", H("09:45") - travel, H("10:00") + back, (stop,), 2000)


def test_a_wait_for_a_release_is_not_a_closed_office(problem: Problem) -> None:
    """Before the fix every wait on arrival printed 'chờ mở cửa'; its cause is the release."""
    p, route = released_at_ten(problem)
    view = route_view(p, route)
    assert [(w.cause, w.start_s, w.end_s) for w in view.stops[0].waits] == [
        (WaitCause.NOT_RELEASED, H("09:45"), H("10:00"))]
    assert view.wait_s == pytest.approx(900)
