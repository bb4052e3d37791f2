"""The data folder as an attack surface and as a faulty disk (issue 24, items 7, 8 and 10).

As root, the embedded server runs as another account that owns ``pg/``: whatever it plants there (a
link to another file) must never make root write, chown or print that file. A process holding the
start/stop lock must not hang every command. A read-only, full or missing folder is one line naming it.
"""

from __future__ import annotations

import contextlib
import os
import stat
import subprocess
import sys
import textwrap
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from concierge.errors import StoreUnavailableError
from concierge.memory.embedded_postgres import SERVER_USER, ensure_server, stop_server
from concierge.memory.lock_wait import TIMEOUT_ENV, LockHeldError
from tests.cli_process import run_cli, stderr_lines
from tests.test_embedded_postgres_lifecycle import _copy_data_dir, _postmaster_pid, _stop_leftovers, _wait_gone

VICTIM_TEXT = "victim-file-content-never-shown\n"
IS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One initialised, stopped data dir; each test starts from a copy."""
    path = tmp_path_factory.mktemp("template") / "pg"
    ensure_server(path)
    stop_server(path)
    return path


@pytest.fixture
def pgdata(tmp_path: Path, template: Path) -> Iterator[Path]:
    path = tmp_path / "state" / "pg"
    _copy_data_dir(template, path)
    yield path
    _stop_leftovers(path)


@pytest.fixture
def victim(tmp_path: Path) -> Path:
    """A private file outside the data folder that nothing may touch."""
    path = tmp_path / "victim"
    path.write_text(VICTIM_TEXT)
    path.chmod(0o600)
    return path


def _plant(pgdata: Path, where: str, how: str, victim: Path) -> Path:
    """Replace a file of the data folder with a link to ``victim``, as the server's account could."""
    target = pgdata.parent / where
    target.unlink(missing_ok=True)
    if how == "symlink":
        target.symlink_to(victim)
    else:
        os.link(victim, target)
    if target.parent == pgdata:  # inside pg/: planted by the account that owns it
        owner = pgdata.stat()
        os.lchown(target, owner.st_uid, owner.st_gid)
    return target


@pytest.mark.parametrize("where", ["pg/log", "pg/postmaster.pid", ".pg.lock", ".pg.clients"])
@pytest.mark.parametrize("how", ["symlink", "hardlink"])
def test_symlinked_files_in_the_data_folder_are_never_followed(
    pgdata: Path, victim: Path, where: str, how: str
) -> None:
    planted = _plant(pgdata, where, how, victim)
    before = victim.stat()
    try:
        ensure_server(pgdata)
    except StoreUnavailableError as exc:
        message = str(exc)
        assert str(planted) in message and "\n" not in message
        assert VICTIM_TEXT.strip() not in message
    else:  # only a planted pid file is survivable: distrusted, removed as stale, and a server started
        assert where == "pg/postmaster.pid"
        assert _postmaster_pid(pgdata) is not None and (pgdata / "postmaster.pid").stat().st_ino != before.st_ino
        stop_server(pgdata)
    after = victim.stat()
    assert victim.read_text() == VICTIM_TEXT
    assert (after.st_uid, after.st_gid, stat.S_IMODE(after.st_mode)) == (
        before.st_uid,
        before.st_gid,
        stat.S_IMODE(before.st_mode),
    )


@pytest.mark.parametrize("where", ["pg/log", ".pg.lock", ".pg.clients"])
@pytest.mark.parametrize("kind", ["fifo", "folder"])
def test_a_fifo_or_folder_in_place_of_a_data_file_is_refused(pgdata: Path, where: str, kind: str) -> None:
    target = pgdata.parent / where
    target.unlink(missing_ok=True)
    if kind == "fifo":
        os.mkfifo(target)  # opening it for reading or writing must not block the command
    else:
        target.mkdir()
    with pytest.raises(StoreUnavailableError, match="not a regular file") as failure:
        ensure_server(pgdata)
    assert str(target) in str(failure.value)


