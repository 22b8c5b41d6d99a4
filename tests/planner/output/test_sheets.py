"""Route sheets: CSV columns in both languages, PDF text with Vietnamese diacritics."""

from __future__ import annotations

import csv
import dataclasses
import re
import subprocess
from pathlib import Path

import pytest

from planner.domain.hours import CLOSED
from planner.output.i18n import Lang
from planner.output.itinerary import route_view
from planner.output.sheets_csv import csv_header, write_route_csv
from planner.output.sheets_pdf import SheetContext, write_route_pdf
from planner.plan import Plan
from planner.problem import Problem
from tests.conftest import need_executable
from tests.planner.output.conftest import H
from tests.planner.output.test_itinerary import released_at_ten

VI_HEADER = ["STT", "Giờ đến", "Bắt đầu", "Giờ đi", "Mã điểm", "Tên điểm", "Loại điểm", "Địa chỉ",
             "Việc", "Số hiệu", "Loại bưu gửi", "Thu phí (VND)", "Thu cước (VND)",
             "Nộp phí cho cơ quan (VND)", "Tiền mang theo sau điểm (VND)", "Người liên hệ",
             "Điện thoại", "Phút chờ", "Lý do chờ"]
EN_HEADER = ["stop_no", "arrival", "start", "departure", "site_id", "site_name", "site_kind",
             "address", "action", "tracking_code", "item_kind", "fee_vnd", "postage_vnd",
             "fee_handed_vnd", "cash_after_vnd", "contact_name", "contact_phone", "wait_min",
             "wait_cause"]


