"""A wrapper around mem0's vector store: the storage boundary where isolation and category policy are enforced.

Every read must carry a user_id filter (fail closed) and only rows of that user come back; every
write must carry the project the store was built for. Categories are assigned from the vector mem0
already computed, and facts in an excluded category are never written. Searches never return an
expired session memory, and while a fact is being added, mem0's look-up of "existing memories"
(which it sends to the model and dedupes against) sees only the lifetime being written: a
session-only copy never suppresses the long-term fact. Each fact is written once per
(user, lifetime, text), also under concurrent writers (see ``dedupe``).
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from concierge.errors import InvalidInputError
from concierge.memory.categories import CategoryClassifier
from concierge.memory.dedupe import InsertOnce, Row, listed_rows
from concierge.memory.records import ALREADY_REMEMBERED, is_expired
from concierge.memory.versions import StoreOps, shown_to_model, versions_visible

logger = logging.getLogger(__name__)

UNCATEGORIZED = "uncategorized"
LONG_TERM = "-"  # value of the ``session`` payload key for memories that outlive their chat session


@dataclass(frozen=True, slots=True)
class InsertDecision:
    memory_id: str
    text: str
    categories: tuple[str, ...]
    dropped_reason: str | None
    created_at: str | None


_decisions: ContextVar[list[InsertDecision] | None] = ContextVar("concierge_insert_decisions", default=None)
_writing_lifetime: ContextVar[str | None] = ContextVar("concierge_writing_lifetime", default=None)


def _row_expired(row: Any, now: datetime) -> bool:
    return is_expired((getattr(row, "payload", None) or {}).get("expires_at"), now)


@contextmanager
def writing_lifetime(session: str) -> Iterator[None]:
    """Inside the block (an add), mem0's existing-memory look-ups see only rows of this ``session`` value."""
    token = _writing_lifetime.set(session)
    try:
        yield
    finally:
        _writing_lifetime.reset(token)


@contextmanager
def capture_insert_decisions() -> Iterator[list[InsertDecision]]:
    """Collect what the boundary decided for each fact written inside the block (per thread/task)."""
    collected: list[InsertDecision] = []
    token = _decisions.set(collected)
    try:
        yield collected
    finally:
        _decisions.reset(token)


def record_dropped(text: str, reason: str) -> None:
    """Report a statement dropped before it reached the store (by the offline extraction) to the running add."""
    log = _decisions.get()
    if log is not None and not any(d.text == text and d.dropped_reason == reason for d in log):
        log.append(InsertDecision("", text, (), reason, None))


