"""Shared dependencies: context, settings, session, the signed-in user, and every access rule.

Handlers declare what they need (``DispatchProvince``, ``ReadablePlan``,
``CourierRoute`` ...) and get it only when the user may have it: a role that
may not do something at all gets 403; a province, plan, job or route outside
the user's scope gets 404, as if it did not exist.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from typing import Annotated

import anyio
from fastapi import Depends, File, Path, Request, UploadFile
from fastapi.security import OAuth2PasswordBearer
from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session, joinedload

from api.config import Settings
from api.context import Context
from api.db.models import Job, PlanRow, Province, User
from api.errors import Forbidden, NotFound, PayloadTooLarge, Unauthorized
from api.roles import Role, role_of, sees_province
from api.schemas.common import ProvinceCode
from api.security import user_of_token


# Dependencies that do no I/O are ``async def``: FastAPI runs a plain ``def`` one in a
# worker thread, a hop that costs more than the dependency itself.
async def get_ctx(request: Request) -> Context:
    """The application's context (settings, sessions, job runner)."""
    ctx: Context = request.app.state.ctx
    return ctx


CtxDep = Annotated[Context, Depends(get_ctx)]


async def get_settings(ctx: CtxDep) -> Settings:
    """The settings, read once at start-up."""
    return ctx.settings


SettingsDep = Annotated[Settings, Depends(get_settings)]


async def get_session(ctx: CtxDep) -> AsyncIterator[Session]:
    """A database session for one request.

    Making one does no I/O, so this runs on the event loop (a worker thread's hop
    costs more); closing one that still holds a connection (its transaction's
    rollback, a round trip on PostgreSQL) runs in a worker thread, shielded so
    that a cancelled request still returns its connection to the pool.
    """
    session = ctx.sessions()
    try:
        yield session
    finally:
        if session.in_transaction():
            with anyio.CancelScope(shield=True):
                await anyio.to_thread.run_sync(session.close)
        else:
            session.close()


SessionDep = Annotated[Session, Depends(get_session)]
#: The user and their provinces in one query; built once (it runs on every request).
_USER_BY_ID = (select(User).options(joinedload(User.province_links))
               .where(User.id == bindparam("user_id")))
_bearer = OAuth2PasswordBearer(tokenUrl="/api/v1/auth/token", auto_error=False)


def current_user(ctx: CtxDep, session: SessionDep,
                 token: Annotated[str | None, Depends(_bearer)]) -> User:
    """The user the bearer token names (401 without a valid, unexpired token)."""
    if not token:
        raise Unauthorized("sign in first: POST /api/v1/auth/token")
    user_id = user_of_token(token, ctx.signing_key)
    user = session.execute(_USER_BY_ID, {"user_id": user_id}).unique().scalar_one_or_none() \
        if user_id is not None else None
    if user is None:
        raise Unauthorized("the token is expired or not valid; sign in again")
    return user


CurrentUser = Annotated[User, Depends(current_user)]


def roles(*allowed: Role) -> Callable[[User], Awaitable[User]]:
    """A dependency that lets only ``allowed`` roles through (403 for the others)."""
    names = ", ".join(r.value for r in allowed)

    async def check(user: CurrentUser) -> User:
        if role_of(user) not in allowed:
            raise Forbidden(f"only {names} may do this")
        return user

    return check


Admin = Annotated[User, Depends(roles(Role.ADMIN))]
Dispatcher = Annotated[User, Depends(roles(Role.ADMIN, Role.DISPATCHER))]
PlanReader = Annotated[User, Depends(roles(Role.ADMIN, Role.MANAGER, Role.DISPATCHER))]
CodePath = Annotated[ProvinceCode, Path()]
#: Largest id a table's integer key holds (32-bit on every database).
MAX_ID = 2**31 - 1
PlanId = Annotated[int, Path(ge=1, le=MAX_ID, description="plan id")]
JobId = Annotated[str, Path(max_length=32, description="job id")]


