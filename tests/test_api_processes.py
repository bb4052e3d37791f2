"""Scale-out on a real, separate PostgreSQL (password logins over TCP, an unprivileged role): two API processes
share it, and the faults of a first deployment each get one line naming the fix."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from pydantic import SecretStr

from concierge.errors import StoreUnavailableError
from concierge.llm.factory import extractor
from concierge.memory.providers import build_memory
from concierge.scope import Scope
from concierge.settings import Settings
from tests.cli_process import CHOICES, ROOT
from tests.pg_server import APP_PASSWORD, PgServer

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PgServer]:
    pg = PgServer(tmp_path_factory.mktemp("external-pg"))
    yield pg
    pg.stop()


def _on(settings: Settings, url: str) -> Settings:
    return settings.model_copy(update={"backend": "postgres", "database_url": SecretStr(url)})


def _one_line_failure(settings: Settings, project: str) -> str:
    memory = build_memory(settings, extractor)
    try:
        with pytest.raises(StoreUnavailableError) as failure:
            memory.list(Scope("local", project, "alice"))
    finally:
        memory.close()
    message = str(failure.value)
    assert "\n" not in message and APP_PASSWORD not in message and "Traceback" not in message
    return message


def test_a_password_login_works_and_a_wrong_password_is_one_line(server: PgServer, settings: Settings) -> None:
    memory = build_memory(_on(settings, server.url()), extractor)
    try:
        scope = Scope("local", f"pw-{uuid.uuid4().hex[:6]}", "alice")
        memory.add(scope, "I am allergic to sesame")
        assert [r.text for r in memory.list(scope)] == ["User is allergic to sesame"]
    finally:
        memory.close()
    with pytest.raises(StoreUnavailableError) as failure:
        build_memory(_on(settings, server.url(password="wrong-password")), extractor)
    assert "rejected the user or password" in str(failure.value) and "wrong-password" not in str(failure.value)


def test_a_database_without_vector_names_the_superuser_fix(server: PgServer, settings: Settings, project: str) -> None:
    message = _one_line_failure(_on(settings, server.url("noextdb")), project)
    assert "CREATE EXTENSION vector" in message and "superuser" in message


def test_a_role_that_may_not_create_tables_names_the_grant(server: PgServer, settings: Settings, project: str) -> None:
    message = _one_line_failure(_on(settings, server.url("lockeddb")), project)
    assert "GRANT CREATE ON SCHEMA" in message


def test_options_in_database_url_are_kept(server: PgServer, settings: Settings, project: str) -> None:
    url = server.url(options="-csearch_path%3Dappschema,public")
    memory = build_memory(_on(settings, url), extractor)
    try:
        memory.add(Scope("local", project, "alice"), "I live in Porto")
    finally:
        memory.close()
    with server.admin("appdb") as conn:
        schemas = {r[0] for r in conn.execute("SELECT table_schema FROM information_schema.tables").fetchall()}
    assert "appschema" in schemas  # the URL's search_path was applied ...
    from psycopg.conninfo import conninfo_to_dict

    from concierge.memory.embedded_postgres import PG_OPTIONS
    from concierge.memory.pg_connect import with_app_options

    merged = conninfo_to_dict(with_app_options(url, PG_OPTIONS))["options"]
    assert merged == f"-csearch_path=appschema,public {PG_OPTIONS}"  # ... and the app's own options too


def test_a_backend_terminated_mid_call_is_retried_on_a_fresh_connection(
    server: PgServer, settings: Settings, project: str
) -> None:
    from concierge.memory.mem0_oss import collection_name

    memory = build_memory(_on(settings, server.url()), extractor)
    scope = Scope("local", project, "alice")
    try:
        memory.add(scope, "I am vegetarian")
        results: dict[str, Any] = {}
        with server.admin("appdb") as lock:
            lock.execute("BEGIN")
            lock.execute(f"LOCK TABLE {collection_name('local', project)} IN ACCESS EXCLUSIVE MODE")
            reader = threading.Thread(target=lambda: results.update(read=memory.list(scope)))
            writer = threading.Thread(target=lambda: results.update(write=memory.add(scope, "I live in Oslo")))
            reader.start()
            writer.start()
            blocked = _wait_for_blocked_backends(server, 2)
            with server.admin() as killer:
                for pid in blocked:
                    killer.execute("SELECT pg_terminate_backend(%s)", (pid,))
            lock.execute("COMMIT")
            reader.join(60)
            writer.join(60)
        assert [r.text for r in results["read"]] == ["User is vegetarian"]
        assert [r.text for r in results["write"].stored] == ["User lives in Oslo"]
        assert sorted(r.text for r in memory.list(scope)) == ["User is vegetarian", "User lives in Oslo"]
    finally:
        memory.close()


def _wait_for_blocked_backends(server: PgServer, count: int) -> list[int]:
    query = "SELECT pid FROM pg_stat_activity WHERE usename = 'app' AND wait_event_type = 'Lock'"
    deadline = time.monotonic() + 60
    with server.admin() as conn:
        while time.monotonic() < deadline:
            pids = [r[0] for r in conn.execute(query).fetchall()]
            if len(pids) >= count:
                return pids
            time.sleep(0.05)
    raise AssertionError("the app's calls never blocked on the lock")


def test_at_max_connections_the_line_names_the_limit(server: PgServer) -> None:
    import psycopg

    from concierge.memory.pg_connect import check_first_connection
    from concierge.memory.pg_faults import explain_pool_timeout

    held = []
    try:
        while True:
            try:
                held.append(psycopg.connect(server.url(), connect_timeout=5))
            except psycopg.OperationalError:
                break
            assert len(held) < 100
        with pytest.raises(StoreUnavailableError) as failure:
            check_first_connection(server.url())
        in_use = explain_pool_timeout(server.url(), "DATABASE_URL=...", pool_size=10, timeout=10)  # a pool's wait
    finally:
        for conn in held:
            conn.close()
    assert "max_connections" in str(failure.value) and "CONCIERGE_DB_POOL_SIZE" in str(failure.value)
    assert in_use is not None and "max_connections" in in_use and "CONCIERGE_DB_POOL_SIZE=10" in in_use
    busy = explain_pool_timeout(server.url(), "DATABASE_URL=...", pool_size=10, timeout=10)  # the server has room
    assert busy is not None and "busy" in busy and "at its max_connections limit" not in busy


# -- two API processes on one database --------------------------------------------------------------------


def _serve(port: int, url: str, data_dir: Path, log: Path) -> subprocess.Popen[bytes]:
    env = {k: v for k, v in os.environ.items() if k not in CHOICES}
    env |= {"PYTHONPATH": str(ROOT), "CONCIERGE_DATA_DIR": str(data_dir), "DATABASE_URL": url}
    env |= {"CONCIERGE_DB_POOL_SIZE": "3"}
    command = [sys.executable, "-m", "concierge.cli", "serve", "--port", str(port)]
    with open(log, "ab") as out:
        return subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)


def _ready(base: str, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        assert process.poll() is None, log.read_text()[-2000:]
        try:
            if httpx.get(f"{base}/readyz", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    raise AssertionError(f"{base} not ready: {log.read_text()[-2000:]}")


@pytest.fixture(scope="module")
def two_processes(server: PgServer, state_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[list[str]]:
    from tests.pg_server import _free_port

    logs = tmp_path_factory.mktemp("api-logs")
    bases, processes = [], []
    try:
        for name in ("a", "b"):  # one after the other: the second finds the catalog index the first built
            port = _free_port()
            processes.append(_serve(port, server.url(), state_dir, logs / f"{name}.log"))
            bases.append(f"http://127.0.0.1:{port}")
            _ready(bases[-1], processes[-1], logs / f"{name}.log")
        yield bases
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            process.wait(60)


def _key(server: PgServer, settings: Settings, org: str, project: str) -> dict[str, str]:
    from concierge.api.admin import key_store

    with key_store(_on(settings, server.url())) as keys:
        return {"Authorization": f"Bearer {keys.create(f'k-{uuid.uuid4().hex[:8]}', org_id=org, project_id=project)}"}


def test_two_processes_serve_any_request_and_keep_tenants_apart(
    server: PgServer, settings: Settings, project: str, two_processes: list[str]
) -> None:
    a, b = two_processes
    acme, globex = _key(server, settings, "acme", project), _key(server, settings, "globex", project)
    retried = {**acme, "Idempotency-Key": str(uuid.uuid4())}
    body = {"text": "I am allergic to peanuts"}
    first = httpx.post(f"{a}/v1/users/alice/memories", json=body, headers=retried, timeout=120)
    assert first.status_code == 201
    again = httpx.post(f"{b}/v1/users/alice/memories", json=body, headers=retried, timeout=120)
    assert (again.status_code, again.json()) == (201, first.json())  # the retry on B: A's answer, stored once

    on_b = httpx.get(f"{b}/v1/users/alice/memories", headers=acme, timeout=60).json()["memories"]
    assert [m["text"] for m in on_b] == ["User is allergic to peanuts"]
    assert httpx.get(f"{b}/v1/users/alice/memories", headers=globex, timeout=60).json() == {"memories": []}
    foreign = httpx.delete(f"{a}/v1/users/alice/memories/{on_b[0]['id']}", headers=globex, timeout=60)
    assert foreign.status_code == 404
    turn = httpx.post(f"{b}/v1/users/alice/messages", json={"text": "Dinner in Kyoto for 2"}, headers=acme, timeout=120)
    assert "User is allergic to peanuts" in [m["text"] for m in turn.json()["memories_used"]]


def test_the_processes_survive_a_database_restart(
    server: PgServer, settings: Settings, project: str, two_processes: list[str]
) -> None:
    headers = _key(server, settings, "acme", project)
    for base in two_processes:
        assert httpx.post(f"{base}/v1/users/bo/memories", json={"text": "I live in Lyon"}, headers=headers).is_success
    server.restart()
    for base in two_processes:
        statuses = []
        for _ in range(10):  # the pools notice the cut connections and reconnect; at most a 503 meanwhile
            response = httpx.get(f"{base}/v1/users/bo/memories", headers=headers, timeout=60)
            statuses.append(response.status_code)
            if response.status_code == 200:
                assert [m["text"] for m in response.json()["memories"]] == ["User lives in Lyon"]
                break
            assert response.status_code == 503 and response.headers["content-type"] == "application/problem+json"
            time.sleep(1)
        assert statuses[-1] == 200, statuses


def _statement(user: str, k: int) -> str:
    return f"I love the island number {k} of {user}"


def test_a_process_killed_mid_traffic_loses_no_acknowledged_write(
    server: PgServer, settings: Settings, state_dir: Path, project: str, tmp_path: Path
) -> None:
    """SIGKILL one of two processes while three clients write through it; each retries on the other with the same
    Idempotency-Key. Every acknowledged statement is then stored, once, and every retry was answered."""
    import signal

    from tests.pg_server import _free_port

    ports, processes = [_free_port(), _free_port()], []
    try:
        for name, port in zip("ab", ports, strict=True):
            processes.append(_serve(port, server.url(), state_dir, tmp_path / f"{name}.log"))
            _ready(f"http://127.0.0.1:{port}", processes[-1], tmp_path / f"{name}.log")
        a, b = (f"http://127.0.0.1:{port}" for port in ports)
        headers = _key(server, settings, "acme", project)
        acknowledged: dict[str, list[int]] = {}
        retried: list[int] = []  # the status each retry on B got
        in_flight_on_a = threading.Semaphore(0)

        def client(user: str) -> None:
            acknowledged[user] = []
            for k in range(5):
                body, retry = {"text": _statement(user, k)}, {**headers, "Idempotency-Key": str(uuid.uuid4())}
                try:
                    in_flight_on_a.release()
                    response = httpx.post(f"{a}/v1/users/{user}/memories", json=body, headers=retry, timeout=120)
                except httpx.TransportError:  # A is gone (mid-request or before it): the same request to B
                    response = httpx.post(f"{b}/v1/users/{user}/memories", json=body, headers=retry, timeout=120)
                    retried.append(response.status_code)
                assert response.status_code == 201, response.text
                acknowledged[user].append(k)

        users = [f"kill-{n}" for n in range(3)]
        threads = [threading.Thread(target=client, args=(user,)) for user in users]
        for thread in threads:
            thread.start()
        for _ in range(6):  # a few requests sent to A (so some are answered, one likely in flight), then SIGKILL
            assert in_flight_on_a.acquire(timeout=120)
        processes[0].send_signal(signal.SIGKILL)
        for thread in threads:
            thread.join(300)
        assert processes[0].wait(10) == -signal.SIGKILL and processes[1].poll() is None

        assert retried and set(retried) == {201}  # the clients after the kill: answered by B
        for user in users:
            assert acknowledged[user] == list(range(5))  # every request acknowledged, none failed
            exported = httpx.get(f"{b}/v1/users/{user}/export", headers=headers, timeout=60).json()["memories"]
            texts = [m["text"] for m in exported]
            for k in acknowledged[user]:  # stored, and once: a retry of a request A had finished stores nothing new
                assert sum(f"island number {k} of {user}" in text for text in texts) == 1, texts
    finally:
        for process in processes:
            if process.poll() is None:
                process.terminate()
        for process in processes:
            process.wait(60)