def test_a_link_at_the_lock_file_creates_nothing_where_it_points(pgdata: Path, tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere" / "created-by-root"
    elsewhere.parent.mkdir()
    (pgdata.parent / ".pg.lock").symlink_to(elsewhere)
    with pytest.raises(StoreUnavailableError, match="symbolic link"):
        ensure_server(pgdata)
    assert not elsewhere.exists()


@pytest.mark.skipif(not IS_ROOT, reason="only root can give the data folder to someone else")
def test_a_data_folder_owned_by_someone_else_is_refused(pgdata: Path) -> None:
    import pwd

    server = pwd.getpwnam(SERVER_USER)
    os.chown(pgdata.parent, server.pw_uid, server.pw_gid)
    with pytest.raises(StoreUnavailableError) as failure:
        ensure_server(pgdata)
    message = str(failure.value)
    assert str(pgdata.parent) in message and SERVER_USER in message and "\n" not in message
    assert not (pgdata.parent / ".pg.lock").exists()  # refused before anything was created in it
    line = _cli_fault(pgdata.parent)  # any store: mem0 and the catalog cache write in it by name too
    assert str(pgdata.parent) in line and SERVER_USER in line


@pytest.mark.skipif(not IS_ROOT, reason="only root can give a link to someone else")
@pytest.mark.parametrize("owned_by_other", ["link", "parent"])
def test_a_data_folder_reached_through_another_accounts_link_is_refused(tmp_path: Path, owned_by_other: str) -> None:
    import pwd

    nobody = pwd.getpwnam("nobody")
    target = tmp_path / "root_owned"
    target.mkdir()
    parent = tmp_path / "shared"
    parent.mkdir()
    link = parent / "data"
    link.symlink_to(target)
    foreign = link if owned_by_other == "link" else parent
    os.lchown(foreign, nobody.pw_uid, nobody.pw_gid)
    line = _cli_fault(link)
    assert str(foreign) in line and "nobody" in line
    assert list(target.iterdir()) == []  # nothing created where the link points


def test_a_data_folder_reached_through_our_own_link_is_used(tmp_path: Path) -> None:
    from concierge.data_faults import prepare_data_dir

    target = tmp_path / "real"
    target.mkdir()
    link = tmp_path / "data"
    link.symlink_to(target)
    prepare_data_dir(link / "state")
    assert (target / "state").is_dir()


HOLDER = textwrap.dedent(
    """
    import fcntl, os, sys, time
    fd = os.open(sys.argv[1], os.O_RDWR | os.O_CREAT, 0o600)
    fcntl.flock(fd, fcntl.LOCK_EX)
    print("HELD", flush=True)
    sys.stdin.readline()
    """
)


@pytest.fixture
def hold_lock(pgdata: Path) -> Iterator[subprocess.Popen[str]]:
    """Another process holding the data dir's start/stop lock until the test ends."""
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(pgdata.parent / ".pg.lock")],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert holder.stdout is not None and holder.stdout.readline().strip() == "HELD"
    yield holder
    holder.kill()
    holder.wait()


