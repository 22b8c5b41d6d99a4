"""Postage, followed dossiers and earlier days' outcomes through the service, into the plans."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient

from tests.api.conftest import Crew, load_day, upload, wait_job

ORDERS = "/api/v1/provinces/20/orders"
OUTCOMES = "/api/v1/provinces/20/outcomes"
DAY, NEXT_DAY = "2026-11-23", "2026-11-25"  # 24 November: Vietnam Cultural Day
#: Postage (cước) per tracking code added to the test day; the slip follows its dossier.
POSTAGE = {"HS0001VN": 25000, "KQ0005VN": 15000}
SLIP = ("GH0007VN,appointment_slip,TTHCC,CD-004,2026-11-23,,,,0,delivery,,0,no,"
        "Lương Văn Phúc,,Đăng ký doanh nghiệp")


def _with_postage(day: Path) -> Path:
    """The test day's orders with a postage column, and an appointment slip following HS0006VN."""
    path = day / "orders.csv"
    rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8") + SLIP + "\n")))
    for row in rows:
        row["postage_vnd"] = str(POSTAGE.get(row["tracking_code"], 0))
        row["follows"] = "HS0006VN" if row["tracking_code"] == "GH0007VN" else ""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")
    return day


def _outcomes_file(tmp: Path, rows: str, name: str = "outcomes.csv") -> Path:
    path = tmp / name
    path.write_text("tracking_code,date,status,reason\n" + rows, encoding="utf-8")
    return path


def _plan(client: TestClient, headers: dict[str, str], day: str) -> int:
    r = client.post("/api/v1/provinces/20/plans", headers=headers,
                    json={"date": day, "time_limit_s": 2.0})
    assert r.status_code == 202, r.text
    job = wait_job(client, headers, r.json()["job_id"])
    assert job["status"] == "succeeded", job
    plan_id: int = r.json()["plan_id"]
    return plan_id


