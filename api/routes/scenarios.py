"""``/scenarios``: stored scenario comparisons, read-only, for managers and admins.

A comparison is stored by ``bcci-dispatch scenarios import DIR --province CODE``
(the output folder of ``planner scenarios run``); there is no POST. Dispatchers
and couriers get 403; a comparison of a province outside the manager's gets 404.
"""

from __future__ import annotations

import json
from typing import Annotated

from fastapi import APIRouter, Depends, Path
from sqlalchemy import select

from api.db.models import ScenarioRun, User, aware
from api.deps import MAX_ID, SessionDep, roles
from api.errors import NotFound
from api.roles import Role, sees_province
from api.schemas.scenarios import ScenarioRunDetail, ScenarioRunPublic

router = APIRouter(prefix="/scenarios", tags=["scenarios"])

#: Who reads stored comparisons: the managers who decide, and admins.
ScenarioReader = Annotated[User, Depends(roles(Role.ADMIN, Role.MANAGER))]
RunId = Annotated[int, Path(ge=1, le=MAX_ID, description="stored comparison id")]


def _public(row: ScenarioRun) -> ScenarioRunPublic:
    return ScenarioRunPublic(id=row.id, province=row.province_code, source=row.source,
                             start=row.start, days=row.days, seeds=row.seeds,
                             scenarios=row.scenarios, failed=row.failed,
                             imported_at=aware(row.imported_at))


@router.get("")
def list_scenario_runs(user: ScenarioReader, session: SessionDep) -> list[ScenarioRunPublic]:
    """Stored comparisons of the user's provinces, newest first (managers, admins)."""
    rows = session.scalars(select(ScenarioRun).order_by(ScenarioRun.id.desc()))
    return [_public(r) for r in rows if sees_province(user, r.province_code)]


@router.get("/{run_id}")
def read_scenario_run(run_id: RunId, user: ScenarioReader,
                      session: SessionDep) -> ScenarioRunDetail:
    """One stored comparison in full (404 outside the user's provinces)."""
    row = session.get(ScenarioRun, run_id)
    if row is None or not sees_province(user, row.province_code):
        raise NotFound(f"no scenario comparison {run_id}")
    run = json.loads(row.run_json)
    described = {str(s.get("name", "")): str(s.get("description", ""))
                 for s in run.get("scenarios", []) if isinstance(s, dict)}
    return ScenarioRunDetail(**_public(row).model_dump(), descriptions=described,
                             comparison=json.loads(row.comparison_json),
                             per_day=json.loads(row.days_json))
