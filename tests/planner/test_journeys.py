"""Journeys in legs through post offices, one leg a day, and the backlog between days."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from pathlib import Path

import pytest

from planner.backlog import Backlog, backlog_from_dict, backlog_to_dict, read_backlog, write_backlog
from planner.domain import FeeMoment, ItemKind, Order, Site, SiteKind
from planner.exceptions import InputError, InputErrors
from planner.journeys import TRUNK_SKILL, carry_over, legs_of, todays_work
from planner.plan import Action

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
    Site("VHX", "Bưu điện văn hóa xã Hợp Thành", SiteKind.POST_POINT, 106.79, 21.91,
         home_post_office="BC"),
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
    assert kq.released_s == 9 * 3600, "a result is picked up once released"
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
    again = backlog_from_dict(json.loads(json.dumps(backlog_to_dict(backlog))))
    assert again.entries == backlog.entries
    assert again.sites == tuple(  # a citizen's site under its id, not the person's name
        dataclasses.replace(s, name=s.id) if s.kind is SiteKind.CITIZEN else s
        for s in backlog.sites)
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


def test_a_midday_trunk_carries_waiting_items_and_frees_their_next_leg_the_same_day() -> None:
    """An item at its post office for the trunk leg is at the far office at the arrival time."""
    from planner.backlog import InFlight
    from planner.journeys import midday_trunk

    at_bc = InFlight(_order("HS1", "A", "TT"), 1, "BC", THU)  # waiting at BC for BC → BD
    to_po = InFlight(_order("HS2", "A", "BD"), 1, "BC", THU)  # its trunk leg is its last
    local = InFlight(_order("HS3", "A", "TT"), 0, "A", THU)  # still at the citizen's
    run = midday_trunk(Backlog(MON, (at_bc, to_po, local)), SITES, 13 * 3600)
    assert set(run.carried) == {"HS1", "HS2"}
    assert [e.order.tracking_code for e in run.finished] == ["HS2"]
    moved = {e.order.tracking_code: e for e in run.backlog.entries}
    assert (moved["HS1"].next_leg, moved["HS1"].at_site, moved["HS1"].ready_s) == (2, "BD",
                                                                                   13 * 3600)
    assert moved["HS3"] == local
    work = todays_work(WED, [], run.backlog, SITES)
    hs1 = next(i for i in work.items if i.tracking_code == "HS1")
    assert (hs1.pickup_site, hs1.delivery_site) == ("BD", "TT"), "the last leg goes today"
    assert hs1.pickup_windows[0].start_s == 13 * 3600, "not before the trunk arrives"
    after = carry_over(work, [], {"HS1": "fleet_full"}, WED)
    assert all(e.ready_s is None for e in after.entries), "tomorrow it is there all day"


def test_a_release_binds_on_its_day_only() -> None:
    """Released at 14:00 on J, the result waits at the agency from then: no release on J+1.

    So a release that misses the citizen's 08:00–10:00 window carries the order over
    one day, not for ever.
    """
    kq = _order("KQ1", "MC", "A", kind=ItemKind.RESULT, ready_s=14 * 3600)
    (today,) = todays_work(MON, [kq], None, SITES).items
    assert today.released_s == 14 * 3600
    backlog = carry_over(todays_work(MON, [kq], None, SITES), [], {"KQ1": "outside_windows"}, MON)
    (later,) = todays_work(WED, [], backlog, SITES).items
    assert later.released_s is None


def test_backlog_keeps_citizens_names_only_where_a_leg_still_meets_them() -> None:
    """A collected dossier carries no name or phone; a result still to deliver keeps them.

    Citizen sites, named after the person, are written under their ids.
    """
    sites = {**SITES, "A": dataclasses.replace(SITES["A"], phone="0912 345 678")}
    hs = _order("HS1", "A", "TT", citizen_name="Nguyễn Thị Hương", citizen_phone="0912 345 678")
    kq = _order("KQ1", "MC", "B", kind=ItemKind.RESULT, citizen_name="Trần Văn Đức",
                citizen_phone="0987 654 321")
    work = todays_work(MON, [hs, kq], None, sites)
    backlog = carry_over(work, ["HS1"], {"KQ1": "fleet_full"}, MON)  # HS1 collected, KQ1 waits
    text = json.dumps(backlog_to_dict(backlog), ensure_ascii=False)
    assert "Nguyễn Thị Hương" not in text
    assert "0912 345 678" not in text
    assert "Trần Văn Đức" in text  # on tomorrow's route sheet: the recipient to check
    assert "0987 654 321" in text
    again = backlog_from_dict(json.loads(text))
    later = {it.tracking_code: it for it in todays_work(WED, [], again, sites).items}
    assert later["KQ1"].citizen_name == "Trần Văn Đức"
    assert later["HS1"].citizen_name == ""


def test_fee_and_postage_are_collected_only_at_the_citizens_door() -> None:
    """Paid at the citizen's address; a commune post point takes the payment at its counter."""
    result = {"kind": ItemKind.RESULT, "fee_at": FeeMoment.DELIVERY}
    orders = [_order("HS-HOME", "A", "MC", fee_vnd=50_000, postage_vnd=22_000),
              _order("HS-VHX", "VHX", "MC", fee_vnd=50_000, postage_vnd=22_000),
              _order("KQ-HOME", "MC", "A", fee_vnd=30_000, postage_vnd=30_000, **result),
              _order("KQ-VHX", "MC", "VHX", fee_vnd=30_000, postage_vnd=30_000, **result)]
    items = {it.tracking_code: it for it in todays_work(MON, orders, None, SITES).items}
    cash = {code: (it.fee_vnd, it.postage_vnd) for code, it in items.items()}
    assert cash == {"HS-HOME": (50_000, 22_000), "HS-VHX": (0, 0),
                    "KQ-HOME": (30_000, 30_000), "KQ-VHX": (0, 0)}


