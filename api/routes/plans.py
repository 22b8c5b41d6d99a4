"""Plans: start one (a job), list, read plan.json, KPIs, a courier's route, sheet, map; publish.

plan.json, route sheets and maps carry citizens' names and addresses: every
response with them is audited (a read's row is committed by the audit writer
before the response goes). Couriers read only their own routes of published
plans (``deps.CourierRoute``). A ready plan's documents never change: they
are served as stored bytes from the document cache, with an ``ETag``; a
request whose ``If-None-Match`` names it gets 304 (audited as well).
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Header, Response
from sqlalchemy import select, update
from sqlalchemy.orm import InstrumentedAttribute

from api.convert import plan_summary
from api.db.models import BacklogRow, PlanFile, PlanRow, User, utcnow
from api.deps import (
    CourierRoute,
    CtxDep,
    CurrentUser,
    Dispatcher,
    DispatchPlan,
    DispatchProvince,
    ReadablePlan,
    ReadProvince,
    SessionDep,
    SettingsDep,
)
from api.errors import Conflict, Forbidden, NotFound, Unprocessable
from api.roles import Role, role_of
from api.schemas.plans import JobAccepted, PlanCreate, PlanSummary, RouteRef
from api.services import audit, jobs
from api.services.days import work_count
from api.services.documents import Document
from api.services.planning import is_working_day

router = APIRouter(tags=["plans"])
_JSON: dict[int | str, dict[str, Any]] = {
    200: {"content": {"application/json": {"schema": {"type": "object"}}}},
    304: {"description": "Not modified: the client's copy (its `If-None-Match`) is current"}}


@dataclass(frozen=True)
class Wanted:
    """What the client asked of a document: its copy's tag, and whether it takes gzip."""

    if_none_match: str | None
    gzip: bool


def _accepts_gzip(accept_encoding: str | None) -> bool:
    """Whether ``Accept-Encoding`` lists gzip (or ``*``) with a weight above 0."""
    for part in (accept_encoding or "").lower().split(","):
        name, *params = (p.strip() for p in part.split(";"))
        if name in ("gzip", "*"):
            weights = [p.removeprefix("q=") for p in params if p.startswith("q=")]
            try:
                return not weights or float(weights[0]) > 0
            except ValueError:
                return False
    return False


async def wanted(
    if_none_match: Annotated[str | None, Header(description="the ETag of the client's copy")]
    = None,
    accept_encoding: Annotated[str | None, Header()] = None,
) -> Wanted:
    """The request's ``If-None-Match`` and whether its ``Accept-Encoding`` takes gzip."""
    return Wanted(if_none_match, _accepts_gzip(accept_encoding))


WantedDep = Annotated[Wanted, Depends(wanted)]
#: Personal data: no shared cache keeps it; a client revalidates (and is audited) each use.
_CACHE_CONTROL = "private, no-cache"


def _couriers(session: SessionDep, plan_id: int) -> list[str]:
    return sorted(session.scalars(select(PlanFile.courier_id).where(
        PlanFile.plan_id == plan_id, PlanFile.kind == "sheet")))


@router.post("/provinces/{code}/plans", status_code=202)
def start_plan(body: PlanCreate, province: DispatchProvince, user: Dispatcher,
               session: SessionDep, settings: SettingsDep) -> JobAccepted:
    """Queue the planning of a working day; the job runs in a worker process."""
    why = is_working_day(body.date)
    if why is not None:
        raise Unprocessable(f"{body.date} is not a working day ({why})", code="bad_date")
    if body.time_limit_s > settings.max_time_limit_s:
        raise Unprocessable(f"time_limit_s is over the limit of {settings.max_time_limit_s:g} s")
    couriers, orders, carried = work_count(session, province.code, body.date)
    if not couriers:
        raise Unprocessable(f"province {province.code} has no couriers: upload its fleet first",
                            code="infeasible")
    if not orders and not carried:
        raise Unprocessable(f"nothing to plan on {body.date}: no new orders and no backlog",
                            code="infeasible")
    job = jobs.submit(session, user, province, body.date, body.time_limit_s)
    audit.record(session, user, "plan", "orders", province=province.code, plan_id=job.plan_id,
                 detail=f"{orders} new orders and {carried} carried into the plan of {body.date}")
    session.commit()
    return JobAccepted(job_id=job.id, plan_id=job.plan_id)


