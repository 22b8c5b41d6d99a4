"""The generated sample day: deterministic, consistent, near the roads, in Vietnamese."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from geodata import snap_points
from planner.calendar import WorkingCalendar
from planner.domain import ItemKind, SiteKind
from planner.exceptions import InputError
from planner.journeys import legs_of, order_deadline, todays_work
from planner.sample_day import KT1_CLASS, KT1_SKILL, POSTAGE_VND, SampleVolumes, sample_day

from .sample_days import day_problem

MON = dt.date(2026, 11, 23)


@pytest.fixture(scope="module")
def day():  # type: ignore[no-untyped-def]
    """One sample day shared by the tests."""
    return sample_day(MON, seed=1, volumes=SampleVolumes(orders=120))


def test_same_seed_same_day(day) -> None:  # type: ignore[no-untyped-def]
    """The same date and seed give the same sites, couriers and orders; another seed differs."""
    again = sample_day(MON, seed=1, volumes=SampleVolumes(orders=120))
    assert (again.sites, again.couriers, again.orders) == (day.sites, day.couriers, day.orders)
    other = sample_day(MON, seed=2, volumes=SampleVolumes(orders=120))
    assert other.orders != day.orders


def test_every_reference_builds_a_problem(day) -> None:  # type: ignore[no-untyped-def]
    """Today's legs of new and carried orders build a valid Problem with the fleet."""
    problem = day_problem(day, MON)
    waiting = [o for o in day.orders if o.follows]  # slips wait for their dossier's hand-over
    assert len(problem.items) == len(day.orders) + len(day.backlog.entries) - len(waiting)
    assert any("trunk" in it.required_skills for it in problem.items), "carried legs need the van"


def test_mix_and_names(day) -> None:  # type: ignore[no-untyped-def]
    """Dossiers, results, slips and liên thông occur; citizens' names have diacritics."""
    kinds = {o.kind for o in day.orders}
    assert len(kinds) == 4
    citizens = [s for s in day.sites if s.kind is SiteKind.CITIZEN]
    assert any(any(ch in s.name for ch in "ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệ") for s in citizens)
    assert all(s.home_post_office for s in day.sites)
    assert sum(bool(o.required_skills) for o in day.orders) > 0


def test_homes_lie_near_roads(day) -> None:  # type: ignore[no-untyped-def]
    """Every site snaps to a van road within 500 m, so road matrices can be computed."""
    net = day.province.network
    lon = np.array([s.lon for s in day.sites])
    lat = np.array([s.lat for s in day.sites])
    for profile in ("van", "motorbike"):
        assert float(snap_points(net, profile, lon, lat).distance_m.max()) < 500


def test_a_sunday_is_refused() -> None:
    """The generator plans working days only (the command moves the date)."""
    with pytest.raises(InputError, match="not a working day"):
        sample_day(dt.date(2026, 11, 22))


def test_carried_deadlines_follow_the_calendar(day) -> None:  # type: ignore[no-untyped-def]
    """Every carried order's deadline is J+n from its acceptance (a slip J+2 within a territory)."""
    cal = WorkingCalendar()
    sites = {s.id: s for s in day.sites}
    slips = 0
    for e in day.backlog.entries:
        legs = legs_of(e.order, sites)
        assert e.deadline == order_deadline(e.order, legs, cal), e.order.tracking_code
        assert e.order.tracking_code[2:8] == f"{e.order.accepted_on:%y%m%d}"
        if e.order.kind is ItemKind.APPOINTMENT_SLIP and len(legs) == 1:
            assert e.deadline == cal.add_working_days(e.order.accepted_on, 2)
            slips += 1
    assert slips, "the sample carries single-leg appointment slips over"


def test_a_few_kt1_items_need_a_cleared_courier(day) -> None:  # type: ignore[no-untyped-def]
    """The day holds KT1 letters (class KT1) that only the provincial KT1 courier may carry."""
    kt1 = [o for o in day.orders if o.item_class == KT1_CLASS]
    assert len(kt1) == SampleVolumes().kt1_orders
    assert all(o.required_skills == {KT1_SKILL} for o in kt1)
    cleared = [c for c in day.couriers if KT1_SKILL in c.skills]
    assert [c.id for c in cleared] == ["BT-KT1-1"]
    assert {o.origin for o in kt1} == {cleared[0].start_site}


def test_postage_follows_the_tariff_and_is_paid_at_the_door(day) -> None:  # type: ignore[no-untyped-def]
    """Dossiers and results carry the documented postage; slips and KT1 letters (paid by the
    budget, QĐ 55 art. 8) none; post points take none."""
    for o in day.orders:
        free = o.kind in (ItemKind.APPOINTMENT_SLIP, ItemKind.TRANSFER) or o.item_class == KT1_CLASS
        expected = {0} if free else set(POSTAGE_VND.values())
        assert o.postage_vnd in expected, o
    work = todays_work(MON, day.orders, day.backlog, {s.id: s for s in day.sites})
    assert any(it.postage_vnd for it in work.items)
    for it in work.items:
        if it.fee_vnd or it.postage_vnd:
            door = it.pickup_site if it.fee_at.value == "pickup" else it.delivery_site
            assert work.sites[door].kind is SiteKind.CITIZEN, it.tracking_code


def test_liaison_dossiers_and_slips_that_follow_their_dossier(day) -> None:  # type: ignore[no-untyped-def]
    """QĐ 45 art. 7(5), 16(2): a few liên thông dossiers agency to agency; slips that follow a
    dossier wait for its hand-over, and yesterday's dossiers' slips move today."""
    v, sites = SampleVolumes(orders=120), {s.id: s for s in day.sites}
    transfers = [o for o in day.orders if o.kind is ItemKind.TRANSFER]
    assert len(transfers) == round(v.orders * v.transfer_share)
    assert all(sites[o.origin].kind.is_agency and sites[o.destination].kind.is_agency
               for o in transfers)
    by_code = {o.tracking_code: o for o in day.orders}
    slips = [o for o in day.orders if o.follows]
    assert slips, "some of today's dossiers owe a slip"
    for s in slips:
        dossier = by_code[s.follows]
        assert (s.kind, s.origin, s.destination) == (
            ItemKind.APPOINTMENT_SLIP, dossier.destination, dossier.origin)
    work = todays_work(MON, day.orders, day.backlog, sites)
    assert all("waits for dossier" in work.not_today[s.tracking_code] for s in slips)
    moving = [e.order for e in day.backlog.entries if e.order.follows]
    assert len(moving) == len(slips)
    assert {o.tracking_code for o in moving} <= {it.tracking_code for it in work.items}
    assert {it.tracking_code for it in work.items} >= {o.tracking_code for o in transfers}
