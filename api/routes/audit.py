"""``/audit``: who read or changed citizens' personal data (admins)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from sqlalchemy import select

from api.convert import audit_public
from api.db.models import AuditEntry
from api.deps import MAX_ID, Admin, SessionDep
from api.schemas.audit import AuditPublic
from api.schemas.common import ProvinceCode

router = APIRouter(prefix="/audit", tags=["audit"])


@router.get("")
def read_audit(
    *, _admin: Admin, session: SessionDep,
    province: Annotated[ProvinceCode | None, Query()] = None,
    plan_id: Annotated[int | None, Query(ge=1, le=MAX_ID)] = None,
    user: Annotated[str | None, Query(max_length=100, description="user name")] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    before_id: Annotated[int | None, Query(ge=1, le=MAX_ID,
                                           description="entries older than this id")] = None,
) -> list[AuditPublic]:
    """Audit entries, newest first (page with ``before_id``)."""
    query = select(AuditEntry)
    if province is not None:
        query = query.where(AuditEntry.province_code == province)
    if plan_id is not None:
        query = query.where(AuditEntry.plan_id == plan_id)
    if user is not None:
        query = query.where(AuditEntry.user_name == user)
    if before_id is not None:
        query = query.where(AuditEntry.id < before_id)
    rows = session.scalars(query.order_by(AuditEntry.id.desc()).limit(limit))
    return [audit_public(r) for r in rows]