@router.get("/provinces/{code}/plans")
def list_plans(province: ReadProvince, session: SessionDep) -> list[PlanSummary]:
    """The province's plans, newest first."""
    rows = session.scalars(select(PlanRow).where(PlanRow.province_code == province.code)
                           .order_by(PlanRow.date.desc(), PlanRow.id.desc()))
    return [plan_summary(p, _couriers(session, p.id)) for p in rows]


def _ready(plan: PlanRow) -> PlanRow:
    if plan.status != "ready":
        raise Conflict(f"plan {plan.id} is {plan.status}, not ready", code="plan_not_ready")
    return plan


@router.get("/plans/{plan_id}/summary")
def read_plan_summary(plan: ReadablePlan, session: SessionDep) -> PlanSummary:
    """A plan's state, without its documents."""
    return plan_summary(plan, _couriers(session, plan.id))


async def _cached(ctx: CtxDep, key: Hashable,
                  load: Callable[[], bytes | None], media_type: str) -> Document | None:
    """The document under ``key``; on a miss, ``load`` runs in a thread (None: no such one)."""
    found = ctx.documents.get(key)
    if found is None:
        content = await asyncio.to_thread(load)
        if content is None:
            return None
        found = ctx.documents.put(key, Document.of(content, media_type))
    return found


def _plan_column(session: SessionDep, plan_id: int, column: InstrumentedAttribute[str | None]
                 ) -> Callable[[], bytes | None]:
    def load() -> bytes | None:
        text = session.scalar(select(column).where(PlanRow.id == plan_id))
        return None if text is None else text.encode()

    return load


async def _plan_document(ctx: CtxDep, session: SessionDep, plan: PlanRow) -> Document:
    _ready(plan)
    found = await _cached(ctx, ("plan.json", plan.id, plan.finished_at),
                          _plan_column(session, plan.id, PlanRow.plan_json),
                          "application/json")
    assert found is not None
    return found


def _send(document: Document, want: Wanted) -> Response:
    """The document (gzip-compressed when the client takes it), or 304 when its copy is current."""
    packed = want.gzip and document.gzipped is not None
    headers = {"ETag": document.gzip_etag if packed else document.etag,
               "Cache-Control": _CACHE_CONTROL, "Vary": "Accept-Encoding"}
    if document.matches(want.if_none_match):
        return Response(status_code=304, headers=headers)
    if packed:
        assert document.gzipped is not None
        headers["Content-Encoding"] = "gzip"
        return Response(document.gzipped, media_type=document.media_type, headers=headers)
    return Response(document.content, media_type=document.media_type, headers=headers)


async def _audit_read(ctx: CtxDep, session: SessionDep, user: User, what: str, plan: PlanRow,
                      *, item: str | None = None, not_modified: bool = False) -> None:
    """Write a read's audit row and wait for its commit (a 304 says so in the detail).

    The request's session is closed first: its connection goes back to the pool
    while the row waits for the writer (ending a read-only transaction: no I/O on
    SQLite, one round trip on PostgreSQL).
    """
    session.close()
    await ctx.audit.write(audit.entry_values(
        user, "read", what, province=plan.province_code, plan_id=plan.id, item=item,
        detail="not modified" if not_modified else ""))


@router.get("/plans/{plan_id}", response_class=Response, responses=_JSON)
async def read_plan(plan: ReadablePlan, user: CurrentUser, ctx: CtxDep, session: SessionDep,
                    want: WantedDep) -> Response:
    """The plan as ``plan.json`` (schema v1.0, docs/plan-json.md)."""
    document = await _plan_document(ctx, session, plan)
    await _audit_read(ctx, session, user, "plan", plan,
                      not_modified=document.matches(want.if_none_match))
    return _send(document, want)


@router.get("/plans/{plan_id}/kpis", response_class=Response, responses=_JSON)
async def read_kpis(plan: ReadablePlan, ctx: CtxDep, session: SessionDep,
                    want: WantedDep) -> Response:
    """The plan's key figures (``kpis.json``)."""
    _ready(plan)
    document = await _cached(ctx, ("kpis.json", plan.id, plan.finished_at),
                             _plan_column(session, plan.id, PlanRow.kpis_json), "application/json")
    assert document is not None
    return _send(document, want)


