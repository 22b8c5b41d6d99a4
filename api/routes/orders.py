"""``/provinces/{code}/orders``: orders carry citizens' personal data, so every use is audited."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Query
from sqlalchemy import select

from api.convert import order_public
from api.db.models import OrderRow
from api.deps import Dispatcher, DispatchProvince, SessionDep, Upload
from api.errors import NotFound
from api.schemas.inputs import OrderPublic, OrderUpdate, UploadResult
from api.services import audit
from api.services.inputs import safe_name, update_order, upload_orders

router = APIRouter(prefix="/provinces/{code}/orders", tags=["orders"])


@router.get("")
def list_orders(
    *, province: DispatchProvince, user: Dispatcher, session: SessionDep,
    accepted_on: Annotated[dt.date | None, Query(description="only orders accepted that day")]
    = None,
    limit: Annotated[int, Query(ge=1, le=5000)] = 1000,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> list[OrderPublic]:
    """The province's orders (by tracking code), optionally of one acceptance day."""
    query = select(OrderRow).where(OrderRow.province_code == province.code)
    if accepted_on is not None:
        query = query.where(OrderRow.accepted_on == accepted_on)
    rows = list(session.scalars(query.order_by(OrderRow.tracking_code).limit(limit)
                                .offset(offset)))
    if rows:
        audit.record(session, user, "read", "orders", province=province.code,
                     ids=[r.tracking_code for r in rows])
        session.commit()
    return [order_public(r) for r in rows]


def _order(session: SessionDep, province: str, code: str) -> OrderRow:
    row = session.scalar(select(OrderRow).where(OrderRow.province_code == province,
                                                OrderRow.tracking_code == code))
    if row is None:
        raise NotFound(f"no order '{code}' in province {province}")
    return row


@router.get("/{tracking_code}")
def read_order(tracking_code: str, province: DispatchProvince, user: Dispatcher,
               session: SessionDep) -> OrderPublic:
    """One order."""
    row = _order(session, province.code, tracking_code)
    audit.record(session, user, "read", "orders", province=province.code, item=tracking_code)
    session.commit()
    return order_public(row)


@router.post("", status_code=201)
def upload_orders_file(upload: Upload, province: DispatchProvince, user: Dispatcher,
                       session: SessionDep) -> UploadResult:
    """Add the orders of an orders file (all or nothing; sites must exist, codes be new)."""
    orders = upload_orders(session, province.code, upload.data, upload.filename)
    audit.record(session, user, "create", "orders", province=province.code,
                 item=safe_name(upload.filename), ids=[o.tracking_code for o in orders])
    session.commit()
    return UploadResult(source=safe_name(upload.filename), created=len(orders), updated=0)


@router.patch("/{tracking_code}")
def patch_order(tracking_code: str, body: OrderUpdate, province: DispatchProvince,
                user: Dispatcher, session: SessionDep) -> OrderPublic:
    """Change an order's fields (checked as the orders file is)."""
    row = _order(session, province.code, tracking_code)
    changes = body.model_dump(mode="json", exclude_unset=True)
    update_order(session, row, changes)
    audit.record(session, user, "update", "orders", province=province.code,
                 item=tracking_code, detail=", ".join(sorted(changes)))
    session.commit()
    return order_public(row)
