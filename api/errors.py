"""Errors translated once, at the edge: every failure becomes ``{"code", "message", "details"}``.

Handlers and dependencies raise :class:`ApiError` subclasses (or let planner's
exceptions through); :func:`install` maps them, FastAPI's own validation and
HTTP errors, and anything unexpected, to one JSON body. Planner's
:class:`~planner.exceptions.InputErrors` keep every problem's file, row and field.
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import DataError
from starlette.exceptions import HTTPException as StarletteHTTPException

from api.schemas.common import ErrorBody, ErrorDetail
from api.services.jobs import JobStateError
from planner.exceptions import InfeasibleError, InputError, InputErrors, PlannerError

LOG = logging.getLogger("api")


class ApiError(Exception):
    """An error with an HTTP status, a stable code and a readable message."""

    status = 400
    code = "bad_request"

    def __init__(self, message: str, *, details: list[ErrorDetail] | None = None,
                 code: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.details = details or []
        if code is not None:
            self.code = code


class Unauthorized(ApiError):
    """No token, or an expired or tampered one, or a wrong password (401)."""

    status, code = 401, "unauthorized"


class Forbidden(ApiError):
    """The user's role may not do this at all (403)."""

    status, code = 403, "forbidden"


class NotFound(ApiError):
    """No such thing, or nothing the user may see (404)."""

    status, code = 404, "not_found"


class Conflict(ApiError):
    """The request clashes with the state: a duplicate, a plan not ready, a job not retryable."""

    status, code = 409, "conflict"


class PayloadTooLarge(ApiError):
    """An upload over the stated limit (413)."""

    status, code = 413, "payload_too_large"


class Unprocessable(ApiError):
    """A well-formed request that cannot be done (bad date, infeasible request) (422)."""

    status, code = 422, "unprocessable"


def input_details(err: InputError | InputErrors) -> list[ErrorDetail]:
    """Every problem of a planner input error, with its file, row and field."""
    errors = err.errors if isinstance(err, InputErrors) else [err]
    return [ErrorDetail(source=e.source, row=None if e.row is None else str(e.row),
                        field=e.field, message=e.message) for e in errors]


def _body(status: int, code: str, message: str, details: list[ErrorDetail] | None = None,
          headers: dict[str, str] | None = None) -> JSONResponse:
    body = ErrorBody(code=code, message=message, details=details or [])
    return JSONResponse(body.model_dump(mode="json"), status_code=status, headers=headers)


async def _api_error(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, ApiError)
    headers = {"WWW-Authenticate": "Bearer"} if exc.status == 401 else None
    return _body(exc.status, exc.code, exc.message, exc.details, headers)


async def _input_error(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, InputError | InputErrors)
    details = input_details(exc)
    message = details[0].message if len(details) == 1 else f"{len(details)} input errors"
    return _body(422, "invalid_input", message, details)


async def _job_state(_request: Request, exc: Exception) -> JSONResponse:
    return _body(409, "job_state", str(exc))


async def _planner_error(_request: Request, exc: Exception) -> JSONResponse:
    code = "infeasible" if isinstance(exc, InfeasibleError) else "planner_error"
    return _body(422, code, str(exc))


async def _validation_error(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    details = [ErrorDetail(source=str(e["loc"][0]) if e.get("loc") else None,
                           field=".".join(str(p) for p in e.get("loc", ())[1:]) or None,
                           message=str(e.get("msg", "invalid")))
               for e in exc.errors()]
    return _body(422, "invalid_request", "the request is not valid", details)


async def _http_error(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    codes = {404: "not_found", 405: "method_not_allowed", 401: "unauthorized"}
    return _body(exc.status_code, codes.get(exc.status_code, "http_error"), str(exc.detail),
                 headers=dict(exc.headers) if exc.headers else None)


async def _bad_value(_request: Request, exc: Exception) -> JSONResponse:
    LOG.info("value refused by the database: %s", exc)
    return _body(422, "invalid_value",
                 "a value is out of range or not storable (too long, too large, NUL byte)")


async def _unexpected(_request: Request, exc: Exception) -> JSONResponse:
    LOG.exception("unexpected error", exc_info=exc)
    return _body(500, "internal_error", "unexpected error; it has been logged")


def install(app: FastAPI) -> None:
    """Register every error handler on ``app``."""
    app.add_exception_handler(ApiError, _api_error)
    app.add_exception_handler(InputErrors, _input_error)
    app.add_exception_handler(InputError, _input_error)
    app.add_exception_handler(JobStateError, _job_state)
    app.add_exception_handler(PlannerError, _planner_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(DataError, _bad_value)
    app.add_exception_handler(OverflowError, _bad_value)
    app.add_exception_handler(Exception, _unexpected)


#: Error responses documented on every route (schemathesis checks bodies against them);
#: always JSON, also on routes whose success is a PDF or an HTML page.
ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    status: {"model": ErrorBody, "description": text, "content": {"application/json": {
        "schema": {"$ref": "#/components/schemas/ErrorBody"}}}}
    for status, text in (
        (400, "Bad request"), (401, "Missing, expired or tampered token"),
        (403, "The role may not do this"), (404, "Not found or not visible to the user"),
        (409, "Conflicts with the current state"), (413, "Upload over the limit"),
        (422, "Invalid request or input file"),
    )
}