def _events(plan: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    """Every event of the plan's routes, by tracking code."""
    out: dict[str, list[dict[str, Any]]] = {}
    for route in plan["routes"]:
        for stop in route["stops"]:
            for e in stop["events"]:
                out.setdefault(e["tracking_code"], []).append(e)
    return out


def test_postage_and_follows_are_kept(client: TestClient, crew: Crew, day_files: Path) -> None:
    """Uploaded, listed, re-uploaded as JSON and patched, an order keeps its postage and dossier."""
    _with_postage(day_files)
    load_day(client, crew, day_files)
    h = crew.headers("dispatcher20")
    one = client.get(f"{ORDERS}/HS0001VN", headers=h).json()
    assert (one["postage_vnd"], one["fee_vnd"], one["follows"]) == (25000, 30000, "")
    slip = client.get(f"{ORDERS}/GH0007VN", headers=h).json()
    assert slip["follows"] == "HS0006VN"
    r = client.patch(f"{ORDERS}/HS0001VN", headers=h, json={"postage_vnd": 27000})
    assert r.status_code == 200, r.text
    assert client.get(f"{ORDERS}/HS0001VN", headers=h).json()["postage_vnd"] == 27000
    assert client.get(f"{ORDERS}/GH0007VN", headers=h).json()["follows"] == "HS0006VN"
    r = client.patch(f"{ORDERS}/HS0001VN", headers=h, json={"follows": "HS0002VN"})
    assert r.status_code == 422  # only an appointment slip follows a dossier
    assert r.json()["details"][0]["field"] == "follows"
    listed = client.get(ORDERS, headers=h).json()
    again = json.dumps({"orders": [{**o, "tracking_code": o["tracking_code"] + "B"}
                                   for o in listed]}, ensure_ascii=False)
    r = client.post("/api/v1/provinces/15/sites", headers=crew.headers("admin"),
                    files={"file": ("sites.csv", (day_files / "sites.csv").read_bytes())})
    assert r.status_code == 201
    r = client.post("/api/v1/provinces/15/orders", headers=crew.headers("admin"),
                    files={"file": ("orders.json", again.encode())})
    assert r.status_code == 201, r.text
    copy = client.get("/api/v1/provinces/15/orders/GH0007VNB", headers=crew.headers("admin"))
    assert copy.json()["follows"] == "HS0006VN"
    copy = client.get("/api/v1/provinces/15/orders/HS0001VNB", headers=crew.headers("admin"))
    assert copy.json()["postage_vnd"] == 27000


def test_postage_and_follows_reach_the_plan(planning_client: TestClient,
                                            day_files: Path) -> None:
    """A day planned from uploaded orders collects their postage; a slip waits for its dossier."""
    client = planning_client
    crew = Crew(client)
    load_day(client, crew, _with_postage(day_files))
    disp = crew.headers("dispatcher20")
    plan_id = _plan(client, disp, DAY)
    events = _events(client.get(f"/api/v1/plans/{plan_id}", headers=disp).json())
    postage = {code: sum(e["postage_vnd"] for e in evs) for code, evs in events.items()}
    assert {c: postage[c] for c in POSTAGE} == POSTAGE
    kpis = client.get(f"/api/v1/plans/{plan_id}/kpis", headers=disp).json()
    assert kpis["postage_vnd"] == sum(POSTAGE.values())
    assert "GH0007VN" not in events  # it waits for HS0006VN's hand-over (QĐ 45 art. 7(5))


def test_outcome_uploads_are_checked_and_scoped(client: TestClient, crew: Crew,
                                                day_files: Path, tmp_path: Path) -> None:
    """A bad file, or outcomes of a day without a published plan, store nothing (4xx)."""
    load_day(client, crew, day_files)
    bad = _outcomes_file(tmp_path, f"KQ0003VN,{DAY},failed,\nKQ0005VN,{DAY},lost,\n")
    body = upload(client, crew, "outcomes", bad)
    assert body["status"] == 422
    where = {(d["row"], d["field"]) for d in body["details"]}  # type: ignore[attr-defined]
    assert {d["source"] for d in body["details"]} == {"outcomes.csv"}  # type: ignore[attr-defined]
    assert len(where) == 2
    early = _outcomes_file(tmp_path, f"KQ0003VN,{DAY},failed,refused\n")
    body = upload(client, crew, "outcomes", early)
    assert body["status"] == 422
    assert [(d["row"], d["field"]) for d in body["details"]] == [  # type: ignore[attr-defined]
        ("KQ0003VN", "date")]
    h = crew.headers("dispatcher20")
    assert client.get(OUTCOMES, headers=h).json() == []
    assert upload(client, crew, "outcomes", early, user="dispatcher15")["status"] == 404
    assert upload(client, crew, "outcomes", early, user="manager20")["status"] == 403
    assert upload(client, crew, "outcomes", early, user="courier1")["status"] == 403
    assert client.get(OUTCOMES, headers=crew.headers("dispatcher15")).status_code == 404
    assert client.get(OUTCOMES, headers=crew.headers("manager20")).status_code == 403


def test_a_failed_delivery_is_returned_the_next_day(planning_client: TestClient,
                                                    day_files: Path, tmp_path: Path) -> None:
    """A refused result of a published day goes back to its agency in the next day's plan.

    TT 17 art. 5(2)(h): a result that cannot be delivered returns to the
    agency that issued it (refused: at once, ``FailureReason.reattempted``).
    """
    client = planning_client
    crew = Crew(client)
    load_day(client, crew, day_files)
    disp = crew.headers("dispatcher20")
    first = _plan(client, disp, DAY)
    assert "KQ0003VN" in _events(client.get(f"/api/v1/plans/{first}", headers=disp).json())
    unknown = _outcomes_file(tmp_path, f"XX9999VN,{DAY},delivered,\n")
    assert upload(client, crew, "outcomes", unknown)["status"] == 422  # not published yet
    assert client.post(f"/api/v1/plans/{first}/publish", headers=disp).status_code == 200
    body = upload(client, crew, "outcomes", unknown)
    assert body["status"] == 422
    assert body["details"][0]["row"] == "XX9999VN"  # type: ignore[index]
    refused = _outcomes_file(tmp_path, f"KQ0003VN,{DAY},failed,refused\n"
                                       f"KQ0005VN,{DAY},delivered,\n")
    body = upload(client, crew, "outcomes", refused)
    assert body["status"] == 201, body
    assert (body["created"], body["updated"]) == (2, 0)
    stored = client.get(OUTCOMES, headers=disp, params={"date": DAY}).json()
    assert [(o["tracking_code"], o["status"], o["reason"]) for o in stored] == [
        ("KQ0003VN", "failed", "refused"), ("KQ0005VN", "delivered", None)]
    listed = tmp_path / "outcomes.json"  # a listing is a valid JSON upload; it replaces by day
    listed.write_text(json.dumps({"outcomes": stored}, ensure_ascii=False), encoding="utf-8")
    body = upload(client, crew, "outcomes", listed)
    assert (body["status"], body["created"], body["updated"]) == (201, 0, 2)
    second = _plan(client, disp, NEXT_DAY)
    events = _events(client.get(f"/api/v1/plans/{second}", headers=disp).json())
    assert {e["item_kind"] for e in events["KQ0003VN"]} == {"return"}
    assert "KQ0005VN" not in events
    audit = client.get("/api/v1/audit", headers=crew.headers("admin")).json()
    seen = {(e["user_name"], e["action"], e["what"]) for e in audit}
    assert {("dispatcher20", "create", "outcomes"),
            ("dispatcher20", "read", "outcomes")} <= seen
