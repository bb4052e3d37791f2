"""Embedded PostgreSQL lifecycle: stale and corrupt lock files, crashes, races, odd paths, root.

Each test gets its own data dir (and so its own server) and stops what it started. Multi-process
tests start small helper processes that import only ``concierge.memory.embedded_postgres``.
"""

from __future__ import annotations

import os
import shutil
import signal
import stat
import subprocess
import sys
import textwrap
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace

import psutil
import psycopg
import pytest

from concierge.errors import StoreUnavailableError
from concierge.memory.embedded_postgres import ensure_server, stop_server
from concierge.service import ConciergeService
from concierge.settings import Settings

# A helper process: joins (or starts) the server, says READY with the postmaster's pid, answers each
# "query" line on stdin with OK or FAIL (a SELECT 1 on the server), and at any other line (or the end
# of stdin) releases its handle and exits; or it is killed before that.
CLIENT = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    import psycopg
    from concierge.memory.embedded_postgres import ensure_server, stop_server
    pgdata = Path(sys.argv[1])
    uri = ensure_server(pgdata)
    pid = (pgdata / "postmaster.pid").read_text().splitlines()[0]
    print("READY", pid, flush=True)
    while sys.stdin.readline() == "query\\n":
        try:
            with psycopg.connect(uri, connect_timeout=5) as conn:
                ok = conn.execute("SELECT 1").fetchone() == (1,)
        except psycopg.Error:
            ok = False
        print("OK" if ok else "FAIL", flush=True)
    stop_server(pgdata)
    """
)


def _postmaster_pid(pgdata: Path) -> int | None:
    try:
        return int((pgdata / "postmaster.pid").read_text().splitlines()[0])
    except (FileNotFoundError, IndexError, ValueError):
        return None


def _is_live(pid: int) -> bool:
    try:
        return psutil.Process(pid).status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False


def _wait_gone(pid: int, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while _is_live(pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not _is_live(pid), f"process {pid} is still running"


def _query_ok(uri: str) -> bool:
    try:
        with psycopg.connect(uri, connect_timeout=5) as conn:
            return conn.execute("SELECT 1").fetchone() == (1,)
    except psycopg.Error:
        return False


def _server_processes(pgdata: Path) -> list[psutil.Process]:
    """PostgreSQL processes working in ``pgdata`` (the server, its children, orphans of a crashed one)."""
    found = []
    for proc in psutil.process_iter():
        try:
            if proc.name() == "postgres" and Path(proc.cwd()) == pgdata.resolve():
                found.append(proc)
        except psutil.Error:
            continue
    return found


def _stop_leftovers(pgdata: Path) -> None:
    """Safety net for a failing test: stop the server this test started, so none outlives the run."""
    for proc in _server_processes(pgdata):
        try:
            if proc.ppid() == 1 or proc.parent() is None or proc.parent().name() != "postgres":
                proc.send_signal(signal.SIGINT)  # the postmaster: fast shutdown
        except psutil.Error:
            continue
    for proc in _server_processes(pgdata):
        _wait_gone(proc.pid)


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One initialised, stopped data dir (initdb takes seconds); tests start from copies of it."""
    path = tmp_path_factory.mktemp("template") / "pg"
    ensure_server(path)
    stop_server(path)
    return path


def _copy_data_dir(source: Path, target: Path) -> None:
    shutil.copytree(source, target, symlinks=True)
    owner = source.stat()
    if os.geteuid() == 0:  # keep the owner: as root the server runs as the data dir's owner
        for folder, _dirs, files in os.walk(target):
            for path in [folder, *(os.path.join(folder, name) for name in files)]:
                os.lchown(path, owner.st_uid, owner.st_gid)


@pytest.fixture
def pgdata(tmp_path: Path, template: Path) -> Iterator[Path]:
    """An initialised data dir of this test's own (so its own server), stopped."""
    path = tmp_path / "state" / "pg"
    _copy_data_dir(template, path)
    yield path
    _stop_leftovers(path)


