"""The one module converting between tables, API shapes and planner types.

Tables hold the planner's fields as plain columns; planner objects are built
from them for planning, and API shapes show them as rows of the input files.
"""

from __future__ import annotations

from typing import Any

from api.db.models import (
    AuditEntry,
    CourierRow,
    Job,
    OrderRow,
    OutcomeRow,
    PlanRow,
    Province,
    SiteRow,
    User,
    aware,
)
from api.schemas.audit import AuditPublic
from api.schemas.auth import UserPublic
from api.schemas.inputs import (
    CourierPublic,
    OrderPublic,
    OutcomePublic,
    ProvincePublic,
    SitePublic,
)
from api.schemas.plans import JobPublic, PlanSummary
from planner.domain import (
    Courier,
    FeeMoment,
    ItemKind,
    LunchBreak,
    Order,
    Site,
    SiteKind,
    TimeWindow,
    VehicleType,
    parse_windows,
    s_to_hhmm,
)
from planner.domain.outcomes import FailureReason, Outcome, OutcomeStatus


def user_public(user: User) -> UserPublic:
    """A user as the API shows it."""
    return UserPublic(id=user.id, name=user.name, role=user.role,
                      provinces=sorted(user.provinces), courier_id=user.courier_id)


def province_public(p: Province) -> ProvincePublic:
    """A province as the API shows it."""
    return ProvincePublic(code=p.code, name=p.name, roads=p.roads)


def windows_text(ws: tuple[TimeWindow, ...]) -> str:
    """``07:30-11:30; 13:00-17:00`` (as the input files write windows)."""
    return "; ".join(str(w).replace("–", "-") for w in ws)


def _names(text: str) -> frozenset[str]:
    return frozenset(p.strip() for p in text.split(";") if p.strip())


def _names_text(names: frozenset[str]) -> str:
    return "; ".join(sorted(names))


def _hhmm(seconds: int | None) -> str | None:
    return None if seconds is None else s_to_hhmm(seconds)


# -- sites --------------------------------------------------------------------------------


def site_columns(site: Site) -> dict[str, Any]:
    """Column values of a planner site."""
    return {"site_id": site.id, "name": site.name, "kind": site.kind.value, "lon": site.lon,
            "lat": site.lat, "opening": windows_text(site.opening), "visit_s": site.visit_s,
            "cutoff_s": site.cutoff_s, "address": site.address,
            "commune_code": site.commune_code, "phone": site.phone,
            "home_post_office": site.home_post_office}


def site_of(row: SiteRow) -> Site:
    """The planner site of a row."""
    return Site(row.site_id, row.name, SiteKind(row.kind), row.lon, row.lat,
                opening=parse_windows(row.opening), visit_s=row.visit_s, cutoff_s=row.cutoff_s,
                address=row.address, commune_code=row.commune_code, phone=row.phone,
                home_post_office=row.home_post_office)


def site_public(row: SiteRow) -> SitePublic:
    """A site as a row of the sites file."""
    return SitePublic(id=row.site_id, name=row.name, kind=SiteKind(row.kind), lon=row.lon,
                      lat=row.lat, commune_code=row.commune_code, address=row.address,
                      opening=row.opening, visit_min=row.visit_s // 60,
                      cutoff=_hhmm(row.cutoff_s), phone=row.phone,
                      home_post_office=row.home_post_office)


# -- couriers -----------------------------------------------------------------------------


def courier_columns(c: Courier) -> dict[str, Any]:
    """Column values of a planner courier (the first capacity dimension: items)."""
    return {"courier_id": c.id, "name": c.name, "vehicle": c.vehicle.value,
            "capacity": c.capacity[0], "shift": windows_text((c.shift,)),
            "start_site": c.start_site, "end_site": c.end_site,
            "lunch_window": windows_text((c.lunch.window,)) if c.lunch else "",
            "lunch_s": c.lunch.duration_s if c.lunch else 0,
            "max_duration_s": c.max_duration_s, "max_distance_m": c.max_distance_m,
            "fixed_cost": c.fixed_cost, "cost_per_km": c.cost_per_km,
            "cost_per_hour": c.cost_per_hour, "skills": _names_text(c.skills),
            "cash_limit_vnd": c.cash_limit_vnd, "phone": c.phone}


def courier_of(row: CourierRow) -> Courier:
    """The planner courier of a row."""
    lunch = (LunchBreak(TimeWindow.parse(row.lunch_window), row.lunch_s)
             if row.lunch_window else None)
    return Courier(id=row.courier_id, name=row.name, vehicle=VehicleType(row.vehicle),
                   capacity=(row.capacity,), shift=TimeWindow.parse(row.shift),
                   start_site=row.start_site, end_site=row.end_site, lunch=lunch,
                   max_duration_s=row.max_duration_s, max_distance_m=row.max_distance_m,
                   fixed_cost=row.fixed_cost, cost_per_km=row.cost_per_km,
                   cost_per_hour=row.cost_per_hour, skills=_names(row.skills),
                   cash_limit_vnd=row.cash_limit_vnd, phone=row.phone)


