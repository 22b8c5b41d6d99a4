"""A planning job's worker process: read the day, plan it, store everything in one transaction.

Started by :class:`api.services.jobs.JobRunner` (``spawn``), it leads its own
process group so the runner can end it and anything it started. A heartbeat
thread keeps the job's heartbeat fresh, picks up a cancel request, and ends
the group when the web process that started it has gone (``kill -9`` of the
server): a killed server leaves no orphan writing a plan behind it. Every
write is fenced by the job's attempt number, so a superseded worker writes
nothing.
"""

from __future__ import annotations

import json
import logging
import os
import signal
import threading
from pathlib import Path
from typing import Any

from sqlalchemy import delete, update
from sqlalchemy.orm import Session, sessionmaker

from api.config import Settings
from api.db import make_engine, make_sessionmaker
from api.db.models import Job, PlanFile, PlanRow, Province, utcnow
from api.services.days import day_request
from api.services.planning import Cancelled, PlannedDay, plan
from planner.exceptions import InputError, InputErrors, PlannerError
from planner.travel import default_cache_dir

LOG = logging.getLogger("api.worker")


class _Heartbeat:
    """Heartbeat, progress and cancel of one job attempt, from inside its worker."""

    def __init__(self, sessions: sessionmaker[Session], job_id: str, attempt: int,
                 interval_s: float) -> None:
        self.cancel = threading.Event()
        self._sessions = sessions
        self._job_id, self._attempt = job_id, attempt
        self._interval_s = interval_s
        self._parent = os.getppid()
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="heartbeat", daemon=True)

    def start(self) -> None:
        """Beat until :meth:`stop`."""
        self._thread.start()

    def stop(self) -> None:
        """Stop beating."""
        self._stop.set()
        self._thread.join()

    def _mine(self) -> Any:
        return update(Job).where(Job.id == self._job_id, Job.attempts == self._attempt,
                                 Job.status == "running")

    def progress(self, fraction: float, phase: str) -> None:
        """Record ``fraction`` (0..1) and ``phase`` on the job."""
        with self._lock, self._sessions() as session:
            session.execute(self._mine().values(progress=round(min(max(fraction, 0.0), 1.0), 4),
                                                phase=phase, heartbeat_at=utcnow()))
            session.commit()

    def _run(self) -> None:
        while not self._stop.wait(self._interval_s):
            if os.getppid() != self._parent:  # the server is gone: so is this run
                os.killpg(0, signal.SIGKILL)
            try:
                with self._lock, self._sessions() as session:
                    session.execute(self._mine().values(heartbeat_at=utcnow()))
                    job = session.get(Job, self._job_id)
                    session.commit()
                    if job is None or job.cancel_requested or job.attempts != self._attempt:
                        self.cancel.set()
            except Exception:  # a missed beat is not fatal; a stale one is swept
                LOG.exception("heartbeat failed")


def run_job(job_id: str, attempt: int, settings_values: dict[str, Any]) -> None:
    """Entry point of the worker process for ``attempt`` of job ``job_id``."""
    os.setpgrp()
    logging.basicConfig(level=logging.INFO, format="%(levelname)s:     %(name)s: %(message)s")
    settings = Settings(**settings_values)
    engine = make_engine(settings.database_url, pooled=False)
    sessions = make_sessionmaker(engine)
    beat = _Heartbeat(sessions, job_id, attempt, settings.heartbeat_s)
    beat.start()
    try:
        _run(sessions, job_id, attempt, settings, beat)
    finally:
        beat.stop()
        engine.dispose()


def _run(sessions: sessionmaker[Session], job_id: str, attempt: int, settings: Settings,
         beat: _Heartbeat) -> None:
    cache = Path(settings.cache_dir) if settings.cache_dir else default_cache_dir()
    try:
        with sessions() as session:
            job = session.get(Job, job_id)
            assert job is not None
            row = session.get(PlanRow, job.plan_id)
            assert row is not None
            province = session.get(Province, row.province_code)
            assert province is not None
            request = day_request(session, province, row.date, row.time_limit_s, cache,
                                  engine=settings.engine)
        planned = plan(request, beat.progress, beat.cancel)
        _store(sessions, job_id, attempt, planned)
    except Cancelled:
        _end(sessions, job_id, attempt, "cancelled", "cancelled; the search was stopped")
    except (InputError, InputErrors, PlannerError) as err:
        _end(sessions, job_id, attempt, "failed", str(err))
    except Exception as err:
        LOG.exception("job %s failed", job_id)
        _end(sessions, job_id, attempt, "failed", f"internal error: {type(err).__name__}: {err}")


def _summary(planned: PlannedDay) -> str:
    kpis = json.loads(planned.kpis_json)
    figures = kpis.get("kpis", kpis)
    return (f"plan ready: {figures.get('couriers_used')} courier(s), "
            f"{figures.get('items_served')} of {figures.get('items_total')} items served")


def _store(sessions: sessionmaker[Session], job_id: str, attempt: int,
           planned: PlannedDay) -> None:
    """Store every document of the plan and end the job, in ONE transaction."""
    with sessions() as session, session.begin():
        job = session.get(Job, job_id, with_for_update=True)
        if job is None or job.status != "running" or job.attempts != attempt:
            return  # cancelled or superseded meanwhile: store nothing
        row = session.get(PlanRow, job.plan_id)
        assert row is not None
        row.plan_json, row.kpis_json = planned.plan_json, planned.kpis_json
        row.backlog_json, row.status, row.finished_at = planned.backlog_json, "ready", utcnow()
        session.execute(delete(PlanFile).where(PlanFile.plan_id == row.id))
        session.add_all([PlanFile(plan_id=row.id, courier_id=c, kind="sheet", content=pdf)
                         for c, pdf in planned.sheets.items()])
        session.add_all([PlanFile(plan_id=row.id, courier_id=c, kind="map", content=html)
                         for c, html in planned.maps.items()])
        job.status, job.progress, job.phase = "succeeded", 1.0, "done"
        job.message, job.finished_at, job.heartbeat_at = _summary(planned), utcnow(), utcnow()


def _end(sessions: sessionmaker[Session], job_id: str, attempt: int, status: str,
         message: str) -> None:
    with sessions() as session, session.begin():
        job = session.get(Job, job_id, with_for_update=True)
        if job is None or job.status != "running" or job.attempts != attempt:
            return
        job.status, job.message, job.finished_at = status, message[:4000], utcnow()
        row = session.get(PlanRow, job.plan_id)
        if row is not None and row.status == "pending":
            row.status = "failed"
