"""Journeys in legs through post offices, one leg a day, and the backlog between days."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from planner.backlog import Backlog, backlog_from_dict, backlog_to_dict, read_backlog, write_backlog
from planner.domain import FeeMoment, ItemKind, Order, Site, SiteKind
from planner.exceptions import InputError, InputErrors
from planner.journeys import TRUNK_SKILL, carry_over, legs_of, todays_work

MON, WED, THU = dt.date(2026, 11, 23), dt.date(2026, 11, 25), dt.date(2026, 11, 26)
SITES = {s.id: s for s in (
    Site("BD", "Bưu điện tỉnh", SiteKind.PROVINCIAL_POST_OFFICE, 106.76, 21.85,
         home_post_office="BD"),
    Site("BC", "Bưu điện Cao Lộc", SiteKind.DISTRICT_POST_OFFICE, 106.77, 21.89,
         home_post_office="BC"),
    Site("TT", "Trung tâm PVHCC", SiteKind.SERVICE_CENTER, 106.75, 21.85, home_post_office="BD"),
    Site("MC", "Một cửa Cao Lộc", SiteKind.COMMUNE_ONE_STOP, 106.78, 21.89,
         home_post_office="BC"),
    Site("A", "Nguyễn Thị Hương", SiteKind.CITIZEN, 106.80, 21.92, home_post_office="BC"),
    Site("B", "Trần Văn Đức", SiteKind.CITIZEN, 106.74, 21.84, home_post_office="BD"),
)}


def _order(code: str, origin: str, dest: str, **kw: object) -> Order:
    return Order(code, kw.pop("kind", ItemKind.DOSSIER), origin, dest, MON, **kw)  # type: ignore[arg-type]


def test_same_territory_is_one_leg_and_across_is_three() -> None:
    """Home → one-stop of the same territory is direct; home → provincial centre has 3 legs."""
    assert [(g.pickup_site, g.delivery_site) for g in legs_of(_order("1", "A", "MC"), SITES)] \
        == [("A", "MC")]
    legs = legs_of(_order("2", "A", "TT"), SITES)
    assert [(g.pickup_site, g.delivery_site, g.trunk) for g in legs] == [
        ("A", "BC", False), ("BC", "BD", True), ("BD", "TT", False)]
    assert len(legs_of(_order("3", "BC", "B"), SITES)) == 2, "from a post office: no first leg"


def test_todays_items_carry_deadlines_fees_and_the_trunk_skill() -> None:
    """Leg deadlines leave a day per later leg; fees sit on the leg that meets the citizen."""
    orders = [_order("HS1", "A", "TT", fee_vnd=50_000),
              _order("KQ1", "MC", "A", kind=ItemKind.RESULT, fee_vnd=20_000,
                     fee_at=FeeMoment.DELIVERY, ready_s=9 * 3600)]
    work = todays_work(MON, orders, None, SITES)
    hs, kq = work.items
    assert (hs.pickup_site, hs.delivery_site, hs.fee_vnd) == ("A", "BC", 50_000)
    assert hs.deadline == MON, "J+2 over three legs: the first must go today"
    assert kq.deadline == WED, "one local leg: J+1, the 24th is a holiday"
    assert kq.fee_vnd == 20_000
    assert kq.pickup_windows[0].start_s == 9 * 3600, "a result is picked up once ready"
    assert work.in_flight["HS1"].deadline == THU


def test_an_order_crosses_three_legs_on_three_days(tmp_path: Path) -> None:
    """Served each day, the dossier reaches the provincial centre on the third working day."""
    work = todays_work(MON, [_order("HS1", "A", "TT")], None, SITES)
    day = MON
    for expected in (("BC", "BD"), ("BD", "TT")):
        backlog = carry_over(work, ["HS1"], {}, day)
        path = write_backlog(tmp_path / "backlog.json", backlog)
        backlog = read_backlog(path)
        day = dt.date(2026, 11, 25) if day == MON else THU
        work = todays_work(day, [], backlog, {})
        (item,) = work.items
        assert (item.pickup_site, item.delivery_site) == expected
        assert (TRUNK_SKILL in item.required_skills) == (expected == ("BC", "BD"))
    assert carry_over(work, ["HS1"], {}, day).entries == ()


def test_unserved_legs_wait_with_their_reason() -> None:
    """A leg not served stays where it is, one more day waited, with the reason."""
    work = todays_work(MON, [_order("HS1", "A", "MC")], None, SITES)
    backlog = carry_over(work, [], {"HS1": "fleet_full"}, MON)
    (entry,) = backlog.entries
    assert (entry.next_leg, entry.at_site, entry.days_waited, entry.last_reason) == (
        0, "A", 1, "fleet_full")
    assert {s.id for s in backlog.sites} == {"A", "MC", "BC"}, "with their post office"
    assert backlog.overdue(THU) == (entry,)


def test_repeated_tracking_codes_and_missing_home_offices_are_errors() -> None:
    """A code in both the backlog and today's orders, and a site without territory, are reported."""
    work = todays_work(MON, [_order("HS1", "A", "MC")], None, SITES)
    backlog = carry_over(work, [], {"HS1": "fleet_full"}, MON)
    lost = Site("X", "Nhà không rõ", SiteKind.CITIZEN, 106.7, 21.8)
    with pytest.raises(InputErrors) as exc:
        todays_work(WED, [_order("HS1", "A", "MC"), _order("HS2", "X", "MC")], backlog,
                    {**SITES, "X": lost})
    text = str(exc.value)
    assert "HS1" in text
    assert "backlog" in text
    assert "home_post_office" in text


