"""The dispatcher's files: three formats, Vietnamese or English headers, encodings, every error."""

from __future__ import annotations

import csv
import datetime as dt
import json
import logging
import shutil
import unicodedata
from pathlib import Path

import openpyxl
import pytest

from planner.domain import ItemKind, SiteKind, VehicleType
from planner.exceptions import InputError, InputErrors
from planner.formats import read_fleet, read_orders, read_sites
from planner.formats.tabular import fold

DATA = Path(__file__).resolve().parents[2] / "data" / "day"
VI_SITES = """mã,tên,loại,kinh độ,vĩ độ,địa chỉ,bưu cục quản lý
BD,Bưu điện tỉnh Lạng Sơn,bưu điện tỉnh,106.7615,21.8537,Số 49 Lê Lợi,
MC,Bộ phận một cửa Phường Lương Văn Tri,một cửa xã,106.765,21.849,UBND phường,BD
CD,Nguyễn Thị Hương,công dân,106.755,21.845,"Số 12 ngõ 3 Bà Triệu, Lương Văn Tri",BD
"""


def _write(tmp_path: Path, name: str, text: str, encoding: str = "utf-8") -> Path:
    p = tmp_path / name
    p.write_bytes(text.encode(encoding))
    return p


_TONES = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}


def _windows_1258_form(text: str) -> str:
    """Vietnamese as Windows-1258 writes it: precomposed letters, tones as combining marks."""
    out = []
    for ch in text:
        parts = unicodedata.normalize("NFD", ch)
        tones = "".join(p for p in parts if p in _TONES)
        out.append(unicodedata.normalize("NFC", "".join(p for p in parts if p not in _TONES))
                   + tones)
    return "".join(out)


def _errors(exc: pytest.ExceptionInfo[InputErrors]) -> list[str]:
    return [str(e) for e in exc.value.errors]


def test_the_sample_files_read_in_english() -> None:
    """The test day's CSV files give sites, orders and couriers with their values."""
    sites = read_sites(DATA / "sites.csv")
    by_id = {s.id: s for s in sites}
    orders = read_orders(DATA / "orders.csv", sites=by_id)
    fleet = read_fleet(DATA / "fleet.csv", sites=by_id)
    assert by_id["MC-LVT"].kind is SiteKind.COMMUNE_ONE_STOP
    assert by_id["MC-LVT"].cutoff_s == 15 * 3600, "agencies get the 15:00 cut-off"
    assert by_id["CD-003"].home_post_office == "BC-CAOLOC"
    kq = next(o for o in orders if o.tracking_code == "KQ0003VN")
    assert kq.kind is ItemKind.RESULT
    assert kq.ready_s == 9 * 3600
    assert kq.accepted_on == dt.date(2026, 11, 20)
    assert str(kq.destination_windows[0]) == "13:30–17:00"
    van = next(c for c in fleet if c.id == "XT-01")
    assert van.vehicle is VehicleType.VAN
    assert van.skills == {"trunk", "clearance"}
    assert van.lunch is not None
    assert van.lunch.duration_s == 3600


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1258"])
def test_vietnamese_headers_in_every_encoding(tmp_path: Path, encoding: str) -> None:
    """Vietnamese headers and values read alike from UTF-8, UTF-8 with BOM and Windows-1258."""
    text = _windows_1258_form(VI_SITES) if encoding == "cp1258" else VI_SITES
    sites = read_sites(_write(tmp_path, "sites.csv", text, encoding))
    assert [s.kind for s in sites] == [SiteKind.PROVINCIAL_POST_OFFICE,
                                      SiteKind.COMMUNE_ONE_STOP, SiteKind.CITIZEN]
    assert sites[2].name == "Nguyễn Thị Hương"
    assert unicodedata.is_normalized("NFC", sites[2].address)


def test_headers_without_diacritics_and_in_other_case(tmp_path: Path) -> None:
    """'Ma', 'TEN', 'Kinh-do' name the same columns as 'mã', 'tên', 'kinh độ'."""
    folded = VI_SITES.replace("mã,tên,loại,kinh độ,vĩ độ,địa chỉ,bưu cục quản lý",
                              "Ma,TEN,Loai,Kinh-do,vi_do,Dia chi,Buu cuc quan ly")
    assert len(read_sites(_write(tmp_path, "s.csv", folded))) == 3
    assert fold("Bưu cục quản lý") == "buu_cuc_quan_ly"


