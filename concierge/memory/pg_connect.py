"""The first connection to an external PostgreSQL (DATABASE_URL): fail in seconds, with one line that says why.

Without this, a wrong DATABASE_URL waited out the pool's timeout (10 s plus reconnect cycles) and
reported "unreachable" whatever the cause. One direct connection attempt with a short
``connect_timeout`` tells "refused" (nothing listens there), "timed out" (a firewall or a wrong
host), a rejected login and a missing database apart, before any pool is built.
"""

from __future__ import annotations

import os

from concierge.errors import ConfigError, StoreUnavailableError
from concierge.memory.pg_faults import at_max_connections
from concierge.redact import redact_url

CONNECT_TIMEOUT_VARIABLE = "CONCIERGE_DB_CONNECT_TIMEOUT"
DEFAULT_CONNECT_TIMEOUT = 5.0  # seconds for the first connection (libpq's minimum that counts is 2)


def _seconds(variable: str, default: float) -> float:
    raw = os.environ.get(variable, "").strip()
    if not raw:
        return default
    try:
        value = float(raw)
    except ValueError:
        value = -1.0
    if not 0 < value <= 600:
        raise ConfigError(variable, raw, "a number of seconds from 0 to 600, e.g. 5")
    return value


def connect_timeout() -> float:
    """Seconds the first connection may take (``CONCIERGE_DB_CONNECT_TIMEOUT``, default 5)."""
    return _seconds(CONNECT_TIMEOUT_VARIABLE, DEFAULT_CONNECT_TIMEOUT)


def explain(message: str, where: str, timeout: float) -> str:
    """One sentence for a failed first connection: what happened, where, and what to fix."""
    text = message.lower()
    if "connection refused" in text:
        return (
            f"the database at DATABASE_URL={where} refused the connection (nothing listens on that host and port); "
            "start PostgreSQL there or fix DATABASE_URL"
        )
    if "timeout expired" in text or "timed out" in text:
        return (
            f"the database at DATABASE_URL={where} did not answer within {timeout:g} s (a wrong host, or a firewall); "
            f"fix DATABASE_URL, or raise {CONNECT_TIMEOUT_VARIABLE}"
        )
    if at_max_connections(text):
        return (
            f"the database at DATABASE_URL={where} is at its max_connections limit (too many clients); raise "
            "max_connections on the server, lower CONCIERGE_DB_POOL_SIZE or run fewer processes, or fix DATABASE_URL"
        )
    if "password authentication failed" in text or "no password supplied" in text:
        return f"the database at DATABASE_URL={where} rejected the user or password; fix them in DATABASE_URL"
    if "does not exist" in text and "database" in text:
        return f"the database named in DATABASE_URL={where} does not exist; create it or fix the name"
    if "could not translate host name" in text or "name or service not known" in text:
        return f"the host in DATABASE_URL={where} is unknown; fix the host name"
    first_line = message.strip().splitlines()[0] if message.strip() else "unknown error"
    return f"cannot connect to the database at DATABASE_URL={where} ({first_line}); fix DATABASE_URL"


def with_app_options(url: str, app_options: str) -> str:
    """The URL's connection parameters with ``app_options`` added to its own ``options`` (a ``search_path``, a
    ``statement_timeout``), never replacing them; a libpq conninfo string that psycopg and its pool accept."""
    from psycopg.conninfo import conninfo_to_dict, make_conninfo

    own = str(conninfo_to_dict(url).get("options") or "").strip()
    return make_conninfo(url, options=f"{own} {app_options}".strip())


def check_first_connection(url: str) -> None:
    """Open and close one connection, or raise StoreUnavailableError with ``explain``'s sentence."""
    import psycopg

    timeout = connect_timeout()
    try:
        # libpq counts connect_timeout in whole seconds per address, 2 at least.
        with psycopg.connect(url, connect_timeout=max(2, round(timeout)), autocommit=True):
            return
    except psycopg.Error as exc:
        raise StoreUnavailableError(explain(str(exc), redact_url(url) or "?", timeout)) from None
