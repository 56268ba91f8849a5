"""The one error envelope of the API: every failure, from a bad parameter to a bug, answers

    {"error": {"status": 422, "code": "invalid_parameter", "message": "...", "details": [...]}}

Handlers turn FastAPI's own errors (unknown route, wrong method, failed validation), sitrep's
errors and unexpected exceptions into it. A 500 says only that something failed: the traceback
goes to the server's log, never into the body, where it could leak paths or SQL.
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from starlette.exceptions import HTTPException as StarletteHTTPException

from sitrep.api.redact import public_message
from sitrep.errors import ConfigError, InputError, NotFound, SitrepError, StoreError

log = logging.getLogger("sitrep.api")

# The code of each plain HTTP status that FastAPI or Starlette raise themselves.
_STATUS_CODES = {400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found",
                 405: "method_not_allowed", 413: "payload_too_large", 415: "unsupported_media_type",
                 422: "invalid_parameter", 500: "internal_error", 503: "unavailable"}


class ErrorDetail(BaseModel):
    field: str
    problem: str


class ErrorBody(BaseModel):
    status: int
    code: str
    message: str
    details: list[ErrorDetail] = []


class ErrorEnvelope(BaseModel):
    """What every error response holds."""

    error: ErrorBody


class ApiError(Exception):
    """An error the API answers on purpose, with its status, code and the fields at fault."""

    def __init__(self, status: int, code: str, message: str, details: list[dict[str, str]] | None = None,
                 headers: dict[str, str] | None = None):
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.details = details or []
        self.headers = headers


def invalid(field: str, problem: str) -> ApiError:
    """A 422 for one bad parameter."""
    return ApiError(422, "invalid_parameter", f"{field}: {problem}", [{"field": field, "problem": problem}])


def envelope(status: int, code: str, message: str, details: list[dict[str, str]] | None = None,
             headers: dict[str, str] | None = None) -> JSONResponse:
    body = {"error": {"status": status, "code": code, "message": _one_line(message), "details": details or []}}
    return JSONResponse(body, status_code=status, headers=headers)


# Responses to declare on every route, so that the OpenAPI document (and schemathesis) knows them.
ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    status: {"model": ErrorEnvelope, "description": code.replace("_", " ")}
    for status, code in _STATUS_CODES.items() if status in (404, 422, 500)
}


def install(app: FastAPI) -> None:
    """Register the handlers that make every error the envelope."""
    app.add_exception_handler(ApiError, _api_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(NotFound, _not_found)
    app.add_exception_handler(SitrepError, _sitrep_error)
    app.add_exception_handler(Exception, _unexpected)


async def _api_error(request: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, ApiError)
    return envelope(error.status, error.code, error.message, error.details, error.headers)


async def _http_error(request: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, StarletteHTTPException)
    code = _STATUS_CODES.get(error.status_code, "http_error")
    message = error.detail if isinstance(error.detail, str) else code.replace("_", " ")
    if error.status_code == 404 and message == "Not Found":
        message = f"no such endpoint: {request.url.path}"
    elif error.status_code == 405:
        message = f"{request.method} is not allowed on {request.url.path}"
    return envelope(error.status_code, code, message, headers=getattr(error, "headers", None))


async def _validation_error(request: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, RequestValidationError)
    details = [{"field": _field(item.get("loc", ())), "problem": _one_line(str(item.get("msg", "invalid")))}
               for item in error.errors()]
    first = details[0] if details else {"field": "request", "problem": "invalid"}
    message = f"{first['field']}: {first['problem']}"
    if len(details) > 1:
        message += f" (and {len(details) - 1} more)"
    return envelope(422, "invalid_parameter", message, details)


async def _not_found(request: Request, error: Exception) -> JSONResponse:
    return envelope(404, "not_found", _public(request, error))


async def _sitrep_error(request: Request, error: Exception) -> JSONResponse:
    if isinstance(error, InputError):
        return envelope(422, "invalid_input", _public(request, error))
    if isinstance(error, (StoreError, ConfigError)):
        log.error("%s", error)
        return envelope(503, "unavailable", "the database cannot be read right now; see the server log")
    return envelope(500, "internal_error", "internal error; see the server log")


async def _unexpected(request: Request, error: Exception) -> JSONResponse:
    log.error("unexpected error on %s %s", request.method, request.url.path, exc_info=error)
    return envelope(500, "internal_error", "internal error; see the server log")


def _public(request: Request, error: Exception) -> str:
    # The store words its messages for the command line, naming the database's path (sitrep.api.redact).
    store = getattr(request.app.state, "store", None)
    return public_message(str(error), getattr(store, "name", "") or "")


def _field(location: tuple[Any, ...] | list[Any]) -> str:
    # ("query", "bbox") -> "bbox"; ("body", "text") -> "text"; a path is kept for nested fields.
    # A repeated query parameter is named without the index of its bad value: ("query", "side", 1) -> "side".
    if len(location) > 1 and location[0] == "query":
        return str(location[1])
    parts = [str(part) for part in location if part not in ("query", "path", "body", "header")]
    return ".".join(parts) or "request"


def _one_line(message: str) -> str:
    return " ".join(str(message).split())
