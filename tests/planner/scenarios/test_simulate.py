"""One scenario × seed in this process: the backlog carries over; orders are followed to the end."""

from __future__ import annotations

import dataclasses
import datetime as dt

from planner.calendar import WorkingCalendar
from planner.scenarios import Demand, Fleet, Scenario, SolverSettings, simulate
from planner.scenarios.simulate import scenario_day, working_days

MONDAY = dt.date(2026, 11, 23)


def _tiny(name: str, **changes: object) -> Scenario:
    """12 orders a day on straight lines with a 3-solution limit."""
    return Scenario(name, demand=Demand(orders=12, carried_share=0.0),
                    solver=SolverSettings(solution_limit=3, roads=False), **changes)  # type: ignore[arg-type]


def test_working_days_skip_sundays_and_holidays() -> None:
    """24/11 (Vietnam Culture Day) and the weekend are not simulated."""
    days = working_days(MONDAY, 5, WorkingCalendar())
    assert days == [dt.date(2026, 11, d) for d in (23, 25, 26, 27, 30)]


def test_the_same_seed_gives_the_same_orders_whatever_the_fleet() -> None:
    """Scenarios that change only the fleet are compared on the same demand."""
    cal = WorkingCalendar()
    a = scenario_day(_tiny("a"), 1, MONDAY, None, cal)
    b = scenario_day(_tiny("b", fleet=Fleet(couriers_per_district_office=5, vans=0)), 1, MONDAY,
                     None, cal)
    assert [o.tracking_code for o in a.orders] == [o.tracking_code for o in b.orders]
    assert len(b.couriers) > len(a.couriers)


def test_without_vans_trunk_legs_wait_and_their_orders_are_not_on_time() -> None:
    """No van: trunk legs are unassigned (no skilled courier); their orders never finish."""
    sim = simulate(_tiny("no vans", fleet=Fleet(vans=0)), 0, 2, MONDAY)
    assert all(d.vans_used == 0 for d in sim.days)
    assert sum(d.unassigned_by_reason.get("no_skilled_courier", 0) for d in sim.days) > 0
    assert sim.days[0].backlog > 0
    assert sim.days[1].legs >= sim.days[0].backlog  # yesterday's open orders come back
    assert any(o.finished_on is None for o in sim.orders)
    assert all(o.on_time == (o.finished_on is not None and o.delay_days == 0)
               for o in sim.orders)


def test_failed_deliveries_come_back_two_working_days_after_the_invitation() -> None:
    """Every door delivery fails: Monday's come back on Thursday (24/11 a holiday), not before."""
    calm = simulate(_tiny("calm"), 0, 3, MONDAY)
    absent = dataclasses.replace(_tiny("absent"), demand=Demand(
        orders=12, carried_share=0.0, delivery_failure_rate=1.0))
    rainy = simulate(absent, 0, 3, MONDAY)
    assert [d.failed_deliveries for d in calm.days] == [0, 0, 0]
    failed_monday = rainy.days[0].failed_deliveries
    assert failed_monday > 0
    assert rainy.days[1].legs == calm.days[1].legs, "Wednesday is too early for a re-attempt"
    assert rainy.days[2].legs == calm.days[2].legs + failed_monday
    monday = {o.tracking_code for o in calm.orders if o.finished_on == MONDAY}
    assert monday <= {o.tracking_code for o in rainy.orders if o.finished_on == MONDAY}, \
        "the first attempt ends the clock (TT 17 art. 3(5))"