def test_excel_and_json_read_like_csv(tmp_path: Path) -> None:
    """The same orders from .xlsx and .json equal those from .csv."""
    sites = {s.id: s for s in read_sites(DATA / "sites.csv")}
    want = read_orders(DATA / "orders.csv", sites=sites)
    lines = (DATA / "orders.csv").read_text(encoding="utf-8").splitlines()
    rows = list(csv.reader(lines))
    book = openpyxl.Workbook()
    for r in rows:
        book.active.append(r)
    book.save(tmp_path / "orders.xlsx")
    assert read_orders(tmp_path / "orders.xlsx", sites=sites) == want
    objs = [dict(zip(rows[0], r, strict=True)) for r in rows[1:]]
    (tmp_path / "orders.json").write_text(json.dumps({"orders": objs}, ensure_ascii=False),
                                          encoding="utf-8")
    assert read_orders(tmp_path / "orders.json", sites=sites) == want


def test_every_problem_is_reported_at_once_with_row_and_column(tmp_path: Path) -> None:
    """Unknown site, bad window, duplicate code, negative fee, bad date: all in one error."""
    sites = {s.id: s for s in read_sites(DATA / "sites.csv")}
    text = """số hiệu,loại,nơi đi,nơi đến,ngày nhận,giờ nhận,lệ phí
HS1,hồ sơ,CD-001,MC-LVT,2026-11-23,11:00-08:00,30000
HS2,hồ sơ,CD-001,MC-XXX,23/11/2026,,0
HS1,kết quả,MC-LVT,CD-001,2026-11-23,,0
HS4,bưu phẩm,CD-001,MC-LVT,2026-13-40,,-5
"""
    with pytest.raises(InputErrors) as exc:
        read_orders(_write(tmp_path, "don.csv", text), sites=sites)
    errors = _errors(exc)
    expected = [
        ("row 2", "giờ nhận", "11:00"),
        ("row 3", "nơi đến", "MC-XXX"),
        ("row 4", "số hiệu", "first on row 2"),
        ("row 5", "loại", "bưu phẩm"),
        ("row 5", "ngày nhận", "2026-13-40"),
        ("row 5", "lệ phí", "-5"),
    ]
    for row, column, word in expected:
        assert any(row in e and f"'{column}'" in e and word in e and "don.csv" in e
                   for e in errors), (row, column, errors)
    assert len(errors) == len(expected)


def test_sites_errors_name_the_cell(tmp_path: Path) -> None:
    """Swapped coordinates get a hint; NaN, a repeated id and a home office that is none fail."""
    text = """id,name,kind,lon,lat,home_post_office
PO,Bưu điện,district_post_office,106.7,21.8,
A,Điểm A,citizen,21.8,106.7,PO
B,Điểm B,citizen,106.7,nan,PO
PO,Trùng,citizen,106.7,21.8,PO
C,Điểm C,citizen,106.7,21.8,D
D,Điểm D,citizen,106.7,21.8,PO
"""
    with pytest.raises(InputErrors) as exc:
        read_sites(_write(tmp_path, "sites.csv", text))
    errors = "\n".join(_errors(exc))
    assert "row 3" in errors
    assert "swapped" in errors
    assert "row 4, field 'lat'" in errors
    assert "row 5, field 'id'" in errors
    assert "row 6, field 'home_post_office'" in errors
    assert "not a post office" in errors


