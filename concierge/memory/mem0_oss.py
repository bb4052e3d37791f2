"""Mem0 OSS backend: one Mem0 ``Memory`` per (org, project), each on its own table/collection.

Projects are physically apart (staging never shares a table with production); users are
separated by mandatory filters that the guarded store enforces on every read. Expired session
memories are deleted when a process first opens a project and then at most every
``PURGE_EVERY_SECONDS`` while it is in use; deletes are idempotent, so racing purges are harmless.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import re
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

from mem0 import Memory
from mem0.configs.base import MemoryConfig
from mem0.embeddings.configs import EmbedderConfig
from mem0.exceptions import LLMError, VectorStoreError
from mem0.llms.configs import LlmConfig

from concierge import embeddings
from concierge.errors import ModelError, StoreUnavailableError
from concierge.memory.categories import CategoryClassifier
from concierge.memory.dedupe import InsertOnce, insert_once_by_key, listed_rows
from concierge.memory.guarded_store import (
    LONG_TERM,
    UNCATEGORIZED,
    GuardedVectorStore,
    capture_insert_decisions,
    writing_lifetime,
)
from concierge.memory.mem0_history import NoHistory
from concierge.memory.records import AddResult, MemoryRecord
from concierge.redact import redact_text
from concierge.scope import Scope

logger = logging.getLogger(__name__)
_LIST_LIMIT = 10_000
PURGE_EVERY_SECONDS = 60.0  # expired session rows outlive their TTL by at most this long while the app is in use
_STORE_ERRORS: tuple[type[BaseException], ...] = (OSError, ConnectionError, TimeoutError, VectorStoreError)
with contextlib.suppress(ImportError):
    import psycopg
    import psycopg_pool

    _STORE_ERRORS = (*_STORE_ERRORS, psycopg.OperationalError, psycopg_pool.PoolTimeout)


def collection_name(org_id: str, project_id: str) -> str:
    """A safe, short, deterministic table name per (org, project); PostgreSQL caps names at 63 bytes."""
    slug = re.sub(r"[^a-z0-9]+", "_", f"{org_id}_{project_id}".lower()).strip("_")[:24]
    digest = hashlib.sha256(f"{org_id}\x00{project_id}".encode()).hexdigest()[:12]
    return f"concierge_{slug}_{digest}"


def _erase_entities(memory: Memory, user_id: str) -> None:
    """Delete the user's rows in mem0's entity collection (names mentioned in memories), if any process made one.

    mem0 fills it only when spaCy's ``en_core_web_sm`` loads, and builds it lazily per process, so
    it is looked up by name rather than through ``memory.entity_store`` (which would create it).
    """
    if memory._entity_store is None:
        listed = memory.vector_store.list_cols()
        names = {getattr(c, "name", c) for c in getattr(listed, "collections", listed)}
        if f"{memory.collection_name}_entities" not in names:
            return
    entities = memory.entity_store
    for row in listed_rows(entities.list(filters={"user_id": user_id}, top_k=_LIST_LIMIT)):
        entities.delete(vector_id=row.id)


def record_from_mem0(item: dict[str, Any], project_id: str) -> MemoryRecord:
    """Mem0 returns core keys at the top and the rest of the payload under ``metadata``."""
    meta = item.get("metadata") or {}
    categories = tuple(c for c in meta.get("categories", []) if c != UNCATEGORIZED)
    session = meta.get("session")
    kind = meta.get("kind")
    if kind and isinstance(session, str):
        session = session.removeprefix(f"{kind}:")  # a kind's rows live apart from the session's facts
    return MemoryRecord(
        id=str(item["id"]),
        text=item.get("memory", ""),
        user_id=item.get("user_id", ""),
        project_id=meta.get("project_id", project_id),
        categories=categories,
        created_at=item.get("created_at"),
        run_id=session if session and session != LONG_TERM else None,
        source_run_id=meta.get("source_run_id"),
        expires_at=meta.get("expires_at"),
        score=item.get("score"),
        kind=kind,
    )


def kind_lifetime(kind: str, run_id: str) -> str:
    """The ``session`` value of a kind's rows: never equal to a session id (':' is not allowed in ids), so
    reads of facts (``session`` in long-term or the run) never see them, and they expire like session rows."""
    return f"{kind}:{run_id}"


class Mem0OssBackend:
    """Mem0 ``Memory`` objects built from one vector-store recipe, one per project."""

    def __init__(
        self,
        *,
        name: str,
        vector_store: Callable[[str], tuple[str, dict[str, Any]]],
        llm: tuple[str, dict[str, Any]],
        classifier: CategoryClassifier,
        custom_instructions: str | None,
        prepare_collection: Callable[[Memory], None] | None = None,
        insert_once: InsertOnce = insert_once_by_key,
        serialize: bool = False,
        close_store: Callable[[], None] | None = None,
    ) -> None:
        self.name = name
        self._vector_store = vector_store
        self._llm = llm
        self._classifier = classifier
        self._custom_instructions = custom_instructions
        self._prepare_collection = prepare_collection
        self._insert_once = insert_once
        self._close_store = close_store  # releases what every project shares (the connection pool)
        self._memories: dict[tuple[str, str], Memory] = {}
        self._build_lock = threading.Lock()
        self._last_purge: dict[tuple[str, str], float] = {}
        self._purge_lock = threading.Lock()
        # Qdrant local mode is single-client and not thread-safe: one lock around every call.
        self._call_lock: threading.RLock | None = threading.RLock() if serialize else None
        embeddings.register_with_mem0()

    @contextlib.contextmanager
    def _guard(self) -> Iterator[None]:
        lock = self._call_lock or contextlib.nullcontext()
        try:
            with lock:
                yield
        except _STORE_ERRORS as exc:
            raise StoreUnavailableError(
                f"the {self.name} memory store is unreachable ({type(exc).__name__}: {redact_text(str(exc))}); "
                "nothing was written. "
                "Check that the database is running and the URL is right, then retry."
            ) from exc

    def _memory(self, scope: Scope) -> Memory:
        """The project's mem0 ``Memory`` (built on first use), after purging expired rows when one is due."""
        key = (scope.org_id, scope.project_id)
        memory = self._memories.get(key) or self._build(key, scope)
        self._purge_if_due(key, memory)
        return memory

    def _build(self, key: tuple[str, str], scope: Scope) -> Memory:
        with self._build_lock:
            memory = self._memories.get(key)
            if memory is None:
                provider, store_config = self._vector_store(collection_name(*key))
                llm_provider, llm_config = self._llm
                config = MemoryConfig(
                    vector_store={"provider": provider, "config": store_config},
                    embedder=EmbedderConfig.model_construct(
                        provider=embeddings.MEM0_PROVIDER_NAME, config={"embedding_dims": embeddings.EMBEDDING_DIMS}
                    ),
                    llm=LlmConfig.model_construct(provider=llm_provider, config=llm_config),
                    history_db_path=":memory:",
                    custom_instructions=self._custom_instructions,
                )
                with self._guard():
                    memory = Memory(config)
                    if self._prepare_collection is not None:
                        self._prepare_collection(memory)
                memory.vector_store = GuardedVectorStore(
                    memory.vector_store,
                    org_id=scope.org_id,
                    project_id=scope.project_id,
                    classifier=self._classifier,
                    insert_once=self._insert_once,
                )
                memory.db.close()
                memory.db = NoHistory()  # no message window or change history (see mem0_history)
                self._memories[key] = memory
        return memory

    def _purge_if_due(self, key: tuple[str, str], memory: Memory) -> None:
        """Delete expired session rows of every user in the project: at first use, then at most every minute."""
        now = time.monotonic()
        last = self._last_purge.get(key)
        if last is not None and 0 <= now - last < PURGE_EVERY_SECONDS:
            return
        if not self._purge_lock.acquire(blocking=False):
            return  # another thread is purging
        try:
            self._last_purge[key] = now
            with self._guard():
                expired = memory.vector_store.expired_rows(_LIST_LIMIT)
                self._erase(memory, expired)
            if expired:
                logger.info("deleted %d expired session memories", len(expired))
        finally:
            self._purge_lock.release()

    @staticmethod
    def _erase(memory: Memory, rows: list[Any]) -> None:
        """Delete rows by id (a no-op for a row already gone) and unlink them from mem0's entity store."""
        for row in rows:
            memory.vector_store.delete(vector_id=str(row.id))
            user_id = (getattr(row, "payload", None) or {}).get("user_id")
            if user_id:  # mem0's own clean-up; a no-op until this process has used the entity store
                memory._remove_memory_from_entity_store(str(row.id), {"user_id": user_id})

    @staticmethod
    def _filters(scope: Scope, category: str | None = None, kind: str | None = None) -> dict[str, Any]:
        filters: dict[str, Any] = {"user_id": scope.user_id}
        filters["session"] = {"in": [LONG_TERM, scope.run_id]} if scope.run_id else LONG_TERM
        if kind:
            filters["session"] = kind_lifetime(kind, scope.run_id or LONG_TERM)
        if category:
            filters["category"] = category
        return filters

    def add(
        self,
        scope: Scope,
        text: str,
        *,
        infer: bool,
        session_only: bool,
        expires_at: str | None,
        kind: str | None = None,
    ) -> AddResult:
        memory = self._memory(scope)
        metadata: dict[str, Any] = {
            "org_id": scope.org_id,
            "project_id": scope.project_id,
            "session": scope.run_id if session_only and scope.run_id else LONG_TERM,
        }
        if kind and scope.run_id:
            metadata |= {"kind": kind, "session": kind_lifetime(kind, scope.run_id)}
        if scope.run_id:
            metadata["source_run_id"] = scope.run_id
        if session_only and expires_at:
            metadata["expires_at"] = expires_at
        run_id = scope.run_id if session_only else None
        with self._guard(), capture_insert_decisions() as decisions, writing_lifetime(metadata["session"]):
            try:
                memory.add(
                    [{"role": "user", "content": text}],
                    user_id=scope.user_id,
                    run_id=run_id,
                    metadata=metadata,
                    infer=infer,
                )
            except LLMError as exc:
                raise ModelError(f"memory extraction failed: {exc.__cause__ or exc}") from exc
        result = AddResult()
        for decision in decisions:
            if decision.dropped_reason:
                result.dropped.append((decision.text, decision.dropped_reason))
            else:
                result.stored.append(
                    MemoryRecord(
                        id=decision.memory_id,
                        text=decision.text,
                        user_id=scope.user_id,
                        project_id=scope.project_id,
                        categories=decision.categories,
                        created_at=decision.created_at,
                        run_id=run_id,
                        source_run_id=scope.run_id,
                        expires_at=metadata.get("expires_at"),
                        kind=metadata.get("kind"),
                    )
                )
        return result

    def search(self, scope: Scope, query: str, *, top_k: int, category: str | None) -> list[MemoryRecord]:
        memory = self._memory(scope)
        with self._guard():
            found = memory.search(query, top_k=top_k, filters=self._filters(scope, category), threshold=0.0)
        return [record_from_mem0(item, scope.project_id) for item in found["results"]]

    def list(self, scope: Scope, kind: str | None = None) -> list[MemoryRecord]:
        memory = self._memory(scope)
        with self._guard():
            found = memory.get_all(filters=self._filters(scope, kind=kind), top_k=_LIST_LIMIT)
        records = [record_from_mem0(item, scope.project_id) for item in found["results"]]
        return sorted(records, key=lambda r: r.created_at or "")

    def delete(self, scope: Scope, memory_id: str) -> bool:
        memory = self._memory(scope)
        with self._guard():
            item = memory.vector_store.get(vector_id=memory_id)
            payload = getattr(item, "payload", None) or {}
            if payload.get("user_id") != scope.user_id:
                return False  # absent, or another user's: indistinguishable to the caller by design
            self._erase(memory, [item])
        return True

    def forget(self, scope: Scope) -> int:
        """Every row of the user in this project (all sessions, expired or not) and mem0's entity rows of them."""
        memory = self._memory(scope)
        erased: set[str] = set()
        with self._guard():
            # In pages, like mem0's delete_all; a page of rows already erased means the store kept them.
            while rows := memory.vector_store.list(filters={"user_id": scope.user_id}, top_k=_LIST_LIMIT)[0]:
                if erased.issuperset(str(r.id) for r in rows):
                    raise StoreUnavailableError(f"the {self.name} memory store did not delete memories; retry forget")
                self._erase(memory, rows)
                erased.update(str(r.id) for r in rows)
            _erase_entities(memory, scope.user_id)
        return len(erased)

    def drop_project(self, org_id: str, project_id: str) -> None:
        """Remove a whole (org, project) table/collection: for throw-away namespaces such as eval runs."""
        with self._build_lock:
            memory = self._memories.pop((org_id, project_id), None)
        if memory is None:
            return
        with self._guard():
            memory.vector_store.delete_col()
        with contextlib.suppress(Exception):
            memory.close()

    def close(self) -> None:
        for memory in self._memories.values():
            with contextlib.suppress(Exception):
                memory.close()
        self._memories.clear()
        if self._close_store is not None:
            self._close_store()
