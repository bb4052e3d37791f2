"""The FastAPI app: one ``ApiContext`` per process, opened (and warmed up) before the first request."""

from __future__ import annotations

import contextlib
import logging
import sys
from collections.abc import AsyncIterator
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from concierge.api import problems
from concierge.api.config import MAX_BODY_BYTES, ApiSettings, load_api_settings
from concierge.api.context import ApiContext
from concierge.api.limits import BodyLimit
from concierge.api.routes import router
from concierge.settings import Settings, load_settings

logger = logging.getLogger(__name__)
# While a turn thread runs Python, a thread back from the database (a read, the event loop) waits for the
# interpreter up to this long per hand-off; a read makes several. Python's default is 5 ms: with two turns
# running, a read that takes 3 ms alone took ~100 ms at the median on this machine, ~40-60 ms at 1 ms.
SWITCH_INTERVAL_SECONDS = 0.001


def create_app(settings: Settings | None = None, api: ApiSettings | None = None) -> FastAPI:
    """The app ``concierge serve`` runs (uvicorn's factory); tests pass their own settings."""

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        import asyncio

        from concierge.runtime_env import prepare_environment

        prepare_environment()
        context = ApiContext.open(settings or load_settings(), api or load_api_settings())
        previous = sys.getswitchinterval()
        sys.setswitchinterval(SWITCH_INTERVAL_SECONDS)
        try:
            await asyncio.get_running_loop().run_in_executor(context.turns, context.warm_up)
            app.state.context = context
            yield
        finally:
            sys.setswitchinterval(previous)
            await asyncio.get_running_loop().run_in_executor(None, context.close)

    app = FastAPI(
        title="Concierge API",
        version="1",
        summary="A travel and dining concierge with per-user memory; every /v1 call needs an API key.",
        lifespan=lifespan,
    )
    problems.install(app)
    app.add_middleware(BodyLimit, limit=MAX_BODY_BYTES)
    app.include_router(router)

    @app.get("/healthz", summary="The process is up (no key needed)")
    async def healthz() -> dict[str, str]:
        return {"status": "ok"}

    @app.get("/readyz", summary="The store answers (no key needed)")
    async def readyz(request: Request) -> Any:
        context: ApiContext = request.app.state.context
        try:
            await context.call(lambda: context.db.run(lambda conn: conn.execute("SELECT 1")))
        except Exception as exc:
            problem = problems.problem_for(exc)
            return problems.Problem(503, "Not ready", problem.detail).response()
        return JSONResponse({"status": "ready"})

    return app
