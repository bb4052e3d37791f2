"""Every error as RFC 9457 problem details (``application/problem+json``): a title, the status, one line
saying what to fix, and for 422 the fields at fault. Never a stack trace, a secret or SQL: a detail comes
from a ``ConciergeError`` (safe to show by contract) or is written here."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException

from concierge.errors import (
    ConciergeError,
    ConfigError,
    FieldError,
    InvalidInputError,
    ModelError,
    StoreUnavailableError,
)
from concierge.redact import redact_text

logger = logging.getLogger(__name__)
MEDIA_TYPE = "application/problem+json"


class Problem(Exception):
    """An expected failure with its HTTP status; raised anywhere in a request, answered by ``problem_response``."""

    def __init__(
        self,
        status: int,
        title: str,
        detail: str,
        *,
        headers: dict[str, str] | None = None,
        errors: list[dict[str, str]] | None = None,
    ) -> None:
        super().__init__(detail)
        self.status, self.title, self.detail = status, title, detail
        self.headers, self.errors = headers or {}, errors

    def body(self) -> dict[str, Any]:
        body: dict[str, Any] = {"type": "about:blank", "title": self.title, "status": self.status}
        body["detail"] = redact_text(self.detail)
        if self.errors:
            body["errors"] = self.errors
        return body

    def response(self) -> JSONResponse:
        return JSONResponse(self.body(), status_code=self.status, headers=self.headers, media_type=MEDIA_TYPE)


def invalid(field: str, problem: str) -> Problem:
    """422 naming the one field at fault."""
    return Problem(422, "Invalid request", f"{field}: {problem}", errors=[{"field": field, "problem": problem}])


def unauthorized(detail: str) -> Problem:
    return Problem(401, "Unauthorized", detail, headers={"WWW-Authenticate": "Bearer"})


def problem_for(exc: BaseException, *, log: bool = True) -> Problem:
    """The problem a failure in the service maps to; an unexpected one is logged here and shown as a bare 500."""
    if isinstance(exc, Problem):
        return exc
    if isinstance(exc, FieldError):
        return invalid(exc.field.replace(" ", "_"), exc.problem)
    if isinstance(exc, InvalidInputError):
        return Problem(422, "Invalid request", str(exc))
    if isinstance(exc, StoreUnavailableError):
        return Problem(503, "Store unavailable", str(exc), headers={"Retry-After": "5"})
    if isinstance(exc, ModelError):
        return Problem(502, "Model unavailable", str(exc))
    if isinstance(exc, ConciergeError) and not isinstance(exc, ConfigError):
        return Problem(400, "Request refused", str(exc))
    if log:
        logger.error("unexpected error answering a request: %s", redact_text(repr(exc)), exc_info=exc)
    return Problem(500, "Internal error", "the server failed to answer; the error is in its log")


def _field(location: tuple[Any, ...]) -> str:
    """``("body", "text")`` -> ``text``; ``("query", "top_k")`` -> ``top_k``; a whole bad body -> ``body``."""
    parts = [str(p) for p in location[1:]] or [str(location[0]) if location else "body"]
    return ".".join(parts)


def _validation_problem(errors: list[dict[str, Any]]) -> Problem:
    listed = []
    for error in errors[:10]:
        message = str(error.get("msg", "invalid")).removeprefix("Value error, ")
        if error.get("type") == "extra_forbidden":
            message = "is not a field of this request; remove it"
        elif error.get("type") == "json_invalid":
            message = "is not valid JSON; send a JSON object"
        field = "body" if error.get("type") == "json_invalid" else _field(tuple(error.get("loc", ())))
        listed.append({"field": field, "problem": redact_text(message.removeprefix(f"{field} "))})
    detail = "; ".join(f"{e['field']}: {e['problem']}" for e in listed)
    return Problem(422, "Invalid request", detail, errors=listed)


def install(app: FastAPI) -> None:
    """Answer every error of the app, FastAPI's own (404, 405, validation) included, as problem details."""

    async def on_problem(_request: Request, exc: Exception) -> JSONResponse:
        return problem_for(exc).response()

    async def on_validation(_request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, RequestValidationError)
        return _validation_problem(list(exc.errors())).response()

    async def on_http(_request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, HTTPException)
        titles = {404: "Not found", 405: "Method not allowed"}
        detail = "no such endpoint; see /docs" if exc.status_code == 404 else str(exc.detail)
        headers = dict(exc.headers or {})
        return Problem(exc.status_code, titles.get(exc.status_code, "Error"), detail, headers=headers).response()

    app.add_exception_handler(RequestValidationError, on_validation)
    app.add_exception_handler(HTTPException, on_http)
    app.add_exception_handler(Problem, on_problem)
    app.add_exception_handler(ConciergeError, on_problem)
    app.add_exception_handler(Exception, on_problem)  # the last resort: a bare 500, the details in the log