def test_a_site_with_only_a_commune_code_stands_at_the_commune(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    """No coordinates but a commune code: the commune's point, and a warning naming the row."""
    text = "id,name,kind,commune_code\nMC,Một cửa Lương Văn Tri,commune_one_stop,05983\n"
    with caplog.at_level(logging.WARNING, logger="planner.formats"):
        (site,) = read_sites(_write(tmp_path, "s.csv", text))
    assert 106.6 < site.lon < 106.9
    assert 21.7 < site.lat < 22.0
    assert "row 2" in caplog.text
    assert "Lương Văn Tri" in caplog.text


def test_fleet_errors(tmp_path: Path) -> None:
    """Unknown vehicle, shift ending before it starts, unknown depot and a missing column."""
    sites = {s.id: s for s in read_sites(DATA / "sites.csv")}
    text = """id,name,vehicle,capacity,shift,start_site
B1,Vi Văn Toàn,tàu thủy,40,07:00-17:30,BD-TINH
B2,Nông Thị Lan,xe máy,40,17:30-07:00,BD-TINH
B3,Hà Văn Hải,xe máy,-1,07:00-17:30,KHONG-CO
"""
    with pytest.raises(InputErrors) as exc:
        read_fleet(_write(tmp_path, "fleet.csv", text), sites=sites)
    errors = "\n".join(_errors(exc))
    assert "row 2, field 'vehicle'" in errors
    assert "row 3, field 'shift'" in errors
    assert "row 4, field 'capacity'" in errors
    assert "row 4, field 'start_site'" in errors
    with pytest.raises(InputErrors, match="required column missing"):
        read_fleet(_write(tmp_path, "f2.csv", "id,name,vehicle\nB1,A,xe máy\n"))


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("sites.txt", b"x", "unsupported file type"),
        ("sites.csv", b"", "empty"),
        ("sites.csv", b"id,name,kind,lon,lat\n", "no rows"),
        ("sites.csv", b"id\n\x81\x8d\x8f\x90\x9d\n", "row 2: not UTF-8"),
        ("sites.json", b"{not json", "not valid JSON"),
        ("sites.xlsx", b"PK\x03\x04 not really", "not a readable Excel file"),
    ],
)
def test_unreadable_files(tmp_path: Path, name: str, content: bytes, message: str) -> None:
    """A file that cannot be read says so, naming the file."""
    p = tmp_path / name
    p.write_bytes(content)
    with pytest.raises(InputError, match=message) as exc:
        read_sites(p)
    assert name in str(exc.value)


def test_missing_file(tmp_path: Path) -> None:
    """A missing file is an input error naming its path."""
    with pytest.raises(InputError, match="not found"):
        read_sites(tmp_path / "nope.csv")
    shutil.rmtree(tmp_path)


@pytest.mark.parametrize(("header", "fee", "postage"), [
    ("phi_vnd,cuoc_vnd", 50_000, 22_000),
    ("lệ phí,cước", 50_000, 22_000),
    ("fee_vnd,postage_vnd", 50_000, 22_000),
])
def test_government_fee_and_postage_are_read_apart(
    tmp_path: Path, header: str, fee: int, postage: int
) -> None:
    """The fee (phí, lệ phí) and the postage (cước) are two columns, in Vietnamese or English."""
    orders = _write(tmp_path, "orders.csv",
                    f"tracking_code,kind,origin,destination,{header}\n"
                    "HS1,dossier,CD,MC,50000,22000\n")
    (o,) = read_orders(orders, default_date=dt.date(2026, 11, 23))
    assert (o.fee_vnd, o.postage_vnd) == (fee, postage)


def test_an_older_file_with_only_a_fee_column_reads_as_government_fees(tmp_path: Path) -> None:
    """A file from before postage had its column: its fee column is the fee, postage is 0."""
    orders = _write(tmp_path, "orders.csv",
                    "tracking_code,kind,origin,destination,fee\nHS1,dossier,CD,MC,50000\n")
    (o,) = read_orders(orders, default_date=dt.date(2026, 11, 23))
    assert (o.fee_vnd, o.postage_vnd) == (50_000, 0)


def test_a_negative_postage_names_its_cell(tmp_path: Path) -> None:
    """A postage below zero is an error on its row and column."""
    orders = _write(tmp_path, "orders.csv",
                    "tracking_code,kind,origin,destination,cuoc_vnd\nHS1,dossier,CD,MC,-5\n")
    with pytest.raises(InputErrors) as exc:
        read_orders(orders, default_date=dt.date(2026, 11, 23))
    assert any("cuoc_vnd" in m and "row 2" in m for m in _errors(exc)), _errors(exc)
