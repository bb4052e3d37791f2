"""Store each fact once per (user, lifetime, text), also when threads or processes add it at the same moment.

mem0 dedupes in two steps: it searches the user's memories before its model call and, at insert
time, skips a fact whose text hash it saw in that search. Two writers that both search before
either inserts both store the fact. The storage boundary closes that window by inserting a row
only if no row with the same key (``user_id``, ``session``, ``hash``) is stored, checked and
written atomically for the store at hand:

- PostgreSQL: one transaction per batch holding a transaction-scoped advisory lock per key
  (taken in a fixed order, so two batches cannot deadlock), then ``INSERT ... WHERE NOT EXISTS``.
- Qdrant (no locks, no unique constraints): the point id is derived from the key, so writers that
  race past the look-up upsert the same point instead of adding a second one. In local mode the
  backend's process-wide lock serialises adds anyway.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Callable
from typing import Any, NamedTuple

FactKey = tuple[str, str, str]
_ID_NAMESPACE = uuid.UUID("5b0a8f6e-3c51-4bb8-9a53-0f0c7f9d2e41")


class Row(NamedTuple):
    id: str
    vector: list[float]
    payload: dict[str, Any]


InsertOnce = Callable[[Any, list[Row]], list[str | None]]
"""Write the rows whose key is not stored yet into mem0's vector store; per row, the id it was stored
under, or None where the fact was already stored."""


def listed_rows(listed: Any) -> list[Any]:
    """The rows of a mem0 vector store's ``list()`` answer (pgvector: ``[rows]``; Qdrant: ``(rows, offset)``)."""
    if listed and isinstance(listed[0], list):
        return listed[0]
    return list(listed or [])


def fact_key(payload: dict[str, Any]) -> FactKey:
    """(user, lifetime, text hash): a session copy and the long-term fact are different keys."""
    digest = payload.get("hash") or hashlib.md5(str(payload.get("data", "")).encode()).hexdigest()
    return str(payload["user_id"]), str(payload.get("session", "")), str(digest)


def _key_filters(key: FactKey) -> dict[str, str]:
    user_id, session, digest = key
    return {"user_id": user_id, "session": session, "hash": digest}


def _lock_id(table: str, key: FactKey) -> int:
    digest = hashlib.sha256("\x00".join((table, *key)).encode()).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


def insert_once_pg(inner: Any, rows: list[Row]) -> list[str | None]:
    """PostgreSQL + pgvector: advisory lock per key, look-up and insert in one transaction."""
    from psycopg import sql
    from psycopg.types.json import Jsonb

    table = sql.Identifier(inner.collection_name)
    # Its own statement after the lock, so its snapshot sees a row another writer committed meanwhile.
    insert = sql.SQL(
        "INSERT INTO {0} (id, vector, payload) SELECT %s, %s, %s WHERE NOT EXISTS (SELECT 1 FROM {0} "
        "WHERE payload->>'user_id' = %s AND payload->>'session' = %s AND payload->>'hash' = %s) RETURNING id"
    ).format(table)
    written: set[str] = set()
    with inner.connection_pool.connection() as conn, conn.transaction():
        for row in sorted(rows, key=lambda r: _lock_id(inner.collection_name, fact_key(r.payload))):
            key = fact_key(row.payload)
            conn.execute("SELECT pg_advisory_xact_lock(%s)", (_lock_id(inner.collection_name, key),))
            if conn.execute(insert, (row.id, row.vector, Jsonb(row.payload), *key)).fetchone() is not None:
                written.add(row.id)
    return [row.id if row.id in written else None for row in rows]


def insert_once_by_key(inner: Any, rows: list[Row]) -> list[str | None]:
    """Stores without transactions (Qdrant): look up the key, then upsert under an id derived from it."""
    stored_as: list[str | None] = []
    fresh: list[Row] = []
    for row in rows:
        key = fact_key(row.payload)
        found = listed_rows(inner.list(filters=_key_filters(key), top_k=1))
        point_id = None if found else str(uuid.uuid5(_ID_NAMESPACE, "\x00".join((inner.collection_name, *key))))
        stored_as.append(point_id)
        if point_id is not None:
            fresh.append(Row(point_id, row.vector, row.payload))
    if fresh:
        inner.insert(vectors=[r.vector for r in fresh], payloads=[r.payload for r in fresh], ids=[r.id for r in fresh])
    return stored_as
