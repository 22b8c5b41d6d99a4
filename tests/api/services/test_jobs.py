"""``kill -9`` of a real server during a solve: nothing stored is lost, the job can be re-run.

The server runs as its own process (``bcci-dispatch serve`` on a free loopback
port); its worker ends with it, the job is swept to ``interrupted`` after the
restart, no half-written plan is visible, and a retry plans the day.
"""

from __future__ import annotations

import datetime as dt
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import psutil
import pytest
from sqlalchemy import select

from api.config import Settings
from api.db import make_engine, make_sessionmaker, upgrade
from api.db.models import AuditEntry, Job, PlanFile, PlanRow, Province, User, utcnow
from api.services import jobs
from tests.api.conftest import PASSWORD, SIGNING_KEY, seed_users

BIN = Path(sys.executable).parent


def free_port() -> int:
    """A free TCP port on the loopback interface."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@contextmanager
def server(url: str, log: Path, *options: str) -> Iterator[tuple[subprocess.Popen[bytes], str]]:
    """``bcci-dispatch serve [options]`` on ``url``'s database; yields the process, API base."""
    port = free_port()
    env = {**os.environ, "BCCI_SECRET_KEY": SIGNING_KEY, "BCCI_HEARTBEAT_S": "0.5",
           "BCCI_STALE_AFTER_S": "3"}
    with log.open("ab") as out:
        proc = subprocess.Popen([str(BIN / "bcci-dispatch"), "--database-url", url, "serve",
                                 "--port", str(port), *options], env=env, stdout=out,
                                stderr=out)
    base = f"http://127.0.0.1:{port}/api/v1"
    try:
        for _ in range(240):
            try:
                if httpx.get(f"{base}/health").status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.25)
        else:
            pytest.fail(f"the server did not start: {log.read_text()}")
        yield proc, base
    finally:
        if proc.poll() is None:
            proc.terminate()
            proc.wait(30)


@contextmanager
def signed_in(base: str, name: str) -> Iterator[httpx.Client]:
    """A client of ``base`` signed in as ``name``."""
    with httpx.Client(base_url=base, timeout=30) as client:
        token = client.post("/auth/token", data={"username": name, "password": PASSWORD})
        client.headers["Authorization"] = f"Bearer {token.json()['access_token']}"
        yield client


def wait_status(client: httpx.Client, job_id: str, statuses: set[str],
                phase: str | None = None) -> dict[str, object]:
    """Poll until the job's status is one of ``statuses`` (and its phase ``phase``)."""
    for _ in range(1200):
        job: dict[str, object] = client.get(f"/jobs/{job_id}").json()
        if job["status"] in statuses and (phase is None or job["phase"] == phase):
            return job
        time.sleep(0.25)
    pytest.fail(f"job never reached {statuses}: {job}")


@pytest.mark.slow
def test_kill_9_during_a_solve_loses_nothing(database_url: str, tmp_path: Path,
                                            day_files: Path) -> None:
    """Kill -9 mid-solve: orders intact, no plan visible, job interrupted, retry succeeds."""
    settings = Settings(database_url=database_url, secret_key=SIGNING_KEY)
    seed_users(settings)
    log = tmp_path / "server.log"
    with server(database_url, log) as (proc, base), signed_in(base, "dispatcher20") as client:
        for what in ("sites", "fleet", "orders"):
            data = (day_files / f"{what}.csv").read_bytes()
            assert client.post(f"/provinces/20/{what}",
                               files={"file": (f"{what}.csv", data)}).status_code == 201
        accepted = client.post("/provinces/20/plans",
                               json={"date": "2026-11-23", "time_limit_s": 60}).json()
        job_id, plan_id = accepted["job_id"], accepted["plan_id"]
        wait_status(client, job_id, {"running"}, phase="solving")
        workers = psutil.Process(proc.pid).children(recursive=True)
        assert workers, "the solve runs in a worker process"
        proc.send_signal(signal.SIGKILL)
        proc.wait(30)
        _gone, alive = psutil.wait_procs(workers, timeout=30)
        assert not alive, "the worker ended with its server"
    engine = make_engine(database_url, pooled=False)
    with make_sessionmaker(engine)() as session:
        plan = session.get(PlanRow, plan_id)
        assert plan is not None
        assert (plan.status, plan.plan_json) == ("pending", None)
        assert session.query(PlanFile).filter_by(plan_id=plan_id).count() == 0
        row = session.get(Job, job_id)
        assert row is not None
        assert row.status == "running"  # as the dead server left it
    engine.dispose()
    with server(database_url, log) as (_proc, base), signed_in(base, "dispatcher20") as client:
        job = wait_status(client, job_id, {"interrupted", "succeeded", "failed"})
        assert job["status"] == "interrupted"
        assert len(client.get("/provinces/20/orders").json()) == 6
        r = client.get(f"/plans/{plan_id}")
        assert (r.status_code, r.json()["code"]) == (409, "plan_not_ready")
        r = client.post(f"/jobs/{job_id}/retry", json={"time_limit_s": 2})
        assert r.status_code == 202
        job = wait_status(client, job_id, {"succeeded", "failed", "interrupted"})
        assert job["status"] == "succeeded", job
        assert job["attempts"] == 2
        assert client.get(f"/plans/{plan_id}").json()["kpis"]["items_served"] == 6


