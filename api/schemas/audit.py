"""The audit log of personal data."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel


class AuditPublic(BaseModel):
    """Who read or changed personal data, when, what, and which plan or item."""

    id: int
    at: dt.datetime
    user_id: int | None
    user_name: str
    action: str
    what: str
    province: str | None
    plan_id: int | None
    item: str | None
    detail: str
