"""The limits a public endpoint needs: a body size cap (413) and a per-key request rate (429).

The rate is counted in PostgreSQL (one upsert per request, fixed one-second windows), so a key gets the
same allowance however many processes serve it.
"""

from __future__ import annotations

import json
import math
import time
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from concierge.api.database import ApiDatabase
from concierge.api.problems import MEDIA_TYPE, Problem

WINDOW_SECONDS = 1


class BodyLimit:
    """Refuse a request body over ``limit`` bytes with 413: by its Content-Length, or, for a chunked body, once
    more than the limit has streamed in (never more than the limit is held in memory)."""

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app, self.limit = app, limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers") or []).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.limit:
            await self._refuse(send)
            return
        if declared is None and scope.get("method") not in ("GET", "HEAD", "DELETE", "OPTIONS"):
            body = await self._read_capped(receive)  # a chunked body: read here, at most the limit
            if body is None:
                await self._refuse(send)
                return
            receive = self._replay(body, receive)
        await self.app(scope, receive, send)

    async def _read_capped(self, receive: Receive) -> bytes | None:
        chunks: list[bytes] = []
        seen, more = 0, True
        while more:
            message = await receive()
            if message["type"] != "http.request":
                break
            chunk = message.get("body", b"")
            seen += len(chunk)
            if seen > self.limit:
                return None
            chunks.append(chunk)
            more = message.get("more_body", False)
        return b"".join(chunks)

    @staticmethod
    def _replay(body: bytes, receive: Receive) -> Receive:
        sent = False

        async def replay() -> Message:
            nonlocal sent
            if sent:
                return await receive()  # a disconnect, as the app would have seen it
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}

        return replay

    async def _refuse(self, send: Send) -> None:
        problem = Problem(413, "Request too large", f"the request body is over {self.limit:,} bytes; send less")
        body = json.dumps(problem.body()).encode()
        headers = [(b"content-type", MEDIA_TYPE.encode()), (b"content-length", str(len(body)).encode())]
        await send({"type": "http.response.start", "status": 413, "headers": headers})
        await send({"type": "http.response.body", "body": body})


class RateLimiter:
    """At most ``per_second`` requests per key in each one-second window, across every process."""

    _HIT = (
        "INSERT INTO concierge_api_rate (key_id, window_start, hits) VALUES (%s, %s, 1) "
        "ON CONFLICT (key_id, window_start) DO UPDATE SET hits = concierge_api_rate.hits + 1 RETURNING hits"
    )
    _PRUNE = "DELETE FROM concierge_api_rate WHERE key_id = %s AND window_start < %s"

    def __init__(self, db: ApiDatabase, per_second: int) -> None:
        self._db, self.per_second = db, per_second

    def check(self, key_id: str) -> None:
        """Count one request of the key, or raise 429 with ``Retry-After`` (the seconds to the next window)."""
        now = time.time()
        window = math.floor(now / WINDOW_SECONDS) * WINDOW_SECONDS

        def hit(conn: Any) -> int:
            # A count lost in a server crash costs nothing, so its commit does not wait for the disk: a flush per
            # request would hold the key's counter row locked meanwhile, queueing every request of the key.
            with conn.pipeline(), conn.transaction():
                conn.execute("SET LOCAL synchronous_commit TO off")
                hits = int(conn.execute(self._HIT, (key_id, window)).fetchone()[0])
                if hits == 1:  # the first request of a window clears the key's older windows
                    conn.execute(self._PRUNE, (key_id, window))
            return hits

        if self._db.run(hit) > self.per_second:
            retry = max(1, math.ceil(window + WINDOW_SECONDS - now))
            raise Problem(
                429,
                "Too many requests",
                f"this key may make {self.per_second} requests per second; retry after {retry} s",
                headers={"Retry-After": str(retry)},
            )
