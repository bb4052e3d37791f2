"""A wrapper around mem0's vector store: the storage boundary where isolation and category policy are enforced.

Every read must carry a user_id filter (fail closed) and only rows of that user come back; every
write must carry the project the store was built for. Categories are assigned from the vector mem0
already computed, and facts in an excluded category are never written.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from concierge.errors import InvalidInputError
from concierge.memory.categories import CategoryClassifier

logger = logging.getLogger(__name__)

UNCATEGORIZED = "uncategorized"


@dataclass(frozen=True, slots=True)
class InsertDecision:
    memory_id: str
    text: str
    categories: tuple[str, ...]
    dropped_reason: str | None
    created_at: str | None


_decisions: ContextVar[list[InsertDecision] | None] = ContextVar("concierge_insert_decisions", default=None)


@contextmanager
def capture_insert_decisions() -> Iterator[list[InsertDecision]]:
    """Collect what the boundary decided for each fact written inside the block (per thread/task)."""
    collected: list[InsertDecision] = []
    token = _decisions.set(collected)
    try:
        yield collected
    finally:
        _decisions.reset(token)


class GuardedVectorStore:
    """Delegates to mem0's store; refuses unscoped reads, foreign rows and excluded facts."""

    def __init__(self, inner: Any, *, org_id: str, project_id: str, classifier: CategoryClassifier) -> None:
        self._inner = inner
        self._org_id = org_id
        self._project_id = project_id
        self._classifier = classifier

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)

    # -- writes ---------------------------------------------------------------------------------
    def insert(
        self, vectors: list[list[float]], payloads: list[dict[str, Any]] | None = None, ids: list[str] | None = None
    ) -> None:
        payloads = payloads or [{} for _ in vectors]
        ids = ids or []
        log = _decisions.get()
        kept: tuple[list[Any], list[Any], list[Any]] = ([], [], [])
        for vector, payload, memory_id in zip(vectors, payloads, ids, strict=True):
            if (
                not payload.get("user_id")
                or payload.get("project_id") != self._project_id
                or payload.get("org_id") != self._org_id
            ):
                raise InvalidInputError(
                    "refusing to write a memory without this store's user_id/org_id/project_id scope"
                )
            verdict = self._classifier.classify_vector(vector)
            text = str(payload.get("data", ""))
            if log is not None:
                log.append(
                    InsertDecision(memory_id, text, verdict.categories, verdict.excluded, payload.get("created_at"))
                )
            if not verdict.keep:
                logger.info("not storing a fact excluded by policy (%s)", verdict.excluded)
                continue
            payload = {
                **payload,
                "categories": list(verdict.categories),
                "category": verdict.categories[0] if verdict.categories else UNCATEGORIZED,
            }
            kept[0].append(vector)
            kept[1].append(payload)
            kept[2].append(memory_id)
        if kept[0]:
            self._inner.insert(vectors=kept[0], payloads=kept[1], ids=kept[2])

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

    def search(
        self, query: str, vectors: list[float], top_k: int = 5, filters: dict[str, Any] | None = None
    ) -> list[Any]:
        user_id = self._require_user(filters)
        return self._own_rows(self._inner.search(query=query, vectors=vectors, top_k=top_k, filters=filters), user_id)

    def keyword_search(self, query: str, top_k: int = 5, filters: dict[str, Any] | None = None) -> list[Any] | None:
        user_id = self._require_user(filters)
        rows = self._inner.keyword_search(query=query, top_k=top_k, filters=filters)
        return None if rows is None else self._own_rows(rows, user_id)

    def list(self, filters: dict[str, Any] | None = None, top_k: int | None = 100) -> list[list[Any]]:
        user_id = self._require_user(filters)
        listed = self._inner.list(filters=filters, top_k=top_k)
        rows = listed[0] if listed and isinstance(listed[0], list) else listed
        return [self._own_rows(rows, user_id)]
