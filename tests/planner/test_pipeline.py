"""The day's chain: files → legs → problem → plan → outputs and backlog, published at once."""

from __future__ import annotations

import datetime as dt
import json
import threading
from dataclasses import replace
from pathlib import Path

import pytest

from planner.backlog import read_backlog
from planner.calendar import CLOSED, WorkingCalendar
from planner.domain import SATURDAY_HOURS, Courier, ItemKind
from planner.domain.outcomes import FailureReason, Outcome, OutcomeStatus
from planner.domain.sites import SiteKind
from planner.exceptions import InputError, InputErrors
from planner.formats import read_fleet, read_orders, read_sites
from planner.journeys import carry_over
from planner.pipeline import DayInput, check_references, plan_day, prepare_day, publish
from planner.solver import SolveCancelled, SolveParams, check
from planner.solver.check import ViolationKind

DATA = Path(__file__).resolve().parents[1] / "data" / "day"
MONDAY = dt.date(2026, 11, 23)
WEDNESDAY = dt.date(2026, 11, 25)
PARAMS = SolveParams(seed=0, time_limit_s=None, solution_limit=30)


def _day(date: dt.date = MONDAY) -> DayInput:
    sites = read_sites(DATA / "sites.csv")
    by_id = {s.id: s for s in sites}
    return DayInput(
        date=date,
        sites=sites,
        couriers=read_fleet(DATA / "fleet.csv", sites=by_id),
        orders=read_orders(DATA / "orders.csv", sites=by_id, default_date=date),
        province="Tỉnh Lạng Sơn",
    )


def test_plan_day_writes_a_valid_plan_and_every_output(tmp_path: Path) -> None:
    """A small real-looking day is planned validly and every output lands in the directory."""
    out = tmp_path / "today"
    outcome = publish(plan_day(_day(), params=PARAMS), out, maps=True)
    routes = {r.courier: r.events for r in outcome.plan.routes}
    assert check(outcome.problem, routes) == []
    assert outcome.plan.routes, "the day has work: some courier must be used"
    for p in (outcome.files.plan_json, outcome.files.kpis_json, outcome.files.index_html,
              outcome.backlog_path, outcome.files.overview_map):
        assert p is not None
        assert p.is_file()
        assert p.is_relative_to(out)
    assert sorted(p.name for p in out.iterdir()) == [
        ".planner-files.json", "backlog.json", "index.html", "kpis.json",
        "maps", "plan.json", "routes"]
    assert [p.name for p in tmp_path.iterdir()] == ["today"], "no staging left behind"


def test_cross_territory_dossier_goes_to_its_post_office_first(tmp_path: Path) -> None:
    """A dossier from a Cao Lộc home to the provincial centre first goes to Cao Lộc's office."""
    outcome = publish(plan_day(_day(), params=PARAMS), tmp_path / "o", maps=False)
    leg = outcome.work.legs["HS0006VN"]
    assert (leg.pickup_site, leg.delivery_site) == ("CD-004", "BC-CAOLOC")
    direct = outcome.work.legs["HS0001VN"]
    assert (direct.pickup_site, direct.delivery_site) == ("CD-001", "MC-LVT")


def test_backlog_carries_unserved_and_unfinished_orders_to_the_next_day(tmp_path: Path) -> None:
    """With one courier too few, what is left comes back the next working day from backlog.json."""
    day = _day()
    only = tuple(c for c in day.couriers if c.id == "BT-01")
    first = publish(plan_day(replace(day, couriers=only), params=PARAMS), tmp_path / "d1",
                    maps=False)
    backlog = read_backlog(first.backlog_path)
    left = {e.order.tracking_code for e in backlog.entries}
    unserved = {u.item for u in first.plan.unassigned}
    assert unserved <= left
    assert "HS0006VN" in left, "a three-leg journey cannot finish in one day"
    tuesday = dt.date(2026, 11, 25)  # 24/11 is Vietnam Culture Day, a public holiday
    second = publish(plan_day(replace(day, date=tuesday, orders=(), backlog=backlog),
                              params=PARAMS),
                     tmp_path / "d2", maps=False)
    assert set(second.work.in_flight) == left
    assert check(second.problem, {r.courier: r.events for r in second.plan.routes}) == []


