"""SQLite engines: WAL, NORMAL sync, busy timeout, foreign keys, and a pool per request thread."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import text
from sqlalchemy.pool import QueuePool

from api.db import make_engine
from api.db.session import SQLITE_POOL_SIZE


def test_a_sqlite_connection_gets_the_pragmas(tmp_path: Path) -> None:
    """Every connection: WAL journal, synchronous NORMAL, 30 s busy timeout, foreign keys on."""
    engine = make_engine(f"sqlite:///{tmp_path / 'db.sqlite3'}")
    try:
        with engine.connect() as conn:
            pragma = {name: conn.execute(text(f"PRAGMA {name}")).scalar()
                      for name in ("journal_mode", "synchronous", "busy_timeout", "foreign_keys")}
        assert pragma == {"journal_mode": "wal", "synchronous": 1, "busy_timeout": 30000,
                          "foreign_keys": 1}
    finally:
        engine.dispose()


def test_a_sqlite_pool_holds_a_connection_per_request_thread(tmp_path: Path) -> None:
    """The request engine's pool: 40 (anyio's threads); the audit writer's: exactly its one."""
    url = f"sqlite:///{tmp_path / 'db.sqlite3'}"
    requests, audit = make_engine(url), make_engine(url, connections=1)
    try:
        assert isinstance(requests.pool, QueuePool)
        assert requests.pool.size() == SQLITE_POOL_SIZE == 40
        assert isinstance(audit.pool, QueuePool)
        assert audit.pool.size() == 1
    finally:
        requests.dispose()
        audit.dispose()
