"""The FastAPI application: :func:`create_app` wires settings, database, job runner and routes.

Nothing is built at import time: ``create_app(settings)`` makes the engine; the
lifespan applies migrations, loads the demo when asked, and starts (and
stops) the job runner.
"""

from __future__ import annotations

import gc
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from api import errors
from api.config import Settings
from api.context import Context
from api.db import make_engine, make_sessionmaker, upgrade
from api.routes import ROUTERS
from api.security import signing_key
from api.services.audit import AuditWriter
from api.services.documents import DocumentCache
from api.services.jobs import JobRunner
from api.version import code_version

API_PREFIX = "/api/v1"


def make_context(settings: Settings) -> Context:
    """Engines, sessions, job runner (not started), audit writer and cache for ``settings``."""
    engine = make_engine(settings.database_url)
    sessions = make_sessionmaker(engine)
    # The audit writer has a connection of its own: a pool shared with requests that wait
    # for their audit rows could run dry.
    audit_engine = make_engine(settings.database_url, connections=1)
    return Context(settings, engine, sessions, JobRunner(settings, sessions), audit_engine,
                   AuditWriter(make_sessionmaker(audit_engine)),
                   DocumentCache(settings.document_cache_bytes))


def close(ctx: Context) -> None:
    """Stop the job runner (its jobs become ``interrupted``) and the audit writer; close engines."""
    ctx.runner.stop()
    ctx.audit.stop()
    ctx.audit_engine.dispose()
    ctx.engine.dispose()


def create_app(settings: Settings, *, start_runner: bool = True,
               freeze_gc: bool = False) -> FastAPI:
    """The service for ``settings``; ``start_runner`` False runs no planning jobs (tests).

    ``freeze_gc``: once started, :func:`settle_memory` (a server process; not in a
    test run, whose process lives on after the app).
    """
    ctx = make_context(settings)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        try:
            start(ctx)
            ctx.audit.start()
            if start_runner:
                ctx.runner.start()
            if freeze_gc:
                settle_memory()
            yield
        finally:
            close(ctx)

    app = FastAPI(title="BCCI Dispatch", version=code_version(), lifespan=lifespan,
                  openapi_url=f"{API_PREFIX}/openapi.json", docs_url=f"{API_PREFIX}/docs",
                  redoc_url=None)
    app.state.ctx = ctx
    errors.install(app)
    for router in ROUTERS:
        app.include_router(router, prefix=API_PREFIX, responses=errors.ERROR_RESPONSES)
    return app


def settle_memory() -> None:
    """Collect once, then keep every object alive after start-up out of the collector's scans.

    A server process holds a few hundred thousand objects from its imports (the
    planner, OR-Tools' and SQLAlchemy's modules, the app and its schemas) that
    live as long as it does. Each full (oldest-generation) collection walked them
    all: 50-500 ms with the event loop stopped, every request in flight waiting,
    several times a minute under load: the latency tail. ``gc.freeze()`` moves
    them to the permanent generation (Python docs, ``gc.freeze``: "ignored by
    future collections"), so a collection walks only what requests allocated.
    """
    gc.collect()
    gc.freeze()


def worker_app(settings_json: str) -> FastAPI:
    """The app of one of several server processes (``serve --workers N``).

    The parent process has migrated the database, loaded the demo and runs the
    one job runner; a worker process serves requests only.
    """
    settings = Settings.model_validate_json(settings_json)
    return create_app(settings.model_copy(update={"demo": False}), start_runner=False,
                      freeze_gc=True)


def start(ctx: Context) -> None:
    """Migrate, read (or make) the token-signing key, load the demo when asked."""
    upgrade(ctx.engine)
    with ctx.sessions() as session:
        ctx.signing_key = signing_key(session, ctx.settings.secret_key)
        if ctx.settings.demo:
            from api.services.demo import load_demo  # noqa: PLC0415 - generates a whole day

            load_demo(session, ctx.settings.demo_date, orders=ctx.settings.demo_orders)
