"""Planning jobs: submitted by requests, run in worker processes by the :class:`JobRunner`.

A job row holds status, progress, phase, heartbeat and attempts. The runner
(a thread of the web process, started with the app) claims queued jobs and
starts one worker process for each (``api.services.worker``), up to
``job_workers`` at once; it ends a worker's process group when its job is
cancelled, marks a job whose worker died ``failed``, and a running job whose
heartbeat went stale ``interrupted`` (its server was killed), on start-up
and by a periodic sweep. Nothing of a plan is visible until its worker
stores every document in one transaction.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import multiprocessing
import os
import signal
import threading
import time
import uuid
from dataclasses import dataclass
from multiprocessing.process import BaseProcess

from sqlalchemy import select, update
from sqlalchemy.orm import Session, sessionmaker

from api.config import Settings
from api.db.models import Job, PlanRow, Province, User, aware, utcnow

LOG = logging.getLogger("api.jobs")
TERMINAL = frozenset({"succeeded", "failed", "cancelled", "interrupted"})
RETRYABLE = frozenset({"failed", "interrupted"})


class JobStateError(ValueError):
    """A job cannot do that in its state (cancel a finished job, retry a running one)."""


def submit(session: Session, user: User, province: Province, day: dt.date,
           time_limit_s: float) -> Job:
    """Queue a plan of ``province`` for ``day`` (committed); the job names its pending plan."""
    plan = PlanRow(province_code=province.code, date=day, time_limit_s=time_limit_s,
                   created_by=user.id)
    session.add(plan)
    session.flush()
    job = Job(id=uuid.uuid4().hex, plan_id=plan.id, province_code=province.code,
              created_by=user.id)
    session.add(job)
    session.commit()
    return job


def cancel(session: Session, job: Job) -> Job:
    """Cancel ``job``: a queued one at once, a running one by its runner (committed).

    Raises
    ------
    JobStateError
        The job has already ended.
    """
    if job.status in TERMINAL:
        raise JobStateError(f"job {job.id} has already ended ({job.status})")
    if job.status == "queued":
        _finish(session, job, "cancelled", "cancelled before it started")
    else:
        job.cancel_requested = True
        job.message = "cancelling"
    session.commit()
    return job


def retry(session: Session, job: Job, *, time_limit_s: float | None = None) -> Job:
    """Queue a failed or interrupted job again, for the same plan (committed).

    ``time_limit_s``: another solver limit for the re-run (None: the first one).

    Raises
    ------
    JobStateError
        The job is not failed or interrupted.
    """
    if job.status not in RETRYABLE:
        raise JobStateError(f"only failed or interrupted jobs are re-run (this one is "
                            f"{job.status})")
    job.status, job.progress, job.phase, job.message = "queued", 0.0, "queued", ""
    job.cancel_requested, job.heartbeat_at, job.finished_at = False, None, None
    plan = session.get(PlanRow, job.plan_id)
    if plan is not None:
        plan.status = "pending"
        if time_limit_s is not None:
            plan.time_limit_s = time_limit_s
    session.commit()
    return job


def _finish(session: Session, job: Job, status: str, message: str) -> None:
    job.status, job.message, job.finished_at = status, message, utcnow()
    plan = session.get(PlanRow, job.plan_id)
    if plan is not None and plan.status == "pending":
        plan.status = "failed"


@dataclass
class _Worker:
    job_id: str
    process: BaseProcess


class JobRunner:
    """Runs queued jobs in worker processes; cancels, reaps and sweeps (one thread)."""

    def __init__(self, settings: Settings, sessions: sessionmaker[Session]) -> None:
        self._settings = settings
        self._sessions = sessions
        self._workers: dict[str, _Worker] = {}
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._mp = multiprocessing.get_context("spawn")

    def start(self) -> None:
        """Sweep stale jobs, then run the loop in a thread."""
        self.sweep()
        self._thread = threading.Thread(target=self._loop, name="job-runner", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        """End the loop and every worker; their jobs become ``interrupted`` (re-runnable)."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join()
        for worker in list(self._workers.values()):
            self._kill(worker)
            with self._sessions() as session:
                job = session.get(Job, worker.job_id)
                if job is not None and job.status == "running":
                    _finish(session, job, "interrupted", "the server stopped during the run")
                    session.commit()
        self._workers.clear()

    def _loop(self) -> None:
        sweep_every = max(1.0, self._settings.stale_after_s / 3)
        last_sweep = 0.0
        while not self._stop.wait(0.25):
            try:
                self._cancel_requested()
                self._reap()
                self._launch()
                now = time.monotonic()
                if now - last_sweep >= sweep_every:
                    self.sweep()
                    last_sweep = now
            except Exception:  # the loop must outlive a database hiccup
                LOG.exception("job runner step failed")

    def sweep(self) -> int:
        """Mark running jobs of no live worker here whose heartbeat is stale ``interrupted``."""
        limit = utcnow() - dt.timedelta(seconds=self._settings.stale_after_s)
        count = 0
        with self._sessions() as session:
            for job in session.scalars(select(Job).where(Job.status == "running")):
                beat = aware(job.heartbeat_at) or aware(job.started_at)
                if job.id in self._workers or (beat is not None and beat > limit):
                    continue
                _finish(session, job, "interrupted",
                        "the server or its worker stopped during the run; retry to re-run it")
                count += 1
            session.commit()
        if count:
            LOG.warning("%d planning job(s) interrupted (stale heartbeat)", count)
        return count

    def _launch(self) -> None:
        while len(self._workers) < self._settings.job_workers:
            with self._sessions() as session:
                job_id = session.scalar(select(Job.id).where(Job.status == "queued")
                                        .order_by(Job.created_at).limit(1))
                if job_id is None:
                    return
                now = utcnow()
                claimed = session.execute(
                    update(Job).where(Job.id == job_id, Job.status == "queued")
                    .values(status="running", attempts=Job.attempts + 1, phase="queued",
                            progress=0.0, heartbeat_at=now, started_at=now, message="")
                ).rowcount  # type: ignore[attr-defined]
                session.commit()
                if not claimed:
                    continue
                attempt = session.scalars(select(Job.attempts).where(Job.id == job_id)).one()
            from api.services.worker import run_job  # noqa: PLC0415 - the child's entry point

            process = self._mp.Process(target=run_job, name=f"plan-{job_id}", daemon=False,
                                       args=(job_id, attempt, self._settings.model_dump()))
            process.start()
            self._workers[job_id] = _Worker(job_id, process)
            LOG.info("job %s: attempt %d in worker process %s", job_id, attempt, process.pid)

    def _cancel_requested(self) -> None:
        if not self._workers:
            return
        with self._sessions() as session:
            jobs = session.scalars(select(Job).where(Job.id.in_(list(self._workers)),
                                                     Job.cancel_requested.is_(True),
                                                     Job.status == "running"))
            for job in jobs:
                self._kill(self._workers.pop(job.id))
                _finish(session, job, "cancelled", "cancelled; the search was stopped")
            session.commit()

    def _reap(self) -> None:
        for job_id, worker in list(self._workers.items()):
            if worker.process.is_alive():
                continue
            worker.process.join()
            del self._workers[job_id]
            with self._sessions() as session:
                job = session.get(Job, job_id)
                if job is not None and job.status == "running":
                    _finish(session, job, "failed", f"the worker process ended unexpectedly "
                            f"(exit code {worker.process.exitcode})")
                    session.commit()

    def _kill(self, worker: _Worker) -> None:
        """End the worker and everything it started (it leads its own process group)."""
        pid = worker.process.pid
        if pid is not None and worker.process.is_alive():
            with contextlib.suppress(ProcessLookupError):
                os.killpg(pid, signal.SIGKILL)
        worker.process.join(timeout=10)
