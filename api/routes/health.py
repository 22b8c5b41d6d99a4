"""``/health``: the code version and the database's schema revision."""

from __future__ import annotations

from fastapi import APIRouter

from api.db import current_revision, head_revision
from api.deps import CtxDep
from api.schemas.auth import Health
from api.version import code_version

router = APIRouter(tags=["health"])


@router.get("/health")
def health(ctx: CtxDep) -> Health:
    """200 with the code version and the schema revision the database is at."""
    return Health(code_version=code_version(), schema_version=current_revision(ctx.engine),
                  schema_head=head_revision())
