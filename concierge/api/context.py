"""What one API process holds: the service, the API's tables, and the threads that run the service's calls."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
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
WARM_UP_ORG, WARM_UP_PROJECT = "concierge-warm-up", "warm-up"  # the throw-away user of ``warm_up`` lives here


@dataclass
class ApiContext:
    settings: Settings
    api: ApiSettings
    service: ConciergeService
    db: ApiDatabase
    keys: KeyStore
    limiter: RateLimiter
    idempotency: IdempotencyStore
    executor: ThreadPoolExecutor  # reads, exports, deletes: never queued behind a turn or a POST waiting for one
    posts: ThreadPoolExecutor  # a POST's Idempotency-Key bookkeeping and its wait for a turn thread
    turns: ThreadPoolExecutor  # chat turns and statements (CPU work): ``api.turn_threads`` at a time

    @classmethod
    def open(cls, settings: Settings, api: ApiSettings) -> ApiContext:
        db = ApiDatabase(settings)
        service = ConciergeService.from_settings(settings)
        executor = ThreadPoolExecutor(api.threads, thread_name_prefix="concierge-api")
        posts = ThreadPoolExecutor(api.threads, thread_name_prefix="concierge-api-post")
        turns = ThreadPoolExecutor(api.turn_threads, thread_name_prefix="concierge-api-turn")
        limiter, idempotency = RateLimiter(db, api.rate_limit), IdempotencyStore(db)
        return cls(settings, api, service, db, KeyStore(db), limiter, idempotency, executor, posts, turns)

    def warm_up(self) -> None:
        """Pay every first-use cost before ``/readyz`` says ready: open the store, load the catalog index, the
        models and the gazetteer, then (with the offline model: a remote one is not called at start) run one
        statement and one chat turn for a throw-away user of a reserved scope and erase that user. Otherwise the
        first requests of each process wait seconds (the extraction's word lists and categories, the kinds of
        turn, the crew's classes load on first use)."""
        self.service.memory  # noqa: B018 - builds the memory layer and opens its pool
        self.service.crew_parts()
        self.service.places()
        if self.settings.llm != "offline":
            return
        scope = Scope(WARM_UP_ORG, WARM_UP_PROJECT, f"warm-up-{uuid.uuid4().hex[:12]}")
        try:
            self.service.remember(scope, "I live in Lisbon and I am allergic to peanuts")
            self.service.chat(scope, "Plan a dinner for me in Lisbon tomorrow for two")
        finally:
            self.service.forget(scope)

    def close(self) -> None:
        for pool in (self.executor, self.posts, self.turns):  # a POST thread may wait on a turn: turns last
            pool.shutdown(wait=True, cancel_futures=True)
        self.idempotency.close()
        self.service.close()
        self.db.close()

    @staticmethod
    def scope(key: ApiKey, user_id: str, session_id: str | None = None) -> Scope:
        """The key's org and project, the path's end user: nothing in a body can change them."""
        return Scope(key.org_id, key.project_id, user_id, session_id)

    async def call(self, work: Callable[[], T]) -> T:
        """A read, export or delete: ``work()`` on the request threads."""
        return await self._answer(self.executor.submit(work))

    async def post(
        self, key: ApiKey, idempotency_key: str | None, request: str, scope: Scope, work: Callable[[], Stored]
    ) -> Stored:
        """A POST: ``once(...)`` on the POST threads (its work on the turn threads)."""
        return await self._answer(self.posts.submit(self.once, key, idempotency_key, request, scope, work))

    async def _answer(self, submitted: Future[T]) -> T:
        """The result; past the turn timeout the caller gets 504 (the work still finishes, and an idempotent
        request stores its answer for the retry)."""
        future = asyncio.wrap_future(submitted)
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

    def on_turn_threads(self, work: Callable[[], T]) -> Callable[[], T]:
        """``work`` to run on the turn threads (queued while they are busy); the calling thread waits for it."""
        return lambda: self.turns.submit(work).result()

    def once(
        self, key: ApiKey, idempotency_key: str | None, request: str, scope: Scope, work: Callable[[], Stored]
    ) -> Stored:
        """``work()`` on the turn threads, or with an Idempotency-Key the first answer of that request (done once,
        stored). Claiming and waiting for another request's answer stay on the calling thread: they hold no turn
        thread."""
        work = self.on_turn_threads(work)
        if idempotency_key is None:
            return work()
        wait = self.api.turn_timeout_seconds + _WAIT_BEYOND_TIMEOUT
        return self.idempotency.run(key.key_id, idempotency_key, request, scope, work, wait)

    def forget(self, scope: Scope) -> int:
        """Erase the user (``ConciergeService.forget``) and the API's stored answers about them."""
        forgotten = self.service.forget(scope)
        self.idempotency.forget(scope)
        return forgotten
