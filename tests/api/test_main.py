"""A server process freezes what its start-up made (``gc.freeze``); a test's app does not."""

from __future__ import annotations

import gc
from pathlib import Path

import pytest
import uvicorn
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import inspect

from api.cli import main
from api.config import Settings
from api.main import create_app, worker_app


@pytest.fixture
def gc_calls(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """``gc.collect`` and ``gc.freeze`` calls in order (neither runs: pytest lives on)."""
    calls: list[str] = []

    def collect(*_args: object) -> int:
        calls.append("collect")
        return 0

    monkeypatch.setattr(gc, "collect", collect)
    monkeypatch.setattr(gc, "freeze", lambda: calls.append("freeze"))
    return calls


def _started(app: FastAPI) -> None:
    with TestClient(app) as client:
        assert client.get("/api/v1/health").status_code == 200


def test_a_server_process_freezes_after_start_up(tmp_path: Path, gc_calls: list[str]) -> None:
    """``serve --workers N``: each process collects once, then freezes, once started."""
    url = f"sqlite:///{tmp_path / 'db.sqlite3'}"
    app = worker_app(Settings(database_url=url).model_dump_json())
    assert gc_calls == []  # not at import or build time: start-up's objects come first
    _started(app)
    assert gc_calls == ["collect", "freeze"]
    engine = app.state.ctx.engine
    assert "users" in inspect(engine).get_table_names()  # migrated before the freeze


def test_serve_with_one_process_freezes_after_start_up(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, gc_calls: list[str]) -> None:
    """``serve`` (one process, which also runs the jobs) freezes once started too."""
    apps: list[FastAPI] = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **_kw: apps.append(app))
    assert main(["--database-url", f"sqlite:///{tmp_path / 'db.sqlite3'}", "serve"]) == 0
    _started(apps[0])
    assert gc_calls == ["collect", "freeze"]


def test_a_test_app_does_not_freeze(tmp_path: Path, gc_calls: list[str]) -> None:
    """``create_app`` as tests use it leaves the collector alone."""
    _started(create_app(Settings(database_url=f"sqlite:///{tmp_path / 'db.sqlite3'}"),
                        start_runner=False))
    assert gc_calls == []
