"""The ``/v1`` endpoints: each one authenticates, builds the scope from the key and the path, and calls the
service. No business logic here: the turn, the memory rules and the erasure are the service's."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Callable
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Header, Query, Request
from fastapi.responses import JSONResponse
from fastapi.sse import EventSourceResponse, format_sse_event
from pydantic import BaseModel, ConfigDict, field_validator

from concierge.api.context import ApiContext
from concierge.api.idempotency import Stored, fingerprint
from concierge.api.keys import ApiKey
from concierge.api.problems import MEDIA_TYPE, Problem, invalid, problem_for, unauthorized
from concierge.errors import InvalidInputError
from concierge.memory.layer import validate_text
from concierge.scope import validate_id

router = APIRouter(prefix="/v1")
IdempotencyKey = Annotated[str | None, Header(alias="Idempotency-Key")]


def _context(request: Request) -> ApiContext:
    context: ApiContext = request.app.state.context
    return context


def authenticated(request: Request, authorization: Annotated[str | None, Header()] = None) -> ApiKey:
    """The caller's live key (401 otherwise), counted against its rate (429 past it)."""
    context = _context(request)
    if not authorization:
        raise unauthorized("no API key; send Authorization: Bearer <key> (create one: concierge api-key create)")
    key = context.keys.authenticate(authorization)
    if key is None:
        raise unauthorized("the API key is malformed, unknown or revoked; send a live key as Authorization: Bearer")
    context.limiter.check(key.key_id)
    return key


Caller = Annotated[ApiKey, Depends(authenticated)]


class MessageIn(BaseModel):
    """One chat turn; ``session_id`` continues a session's plan (the ``session_id`` of an earlier reply)."""

    model_config = ConfigDict(extra="forbid")
    text: str
    session_id: str | None = None

    @field_validator("text")
    @classmethod
    def _text(cls, value: str) -> str:
        return validate_text("text", value)

    @field_validator("session_id")
    @classmethod
    def _session(cls, value: str | None) -> str | None:
        return None if value is None else validate_id("session_id", value)


class MemoryIn(BaseModel):
    """A statement to remember: its facts are extracted as in a chat turn."""

    model_config = ConfigDict(extra="forbid")
    text: str

    @field_validator("text")
    @classmethod
    def _text(cls, value: str) -> str:
        return validate_text("text", value)


def _answer(stored: Stored) -> JSONResponse:
    media_type = MEDIA_TYPE if stored.status >= 400 else "application/json"
    return JSONResponse(stored.body, status_code=stored.status, media_type=media_type)


async def _request_id(request: Request) -> str:
    return fingerprint(request.method, request.url.path, await request.body())


@router.post("/users/{user_id}/messages", summary="One chat turn (JSON, or server-sent events)")
async def post_message(
    user_id: str, message: MessageIn, request: Request, key: Caller, idempotency_key: IdempotencyKey = None
) -> Any:
    context = _context(request)
    scope = context.scope(key, user_id, message.session_id)
    request_id = await _request_id(request)

    def turn(progress: Callable[[str], None] | None = None) -> Stored:
        reply = context.service.chat(scope, message.text, progress=progress)
        return Stored(200, {**reply.to_dict(), "session_id": reply.run_id})

    if "text/event-stream" in request.headers.get("accept", ""):
        run = lambda progress: context.once(key, idempotency_key, request_id, scope, lambda: turn(progress))  # noqa: E731
        return EventSourceResponse(_events(context, run))
    return _answer(await context.post(key, idempotency_key, request_id, scope, turn))


