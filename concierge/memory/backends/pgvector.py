"""PostgreSQL + pgvector through mem0: embedded (a local server we start) or external (DATABASE_URL), same code.

Everything pgvector-specific at the storage boundary lives here: the shared connection pool, first-use
DDL, insert-once under advisory locks, the "current versions only" filter and the payload merge.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import logging
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ConfigDict, PrivateAttr, SecretStr

from concierge import embeddings
from concierge.errors import StoreUnavailableError
from concierge.memory.dedupe import Row, fact_key
from concierge.memory.pg_connect import check_first_connection, with_app_options
from concierge.memory.pg_faults import connection_lost, explain_ddl_failure, explain_pool_timeout, retry_once
from concierge.memory.versions import SUPERSEDED_AT, SUPERSEDED_BY, StoreOps
from concierge.redact import redact_url

if TYPE_CHECKING:
    from concierge.memory.extractor import Extractor
    from concierge.settings import Settings

logger = logging.getLogger(__name__)


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


# One advisory lock for all first-use DDL in a database: ``CREATE EXTENSION vector`` is shared by every
# table, so a per-table lock would let two new projects race on it (UniqueViolation on pg_extension).
DDL_LOCK_KEY = int.from_bytes(hashlib.sha256(b"concierge first-use DDL").digest()[:8], "big", signed=True)


class _ReadsRetried:
    """mem0's pgvector store with each read (and idempotent delete) tried once more when the server ended the
    connection mid-call: a terminated backend costs one retry on a fresh connection, not a failed turn."""

    _RETRIED = frozenset({"search", "keyword_search", "list", "get", "list_cols", "col_info", "delete"})

    def __init__(self, inner: Any) -> None:
        self._inner = inner

    def __getattr__(self, name: str) -> Any:
        attribute = getattr(self._inner, name)
        if name not in self._RETRIED or not callable(attribute):
            return attribute

        def call(*args: Any, **kwargs: Any) -> Any:
            try:
                return attribute(*args, **kwargs)
            except Exception as exc:
                if not connection_lost(exc):
                    raise
                logger.warning("the database ended a connection during %s (%s); retrying once", name, exc.sqlstate)
                return attribute(*args, **kwargs)

        return call


def prepare_pg_collection(memory: Any, where: str = "the database") -> None:
    """Create the extension and table once, serialised across processes by an advisory lock, plus a user_id index.

    Concurrent first ``CREATE EXTENSION/TABLE IF NOT EXISTS`` calls race (UniqueViolation) without the lock.
    A missing or uncreatable extension, or no right to create tables, is one line naming the fix.
    """
    store = memory.vector_store
    try:
        _create_collection(store)
    except Exception as exc:
        explained = explain_ddl_failure(exc, where)
        if explained is None:
            raise
        raise explained from None
    memory.vector_store = _ReadsRetried(store)


def _create_collection(store: Any) -> None:
    table = store.collection_name
    key = DDL_LOCK_KEY
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
            conn.rollback()  # a failed DDL leaves the transaction aborted: the unlock must still run
            conn.execute("SELECT pg_advisory_unlock(%s)", (key,))
            conn.commit()


def _lock_id(table: str, key: tuple[str, str, str]) -> int:
    digest = hashlib.sha256("\x00".join((table, *key)).encode()).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


def insert_once_pg(inner: Any, rows: list[Row]) -> list[str | None]:
    """Advisory lock per (user, lifetime, text) key, look-up among current versions and insert in one transaction.

    A superseded row with the same text does not block it: a fact said again after it changed is current again.
    """
    from psycopg import sql
    from psycopg.types.json import Jsonb

    table = sql.Identifier(inner.collection_name)
    # Its own statement after the lock, so its snapshot sees a row another writer committed meanwhile.
    insert = sql.SQL(
        "INSERT INTO {0} (id, vector, payload) SELECT %s, %s, %s WHERE NOT EXISTS (SELECT 1 FROM {0} "
        "WHERE payload->>'user_id' = %s AND payload->>'session' = %s AND payload->>'hash' = %s "
        "AND NOT payload ? %s) RETURNING id"
    ).format(table)

    def work(conn: Any) -> set[str]:
        written: set[str] = set()
        for row in sorted(rows, key=lambda r: _lock_id(inner.collection_name, fact_key(r.payload))):
            key = fact_key(row.payload)
            conn.execute("SELECT pg_advisory_xact_lock(%s)", (_lock_id(inner.collection_name, key),))
            params = (row.id, row.vector, Jsonb(row.payload), *key, SUPERSEDED_BY)
            if conn.execute(insert, params).fetchone() is not None:
                written.add(row.id)
        return written

    written = retry_once(inner.connection_pool, work, commit=True)  # one transaction, committed once
    return [row.id if row.id in written else None for row in rows]


def current_only(filters: dict[str, Any]) -> dict[str, Any]:
    """mem0's pgvector filter dialect: ``{"$not": [{key: "*"}]}`` is ``NOT (payload ? key)``."""
    return {**filters, "$not": [*filters.get("$not", []), {SUPERSEDED_BY: "*"}]}


