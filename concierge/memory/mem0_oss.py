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
import sys
import threading
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from mem0 import Memory
from mem0.configs.base import MemoryConfig
from mem0.embeddings.configs import EmbedderConfig
from mem0.exceptions import LLMError, VectorStoreError
from mem0.llms.configs import LlmConfig

from concierge import embeddings
from concierge.data_faults import disk_full_line
from concierge.errors import InvalidInputError, ModelError, StoreUnavailableError
from concierge.memory.categories import CategoryClassifier
from concierge.memory.dedupe import listed_rows
from concierge.memory.guarded_store import (
    LONG_TERM,
    UNCATEGORIZED,
    GuardedVectorStore,
    capture_insert_decisions,
    writing_lifetime,
)
from concierge.memory.mem0_history import NoHistory
from concierge.memory.records import ALREADY_REMEMBERED, AddResult, Dropped, MemoryRecord, PreparedFact
from concierge.memory.versions import (
    SUPERSEDED_AT,
    SUPERSEDED_BY,
    SUPERSEDES,
    StoreOps,
    SupersessionReader,
    apply_supersession,
    capture_supersession,
    including_history,
)
from concierge.redact import redact_text
from concierge.scope import Scope

if TYPE_CHECKING:
    from concierge.memory.extractor import Extractor
    from concierge.settings import Settings

logger = logging.getLogger(__name__)
_LIST_LIMIT = 10_000
PURGE_EVERY_SECONDS = 60.0  # expired session rows outlive their TTL by at most this long while the app is in use
_STORE_ERRORS: tuple[type[BaseException], ...] = (OSError, ConnectionError, TimeoutError, VectorStoreError)
with contextlib.suppress(ImportError):
    import psycopg
    import psycopg_pool

    _STORE_ERRORS = (*_STORE_ERRORS, psycopg.OperationalError, psycopg_pool.PoolTimeout)


def _is_store_error(exc: BaseException) -> bool:
    """A store that cannot be reached; Qdrant's class is looked up only once a Qdrant store loaded it
    (importing qdrant_client costs ~0.7 s that the PostgreSQL stores never need)."""
    if isinstance(exc, _STORE_ERRORS):
        return True
    qdrant = sys.modules.get("qdrant_client.http.exceptions")
    if qdrant is None:
        return False
    # An HTTP error status, or a body it cannot read (its models assert on it): the server's answer.
    return isinstance(exc, qdrant.ApiException) or (isinstance(exc, AssertionError) and _raised_in_qdrant(exc))


def _raised_in_qdrant(exc: BaseException) -> bool:
    tb = exc.__traceback__
    while tb is not None and tb.tb_next is not None:
        tb = tb.tb_next
    return tb is not None and "qdrant_client" in tb.tb_frame.f_code.co_filename


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
    """The record mapper of the mem0 OSS backends (pgvector, Qdrant: mem0 gives both the same shape).

    Mem0 returns core keys at the top and the rest of the payload under ``metadata``."""
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
        supersedes=tuple(str(i) for i in meta.get(SUPERSEDES) or ()),
        superseded_by=meta.get(SUPERSEDED_BY),
        superseded_at=meta.get(SUPERSEDED_AT),
        kind=kind,
    )


def _mem0_without_spacy() -> None:
    """mem0 looks for spaCy's ``en_core_web_sm`` on its first search (BM25 lemmas, entity boosts) and, not
    finding it, tries to download it, fails and warns. Handing it our packaged pipeline gave no recall gain
    (BENCHMARKS.md, hybrid search) and costs a spaCy pass per add and search, so tell mem0 up front, with its
    own "load failed" flags: the same results, without the import or the download."""
    import importlib.util

    if importlib.util.find_spec("en_core_web_sm") is not None:
        return  # installed after all: mem0 may use it
    from mem0.utils import spacy_models

    spacy_models._load_failed_lemma = True
    spacy_models._load_failed_full = True


def kind_lifetime(kind: str, run_id: str) -> str:
    """The ``session`` value of a kind's rows: never equal to a session id (':' is not allowed in ids), so
    reads of facts (``session`` in long-term or the run) never see them, and they expire like session rows."""
    return f"{kind}:{run_id}"


