"""Alembic migrations: the newest revision builds exactly the tables the models describe."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from api.db import current_revision, head_revision, make_engine, upgrade
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
