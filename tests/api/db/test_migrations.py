"""Alembic migrations: the newest revision builds exactly the tables the models describe."""

from __future__ import annotations

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import text

from api.db import current_revision, head_revision, make_engine, upgrade
from api.db.migrate import _config
from api.db.models import Base


def test_migrations_match_the_models(database_url: str) -> None:
    """After ``upgrade`` the database is at head and autogenerate finds nothing to add."""
    engine = make_engine(database_url, pooled=False)
    upgrade(engine)
    upgrade(engine)  # a second start changes nothing
    assert current_revision(engine) == head_revision()
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    engine.dispose()
    assert diff == []


def test_orders_stored_before_0003_keep_their_rows(database_url: str) -> None:
    """Orders of a 0002 database come through 0003 with no postage and no followed dossier.

    SQLite cannot add a NOT NULL column without a default: the migration's
    batch mode and server defaults are what make this pass on both databases.
    """
    engine = make_engine(database_url, pooled=False)
    with engine.begin() as conn:
        cfg = _config()
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0002")
        conn.execute(text("INSERT INTO provinces (code, name, roads) "
                          "VALUES ('20', 'Tỉnh Lạng Sơn', 'straight-line')"))
        conn.execute(text(
            "INSERT INTO orders (province_code, tracking_code, kind, origin, destination, "
            "accepted_on, quantity, origin_windows, destination_windows, fee_vnd, fee_at, "
            "skills, item_class, priority, same_day, citizen_name, citizen_phone, procedure) "
            "VALUES ('20', 'HS0001VN', 'dossier', 'CD-001', 'MC-LVT', '2026-11-23', 1, '', '', "
            "30000, 'pickup', '', '', 0, false, '', '', '')"))
    upgrade(engine)
    with engine.connect() as conn:
        row = conn.execute(text("SELECT fee_vnd, postage_vnd, follows FROM orders")).one()
    engine.dispose()
    assert tuple(row) == (30000, 0, "")
