"""Signing in, the signed-in user, and the service's health."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel


class Token(BaseModel):
    """An access token (send it as ``Authorization: Bearer <token>``)."""

    access_token: str
    token_type: Literal["bearer"] = "bearer"
    expires_in: int


class UserPublic(BaseModel):
    """A user as the API shows it (never the password hash)."""

    id: int
    name: str
    role: str
    provinces: list[str]
    courier_id: str | None


class Health(BaseModel):
    """The service is up: its code version and the database's schema revision."""

    status: Literal["ok"] = "ok"
    code_version: str
    schema_version: str | None
    schema_head: str | None
