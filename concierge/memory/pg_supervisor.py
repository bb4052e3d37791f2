"""Stops an embedded PostgreSQL once no process uses it, however its last client ended.

A client that leaves normally stops the server itself when it is the last one (``EmbeddedServer.close``).
A client killed by SIGKILL or SIGTERM, or ending with ``os._exit``, runs no code on the way out: the
kernel drops its shared lock on ``.<name>.clients``, but nobody is left to stop the server. So every
postmaster is started with this small detached process beside it:

    python -m concierge.memory.pg_supervisor <pgdata> <postmaster pid>

It blocks in the kernel (no polling) until it can lock the clients file exclusively, that is until no
client holds it, and lets go at once, so a process joining meanwhile is never kept waiting. Then
``stop_if_unused`` checks again under the start/stop lock (a client may have joined in between: the
server stays up and we wait again) and stops the postmaster only once ``_find_postmaster`` proves it is
still the one we were started for. The supervisor exits as soon as that postmaster is gone, whoever
stopped it (the last client, ``pg_ctl stop``, a crash followed by a restart with its own supervisor).
"""

from __future__ import annotations

import contextlib
import fcntl
import logging
import os
import select
import sys
import threading
from pathlib import Path

import psutil

from concierge.memory.embedded_postgres import _lock_paths, _locked, stop_if_unused

logger = logging.getLogger(__name__)


def _wait_for_exit(pid: int) -> None:
    """Block until process ``pid`` has ended: a pidfd where the kernel has them, else psutil's wait."""
    try:
        fd = os.pidfd_open(pid)
    except ProcessLookupError:
        return
    except (AttributeError, OSError):  # no pidfd_open (not Linux, or a kernel before 5.3)
        with contextlib.suppress(psutil.NoSuchProcess):
            psutil.Process(pid).wait()
        return
    try:
        select.select([fd], [], [])  # readable once the process has exited
    finally:
        os.close(fd)


def _exit_when_gone(postmaster_pid: int) -> None:
    """End this process as soon as the watched postmaster ends: there is nothing left to supervise."""

    def watch() -> None:
        _wait_for_exit(postmaster_pid)
        os._exit(0)

    threading.Thread(target=watch, name="postmaster-exit", daemon=True).start()


def supervise(pgdata: Path, postmaster_pid: int) -> None:
    """Wait until the server has no client, then stop it (see the module docstring); return when done."""
    _exit_when_gone(postmaster_pid)
    _mutex_path, clients_path = _lock_paths(pgdata)
    while True:
        with _locked(clients_path, fcntl.LOCK_EX):
            pass  # no client holds the lock right now; let go at once and re-check under the start/stop lock
        if stop_if_unused(pgdata, postmaster_pid):
            return


def main(argv: list[str]) -> int:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s pg_supervisor[%(process)d] %(message)s")
    if len(argv) != 2 or not argv[1].isdigit():
        print("usage: python -m concierge.memory.pg_supervisor <pgdata> <postmaster pid>", file=sys.stderr)
        return 2
    try:
        supervise(Path(argv[0]), int(argv[1]))
    except Exception as exc:  # e.g. the data dir's folder was removed: nothing left to stop
        logger.warning("embedded PostgreSQL supervisor for %s ends: %s", argv[0], exc)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
