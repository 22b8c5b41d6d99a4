"""Times at the agencies: the whole visit inside the opening hours (DOMAIN.md §4, §8.6)."""

from __future__ import annotations

from dataclasses import replace

import pytest

from planner.domain import ItemKind, Site, SiteKind, TimeWindow
from planner.domain.hours import OFFICE_HOURS
from planner.domain.items import Item
from planner.kpis import compute_kpis
from planner.plan import Action, Plan, UnassignedReason
from planner.problem import Problem
from planner.solver import check, solve, time_route
from planner.solver.check import ViolationKind, allowed_windows
from planner.solver.handover_order import deliveries_first
from planner.solver.reasons import feasibility
from planner.timeline import Activity, WaitCause, route_timeline

from .days import PARAMS, H, build, courier, events, item, site, solved

#: Parking, finding the officer and the biên bản at the agency: 10 minutes.
VISIT_S = 600
MORNING = (TimeWindow(H("07:30"), H("11:30")),)


def _agency(sid: str, pos: int, opening: tuple[TimeWindow, ...] = OFFICE_HOURS) -> Site:
    return site(sid, pos, kind=SiteKind.COMMUNE_ONE_STOP, opening=opening, visit_s=VISIT_S)


def _po() -> Site:
    return site("PO", 0, kind=SiteKind.DISTRICT_POST_OFFICE)


def _day(*items: Item, opening: tuple[TimeWindow, ...] = OFFICE_HOURS, **kw: object) -> Problem:
    """A post office at 0, citizens at 1 and 3, a one-stop shop at 2 (10 min apart)."""
    sites = [_po(), site("S1", 1), _agency("A", 2, opening), site("S3", 3)]
    return build(sites, [courier("K1", shift=TimeWindow(H("07:00"), H("17:30")), **kw)], items)


def _in_one_session(plan: Plan, problem: Problem) -> list[str]:
    """Agency stops of ``plan`` whose visit (start to departure) is not inside one session."""
    bad = []
    for r in plan.routes:
        for s in r.stops:
            hours = problem.site(s.site).opening
            if problem.site(s.site).kind.is_agency and not any(
                w.start_s <= s.start_s and s.departure_s <= w.end_s for w in hours
            ):
                bad.append(f"{r.courier} {s.site} {s.start_s}-{s.departure_s}")
    return bad


def test_agency_windows_leave_room_for_the_visit_and_the_hand_over() -> None:
    """Each session starts after the visit and ends a hand-over before the close."""
    d1 = item("D1", "S1", "A", delivery_service_s=300)
    p = _day(d1)
    assert allowed_windows(p, d1, Action.DELIVERY) == (
        TimeWindow(H("07:40"), H("11:25")),
        TimeWindow(H("13:10"), H("16:55")),
    )
    assert allowed_windows(p, d1, Action.PICKUP) == (TimeWindow(0, 24 * 3600),)


def test_a_hand_over_longer_than_every_session_is_never_allowed() -> None:
    """A visit and hand-over that fit in no session leave no window (and a reason)."""
    d1 = item("D1", "S1", "A", delivery_service_s=4 * 3600)
    p = _day(d1)
    assert allowed_windows(p, d1, Action.DELIVERY) == ()
    _, reason = feasibility(p, d1)
    assert reason is not None
    assert reason.reason is UnassignedReason.OUTSIDE_WINDOWS
    assert "visit of 10 min and the hand-over of 240 min" in reason.detail


def test_the_visit_starts_when_the_office_opens_not_before() -> None:
    """Arriving 07:20, the courier waits until 07:30 (office closed), then visits."""
    p = _day(item("D1", "PO", "A"))
    route, violations = time_route(p, "K1", events(("D1", "p"), ("D1", "d")))
    assert violations == []
    stop = route.stops[-1]
    assert stop.arrival_s == H("07:20")
    assert stop.start_s == H("07:30")
    spans = route_timeline(p, route)
    waits = [s for s in spans if s.activity is Activity.WAIT]
    assert [(s.start_s, s.end_s, s.cause) for s in waits] == [
        (H("07:20"), H("07:30"), WaitCause.OFFICE_CLOSED)]
    visit = next(s for s in spans if s.activity is Activity.VISIT)
    assert (visit.start_s, visit.end_s) == (H("07:30"), H("07:40"))


def test_a_hand_over_that_would_end_after_closing_breaks_the_window() -> None:
    """Check mode: a hand-over starting 11:25 for 10 minutes ends after 11:30: a violation."""
    late = (TimeWindow(H("11:05"), H("11:05")),)
    p = _day(item("D1", "S1", "A", pickup_windows=late, delivery_service_s=600),
             opening=MORNING)
    _, violations = time_route(p, "K1", events(("D1", "p"), ("D1", "d")))
    assert [v.kind for v in violations] == [ViolationKind.WINDOW]


def test_a_hand_over_that_cannot_end_before_the_lunch_closure_waits_for_the_afternoon() -> None:
    """Arriving 11:15, a 10-minute hand-over would end 11:35: it is done from 13:10."""
    late = (TimeWindow(H("11:05"), H("11:05")),)
    p = _day(item("D1", "S1", "A", pickup_windows=late, delivery_service_s=600))
    route, violations = time_route(p, "K1", events(("D1", "p"), ("D1", "d")))
    assert violations == []
    stop = route.stops[-1]
    assert stop.start_s == H("13:00")
    assert stop.departure_s == H("13:20")
    waits = [s for s in route_timeline(p, route) if s.activity is Activity.WAIT]
    assert {s.cause for s in waits} == {WaitCause.OFFICE_CLOSED}


