"""Provinces, sites, fleet and orders: uploads through the CLI's readers, all or nothing."""

from __future__ import annotations

import io
import json
from pathlib import Path

import openpyxl
from fastapi.testclient import TestClient

from tests.api.conftest import Crew, load_day, upload

ORDERS = "/api/v1/provinces/20/orders"


def test_uploads_store_every_row(client: TestClient, crew: Crew, day_files: Path) -> None:
    """The test day's three files are stored and read back as file rows."""
    load_day(client, crew, day_files)
    h = crew.headers("dispatcher20")
    sites = client.get("/api/v1/provinces/20/sites", headers=h).json()
    fleet = client.get("/api/v1/provinces/20/fleet", headers=h).json()
    orders = client.get(ORDERS, headers=h).json()
    assert (len(sites), len(fleet), len(orders)) == (9, 3, 6)
    one = client.get(f"{ORDERS}/HS0001VN", headers=h).json()
    assert one["citizen_name"] == "Nguyễn Thị Hương"
    assert one["origin_windows"] == "08:00-11:00"


def test_a_bad_row_stores_nothing(client: TestClient, crew: Crew, day_files: Path) -> None:
    """One bad row: 422 naming file, row and field of every problem, and no order stored."""
    load_day(client, crew, day_files)
    bad = day_files / "more.csv"
    bad.write_text("tracking_code,kind,origin,destination,accepted_on\n"
                   "N1,dossier,CD-001,MC-LVT,2026-11-24\n"
                   "N2,parcel,CD-001,NOWHERE,2026-11-24\n"
                   "HS0001VN,dossier,CD-001,MC-LVT,2026-11-24\n", encoding="utf-8")
    body = upload(client, crew, "orders", bad)
    assert body["status"] == 422
    assert body["code"] == "invalid_input"
    where = {(d["source"], d["row"], d["field"]) for d in body["details"]}  # type: ignore[attr-defined]
    assert ("more.csv", "3", "kind") in where
    assert ("more.csv", "3", "destination") in where
    h = crew.headers("dispatcher20")
    assert client.get(f"{ORDERS}/N1", headers=h).status_code == 404


def test_a_stored_tracking_code_is_refused(client: TestClient, crew: Crew,
                                          day_files: Path) -> None:
    """Uploading an order already stored is a row error, and nothing of the file is stored."""
    load_day(client, crew, day_files)
    body = upload(client, crew, "orders", day_files / "orders.csv")
    assert body["status"] == 422
    assert body["details"][0]["message"] == "tracking code already stored"  # type: ignore[index]


def test_xlsx_and_json_uploads(client: TestClient, crew: Crew, day_files: Path) -> None:
    """Excel and JSON files go through the same readers."""
    load_day(client, crew, day_files)
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["số hiệu", "loại", "nơi đi", "nơi đến", "ngày nhận"])
    sheet.append(["X1", "hồ sơ", "CD-001", "MC-LVT", "24/11/2026"])
    buf = io.BytesIO()
    book.save(buf)
    xlsx = day_files / "orders.xlsx"
    xlsx.write_bytes(buf.getvalue())
    assert upload(client, crew, "orders", xlsx)["created"] == 1
    js = day_files / "orders.json"
    js.write_text(json.dumps({"orders": [{"tracking_code": "J1", "kind": "result",
                                          "origin": "TTHCC", "destination": "CD-002",
                                          "accepted_on": "2026-11-24"}]}))
    assert upload(client, crew, "orders", js)["created"] == 1


def test_malformed_and_oversized_files_are_4xx(client: TestClient, crew: Crew,
                                               day_files: Path) -> None:
    """Garbage, an unknown extension and an upload over the limit are 4xx with the one body."""
    load_day(client, crew, day_files)
    h = crew.headers("dispatcher20")
    cases = [("x.json", b"{not json", 422), ("x.txt", b"a,b\n1,2\n", 422),
             ("x.xlsx", b"PK\x03\x04garbage", 422), ("x.csv", b"", 422),
             ("big.csv", b"a" * (64 * 1024 + 1), 413)]
    for name, data, status in cases:
        r = client.post(ORDERS, headers=h, files={"file": (name, data)})
        assert r.status_code == status, (name, r.text)
        assert set(r.json()) == {"code", "message", "details"}


def test_updates_go_through_the_readers(client: TestClient, crew: Crew,
                                        day_files: Path) -> None:
    """A change is checked like a file row: a bad window is 422 naming the field."""
    load_day(client, crew, day_files)
    h = crew.headers("dispatcher20")
    r = client.patch(f"{ORDERS}/HS0001VN", headers=h, json={"origin_windows": "09:00-10:00"})
    assert r.status_code == 200
    assert r.json()["origin_windows"] == "09:00-10:00"
    r = client.patch(f"{ORDERS}/HS0001VN", headers=h, json={"origin_windows": "10:00-09:00"})
    assert r.status_code == 422
    assert r.json()["details"][0]["field"] == "origin_windows"
    r = client.patch("/api/v1/provinces/20/fleet/BT-01", headers=h, json={"capacity": 12})
    assert r.json()["capacity"] == 12
    r = client.patch("/api/v1/provinces/20/sites/MC-LVT", headers=h, json={"name": "Một cửa"})
    assert r.json()["name"] == "Một cửa"


def test_other_provinces_orders_are_404(client: TestClient, crew: Crew,
                                        day_files: Path) -> None:
    """A dispatcher of another province sees no such province; couriers and managers get 403."""
    load_day(client, crew, day_files)
    assert client.get(ORDERS, headers=crew.headers("dispatcher15")).status_code == 404
    assert client.get(f"{ORDERS}/HS0001VN",
                      headers=crew.headers("dispatcher15")).status_code == 404
    assert client.get(ORDERS, headers=crew.headers("courier1")).status_code == 403
    assert client.get(ORDERS, headers=crew.headers("manager20")).status_code == 403
    assert client.get(ORDERS, headers=crew.headers("admin")).status_code == 200


def test_provinces_by_role(client: TestClient, crew: Crew) -> None:
    """Admins create provinces; others list only their own."""
    r = client.post("/api/v1/provinces", headers=crew.headers("admin"),
                    json={"code": "01", "name": "Thành phố Hà Nội"})
    assert r.status_code == 201
    r = client.post("/api/v1/provinces", headers=crew.headers("dispatcher20"),
                    json={"code": "02", "name": "X"})
    assert r.status_code == 403
    codes = [p["code"] for p in client.get("/api/v1/provinces",
                                           headers=crew.headers("dispatcher20")).json()]
    assert codes == ["20"]
    assert len(client.get("/api/v1/provinces", headers=crew.headers("national")).json()) == 3
