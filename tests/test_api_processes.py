"""Scale-out on a real, separate PostgreSQL (password logins over TCP, an unprivileged role): two API processes
share it, and the faults of a first deployment each get one line naming the fix."""

from __future__ import annotations

import os
import signal
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
from tests.local_http import JsonHandler, LocalHttpServer
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


def _serve(url: str, data_dir: Path, log: Path, port: int = 0) -> subprocess.Popen[bytes]:
    """``concierge serve`` on ``port``; 0 (the default) lets the kernel pick a free one as the server binds it."""
    env = {k: v for k, v in os.environ.items() if k not in CHOICES}
    env |= {"PYTHONPATH": str(ROOT), "CONCIERGE_DATA_DIR": str(data_dir), "DATABASE_URL": url}
    env |= {"CONCIERGE_DB_POOL_SIZE": "3"}
    command = [sys.executable, "-m", "concierge.cli", "serve", "--port", str(port)]
    with open(log, "ab") as out:
        return subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)


def _listening_port(process: subprocess.Popen[bytes]) -> int | None:
    """The port ``process`` itself listens on, once it does (uvicorn binds only after the app's warm-up)."""
    import psutil

    try:
        sockets = psutil.Process(process.pid).net_connections(kind="tcp")
    except psutil.NoSuchProcess:
        return None
    return next((s.laddr.port for s in sockets if s.status == psutil.CONN_LISTEN), None)


def _ready(process: subprocess.Popen[bytes], log: Path) -> str:
    """The base URL of ``process``, once it answers ``/readyz`` on the port it listens on itself.

    Never a port picked beforehand and polled: it stays free during the server's warm-up (tens of seconds under
    load), so another server started meanwhile (another test run's, on its own database) could bind it and
    answer for ours, and every request "to B" then got that server's 401 for a key it never saw."""
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        assert process.poll() is None, log.read_text()[-2000:]
        port = _listening_port(process)
        try:
            if port is not None and httpx.get(f"http://127.0.0.1:{port}/readyz", timeout=2).status_code == 200:
                return f"http://127.0.0.1:{port}"
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    raise AssertionError(f"the server on {log.name} was not ready: {log.read_text()[-2000:]}")


@pytest.fixture(scope="module")
def two_processes(server: PgServer, state_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[list[str]]:
    logs = tmp_path_factory.mktemp("api-logs")
    bases, processes = [], []
    try:
        for name in ("a", "b"):  # one after the other: the second finds the catalog index the first built
            processes.append(_serve(server.url(), state_dir, logs / f"{name}.log"))
            bases.append(_ready(processes[-1], logs / f"{name}.log"))
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


def _answered_after_503s(base: str, headers: dict[str, str], user: str) -> httpx.Response:
    """The user's memories once ``base`` answers them: ten tries a second apart, every failure meanwhile a 503."""
    statuses = []
    for _ in range(10):  # the pools notice the cut connections and reconnect; at most a 503 meanwhile
        response = httpx.get(f"{base}/v1/users/{user}/memories", headers=headers, timeout=60)
        statuses.append(response.status_code)
        if response.status_code == 200:
            return response
        assert response.status_code == 503 and response.headers["content-type"] == "application/problem+json"
        time.sleep(1)
    raise AssertionError(f"{base} never answered again: {statuses}")


def test_the_processes_survive_a_database_restart(
    server: PgServer, settings: Settings, project: str, two_processes: list[str]
) -> None:
    headers = _key(server, settings, "acme", project)
    for base in two_processes:
        assert httpx.post(f"{base}/v1/users/bo/memories", json={"text": "I live in Lyon"}, headers=headers).is_success
    server.restart()
    for base in two_processes:
        response = _answered_after_503s(base, headers, "bo")
        assert [m["text"] for m in response.json()["memories"]] == ["User lives in Lyon"]


def test_a_key_the_database_cannot_check_is_a_503_never_a_401(
    server: PgServer, settings: Settings, project: str, two_processes: list[str]
) -> None:
    """A live key while the database is down: "retry later" (503), not "your key is unknown" (401), which would
    send a client to replace a key that works."""
    headers = _key(server, settings, "acme", project)
    b = two_processes[1]
    assert httpx.get(f"{b}/v1/users/cy/memories", headers=headers, timeout=60).status_code == 200
    with server.down():
        refused = httpx.get(f"{b}/v1/users/cy/memories", headers=headers, timeout=60)
    assert refused.status_code == 503 and refused.headers["content-type"] == "application/problem+json"
    assert int(refused.headers["retry-after"]) > 0
    assert _answered_after_503s(b, headers, "cy").json() == {"memories": []}  # the same key, once it is back


class _AnswersReady(JsonHandler):
    """FAKE: another program on the loopback port (another test run's API), answering ``/readyz``."""

    def do_GET(self) -> None:
        self.send_json(200, {"status": "ready"})


def test_a_server_is_never_taken_for_another_one_on_its_port(server: PgServer, state_dir: Path, tmp_path: Path) -> None:
    """The flake of the kill test below: its process B was handed a port, another run's server bound it while B
    warmed up, and ``/readyz`` answered there. A server that cannot bind its port is not ready, whoever answers."""
    with LocalHttpServer(_AnswersReady) as other:
        port = int(other.origin.rpartition(":")[2])
        process = _serve(server.url(), state_dir, tmp_path / "late.log", port=port)
        try:
            with pytest.raises(AssertionError):
                _ready(process, tmp_path / "late.log")
        finally:
            if process.poll() is None:
                process.terminate()
            process.wait(60)
    assert process.returncode not in (0, -signal.SIGTERM)  # it ended by itself: the port was taken


def _statement(user: str, k: int) -> str:
    return f"I love the island number {k} of {user}"


def test_a_process_killed_mid_traffic_loses_no_acknowledged_write(
    server: PgServer, settings: Settings, state_dir: Path, project: str, tmp_path: Path
) -> None:
    """SIGKILL one of two processes while three clients write through it; each retries on the other with the same
    Idempotency-Key. Every acknowledged statement is then stored, once, and every retry was answered."""
    processes: list[subprocess.Popen[bytes]] = []
    try:
        bases = []
        for name in "ab":
            processes.append(_serve(server.url(), state_dir, tmp_path / f"{name}.log"))
            bases.append(_ready(processes[-1], tmp_path / f"{name}.log"))
        a, b = bases
        headers = _key(server, settings, "acme", project)
        acknowledged: dict[str, list[int]] = {}
        retried: list[tuple[int, str]] = []  # what each retry on B got: its status, and its body when refused
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
                    retried.append((response.status_code, "" if response.status_code == 201 else response.text))
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

        assert retried and {status for status, _ in retried} == {201}, retried  # the clients after the kill: by B
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
