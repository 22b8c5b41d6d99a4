"""The service's database: tables (``models``), engines and sessions, Alembic migrations."""

from api.db.migrate import current_revision, head_revision, upgrade
from api.db.session import make_engine, make_sessionmaker

__all__ = ["current_revision", "head_revision", "make_engine", "make_sessionmaker", "upgrade"]
