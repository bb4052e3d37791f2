"""A bounded wait for a ``flock``, ending in one line that names the process holding it.

Why: the embedded server's start/stop lock is taken by every command. A process that keeps it (a hung
command, a stray ``flock`` in a shell) made every later command wait forever, printing nothing. The wait
is bounded by ``CONCIERGE_LOCK_TIMEOUT_SECONDS`` (validated with the other settings at start); the holder
is read from ``/proc/locks``, which lists ``flock`` locks with their owner (``fcntl(F_GETLK)`` sees only
POSIX record locks, a different kind).
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import threading
import time
from pathlib import Path

from concierge.errors import StoreUnavailableError
from concierge.terminal_text import escape_line

TIMEOUT_ENV = "CONCIERGE_LOCK_TIMEOUT_SECONDS"
DEFAULT_TIMEOUT_S = 15.0
_POLL_S = (0.01, 0.02, 0.05, 0.1, 0.2)


class LockHeldError(StoreUnavailableError):
    """The lock was still held by another process when the wait ended."""


def lock_timeout() -> float:
    """Seconds to wait for the data dir lock: ``CONCIERGE_LOCK_TIMEOUT_SECONDS``, 15 by default.

    ``load_settings`` refuses a bad value with one line; a process that skipped it gets the default.
    """
    try:
        seconds = float(os.environ.get(TIMEOUT_ENV, "").strip() or DEFAULT_TIMEOUT_S)
    except ValueError:
        return DEFAULT_TIMEOUT_S
    return seconds if 1 <= seconds <= 600 else DEFAULT_TIMEOUT_S  # the range settings allow


def lock_holders(fd: int, locks_file: Path = Path("/proc/locks")) -> list[int]:
    """The pids holding a ``flock`` on the file open as ``fd`` (other than this process); [] when unknown."""
    st = os.fstat(fd)
    inode = f"{os.major(st.st_dev):02x}:{os.minor(st.st_dev):02x}:{st.st_ino}"
    try:
        lines = locks_file.read_text().splitlines()
    except OSError:
        return []
    pids = []
    for line in lines:
        fields = line.split()
        # "1: FLOCK  ADVISORY  WRITE 4242 00:2b:1234 0 EOF"; a waiter's line has "->" after the number.
        if len(fields) >= 6 and fields[1] == "FLOCK" and fields[5] == inode and fields[4].isdigit():
            pid = int(fields[4])
            if pid != os.getpid() and pid not in pids:
                pids.append(pid)
    return pids


def _alive(pid: int) -> bool:
    import psutil

    try:
        return psutil.Process(pid).status() != psutil.STATUS_ZOMBIE
    except psutil.Error:
        return False


def fd_holders(fd: int, proc: Path = Path("/proc")) -> list[int]:
    """The processes (other than this one) holding the lock through a descriptor of the file open as ``fd``.

    Why: ``/proc/locks`` names the process that took a ``flock``, but the lock belongs to the open file, which
    a child inherits: after ``flock FILE sleep 60 & kill $!`` the named pid is dead and ``sleep`` holds it.
    ``/proc/PID/fdinfo/N`` shows, for each descriptor, the locks taken through its open file ("lock:" lines;
    a waiter's has "->"), so a process that merely has the file open is not named. Only processes this user
    may inspect are seen.
    """
    st = os.fstat(fd)
    found = []
    for fd_dir in proc.glob("[0-9]*/fd"):
        pid = int(fd_dir.parent.name)
        if pid == os.getpid():
            continue
        with contextlib.suppress(OSError):
            if any(
                _same_file(link, st) and _holds_lock(fd_dir.parent / "fdinfo" / link.name) for link in fd_dir.iterdir()
            ):
                found.append(pid)
    return sorted(found)


def _same_file(link: Path, st: os.stat_result) -> bool:
    try:
        other = link.stat()  # follows /proc/PID/fd/N to the open file
    except OSError:
        return False
    return (other.st_dev, other.st_ino) == (st.st_dev, st.st_ino)


def _holds_lock(fdinfo: Path) -> bool:
    try:
        lines = fdinfo.read_text().splitlines()
    except OSError:
        return False
    return any(line.startswith("lock:") and "->" not in line for line in lines)


def _describe(pid: int) -> str:
    """``pid 4242 (flock .pg.lock sleep 45)``: the command line, short and on one line."""
    import psutil

    with contextlib.suppress(psutil.Error):
        command = " ".join(psutil.Process(pid).cmdline())
        shown = command if len(command) <= 80 else f"{command[:77]}..."
        return f"pid {pid} ({escape_line(shown)})"
    return f"pid {pid}"


def _who(fd: int) -> tuple[str, list[int]]:
    """Who holds the lock, in words, and the live pids to stop: never a pid that has exited."""
    named = lock_holders(fd)
    if live := [pid for pid in named if _alive(pid)]:
        return f"is locked by {', '.join(map(_describe, live))}", live
    exited = f"pid {', '.join(map(str, named))}, which took it, has exited" if named else ""
    if inherited := [pid for pid in fd_holders(fd) if _alive(pid)]:
        through = f"; {exited}" if exited else ""
        return f"is held through an inherited descriptor by {', '.join(map(_describe, inherited))}{through}", inherited
    return f"is held by a process that could not be identified{f' ({exited})' if exited else ''}", []


def held_error(fd: int, path: Path, seconds: float) -> LockHeldError:
    """One line: who holds the lock on ``path`` (live processes only), how long we waited, and what to do."""
    who, pids = _who(fd)
    stop = f"or stop it (kill {' '.join(map(str, pids))})" if pids else f"or find it with: fuser -v {path}"
    return LockHeldError(
        f"{path} {who}: waited {seconds:g} s; wait for it to finish and retry, {stop}. "
        f"{TIMEOUT_ENV} sets how long to wait"
    )


def wait_for_flock(fd: int, path: Path, operation: int, timeout: float, cancel: threading.Event | None = None) -> None:
    """``flock(fd, operation)``, waiting at most ``timeout`` seconds (or until ``cancel`` is set)."""
    deadline = time.monotonic() + timeout
    attempt = 0
    while True:
        try:
            fcntl.flock(fd, operation | fcntl.LOCK_NB)
            return
        except BlockingIOError:
            if time.monotonic() >= deadline or (cancel is not None and cancel.is_set()):
                raise held_error(fd, path, timeout) from None
        time.sleep(_POLL_S[min(attempt, len(_POLL_S) - 1)])
        attempt += 1
