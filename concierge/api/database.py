"""The API's tables (keys, idempotency records, rate counters) in the memory store's own PostgreSQL.

The same database as the memories (embedded by default, ``DATABASE_URL`` otherwise), so one deployment
has one thing to back up and every process sees every key and every in-flight request.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from typing import Any, TypeVar

from concierge.errors import StoreUnavailableError
from concierge.settings import Settings

T = TypeVar("T")

SCHEMA = (
    """CREATE TABLE IF NOT EXISTS concierge_api_keys (
        key_id text PRIMARY KEY,
        name text NOT NULL,
        org_id text NOT NULL,
        project_id text NOT NULL,
        secret_sha256 bytea NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        last_used_at timestamptz,
        revoked_at timestamptz)""",
    "CREATE UNIQUE INDEX IF NOT EXISTS concierge_api_keys_live_name ON concierge_api_keys (name) "
    "WHERE revoked_at IS NULL",
    """CREATE TABLE IF NOT EXISTS concierge_api_idempotency (
        key_id text NOT NULL,
        idempotency_key text NOT NULL,
        fingerprint text NOT NULL,
        org_id text NOT NULL,
        project_id text NOT NULL,
        user_id text NOT NULL,
        owner text NOT NULL,
        status integer,
        body jsonb,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (key_id, idempotency_key))""",
    "CREATE INDEX IF NOT EXISTS concierge_api_idempotency_user "
    "ON concierge_api_idempotency (org_id, project_id, user_id)",
    """CREATE TABLE IF NOT EXISTS concierge_api_rate (
        key_id text NOT NULL,
        window_start bigint NOT NULL,
        hits integer NOT NULL,
        PRIMARY KEY (key_id, window_start))""",
)


class ApiDatabase:
    """A small autocommit pool on the store's database, with the API's tables created on first use."""

    def __init__(self, settings: Settings) -> None:
        from psycopg_pool import ConnectionPool

        from concierge.memory.backends import backend_config
        from concierge.memory.backends.pgvector import app_connection_url

        if settings.backend not in ("embedded", "postgres"):
            raise StoreUnavailableError(
                f"the HTTP API keeps its keys and request records in PostgreSQL, but the memory store is "
                f"{settings.backend!r}; use the embedded store (the default) or set DATABASE_URL"
            )
        self._settings = settings
        self._config = backend_config(settings)
        self.where = self._config.where()
        self._url = app_connection_url(self._config)
        self._pool = ConnectionPool(
            self._url,
            min_size=1,
            max_size=settings.db_pool_size,
            kwargs={"autocommit": True},
            check=ConnectionPool.check_connection,
            timeout=settings.db_timeout_seconds,
            reconnect_timeout=5.0,
            open=False,
        )
        self._pool.open(wait=False)
        try:
            self._create_tables()
        except BaseException:
            self.close()
            raise

    def _create_tables(self) -> None:
        from concierge.memory.backends.pgvector import DDL_LOCK_KEY
        from concierge.memory.pg_faults import explain_ddl_failure

        def create(conn: Any) -> None:
            conn.execute("SELECT pg_advisory_lock(%s)", (DDL_LOCK_KEY,))  # concurrent IF NOT EXISTS races
            try:
                for statement in SCHEMA:
                    conn.execute(statement)
            finally:
                conn.execute("SELECT pg_advisory_unlock(%s)", (DDL_LOCK_KEY,))

        try:
            self.run(create)
        except Exception as exc:
            explained = explain_ddl_failure(exc, self.where)
            if explained is None:
                raise
            raise explained from None

    def run(self, work: Callable[[Any], T]) -> T:
        """``work(conn)`` on an autocommit connection; retried once on a fresh one if the server ended it."""
        from concierge.memory.pg_faults import retry_once

        with self._errors_explained():
            return retry_once(self._pool, work, commit=False)

    @contextlib.contextmanager
    def _errors_explained(self) -> Iterator[None]:
        import psycopg
        from psycopg_pool import PoolTimeout

        from concierge.memory.pg_faults import connection_lost, explain_pool_timeout

        try:
            yield
        except PoolTimeout as exc:
            settings = self._settings
            line = explain_pool_timeout(self._url, self.where, settings.db_pool_size, settings.db_timeout_seconds)
            raise StoreUnavailableError(line or f"the database at {self.where} is unreachable; start it") from exc
        except psycopg.OperationalError as exc:
            why = "ended the connection twice during the call" if connection_lost(exc) else "cannot be reached"
            raise StoreUnavailableError(
                f"the database at {self.where} {why} ({type(exc).__name__}); check that it runs, then retry"
            ) from exc

    def close(self) -> None:
        self._pool.close()
        self._config.release()

    def dedicated_connection(self) -> Any:
        """A connection of its own, outside the pool (held for the process's life by ``IdempotencyStore``)."""
        import psycopg

        from concierge.memory.pg_connect import connect_timeout

        with self._errors_explained():
            return psycopg.connect(self._url, autocommit=True, connect_timeout=max(2, round(connect_timeout())))
