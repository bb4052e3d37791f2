"""``Idempotency-Key`` on the POSTs: a retried request gets the first request's answer, and its work is done once.

Each record is claimed by one request (an insert that wins the primary key); a duplicate, concurrent or
later, in any process, waits for the claimant's answer and returns it. A claimant whose process died
(SIGKILL, a lost machine) holds nothing any more: every process keeps a session advisory lock on its own
token on a dedicated connection, which PostgreSQL releases when that process's connection ends, so a waiter
that can take the lock knows the claimant is gone and takes the request over.

A stored answer is a copy of the user's data (a reply names their memories): it is kept ``KEEP_HOURS`` and
erased with the user (``forget``).
"""

from __future__ import annotations

import hashlib
import logging
import threading
import time
import uuid
from collections.abc import Callable
from typing import Any, NamedTuple

from concierge.api.database import ApiDatabase
from concierge.api.problems import Problem, problem_for
from concierge.scope import Scope

logger = logging.getLogger(__name__)
MAX_KEY_LENGTH = 200
KEEP_HOURS = 24  # records older than this are pruned: a retry a day later is a new request
_LIVENESS_CHECK_SECONDS = 5.0
_PRUNE_EVERY_SECONDS = 600.0


class Stored(NamedTuple):
    status: int
    body: Any


def fingerprint(method: str, path: str, body: bytes) -> str:
    """What makes two requests "the same": method, path (the end user) and body bytes."""
    return hashlib.sha256(b"\x00".join((method.encode(), path.encode(), body))).hexdigest()


def _lock_id(token: str) -> int:
    return int.from_bytes(hashlib.sha256(token.encode()).digest()[:8], "big", signed=True)


