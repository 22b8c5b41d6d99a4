"""Shapes shared by every resource: the one error body, and a province code as it comes in."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, BeforeValidator, Field
from pydantic_core import PydanticCustomError

from planner.commands._args import province_code
from planner.exceptions import InputError


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


#: What a province code may look like (the OpenAPI schema's pattern; the list decides).
_CODE_PATTERN = r"^[0-9A-Za-z]{1,8}$"


def _province_2025(value: object) -> object:
    """``value`` as one of the 34 province codes of 2025 (``4`` is ``04``).

    The rule and sentence of the command line's ``--province``
    (:func:`planner.commands._args.province_code`; NQ 202/2025/QH15, DOMAIN.md §6),
    so a province the API takes is one ``bcci-dispatch users add`` and
    ``scenarios import`` take too. A refused code becomes the request's 422
    ``invalid_request`` naming the field, its message listing the valid codes.
    Runs before the pattern (which every valid code matches): text with spaces
    around it, or not text at all, is left to the pattern and the type check.
    """
    if not isinstance(value, str) or value != value.strip():
        return value
    try:
        return province_code(value)
    except InputError as err:
        raise PydanticCustomError("province_code", "{message}", {"message": err.message}) from err


#: A province code coming in (path, query or body): one of the 34 of 2025, normalised.
#: Shapes going out keep a plain ``str``: a row stored before 2025's codes is still shown.
ProvinceCode = Annotated[str, Field(
    pattern=_CODE_PATTERN,
    description="one of the 34 province codes of 2025 (NQ 202/2025/QH15), e.g. 20 = Lạng Sơn; "
    "a leading zero may be dropped (4 is 04)"), BeforeValidator(_province_2025)]
