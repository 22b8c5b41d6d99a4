"""The audit writer: every queued row is committed before its caller goes on, in groups."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import func, select

from api.config import Settings
from api.db import make_engine, make_sessionmaker, upgrade
from api.db.models import AuditEntry, User
from api.services.audit import AuditWriter, entry_values


def test_every_row_is_committed_when_its_write_returns(settings: Settings) -> None:
    """200 rows from 16 threads: each is in the table once its future is done."""
    engine = make_engine(settings.database_url, connections=1)
    upgrade(engine)
    sessions = make_sessionmaker(engine)
    writer = AuditWriter(sessions)
    writer.start()
    user = User(id=7, name="lan", role="dispatcher", password_hash="-")

    def read(n: int) -> int:
        writer.submit(entry_values(user, "read", "plan", plan_id=n)).result(timeout=30)
        with sessions() as session:  # committed: another session sees it at once
            return session.scalars(select(AuditEntry.id).where(AuditEntry.plan_id == n)).one()

    with ThreadPoolExecutor(16) as pool:
        ids = list(pool.map(read, range(1, 201)))
    writer.stop()
    assert len(set(ids)) == 200
    with sessions() as session:
        assert session.scalar(select(func.count()).select_from(AuditEntry)) == 200
    engine.dispose()


def test_a_stopped_writer_refuses_rows(settings: Settings) -> None:
    """After stop, a write fails at once instead of waiting for a commit that never comes."""
    engine = make_engine(settings.database_url, connections=1)
    writer = AuditWriter(make_sessionmaker(engine))
    user = User(id=1, name="admin", role="admin", password_hash="-")
    with pytest.raises(RuntimeError, match="not running"):
        writer.submit(entry_values(user, "read", "plan")).result(timeout=5)
    engine.dispose()
