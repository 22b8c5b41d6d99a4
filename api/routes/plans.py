"""Plans: start one (a job), list, read plan.json, KPIs, a courier's route, sheet, map; publish.

plan.json, route sheets and maps carry citizens' names and addresses: every
response with them is audited. Couriers read only their own routes of
published plans (``deps.CourierRoute``).
"""

from __future__ import annotations

import json
from typing import Any

from fastapi import APIRouter, Response
from fastapi.responses import HTMLResponse
from sqlalchemy import select, update

from api.convert import plan_summary
from api.db.models import BacklogRow, PlanFile, PlanRow, utcnow
from api.deps import (
    CourierRoute,
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
from api.services.planning import is_working_day

router = APIRouter(tags=["plans"])
_JSON: dict[int | str, dict[str, Any]] = {
    200: {"content": {"application/json": {"schema": {"type": "object"}}}}}


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


@router.get("/plans/{plan_id}", response_class=Response, responses=_JSON)
def read_plan(plan: ReadablePlan, user: CurrentUser, session: SessionDep) -> Response:
    """The plan as ``plan.json`` (schema v1.0, docs/plan-json.md)."""
    document = _ready(plan).plan_json
    assert document is not None
    audit.record(session, user, "read", "plan", province=plan.province_code, plan_id=plan.id)
    session.commit()
    return Response(document, media_type="application/json")


@router.get("/plans/{plan_id}/kpis", response_class=Response, responses=_JSON)
def read_kpis(plan: ReadablePlan) -> Response:
    """The plan's key figures (``kpis.json``)."""
    document = _ready(plan).kpis_json
    assert document is not None
    return Response(document, media_type="application/json")


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


def _file(session: SessionDep, route: CourierRoute, kind: str) -> bytes:
    _ready(route.plan)
    content = session.scalar(select(PlanFile.content).where(
        PlanFile.plan_id == route.plan.id, PlanFile.courier_id == route.courier_id,
        PlanFile.kind == kind))
    if content is None:
        raise NotFound(f"no route of courier '{route.courier_id}' in plan {route.plan.id}")
    audit.record(session, route.user, "read", f"route {kind}",
                 province=route.plan.province_code, plan_id=route.plan.id,
                 item=route.courier_id)
    session.commit()
    return content


@router.get("/plans/{plan_id}/routes/{courier_id}", responses=_JSON)
def read_route(route: CourierRoute, session: SessionDep) -> dict[str, Any]:
    """One courier's route of the plan (its part of plan.json: stops, times, items)."""
    document = _ready(route.plan).plan_json
    assert document is not None
    found = [r for r in json.loads(document)["routes"] if r["courier"] == route.courier_id]
    if not found:
        raise NotFound(f"no route of courier '{route.courier_id}' in plan {route.plan.id}")
    audit.record(session, route.user, "read", "route", province=route.plan.province_code,
                 plan_id=route.plan.id, item=route.courier_id)
    session.commit()
    route_doc: dict[str, Any] = found[0]
    return route_doc


@router.get("/plans/{plan_id}/routes/{courier_id}/sheet.pdf", response_class=Response,
            responses={200: {"content": {"application/pdf": {}}}})
def read_sheet(route: CourierRoute, session: SessionDep) -> Response:
    """The courier's route sheet (PDF)."""
    return Response(_file(session, route, "sheet"), media_type="application/pdf")


@router.get("/plans/{plan_id}/routes/{courier_id}/map.html", response_class=HTMLResponse)
def read_map(route: CourierRoute, session: SessionDep) -> HTMLResponse:
    """The courier's route map (a self-contained HTML page)."""
    return HTMLResponse(_file(session, route, "map"))


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
