"""``serve --demo``: the sample province into an empty database, and only into one."""

from __future__ import annotations

import datetime as dt

from fastapi.testclient import TestClient

from api.config import Settings
from api.db import make_engine, make_sessionmaker
from api.main import create_app
from api.roles import Role
from api.services.users import add_user
from planner.sample_day import SampleVolumes, sample_day
from tests.api.conftest import PASSWORD


def _counts(client: TestClient, headers: dict[str, str]) -> tuple[int, int, int]:
    base = "/api/v1/provinces/20"
    return tuple(len(client.get(f"{base}/{what}", headers=headers).json())  # type: ignore[return-value]
                 for what in ("sites", "fleet", "orders"))


def test_demo_loads_lang_son_once(database_url: str) -> None:
    """An empty database gets province 20 with its day; a second start loads nothing more."""
    settings = Settings(database_url=database_url, demo=True, demo_orders=12,
                        demo_date=dt.date(2026, 11, 22))  # a Sunday: moves to Monday
    with TestClient(create_app(settings, start_runner=False)) as client:
        engine = make_engine(database_url, pooled=False)
        with make_sessionmaker(engine)() as session:
            add_user(session, "root", Role.ADMIN, PASSWORD)
        engine.dispose()
        token = client.post("/api/v1/auth/token",
                            data={"username": "root", "password": PASSWORD}).json()
        headers = {"Authorization": f"Bearer {token['access_token']}"}
        province = client.get("/api/v1/provinces/20", headers=headers).json()
        assert province == {"code": "20", "name": "Tỉnh Lạng Sơn", "roads": "sample"}
        first = _counts(client, headers)
        orders = client.get("/api/v1/provinces/20/orders", headers=headers).json()
    sample = sample_day(dt.date(2026, 11, 23), seed=0, volumes=SampleVolumes(orders=12))
    assert first[1:] == (len(sample.couriers), len(sample.orders))
    assert {o["accepted_on"] for o in orders} == {"2026-11-23"}
    with TestClient(create_app(settings, start_runner=False)) as client:
        assert _counts(client, headers) == first