def _read_csv(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8-sig", newline="") as f:
        return list(csv.reader(f))


@pytest.mark.parametrize(("lang", "header"), [("vi", VI_HEADER), ("en", EN_HEADER)])
def test_csv_header(lang: Lang, header: list[str]) -> None:
    """The CSV has the expected columns in Vietnamese and in English."""
    assert csv_header(lang) == header


def test_csv_rows_follow_the_day(problem: Problem, plan: Plan, tmp_path: Path) -> None:
    """One row per event in stop order, lunch in its place, fees and contacts where due."""
    rows = _read_csv(write_route_csv(route_view(problem, plan.routes[0]),
                                     tmp_path / "K1.csv", "vi"))
    assert rows[0] == VI_HEADER
    body = rows[1:]
    assert [r[9] for r in body] == ["D1", "D2", "", "", "", "D1", "D2", "R1", "R1", "", ""]
    assert [r[8] for r in body[2:5]] == ["Chờ", "Chờ", "Nghỉ trưa"]
    assert body[2][1:4] == ["10:45", "10:45", "11:00"]
    assert body[2][17:] == ["15", "chờ đến giờ nghỉ trưa"]
    assert body[3][17:] == ["30", "thời gian trống"]
    assert body[4][1] == "11:30"
    assert body[4][3] == "12:30"
    assert body[0][11:14] == ["50000", "22000", "0"]
    assert body[0][15] == "Nguyễn Văn Đức"
    assert body[8][11:14] == ["30000", "30000", "0"]
    assert body[8][16] == "0977 111 222"
    # every wait with its cause: the office opens at 13:00, R1 is released at 13:15
    assert body[5][17:] == ["10", "chờ mở cửa"]
    assert body[7][17:] == ["15", "chờ cơ quan trả kết quả"]
    # no personal data at an agency stop
    assert body[5][15] == ""
    assert body[5][16] == ""


def test_csv_carries_the_cash_on_board_and_what_to_remit(
    problem: Problem, plan: Plan, tmp_path: Path
) -> None:
    """D1's fee goes to the one-stop shop with it; postage and R1's fee are remitted at PO1."""
    rows = _read_csv(write_route_csv(route_view(problem, plan.routes[0]),
                                     tmp_path / "K1.csv", "vi"))
    body = rows[1:]
    handed = {r[9]: r[13] for r in body if r[8] == "Giao" and r[4] == "OS1"}
    assert handed == {"D1": "50000", "D2": "0"}
    assert [r[14] for r in body if r[9]] == ["72000", "72000", "22000", "22000", "22000", "82000"]
    assert body[-1][4] == "PO1"
    assert body[-1][8] == "Nộp tại bưu cục khi về"
    assert body[-1][14] == "82000"


def test_csv_is_utf8_with_bom(problem: Problem, plan: Plan, tmp_path: Path) -> None:
    """The file starts with a BOM so Excel shows the diacritics."""
    path = write_route_csv(route_view(problem, plan.routes[1]), tmp_path / "K2.csv", "en")
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")


def _pdf_text(pdf: Path) -> str:
    exe = need_executable("pdftotext")
    out = subprocess.run([exe, "-layout", str(pdf), "-"], check=True, capture_output=True,
                         text=True, encoding="utf-8")
    return out.stdout


@pytest.mark.needs_poppler
def test_pdf_keeps_vietnamese_diacritics(problem: Problem, plan: Plan, tmp_path: Path) -> None:
    """pdftotext finds the title, names, addresses and hand-over record with their diacritics."""
    pdf = write_route_pdf(route_view(problem, plan.routes[0]), tmp_path / "K1.pdf",
                          SheetContext("vi", "23/11/2026", "Lạng Sơn"))
    text = _pdf_text(pdf)
    for expected in ("PHIẾU LỘ TRÌNH", "Hoàng Văn Thụ", "Nhà ông Nguyễn Văn Đức",
                     "Bộ phận một cửa xã Hợp Thành", "Thôn Nà Ngườm, xã Hòa Cư",
                     "BIÊN BẢN GIAO NHẬN", "Nghỉ trưa 11:30–12:30", "50.000 ₫", "80.000 ₫",
                     "27,0 km", "0987 654 321", "Ký nhận", "Lạng Sơn",
                     "Giờ mở cửa: 07:30–11:30, 13:00–17:00", "(từ 13:15)"):
        assert expected in text, expected
    flat = " ".join(text.split())
    assert "chờ mở cửa 12:50–13:00" in flat
    assert "chờ cơ quan trả kết quả 13:00–13:15" in flat
    assert "Chờ 10:45–11:00 — chờ đến giờ nghỉ trưa" in flat


@pytest.mark.needs_poppler
@pytest.mark.parametrize(("lang", "expected"), [
    ("vi", ("Phí, lệ phí bưu tá nộp kèm hồ sơ: 50.000 ₫ (1 hồ sơ)",
            "Nộp phí cho cơ quan: 50.000 ₫", "Tiền mang theo sau điểm này: 22.000 ₫",
            "Thu cước: 22.000 ₫", "Nộp tại bưu cục khi về: 82.000 ₫", "Cước thu: 52.000 ₫")),
    ("en", ("Government fees handed over with the dossiers: 50,000 VND (1 dossier(s))",
            "Hand fees to the agency: 50,000 VND", "Cash on board after this stop: 22,000 VND",
            "Collect postage: 22,000 VND", "Remit at the post office on return: 82,000 VND",
            "Postage collected: 52,000 VND")),
])
def test_pdf_shows_fees_postage_cash_on_board_and_remittance(
    problem: Problem, plan: Plan, tmp_path: Path, lang: Lang, expected: tuple[str, ...]
) -> None:
    """The biên bản has the fee line; each stop the cash on board; the end what to remit."""
    pdf = write_route_pdf(route_view(problem, plan.routes[0]), tmp_path / "K1.pdf",
                          SheetContext(lang, "23/11/2026", "Lạng Sơn"))
    flat = " ".join(_pdf_text(pdf).split())
    for text in expected:
        assert text in flat, text


@pytest.mark.needs_poppler
def test_pdf_says_why_the_courier_waits(problem: Problem, tmp_path: Path) -> None:
    """A wait for a 10:00 release at an office open since 07:30 is not 'chờ mở cửa'."""
    p, route = released_at_ten(problem)
    pdf = write_route_pdf(route_view(p, route), tmp_path / "K3.pdf",
                          SheetContext("vi", "23/11/2026", "Lạng Sơn"))
    flat = " ".join(_pdf_text(pdf).split())
    assert "chờ cơ quan trả kết quả 09:45–10:00" in flat
    assert "chờ mở cửa" not in flat


@pytest.mark.needs_poppler
def test_pdf_in_english(problem: Problem, plan: Plan, tmp_path: Path) -> None:
    """The English sheet has English labels and keeps Vietnamese names intact."""
    pdf = write_route_pdf(route_view(problem, plan.routes[1]), tmp_path / "K2.pdf",
                          SheetContext("en", "2026-11-23", "Lạng Sơn"))
    text = _pdf_text(pdf)
    for expected in ("ROUTE SHEET", "HAND-OVER RECORD", "Lý Thị Ngọc",
                     "Trung tâm Phục vụ hành chính công tỉnh Lạng Sơn", "69.0 km"):
        assert expected in text, expected


def test_pdf_embeds_the_font(problem: Problem, plan: Plan, tmp_path: Path) -> None:
    """The PDF embeds DejaVu Sans instead of relying on the printer's fonts."""
    pdf = write_route_pdf(route_view(problem, plan.routes[0]), tmp_path / "K1.pdf",
                          SheetContext("vi", "23/11/2026", "Lạng Sơn"))
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF")
    assert b"DejaVuSans" in data
    assert b"FontFile2" in data


def test_pdf_with_a_huge_stop(tmp_path: Path) -> None:
    """A trunk stop with 150 items runs over several pages instead of failing to lay out."""
    import datetime as dt

    from planner.domain import Courier, Item, ItemKind, Site, SiteKind, TimeWindow, VehicleType
    from planner.plan import Action, Event, Route, Stop
    from planner.problem import ProblemBuilder, haversine_travel

    sites = [Site("PO", "Bưu điện tỉnh", SiteKind.PROVINCIAL_POST_OFFICE, 106.76, 21.85),
             Site("SC", "Trung tâm Phục vụ hành chính công", SiteKind.SERVICE_CENTER,
                  106.77, 21.84)]
    b = ProblemBuilder(dt.date(2026, 11, 23))
    b.add_sites(sites)
    b.add_courier(Courier("VAN", "Xe thư tỉnh", VehicleType.VAN, (500,), TimeWindow(0, 86_000),
                          "PO", "PO"))
    codes = [f"KQ{i:09d}VN" for i in range(150)]
    b.add_items(Item(c, ItemKind.RESULT, "SC", "PO") for c in codes)
    b.set_travel(VehicleType.VAN, haversine_travel(sites, 35.0))
    problem = b.build()
    stops = (Stop("SC", 30_000, 30_000, 31_000, tuple(Event(c, Action.PICKUP) for c in codes),
                  (150,)),)
    route = Route("VAN", 29_000, 33_000, stops, 4_000)
    pdf = write_route_pdf(route_view(problem, route), tmp_path / "VAN.pdf",
                          SheetContext("vi", "23/11/2026", "Lạng Sơn"))
    pages = re.findall(rb"/Type /Page[^s]", pdf.read_bytes())
    assert len(pages) >= 3


@pytest.mark.needs_poppler
def test_handover_record_is_not_pre_dated(problem: Problem, plan: Plan, tmp_path: Path) -> None:
    """The biên bản gives the planned hand-over (13:10, after the 10-min visit that starts
    when the shop opens at 13:00) and a blank signing time, not the visit's start."""
    sites = [dataclasses.replace(s, visit_s=600) if s.id == "OS1" else s for s in problem.sites]
    p = problem.replace(sites=sites)
    k1 = plan.routes[0]
    shop = dataclasses.replace(k1.stops[2], arrival_s=H("12:45"), start_s=H("13:00"))
    route = dataclasses.replace(k1, stops=(*k1.stops[:2], shop, *k1.stops[3:]))
    pdf = write_route_pdf(route_view(p, route), tmp_path / "K1.pdf",
                          SheetContext("vi", "23/11/2026", "Lạng Sơn"))
    flat = " ".join(_pdf_text(pdf).split())
    assert "Giờ giao nhận dự kiến: 13:10" in flat
    assert "Giờ ký thực tế: ....... giờ ....... phút" in flat
    assert "13:00 ngày" not in flat


@pytest.mark.parametrize(
    ("name", "shown"),
    [
        ('=HYPERLINK("http://x.example","Bé")', '\'=HYPERLINK("http://x.example","Bé")'),
        ("+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1:A9)", "'@SUM(A1:A9)"),
        ("\tTrần", "'\tTrần"),
        ("\rTrần", "'\rTrần"),
        ("Trần Văn =Bé", "Trần Văn =Bé"),
    ],
)
def test_csv_cells_cannot_be_formulas(problem: Problem, plan: Plan, tmp_path: Path,
                                      name: str, shown: str) -> None:
    """A name that a spreadsheet would run as a formula gets a leading apostrophe."""
    sites = tuple(dataclasses.replace(s, name=name, address=name) for s in problem.sites)
    odd = dataclasses.replace(problem, sites=sites)
    rows = _read_csv(write_route_csv(route_view(odd, plan.routes[0]), tmp_path / "K1.csv", "vi"))
    assert {r[5] for r in rows[1:] if r[5]} == {shown}
    assert {r[7] for r in rows[1:] if r[7]} == {shown}


def test_csv_keeps_phone_numbers_readable(problem: Problem, plan: Plan, tmp_path: Path) -> None:
    """A phone number with a country code (``+84 …``) is written as it is, with no apostrophe."""
    sites = tuple(dataclasses.replace(s, phone="+84 977 111 222") for s in problem.sites)
    odd = dataclasses.replace(problem, sites=sites)
    items = tuple(dataclasses.replace(i, citizen_phone="") for i in odd.items)
    odd = dataclasses.replace(odd, items=items)
    rows = _read_csv(write_route_csv(route_view(odd, plan.routes[0]), tmp_path / "K1.csv", "vi"))
    cells = [c for r in rows for c in r]
    assert "+84 977 111 222" in cells
    assert not any(c.startswith("'+84") for c in cells)


@pytest.mark.needs_poppler
def test_pdf_marks_a_reattempted_delivery(problem: Problem, plan: Plan, tmp_path: Path) -> None:
    """R1 after a failed delivery (TT 17 art. 5(2)(h)): its delivery line says which attempt."""
    items = [dataclasses.replace(it, attempt=2) if it.tracking_code == "R1" else it
             for it in problem.items]
    pdf = write_route_pdf(route_view(problem.replace(items=items), plan.routes[0]),
                          tmp_path / "K1.pdf", SheetContext("vi", "23/11/2026", "Lạng Sơn"))
    flat = " ".join(_pdf_text(pdf).split())
    assert flat.count("(phát lại lần 2)") == 1, "on the delivery, not on the pickup"


@pytest.mark.parametrize(("lang", "closed"), [("vi", "Giờ mở cửa: đóng cửa"),
                                              ("en", "Opening hours: closed")])
def test_pdf_prints_a_closed_office_as_closed(problem: Problem, plan: Plan, tmp_path: Path,
                                              lang: Lang, closed: str) -> None:
    """An agency closed today (a Saturday, a day off) reads 'đóng cửa', never 00:00–00:00."""
    shut = problem.replace(sites=[dataclasses.replace(s, opening=CLOSED) if s.id == "OS1" else s
                                  for s in problem.sites])
    route = next(r for r in plan.routes if any(s.site == "OS1" for s in r.stops))
    pdf = write_route_pdf(route_view(shut, route), tmp_path / "K.pdf",
                          SheetContext(lang, "23/11/2026", "Lạng Sơn"))
    flat = " ".join(_pdf_text(pdf).split())
    assert closed in flat
    assert "00:00–00:00" not in flat


@pytest.mark.needs_poppler
def test_pdf_shows_a_fee_taken_with_the_dossier_for_the_agency(problem: Problem, plan: Plan,
                                                                tmp_path: Path) -> None:
    """D2's fee, paid at the post point's counter, is taken there and is on the biên bản."""
    items = [dataclasses.replace(it, fee_carried_vnd=40_000) if it.tracking_code == "D2" else it
             for it in problem.items]
    pdf = write_route_pdf(route_view(problem.replace(items=items), plan.routes[0]),
                          tmp_path / "K1.pdf", SheetContext("vi", "23/11/2026", "Lạng Sơn"))
    flat = " ".join(_pdf_text(pdf).split())
    assert "Nhận phí kèm hồ sơ để nộp cơ quan: 40.000 ₫" in flat
    assert "Phí, lệ phí bưu tá nộp kèm hồ sơ: 90.000 ₫ (2 hồ sơ)" in flat
