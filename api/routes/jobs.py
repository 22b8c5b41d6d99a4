"""``/jobs/{job_id}``: a planning job's state, its progress as server-sent events, cancel, retry."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator

from fastapi import APIRouter, Request
from fastapi.responses import StreamingResponse

from api.convert import job_public
from api.db.models import Job
from api.deps import CtxDep, DispatchJob, ReadableJob, SessionDep, SettingsDep
from api.errors import Unprocessable
from api.schemas.plans import JobAccepted, JobPublic, JobRetry
from api.services import jobs

router = APIRouter(prefix="/jobs", tags=["jobs"])
#: Longest one event stream stays open (a client reconnects for more).
STREAM_S = 600.0


@router.get("/{job_id}")
async def read_job(job: ReadableJob) -> JobPublic:
    """The job's status, progress (0..1), phase and message.

    ``async``: it only converts the row its dependency read, and a plain ``def``
    would cost each status poll a hop to a worker thread and back.
    """
    return job_public(job)


@router.post("/{job_id}/cancel", status_code=202)
def cancel_job(job: DispatchJob, session: SessionDep) -> JobPublic:
    """Stop the job: a queued one at once, a running one's worker is ended (409 if it ended)."""
    return job_public(jobs.cancel(session, job))


@router.post("/{job_id}/retry", status_code=202)
def retry_job(job: DispatchJob, session: SessionDep, settings: SettingsDep,
              body: JobRetry | None = None) -> JobAccepted:
    """Re-run a failed or interrupted job for the same plan (409 otherwise)."""
    limit = body.time_limit_s if body is not None else None
    if limit is not None and limit > settings.max_time_limit_s:
        raise Unprocessable(f"time_limit_s is over the limit of {settings.max_time_limit_s:g} s")
    job = jobs.retry(session, job, time_limit_s=limit)
    return JobAccepted(job_id=job.id, plan_id=job.plan_id)


@router.get("/{job_id}/events", response_class=StreamingResponse,
            responses={200: {"content": {"text/event-stream": {}},
                             "description": "`progress` events (a JobPublic each) until the "
                                            "job ends"}})
async def job_events(job: ReadableJob, ctx: CtxDep, request: Request) -> StreamingResponse:
    """The job's progress as server-sent events, one per change, until it ends."""
    job_id = job.id

    def read() -> JobPublic | None:
        with ctx.sessions() as session:
            found = session.get(Job, job_id)
            return None if found is None else job_public(found)

    async def stream() -> AsyncIterator[str]:
        last, until = "", time.monotonic() + STREAM_S
        while time.monotonic() < until:
            state = await asyncio.to_thread(read)
            if state is None:
                return
            data = state.model_dump_json()
            if data != last:
                yield f"event: progress\ndata: {data}\n\n"
                last = data
            if state.status in jobs.TERMINAL or await request.is_disconnected():
                return
            await asyncio.sleep(0.5)

    return StreamingResponse(stream(), media_type="text/event-stream",
                             headers={"Cache-Control": "no-cache"})
