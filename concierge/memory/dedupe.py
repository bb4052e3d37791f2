"""Store each fact once per (user, lifetime, text), also when threads or processes add it at the same moment.

mem0 dedupes in two steps: it searches the user's memories before its model call and, at insert
time, skips a fact whose text hash it saw in that search. Two writers that both search before
either inserts both store the fact. The storage boundary closes that window by inserting a row
only if no row with the same key (``user_id``, ``session``, ``hash``) is stored, checked and
written atomically for the store at hand:

- PostgreSQL (``backends.pgvector.insert_once_pg``): one transaction per batch holding a
  transaction-scoped advisory lock per key (taken in a fixed order, so two batches cannot deadlock),
  then ``INSERT ... WHERE NOT EXISTS``.
- Qdrant (``backends.qdrant.insert_once_by_key``; no locks, no unique constraints): the point id is
  derived from the key, so writers that race past the look-up upsert the same point instead of adding
  a second one. In local mode the backend's process-wide lock serialises adds anyway.

Only current versions count: a superseded row with the same text does not block a fact said again.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from typing import Any, NamedTuple

FactKey = tuple[str, str, str]


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


def text_hash(text: str) -> str:
    """mem0's hash of a fact's text (its ``hash`` payload key)."""
    return hashlib.md5(text.encode()).hexdigest()


def already_stored(texts: Sequence[str], shown: Sequence[Any]) -> list[str]:
    """The facts mem0 skips without a word because a row it looked up has the same text hash (its dedupe rule)."""
    hashes = {(getattr(row, "payload", None) or {}).get("hash") for row in shown}
    return [text for text in dict.fromkeys(texts) if text_hash(text) in hashes]


def fact_key(payload: dict[str, Any]) -> FactKey:
    """(user, lifetime, text hash): a session copy and the long-term fact are different keys."""
    digest = payload.get("hash") or text_hash(str(payload.get("data", "")))
    return str(payload["user_id"]), str(payload.get("session", "")), str(digest)


def key_filters(key: FactKey) -> dict[str, str]:
    """The store filters that find the rows of one (user, lifetime, text) key."""
    user_id, session, digest = key
    return {"user_id": user_id, "session": session, "hash": digest}
