"""What one API process holds: the service, the API's tables, and the threads that run the service's calls."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import TypeVar

from concierge.api.config import ApiSettings
from concierge.api.database import ApiDatabase
from concierge.api.idempotency import IdempotencyStore, Stored
from concierge.api.keys import ApiKey, KeyStore
from concierge.api.limits import RateLimiter
from concierge.api.problems import Problem
from concierge.scope import Scope
from concierge.service import ConciergeService
from concierge.settings import Settings

T = TypeVar("T")
_WAIT_BEYOND_TIMEOUT = 5.0  # a duplicate waits this much longer than a turn may take for the first answer


@dataclass
class ApiContext:
    settings: Settings
    api: ApiSettings
    service: ConciergeService
    db: ApiDatabase
    keys: KeyStore
    limiter: RateLimiter
    idempotency: IdempotencyStore
    executor: ThreadPoolExecutor  # turns and writes
    readers: ThreadPoolExecutor  # reads and exports: never queued behind a crew turn

    @classmethod
    def open(cls, settings: Settings, api: ApiSettings) -> ApiContext:
        db = ApiDatabase(settings)
        service = ConciergeService.from_settings(settings)
        executor = ThreadPoolExecutor(api.threads, thread_name_prefix="concierge-api")
        readers = ThreadPoolExecutor(api.threads, thread_name_prefix="concierge-api-read")
        limiter, idempotency = RateLimiter(db, api.rate_limit), IdempotencyStore(db)
        return cls(settings, api, service, db, KeyStore(db), limiter, idempotency, executor, readers)

    def warm_up(self) -> None:
        """Open the store and load the catalog index, the model and the gazetteer before the first request."""
        self.service.memory  # noqa: B018 - builds the memory layer and opens its pool
        self.service.crew_parts()
        self.service.places()

    def close(self) -> None:
        self.readers.shutdown(wait=True, cancel_futures=True)
        self.executor.shutdown(wait=True, cancel_futures=True)
        self.idempotency.close()
        self.service.close()
        self.db.close()

    @staticmethod
    def scope(key: ApiKey, user_id: str, session_id: str | None = None) -> Scope:
        """The key's org and project, the path's end user: nothing in a body can change them."""
        return Scope(key.org_id, key.project_id, user_id, session_id)

    async def call(self, work: Callable[[], T], *, read: bool = False) -> T:
        """``work()`` on the API's threads (a read on its own); past the turn timeout the caller gets 504 (the
        work still finishes, and an idempotent request stores its answer for the retry)."""
        future = asyncio.wrap_future((self.readers if read else self.executor).submit(work))
        timeout = self.api.turn_timeout_seconds
        try:
            return await asyncio.wait_for(asyncio.shield(future), timeout)
        except TimeoutError:
            raise Problem(
                504,
                "Timed out",
                f"the request took longer than {timeout:g} s (CONCIERGE_API_TURN_TIMEOUT_SECONDS); retry it "
                "with the same Idempotency-Key to get its answer once it is ready",
            ) from None

    def once(
        self, key: ApiKey, idempotency_key: str | None, request: str, scope: Scope, work: Callable[[], Stored]
    ) -> Stored:
        """``work()``, or with an Idempotency-Key the first answer of that request (done once, stored)."""
        if idempotency_key is None:
            return work()
        wait = self.api.turn_timeout_seconds + _WAIT_BEYOND_TIMEOUT
        return self.idempotency.run(key.key_id, idempotency_key, request, scope, work, wait)

    def forget(self, scope: Scope) -> int:
        """Erase the user (``ConciergeService.forget``) and the API's stored answers about them."""
        forgotten = self.service.forget(scope)
        self.idempotency.forget(scope)
        return forgotten
