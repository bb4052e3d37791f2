"""What the memory layer hands back: one stored fact with its scope and provenance."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from typing import Any, NamedTuple, Protocol

from concierge.scope import Scope

logger = logging.getLogger(__name__)

# Kinds of record that are not facts about the user: kept apart from list/search/export (see ConciergeMemory).
SESSION_STATE = "session_state"  # a chat session's typed state (request, plan, draft status), one per turn
TRANSCRIPT = "transcript"  # what one turn of a chat session said and answered (concierge/conversation/transcript.py)
RECORD_KINDS = frozenset({SESSION_STATE, TRANSCRIPT})


def is_expired(expires_at: object, now: datetime | None = None) -> bool:
    """True once an ``expires_at`` timestamp (ISO 8601, with offset) has passed; unset means it never expires.

    An unreadable value counts as expired: a session memory whose end cannot be read is not kept.
    """
    if not expires_at:
        return False
    try:
        return datetime.fromisoformat(str(expires_at)) <= (now or datetime.now(UTC))
    except (TypeError, ValueError):
        logger.warning("a memory has an unreadable expires_at; treating it as expired")
        return True


@dataclass(frozen=True, slots=True)
class MemoryRecord:
    """One stored fact. A superseded one (``superseded_by`` set) is history: reads leave it out unless asked."""

    id: str
    text: str
    user_id: str
    project_id: str
    categories: tuple[str, ...] = ()
    created_at: str | None = None
    run_id: str | None = None  # set only on session-scoped memories
    source_run_id: str | None = None  # the chat session a long-term fact was said in
    expires_at: str | None = None
    score: float | None = None
    supersedes: tuple[str, ...] = ()  # ids of the older versions this memory replaced
    superseded_by: str | None = None  # id of the newer memory that replaced this one
    superseded_at: str | None = None  # when it was replaced (ISO 8601)

    @property
    def is_current(self) -> bool:
        return self.superseded_by is None

    kind: str | None = None  # None: a fact about the user; else one of RECORD_KINDS

    def is_expired(self, now: datetime | None = None) -> bool:
        return is_expired(self.expires_at, now)

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["categories"] = list(self.categories)
        data["supersedes"] = list(self.supersedes)
        return data


def version_chain(records: list[MemoryRecord], memory_id: str) -> list[MemoryRecord]:
    """The versions linked to ``memory_id`` through supersedes/superseded_by (itself included), oldest first:
    a version after every version it replaced, then by creation time.

    Empty if ``memory_id`` is not among ``records``.
    """
    by_id = {r.id: r for r in records}
    if memory_id not in by_id:
        return []
    linked: dict[str, set[str]] = {i: set() for i in by_id}
    for record in by_id.values():
        for other in (*record.supersedes, record.superseded_by):
            if other in by_id and other != record.id:
                linked[record.id].add(other)
                linked[other].add(record.id)
    chain, todo = {memory_id}, [memory_id]
    while todo:
        for other in linked[todo.pop()] - chain:
            chain.add(other)
            todo.append(other)

    def replaced(record_id: str) -> int:
        """How many versions of the chain come before this one through ``supersedes`` (the order, even when
        two versions carry the same timestamp)."""
        seen: set[str] = set()
        todo = [record_id]
        while todo:
            for older in by_id[todo.pop()].supersedes:
                if older in chain and older not in seen:
                    seen.add(older)
                    todo.append(older)
        return len(seen)

    return sorted((by_id[i] for i in chain), key=lambda r: (replaced(r.id), r.created_at or "", r.id))


@dataclass(frozen=True, slots=True)
class Retraction:
    """What ``ConciergeMemory.retract`` did: the memory deleted (None: no such memory of the user) and the versions
    it had replaced that are current again."""

    deleted: MemoryRecord | None
    restored: tuple[MemoryRecord, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "deleted": None if self.deleted is None else {"id": self.deleted.id, "text": self.deleted.text},
            "restored": [{"id": r.id, "text": r.text} for r in self.restored],
        }


ALREADY_REMEMBERED = "already remembered"  # the reason given for a fact the user's memories already hold


class Dropped(NamedTuple):
    """A fact an add did not store, and why (a policy exclusion such as ``small_talk``, or ``ALREADY_REMEMBERED``)."""

    text: str
    reason: str


@dataclass(slots=True)
class AddResult:
    """Memories stored by one add, and the facts it did not store (with the reason)."""

    stored: list[MemoryRecord] = field(default_factory=list)
    dropped: list[Dropped] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class PreparedFact:
    """A fact already worded and embedded elsewhere (a migration, a benchmark's bulk load): stored as given,
    long-term, in the scope's project; no extraction, duplicate or supersession decision."""

    scope: Scope
    text: str
    vector: Sequence[float]


class MemoryBackend(Protocol):
    """A store that maps a Scope onto physical isolation; the facade adds validation, TTL and policy."""

    name: str

    def add(
        self,
        scope: Scope,
        text: str,
        *,
        infer: bool,
        session_only: bool,
        expires_at: str | None,
        kind: str | None = None,
    ) -> AddResult: ...

    def search(
        self, scope: Scope, query: str, *, top_k: int, category: str | None, latest_only: bool = True
    ) -> list[MemoryRecord]: ...

    def list(self, scope: Scope, *, latest_only: bool = True, kind: str | None = None) -> list[MemoryRecord]: ...

    def delete(self, scope: Scope, memory_id: str) -> bool: ...

    def retract(self, scope: Scope, memory: MemoryRecord, replaced: Sequence[MemoryRecord]) -> list[str] | None:
        """Delete ``memory`` and re-point the ``replaced`` versions (superseded by it) to what superseded it, or make
        them current again; the ids re-pointed, or None if it was not deleted. Raises, deleting nothing, when the
        store cannot re-point them."""
        ...

    def load_prepared(self, facts: Sequence[PreparedFact]) -> None:
        """Store already-embedded facts in bulk (one project); the storage boundary's checks and policy apply."""
        ...

    def forget(self, scope: Scope) -> int: ...

    def every_session(self, scope: Scope) -> list[MemoryRecord]:
        """The user's current facts in the project, long-term and of every session: what ``forget`` erases that
        the user can see somewhere (``memory list`` shows one session's at a time)."""
        ...

    def drop_project(self, org_id: str, project_id: str) -> None: ...

    def close(self) -> None: ...
