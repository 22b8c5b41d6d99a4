"""One small file per awkward or broken input (tests/data/inputs/): read right, or refused."""

from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path

import pytest

from planner.domain import ItemKind
from planner.domain.orders import Order
from planner.domain.sites import Site
from planner.exceptions import InputError, InputErrors
from planner.formats import read_fleet, read_orders, read_sites

DATA = Path(__file__).resolve().parents[2] / "data"
INPUTS = DATA / "inputs"


@pytest.fixture(scope="module")
def sites() -> dict[str, Site]:
    """The test day's sites (tests/data/day/sites.csv): post offices, shops, citizens."""
    return {s.id: s for s in read_sites(DATA / "day" / "sites.csv")}


def _messages(err: BaseException) -> str:
    errors = err.errors if isinstance(err, InputErrors) else [err]
    return "\n".join(str(e) for e in errors)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("orders_unclosed_quote.csv", "row 3: a quote opened on this row is not closed"),
        ("orders_wrong_cell_count.csv", "row 3: 7 cells for 12 columns"),
        ("orders_ambiguous_amount.csv", "row 2, field 'fee_vnd': '30.0000' is not an amount"),
        ("orders_ambiguous_quantity.csv", "row 2, field 'quantity': '1.000' is not a whole"),
        ("orders_fractional_quantity.csv", "row 2, field 'quantity': '2.5' is not a whole"),
        ("orders_year_0026.csv", "row 2, field 'accepted_on': '23/11/0026' is not a date"),
        ("orders_origin_is_destination.csv",
         "row 2, field 'destination': the destination is the origin"),
        ("orders_undecodable_row.csv", "row 3: not UTF-8 or Windows-1258"),
        ("orders_tcvn3.csv", "row 2: the text looks like the legacy TCVN3"),
        ("orders_vni.csv", "row 2: the text looks like the legacy VNI"),
        ("orders_unknown_class.csv",
         "row 2, field 'class': 'mật' is not a known class (accepted: KT1"),
        ("orders_amount_trailing_mark.csv",
         "row 2, field 'fee_vnd': '1.000,' is not an amount in VND >= 0 (ends with a separator"),
        ("orders_amount_trailing_mark.csv",
         "row 3, field 'fee_vnd': '1000.' is not an amount in VND >= 0 (ends with a separator"),
        ("orders_json_nan_fee.json", "row 1, field 'fee_vnd': 'NaN' is not an amount"),
        ("orders_json_nan_fee.json", "row 2, field 'fee_vnd': 'Infinity' is not an amount"),
        ("orders_sep_line_unclosed_quote.csv", "row 3: a quote opened on this row is not closed"),
        ("orders_formula_without_value.xlsx",
         "row 2, field 'fee_vnd': formula =1000*30 has no stored value: open and save"),
    ],
)
def test_bad_orders_are_refused_with_their_row(name: str, expected: str,
                                               sites: dict[str, Site]) -> None:
    """A broken or ambiguous orders file is refused, naming the file, the row and the field."""
    with pytest.raises((InputError, InputErrors)) as exc:
        read_orders(INPUTS / name, sites=sites)
    assert f"{name}, {expected}" in _messages(exc.value)


def test_an_acceptance_after_the_planning_date_is_refused(sites: dict[str, Site]) -> None:
    """``23/11/99`` (2099) or a date next year is refused for a 2026 plan, each with its row."""
    with pytest.raises(InputErrors) as exc:
        read_orders(INPUTS / "orders_future_acceptance.csv", sites=sites,
                    default_date=dt.date(2026, 11, 23))
    text = _messages(exc.value)
    for row, day in ((2, "2099-11-23"), (3, "2027-01-05")):
        assert (f"orders_future_acceptance.csv, row {row}, field 'accepted_on': {day} is after "
                "the planning date 2026-11-23") in text


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("fleet_citizen_depot.csv", "row 2, field 'start_site': 'CD-001' is a citizen's"),
    ],
)
def test_bad_fleets_are_refused_with_their_row(name: str, expected: str,
                                               sites: dict[str, Site]) -> None:
    """A fleet file with an impossible courier is refused with its row and field."""
    with pytest.raises(InputErrors) as exc:
        read_fleet(INPUTS / name, sites=sites)
    assert f"{name}, {expected}" in _messages(exc.value)