@pytest.mark.slow
def test_several_server_processes_run_each_job_once(database_url: str, tmp_path: Path,
                                                    day_files: Path) -> None:
    """``serve --workers 2``: two processes serve, the one job runner solves the day once."""
    settings = Settings(database_url=database_url, secret_key=SIGNING_KEY)
    seed_users(settings)
    with server(database_url, tmp_path / "server.log", "--workers", "2") as (proc, base), \
            signed_in(base, "dispatcher20") as client:
        servers = [p for p in psutil.Process(proc.pid).children()
                   if "multiprocessing" in " ".join(p.cmdline())]
        assert len(servers) >= 2
        for what in ("sites", "fleet", "orders"):
            data = (day_files / f"{what}.csv").read_bytes()
            assert client.post(f"/provinces/20/{what}",
                               files={"file": (f"{what}.csv", data)}).status_code == 201
        accepted = client.post("/provinces/20/plans",
                               json={"date": "2026-11-23", "time_limit_s": 2}).json()
        job = wait_status(client, accepted["job_id"], {"succeeded", "failed", "interrupted"})
        assert (job["status"], job["attempts"]) == ("succeeded", 1)
        reads = [client.get(f"/plans/{accepted['plan_id']}") for _ in range(20)]
        assert {r.status_code for r in reads} == {200}
        assert len({r.headers["etag"] for r in reads}) == 1  # every process, the same bytes
    engine = make_engine(database_url, pooled=False)
    with make_sessionmaker(engine)() as session:
        audited = session.scalars(select(AuditEntry).where(
            AuditEntry.plan_id == accepted["plan_id"], AuditEntry.action == "read")).all()
        assert len(audited) == 20
    engine.dispose()


def test_a_stale_running_job_is_swept_to_interrupted(settings: Settings) -> None:
    """A running job with a heartbeat older than the limit becomes interrupted; a fresh one not."""
    seed_users(settings)
    engine = make_engine(settings.database_url, pooled=False)
    upgrade(engine)
    sessions = make_sessionmaker(engine)
    old = utcnow() - dt.timedelta(seconds=settings.stale_after_s + 60)
    with sessions() as session:
        province = session.get(Province, "20")
        user = session.scalars(select(User).where(User.name == "dispatcher20")).one()
        assert province is not None
        stale = jobs.submit(session, user, province, dt.date(2026, 11, 23), 5)
        fresh = jobs.submit(session, user, province, dt.date(2026, 11, 23), 5)
        for job, beat in ((stale, old), (fresh, utcnow())):
            job.status, job.heartbeat_at, job.attempts = "running", beat, 1
        session.commit()
        stale_id, fresh_id = stale.id, fresh.id
    assert jobs.JobRunner(settings, sessions).sweep() == 1
    with sessions() as session:
        swept, alive = session.get(Job, stale_id), session.get(Job, fresh_id)
        assert swept is not None
        assert alive is not None
        assert (swept.status, alive.status) == ("interrupted", "running")
        plan = session.get(PlanRow, swept.plan_id)
        assert plan is not None
        assert plan.status == "failed"
        assert jobs.retry(session, swept).status == "queued"
    engine.dispose()
