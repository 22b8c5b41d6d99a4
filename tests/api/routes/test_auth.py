"""Signing in: tokens, expiry, tampering, the health check."""

from __future__ import annotations

import datetime as dt

import jwt
from fastapi.testclient import TestClient

from tests.api.conftest import PASSWORD, SIGNING_KEY, Crew


def test_token_is_a_bearer_token_that_expires(client: TestClient, crew: Crew) -> None:
    """The token endpoint answers the OAuth2 shape with a lifetime in seconds."""
    r = client.post("/api/v1/auth/token", data={"username": "admin", "password": PASSWORD})
    assert r.status_code == 200
    body = r.json()
    assert body["token_type"] == "bearer"
    assert body["expires_in"] == 3600


def test_wrong_password_is_401(client: TestClient) -> None:
    """A wrong password gets 401 with the one error body."""
    r = client.post("/api/v1/auth/token", data={"username": "admin", "password": "nope"})
    assert r.status_code == 401
    assert r.json()["code"] == "unauthorized"


def test_me_names_role_and_provinces(client: TestClient, crew: Crew) -> None:
    """``/users/me`` shows who the token belongs to."""
    r = client.get("/api/v1/users/me", headers=crew.headers("courier1"))
    assert r.json() == {"id": r.json()["id"], "name": "courier1", "role": "courier",
                        "provinces": ["20"], "courier_id": "BT-01"}


def test_tampered_token_is_401(client: TestClient, crew: Crew) -> None:
    """A token whose signature does not match gets 401."""
    token = crew.token("admin")
    head, claims, _sig = token.split(".")
    forged = jwt.encode({"sub": "1", "exp": dt.datetime.now(dt.UTC) + dt.timedelta(hours=1)},
                        "another-key-that-is-long-enough-for-hs256!", algorithm="HS256")
    for bad in (f"{head}.{claims}.AAAA", forged, "not-a-token"):
        r = client.get("/api/v1/users/me", headers={"Authorization": f"Bearer {bad}"})
        assert r.status_code == 401


def test_expired_token_is_401(client: TestClient) -> None:
    """A correctly signed token past its expiry gets 401."""
    past = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=5)
    token = jwt.encode({"sub": "1", "exp": past}, SIGNING_KEY, algorithm="HS256")
    r = client.get("/api/v1/users/me", headers={"Authorization": f"Bearer {token}"})
    assert r.status_code == 401


def test_missing_token_is_401(client: TestClient) -> None:
    """No token at all gets 401."""
    assert client.get("/api/v1/users/me").status_code == 401


def test_health_names_schema_and_code_versions(client: TestClient) -> None:
    """Health needs no token and shows the migrated schema revision."""
    r = client.get("/api/v1/health")
    assert r.status_code == 200
    body = r.json()
    assert body["schema_version"] == body["schema_head"] is not None
    assert body["code_version"]