def _province(session: Session, user: User, code: str) -> Province:
    province = session.get(Province, code)
    if province is None or not sees_province(user, code):
        raise NotFound(f"no province '{code}'")
    return province


def dispatch_province(code: CodePath, user: Dispatcher, session: SessionDep) -> Province:
    """A province whose orders, sites, fleet and plans the user manages."""
    return _province(session, user, code)


def read_province(code: CodePath, user: PlanReader, session: SessionDep) -> Province:
    """A province whose plans and figures the user reads."""
    return _province(session, user, code)


def visible_province(code: CodePath, user: CurrentUser, session: SessionDep) -> Province:
    """A province the user belongs to (any role)."""
    return _province(session, user, code)


DispatchProvince = Annotated[Province, Depends(dispatch_province)]
ReadProvince = Annotated[Province, Depends(read_province)]
VisibleProvince = Annotated[Province, Depends(visible_province)]


def _plan(session: Session, user: User, plan_id: int) -> PlanRow:
    plan = session.get(PlanRow, plan_id)
    if plan is None or not sees_province(user, plan.province_code):
        raise NotFound(f"no plan {plan_id}")
    return plan


def readable_plan(plan_id: PlanId, user: PlanReader, session: SessionDep) -> PlanRow:
    """A plan of the user's provinces (managers, dispatchers, admins)."""
    return _plan(session, user, plan_id)


def dispatch_plan(plan_id: PlanId, user: Dispatcher, session: SessionDep) -> PlanRow:
    """A plan the user may publish."""
    return _plan(session, user, plan_id)


ReadablePlan = Annotated[PlanRow, Depends(readable_plan)]
DispatchPlan = Annotated[PlanRow, Depends(dispatch_plan)]


@dataclass(frozen=True)
class RouteAccess:
    """One courier's route of one plan, as the user may see it."""

    plan: PlanRow
    courier_id: str
    user: User


def courier_route(plan_id: PlanId, courier_id: str, user: CurrentUser,
                  session: SessionDep) -> RouteAccess:
    """A courier's route: couriers only their own, of a published plan of their province."""
    plan = session.get(PlanRow, plan_id)
    if plan is None or not sees_province(user, plan.province_code):
        raise NotFound(f"no plan {plan_id}")
    if role_of(user) is Role.COURIER and (plan.published_at is None
                                          or courier_id != user.courier_id):
        raise NotFound(f"no route of courier '{courier_id}' in plan {plan_id}")
    return RouteAccess(plan, courier_id, user)


CourierRoute = Annotated[RouteAccess, Depends(courier_route)]


def _job(session: Session, user: User, job_id: str) -> Job:
    job = session.get(Job, job_id)
    if job is None or not sees_province(user, job.province_code):
        raise NotFound(f"no job '{job_id}'")
    return job


def readable_job(job_id: JobId, user: PlanReader, session: SessionDep) -> Job:
    """A planning job of the user's provinces."""
    return _job(session, user, job_id)


def dispatch_job(job_id: JobId, user: Dispatcher, session: SessionDep) -> Job:
    """A planning job the user may cancel or retry."""
    return _job(session, user, job_id)


ReadableJob = Annotated[Job, Depends(readable_job)]
DispatchJob = Annotated[Job, Depends(dispatch_job)]


@dataclass(frozen=True)
class Uploaded:
    """An uploaded file's name and bytes (within the stated size limit)."""

    filename: str
    data: bytes


async def uploaded_file(
    file: Annotated[UploadFile, File(description="CSV (UTF-8 or Windows-1258), XLSX or JSON")],
    settings: SettingsDep,
) -> Uploaded:
    """The uploaded file; 413 when it is over ``max_upload_bytes``."""
    limit = settings.max_upload_bytes
    data = await file.read(limit + 1)
    if len(data) > limit:
        raise PayloadTooLarge(f"the file is larger than the limit of {limit} bytes")
    return Uploaded(file.filename or "upload", data)


Upload = Annotated[Uploaded, Depends(uploaded_file)]