class GuardedVectorStore:
    """Delegates to mem0's store; refuses unscoped reads, foreign rows and excluded facts.

    Delegation is explicit: only the methods defined here reach the inner store (what mem0 2.2.1's
    ``Memory`` calls: insert, search, keyword_search, list, get, update, delete, delete_col, and
    ``client`` for Qdrant's entity store). Any other attribute fails closed with a clear error, so a
    new mem0 call path cannot bypass the boundary unnoticed. Superseded versions are left out of
    every read unless the caller asked for history (``versions_visible``).
    """

    def __init__(
        self,
        inner: Any,
        *,
        org_id: str,
        project_id: str,
        classifier: CategoryClassifier,
        insert_once: InsertOnce | None = None,
        ops: StoreOps | None = None,
    ) -> None:
        self._inner = inner
        self._org_id = org_id
        self._project_id = project_id
        self._classifier = classifier
        self._ops = ops
        self._insert_once = insert_once or (ops.insert_once if ops else None)

    def __getattr__(self, name: str) -> Any:
        raise AttributeError(
            f"the guarded memory store does not offer {name!r}: add it to GuardedVectorStore with its scope "
            "check before mem0 may call it"
        )

    @property
    def client(self) -> Any:
        """Qdrant's client, which mem0 shares with its entity store (one local client per folder)."""
        return self._inner.client

    @property
    def collection_name(self) -> str:
        return str(self._inner.collection_name)

    # -- writes ---------------------------------------------------------------------------------
    def insert(
        self, vectors: list[list[float]], payloads: list[dict[str, Any]] | None = None, ids: list[str] | None = None
    ) -> None:
        payloads = payloads or [{} for _ in vectors]
        ids = ids or []
        decided: list[InsertDecision | Row] = []  # in input order: policy drops, and rows to write
        for vector, payload, memory_id in zip(vectors, payloads, ids, strict=True):
            if (
                not payload.get("user_id")
                or payload.get("project_id") != self._project_id
                or payload.get("org_id") != self._org_id
            ):
                raise InvalidInputError(
                    "refusing to write a memory without this store's user_id/org_id/project_id scope"
                )
            if payload.get("kind"):  # session state and the like: not a fact, so no category policy applies
                decided.append(Row(memory_id, vector, {**payload, "categories": [], "category": UNCATEGORIZED}))
                continue
            verdict = self._classifier.classify_vector(vector, str(payload.get("data", "")))
            if not verdict.keep:
                logger.info("not storing a fact excluded by policy (%s)", verdict.excluded)
                text = str(payload.get("data", ""))
                decided.append(InsertDecision(memory_id, text, verdict.categories, verdict.excluded, None))
                continue
            payload = {
                **payload,
                "categories": list(verdict.categories),
                "category": verdict.categories[0] if verdict.categories else UNCATEGORIZED,
            }
            decided.append(Row(memory_id, vector, payload))
        kept = [d for d in decided if isinstance(d, Row)]
        stored_as = dict(zip((r.id for r in kept), self._write(kept), strict=True))
        log = _decisions.get()
        for item in decided if log is not None else ():
            if isinstance(item, InsertDecision):
                log.append(item)
            else:  # stored_as None: the same fact was already stored (see ``dedupe``)
                text, created_at = str(item.payload.get("data", "")), item.payload.get("created_at")
                memory_id, why = stored_as[item.id], None if stored_as[item.id] is not None else ALREADY_REMEMBERED
                log.append(InsertDecision(memory_id or "", text, tuple(item.payload["categories"]), why, created_at))

    def _write(self, rows: list[Row]) -> list[str | None]:
        if not rows:
            return []
        if self._insert_once is not None:
            return self._insert_once(self._inner, rows)
        self._inner.insert(
            vectors=[r.vector for r in rows], payloads=[r.payload for r in rows], ids=[r.id for r in rows]
        )
        return [r.id for r in rows]

    # -- reads ----------------------------------------------------------------------------------
    def _require_user(self, filters: dict[str, Any] | None) -> str:
        user_id = (filters or {}).get("user_id")
        if not isinstance(user_id, str) or not user_id:
            raise InvalidInputError("refusing an unscoped read: every query must filter on user_id")
        return user_id

    def _own_rows(self, rows: Any, user_id: str) -> list[Any]:
        mine = []
        for row in rows or []:
            payload = getattr(row, "payload", None) or {}
            if payload.get("user_id") == user_id and payload.get("project_id", self._project_id) == self._project_id:
                mine.append(row)
            else:
                logger.error("storage returned a row outside the requested scope; dropped it")
        return mine

    def _read_filters(self, filters: dict[str, Any] | None) -> dict[str, Any]:
        """The caller's filters, without superseded versions unless history was asked for."""
        filters = dict(filters or {})
        if self._ops is not None and not versions_visible():
            filters = self._ops.current_only(filters)
        return filters

    def _search_filters(self, filters: dict[str, Any] | None) -> dict[str, Any]:
        """During an add, mem0's look-up (filters without ``session``) is narrowed to the lifetime written."""
        filters = self._read_filters(filters)
        lifetime = _writing_lifetime.get()
        if lifetime is not None and "session" not in filters:
            filters["session"] = lifetime
        return filters

    @staticmethod
    def _live(rows: list[Any]) -> list[Any]:
        now = datetime.now(UTC)
        return [r for r in rows if not _row_expired(r, now)]

    def search(
        self, query: str, vectors: list[float], top_k: int = 5, filters: dict[str, Any] | None = None
    ) -> list[Any]:
        user_id = self._require_user(filters)
        rows = self._inner.search(query=query, vectors=vectors, top_k=top_k, filters=self._search_filters(filters))
        mine = self._live(self._own_rows(rows, user_id))
        shown_to_model(mine)  # during an add, these are the existing memories mem0 numbers for its model
        return mine

    def keyword_search(self, query: str, top_k: int = 5, filters: dict[str, Any] | None = None) -> list[Any] | None:
        user_id = self._require_user(filters)
        rows = self._inner.keyword_search(query=query, top_k=top_k, filters=self._search_filters(filters))
        return None if rows is None else self._live(self._own_rows(rows, user_id))

    def list(self, filters: dict[str, Any] | None = None, top_k: int | None = 100) -> list[list[Any]]:
        user_id = self._require_user(filters)
        rows = listed_rows(self._inner.list(filters=self._read_filters(filters), top_k=top_k))
        return [self._own_rows(rows, user_id)]

    # -- by id ----------------------------------------------------------------------------------
    def _in_project(self, row: Any) -> bool:
        payload = getattr(row, "payload", None) or {}
        return payload.get("project_id", self._project_id) == self._project_id

    def get(self, vector_id: str) -> Any:
        """One row by id, only if it belongs to this store's project (the caller checks the user)."""
        row = self._inner.get(vector_id=vector_id)
        return row if row is not None and self._in_project(row) else None

    def update(self, vector_id: str, vector: list[float] | None = None, payload: dict[str, Any] | None = None) -> None:
        """mem0's update, only for a row of this project, and never moving it to another user or project."""
        row = self.get(vector_id)
        old = getattr(row, "payload", None) or {}
        if row is None or (
            payload is not None
            and (
                payload.get("user_id", old.get("user_id")) != old.get("user_id")
                or payload.get("project_id", self._project_id) != self._project_id
            )
        ):
            raise InvalidInputError("refusing to update a memory outside this store's scope")
        self._inner.update(vector_id=vector_id, vector=vector, payload=payload)

    def merge_payload(self, vector_id: str, user_id: str, fields: dict[str, Any]) -> bool:
        """Add ``fields`` to one row of ``user_id`` in this project; False if it is not theirs (or is gone)."""
        if self._ops is None:
            raise InvalidInputError("this store keeps no versions")
        row = self.get(vector_id)
        if row is None or (getattr(row, "payload", None) or {}).get("user_id") != user_id:
            return False
        return self._ops.merge_payload(self._inner, vector_id, user_id, fields)

    @property
    def relinks(self) -> bool:
        """Whether this store can re-point a superseded row (``relink``); checked before anything is deleted."""
        return self._ops is not None and self._ops.relink is not None

    def relink(self, vector_id: str, user_id: str, was: str, now: str | None) -> bool:
        """Re-point one row of ``user_id`` in this project superseded by ``was`` to ``now`` (None: current again)."""
        if self._ops is None or self._ops.relink is None:
            raise InvalidInputError("this store cannot re-point memory versions")
        row = self.get(vector_id)
        if row is None or (getattr(row, "payload", None) or {}).get("user_id") != user_id:
            return False
        return self._ops.relink(self._inner, vector_id, user_id, was, now)

    def delete(self, vector_id: str) -> None:
        """By id; callers check ownership first (``Mem0OssBackend.delete``), a missing row is a no-op."""
        self._inner.delete(vector_id=vector_id)

    def delete_col(self) -> None:
        """Drop the project's table: only for throw-away namespaces (``drop_project``)."""
        self._inner.delete_col()

    def list_cols(self) -> Any:
        return self._inner.list_cols()

    # -- maintenance ----------------------------------------------------------------------------
    def expired_rows(self, limit: int) -> list[Any]:
        """Session rows of every user whose expiry has passed: only for purging them, never handed to a caller."""
        rows = listed_rows(self._inner.list(filters={"session": {"ne": LONG_TERM}}, top_k=limit))  # all versions
        now = datetime.now(UTC)
        return [r for r in rows if _row_expired(r, now)]
