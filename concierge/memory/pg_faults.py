"""What a first deployment on someone else's PostgreSQL meets, turned into one line naming the fix.

A managed or shared server differs from the embedded one: the ``vector`` extension may be missing or
not creatable by the app's role (pgvector is not a trusted extension: only a superuser can create it),
the role may not create tables in its schema, the server may be at ``max_connections``, and a backend
may be terminated mid-call (``pg_terminate_backend``, a failover, an idle-session killer). The
raw psycopg errors say none of that; these helpers do, and ``retry_once`` gives a read, or a write known
not to have committed, one more try on a fresh connection.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any, TypeVar

from concierge.errors import StoreUnavailableError

logger = logging.getLogger(__name__)
T = TypeVar("T")

POOL_SIZE_VARIABLE = "CONCIERGE_DB_POOL_SIZE"
# admin_shutdown (pg_terminate_backend), crash_shutdown, cannot_connect_now, idle_session_timeout
_LOST_SQLSTATES = frozenset({"57P01", "57P02", "57P03", "57P05"})
_LOST_WORDS = (
    "server closed the connection",
    "terminating connection",
    "connection is lost",
    "connection is closed",
    "consuming input failed",
)
TOO_MANY_CONNECTIONS = "53300"


def connection_lost(exc: BaseException) -> bool:
    """The server ended this connection (terminated backend, restart): a fresh one may well work."""
    import psycopg
    import psycopg_pool

    if not isinstance(exc, psycopg.OperationalError) or isinstance(exc, psycopg_pool.PoolTimeout):
        return False
    if getattr(exc, "sqlstate", None) in _LOST_SQLSTATES:
        return True
    return any(word in str(exc).lower() for word in _LOST_WORDS)


class CommitUnknownError(StoreUnavailableError):
    """The connection died while a COMMIT was in flight: the write may or may not be stored."""


def retry_once(pool: Any, work: Callable[[Any], T], *, commit: bool) -> T:
    """``work(conn)`` on a pooled connection; when the server ends that connection before the work committed,
    once more on a fresh one (the pool checks each connection it hands out). A loss during COMMIT itself is
    not retried: nobody knows whether it was stored."""
    for attempt in (1, 2):
        with pool.connection() as conn:
            try:
                result = work(conn)
            except Exception as exc:
                if attempt == 2 or not connection_lost(exc):
                    raise
                logger.warning("the database ended a connection mid-call (%s); retrying once", type(exc).__name__)
                continue
            if commit:
                try:
                    conn.commit()
                except Exception as exc:
                    if connection_lost(exc):
                        raise CommitUnknownError(
                            "the database connection was lost while a write was committing, so it may or may not "
                            "be stored; list the memories to check, then retry"
                        ) from exc
                    raise
            return result
    raise AssertionError("unreachable")  # pragma: no cover


def explain_ddl_failure(exc: BaseException, where: str) -> StoreUnavailableError | None:
    """One line for the first-use DDL failures of a new database (extension missing or not creatable, no
    CREATE on the schema); None for anything else. ``where`` names the database, never its password."""
    import psycopg

    if not isinstance(exc, psycopg.Error):
        return None
    text = str(exc).lower()
    if "extension" in text and ("is not available" in text or "could not open extension control file" in text):
        return StoreUnavailableError(
            f'the PostgreSQL server of {where} has no pgvector installed (extension "vector" is not available); '
            "install pgvector 0.8 on that server (package postgresql-NN-pgvector, or build it from source), "
            "then retry"
        )
    if isinstance(exc, psycopg.errors.InsufficientPrivilege) and "extension" in text:
        return StoreUnavailableError(
            f"the database role of {where} may not create the vector extension (pgvector is not a trusted "
            "extension: only a superuser can); ask a superuser to run CREATE EXTENSION vector in that database, "
            "then retry"
        )
    if isinstance(exc, psycopg.errors.InsufficientPrivilege) and "schema" in text:
        return StoreUnavailableError(
            f"the database role of {where} may not create tables in its schema ({str(exc).strip().splitlines()[0]}); "
            "ask the schema's owner to GRANT CREATE ON SCHEMA public TO that role (or give it a schema of its own "
            "with options=-csearch_path=... in DATABASE_URL), then retry"
        )
    return None


def at_max_connections(message: str) -> bool:
    """libpq's words for a server with no connection slot left (at connect time there is no SQLSTATE)."""
    text = message.lower()
    return "too many clients" in text or "remaining connection slots are reserved" in text


def explain_pool_timeout(url: str, where: str, pool_size: int, timeout: float) -> str | None:
    """Why no connection came within ``timeout``: the server at max_connections, or this process's pool busy;
    None when the server does not answer at all (the caller's "unreachable" line says that)."""
    import psycopg

    try:
        with psycopg.connect(url, connect_timeout=2, autocommit=True):
            pass
    except psycopg.Error as exc:
        if getattr(exc, "sqlstate", None) == TOO_MANY_CONNECTIONS or at_max_connections(str(exc)):
            return (
                f"the database at {where} refuses new connections: it is at its max_connections limit; each "
                f"process holds up to {POOL_SIZE_VARIABLE}={pool_size} connections per pool, so raise "
                f"max_connections on the server, lower {POOL_SIZE_VARIABLE}, run fewer processes, or fix DATABASE_URL"
            )
        return None
    return (
        f"all {pool_size} connections of this process's pool ({POOL_SIZE_VARIABLE}) were busy for {timeout:g} s "
        f"(CONCIERGE_DB_TIMEOUT_SECONDS); raise {POOL_SIZE_VARIABLE} (the server's max_connections permitting) "
        "or the timeout"
    )
