"""Fixtures of the API tests: one database per test, on SQLite and on PostgreSQL.

Every test that takes ``client`` runs twice: on a fresh SQLite file and on the
PostgreSQL database of ``TEST_POSTGRES_URL`` (emptied first). Without that
variable the PostgreSQL runs skip on a developer machine and FAIL under
``CI=true`` (``.ci/run`` starts a server and sets it).
"""

from __future__ import annotations

import functools
import os
import shutil
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import text

from api.config import Settings
from api.db import make_engine, make_sessionmaker, upgrade
from api.db.models import Province, User, UserProvince
from api.main import create_app
from api.roles import Role
from api.security import hash_password
from tests.conftest import need

DAY = Path(__file__).resolve().parents[1] / "data" / "day"
PASSWORD = "correct horse battery staple"
SIGNING_KEY = "test-signing-key-of-the-api-tests-0123456789"


def reset_postgres(url: str) -> None:
    """Drop every table of the database at ``url``."""
    engine = make_engine(url, pooled=False)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A fresh, empty database: a SQLite file, or the emptied PostgreSQL test database."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'service.sqlite3'}"
    url = os.environ.get("TEST_POSTGRES_URL")
    need(bool(url), "TEST_POSTGRES_URL is not set (a PostgreSQL database for the API tests)")
    assert url is not None
    reset_postgres(url)
    return url


@pytest.fixture
def settings(database_url: str) -> Settings:
    """Settings of a test service (fixed signing key, small upload limit)."""
    return Settings(database_url=database_url, secret_key=SIGNING_KEY,
                    max_upload_bytes=64 * 1024,
                    engine="ortools")  # tests read given couriers' routes: the engine is pinned


@dataclass(frozen=True)
class Crew:
    """Users of every role on provinces ``20`` (Lạng Sơn) and ``15`` (Lào Cai)."""

    client: TestClient
    tokens: dict[str, str] = field(default_factory=dict)

    def token(self, name: str) -> str:
        """A token of user ``name`` (signed in once per test: Argon2 is slow on purpose)."""
        if name not in self.tokens:
            r = self.client.post("/api/v1/auth/token", data={"username": name,
                                                             "password": PASSWORD})
            assert r.status_code == 200, r.text
            self.tokens[name] = r.json()["access_token"]
        return self.tokens[name]

    def headers(self, name: str) -> dict[str, str]:
        """Authorization headers of user ``name``."""
        return {"Authorization": f"Bearer {self.token(name)}"}


#: name -> (role, provinces, courier id)
USERS: dict[str, tuple[Role, tuple[str, ...], str | None]] = {
    "admin": (Role.ADMIN, (), None),
    "national": (Role.MANAGER, (), None),
    "manager20": (Role.MANAGER, ("20",), None),
    "dispatcher20": (Role.DISPATCHER, ("20",), None),
    "dispatcher15": (Role.DISPATCHER, ("15",), None),
    "courier1": (Role.COURIER, ("20",), "BT-01"),
    "courier2": (Role.COURIER, ("20",), "BT-02"),
}


@functools.cache
def password_hash() -> str:
    """The Argon2 hash of :data:`PASSWORD`, computed once (about 0.3 s each)."""
    return hash_password(PASSWORD)


def seed_users(settings: Settings) -> None:
    """Provinces 20 and 15 (2025 codes; empty) and every user of :data:`USERS`."""
    engine = make_engine(settings.database_url, pooled=False)
    upgrade(engine)
    with make_sessionmaker(engine)() as session:
        session.add_all([Province(code="20", name="Tỉnh Lạng Sơn"),
                         Province(code="15", name="Tỉnh Lào Cai")])
        session.commit()
        for name, (role, provinces, courier) in USERS.items():
            user = User(name=name, role=role.value, password_hash=password_hash(),
                        courier_id=courier)
            user.province_links = [UserProvince(province_code=p) for p in provinces]
            session.add(user)
        session.commit()
    engine.dispose()


@pytest.fixture
def app(settings: Settings) -> FastAPI:
    """The service, without its job runner (planning tests start their own)."""
    seed_users(settings)
    return create_app(settings, start_runner=False)


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    """A client of the service (its lifespan runs: migrations)."""
    with TestClient(app) as c:
        yield c


@pytest.fixture
def crew(client: TestClient) -> Crew:
    """Sign-in helper for the users of :data:`USERS`."""
    return Crew(client)


@pytest.fixture
def day_files(tmp_path: Path) -> Path:
    """A copy of the tiny test day (10 sites, 3 couriers, 6 orders on 2026-11-23)."""
    out = tmp_path / "day"
    shutil.copytree(DAY, out)
    return out


@pytest.fixture
def planning_client(settings: Settings) -> Iterator[TestClient]:
    """A client of the service with its job runner (solves in worker processes)."""
    seed_users(settings)
    fast = settings.model_copy(update={"heartbeat_s": 0.5, "stale_after_s": 5.0})
    with TestClient(create_app(fast)) as c:
        yield c


def wait_job(client: TestClient, headers: dict[str, str], job_id: str,
             until: frozenset[str] = frozenset({"succeeded", "failed", "cancelled",
                                                "interrupted"}),
             *, phase: str | None = None, limit_s: float = 300) -> dict[str, Any]:
    """Poll job ``job_id`` until its status is in ``until`` (and its phase is ``phase``)."""
    deadline = time.monotonic() + limit_s
    while True:
        job: dict[str, Any] = client.get(f"/api/v1/jobs/{job_id}", headers=headers).json()
        if job["status"] in until and (phase is None or job["phase"] == phase):
            return job
        assert time.monotonic() < deadline, f"job never reached {until}: {job}"
        time.sleep(0.3)


def upload(client: TestClient, crew: Crew, what: str, path: Path, *, user: str = "dispatcher20",
           province: str = "20") -> dict[str, object]:
    """Upload ``path`` as the province's ``what`` (sites, fleet, orders); the response."""
    r = client.post(f"/api/v1/provinces/{province}/{what}", headers=crew.headers(user),
                    files={"file": (path.name, path.read_bytes())})
    return {"status": r.status_code, **r.json()}


def load_day(client: TestClient, crew: Crew, day: Path) -> None:
    """Sites, fleet and orders of the tiny test day into province 20."""
    for what in ("sites", "fleet", "orders"):
        assert upload(client, crew, what, day / f"{what}.csv")["status"] == 201