def merge_payload(inner: Any, vector_id: str, user_id: str, fields: dict[str, Any]) -> bool:
    """One atomic ``payload || fields`` on the user's row; a row already superseded is not superseded again."""
    from psycopg import sql
    from psycopg.types.json import Jsonb

    query = sql.SQL("UPDATE {} SET payload = payload || %s WHERE id = %s AND payload->>'user_id' = %s").format(
        sql.Identifier(inner.collection_name)
    )
    params: tuple[Any, ...] = (Jsonb(fields), vector_id, user_id)
    if SUPERSEDED_BY in fields:
        query = sql.SQL("{} AND NOT payload ? %s").format(query)
        params = (*params, SUPERSEDED_BY)
    return retry_once(inner.connection_pool, lambda conn: conn.execute(query, params).rowcount, commit=True) == 1


def relink(inner: Any, vector_id: str, user_id: str, was: str, now: str | None) -> bool:
    """One atomic compare-and-set on the user's row superseded by ``was``: point it to ``now``, or (None) remove
    ``superseded_by``/``superseded_at``, since ``current_only`` tests that the key exists."""
    from psycopg import sql
    from psycopg.types.json import Jsonb

    change = sql.SQL("payload - %s::text - %s::text") if now is None else sql.SQL("payload || %s")
    query = sql.SQL(
        "UPDATE {} SET payload = {} WHERE id = %s AND payload->>'user_id' = %s AND payload->>%s = %s"
    ).format(sql.Identifier(inner.collection_name), change)
    values: tuple[Any, ...] = (SUPERSEDED_BY, SUPERSEDED_AT) if now is None else (Jsonb({SUPERSEDED_BY: now}),)
    params = (*values, vector_id, user_id, SUPERSEDED_BY, was)
    return retry_once(inner.connection_pool, lambda conn: conn.execute(query, params).rowcount, commit=True) == 1


OPS = StoreOps(insert_once=insert_once_pg, current_only=current_only, merge_payload=merge_payload, relink=relink)


class EmbeddedPgConfig(BaseModel):
    """The embedded server: its data folder lives under CONCIERGE_DATA_DIR; nothing else to configure."""

    model_config = ConfigDict(frozen=True)
    pgdata: Path

    @classmethod
    def from_settings(cls, settings: Settings) -> EmbeddedPgConfig:
        return cls(pgdata=settings.data_dir / "pg")

    def connection_url(self) -> str:
        from concierge.memory.embedded_postgres import ensure_server

        return ensure_server(self.pgdata)

    def setting(self) -> str:
        return ""

    def where(self) -> str:
        return f"the embedded PostgreSQL in {self.pgdata}"

    def release(self) -> None:
        """Release this process's handle on the server (it stops when no process holds one)."""
        from concierge.memory.embedded_postgres import stop_server

        with contextlib.suppress(Exception):
            stop_server(self.pgdata)


class ExternalPgConfig(BaseModel):
    """An external PostgreSQL with pgvector (DATABASE_URL); the same code as the embedded server."""

    model_config = ConfigDict(frozen=True)
    database_url: SecretStr

    @classmethod
    def from_settings(cls, settings: Settings) -> ExternalPgConfig:
        if settings.database_url is None:
            raise StoreUnavailableError("the postgres memory backend needs DATABASE_URL; set it or use embedded")
        return cls(database_url=settings.database_url)

    def connection_url(self) -> str:
        url = self.database_url.get_secret_value()
        check_first_connection(url)  # refused / timed out / bad login: one line in seconds, not a pool timeout
        return url

    def setting(self) -> str:
        return f"DATABASE_URL={redact_url(self.database_url.get_secret_value())}"

    def where(self) -> str:
        return self.setting()

    def release(self) -> None:
        return None


def _failure_explainer(url: str, where: str, settings: Settings) -> Any:
    """The store errors of PostgreSQL that "unreachable" would misname: no free connection, a lost connection."""

    def explain(exc: BaseException) -> str | None:
        from psycopg_pool import PoolTimeout

        if isinstance(exc, PoolTimeout):
            return explain_pool_timeout(url, where, settings.db_pool_size, settings.db_timeout_seconds)
        if connection_lost(exc):
            return (
                f"the database at {where} ended the connection during the call, and again on a fresh one (a "
                "terminated backend, a restart or a failover); nothing was written. Check the server's log, then retry"
            )
        return None

    return explain


def app_connection_url(config: EmbeddedPgConfig | ExternalPgConfig) -> str:
    """The URL every pool of the app uses: the configured one, its own ``options`` kept, plus the app's."""
    from concierge.memory.embedded_postgres import PG_OPTIONS

    return with_app_options(config.connection_url(), PG_OPTIONS)


def build(config: EmbeddedPgConfig | ExternalPgConfig, settings: Settings, extractor: Extractor) -> Any:
    """A mem0 OSS backend on PostgreSQL: one table per project, every table on one shared pool."""
    from concierge.memory.mem0_oss import Mem0OssBackend

    url = app_connection_url(config)
    pg = PgvectorStoreConfig(
        connection_string=SecretStr(url),
        max_connections=settings.db_pool_size,
        pool_timeout_seconds=settings.db_timeout_seconds,
    )
    return Mem0OssBackend.from_settings(
        settings,
        extractor,
        vector_store=pg.mem0_config,
        ops=OPS,
        prepare_collection=functools.partial(prepare_pg_collection, where=config.where()),
        close_store=pg.close,
        setting=config.setting(),
        explain_failure=_failure_explainer(url, config.where(), settings),
    )