def _client(pgdata: Path) -> tuple[subprocess.Popen[str], int]:
    proc = subprocess.Popen(
        [sys.executable, "-c", CLIENT, str(pgdata)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None
    line = proc.stdout.readline()
    assert line.startswith("READY"), proc.stderr.read() if proc.stderr else line
    return proc, int(line.split()[1])


def _crashed_data_dir(pgdata: Path) -> str:
    """A data dir whose app and postmaster were both killed with SIGKILL; returns the stale pid file."""
    client, postmaster = _client(pgdata)
    client.kill()
    client.communicate(timeout=30)
    os.kill(postmaster, signal.SIGKILL)
    _wait_gone(postmaster)
    for proc in _server_processes(pgdata):  # its children notice the postmaster died and exit
        _wait_gone(proc.pid)
    return (pgdata / "postmaster.pid").read_text()


# -- 1. a stale postmaster.pid naming another process -----------------------------------------------
@pytest.mark.slow
def test_stale_pid_of_an_unrelated_process_is_neither_trusted_nor_signalled(pgdata: Path) -> None:
    stale = _crashed_data_dir(pgdata)
    sleeper = subprocess.Popen(["sleep", "900"])
    try:
        lines = stale.splitlines()
        (pgdata / "postmaster.pid").write_text("\n".join([str(sleeper.pid), *lines[1:]]) + "\n")
        (pgdata / ".handle_pids.json").write_text("[]")
        uri = ensure_server(pgdata)
        started = _query_ok(uri)
        stop_server(pgdata)
        assert sleeper.poll() is None, "an unrelated process was signalled"
        assert started, "PostgreSQL was not started"
        assert _postmaster_pid(pgdata) is None  # the last handle stopped the server it started
    finally:
        sleeper.kill()
        sleeper.wait()


SELF_PID = textwrap.dedent(
    """
    import os, sys
    from pathlib import Path
    import psycopg
    from concierge.memory.embedded_postgres import ensure_server, stop_server
    pgdata, stale = Path(sys.argv[1]), sys.argv[2]
    lines = stale.splitlines()
    (pgdata / "postmaster.pid").write_text("\\n".join([str(os.getpid()), *lines[1:]]) + "\\n")
    with psycopg.connect(ensure_server(pgdata), connect_timeout=5) as conn:
        conn.execute("SELECT 1")
    stop_server(pgdata)
    print("OK", flush=True)
    """
)


@pytest.mark.slow
def test_stale_pid_that_is_our_own_never_kills_us(pgdata: Path) -> None:
    stale = _crashed_data_dir(pgdata)
    done = subprocess.run(
        [sys.executable, "-c", SELF_PID, str(pgdata), stale], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, (done.returncode, done.stderr[-2000:])
    assert done.stdout.split() == ["OK"]


# -- 2. self-recovery after the postmaster is killed ------------------------------------------------
@pytest.mark.slow
def test_owner_restarts_a_killed_postmaster_and_the_next_call_succeeds(settings: Settings, pgdata: Path) -> None:
    service = ConciergeService.from_settings(settings.model_copy(update={"data_dir": pgdata.parent}))
    try:
        scope = service.scope("alice", project_id="crash")
        service.remember(scope, "I love Lyon", infer=False)
        old = _postmaster_pid(pgdata)
        assert old is not None
        os.kill(old, signal.SIGKILL)
        _wait_gone(old)
        stored: list[str] = []
        deadline = time.monotonic() + 90
        while not stored and time.monotonic() < deadline:
            try:
                stored = [r.text for r in service.remember(scope, "I love Porto", infer=False).stored]
            except StoreUnavailableError:
                continue  # a call that was in flight when the server died may fail; later ones must not
        assert stored == ["I love Porto"]
        assert {m.text for m in service.memories(scope)} == {"I love Lyon", "I love Porto"}
        assert _postmaster_pid(pgdata) not in (None, old)
        deadline = time.monotonic() + 30  # the dead server's supervisor ends; the new server has its own
        while len(_supervisors(pgdata)) != 1 and time.monotonic() < deadline:
            time.sleep(0.1)
        assert [p.cmdline()[-1] for p in _supervisors(pgdata)] == [str(_postmaster_pid(pgdata))]
    finally:
        service.close()


def test_watcher_ends_quietly_when_the_data_dir_is_removed(pgdata: Path, caplog: pytest.LogCaptureFixture) -> None:
    """A deleted instance (its temp dir removed with the server gone) is not "restarted" with a warning per retry."""
    ensure_server(pgdata)
    try:
        watchers = [t for t in threading.enumerate() if t.name == f"pg-watch {pgdata.resolve()}"]
        assert len(watchers) == 1
        pid = _postmaster_pid(pgdata)
        assert pid is not None
        with caplog.at_level("INFO", logger="concierge.memory.embedded_postgres"):
            os.kill(pid, signal.SIGKILL)
            shutil.rmtree(pgdata)
            _wait_gone(pid)
            watchers[0].join(timeout=30)
        assert not watchers[0].is_alive()
        assert "could not restart" not in caplog.text
        assert "was removed" in caplog.text
    finally:
        stop_server(pgdata)


# -- 3. an empty or truncated postmaster.pid, a corrupt handle list ----------------------------------
@pytest.mark.parametrize(
    ("pid_file", "handles"),
    [("", None), ("4242\n/nowhere/pg\n17", None), (None, "[1234, ")],
    ids=["empty-pid-file", "truncated-pid-file", "corrupt-handle-list"],
)
def test_provably_stale_lock_files_are_recovered(pgdata: Path, pid_file: str | None, handles: str | None) -> None:
    if pid_file is not None:
        (pgdata / "postmaster.pid").write_text(pid_file)
    if handles is not None:
        (pgdata / ".handle_pids.json").write_text(handles)
    uri = ensure_server(pgdata)
    try:
        assert _query_ok(uri)
    finally:
        stop_server(pgdata)


JOIN = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from concierge.memory.embedded_postgres import ensure_server
    ensure_server(Path(sys.argv[1]))
    """
)


@pytest.mark.slow
def test_unreadable_pid_file_of_a_running_server_names_the_file_and_the_fix(pgdata: Path) -> None:
    uri = ensure_server(pgdata)
    pid_file = pgdata / "postmaster.pid"
    content = pid_file.read_text()
    try:
        pid_file.write_text("")  # the server is alive, but nobody can tell from the file
        done = subprocess.run([sys.executable, "-c", JOIN, str(pgdata)], capture_output=True, text=True, timeout=60)
    finally:
        pid_file.write_text(content)
    try:
        assert done.returncode != 0
        last = done.stderr.strip().splitlines()[-1]
        assert last.startswith("concierge.errors.StoreUnavailableError")
        assert str(pid_file) in last and f"kill -INT {content.split()[0]}" in last
        assert _query_ok(uri)  # the running server was left alone
    finally:
        stop_server(pgdata)


# -- 4. first-use DDL from several processes on a fresh database -------------------------------------
def test_first_use_ddl_on_a_fresh_database_is_race_free(pgdata: Path) -> None:
    from mem0.vector_stores.pgvector import PGVector
    from psycopg_pool import ConnectionPool

    from concierge import embeddings
    from concierge.memory.backends.pgvector import prepare_pg_collection

    uri = ensure_server(pgdata)
    errors: list[BaseException] = []
    pools: list[ConnectionPool] = []
    try:
        for attempt in range(3):  # each attempt on a fresh database: no vector extension, no tables
            with psycopg.connect(uri, autocommit=True) as conn:
                conn.execute("DROP EXTENSION IF EXISTS vector CASCADE")
            barrier = threading.Barrier(4)
            names = [f"race_{attempt}_{i}" for i in range(4)]

            def first_use(name: str, barrier: threading.Barrier) -> None:
                pool = ConnectionPool(uri, min_size=1, max_size=3, open=True)
                pools.append(pool)
                store = PGVector(
                    dbname=None,
                    collection_name=name,
                    embedding_model_dims=embeddings.EMBEDDING_DIMS,
                    user=None,
                    password=None,
                    host=None,
                    port=None,
                    diskann=False,
                    hnsw=True,
                    connection_pool=pool,
                )
                barrier.wait()
                try:
                    prepare_pg_collection(SimpleNamespace(vector_store=store))
                except BaseException as exc:  # collected and reported below
                    errors.append(exc)

            threads = [threading.Thread(target=first_use, args=(name, barrier)) for name in names]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            assert not errors, [repr(e) for e in errors]
            with psycopg.connect(uri) as conn:
                query = "SELECT tablename FROM pg_tables WHERE tablename LIKE %s"
                tables = {r[0] for r in conn.execute(query, (f"race_{attempt}_%",))}
            assert tables == set(names)
    finally:
        for pool in pools:
            pool.close()
        stop_server(pgdata)


# -- 5. close and reopen in one process while another process uses the server -------------------------
@pytest.mark.slow
def test_reopening_in_one_process_survives_another_process_exit(pgdata: Path) -> None:
    ensure_server(pgdata)
    other, _ = _client(pgdata)
    stop_server(pgdata)  # this process closes its service ...
    uri = ensure_server(pgdata)  # ... and opens a new one
    other.communicate("bye\n", timeout=60)  # the other process releases its handle and exits
    assert other.returncode == 0
    try:
        assert _query_ok(uri), "the other process's exit stopped the server under the reopened service"
    finally:
        stop_server(pgdata)
    assert _postmaster_pid(pgdata) is None  # and the last one out stopped it


# -- 6. clients killed (SIGKILL, SIGTERM: no exit code runs) ---------------------------------------------
def _ask(client: subprocess.Popen[str], line: str) -> str:
    assert client.stdin is not None and client.stdout is not None
    client.stdin.write(line + "\n")
    client.stdin.flush()
    return client.stdout.readline().strip()


def _end(client: subprocess.Popen[str], how: str) -> None:
    """End a helper client: "leaves" (releases its handle normally), or killed by "SIGKILL" / "SIGTERM"."""
    if how == "leaves":
        client.communicate("bye\n", timeout=60)
        assert client.returncode == 0
        return
    sig = signal.Signals[how]
    client.send_signal(sig)
    client.communicate(timeout=30)
    assert client.returncode == -sig  # died by the signal: its exit hooks did not run


def _supervisors(pgdata: Path) -> list[psutil.Process]:
    """Live supervisor processes of ``pgdata``'s server."""
    found = []
    for proc in psutil.process_iter():
        try:
            command = proc.cmdline()
            ours = "concierge.memory.pg_supervisor" in command and str(pgdata.resolve()) in command
            if ours and proc.status() != psutil.STATUS_ZOMBIE:
                found.append(proc)
        except psutil.Error:
            continue
    return found


def _queries_keep_working(client: subprocess.Popen[str]) -> None:
    """Several queries over ~2 s (time for a wrong stop to happen), each answered by the server."""
    for _ in range(10):
        assert _ask(client, "query") == "OK"
        time.sleep(0.2)


@pytest.mark.slow
@pytest.mark.parametrize("how", ["SIGKILL", "SIGTERM"])
def test_server_stops_by_itself_after_its_only_client_is_killed(pgdata: Path, how: str) -> None:
    client, postmaster = _client(pgdata)
    _end(client, how)
    _wait_gone(postmaster, seconds=30)
    assert _postmaster_pid(pgdata) is None  # a clean shutdown (the server removes its pid file), not a crash
    deadline = time.monotonic() + 30
    while _supervisors(pgdata) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert _supervisors(pgdata) == []  # and its supervisor is gone too


@pytest.mark.slow
@pytest.mark.parametrize("last", ["leaves", "SIGKILL"])
def test_killed_client_leaves_the_server_to_the_other_and_the_last_one_out_stops_it(pgdata: Path, last: str) -> None:
    first, postmaster = _client(pgdata)  # starts the server (its supervisor is this process's child)
    second, joined = _client(pgdata)
    try:
        assert joined == postmaster
        _end(first, "SIGKILL")
        _queries_keep_working(second)
        assert _postmaster_pid(pgdata) == postmaster and _is_live(postmaster)
    except BaseException:
        second.kill()
        raise
    _end(second, last)
    _wait_gone(postmaster, seconds=30)


@pytest.mark.slow
def test_client_joining_right_after_the_last_one_was_killed_gets_a_working_server(pgdata: Path) -> None:
    client, _ = _client(pgdata)
    for _round in range(3):  # each time the supervisor may be stopping the server while the next one joins
        _end(client, "SIGKILL")
        client, postmaster = _client(pgdata)
        try:
            _queries_keep_working(client)
            assert _postmaster_pid(pgdata) == postmaster and _is_live(postmaster)
        except BaseException:
            client.kill()
            raise
    _end(client, "SIGKILL")
    _wait_gone(postmaster, seconds=30)


def test_server_has_one_supervisor_that_ends_with_it(pgdata: Path) -> None:
    """The last one out stops the server at once (the supervisor does not take that over), and the
    supervisor, which started with the server, ends with it."""
    ensure_server(pgdata)
    try:
        supervisors = _supervisors(pgdata)
        assert len(supervisors) == 1
    finally:
        stop_server(pgdata)
    assert _postmaster_pid(pgdata) is None
    _gone, alive = psutil.wait_procs(supervisors, timeout=30)
    assert alive == []


SIGTERM_CLI = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from concierge.cli import _SigtermExits
    from concierge.memory.embedded_postgres import ensure_server
    with _SigtermExits():  # what ``concierge.cli.main`` runs each command in
        ensure_server(Path(sys.argv[1]))
        print("READY", flush=True)
        sys.stdin.readline()
    """
)


@pytest.mark.slow
def test_sigterm_ends_a_cli_command_like_an_exit_so_it_stops_the_server_itself(pgdata: Path) -> None:
    command = subprocess.Popen(
        [sys.executable, "-c", SIGTERM_CLI, str(pgdata)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    assert command.stdout is not None
    assert command.stdout.readline().strip() == "READY"
    postmaster = _postmaster_pid(pgdata)
    assert postmaster is not None
    command.send_signal(signal.SIGTERM)
    command.communicate(timeout=60)
    assert command.returncode == 128 + signal.SIGTERM  # exited through SystemExit: exit hooks ran
    assert not _is_live(postmaster)  # stopped by the exiting process itself, before it ended


# -- 7. a data dir whose path has a space ----------------------------------------------------------------
def test_data_dir_with_a_space(tmp_path: Path) -> None:
    pgdata = tmp_path / "my state" / "pg"
    try:
        assert _query_ok(ensure_server(pgdata))
        stop_server(pgdata)
        assert _postmaster_pid(pgdata) is None
    finally:
        _stop_leftovers(pgdata)


# -- 8. root: never loosen permissions of folders we did not create ---------------------------------------
@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="only root runs the server as another user")
def test_root_start_leaves_ancestor_permissions_alone(tmp_path: Path) -> None:
    private = tmp_path / "private"
    private.mkdir(mode=0o700)
    private.chmod(0o700)
    pgdata = private / "concierge" / "pg"
    ancestors = [private, *private.parents]
    before = {p: stat.S_IMODE(p.stat().st_mode) for p in ancestors}
    try:
        uri = ensure_server(pgdata)
        owner = psutil.Process(_postmaster_pid(pgdata) or 0).username()
        ok = _query_ok(uri)
        stop_server(pgdata)
    finally:
        _stop_leftovers(pgdata)
    assert {p: stat.S_IMODE(p.stat().st_mode) for p in ancestors} == before
    assert ok
    assert owner != "root"  # PostgreSQL still runs as an unprivileged user
