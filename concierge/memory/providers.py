"""One small pydantic config per store provider, and the one factory that builds the memory layer."""

from __future__ import annotations

import contextlib
import hashlib
import threading
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, PrivateAttr, SecretStr

from concierge import embeddings
from concierge.errors import StoreUnavailableError
from concierge.llm.factory import extraction_instructions, mem0_llm
from concierge.memory.categories import CategoryClassifier
from concierge.memory.dedupe import insert_once_pg
from concierge.memory.embedded_postgres import ensure_server, with_session_options
from concierge.memory.layer import ConciergeMemory
from concierge.memory.mem0_oss import Mem0OssBackend
from concierge.settings import Settings


class _SharedPool:
    """One process-wide pool handed to every project's store. mem0's pgvector store closes its pool when
    it is garbage-collected (``__del__``); dropping one project must not close the others' connections,
    so ``close`` here does nothing and the owner closes the real pool (``PgvectorStoreConfig.close``)."""

    def __init__(self, pool: Any) -> None:
        self._pool = pool

    def __getattr__(self, name: str) -> Any:
        return getattr(self._pool, name)

    def close(self) -> None:
        return None


class PgvectorStoreConfig(BaseModel):
    """PostgreSQL + pgvector: embedded (a local server we start) or external (DATABASE_URL).

    Every project (table) of the process shares one connection pool: a pool per project would hold
    connections for every project ever opened and exhaust the server's ``max_connections``.
    """

    model_config = ConfigDict(frozen=True)
    connection_string: SecretStr
    max_connections: int = 10
    pool_timeout_seconds: float = 10.0  # how long a call waits for a connection (CONCIERGE_DB_TIMEOUT_SECONDS)
    _pool: Any = PrivateAttr(default=None)
    _lock: threading.Lock = PrivateAttr(default_factory=threading.Lock)

    def _shared_pool(self) -> _SharedPool:
        from psycopg_pool import ConnectionPool

        with self._lock:
            if self._pool is None:
                # Every connection is checked when borrowed: after a database restart the next call gets a
                # fresh connection instead of a dead one.
                pool = ConnectionPool(
                    self.connection_string.get_secret_value(),
                    min_size=1,
                    max_size=self.max_connections,
                    check=ConnectionPool.check_connection,
                    timeout=self.pool_timeout_seconds,
                    # Give up a reconnect cycle after 5 s (a new one starts on the next call): psycopg's
                    # default backoff runs to minutes, so a database back after 20 s would stay unused.
                    reconnect_timeout=5.0,
                    open=False,
                )
                pool.open(wait=False)
                self._pool = pool
            return _SharedPool(self._pool)

    def mem0_config(self, collection: str) -> tuple[str, dict[str, Any]]:
        return "pgvector", {
            "connection_pool": self._shared_pool(),
            "collection_name": collection,
            "embedding_model_dims": embeddings.EMBEDDING_DIMS,
            "hnsw": True,
        }

    def close(self) -> None:
        with self._lock:
            pool, self._pool = self._pool, None
        if pool is not None:
            pool.close()


class QdrantStoreConfig(BaseModel):
    """Qdrant server (url) or local folder (path; single client per process, serialized)."""

    model_config = ConfigDict(frozen=True)
    url: str | None = None
    path: Path | None = None
    api_key: SecretStr | None = None

    @property
    def is_local(self) -> bool:
        return self.url is None

    def mem0_config(self, collection: str, client: Any = None) -> tuple[str, dict[str, Any]]:
        config: dict[str, Any] = {"collection_name": collection, "embedding_model_dims": embeddings.EMBEDDING_DIMS}
        if client is not None:
            config["client"] = client
        else:
            config["url"] = self.url
            config["api_key"] = self.api_key.get_secret_value() if self.api_key else None
        return "qdrant", config


# One advisory lock for all first-use DDL in a database: ``CREATE EXTENSION vector`` is shared by every
# table, so a per-table lock would let two new projects race on it (UniqueViolation on pg_extension).
_DDL_LOCK_KEY = int.from_bytes(hashlib.sha256(b"concierge first-use DDL").digest()[:8], "big", signed=True)


def prepare_pg_collection(memory: Any) -> None:
    """Create the extension and table once, serialised across processes by an advisory lock, plus a user_id index.

    Concurrent first ``CREATE EXTENSION/TABLE IF NOT EXISTS`` calls race (UniqueViolation) without the lock.
    """
    store = memory.vector_store
    table = store.collection_name
    key = _DDL_LOCK_KEY
    with store.connection_pool.connection() as conn:
        conn.execute("SELECT pg_advisory_lock(%s)", (key,))
        try:
            store._ensure_collection()  # mem0's own DDL: table, HNSW and text indexes
            from psycopg import sql

            conn.execute(
                sql.SQL("CREATE INDEX IF NOT EXISTS {} ON {} ((payload->>'user_id'))").format(
                    sql.Identifier(f"{table}_user_idx"), sql.Identifier(table)
                )
            )
            conn.commit()
        finally:
            conn.execute("SELECT pg_advisory_unlock(%s)", (key,))
            conn.commit()


def _qdrant_local_client(path: Path) -> Any:
    from qdrant_client import QdrantClient

    path.mkdir(parents=True, exist_ok=True)
    try:
        return QdrantClient(path=str(path))
    except RuntimeError as exc:
        raise StoreUnavailableError(
            f"Qdrant local folder {path} is in use by another process ({exc}). Local mode allows one process: "
            "run a Qdrant server and set QDRANT_URL, or use the embedded PostgreSQL (unset QDRANT_PATH)."
        ) from exc


def build_memory(settings: Settings) -> ConciergeMemory:
    """Build the memory layer the settings ask for."""
    classifier = CategoryClassifier(settings.policy)
    if settings.backend == "cloud":
        from concierge.memory.cloud import CloudBackend

        return ConciergeMemory(CloudBackend.from_settings(settings), settings.policy)
    common: dict[str, Any] = {
        "llm": mem0_llm(settings, classifier),
        "classifier": classifier,
        "custom_instructions": extraction_instructions(settings),
    }
    if settings.backend in ("embedded", "postgres"):
        if settings.backend == "embedded":
            url = ensure_server(settings.data_dir / "pg")
        else:
            assert settings.database_url is not None
            url = settings.database_url.get_secret_value()
        pg = PgvectorStoreConfig(
            connection_string=SecretStr(with_session_options(url)), pool_timeout_seconds=settings.db_timeout_seconds
        )
        backend = Mem0OssBackend(
            name=settings.backend,
            vector_store=pg.mem0_config,
            prepare_collection=prepare_pg_collection,
            insert_once=insert_once_pg,
            close_store=pg.close,
            **common,
        )
    else:
        qdrant = QdrantStoreConfig(url=settings.qdrant_url, path=settings.qdrant_path, api_key=settings.qdrant_api_key)
        client = _qdrant_local_client(qdrant.path) if qdrant.is_local and qdrant.path else None

        def qdrant_store(collection: str) -> tuple[str, dict[str, Any]]:
            return qdrant.mem0_config(collection, client)

        backend = Mem0OssBackend(name="qdrant", vector_store=qdrant_store, serialize=qdrant.is_local, **common)
    return ConciergeMemory(backend, settings.policy)


def close_memory(memory: ConciergeMemory, settings: Settings) -> None:
    """Close pools, then release the embedded server handle (it stops when no process holds one)."""
    memory.close()
    if settings.backend == "embedded":
        from concierge.memory.embedded_postgres import stop_server

        with contextlib.suppress(Exception):
            stop_server(settings.data_dir / "pg")
