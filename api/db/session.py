"""Engines and sessions, built on demand from a URL (never at import time)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import NullPool

#: Connections a SQLite engine's pool holds: as many as requests' worker threads at once
#: (anyio's default limiter: 40), so a request thread never waits for one (with SQLAlchemy's
#: default of 5 + 10, 25 requests in flight on a process queued for them: measured 8 % more
#: CPU per request under the bench's load). A SQLite connection is an open file, not a
#: server process as on PostgreSQL, whose default pool stays.
SQLITE_POOL_SIZE = 40


def normalise_url(url: str) -> str:
    """``postgresql://`` URLs use psycopg 3 (the driver the service installs)."""
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def make_engine(url: str, *, pooled: bool = True, connections: int | None = None) -> Engine:
    """An engine for ``url``; SQLite gets WAL, a busy timeout, foreign keys and a larger pool.

    ``pooled`` False: one connection per use (worker processes and CLI commands);
    ``connections``: a pool of exactly that many (the audit writer's one connection).
    """
    url = normalise_url(url)
    kwargs: dict[str, Any] = {}
    if not pooled:
        kwargs["poolclass"] = NullPool
    elif connections is not None:
        kwargs.update(pool_size=connections, max_overflow=0, pool_pre_ping=True)
    elif url.startswith("sqlite"):
        kwargs["pool_size"] = SQLITE_POOL_SIZE
    if url.startswith("sqlite"):
        kwargs["connect_args"] = {"check_same_thread": False, "timeout": 30}
    engine = create_engine(url, **kwargs)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    return engine


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    # With WAL, NORMAL never corrupts and loses no commit when a process dies (kill -9);
    # only an OS crash or power cut may undo the last commits. One fsync per commit less.
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def make_sessionmaker(engine: Engine) -> sessionmaker[Session]:
    """Sessions bound to ``engine`` that keep objects readable after commit."""
    return sessionmaker(engine, expire_on_commit=False)
