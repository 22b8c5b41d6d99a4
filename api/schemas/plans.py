"""Planning jobs and plans."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

JobStatus = Literal["queued", "running", "succeeded", "failed", "cancelled", "interrupted"]


class PlanCreate(BaseModel):
    """A day to plan and the solver's time limit."""

    model_config = ConfigDict(extra="forbid")
    date: dt.date = Field(description="the working day to plan (YYYY-MM-DD)")
    time_limit_s: float = Field(default=30.0, gt=0, description="solver wall-clock seconds")


class JobRetry(BaseModel):
    """Optionally, another time limit for the re-run."""

    model_config = ConfigDict(extra="forbid")
    time_limit_s: float | None = Field(default=None, gt=0, description="solver seconds")


class JobAccepted(BaseModel):
    """A queued planning job and the plan it will fill."""

    job_id: str
    plan_id: int


class JobPublic(BaseModel):
    """A planning job's state; ``progress`` runs from 0 to 1 through its phases."""

    job_id: str
    plan_id: int
    province: str
    status: JobStatus
    progress: float = Field(ge=0, le=1)
    phase: str
    message: str
    attempts: int
    created_at: dt.datetime
    started_at: dt.datetime | None
    finished_at: dt.datetime | None


class PlanSummary(BaseModel):
    """A plan without its documents: ``pending`` until its job stores them all at once."""

    id: int
    province: str
    date: dt.date
    status: Literal["pending", "ready", "failed"]
    published: bool
    published_at: dt.datetime | None
    created_at: dt.datetime
    finished_at: dt.datetime | None
    couriers: list[str] = Field(description="couriers with a route sheet")


class RouteRef(BaseModel):
    """Where a courier finds their route of a published plan."""

    plan_id: int
    date: dt.date
    courier_id: str
    sheet: str
    map: str
