"""The audit log: every response with citizens' data and every change leaves a row for admins."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient

from tests.api.conftest import Crew, load_day


def _entries(client: TestClient, crew: Crew, **query: str) -> list[dict[str, object]]:
    r = client.get("/api/v1/audit", headers=crew.headers("admin"), params=query)
    assert r.status_code == 200
    entries: list[dict[str, object]] = r.json()
    return entries


def test_reads_and_changes_of_orders_are_audited(client: TestClient, crew: Crew,
                                                 day_files: Path) -> None:
    """Upload, list, read and update of orders each write who, what and which item."""
    load_day(client, crew, day_files)
    h = crew.headers("dispatcher20")
    client.get("/api/v1/provinces/20/orders", headers=h)
    client.get("/api/v1/provinces/20/orders/HS0002VN", headers=h)
    client.patch("/api/v1/provinces/20/orders/HS0002VN", headers=h, json={"priority": 2})
    seen = [(e["user_name"], e["action"], e["what"], e["item"])
            for e in _entries(client, crew, province="20")]
    assert ("dispatcher20", "update", "orders", "HS0002VN") in seen
    assert ("dispatcher20", "read", "orders", "HS0002VN") in seen
    assert ("dispatcher20", "read", "orders", None) in seen
    assert ("dispatcher20", "create", "orders", "orders.csv") in seen
    assert ("dispatcher20", "create", "sites", "sites.csv") in seen  # citizens' addresses
    newest = _entries(client, crew, limit="1")
    assert _entries(client, crew, before_id=str(newest[0]["id"]))[0]["id"] != newest[0]["id"]


def test_a_failed_upload_leaves_no_audit_row(client: TestClient, crew: Crew,
                                             day_files: Path) -> None:
    """Nothing stored, nothing audited: the change and its row commit together."""
    bad = day_files / "bad.csv"
    bad.write_text("tracking_code,kind\nX,dossier\n", encoding="utf-8")
    r = client.post("/api/v1/provinces/20/orders", headers=crew.headers("dispatcher20"),
                    files={"file": ("bad.csv", bad.read_bytes())})
    assert r.status_code == 422
    assert _entries(client, crew) == []


def test_only_admins_read_the_audit(client: TestClient, crew: Crew) -> None:
    """Managers, dispatchers and couriers get 403."""
    for name in ("national", "dispatcher20", "courier1"):
        assert client.get("/api/v1/audit", headers=crew.headers(name)).status_code == 403