def test_a_held_lock_ends_with_one_line_naming_the_holder(
    pgdata: Path, hold_lock: subprocess.Popen[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(TIMEOUT_ENV, "1")
    with pytest.raises(LockHeldError) as failure:
        ensure_server(pgdata)
    message = str(failure.value)
    assert f"pid {hold_lock.pid}" in message and str(pgdata.parent / ".pg.lock") in message
    assert TIMEOUT_ENV in message and "\n" not in message
    assert _postmaster_pid(pgdata) is None  # nothing was started behind the lock


def test_a_held_lock_does_not_keep_close_waiting(pgdata: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(TIMEOUT_ENV, "1")
    ensure_server(pgdata)
    postmaster = _postmaster_pid(pgdata)
    assert postmaster is not None
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(pgdata.parent / ".pg.lock")],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "HELD"
        closing = threading.Thread(target=stop_server, args=(pgdata,), daemon=True)
        closing.start()
        closing.join(timeout=120)  # a bound against a hang, not a timing assertion
        assert not closing.is_alive()
    finally:
        holder.kill()
        holder.wait()
    _wait_gone(postmaster)  # our handle was dropped: the supervisor stops the unused server once the lock is free


def _cli_fault(data_dir: Path) -> str:
    result = run_cli(["memory", "list", "--user", "alice"], data_dir)
    lines = stderr_lines(result)
    assert result.returncode == 2 and len(lines) == 1, result.stderr
    assert lines[0].startswith("error: ") and "Traceback" not in result.stderr
    return lines[0]


def test_a_data_folder_that_is_a_file_is_one_line(tmp_path: Path) -> None:
    not_a_folder = tmp_path / "state"
    not_a_folder.write_text("x")
    line = _cli_fault(not_a_folder)
    assert f"{not_a_folder} is not a folder" in line


@contextlib.contextmanager
def _tmpfs(tmp_path: Path, size: str) -> Iterator[Path]:
    """A tmpfs of ``size`` (root only; the test is skipped elsewhere), unmounted after."""
    mount_point = tmp_path / "mnt"
    mount_point.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(mount_point)], check=False)
    if done.returncode != 0:
        pytest.skip("cannot mount a tmpfs here (needs root)")
    try:
        yield mount_point
    finally:
        _stop_leftovers(mount_point / "state" / "pg")
        subprocess.run(["umount", "-l", str(mount_point)], check=False)


@pytest.fixture
def small_mount(tmp_path: Path) -> Iterator[Path]:
    """A 2 MB tmpfs: too small for a PostgreSQL data dir."""
    with _tmpfs(tmp_path, "2m") as mount_point:
        yield mount_point


def test_a_full_disk_is_one_line_naming_it(small_mount: Path) -> None:
    line = _cli_fault(small_mount / "state")
    assert f"no space left on the device holding {small_mount / 'state'}" in line


def test_a_read_only_data_folder_is_one_line_naming_it(small_mount: Path) -> None:
    (small_mount / "state").mkdir()
    subprocess.run(["mount", "-o", "remount,ro", str(small_mount)], check=True)
    line = _cli_fault(small_mount / "state")
    assert f"the data folder {small_mount / 'state'} is read-only" in line


def test_a_disk_that_fills_while_the_server_runs_is_one_line_naming_it(tmp_path: Path, template: Path) -> None:
    with _tmpfs(tmp_path, "80m") as mount_point:
        state = mount_point / "state"
        _copy_data_dir(template, state / "pg")
        ensure_server(state / "pg")  # the server is up (this process holds it) when the disk fills
        try:
            with open(mount_point / "filler", "wb") as filler, contextlib.suppress(OSError):  # until ENOSPC
                while True:
                    filler.write(b"\0" * (1 << 20))
            result = run_cli(
                ["memory", "add", "--user", "alice", "I am allergic to peanuts"],
                state,
                {"CONCIERGE_DB_TIMEOUT_SECONDS": "2", "CONCIERGE_DB_CONNECT_TIMEOUT": "2"},
            )
        finally:
            (mount_point / "filler").unlink(missing_ok=True)
            stop_server(state / "pg")
    lines = stderr_lines(result)
    assert result.returncode == 2 and len(lines) == 1, result.stderr
    assert f"no space left on the device holding {state}" in lines[0] and "nothing was written" in lines[0]


# -- attack3 M3: every sub-folder of the data folder goes through one check, giving one line --
def _plant_instead(path: Path, kind: str, elsewhere: Path) -> None:
    if kind == "file":
        path.write_text("x")
    elif kind == "link":
        path.symlink_to(elsewhere)
    else:
        os.mkfifo(path)


