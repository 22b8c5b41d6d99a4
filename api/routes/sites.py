"""``/provinces/{code}/sites``: the province's sites; citizens' addresses are audited."""

from __future__ import annotations

from fastapi import APIRouter
from sqlalchemy import select

from api.convert import site_public
from api.db.models import SiteRow
from api.deps import Dispatcher, DispatchProvince, SessionDep, Upload
from api.errors import NotFound
from api.schemas.inputs import SitePublic, SiteUpdate, UploadResult
from api.services import audit
from api.services.inputs import safe_name, update_site, upload_sites
from planner.domain import SiteKind

router = APIRouter(prefix="/provinces/{code}/sites", tags=["sites"])


def _citizens(rows: list[SiteRow]) -> list[str]:
    return [r.site_id for r in rows if r.kind == SiteKind.CITIZEN.value]


@router.get("")
def list_sites(province: DispatchProvince, user: Dispatcher,
               session: SessionDep) -> list[SitePublic]:
    """Every site of the province, as rows of its sites file."""
    rows = list(session.scalars(select(SiteRow).where(SiteRow.province_code == province.code)
                                .order_by(SiteRow.site_id)))
    if _citizens(rows):
        audit.record(session, user, "read", "sites", province=province.code,
                     ids=_citizens(rows))
        session.commit()
    return [site_public(r) for r in rows]


def _site(session: SessionDep, province: str, site_id: str) -> SiteRow:
    row = session.scalar(select(SiteRow).where(SiteRow.province_code == province,
                                               SiteRow.site_id == site_id))
    if row is None:
        raise NotFound(f"no site '{site_id}' in province {province}")
    return row


@router.get("/{site_id}")
def read_site(site_id: str, province: DispatchProvince, user: Dispatcher,
              session: SessionDep) -> SitePublic:
    """One site."""
    row = _site(session, province.code, site_id)
    if _citizens([row]):
        audit.record(session, user, "read", "sites", province=province.code, item=site_id)
        session.commit()
    return site_public(row)


@router.post("", status_code=201)
def upload_sites_file(upload: Upload, province: DispatchProvince, user: Dispatcher,
                      session: SessionDep) -> UploadResult:
    """Add or replace sites from a sites file (all or nothing)."""
    created, updated = upload_sites(session, province.code, upload.data, upload.filename)
    audit.record(session, user, "create", "sites", province=province.code,
                 item=safe_name(upload.filename), detail=f"{created} new, {updated} replaced")
    session.commit()
    return UploadResult(source=safe_name(upload.filename), created=created, updated=updated)


@router.patch("/{site_id}")
def patch_site(site_id: str, body: SiteUpdate, province: DispatchProvince, user: Dispatcher,
               session: SessionDep) -> SitePublic:
    """Change a site's fields (checked as the sites file is)."""
    row = _site(session, province.code, site_id)
    changes = body.model_dump(mode="json", exclude_unset=True)
    update_site(session, row, changes)
    audit.record(session, user, "update", "sites", province=province.code, item=site_id,
                 detail=", ".join(sorted(changes)))
    session.commit()
    return site_public(row)
