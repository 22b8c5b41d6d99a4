"""The service's settings: one typed object, read once at start-up.

Every value comes from the command line (``bcci-dispatch serve --database-url``)
or the environment (``DATABASE_URL``, ``BCCI_*``); nothing reads the
environment anywhere else. Library code gets what it needs as arguments.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from pydantic import AliasChoices, Field
from pydantic_settings import BaseSettings, SettingsConfigDict

#: Default database: a SQLite file under the working directory (no set-up).
DEFAULT_DATABASE_FILE = "bcci-dispatch.sqlite3"


def default_database_url() -> str:
    """``sqlite:///<working directory>/bcci-dispatch.sqlite3``."""
    return f"sqlite:///{Path.cwd() / DEFAULT_DATABASE_FILE}"


class Settings(BaseSettings):
    """What the service needs to run; built once per process (``Settings()`` reads the env)."""

    model_config = SettingsConfigDict(env_prefix="BCCI_", frozen=True, extra="ignore")

    database_url: str = Field(
        default_factory=default_database_url,
        validation_alias=AliasChoices("DATABASE_URL", "BCCI_DATABASE_URL", "database_url"),
    )
    #: Signing key for access tokens (32+ characters); empty: one is generated once and kept
    #: in the database.
    secret_key: str = Field(default="", pattern=r"^(|.{32,})$")
    token_minutes: int = Field(default=60, gt=0)
    #: Largest accepted upload (orders, sites, fleet files), in bytes.
    max_upload_bytes: int = Field(default=5 * 1024 * 1024, gt=0)
    #: Planning jobs run at once (each in its own worker process).
    job_workers: int = Field(default=1, gt=0)
    #: Seconds between a worker's heartbeats, and after which a silent job is interrupted.
    heartbeat_s: float = Field(default=2.0, gt=0)
    stale_after_s: float = Field(default=15.0, gt=0)
    #: Longest solver time a request may ask for (seconds).
    max_time_limit_s: float = Field(default=600.0, gt=0)
    #: The routing engine of planning jobs (``planner.solver.engine_names()``); ``auto`` runs
    #: every engine that models the day and keeps the best plan.
    engine: str = Field(default="auto", pattern=r"^(auto|ortools|pyvrp|vroom)$")
    #: Memory kept for ready plans' documents (plan.json, sheets, maps), per server process.
    document_cache_bytes: int = Field(default=64 * 1024 * 1024, ge=0)
    #: Where road matrices are cached between solves (empty: no cache).
    cache_dir: str = ""
    demo: bool = False
    demo_date: dt.date | None = None
    #: Orders of the generated demo day (the CLI's default is 300).
    demo_orders: int = Field(default=300, ge=0)
