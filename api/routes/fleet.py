"""``/provinces/{code}/fleet``: the province's couriers."""

from __future__ import annotations

from fastapi import APIRouter
from sqlalchemy import select

from api.convert import courier_public
from api.db.models import CourierRow
from api.deps import Dispatcher, DispatchProvince, SessionDep, Upload
from api.errors import NotFound
from api.schemas.inputs import CourierPublic, CourierUpdate, UploadResult
from api.services.inputs import safe_name, update_courier, upload_fleet

router = APIRouter(prefix="/provinces/{code}/fleet", tags=["fleet"])


@router.get("")
def list_couriers(province: DispatchProvince, session: SessionDep) -> list[CourierPublic]:
    """Every courier of the province, as rows of its fleet file."""
    rows = session.scalars(select(CourierRow).where(CourierRow.province_code == province.code)
                           .order_by(CourierRow.courier_id))
    return [courier_public(r) for r in rows]


def _courier(session: SessionDep, province: str, courier_id: str) -> CourierRow:
    row = session.scalar(select(CourierRow).where(CourierRow.province_code == province,
                                                  CourierRow.courier_id == courier_id))
    if row is None:
        raise NotFound(f"no courier '{courier_id}' in province {province}")
    return row


@router.get("/{courier_id}")
def read_courier(courier_id: str, province: DispatchProvince,
                 session: SessionDep) -> CourierPublic:
    """One courier."""
    return courier_public(_courier(session, province.code, courier_id))


@router.post("", status_code=201)
def upload_fleet_file(upload: Upload, province: DispatchProvince, _user: Dispatcher,
                      session: SessionDep) -> UploadResult:
    """Add or replace couriers from a fleet file (all or nothing; sites must exist)."""
    created, updated = upload_fleet(session, province.code, upload.data, upload.filename)
    session.commit()
    return UploadResult(source=safe_name(upload.filename), created=created, updated=updated)


@router.patch("/{courier_id}")
def patch_courier(courier_id: str, body: CourierUpdate, province: DispatchProvince,
                  session: SessionDep) -> CourierPublic:
    """Change a courier's fields (checked as the fleet file is)."""
    row = _courier(session, province.code, courier_id)
    update_courier(session, row, body.model_dump(mode="json", exclude_unset=True))
    session.commit()
    return courier_public(row)