def courier_public(row: CourierRow) -> CourierPublic:
    """A courier as a row of the fleet file."""
    return CourierPublic(
        id=row.courier_id, name=row.name, vehicle=VehicleType(row.vehicle),
        capacity=row.capacity, shift=row.shift, start_site=row.start_site,
        end_site=row.end_site, lunch_window=row.lunch_window, lunch_min=row.lunch_s // 60,
        max_hours=None if row.max_duration_s is None else row.max_duration_s / 3600,
        max_km=None if row.max_distance_m is None else row.max_distance_m / 1000,
        fixed_cost=row.fixed_cost, cost_per_km=row.cost_per_km, cost_per_hour=row.cost_per_hour,
        skills=row.skills, cash_limit_vnd=row.cash_limit_vnd, phone=row.phone)


# -- orders -------------------------------------------------------------------------------


def order_columns(o: Order) -> dict[str, Any]:
    """Column values of a planner order (the first quantity dimension: items)."""
    return {"tracking_code": o.tracking_code, "kind": o.kind.value, "origin": o.origin,
            "destination": o.destination, "accepted_on": o.accepted_on,
            "deadline": o.deadline, "quantity": o.quantity[0],
            "origin_windows": windows_text(o.origin_windows),
            "destination_windows": windows_text(o.destination_windows), "ready_s": o.ready_s,
            "fee_vnd": o.fee_vnd, "fee_at": o.fee_at.value,
            "skills": _names_text(o.required_skills), "item_class": o.item_class,
            "priority": o.priority, "same_day": o.same_day, "citizen_name": o.citizen_name,
            "citizen_phone": o.citizen_phone, "procedure": o.procedure,
            "postage_vnd": o.postage_vnd, "follows": o.follows}


def order_of(row: OrderRow) -> Order:
    """The planner order of a row."""
    return Order(
        tracking_code=row.tracking_code, kind=ItemKind(row.kind), origin=row.origin,
        destination=row.destination, accepted_on=row.accepted_on, deadline=row.deadline,
        quantity=(row.quantity,), origin_windows=parse_windows(row.origin_windows),
        destination_windows=parse_windows(row.destination_windows), ready_s=row.ready_s,
        fee_vnd=row.fee_vnd, fee_at=FeeMoment(row.fee_at), required_skills=_names(row.skills),
        item_class=row.item_class, priority=row.priority, same_day=row.same_day,
        citizen_name=row.citizen_name, citizen_phone=row.citizen_phone,
        procedure=row.procedure, postage_vnd=row.postage_vnd, follows=row.follows)


def order_public(row: OrderRow) -> OrderPublic:
    """An order as a row of the orders file."""
    return OrderPublic(
        tracking_code=row.tracking_code, kind=ItemKind(row.kind), origin=row.origin,
        destination=row.destination, accepted_on=row.accepted_on, deadline=row.deadline,
        quantity=row.quantity, origin_windows=row.origin_windows,
        destination_windows=row.destination_windows, ready=_hhmm(row.ready_s),
        fee_vnd=row.fee_vnd, postage_vnd=row.postage_vnd, fee_at=FeeMoment(row.fee_at),
        skills=row.skills, item_class=row.item_class, priority=row.priority,
        same_day=row.same_day, citizen_name=row.citizen_name, citizen_phone=row.citizen_phone,
        procedure=row.procedure, follows=row.follows)


# -- outcomes -----------------------------------------------------------------------------


def outcome_columns(o: Outcome) -> dict[str, Any]:
    """Column values of a planner outcome."""
    return {"tracking_code": o.tracking_code, "date": o.date, "status": o.status.value,
            "reason": o.reason.value if o.reason else None, "note": o.note}


def outcome_of(row: OutcomeRow) -> Outcome:
    """The planner outcome of a row."""
    return Outcome(row.tracking_code, row.date, OutcomeStatus(row.status),
                   FailureReason(row.reason) if row.reason else None, row.note)


def outcome_public(row: OutcomeRow) -> OutcomePublic:
    """An outcome as a row of the outcomes file."""
    return OutcomePublic(tracking_code=row.tracking_code, date=row.date,
                         status=OutcomeStatus(row.status),
                         reason=FailureReason(row.reason) if row.reason else None,
                         note=row.note)


# -- jobs and plans -----------------------------------------------------------------------


def job_public(job: Job) -> JobPublic:
    """A planning job as the API shows it."""
    return JobPublic(job_id=job.id, plan_id=job.plan_id, province=job.province_code,
                     status=job.status, progress=job.progress,  # type: ignore[arg-type]
                     phase=job.phase, message=job.message, attempts=job.attempts,
                     created_at=aware(job.created_at), started_at=aware(job.started_at),
                     finished_at=aware(job.finished_at))


def plan_summary(plan: PlanRow, couriers: list[str]) -> PlanSummary:
    """A plan without its documents."""
    return PlanSummary(id=plan.id, province=plan.province_code, date=plan.date,
                       status=plan.status,  # type: ignore[arg-type]
                       published=plan.published_at is not None,
                       published_at=aware(plan.published_at), created_at=aware(plan.created_at),
                       finished_at=aware(plan.finished_at), couriers=couriers)


def audit_public(entry: AuditEntry) -> AuditPublic:
    """An audit entry as the API shows it."""
    return AuditPublic(id=entry.id, at=aware(entry.at), user_id=entry.user_id,
                       user_name=entry.user_name, action=entry.action, what=entry.what,
                       province=entry.province_code, plan_id=entry.plan_id, item=entry.item,
                       detail=entry.detail)