@pytest.mark.parametrize("engine", ["ortools", "pyvrp", "vroom", "auto"])
def test_every_engine_keeps_whole_visits_inside_the_session(engine: str) -> None:
    """Early and late dossiers: visits start after opening and end by closing, or wait."""
    early = (TimeWindow(H("07:00"), H("07:10")),)
    late = (TimeWindow(H("11:05"), H("11:10")),)
    p = _day(
        item("D1", "S1", "A", pickup_windows=early, delivery_service_s=300),
        item("D2", "S3", "A", pickup_windows=late, delivery_service_s=600),
        item("D3", "S3", "A", pickup_windows=(TimeWindow(H("07:00"), H("08:00")),),
             delivery_service_s=300),
        opening=MORNING,
    )
    plan = solve(p, PARAMS, engine)
    assert check(p, {r.courier: r.events for r in plan.routes}) == []
    assert _in_one_session(plan, p) == []
    assert plan.served == {"D1", "D3"}
    (d2,) = plan.unassigned
    assert d2.reason is UnassignedReason.OUTSIDE_WINDOWS


def test_a_result_released_later_is_collected_after_the_dossiers_are_handed_over() -> None:
    """At one stop the dossier is handed over on arrival; the result waits for its release."""
    release = (TimeWindow(H("10:00"), H("17:00")),)
    result = Item("R1", ItemKind.RESULT, "A", "S3", pickup_windows=release,
                  pickup_service_s=300)
    dossier = item("D1", "S1", "A", delivery_service_s=300)
    p = _day(result, dossier)
    plan = solve(p, PARAMS, "ortools")
    assert check(p, {r.courier: r.events for r in plan.routes}) == []
    (route,) = plan.routes
    (at_a,) = [s for s in route.stops if s.site == "A"]
    assert [e.action for e in at_a.events] == [Action.DELIVERY, Action.PICKUP]
    filing = next(s for s in route_timeline(p, route)
                  if s.activity is Activity.SERVICE and s.item == "D1"
                  and s.action is Action.DELIVERY)
    assert filing.start_s < H("10:00")


def test_dossiers_are_handed_over_before_a_result_that_waits_for_its_release() -> None:
    """A stop ordered result first is reordered: the dossier's biên bản at 07:40, not 10:05."""
    release = (TimeWindow(H("10:00"), H("17:00")),)
    result = Item("R1", ItemKind.RESULT, "A", "S3", pickup_windows=release,
                  pickup_service_s=300)
    p = _day(result, item("D1", "S1", "A", delivery_service_s=300))
    given = events(("D1", "p"), ("R1", "p"), ("D1", "d"), ("R1", "d"))
    (route,) = deliveries_first(p, {"K1": given}).values()
    assert route == events(("D1", "p"), ("D1", "d"), ("R1", "p"), ("R1", "d"))
    timed, violations = time_route(p, "K1", route)
    assert violations == []
    filing = next(s for s in route_timeline(p, timed)
                  if s.activity is Activity.SERVICE and s.item == "D1"
                  and s.action is Action.DELIVERY)
    assert filing.start_s == H("07:40")
    assert timed.end_s <= time_route(p, "K1", given)[0].end_s


def test_a_delivery_picked_up_at_the_same_stop_stays_after_its_pickup() -> None:
    """Only deliveries of items brought from elsewhere move ahead of the stop's pickups."""
    p = _day(Item("L1", ItemKind.DOSSIER, "A", "A"), item("D1", "S1", "A"))
    given = events(("D1", "p"), ("L1", "p"), ("L1", "d"), ("D1", "d"))
    (route,) = deliveries_first(p, {"K1": given}).values()
    assert route == events(("D1", "p"), ("D1", "d"), ("L1", "p"), ("L1", "d"))


def test_locked_events_keep_their_order() -> None:
    """Events already done (re-optimisation) are not reordered."""
    release = (TimeWindow(H("10:00"), H("17:00")),)
    p = _day(Item("R1", ItemKind.RESULT, "A", "S3", pickup_windows=release),
             item("D1", "S1", "A"))
    given = events(("D1", "p"), ("R1", "p"), ("D1", "d"), ("R1", "d"))
    assert deliveries_first(p, {"K1": given}, {"K1": 3}, H("10:30"))["K1"] == given


def _there_and_back() -> tuple[Item, Item]:
    """A result from A to a citizen at 3, and that citizen's dossier for A.

    Shortest: PO, A (result), S3 (hand it over, take the dossier), A again: 12 km
    and two visits to A; one visit (PO, S3, A, S3) rides 14 km.
    """
    return (Item("R1", ItemKind.RESULT, "A", "S3"), item("D1", "S3", "A"))


def test_one_visit_per_agency_is_preferred_to_a_shorter_route_with_two() -> None:
    """The cost per agency visit makes the courier hand over and collect in one visit."""
    p = _day(*_there_and_back(), cost_per_km=2_000)
    plan = solved(p)
    (route,) = plan.routes
    assert [s.site for s in route.stops] == ["S3", "A", "S3"]
    assert compute_kpis(p, plan).agency_repeat_visits == 0


def test_without_the_visit_cost_the_shorter_route_comes_back() -> None:
    """The same day with ``agency_visit_cost=0``: the courier visits A twice (the control)."""
    p = _day(*_there_and_back(), cost_per_km=2_000)
    p = p.replace(rules=replace(p.rules, agency_visit_cost=0))
    plan = solved(p)
    (route,) = plan.routes
    assert [s.site for s in route.stops] == ["A", "S3", "A"]
    assert compute_kpis(p, plan).agency_repeat_visits == 1