def test_backlog_round_trip_and_bad_files(tmp_path: Path) -> None:
    """backlog.json reads back equal; a wrong field names the entry and the field."""
    work = todays_work(MON, [_order("HS1", "A", "TT", origin_windows=())], None, SITES)
    backlog = carry_over(work, ["HS1"], {}, MON)
    assert backlog_from_dict(json.loads(json.dumps(backlog_to_dict(backlog)))) == backlog
    doc = backlog_to_dict(backlog)
    doc["entries"][0]["deadline"] = "26/11/2026"
    with pytest.raises(InputError, match="entry HS1, field 'deadline'"):
        backlog_from_dict(doc)
    doc = backlog_to_dict(backlog)
    doc["sites"] = []
    with pytest.raises(InputError, match="not among the backlog's sites"):
        backlog_from_dict(doc)
    (tmp_path / "b.json").write_text("{", encoding="utf-8")
    with pytest.raises(InputError, match=r"b\.json"):
        read_backlog(tmp_path / "b.json")
    assert isinstance(backlog, Backlog)


def test_a_bad_backlog_entry_names_the_backlog_file_and_the_entry() -> None:
    """An entry naming a site nobody knows is the backlog file's error, not the orders'."""
    work = todays_work(MON, [_order("HS1", "A", "TT", origin_windows=())], None, SITES)
    backlog = carry_over(work, [], {"HS1": "fleet_full"}, MON)
    backlog = Backlog(backlog.as_of, backlog.entries, (), source="hôm qua.json")
    sites = {k: v for k, v in SITES.items() if k != "A"}
    with pytest.raises(InputErrors) as exc:
        todays_work(WED, [], backlog, sites)
    assert [str(e) for e in exc.value.errors] == [
        "hôm qua.json, entry HS1, field 'origin': unknown site 'A'"]


def test_a_same_day_order_is_one_leg_even_across_territories() -> None:
    """QĐ 45 art. 16(3): collected and delivered the same day, so never relayed over days."""
    legs = legs_of(_order("HS1", "A", "TT", same_day=True), SITES)
    assert [(g.pickup_site, g.delivery_site, g.trunk) for g in legs] == [("A", "TT", False)]
    (item,) = todays_work(MON, [_order("HS1", "A", "TT", same_day=True)], None, SITES).items
    assert item.deadline == MON


def test_an_appointment_slip_waits_for_its_dossiers_hand_over() -> None:
    """QĐ 45 art. 7(5): the slip is issued at the hand-over, so it moves only after it."""
    hs = _order("HS1", "A", "MC")
    slip = _order("GH1", "MC", "A", kind=ItemKind.APPOINTMENT_SLIP, follows="HS1")
    work = todays_work(MON, [hs, slip], None, SITES)
    assert [i.tracking_code for i in work.items] == ["HS1"]
    assert "HS1" in work.not_today["GH1"]
    backlog = carry_over(work, ["HS1"], {}, MON)
    assert [i.tracking_code for i in todays_work(WED, [], backlog, {}).items] == ["GH1"]
    unserved = carry_over(work, [], {"HS1": "fleet_full"}, MON)
    assert [i.tracking_code for i in todays_work(WED, [], unserved, {}).items] == ["HS1"]


def test_a_liaison_dossier_goes_between_agencies_in_legs() -> None:
    """A liên thông dossier (QĐ 45 art. 16(2)) from a commune shop to the provincial centre."""
    order = _order("LT1", "MC", "TT", kind=ItemKind.TRANSFER)
    legs = legs_of(order, SITES)
    assert [(g.pickup_site, g.delivery_site) for g in legs] == [("MC", "BC"), ("BC", "BD"),
                                                                ("BD", "TT")]
    (item,) = todays_work(MON, [order], None, SITES).items
    assert item.kind is ItemKind.TRANSFER
    assert item.kind.is_filing