def test_a_failed_run_leaves_the_old_outputs_untouched(tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """An error while writing leaves the previous directory as it was and no staging behind."""
    out = tmp_path / "out"
    out.mkdir()
    (out / "plan.json").write_text('{"old": true}', encoding="utf-8")

    def broken(*_: object, **__: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr("planner.pipeline.write_backlog", broken)
    with pytest.raises(OSError, match="disk full"):
        publish(plan_day(_day(), params=PARAMS), out, maps=False)
    assert json.loads((out / "plan.json").read_text(encoding="utf-8")) == {"old": True}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_unknown_sites_are_all_reported_before_anything_runs() -> None:
    """Every order and courier naming a missing site is listed, with its field."""
    day = _day()
    lost = Courier("BT-09", "Lạc Đường", day.couriers[0].vehicle, (10,), day.couriers[0].shift,
                   "NOWHERE", "BD-TINH")
    orders = (replace(day.orders[0], destination="MC-404"), *day.orders[1:])
    with pytest.raises(InputErrors) as err:
        check_references(replace(day, couriers=(*day.couriers, lost), orders=orders))
    text = str(err.value)
    for word in ("HS0001VN", "destination", "MC-404", "BT-09", "start_site", "NOWHERE"):
        assert word in text


def test_plan_day_computes_in_memory_and_reports_progress(tmp_path: Path) -> None:
    """plan_day writes nothing; its progress goes from 0 to 1 through the named phases."""
    seen: list[tuple[float, str]] = []
    result = plan_day(_day(), params=PARAMS, progress=lambda f, p: seen.append((f, p)))
    assert result.plan.routes
    assert list(tmp_path.iterdir()) == []
    fractions = [f for f, _ in seen]
    assert fractions == sorted(fractions), "progress never goes back"
    assert fractions[0] == 0.0
    assert fractions[-1] >= 0.9
    phases = [p for _, p in seen]
    assert phases[0] == "legs"
    assert any(p.startswith("matrix ") for p in phases)
    assert "check" in phases


def test_a_cancelled_day_raises_and_writes_nothing(tmp_path: Path) -> None:
    """A cancel token already set stops planning with SolveCancelled."""
    stop = threading.Event()
    stop.set()
    with pytest.raises(SolveCancelled):
        plan_day(_day(), params=PARAMS, cancel=stop)
    assert list(tmp_path.iterdir()) == []


CROSS = Path(__file__).resolve().parents[1] / "data" / "cross_office"


@pytest.mark.parametrize(("case", "courier"), [
    ("a_shift", "BT-XA"), ("b_capacity", "XT-XA"), ("c_cash", "BT-XA")])
def test_an_item_the_nearer_office_cannot_serve_goes_to_the_other_office(
    case: str, courier: str
) -> None:
    """Shift, capacity or cash limit rule out the nearer office: the other one serves it."""
    sites = read_sites(CROSS / "sites.csv")
    by_id = {s.id: s for s in sites}
    date = dt.date(2026, 11, 23)
    day = DayInput(date=date, sites=sites,
                   couriers=read_fleet(CROSS / case / "fleet.csv", sites=by_id),
                   orders=read_orders(CROSS / case / "orders.csv", sites=by_id,
                                      default_date=date))
    result = plan_day(day, params=PARAMS)
    assert not result.plan.unassigned, [u.detail for u in result.plan.unassigned]
    assert [r.courier for r in result.plan.routes] == [courier]
    assert check(result.problem, {r.courier: r.events for r in result.plan.routes}) == []


@pytest.mark.parametrize("case", ["d_kt1_room", "e_capacity_room", "f_nested_windows"])
@pytest.mark.parametrize("engine", ["ortools", "auto"])
def test_the_split_day_serves_what_one_model_serves(case: str, engine: str) -> None:
    """Items that need another item moved to the other office, or nested windows: all served."""
    result = plan_day(_cross_day(case), params=PARAMS, engine=engine)
    assert not result.plan.unassigned, [u.detail for u in result.plan.unassigned]
    assert check(result.problem, {r.courier: r.events for r in result.plan.routes}) == []


def _cross_day(case: str) -> DayInput:
    sites = read_sites(CROSS / "sites.csv")
    by_id = {s.id: s for s in sites}
    date = dt.date(2026, 11, 23)
    return DayInput(date=date, sites=sites,
                    couriers=read_fleet(CROSS / case / "fleet.csv", sites=by_id),
                    orders=read_orders(CROSS / case / "orders.csv", sites=by_id,
                                       default_date=date))


def test_agencies_get_the_days_hours_from_the_calendar() -> None:
    """On an open Saturday agencies keep the morning, one that stays closed gets no hours."""
    saturday = dt.date(2026, 11, 28)
    cal = WorkingCalendar(saturday_open=True, saturday_sites={"MC-LVT": False})
    day, _ = prepare_day(replace(_day(saturday), calendar=cal))
    hours = {s.id: s.opening for s in day.sites}
    assert hours["MC-LVT"] == CLOSED
    assert hours["TTHCC"] == SATURDAY_HOURS
    assert hours["BD-TINH"] == next(s for s in _day().sites if s.id == "BD-TINH").opening


def test_sites_only_the_backlog_names_are_planned_from_the_backlog() -> None:
    """Yesterday's citizens are not in today's sites file: backlog.json brings them along."""
    day = _day()
    first = plan_day(day, params=PARAMS)
    nothing_served = carry_over(first.work, (), {}, day.date)  # every order still at its origin
    citizens = {s.id for s in day.sites if s.kind is SiteKind.CITIZEN}
    assert citizens & {e.at_site for e in nothing_served.entries}, "the case needs them"
    today_sites = tuple(s for s in day.sites if s.id not in citizens)
    second = plan_day(replace(day, date=dt.date(2026, 11, 25), orders=(), sites=today_sites,
                              backlog=nothing_served), params=PARAMS)
    assert {it.tracking_code for it in second.problem.items} == set(second.work.legs)
    violations = check(second.problem, {r.courier: r.events for r in second.plan.routes})
    assert {v.kind.value for v in violations} <= {"deadline"}, "overdue since Monday, no more"


def test_plan_day_takes_in_the_outcomes_of_the_backlogs_day() -> None:
    """The service's path: a refused result goes back to its agency on the next day's plan."""
    monday = plan_day(_day(), params=PARAMS)
    done = next(e for e in monday.backlog.delivered if e.order.kind is ItemKind.RESULT)
    code = done.order.tracking_code
    refused = [Outcome(code, MONDAY, OutcomeStatus.FAILED, FailureReason.REFUSED)]
    wednesday = replace(_day(WEDNESDAY), orders=(), backlog=monday.backlog)
    result = plan_day(wednesday, params=PARAMS, outcomes=refused)
    (item,) = (it for it in result.problem.items if it.tracking_code == code)
    assert (item.kind, item.delivery_site) == (ItemKind.RETURN, done.order.origin)
    assert code not in {i.tracking_code for i in plan_day(wednesday, params=PARAMS).problem.items}
    with pytest.raises(InputError, match="backlog"):
        plan_day(replace(wednesday, backlog=None), params=PARAMS, outcomes=refused)


CASH = Path(__file__).resolve().parents[1] / "data" / "cash_limit"


def _cash_day(*, limit: bool = True) -> DayInput:
    """tests/data/cash_limit: three 500,000 VND dossiers for one courier with a 1,000,000 limit."""
    sites = read_sites(CASH / "sites.csv")
    by_id = {s.id: s for s in sites}
    couriers = read_fleet(CASH / "fleet.csv", sites=by_id)
    if not limit:
        couriers = tuple(replace(c, cash_limit_vnd=None) for c in couriers)
    return DayInput(date=MONDAY, sites=sites, couriers=couriers,
                    orders=read_orders(CASH / "orders.csv", sites=by_id, default_date=MONDAY))


def test_the_cash_limit_sends_the_courier_to_the_agency_between_collections() -> None:
    """Each fee drops at the one-stop shop with its dossier, so all three fit under the limit."""
    result = plan_day(_cash_day(), params=PARAMS)
    assert not result.plan.unassigned, [u.detail for u in result.plan.unassigned]
    (route,) = result.plan.routes
    assert check(result.problem, {route.courier: route.events}) == []
    assert max(s.cash_after_vnd for s in route.stops) <= 1_000_000
    assert sum(s.site == "MC-GAN" for s in route.stops) >= 2, "an intermediate hand-over"
    assert route.stops[-1].cash_after_vnd == 3 * 22_000, "only the postage is left to remit"
    assert (result.kpis.fees_vnd, result.kpis.postage_vnd, result.kpis.fees_handed_vnd) == (
        1_500_000, 66_000, 1_500_000)


def test_without_the_cash_limit_the_plan_would_break_it() -> None:
    """Unlimited, the courier collects all three first: check mode with the limit objects."""
    free = plan_day(_cash_day(limit=False), params=PARAMS)
    limited = plan_day(_cash_day(), params=PARAMS).problem
    kinds = {v.kind for v in check(limited, {r.courier: r.events for r in free.plan.routes})}
    assert ViolationKind.CASH in kinds
    assert free.kpis.cash_peak_vnd > 1_000_000
