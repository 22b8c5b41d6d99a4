"""A ready plan's documents: served as stored bytes with an ETag, 304 when current, audited."""

from __future__ import annotations

import datetime as dt
import json
from concurrent.futures import ThreadPoolExecutor

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import text

from api.context import Context
from api.db.models import PlanFile, PlanRow, utcnow
from tests.api.conftest import Crew

PLAN = {"date": "2026-11-23", "routes": [{"courier": "BT-01", "stops": [
    {"site": "HOME-1", "citizen": "Nguyễn Văn A"}]}]}
SHEET = b"%PDF-1.4 the route sheet of BT-01"


@pytest.fixture
def plan_id(app: FastAPI, client: TestClient) -> int:
    """A ready, published plan of province 20 with courier BT-01's route, sheet and map."""
    ctx: Context = app.state.ctx
    with ctx.sessions() as session:
        plan = PlanRow(province_code="20", date=dt.date(2026, 11, 23), time_limit_s=1.0,
                       status="ready", plan_json=json.dumps(PLAN, ensure_ascii=False),
                       kpis_json='{"items_served": 1}', backlog_json="{}",
                       finished_at=utcnow(), published_at=utcnow())
        session.add(plan)
        session.flush()
        session.add_all([PlanFile(plan_id=plan.id, courier_id="BT-01", kind="sheet",
                                  content=SHEET),
                         PlanFile(plan_id=plan.id, courier_id="BT-01", kind="map",
                                  content=b"<html>map of BT-01</html>")])
        session.commit()
        return plan.id


def _reads(client: TestClient, crew: Crew, plan_id: int) -> list[tuple[str, str, str | None]]:
    entries = client.get("/api/v1/audit", headers=crew.headers("admin"),
                         params={"plan_id": str(plan_id), "limit": "1000"}).json()
    return [(e["user_name"], e["what"], e["item"]) for e in entries if e["action"] == "read"]


def test_the_plan_has_an_etag_and_a_current_copy_gets_304(client: TestClient, crew: Crew,
                                                           plan_id: int) -> None:
    """The stored bytes with a strong ETag; If-None-Match with it: 304 and no body."""
    h = crew.headers("dispatcher20")
    first = client.get(f"/api/v1/plans/{plan_id}", headers=h)
    assert first.status_code == 200
    assert first.json() == PLAN
    etag = first.headers["etag"]
    assert etag.startswith('"')
    assert first.headers["cache-control"] == "private, no-cache"
    again = client.get(f"/api/v1/plans/{plan_id}", headers={**h, "If-None-Match": etag})
    assert again.status_code == 304
    assert again.content == b""
    assert again.headers["etag"] == etag
    other = client.get(f"/api/v1/plans/{plan_id}", headers={**h, "If-None-Match": '"old"'})
    assert other.status_code == 200
    assert other.content == first.content


def test_sheets_and_maps_are_served_with_etags(client: TestClient, crew: Crew,
                                               plan_id: int) -> None:
    """A courier's own sheet is the stored PDF; its ETag revalidates to 304."""
    h = crew.headers("courier1")
    sheet = client.get(f"/api/v1/plans/{plan_id}/routes/BT-01/sheet.pdf", headers=h)
    assert sheet.status_code == 200
    assert sheet.content == SHEET
    assert sheet.headers["content-type"] == "application/pdf"
    etag = sheet.headers["etag"]
    again = client.get(f"/api/v1/plans/{plan_id}/routes/BT-01/sheet.pdf",
                       headers={**h, "If-None-Match": etag})
    assert again.status_code == 304
    page = client.get(f"/api/v1/plans/{plan_id}/routes/BT-01/map.html", headers=h)
    assert page.headers["content-type"].startswith("text/html")
    assert page.headers["etag"] != etag


def test_the_cache_keeps_the_access_rules(client: TestClient, crew: Crew, plan_id: int) -> None:
    """Once cached, a document is still refused to those who may not read it."""
    assert client.get(f"/api/v1/plans/{plan_id}/routes/BT-01/sheet.pdf",
                      headers=crew.headers("courier1")).status_code == 200
    assert client.get(f"/api/v1/plans/{plan_id}/routes/BT-01/sheet.pdf",
                      headers=crew.headers("courier2")).status_code == 404
    assert client.get(f"/api/v1/plans/{plan_id}",
                      headers=crew.headers("dispatcher20")).status_code == 200
    assert client.get(f"/api/v1/plans/{plan_id}",
                      headers=crew.headers("dispatcher15")).status_code == 404
    assert client.get(f"/api/v1/plans/{plan_id}",
                      headers=crew.headers("courier1")).status_code == 403
    assert client.get(f"/api/v1/plans/{plan_id}/routes/BT-02",
                      headers=crew.headers("dispatcher20")).status_code == 404


def test_every_personal_data_read_leaves_a_row(client: TestClient, crew: Crew,
                                               plan_id: int) -> None:
    """40 concurrent reads of plan, route, sheet and map (some 304): 40 committed rows."""
    disp, courier = crew.headers("dispatcher20"), crew.headers("courier1")
    etag = client.get(f"/api/v1/plans/{plan_id}", headers=disp).headers["etag"]
    base = f"/api/v1/plans/{plan_id}"
    calls = [(base, disp), (base, {**disp, "If-None-Match": etag}),
             (f"{base}/routes/BT-01", courier), (f"{base}/routes/BT-01/sheet.pdf", courier),
             (f"{base}/routes/BT-01/map.html", disp)] * 8
    with ThreadPoolExecutor(8) as pool:
        statuses = list(pool.map(lambda c: client.get(c[0], headers=c[1]).status_code, calls))
    assert sorted(set(statuses)) == [200, 304]
    reads = _reads(client, crew, plan_id)
    assert len(reads) == 1 + len(calls)
    assert reads.count(("dispatcher20", "plan", None)) == 1 + 16
    assert reads.count(("courier1", "route", "BT-01")) == 8
    assert reads.count(("courier1", "route sheet", "BT-01")) == 8
    assert reads.count(("dispatcher20", "route map", "BT-01")) == 8


def test_no_personal_data_leaves_without_its_audit_row(client: TestClient, crew: Crew,
                                                       app: FastAPI, plan_id: int) -> None:
    """When the audit row cannot be committed the read fails (500) and sends no plan."""
    h = crew.headers("dispatcher20")
    assert client.get(f"/api/v1/plans/{plan_id}", headers=h).status_code == 200  # cached now
    ctx: Context = app.state.ctx
    with ctx.engine.begin() as conn:
        conn.execute(text("ALTER TABLE audit RENAME TO audit_away"))
    r = TestClient(app, raise_server_exceptions=False).get(f"/api/v1/plans/{plan_id}",
                                                           headers=h)
    assert r.status_code == 500
    assert "Nguyễn" not in r.text
    with ctx.engine.begin() as conn:
        conn.execute(text("ALTER TABLE audit_away RENAME TO audit"))
    assert client.get(f"/api/v1/plans/{plan_id}", headers=h).status_code == 200
