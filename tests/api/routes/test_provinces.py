"""Province codes coming into the service: the 34 of 2025 (NQ 202/2025/QH15, DOMAIN.md §6).

The rule of the command line's ``--province`` (``planner.commands._args``): a
code may drop its leading zero (``4`` is ``04``); any other code is refused
with the usual 422 body naming the field and listing the valid codes. Rows
stored under an older code are still read.
"""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from fastapi.testclient import TestClient

from api.cli import main
from api.config import Settings
from api.db import make_engine, make_sessionmaker
from api.db.models import AuditEntry, PlanRow, Province, User, UserProvince
from geodata import province_names
from tests.api.conftest import PASSWORD, Crew, password_hash

PROVINCES = "/api/v1/provinces"
#: The start of the list every refusal gives (the command line's sentence).
LISTED = "the 34 provinces of 2025 are: 01 Thành phố Hà Nội, 04 Tỉnh Cao Bằng"


def _refused(r: Any, source: str, field: str) -> None:
    """``r`` is the 422 of one refused province code at ``source``/``field``."""
    assert r.status_code == 422, r.text
    body = r.json()
    assert body["code"] == "invalid_request"
    [detail] = body["details"]
    assert (detail["source"], detail["field"]) == (source, field)
    assert "is not a province code" in detail["message"]
    assert LISTED in detail["message"]


def test_the_test_provinces_are_2025_provinces(client: TestClient, crew: Crew) -> None:
    """The fixtures' provinces (Lạng Sơn 20, Lào Cai 15) are stored under 2025 codes and names."""
    listed = client.get(PROVINCES, headers=crew.headers("admin")).json()
    assert {p["code"]: p["name"] for p in listed} == {
        c: n for c, n in province_names().items() if c in ("15", "20")}


@pytest.mark.parametrize("code", ["10", "99", "00", "020", "LS", "123456789"])
def test_a_province_outside_2025_is_not_created(client: TestClient, crew: Crew,
                                                code: str) -> None:
    """Lào Cai's pre-2025 ``10``, a code never used, or not a code: 422 naming ``code``."""
    admin = crew.headers("admin")
    r = client.post(PROVINCES, headers=admin, json={"code": code, "name": "Tỉnh X"})
    _refused(r, "body", "code")
    assert [p["code"] for p in client.get(PROVINCES, headers=admin).json()] == ["15", "20"]


def test_a_province_takes_its_code_without_the_leading_zero_and_its_official_name(
        client: TestClient, crew: Crew, settings: Settings,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """``4`` is stored as Cao Bằng's ``04`` with its 2025 name; the command line takes it."""
    admin = crew.headers("admin")
    r = client.post(PROVINCES, headers=admin, json={"code": "4"})
    assert r.status_code == 201, r.text
    assert r.json() == {"code": "04", "name": "Tỉnh Cao Bằng", "roads": "straight-line"}
    assert client.get(f"{PROVINCES}/4", headers=admin).json()["code"] == "04"
    assert client.post(PROVINCES, headers=admin, json={"code": "04"}).status_code == 409
    monkeypatch.setattr("sys.stdin", io.StringIO("a password\n"))
    assert main(["--database-url", settings.database_url, "users", "add", "lan",
                 "--role", "dispatcher", "--province", "04"]) == 0


def test_a_given_name_is_kept(client: TestClient, crew: Crew) -> None:
    """A name given with the code is stored as given (the official one is only the default)."""
    r = client.post(PROVINCES, headers=crew.headers("admin"),
                    json={"code": "79", "name": "TP. Hồ Chí Minh"})
    assert r.status_code == 201, r.text
    assert r.json()["name"] == "TP. Hồ Chí Minh"


@pytest.mark.parametrize(("method", "url", "field"), [
    ("GET", "/provinces/10", "code"),
    ("PATCH", "/provinces/10", "code"),
    ("GET", "/provinces/10/sites", "code"),
    ("GET", "/provinces/10/fleet", "code"),
    ("GET", "/provinces/10/orders", "code"),
    ("GET", "/provinces/10/outcomes", "code"),
    ("GET", "/provinces/10/plans", "code"),
    ("POST", "/provinces/10/plans", "code"),
    ("GET", "/audit?province=10", "province"),
])
def test_a_province_named_in_a_path_or_query_follows_the_same_rule(
        client: TestClient, crew: Crew, method: str, url: str, field: str) -> None:
    """Every path or query field naming a province refuses a pre-2025 code with the list."""
    body = {"PATCH": {"name": "X"}, "POST": {"date": "2026-11-23"}}.get(method)
    r = client.request(method, f"/api/v1{url}", headers=crew.headers("admin"), json=body)
    _refused(r, "query" if "?" in url else "path", field)


def test_a_path_code_without_its_leading_zero_names_the_province(
        client: TestClient, crew: Crew) -> None:
    """``/provinces/4/...`` and ``/audit?province=4`` are Cao Bằng's ``04``."""
    admin = crew.headers("admin")
    assert client.post(PROVINCES, headers=admin, json={"code": "04"}).status_code == 201
    assert client.get(f"{PROVINCES}/4/sites", headers=admin).json() == []
    r = client.patch(f"{PROVINCES}/4", headers=admin, json={"name": "Cao Bằng"})
    assert r.json() == {"code": "04", "name": "Cao Bằng", "roads": "straight-line"}
    assert client.get("/api/v1/audit?province=4", headers=admin).status_code == 200


def _store_legacy(settings: Settings) -> int:
    """Lào Cai under its pre-2025 code ``10``, its dispatcher ``old10``, a plan, an audit row."""
    engine = make_engine(settings.database_url, pooled=False)
    with make_sessionmaker(engine)() as session:
        session.add(Province(code="10", name="Tỉnh Lào Cai (trước 2025)"))
        session.flush()
        user = User(name="old10", role="dispatcher", password_hash=password_hash())
        user.province_links = [UserProvince(province_code="10")]
        plan = PlanRow(province_code="10", date=dt.date(2025, 6, 2), status="failed",
                       time_limit_s=10.0)
        session.add_all([user, plan])
        session.flush()
        session.add(AuditEntry(user_name="old10", action="plan", what="orders",
                               province_code="10", plan_id=plan.id))
        session.commit()
        plan_id = plan.id
    engine.dispose()
    return plan_id


def test_a_province_stored_under_an_old_code_is_still_read(
        client: TestClient, crew: Crew, settings: Settings) -> None:
    """Listed, shown with its users, plans and audit rows; named by its old code, it is refused."""
    plan_id = _store_legacy(settings)
    admin = crew.headers("admin")
    listed = client.get(PROVINCES, headers=admin)
    assert listed.status_code == 200, listed.text
    assert {"code": "10", "name": "Tỉnh Lào Cai (trước 2025)",
            "roads": "straight-line"} in listed.json()
    audit = client.get("/api/v1/audit", headers=admin)
    assert audit.status_code == 200, audit.text
    assert [e["province"] for e in audit.json() if e["user_name"] == "old10"] == ["10"]
    token = client.post("/api/v1/auth/token", data={"username": "old10", "password": PASSWORD})
    old = {"Authorization": f"Bearer {token.json()['access_token']}"}
    assert client.get("/api/v1/users/me", headers=old).json()["provinces"] == ["10"]
    assert [p["code"] for p in client.get(PROVINCES, headers=old).json()] == ["10"]
    summary = client.get(f"/api/v1/plans/{plan_id}/summary", headers=old)
    assert summary.status_code == 200, summary.text
    assert summary.json()["province"] == "10"
    _refused(client.get(f"{PROVINCES}/10/plans", headers=old), "path", "code")
