"""Faults: the database stops mid-conversation, a writer is killed with SIGKILL mid-batch."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from concierge.errors import StoreUnavailableError
from concierge.memory.embedded_postgres import ensure_running, ensure_server, stop_server
from concierge.service import ConciergeService
from concierge.settings import Settings

pytestmark = pytest.mark.slow


def _crash_server(pgdata: Path) -> None:
    """Stop PostgreSQL the way a crash does (immediate mode: no checkpoint, recovery from WAL on start).

    SIGQUIT is what ``pg_ctl -m immediate stop`` sends. The server removes its pid file, which marks the
    stop as deliberate: the processes using it report errors rather than restart it.
    """
    pid = int((pgdata / "postmaster.pid").read_text().splitlines()[0])
    os.kill(pid, signal.SIGQUIT)
    deadline = time.monotonic() + 30
    while (pgdata / "postmaster.pid").exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not (pgdata / "postmaster.pid").exists(), "PostgreSQL did not stop"


@pytest.fixture
def own_service(settings: Settings, tmp_path: Path) -> Iterator[ConciergeService]:
    """A service on its own embedded server, so stopping it cannot disturb other tests."""
    service = ConciergeService.from_settings(settings.model_copy(update={"data_dir": tmp_path / "state"}))
    yield service
    service.close()


def test_database_stops_mid_conversation_then_recovers(own_service: ConciergeService) -> None:
    scope = own_service.scope("alice", project_id="fault")
    own_service.chat(scope, "I am allergic to nuts")
    pgdata = own_service.settings.data_dir / "pg"
    before = [m.text for m in own_service.memories(scope)]

    _crash_server(pgdata)
    with pytest.raises(StoreUnavailableError, match=r"unreachable.*nothing was written"):
        own_service.chat(scope, "I love Lyon and I am vegan")
    with pytest.raises(StoreUnavailableError):
        own_service.remember(scope, "I love Porto")

    ensure_running(pgdata)
    assert [m.text for m in own_service.memories(scope)] == before  # no partial writes
    reply = own_service.chat(scope, "I love Lyon and I am vegan")  # the same service recovers
    assert {m.text for m in reply.memories_stored} == {"User loves Lyon", "User is vegan"}


WRITER = textwrap.dedent(
    """
    import sys
    from concierge.service import ConciergeService
    service = ConciergeService.from_settings()
    scope = service.scope("writer", project_id="kill9")
    for i in range(10_000):
        for record in service.remember(scope, f"I love the island number {i}", infer=False).stored:
            print(f"ACK {record.id}", flush=True)
    """
)


def test_kill_9_writer_keeps_every_acknowledged_write(settings: Settings, tmp_path: Path) -> None:
    data_dir = tmp_path / "state"
    env = {**os.environ, "CONCIERGE_DATA_DIR": str(data_dir)}
    writer = subprocess.Popen([sys.executable, "-c", WRITER], env=env, stdout=subprocess.PIPE, text=True)
    acked: list[str] = []
    deadline = time.monotonic() + 120
    assert writer.stdout is not None
    while len(acked) < 25 and time.monotonic() < deadline:
        line = writer.stdout.readline()
        if line.startswith("ACK "):
            acked.append(line.split()[1])
    os.kill(writer.pid, signal.SIGKILL)  # mid-batch: it is writing the next memory right now
    writer.wait(timeout=30)
    assert len(acked) >= 25, "the writer did not get going"

    pgdata = data_dir / "pg"
    ensure_server(pgdata)  # join the server the writer started (its handle died with it)
    try:
        _crash_server(pgdata)
        ensure_running(pgdata)
        service = ConciergeService.from_settings(settings.model_copy(update={"data_dir": data_dir}))
        try:
            stored = {m.id for m in service.memories(service.scope("writer", project_id="kill9"))}
        finally:
            service.close()
    finally:
        stop_server(pgdata)  # the killed writer holds no handle any more: ours is the last, the server stops
    assert not (pgdata / "postmaster.pid").exists()
    assert set(acked) <= stored
