"""``/provinces``: list, read, create and update provinces."""

from __future__ import annotations

from fastapi import APIRouter
from sqlalchemy import select

from api.convert import province_public
from api.db.models import Province
from api.deps import Admin, CodePath, CurrentUser, SessionDep, VisibleProvince
from api.errors import Conflict, NotFound, Unprocessable
from api.roles import sees_province
from api.schemas.inputs import ProvinceCreate, ProvincePublic, ProvinceUpdate
from api.services.planning import SAMPLE_PROVINCE_CODE, SAMPLE_ROADS
from geodata import province_names

router = APIRouter(prefix="/provinces", tags=["provinces"])


@router.get("")
def list_provinces(user: CurrentUser, session: SessionDep) -> list[ProvincePublic]:
    """The provinces the user works on (admins and national managers: all)."""
    rows = session.scalars(select(Province).order_by(Province.code))
    return [province_public(p) for p in rows if sees_province(user, p.code)]


@router.get("/{code}")
def read_province(province: VisibleProvince) -> ProvincePublic:
    """One province."""
    return province_public(province)


def _check_roads(code: str, roads: str | None) -> None:
    if roads == SAMPLE_ROADS and code != SAMPLE_PROVINCE_CODE:
        raise Unprocessable(f"the generated sample roads are Lạng Sơn's (province "
                            f"{SAMPLE_PROVINCE_CODE}), not province {code}'s")


@router.post("", status_code=201)
def create_province(body: ProvinceCreate, _admin: Admin, session: SessionDep) -> ProvincePublic:
    """Add one of the 34 provinces of 2025 (admins); its name by default the official one.

    The code is one of NQ 202/2025/QH15's (DOMAIN.md §6; ``4`` is ``04``), as the
    command line's ``--province`` takes: 422 naming ``code`` otherwise.
    """
    _check_roads(body.code, body.roads)
    if session.get(Province, body.code) is not None:
        raise Conflict(f"province '{body.code}' already exists")
    name = body.name or province_names()[body.code]
    province = Province(code=body.code, name=name, roads=body.roads)
    session.add(province)
    session.commit()
    return province_public(province)


@router.patch("/{code}")
def update_province(code: CodePath, body: ProvinceUpdate, _admin: Admin,
                    session: SessionDep) -> ProvincePublic:
    """Rename a province or change how its travel is computed (admins)."""
    province = session.get(Province, code)
    if province is None:
        raise NotFound(f"no province '{code}'")
    _check_roads(code, body.roads)
    for name, value in body.model_dump(exclude_unset=True, exclude_none=True).items():
        setattr(province, name, value)
    session.commit()
    return province_public(province)