def _fees(orders: tuple[Order, ...]) -> list[tuple[int, int]]:
    return [(o.quantity[0], o.fee_vnd) for o in orders]


@pytest.mark.parametrize(
    ("name", "check", "want"),
    [
        ("orders_vietnamese_amounts.csv", _fees, [(2, 30_000)] * 5 + [(2, 30_000)]),
        ("orders_two_digit_year.csv", lambda os: [o.accepted_on for o in os],
         [dt.date(2026, 11, 23)]),
        ("orders_one_windows1258_row.csv", lambda os: [o.citizen_name for o in os],
         ["Nguyễn Thị Hương", "Trần Văn Đức", "Nguyễn Thị Hương"]),
        ("orders_utf16_bom.csv", lambda os: [o.citizen_name for o in os], ["Nguyễn Thị Hương"]),
        ("orders_enumerations_in_any_case.csv",
         lambda os: [(o.kind, o.item_class, sorted(o.required_skills), o.same_day) for o in os],
         [(ItemKind.DOSSIER, "KT1", ["clearance"], True)]),
        ("orders_phone_without_0.csv", lambda os: [o.citizen_phone for o in os],
         ["0912000701"]),
        ("orders_phone_as_number.xlsx", lambda os: [o.citizen_phone for o in os],
         ["0912000701"]),
        ("orders_header_only.csv", list, []),
        ("orders_class_spellings.csv", lambda os: [o.item_class for o in os],
         ["KT1", "KT1", "KT1", "", "", "", ""]),
        ("orders_square_metres.csv", lambda os: [o.procedure for o in os],
         ["Cấp phép xây dựng nhà 80m² sân 20m²"]),
        ("orders_foreign_names.csv", lambda os: [o.citizen_name for o in os],
         ["Jürgen Schröder Köhler", "José Muñoz Ibáñez", "Nguyễn Thị Hương"]),
        ("orders_cr_line_endings.csv", _fees, [(1, 30_000), (2, 30_000)]),
        ("orders_sep_line.csv", lambda os: [(o.citizen_name, o.fee_vnd) for o in os],
         [("Nguyễn, Thị Hương", 30_000)]),
        ("orders_landline_without_0.csv", lambda os: [o.citizen_phone for o in os],
         ["02053870000", "0205 387 0000"]),
        ("orders_guillemets.csv", lambda os: [o.procedure for o in os],
         ["Thủ tục «Cấp bản sao» · «Chứng thực»"]),
    ],
)
def test_awkward_orders_read_right(name: str, check: object, want: object,
                                   sites: dict[str, Site]) -> None:
    """Locale numbers, short years, mixed or UTF-16 text, any case, lost zeros: the right values."""
    assert callable(check)
    assert check(read_orders(INPUTS / name, sites=sites)) == want


def test_a_lunch_outside_the_shift_is_no_lunch(sites: dict[str, Site],
                                               caplog: pytest.LogCaptureFixture) -> None:
    """A shift that starts after the lunch window closes takes no lunch, with a warning."""
    with caplog.at_level(logging.WARNING, logger="planner.formats"):
        (courier,) = read_fleet(INPUTS / "fleet_lunch_outside_shift.csv", sites=sites)
    assert courier.lunch is None
    assert "row 2: a 60-minute lunch starting within 11:00–12:30 does not fit" in caplog.text


