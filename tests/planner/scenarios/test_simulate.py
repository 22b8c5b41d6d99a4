"""One scenario × seed in this process: the backlog carries over; orders are followed to the end."""

from __future__ import annotations

import dataclasses
import datetime as dt

from planner.calendar import WorkingCalendar
from planner.journeys import legs_of
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
def test_couriers_start_at_the_depots_and_vans_at_the_hubs() -> None:
    """An office that is not a depot has its couriers based at the nearest depot."""
    from planner.domain import SiteKind
    from planner.domain.fleet import VehicleType
    from planner.scenarios import Network

    cal = WorkingCalendar()
    day = scenario_day(_tiny("all"), 0, MONDAY, None, cal)
    offices = [s for s in day.sites if s.kind.is_post_office]
    district = sorted(s.id for s in offices if s.kind is SiteKind.DISTRICT_POST_OFFICE)
    net = Network(depots=(district[0],), hubs=(district[1],))
    moved = scenario_day(_tiny("one depot", network=net), 0, MONDAY, None, cal)
    local = [c for c in moved.couriers if c.vehicle is not VehicleType.VAN]
    vans = [c for c in moved.couriers if c.vehicle is VehicleType.VAN]
    assert {c.start_site for c in local} == {district[0]} == {c.end_site for c in local}
    assert vans
    assert {c.start_site for c in vans} == {district[1]}
    assert len(moved.couriers) == len(day.couriers), "the fleet keeps its size"


def test_online_only_procedures_leave_the_post() -> None:
    """A listed procedure disappears; a share removes a nested subset; KT1 mail stays."""
    cal = WorkingCalendar()
    codes = {o.tracking_code: o for o in scenario_day(_tiny("all"), 0, MONDAY, None, cal).orders}
    procedure = next(o.procedure for o in codes.values() if o.item_class != "KT1")

    def kept(**demand: object) -> set[str]:
        s = Scenario("x", demand=Demand(orders=12, carried_share=0.0, **demand),  # type: ignore[arg-type]
                     solver=SolverSettings(solution_limit=3, roads=False))
        return {o.tracking_code for o in scenario_day(s, 0, MONDAY, None, cal).orders}

    listed = kept(online_only_procedures=(procedure,))
    assert listed == {c for c, o in codes.items() if o.procedure != procedure}
    half, most = kept(online_only_share=0.5), kept(online_only_share=0.9)
    assert most < half < set(codes)
    assert {c for c, o in codes.items() if o.item_class == "KT1"} <= kept(online_only_share=1.0)


def test_a_midday_trunk_brings_orders_in_a_day_sooner_and_costs_its_run() -> None:
    """Items at a post office in the morning cross on the trunk and finish the same afternoon.

    Without it an order of three legs takes three working days; with it, two.
    The scenario's calendar is used: Wednesday 25/11 is a day off here.
    """
    from planner.scenarios import CalendarSettings, Network

    cal = CalendarSettings(days_off=(dt.date(2026, 11, 25),))
    base = _tiny("base", calendar=cal)
    trunk = _tiny("trunk", calendar=cal, network=Network(midday_trunk=True))
    without, with_ = simulate(base, 0, 2, MONDAY), simulate(trunk, 0, 2, MONDAY)
    assert [d.date for d in with_.days] == [MONDAY, dt.date(2026, 11, 26)]
    assert with_.days[1].trunk_carried > 0
    assert with_.days[1].trunk_cost_vnd > 0
    assert without.days[1].trunk_carried == 0 == without.days[1].trunk_cost_vnd
    day = scenario_day(base, 0, MONDAY, None, base.working_calendar())
    sites = {s.id: s for s in day.sites}
    long = {o.tracking_code for o in day.orders if len(legs_of(o, sites)) == 3}

    def done_by_day_two(sim: object) -> set[str]:
        return {o.tracking_code for o in sim.orders  # type: ignore[attr-defined]
                if o.finished_on is not None and o.tracking_code in long}

    assert not done_by_day_two(without), "one leg a day: three legs need three days"
    assert done_by_day_two(with_), "the trunk takes a day off the journey"


def test_filing_against_the_cutoff_and_delays_in_working_hours() -> None:
    """Dossiers filed by the cut-off are counted; a delay counts office hours only."""
    from planner.scenarios import Policy
    from planner.scenarios.simulate import _outcome

    sim = simulate(_tiny("07:00 cut-off", policy=Policy(cutoff="07:00")), 0, 1, MONDAY)
    assert sim.days[0].dossiers_filed > 0
    assert sim.days[0].filed_before_cutoff == 0, "agencies open at 07:30"
    assert sum(sim.days[0].filing_profile.values()) == sim.days[0].dossiers_filed
    order = scenario_day(_tiny("a"), 0, MONDAY, None, WorkingCalendar()).orders[0]
    late = _outcome(order, dt.date(2026, 11, 25), finished=dt.date(2026, 11, 27),
                    last=dt.date(2026, 11, 27), calendar=WorkingCalendar(), at_s=9 * 3600)
    assert (late.delay_days, late.delay_hours) == (2, 9.5), "Thursday's 8 h and 1.5 on Friday"


def test_a_trunk_cost_given_by_the_province_replaces_the_estimate() -> None:
    """No trunk: nothing; the estimate grows with the hubs; a given cost is taken as is."""
    from planner.scenarios import Network
    from planner.scenarios.simulate import trunk_cost_vnd

    sites = scenario_day(_tiny("a"), 0, MONDAY, None, WorkingCalendar()).sites
    assert trunk_cost_vnd(_tiny("none"), sites) == 0
    one = trunk_cost_vnd(_tiny("one hub", network=Network(midday_trunk=True)), sites)
    two = trunk_cost_vnd(_tiny("two hubs", network=Network(
        midday_trunk=True, hubs=("BD-TINH", "BC-06040"))), sites)
    assert 0 < two < 2 * one, "a second hub adds a van but shortens the runs"
    given = Network(midday_trunk=True, trunk_cost_vnd=800_000)
    assert trunk_cost_vnd(_tiny("given", network=given), sites) == 800_000
