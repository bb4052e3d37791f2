"""CrewAI memory bound to one user's scope: every agent recalls that user's Mem0 memories and nobody else's.

CrewAI 1.15 calls ``recall(task.description, limit=5)`` before each task, ``extract_memories`` and
``remember_many`` after it, and hands agents "Search memory" / "Save to memory" tools. Here:

- recall searches the bound scope through ``ConciergeMemory`` (the storage boundary enforces the
  user filter), plus the memories the service recalled for the whole turn;
- a model never writes memory: the memory is read-only, so crewAI offers agents no "Save to memory" tool
  and writes no task outcome back (they are in the reply; feeding them into the user's memory would pile
  agent prose onto user facts, and let a model file "User b is allergic to sesame" in a's session). What the
  user says is stored by the service, through the user's own extraction and category policy;
- the session's own state (what this conversation has planned so far, ``concierge.conversation``) is
  recalled first on every task of a session that has one: crewAI's task-output store is not used as
  conversation memory.
"""

from __future__ import annotations

import threading
from datetime import UTC, datetime
from typing import Any, Literal

from pydantic import PrivateAttr

from concierge.lean_imports import import_crewai
from concierge.memory.layer import ConciergeMemory
from concierge.memory.records import MemoryRecord
from concierge.scope import Scope

import_crewai()  # before crewAI's first import: without the parts this app never uses
from crewai.memory.types import MemoryMatch, ScopeInfo  # noqa: E402
from crewai.memory.types import MemoryRecord as CrewRecord  # noqa: E402
from crewai.memory.unified_memory import Memory  # noqa: E402

_MAX_QUERY_CHARS = 2_000


def _crew_record(record: MemoryRecord, scope_path: str) -> CrewRecord:
    created = datetime.fromisoformat(record.created_at) if record.created_at else datetime.now(UTC)
    metadata = {"session": record.run_id} if record.run_id else {}
    return CrewRecord(
        id=record.id,
        content=record.text,
        scope=scope_path,
        categories=list(record.categories),
        metadata=metadata,
        created_at=created,
        last_accessed=created,
        source=record.user_id,
    )


class _ScopedStorage:
    """The storage object CrewAI's Memory holds: reads and deletes within one scope, nothing else."""

    def __init__(self, memory: ConciergeMemory, scope: Scope, path: str) -> None:
        self._memory, self._scope, self._path = memory, scope, path

    def _records(self) -> list[CrewRecord]:
        return [_crew_record(r, self._path) for r in self._memory.list(self._scope)]

    def save(self, records: list[CrewRecord]) -> None:
        raise NotImplementedError("write through ScopedCrewMemory.remember, which scopes the note to the session")

    def search(self, *args: Any, **kwargs: Any) -> list[tuple[CrewRecord, float]]:
        raise NotImplementedError("search through ScopedCrewMemory.recall, which searches by text in the scope")

    def update(self, record: CrewRecord) -> None:
        raise NotImplementedError("memories are add-only; delete and add again")

    def delete(self, record_ids: list[str] | None = None, **_: Any) -> int:
        return sum(self._memory.delete(self._scope, rid) for rid in record_ids or [])

    def get_record(self, record_id: str) -> CrewRecord | None:
        return next((r for r in self._records() if r.id == record_id), None)

    def list_records(self, scope_prefix: str | None = None, limit: int = 200, offset: int = 0) -> list[CrewRecord]:
        return self._records()[offset : offset + limit]

    def get_scope_info(self, scope: str) -> ScopeInfo:
        records = self._records()
        return ScopeInfo(
            path=self._path,
            record_count=len(records),
            categories=sorted({c for r in records for c in r.categories}),
            oldest_record=min((r.created_at for r in records), default=None),
            newest_record=max((r.created_at for r in records), default=None),
        )

    def list_scopes(self, parent: str = "/") -> list[str]:
        return [self._path]

    def list_categories(self, scope_prefix: str | None = None) -> dict[str, int]:
        counts: dict[str, int] = {}
        for record in self._records():
            for category in record.categories:
                counts[category] = counts.get(category, 0) + 1
        return counts

    def count(self, scope_prefix: str | None = None) -> int:
        return len(self._records())

    def reset(self, scope_prefix: str | None = None) -> None:
        raise NotImplementedError("a crew never wipes a user's memory; use ConciergeService.forget")