def test_a_lunch_partly_in_the_shift_is_clipped(sites: dict[str, Site],
                                                caplog: pytest.LogCaptureFixture) -> None:
    """The lunch starts where the whole break fits in the shift; with no room, no lunch."""
    with caplog.at_level(logging.WARNING, logger="planner.formats"):
        couriers = read_fleet(INPUTS / "fleet_lunch_partly_in_shift.csv", sites=sites)
    lunches = [(c.lunch.window.start_s // 60, c.lunch.window.end_s // 60) if c.lunch else None
               for c in couriers]
    assert lunches == [None, (10 * 60 + 30, 11 * 60), (12 * 60, 13 * 60)]
    assert "row 2: a 60-minute lunch starting within" in caplog.text
    assert "row 3: lunch window 10:30" in caplog.text
    assert "row 4: lunch window 11:00" in caplog.text



def test_vietnamese_cash_limit_and_phone(sites: dict[str, Site]) -> None:
    """``5.000.000,00`` VND is five million; ``40,0`` items is 40; a 9-digit phone gets its 0."""
    (courier,) = read_fleet(INPUTS / "fleet_vietnamese_cash_limit.csv", sites=sites)
    assert (courier.cash_limit_vnd, courier.capacity, courier.phone) == (
        5_000_000, (40,), "0915000001")


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("sites_at_sea.csv", "row 4, field 'lat': (109.5, 15.5) is 43 km from the nearest commune"),
        ("sites_commune_code_disagrees.csv",
         "row 4, field 'lat': (106.755, 20.845) is 109 km from Phường Lương Văn Tri"),
    ],
)
def test_a_misplaced_site_is_refused(name: str, expected: str) -> None:
    """A point at sea, or far from the commune its code names, is refused with its row."""
    with pytest.raises(InputErrors) as exc:
        read_sites(INPUTS / name)
    assert f"{name}, {expected}" in _messages(exc.value)


def test_vietnamese_islands_are_accepted() -> None:
    """Sites on Trường Sa and Hoàng Sa (beyond 110° E) are read, not refused as abroad."""
    sites = read_sites(INPUTS / "sites_islands.csv")
    assert [s.id for s in sites] == ["BD-TS", "TSL", "STT", "BD-HS", "PL"]


def test_a_point_abroad_is_never_called_outside_vietnam_by_a_box() -> None:
    """A point far from every commune is refused by its distance, naming the nearest commune."""
    with pytest.raises(InputErrors) as exc:
        read_sites(INPUTS / "sites_abroad.csv")
    text = _messages(exc.value)
    assert "sites_abroad.csv, row 3, field 'lat': (2.35, 48.85) is" in text
    assert "outside Vietnam" not in text


def test_a_refused_post_office_is_reported_once() -> None:
    """A post office refused for its latitude is one error, not one per site it serves."""
    with pytest.raises(InputErrors) as exc:
        read_sites(INPUTS / "sites_post_office_bad_latitude.csv")
    errors = exc.value.errors
    assert len(errors) == 1, _messages(exc.value)
    assert "row 2, field 'lat'" in str(errors[0]) or "row 2, field 'lon'" in str(errors[0])


def test_a_site_in_another_province_is_warned(caplog: pytest.LogCaptureFixture) -> None:
    """A point in another province than the other sites (no commune code): a warning, its row."""
    with caplog.at_level(logging.WARNING, logger="planner.formats"):
        read_sites(INPUTS / "sites_other_province.csv")
    assert "row 4: (106.755, 20.845) lies in Thành phố Hải Phòng" in caplog.text


def test_a_site_phone_gets_its_0_back() -> None:
    """A site's 9-digit mobile number, stored as a number, is text with its leading 0."""
    (site,) = read_sites(INPUTS / "sites_phone_without_0.csv")
    assert site.phone == "0912000701"


def test_a_lien_thong_dossier_and_a_slip_that_follows_its_dossier_are_read(
        sites: dict[str, Site]) -> None:
    """Liên thông (QĐ 45 art. 16(2)) is a kind; a slip names the dossier it follows."""
    lt, _, slip = read_orders(INPUTS / "orders_lien_thong.csv", sites=sites)
    assert (lt.kind, lt.origin, lt.destination) == (ItemKind.TRANSFER, "MC-LVT", "TTHCC")
    assert (slip.kind, slip.follows) == (ItemKind.APPOINTMENT_SLIP, "HS9")


def test_a_lien_thong_from_a_citizen_and_a_dossier_that_follows_are_refused(
        sites: dict[str, Site]) -> None:
    """Liên thông goes agency to agency; only a slip follows a dossier: each row named."""
    with pytest.raises(InputErrors) as exc:
        read_orders(INPUTS / "orders_lien_thong_bad.csv", sites=sites)
    assert [(e.row, e.field) for e in exc.value.errors] == [(2, "origin"), (3, "follows")]