def _full_disk_first(
    settings: Settings, explain: Callable[[BaseException], str | None] | None
) -> Callable[[BaseException], str | None]:
    """The store's failure explainer, after a check of the disk a local store writes to (embedded PostgreSQL,
    Qdrant local): a server that cannot write refuses connections, which would read as "unreachable"."""
    local_dir = settings.data_dir if settings.backend == "embedded" else settings.qdrant_path

    def explained(exc: BaseException) -> str | None:
        full = disk_full_line(local_dir) if local_dir is not None else None
        if full:
            return f"{full}; nothing was written"
        return explain(exc) if explain else None

    return explained


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
        ops: StoreOps,
        prepare_collection: Callable[[Memory], None] | None = None,
        serialize: bool = False,
        close_store: Callable[[], None] | None = None,
        setting: str = "",
        explain_failure: Callable[[BaseException], str | None] | None = None,
    ) -> None:
        self.name = name
        self._setting = setting  # the variable (and redacted URL) an unreachable-store error names
        self._explain_failure = explain_failure  # the store's own line for a failure "unreachable" would misname
        self._vector_store = vector_store
        self._llm = llm
        self._classifier = classifier
        self._custom_instructions = custom_instructions
        self._prepare_collection = prepare_collection
        self._ops = ops
        self._close_store = close_store  # releases what every project shares (the connection pool)
        self._memories: dict[tuple[str, str], Memory] = {}
        self._build_lock = threading.Lock()
        self._last_purge: dict[tuple[str, str], float] = {}
        self._purge_lock = threading.Lock()
        # Qdrant local mode is single-client and not thread-safe: one lock around every call.
        self._call_lock: threading.RLock | None = threading.RLock() if serialize else None
        embeddings.register_with_mem0()

    @classmethod
    def from_settings(
        cls,
        settings: Settings,
        extractor: Extractor,
        *,
        vector_store: Callable[[str], tuple[str, dict[str, Any]]],
        ops: StoreOps,
        **options: Any,
    ) -> Mem0OssBackend:
        """One backend named after ``settings.backend``, with the extractor's model, instructions and classifier."""
        _mem0_without_spacy()
        return cls(
            name=settings.backend,
            vector_store=vector_store,
            llm=extractor.mem0_llm(),
            classifier=extractor.classifier,
            custom_instructions=extractor.instructions,
            ops=ops,
            **{**options, "explain_failure": _full_disk_first(settings, options.get("explain_failure"))},
        )

    @contextlib.contextmanager
    def _guard(self) -> Iterator[None]:
        lock = self._call_lock or contextlib.nullcontext()
        try:
            with lock:
                yield
        except Exception as exc:
            if not _is_store_error(exc):
                raise
            explained = self._explain_failure(exc) if self._explain_failure else None
            if explained:
                raise StoreUnavailableError(explained) from exc
            where = f" at {self._setting}" if self._setting else ""
            fix = f"Start the server or fix {self._setting.partition('=')[0]}" if self._setting else "Start the store"
            raise StoreUnavailableError(
                f"the {self.name} memory store{where} is unreachable ({type(exc).__name__}: "
                f"{redact_text(str(exc))}); nothing was written. {fix}, then retry."
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
                    ops=self._ops,
                )
                memory.llm = SupersessionReader(memory.llm)  # reads the model's "supersedes" (see versions)
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
        if kind:  # one session's rows of the kind; without a session, every session's (the caller keeps the kind)
            filters["session"] = kind_lifetime(kind, scope.run_id) if scope.run_id else {"ne": LONG_TERM}
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
            # One timestamp for every fact of this message (mem0 stamps each row apart otherwise), so "the
            # facts the user stated last" is the newest group of equal times, however fast messages come.
            "created_at": datetime.now(UTC).isoformat(),
        }
        if kind and scope.run_id:
            metadata |= {"kind": kind, "session": kind_lifetime(kind, scope.run_id)}
        if scope.run_id:
            metadata["source_run_id"] = scope.run_id
        if session_only and expires_at:
            metadata["expires_at"] = expires_at
        run_id = scope.run_id if session_only else None
        with (
            self._guard(),
            capture_insert_decisions() as decisions,
            writing_lifetime(metadata["session"]),
            capture_supersession(scope.user_id, scope.project_id) as supersession,
            embeddings.unembedded() if kind else contextlib.nullcontext(),  # found by key, never by meaning
        ):
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
            superseded = self._apply_supersession(memory, scope, decisions, supersession.decisions)
        result = AddResult()
        decided = {d.text for d in decisions}  # what mem0 skipped as stored never reached the boundary's log
        result.dropped += [Dropped(t, ALREADY_REMEMBERED) for t in supersession.already_stored if t not in decided]
        for decision in decisions:
            if decision.dropped_reason:
                result.dropped.append(Dropped(decision.text, decision.dropped_reason))
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
                        supersedes=tuple(superseded.get(decision.memory_id, ())),
                        kind=metadata.get("kind"),
                    )
                )
        return result

    @staticmethod
    def _apply_supersession(
        memory: Memory, scope: Scope, decisions: list[Any], wanted: dict[str, list[str]]
    ) -> dict[str, list[str]]:
        """After the insert: mark the old rows the (validated) decision names; new id -> the ids it superseded."""
        done: dict[str, list[str]] = {}
        store = memory.vector_store
        for decision in decisions:
            old_ids = wanted.get(decision.text)
            if decision.dropped_reason or not decision.memory_id or not old_ids:
                continue
            marked = apply_supersession(store.merge_payload, scope.user_id, decision.memory_id, old_ids)
            if marked:
                done[decision.memory_id] = marked
                logger.info("a new memory superseded %d older one(s) of the same user", len(marked))
        return done

    def search(
        self, scope: Scope, query: str, *, top_k: int, category: str | None, latest_only: bool = True
    ) -> list[MemoryRecord]:
        memory = self._memory(scope)
        with self._guard(), contextlib.nullcontext() if latest_only else including_history():
            found = memory.search(query, top_k=top_k, filters=self._filters(scope, category), threshold=0.0)
        return [record_from_mem0(item, scope.project_id) for item in found["results"]]

    def list(self, scope: Scope, *, latest_only: bool = True, kind: str | None = None) -> list[MemoryRecord]:
        memory = self._memory(scope)
        with self._guard(), contextlib.nullcontext() if latest_only else including_history():
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

    def load_prepared(self, facts: Sequence[PreparedFact]) -> None:
        """Insert already-embedded facts through the guarded store (scope checks, category policy), long-term."""
        for fact in facts:
            if len(fact.vector) != embeddings.EMBEDDING_DIMS:
                raise InvalidInputError(
                    f"a prepared fact's vector has {len(fact.vector)} numbers; this store holds "
                    f"{embeddings.EMBEDDING_DIMS} ({embeddings.MODEL_ID})"
                )
        now = datetime.now(UTC).isoformat()
        payloads = [
            {
                "data": f.text,
                "text_lemmatized": f.text,  # what mem0 stores for its keyword search when spaCy is not handed over
                "hash": hashlib.md5(f.text.encode()).hexdigest(),  # mem0's own content hash
                "created_at": now,
                "user_id": f.scope.user_id,
                "org_id": f.scope.org_id,
                "project_id": f.scope.project_id,
                "session": LONG_TERM,
            }
            for f in facts
        ]
        memory = self._memory(facts[0].scope)
        with self._guard():
            memory.vector_store.insert(
                vectors=[list(map(float, f.vector)) for f in facts],
                payloads=payloads,
                ids=[str(uuid.uuid4()) for _ in facts],
            )

    def retract(self, scope: Scope, memory: MemoryRecord, replaced: Sequence[MemoryRecord]) -> list[str] | None:
        """Delete one memory, then re-point the versions it had superseded (see ``MemoryBackend.retract``).

        Deleted first: if re-pointing then fails, the older versions stay hidden (never two current diets).
        """
        store = self._memory(scope).vector_store
        if replaced and not store.relinks:
            raise InvalidInputError(
                f"the {self.name} memory store cannot make earlier versions current again; nothing was deleted"
            )
        if not self.delete(scope, memory.id):
            return None
        now = memory.superseded_by  # a middle version: what it replaced now hangs off its successor
        with self._guard():
            moved = [r.id for r in replaced if store.relink(r.id, scope.user_id, memory.id, now)]
            successor = store.get(now) if now and moved else None
            if successor is not None:
                listed = [i for i in (successor.payload or {}).get(SUPERSEDES) or () if i != memory.id]
                store.merge_payload(now, scope.user_id, {SUPERSEDES: [*listed, *(i for i in moved if i not in listed)]})
        return moved

    def every_session(self, scope: Scope) -> list[MemoryRecord]:
        memory = self._memory(scope)
        with self._guard():  # no ``session`` filter: long-term rows and every session's
            found = memory.get_all(filters={"user_id": scope.user_id}, top_k=_LIST_LIMIT)
        records = [record_from_mem0(item, scope.project_id) for item in found["results"]]
        return sorted((r for r in records if r.kind is None and r.is_current), key=lambda r: r.created_at or "")

    def forget(self, scope: Scope) -> int:
        """Every row of the user in this project (all sessions, expired or not) and mem0's entity rows of them."""
        memory = self._memory(scope)
        erased: set[str] = set()
        with self._guard(), including_history():  # every version
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