def test_a_dossiers_fee_goes_to_the_agency_with_it_and_postage_stays_on_board() -> None:
    """At the biên bản the fee leaves the courier; the postage goes back to the post office."""
    orders = [_order("HS1", "A", "MC", fee_vnd=50_000, postage_vnd=22_000),
              _order("HS2", "A", "TT", fee_vnd=50_000, postage_vnd=22_000),
              _order("KQ1", "MC", "A", kind=ItemKind.RESULT, fee_vnd=30_000, postage_vnd=30_000,
                     fee_at=FeeMoment.DELIVERY)]
    items = {it.tracking_code: it for it in todays_work(MON, orders, None, SITES).items}
    delta = {code: (it.cash_delta_vnd(Action.PICKUP), it.cash_delta_vnd(Action.DELIVERY))
             for code, it in items.items()}
    assert delta == {"HS1": (72_000, -50_000),
                     "HS2": (72_000, 0),  # first leg ends at the post office, not the agency
                     "KQ1": (0, 60_000)}


def test_a_multi_leg_dossiers_fee_travels_with_it_to_the_agency(tmp_path: Path) -> None:
    """Collected at the door and remitted at the post office; taken by the agency leg's courier.

    QĐ 45 art. 7(5), 11, 15(2): day 1 the fee stays on board to the remit (the
    leg ends at the post office); the trunk carries no cash; day 3 the courier
    takes it at the post office with the dossier and hands it over on the biên bản.
    """
    work = todays_work(MON, [_order("HS2", "A", "TT", fee_vnd=50_000, postage_vnd=22_000)],
                       None, SITES)
    cash = []
    day = MON
    for _ in range(3):
        (item,) = work.items
        cash.append((item.cash_delta_vnd(Action.PICKUP), item.cash_delta_vnd(Action.DELIVERY),
                     item.fee_handed_vnd(Action.DELIVERY)))
        backlog = read_backlog(write_backlog(tmp_path / "backlog.json",
                                             carry_over(work, ["HS2"], {}, day)))
        day = WED if day == MON else THU
        work = todays_work(day, [], backlog, {})
    assert cash == [(72_000, 0, 0), (0, 0, 0), (50_000, -50_000, 50_000)]


def test_a_fee_paid_at_a_post_points_counter_reaches_the_agency() -> None:
    """The post point's counter took the fee: the courier takes it there with the dossier."""
    (item,) = todays_work(MON, [_order("HS-VHX", "VHX", "MC", fee_vnd=50_000)], None,
                          SITES).items
    assert (item.fee_collected_vnd(Action.PICKUP), item.fee_taken_vnd(Action.PICKUP),
            item.fee_handed_vnd(Action.DELIVERY)) == (0, 50_000, 50_000)
    assert item.cash_peak_vnd == 50_000
