"""Shapes shared by every resource: the one error body."""

from __future__ import annotations

from pydantic import BaseModel


class ErrorDetail(BaseModel):
    """One problem: where (file or part of the request, row, field) and what."""

    source: str | None = None
    row: str | None = None
    field: str | None = None
    message: str


class ErrorBody(BaseModel):
    """Every error response: a stable ``code``, a readable ``message`` and its ``details``."""

    code: str
    message: str
    details: list[ErrorDetail] = []