@pytest.mark.parametrize("kind", ["file", "link", "fifo"])
@pytest.mark.parametrize("name", ["pg", "mem0", "crewai", "cache"])
def test_a_data_sub_folder_that_is_not_a_folder_is_one_line_naming_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str, kind: str
) -> None:
    from concierge.data_faults import data_subfolders, prepare_data_dir

    folder = tmp_path / "state"
    folder.mkdir()
    (tmp_path / "elsewhere").mkdir()
    for variable, sub in (("MEM0_DIR", "mem0"), ("CREWAI_STORAGE_DIR", "crewai")):
        monkeypatch.setenv(variable, str(folder / sub))
    assert set(data_subfolders(folder)) == {"pg", "mem0", "crewai", "cache"}
    _plant_instead(folder / name, kind, tmp_path / "elsewhere")
    with pytest.raises(StoreUnavailableError) as failure:
        prepare_data_dir(folder)
    line = str(failure.value)
    assert "\n" not in line and f"sub-folder {name} ({folder / name})" in line and "CONCIERGE_DATA_DIR" in line
    assert os.path.lexists(folder / name)  # nothing moved or deleted
    (folder / name).unlink()
    prepare_data_dir(folder)  # the fault gone, the folder is used


@pytest.mark.parametrize(("name", "argv"), [("mem0", ["memory", "list"]), ("crewai", ["ask", "hello"])])
def test_a_library_folder_that_is_a_file_is_one_line_from_the_cli(tmp_path: Path, name: str, argv: list[str]) -> None:
    data_dir = tmp_path / "state"
    data_dir.mkdir()
    (data_dir / name).write_text("x")
    libraries = {"MEM0_DIR": str(data_dir / "mem0"), "CREWAI_STORAGE_DIR": str(data_dir / "crewai")}  # as set at start
    result = run_cli([*argv, "--user", "alice"], data_dir, env=libraries)
    lines = stderr_lines(result)
    assert result.returncode == 2 and len(lines) == 1 and "Traceback" not in result.stderr, result.stderr
    assert lines[0].startswith("error: ") and f"sub-folder {name}" in lines[0]


# -- attack3 L2: a lock whose taker has exited names the live process holding it, never the dead pid --
TAKER = textwrap.dedent(
    """
    import fcntl, os, signal, sys, time
    fd = os.open(sys.argv[1], os.O_RDWR | os.O_CREAT, 0o600)
    fcntl.flock(fd, fcntl.LOCK_EX)
    child = os.fork()
    if child == 0:  # inherits the open file, and with it the lock
        time.sleep(120)
        os._exit(0)
    print(child, flush=True)
    if sys.argv[2] == "exit":
        os._exit(0)
    time.sleep(120)  # "kill": the test kills this process
    """
)


@pytest.mark.parametrize("how", ["exit", "kill", "shell"])
def test_a_lock_kept_by_a_child_names_the_live_holder_not_the_dead_taker(
    pgdata: Path, monkeypatch: pytest.MonkeyPatch, how: str
) -> None:
    lock = pgdata.parent / ".pg.lock"
    if how == "shell":  # `flock 9; sleep &` in a shell that then exits
        script = f"exec 9>>{lock}; flock 9; sleep 120 & echo $!"
        taker = subprocess.Popen(["bash", "-c", script], stdout=subprocess.PIPE, text=True)
    else:
        argv = [sys.executable, "-c", TAKER, str(lock), how]
        taker = subprocess.Popen(argv, stdout=subprocess.PIPE, text=True)
    assert taker.stdout is not None
    child = int(taker.stdout.readline())
    try:
        if how == "kill":
            taker.kill()
        taker.wait()
        monkeypatch.setenv(TIMEOUT_ENV, "1")
        with pytest.raises(LockHeldError) as failure:
            ensure_server(pgdata)
        message = str(failure.value)
        assert f"pid {child} (" in message and f"kill {child})" in message and "\n" not in message
        assert f"pid {taker.pid} (" not in message and f"kill {taker.pid}" not in message  # exited: never to kill
    finally:
        os.kill(child, 9)
    assert _postmaster_pid(pgdata) is None