async def _events(context: ApiContext, run: Callable[[Callable[[str], None]], Stored]) -> AsyncIterator[str]:
    """``progress`` events while the turn runs, then one ``reply`` (or ``error``) event with the answer."""
    loop = asyncio.get_running_loop()
    stages: asyncio.Queue[str] = asyncio.Queue()
    report = lambda stage: loop.call_soon_threadsafe(stages.put_nowait, stage)  # noqa: E731 - from the turn's thread
    future = asyncio.wrap_future(context.posts.submit(run, report))  # the turn itself: on the turn threads
    deadline = loop.time() + context.api.turn_timeout_seconds
    while not future.done():
        getter = asyncio.ensure_future(stages.get())
        done, _ = await asyncio.wait({getter, future}, timeout=deadline - loop.time(), return_when="FIRST_COMPLETED")
        if getter in done:
            yield format_sse_event(event="progress", data_str=json.dumps({"stage": getter.result()}))
        else:
            getter.cancel()
        if not done:
            problem = Problem(504, "Timed out", "the turn took longer than CONCIERGE_API_TURN_TIMEOUT_SECONDS")
            yield format_sse_event(event="error", data_str=json.dumps(problem.body()))
            return
    while not stages.empty():
        yield format_sse_event(event="progress", data_str=json.dumps({"stage": stages.get_nowait()}))
    try:
        stored = future.result()
    except Exception as exc:
        problem = problem_for(exc)
        stored = Stored(problem.status, problem.body())
    event = "reply" if stored.status < 400 else "error"
    yield format_sse_event(event=event, data_str=json.dumps(stored.body, ensure_ascii=False))


def _checked(field: str, check: Callable[[], Any]) -> Any:
    """A service-side check whose error names the request's own field."""
    try:
        return check()
    except InvalidInputError as exc:
        raise invalid(field, str(exc)) from None


@router.get("/users/{user_id}/memories", summary="The user's memories, or the closest to a query")
async def get_memories(
    user_id: str,
    request: Request,
    key: Caller,
    query: str | None = None,
    category: str | None = None,
    all_versions: bool = False,
    top_k: Annotated[int, Query(ge=1, le=100)] = 5,
) -> dict[str, Any]:
    context = _context(request)
    scope = context.scope(key, user_id)
    known = {c.name for c in context.settings.policy.categories}
    if category is not None and category not in known:
        raise invalid("category", f"unknown category {category!r}; known: {', '.join(sorted(known))}")
    if query is not None:
        text = _checked("query", lambda: validate_text("query", query))
        records = await context.call(lambda: context.service.recall(scope, text, top_k=top_k, category=category))
    else:
        records = await context.call(lambda: context.service.memories(scope, latest_only=not all_versions))
        records = [r for r in records if category is None or category in r.categories]
    return {"memories": [r.to_dict() for r in records]}


@router.post("/users/{user_id}/memories", status_code=201, summary="Remember what a statement says")
async def post_memory(
    user_id: str, memory: MemoryIn, request: Request, key: Caller, idempotency_key: IdempotencyKey = None
) -> JSONResponse:
    context = _context(request)
    scope = context.scope(key, user_id)
    request_id = await _request_id(request)

    def remember() -> Stored:
        added = context.service.remember(scope, memory.text)
        body = {"stored": [r.to_dict() for r in added.stored], "dropped": [d._asdict() for d in added.dropped]}
        return Stored(201, body)

    return _answer(await context.post(key, idempotency_key, request_id, scope, remember))


@router.delete("/users/{user_id}/memories/{memory_id}", summary="Delete one memory (what it replaced is current)")
async def delete_memory(user_id: str, memory_id: str, request: Request, key: Caller) -> dict[str, Any]:
    from concierge.memory.layer import check_memory_id

    context = _context(request)
    scope = context.scope(key, user_id)
    canonical = _checked("memory_id", lambda: check_memory_id(memory_id, "GET /v1/users/{user_id}/memories"))
    done = await context.call(lambda: context.service.retract_memory(scope, canonical))
    if done.deleted is None:
        raise Problem(404, "Not found", f"user {scope.user_id!r} has no memory {canonical} under this key's project")
    return {"deleted": True, "restored": done.to_dict()["restored"]}


@router.get("/users/{user_id}/export", summary="Everything stored about the user, as JSON")
async def export(user_id: str, request: Request, key: Caller, all_versions: bool = False) -> dict[str, Any]:
    context = _context(request)
    scope = context.scope(key, user_id)
    return await context.call(lambda: context.service.export(scope, latest_only=not all_versions))


@router.delete("/users/{user_id}", summary="Erase the user from every store (as `memory forget`), stored answers too")
async def forget(user_id: str, request: Request, key: Caller) -> dict[str, int]:
    context = _context(request)
    scope = context.scope(key, user_id)
    return {"forgotten": await context.call(lambda: context.forget(scope))}
