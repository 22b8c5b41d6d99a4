"""``/provinces/{code}/outcomes``: what happened on earlier days (audited: citizens' items)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Query
from sqlalchemy import select

from api.convert import outcome_public
from api.db.models import OutcomeRow
from api.deps import Dispatcher, DispatchProvince, SessionDep, Upload
from api.schemas.inputs import OutcomePublic, UploadResult
from api.services import audit
from api.services.inputs import safe_name
from api.services.outcomes import upload_outcomes

router = APIRouter(prefix="/provinces/{code}/outcomes", tags=["outcomes"])


@router.get("")
def list_outcomes(
    *, province: DispatchProvince, user: Dispatcher, session: SessionDep,
    date: Annotated[dt.date | None, Query(description="only the outcomes of that day")] = None,
    limit: Annotated[int, Query(ge=1, le=5000)] = 1000,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> list[OutcomePublic]:
    """The province's outcomes (by day, then tracking code), as rows of an outcomes file."""
    query = select(OutcomeRow).where(OutcomeRow.province_code == province.code)
    if date is not None:
        query = query.where(OutcomeRow.date == date)
    rows = list(session.scalars(query.order_by(OutcomeRow.date, OutcomeRow.tracking_code)
                                .limit(limit).offset(offset)))
    if rows:
        audit.record(session, user, "read", "outcomes", province=province.code,
                     ids=[r.tracking_code for r in rows])
        session.commit()
    return [outcome_public(r) for r in rows]


@router.post("", status_code=201)
def upload_outcomes_file(upload: Upload, province: DispatchProvince, user: Dispatcher,
                         session: SessionDep) -> UploadResult:
    """Add or replace the outcomes of an outcomes file (all or nothing).

    Each outcome must be of a day whose plan is published, name a tracking
    code of that day's backlog and, when failed, a leg done that day (TT 17
    art. 5(2)(h)); the next plan after that day applies them.
    """
    outcomes, created, updated = upload_outcomes(session, province.code, upload.data,
                                                 upload.filename, by=user.name)
    audit.record(session, user, "create", "outcomes", province=province.code,
                 item=safe_name(upload.filename), ids=[o.tracking_code for o in outcomes])
    session.commit()
    return UploadResult(source=safe_name(upload.filename), created=created, updated=updated)
