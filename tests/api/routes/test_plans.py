"""Planning jobs and plans, in process: a day planned by a worker, read by each role, published."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient

from tests.api.conftest import Crew, load_day, wait_job

DAY = "2026-11-23"


def _plan(client: TestClient, headers: dict[str, str], limit_s: float = 2.0) -> dict[str, str]:
    r = client.post("/api/v1/provinces/20/plans", headers=headers,
                    json={"date": DAY, "time_limit_s": limit_s})
    assert r.status_code == 202, r.text
    body: dict[str, str] = r.json()
    return body


def _events(client: TestClient, headers: dict[str, str], job_id: str) -> list[dict[str, Any]]:
    """Every state the job's event stream sends, until it ends."""
    states = []
    with client.stream("GET", f"/api/v1/jobs/{job_id}/events", headers=headers) as r:
        assert r.headers["content-type"].startswith("text/event-stream")
        for line in r.iter_lines():
            if line.startswith("data: "):
                states.append(json.loads(line.removeprefix("data: ")))
    return states


def test_a_planned_day_is_read_by_each_role(planning_client: TestClient,
                                            day_files: Path) -> None:
    """A worker plans the day; plan, KPIs, sheets and maps are stored; couriers see their own."""
    client = planning_client
    crew = Crew(client)
    load_day(client, crew, day_files)
    disp = crew.headers("dispatcher20")
    accepted = _plan(client, disp)
    states = _events(client, disp, accepted["job_id"])
    assert states[-1]["status"] == "succeeded", states[-1]
    progress = [s["progress"] for s in states]
    assert progress == sorted(progress)
    assert progress[-1] == 1.0
    assert {"solving", "done"} <= {s["phase"] for s in states}
    job = wait_job(client, disp, accepted["job_id"])
    assert job["status"] == "succeeded", job
    plan_id = accepted["plan_id"]
    plan = client.get(f"/api/v1/plans/{plan_id}", headers=disp).json()
    assert plan["date"] == DAY
    served = {r["courier"] for r in plan["routes"]}
    kpis = client.get(f"/api/v1/plans/{plan_id}/kpis",
                      headers=crew.headers("manager20")).json()
    assert kpis["items_served"] == 6
    sheet = client.get(f"/api/v1/plans/{plan_id}/routes/BT-01/sheet.pdf", headers=disp)
    assert sheet.headers["content-type"] == "application/pdf"
    assert sheet.content.startswith(b"%PDF")
    page = client.get(f"/api/v1/plans/{plan_id}/routes/BT-01/map.html", headers=disp)
    assert page.headers["content-type"].startswith("text/html")
    courier = crew.headers("courier1")
    own = f"/api/v1/plans/{plan_id}/routes/BT-01"
    assert client.get(own + "/sheet.pdf", headers=courier).status_code == 404  # not published
    assert client.post(f"/api/v1/plans/{plan_id}/publish", headers=disp).status_code == 200
    assert "BT-01" in served
    assert client.get(own + "/sheet.pdf", headers=courier).status_code == 200
    assert client.get(own, headers=courier).json()["courier"] == "BT-01"
    mine = client.get("/api/v1/routes/mine", headers=courier).json()
    assert [m["plan_id"] for m in mine] == [plan_id]
    for other in ("/sheet.pdf", "/map.html", ""):
        url = f"/api/v1/plans/{plan_id}/routes/BT-02{other}"
        assert client.get(url, headers=courier).status_code == 404
    assert client.get(f"/api/v1/plans/{plan_id}", headers=courier).status_code == 403
    assert client.get(f"/api/v1/plans/{plan_id}",
                      headers=crew.headers("dispatcher15")).status_code == 404
    assert client.get(f"/api/v1/jobs/{accepted['job_id']}",
                      headers=crew.headers("dispatcher15")).status_code == 404
    retry = client.post(f"/api/v1/jobs/{accepted['job_id']}/retry", headers=disp)
    assert retry.status_code == 409
    audit = client.get("/api/v1/audit", headers=crew.headers("admin"),
                       params={"plan_id": plan_id}).json()
    seen = {(e["user_name"], e["action"], e["what"], e["item"]) for e in audit}
    assert {("dispatcher20", "plan", "orders", None), ("dispatcher20", "read", "plan", None),
            ("dispatcher20", "publish", "plan", None),
            ("courier1", "read", "route sheet", "BT-01"),
            ("courier1", "read", "route", "BT-01")} <= seen


def test_cancel_stops_a_running_solve(planning_client: TestClient, day_files: Path) -> None:
    """Cancelling a solving job ends its worker; the plan stays empty and can be re-run."""
    client = planning_client
    crew = Crew(client)
    load_day(client, crew, day_files)
    disp = crew.headers("dispatcher20")
    accepted = _plan(client, disp, limit_s=120)
    wait_job(client, disp, accepted["job_id"], frozenset({"running"}), phase="solving")
    r = client.post(f"/api/v1/jobs/{accepted['job_id']}/cancel", headers=disp)
    assert r.status_code == 202
    job = wait_job(client, disp, accepted["job_id"])
    assert job["status"] == "cancelled"
    r = client.get(f"/api/v1/plans/{accepted['plan_id']}", headers=disp)
    assert r.status_code == 409
    assert r.json()["code"] == "plan_not_ready"
    r = client.post(f"/api/v1/jobs/{accepted['job_id']}/cancel", headers=disp)
    assert r.status_code == 409


def test_who_may_start_a_plan(client: TestClient, crew: Crew, day_files: Path) -> None:
    """Couriers get 403, another province's dispatcher 404, a weekend or no fleet 422."""
    url = "/api/v1/provinces/20/plans"
    body = {"date": DAY, "time_limit_s": 1}
    assert client.post(url, headers=crew.headers("courier1"), json=body).status_code == 403
    assert client.post(url, headers=crew.headers("manager20"), json=body).status_code == 403
    assert client.post(url, headers=crew.headers("dispatcher15"), json=body).status_code == 404
    disp = crew.headers("dispatcher20")
    r = client.post(url, headers=disp, json=body)
    assert (r.status_code, r.json()["code"]) == (422, "infeasible")
    load_day(client, crew, day_files)
    r = client.post(url, headers=disp, json={"date": "2026-11-22", "time_limit_s": 1})
    assert (r.status_code, r.json()["code"]) == (422, "bad_date")
    r = client.post(url, headers=disp, json={"date": "2026-13-01", "time_limit_s": 1})
    assert r.status_code == 422
    r = client.post(url, headers=disp, json={"date": DAY, "time_limit_s": 10_000})
    assert r.status_code == 422