class ScopedCrewMemory(Memory):
    """One per chat turn: bound to the user's scope (and session) and to the memories recalled for the turn."""

    _store: ConciergeMemory = PrivateAttr()
    _scope: Scope = PrivateAttr()
    _pinned: list[MemoryRecord] = PrivateAttr(default_factory=list)
    _about: str | None = PrivateAttr(default=None)
    _used: dict[str, MemoryRecord] = PrivateAttr(default_factory=dict)
    _lock: threading.Lock = PrivateAttr(default_factory=threading.Lock)

    @classmethod
    def bind(
        cls,
        store: ConciergeMemory,
        scope: Scope,
        pinned: list[MemoryRecord] | None = None,
        session: MemoryRecord | None = None,
        about: str | None = None,
    ) -> ScopedCrewMemory:
        """``session``: the session's state record (read on the session scope), recalled before the user's facts.

        ``about``: the user's message. Recall then searches for it instead of crewAI's task text, which is the
        same long boilerplate every turn: the message is what the user's memories must match, and its query
        vector is already cached from the turn's own recall (a task text cost ~60-130 ms to embed).
        """
        path = f"/{scope.org_id}/{scope.project_id}/{scope.user_id}"
        memory = cls(storage=_ScopedStorage(store, scope, path), root_scope=path, llm="unused-offline", read_only=True)
        memory._store, memory._scope = store, scope
        own_session = session is not None and session.run_id == scope.run_id and session.user_id == scope.user_id
        memory._pinned = [*([session] if own_session and session else []), *(pinned or [])]
        memory._about = about
        return memory

    @property
    def used(self) -> list[MemoryRecord]:
        """Every memory this turn put in front of an agent, in first-seen order."""
        with self._lock:
            return list(self._used.values())

    def _path(self) -> str:
        return self.root_scope or "/"

    def recall(
        self,
        query: str,
        scope: str | None = None,
        categories: list[str] | None = None,
        limit: int = 10,
        depth: Literal["shallow", "deep"] = "deep",
        source: str | None = None,
        include_private: bool = False,
    ) -> list[MemoryMatch]:
        text = self._about or query[:_MAX_QUERY_CHARS]
        found = self._store.search(self._scope, text, top_k=max(1, min(limit, 100)))
        merged: dict[str, MemoryRecord] = {r.id: r for r in self._pinned}
        for record in found:
            merged.setdefault(record.id, record)
        if categories:
            merged = {k: r for k, r in merged.items() if set(r.categories) & set(categories)}
        picked = list(merged.values())[: max(limit, len(self._pinned))]
        with self._lock:
            for record in picked:
                self._used.setdefault(record.id, record)
        path = self._path()
        return [
            MemoryMatch(
                record=_crew_record(r, path), score=r.score if r.score is not None else 1.0, match_reasons=["semantic"]
            )
            for r in picked
        ]

    def extract_memories(self, content: str) -> list[str]:
        return []

    def remember(self, content: str, *args: Any, **kwargs: Any) -> CrewRecord | None:
        return None  # read-only: a model's write never reaches the user's memory

    def remember_many(self, contents: list[str], *args: Any, **kwargs: Any) -> list[CrewRecord]:
        return []

    def forget(self, *args: Any, record_ids: list[str] | None = None, **kwargs: Any) -> int:
        return sum(self._store.delete(self._scope, rid) for rid in record_ids or [])

    def reset(self, scope: str | None = None) -> None:
        raise NotImplementedError("a crew never wipes a user's memory; use ConciergeService.forget")