class IdempotencyStore:
    def __init__(self, db: ApiDatabase) -> None:
        self._db = db
        self._process = uuid.uuid4().hex
        self._lock = threading.Lock()
        self._liveness: Any = None
        self._checked = 0.0
        self._pruned = 0.0

    def close(self) -> None:
        with self._lock:
            if self._liveness is not None:
                self._liveness.close()
                self._liveness = None

    def _stay_alive(self) -> None:
        """Hold this process's liveness lock; re-take it if the server ended that connection."""
        with self._lock:
            now = time.monotonic()
            if self._liveness is not None and now - self._checked < _LIVENESS_CHECK_SECONDS:
                return
            self._checked = now
            try:
                if self._liveness is not None:
                    self._liveness.execute("SELECT 1")
                    return
            except Exception:
                logger.warning("the idempotency liveness connection was lost; taking the lock again")
                self._liveness = None
            conn = self._db.dedicated_connection()
            conn.execute("SELECT pg_advisory_lock(%s)", (_lock_id(self._process),))
            self._liveness = conn

    def run(
        self, key_id: str, idempotency_key: str, request: str, scope: Scope, work: Callable[[], Stored], wait: float
    ) -> Stored:
        """The stored answer of this (key, Idempotency-Key), or ``work()``'s, done once and stored as ``scope``'s."""
        if not idempotency_key.isascii() or not 1 <= len(idempotency_key) <= MAX_KEY_LENGTH:
            raise Problem(
                422,
                "Invalid request",
                f"Idempotency-Key must be 1 to {MAX_KEY_LENGTH} ASCII characters (a UUID is a good choice)",
                errors=[{"field": "Idempotency-Key", "problem": "1 to 200 ASCII characters"}],
            )
        self._stay_alive()
        self._prune_if_due()
        owner = f"{self._process}/{uuid.uuid4().hex}"
        stored = self._claim_or_wait(key_id, idempotency_key, request, scope, owner, time.monotonic() + wait)
        if stored is not None:
            return stored
        try:
            result = work()
        except Exception as exc:
            problem = problem_for(exc, log=False)  # logged once, by the handler that answers it
            if problem.status < 500:  # a refusal is the answer: the same request is refused the same way
                self._finish(key_id, idempotency_key, owner, Stored(problem.status, problem.body()))
            else:  # a failure may pass: a retry does the work again
                self._release(key_id, idempotency_key, owner)
            raise
        self._finish(key_id, idempotency_key, owner, result)
        return result

    def _claim_or_wait(
        self, key_id: str, key: str, request: str, scope: Scope, owner: str, deadline: float
    ) -> Stored | None:
        """None once ``owner`` holds the record; the first answer when another request already gave it."""
        delay = 0.02
        while True:
            row = self._db.run(lambda conn: self._claim(conn, key_id, key, request, scope, owner))
            if row is None:
                return None
            theirs, their_owner, status, body = row
            if theirs != request:
                raise Problem(
                    422,
                    "Idempotency-Key reused",
                    "this Idempotency-Key was sent with a different request; use a new key for a new request",
                    errors=[{"field": "Idempotency-Key", "problem": "already used for a different request"}],
                )
            if status is not None:
                return Stored(int(status), body)
            if self._gone(their_owner) and self._take_over(key_id, key, their_owner, owner):
                return None
            if time.monotonic() > deadline:
                raise Problem(
                    409,
                    "Request in progress",
                    "a request with this Idempotency-Key is still being answered; retry in a moment",
                    headers={"Retry-After": "1"},
                )
            time.sleep(delay)
            delay = min(delay * 2, 0.25)

    @staticmethod
    def _claim(conn: Any, key_id: str, key: str, request: str, scope: Scope, owner: str) -> tuple[Any, ...] | None:
        insert = (
            "INSERT INTO concierge_api_idempotency (key_id, idempotency_key, fingerprint, org_id, project_id, "
            "user_id, owner) VALUES (%s, %s, %s, %s, %s, %s, %s) ON CONFLICT DO NOTHING RETURNING owner"
        )
        values = (key_id, key, request, scope.org_id, scope.project_id, scope.user_id, owner)
        if conn.execute(insert, values).fetchone() is not None:
            return None
        select = (
            "SELECT fingerprint, owner, status, body FROM concierge_api_idempotency "
            "WHERE key_id = %s AND idempotency_key = %s"
        )
        row = conn.execute(select, (key_id, key)).fetchone()
        if row is None or (row[1] == owner and row[2] is None):  # pruned meanwhile, or our own insert retried
            return IdempotencyStore._claim(conn, key_id, key, request, scope, owner) if row is None else None
        return tuple(row)

    def _gone(self, owner: str) -> bool:
        """The claimant's process holds no liveness lock any more (it died, or lost its connection)."""
        process = owner.partition("/")[0]
        if process == self._process:
            return False
        lock = _lock_id(process)
        probe = "SELECT CASE WHEN pg_try_advisory_lock(%s) THEN pg_advisory_unlock(%s) ELSE false END"
        return bool(self._db.run(lambda conn: conn.execute(probe, (lock, lock)).fetchone()[0]))

    def _take_over(self, key_id: str, key: str, was: str, owner: str) -> bool:
        update = (
            "UPDATE concierge_api_idempotency SET owner = %s WHERE key_id = %s AND idempotency_key = %s "
            "AND owner = %s AND status IS NULL"
        )
        taken = self._db.run(lambda conn: conn.execute(update, (owner, key_id, key, was)).rowcount) == 1
        if taken:
            logger.warning("took over an idempotent request whose process is gone")
        return taken

    def _finish(self, key_id: str, key: str, owner: str, result: Stored) -> None:
        from psycopg.types.json import Jsonb

        update = (
            "UPDATE concierge_api_idempotency SET status = %s, body = %s WHERE key_id = %s "
            "AND idempotency_key = %s AND owner = %s"
        )
        self._db.run(lambda conn: conn.execute(update, (result.status, Jsonb(result.body), key_id, key, owner)))

    def _release(self, key_id: str, key: str, owner: str) -> None:
        delete = (
            "DELETE FROM concierge_api_idempotency WHERE key_id = %s AND idempotency_key = %s AND owner = %s "
            "AND status IS NULL"
        )
        self._db.run(lambda conn: conn.execute(delete, (key_id, key, owner)))

    def forget(self, scope: Scope) -> int:
        """Erase the stored answers of one user in one project (whichever key made them)."""
        delete = "DELETE FROM concierge_api_idempotency WHERE org_id = %s AND project_id = %s AND user_id = %s"
        return int(
            self._db.run(lambda conn: conn.execute(delete, (scope.org_id, scope.project_id, scope.user_id)).rowcount)
        )

    def _prune_if_due(self) -> None:
        now = time.monotonic()
        if self._pruned and now - self._pruned < _PRUNE_EVERY_SECONDS:
            return
        self._pruned = now
        delete = f"DELETE FROM concierge_api_idempotency WHERE created_at < now() - interval '{KEEP_HOURS} hours'"
        self._db.run(lambda conn: conn.execute(delete))
