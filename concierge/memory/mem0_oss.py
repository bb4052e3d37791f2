"""Mem0 OSS backend: one Mem0 ``Memory`` per (org, project), each on its own table/collection.

Projects are physically apart (staging never shares a table with production); users are
separated by mandatory filters that the guarded store enforces on every read.
"""

from __future__ import annotations

import contextlib
import hashlib
import re
import threading
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
from concierge.memory.guarded_store import UNCATEGORIZED, GuardedVectorStore, capture_insert_decisions
from concierge.memory.records import AddResult, MemoryRecord
from concierge.redact import redact_text
from concierge.scope import Scope

LONG_TERM = "-"  # value of the ``session`` payload key for memories that outlive their chat session
_LIST_LIMIT = 10_000
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


def record_from_mem0(item: dict[str, Any], project_id: str) -> MemoryRecord:
    """Mem0 returns core keys at the top and the rest of the payload under ``metadata``."""
    meta = item.get("metadata") or {}
    categories = tuple(c for c in meta.get("categories", []) if c != UNCATEGORIZED)
    session = meta.get("session")
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
    )


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
        serialize: bool = False,
    ) -> None:
        self.name = name
        self._vector_store = vector_store
        self._llm = llm
        self._classifier = classifier
        self._custom_instructions = custom_instructions
        self._prepare_collection = prepare_collection
        self._memories: dict[tuple[str, str], Memory] = {}
        self._build_lock = threading.Lock()
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
        key = (scope.org_id, scope.project_id)
        memory = self._memories.get(key)
        if memory is not None:
            return memory
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
                    memory.vector_store, org_id=scope.org_id, project_id=scope.project_id, classifier=self._classifier
                )
                self._memories[key] = memory
        return memory

    @staticmethod
    def _filters(scope: Scope, category: str | None = None) -> dict[str, Any]:
        filters: dict[str, Any] = {"user_id": scope.user_id}
        filters["session"] = {"in": [LONG_TERM, scope.run_id]} if scope.run_id else LONG_TERM
        if category:
            filters["category"] = category
        return filters

    def add(self, scope: Scope, text: str, *, infer: bool, session_only: bool, expires_at: str | None) -> AddResult:
        memory = self._memory(scope)
        metadata: dict[str, Any] = {
            "org_id": scope.org_id,
            "project_id": scope.project_id,
            "session": scope.run_id if session_only and scope.run_id else LONG_TERM,
        }
        if scope.run_id:
            metadata["source_run_id"] = scope.run_id
        if session_only and expires_at:
            metadata["expires_at"] = expires_at
        run_id = scope.run_id if session_only else None
        with self._guard(), capture_insert_decisions() as decisions:
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
                    )
                )
        return result

    def search(self, scope: Scope, query: str, *, top_k: int, category: str | None) -> list[MemoryRecord]:
        memory = self._memory(scope)
        with self._guard():
            found = memory.search(query, top_k=top_k, filters=self._filters(scope, category), threshold=0.0)
        return [record_from_mem0(item, scope.project_id) for item in found["results"]]

    def list(self, scope: Scope) -> list[MemoryRecord]:
        memory = self._memory(scope)
        with self._guard():
            found = memory.get_all(filters=self._filters(scope), top_k=_LIST_LIMIT)
        records = [record_from_mem0(item, scope.project_id) for item in found["results"]]
        return sorted(records, key=lambda r: r.created_at or "")

    def delete(self, scope: Scope, memory_id: str) -> bool:
        memory = self._memory(scope)
        with self._guard():
            item = memory.get(memory_id)
            if not item or item.get("user_id") != scope.user_id:
                return False  # absent, or another user's: indistinguishable to the caller by design
            memory.delete(memory_id)
        return True

    def forget(self, scope: Scope) -> int:
        memory = self._memory(scope)
        with self._guard():
            count = len(memory.get_all(filters={"user_id": scope.user_id}, top_k=_LIST_LIMIT)["results"])
            memory.delete_all(user_id=scope.user_id)
        return count

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