@router.post("/plans/{plan_id}/publish")
def publish(plan: DispatchPlan, user: Dispatcher, session: SessionDep) -> PlanSummary:
    """Make the plan the day's plan couriers see; its backlog becomes the province's."""
    _ready(plan)
    now = utcnow()
    session.execute(update(PlanRow).where(PlanRow.province_code == plan.province_code,
                                          PlanRow.date == plan.date, PlanRow.id != plan.id)
                    .values(published_at=None))
    plan.published_at = now
    backlog = session.scalar(select(BacklogRow).where(
        BacklogRow.province_code == plan.province_code, BacklogRow.as_of == plan.date))
    if backlog is None:
        backlog = BacklogRow(province_code=plan.province_code, as_of=plan.date, document="")
        session.add(backlog)
    assert plan.backlog_json is not None
    backlog.document, backlog.plan_id = plan.backlog_json, plan.id
    audit.record(session, user, "publish", "plan", province=plan.province_code, plan_id=plan.id)
    session.commit()
    return plan_summary(plan, _couriers(session, plan.id))


def _no_route(route: CourierRoute) -> NotFound:
    return NotFound(f"no route of courier '{route.courier_id}' in plan {route.plan.id}")


async def _route_file(ctx: CtxDep, session: SessionDep, route: CourierRoute, *, kind: str,
                      media_type: str, want: Wanted) -> Response:
    """A courier's stored sheet or map, audited."""
    plan = _ready(route.plan)

    def load() -> bytes | None:
        return session.scalar(select(PlanFile.content).where(
            PlanFile.plan_id == plan.id, PlanFile.courier_id == route.courier_id,
            PlanFile.kind == kind))

    document = await _cached(ctx, (kind, plan.id, plan.finished_at, route.courier_id), load,
                             media_type)
    if document is None:
        raise _no_route(route)
    await _audit_read(ctx, session, route.user, f"route {kind}", plan, item=route.courier_id,
                      not_modified=document.matches(want.if_none_match))
    return _send(document, want)


def _route_json(plan_json: bytes, courier_id: str) -> bytes | None:
    found = [r for r in json.loads(plan_json)["routes"] if r["courier"] == courier_id]
    return json.dumps(found[0], ensure_ascii=False).encode() if found else None


@router.get("/plans/{plan_id}/routes/{courier_id}", response_class=Response, responses=_JSON)
async def read_route(route: CourierRoute, ctx: CtxDep, session: SessionDep,
                     want: WantedDep) -> Response:
    """One courier's route of the plan (its part of plan.json: stops, times, items)."""
    plan = await _plan_document(ctx, session, route.plan)
    document = await _cached(ctx, ("route", route.plan.id, route.plan.finished_at,
                                   route.courier_id),
                             lambda: _route_json(plan.content, route.courier_id),
                             "application/json")
    if document is None:
        raise _no_route(route)
    await _audit_read(ctx, session, route.user, "route", route.plan, item=route.courier_id,
                      not_modified=document.matches(want.if_none_match))
    return _send(document, want)


@router.get("/plans/{plan_id}/routes/{courier_id}/sheet.pdf", response_class=Response,
            responses={200: {"content": {"application/pdf": {}}}, 304: _JSON[304]})
async def read_sheet(route: CourierRoute, ctx: CtxDep, session: SessionDep,
                     want: WantedDep) -> Response:
    """The courier's route sheet (PDF)."""
    return await _route_file(ctx, session, route, kind="sheet", media_type="application/pdf",
                             want=want)


@router.get("/plans/{plan_id}/routes/{courier_id}/map.html", response_class=Response,
            responses={200: {"content": {"text/html": {}}}, 304: _JSON[304]})
async def read_map(route: CourierRoute, ctx: CtxDep, session: SessionDep,
                   want: WantedDep) -> Response:
    """The courier's route map (a self-contained HTML page)."""
    return await _route_file(ctx, session, route, kind="map",
                             media_type="text/html; charset=utf-8", want=want)


@router.get("/routes/mine")
def my_routes(user: CurrentUser, session: SessionDep) -> list[RouteRef]:
    """A courier's routes in the published plans of their province, newest first."""
    if role_of(user) is not Role.COURIER:
        raise Forbidden("only couriers have routes of their own")
    rows = session.execute(
        select(PlanRow.id, PlanRow.date).join(PlanFile, PlanFile.plan_id == PlanRow.id)
        .where(PlanRow.province_code.in_(user.provinces), PlanRow.published_at.is_not(None),
               PlanFile.courier_id == user.courier_id, PlanFile.kind == "sheet")
        .order_by(PlanRow.date.desc()))
    base = "/api/v1/plans/{}/routes/{}/"
    return [RouteRef(plan_id=pid, date=day, courier_id=str(user.courier_id),
                     sheet=base.format(pid, user.courier_id) + "sheet.pdf",
                     map=base.format(pid, user.courier_id) + "map.html") for pid, day in rows]
