"""The HTTP API in-process (FastAPI's TestClient) on the test session's embedded PostgreSQL: keys and tenants,
problem details, limits and idempotency. The multi-process runs on a separate server: test_api_processes.py."""

from __future__ import annotations

import json
import threading
import uuid
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from concierge.api.app import create_app
from concierge.api.config import ApiSettings
from concierge.api.context import ApiContext
from concierge.reply import Reply
from concierge.settings import Settings

PROBLEM = "application/problem+json"


@pytest.fixture(scope="module")
def app(settings: Settings) -> Iterator[FastAPI]:
    application = create_app(settings, ApiSettings(rate_limit=1000, turn_timeout_seconds=60))
    with TestClient(application):  # runs the lifespan: the context is opened and warmed up once
        yield application


@pytest.fixture
def client(app: FastAPI) -> TestClient:
    return TestClient(app)


@pytest.fixture
def context(app: FastAPI) -> ApiContext:
    return app.state.context  # type: ignore[no-any-return]


@pytest.fixture
def new_key(context: ApiContext, project: str) -> Callable[..., dict[str, str]]:
    """Headers carrying a fresh key of (org, the test's project)."""

    def make(org: str = "acme") -> dict[str, str]:
        key = context.keys.create(f"k-{uuid.uuid4().hex[:8]}", org_id=org, project_id=project)
        return {"Authorization": f"Bearer {key}"}

    return make


def _texts(client: TestClient, user: str, headers: dict[str, str]) -> list[str]:
    response = client.get(f"/v1/users/{user}/memories", headers=headers)
    assert response.status_code == 200
    return sorted(m["text"] for m in response.json()["memories"])


def _assert_problem(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status
    assert response.headers["content-type"] == PROBLEM
    body: dict[str, Any] = response.json()
    assert body["status"] == status and body["title"] and body["detail"]
    return body


def test_the_same_user_under_two_tenants_keys_sees_only_their_own(client: TestClient, new_key: Any) -> None:
    acme, globex = new_key("acme"), new_key("globex")
    stored = client.post("/v1/users/alice/memories", json={"text": "I am allergic to peanuts"}, headers=acme)
    assert stored.status_code == 201
    memory_id = stored.json()["stored"][0]["id"]
    client.post("/v1/users/alice/memories", json={"text": "I live in Berlin"}, headers=globex)

    assert _texts(client, "alice", acme) == ["User is allergic to peanuts"]
    assert _texts(client, "alice", globex) == ["User lives in Berlin"]
    exported = client.get("/v1/users/alice/export", headers=globex).json()
    assert (exported["org_id"], [m["text"] for m in exported["memories"]]) == ("globex", ["User lives in Berlin"])
    for headers, expected in ((acme, True), (globex, False)):
        found = client.get("/v1/users/alice/memories", params={"query": "peanut allergy"}, headers=headers).json()
        assert ("User is allergic to peanuts" in [m["text"] for m in found["memories"]]) is expected

    # Another tenant's memory id: 404, and the memory is still there.
    _assert_problem(client.delete(f"/v1/users/alice/memories/{memory_id}", headers=globex), 404)
    assert _texts(client, "alice", acme) == ["User is allergic to peanuts"]


def test_nothing_in_a_body_changes_the_scope(client: TestClient, new_key: Any) -> None:
    headers = new_key()
    for field, value in (("org_id", "globex"), ("user_id", "bob"), ("project_id", "prod")):
        body = {"text": "I am vegan", field: value}
        problem = _assert_problem(client.post("/v1/users/alice/memories", json=body, headers=headers), 422)
        assert [e["field"] for e in problem["errors"]] == [field]
    assert _texts(client, "alice", headers) == []


def test_a_chat_turn_returns_the_reply_model_with_its_session(client: TestClient, new_key: Any) -> None:
    headers = new_key()
    client.post("/v1/users/carol/memories", json={"text": "I am vegetarian"}, headers=headers)
    first = client.post("/v1/users/carol/messages", json={"text": "Dinner in Lisbon for 2 at 8pm"}, headers=headers)
    assert first.status_code == 200
    reply = first.json()
    from concierge.request import TurnRequest

    ask_json = Reply(user_id="x", run_id="s1", request=TurnRequest(intent="chit_chat"), answer="").to_dict()
    assert set(reply) == {*ask_json, "session_id"}  # the model `ask --json` prints, and the session to continue
    assert reply["session_id"] == reply["run_id"] and reply["user_id"] == "carol"
    assert reply["plan"]["chosen"] is not None
    assert "User is vegetarian" in [m["text"] for m in reply["memories_used"]]

    follow = {"text": "make it 9pm", "session_id": reply["session_id"]}
    again = client.post("/v1/users/carol/messages", json=follow, headers=headers).json()
    assert again["run_id"] == reply["session_id"]
    assert again["follow_up"] is not None and again["plan"]["time"].startswith("21:00")


def test_server_sent_events_stream_progress_then_the_reply(client: TestClient, new_key: Any) -> None:
    headers = {**new_key(), "Accept": "text/event-stream"}
    body = {"text": "Find a hotel in Paris for 2 nights"}
    with client.stream("POST", "/v1/users/dave/messages", json=body, headers=headers) as response:
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/event-stream")
        text = response.read().decode()
    events = [block.splitlines() for block in text.strip().split("\n\n")]
    names = [lines[0].removeprefix("event: ") for lines in events]
    assert names[-1] == "reply" and set(names[:-1]) == {"progress"} and len(names) > 1
    reply = json.loads(events[-1][1].removeprefix("data: "))
    assert reply["user_id"] == "dave" and reply["request"]["intent"] == "stay"


@pytest.mark.parametrize(
    "authorization",
    [None, "Basic abc", "Bearer", "Bearer not-a-key", f"Bearer ck_{'0' * 12}_{'A' * 43}"],
    ids=["missing", "other-scheme", "empty", "malformed", "unknown"],
)
def test_requests_without_a_live_key_get_401(client: TestClient, authorization: str | None) -> None:
    headers = {"Authorization": authorization} if authorization else {}
    problem = _assert_problem(client.get("/v1/users/alice/memories", headers=headers), 401)
    assert client.get("/v1/users/alice/memories", headers=headers).headers["www-authenticate"] == "Bearer"
    assert "ck_" not in problem["detail"]


def test_a_revoked_key_or_a_wrong_secret_gets_401(client: TestClient, context: ApiContext, project: str) -> None:
    name = f"k-{uuid.uuid4().hex[:8]}"
    key = context.keys.create(name, org_id="acme", project_id=project)
    good = {"Authorization": f"Bearer {key}"}
    assert client.get("/v1/users/alice/memories", headers=good).status_code == 200
    forged = key[:-4] + ("AAAA" if not key.endswith("AAAA") else "BBBB")  # the right id, another secret
    _assert_problem(client.get("/v1/users/alice/memories", headers={"Authorization": f"Bearer {forged}"}), 401)
    assert context.keys.revoke(name)
    _assert_problem(client.get("/v1/users/alice/memories", headers=good), 401)


def test_bad_input_is_a_422_naming_the_field_and_changes_nothing(client: TestClient, new_key: Any) -> None:
    headers = new_key()
    cases: list[tuple[str, str, dict[str, Any], str]] = [
        ("post", "/v1/users/erin/messages", {"json": {"text": ""}}, "text"),
        ("post", "/v1/users/erin/messages", {"json": {"text": "dinner\x00 in Rome"}}, "text"),
        ("post", "/v1/users/erin/messages", {"json": {"text": 42}}, "text"),
        ("post", "/v1/users/erin/messages", {"json": {}}, "text"),
        ("post", "/v1/users/erin/messages", {"json": {"text": "hi", "session_id": "../x"}}, "session_id"),
        (
            "post",
            "/v1/users/erin/memories",
            {"content": b'{"text": ', "headers": {"content-type": "application/json"}},
            "body",
        ),
        ("post", "/v1/users/er%20in/memories", {"json": {"text": "I am vegan"}}, "user_id"),
        ("get", "/v1/users/erin/memories", {"params": {"category": "nope"}}, "category"),
        ("get", "/v1/users/erin/memories", {"params": {"top_k": 0, "query": "x"}}, "top_k"),
        ("get", "/v1/users/erin/memories", {"params": {"query": "   "}}, "query"),
        ("delete", "/v1/users/erin/memories/not-a-uuid", {}, "memory_id"),
    ]
    for method, path, options, field in cases:
        extra_headers = options.pop("headers", {})
        response = client.request(method, path, headers={**headers, **extra_headers}, **options)
        problem = _assert_problem(response, 422)
        assert field in [e["field"] for e in problem["errors"]], (path, options, problem)
    assert _texts(client, "erin", headers) == []


def test_a_body_over_64_kb_is_refused_with_413(client: TestClient, new_key: Any) -> None:
    headers = new_key()
    big = {"text": "I like tea. " * 6000}
    _assert_problem(client.post("/v1/users/fay/memories", json=big, headers=headers), 413)

    def chunks() -> Iterator[bytes]:  # no Content-Length: counted while it streams in
        yield b'{"text": "'
        for _ in range(70):
            yield b"x" * 1024
        yield b'"}'

    streamed = client.post("/v1/users/fay/memories", content=chunks(), headers=headers)
    _assert_problem(streamed, 413)
    assert _texts(client, "fay", headers) == []


def test_a_key_over_its_rate_gets_429_with_retry_after(
    client: TestClient, context: ApiContext, new_key: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    headers = new_key()
    monkeypatch.setattr(context.limiter, "per_second", 1)
    statuses = [client.get("/v1/users/gus/memories", headers=headers) for _ in range(5)]
    limited = [r for r in statuses if r.status_code == 429]
    assert limited, [r.status_code for r in statuses]
    _assert_problem(limited[0], 429)
    assert int(limited[0].headers["retry-after"]) >= 1
    monkeypatch.undo()
    assert client.get("/v1/users/gus/memories", headers=new_key()).status_code == 200  # another key: its own


def test_a_retried_post_returns_the_first_answer_and_stores_once(client: TestClient, new_key: Any) -> None:
    headers = {**new_key(), "Idempotency-Key": str(uuid.uuid4())}
    first = client.post("/v1/users/hal/memories", json={"text": "I am allergic to shellfish"}, headers=headers)
    again = client.post("/v1/users/hal/memories", json={"text": "I am allergic to shellfish"}, headers=headers)
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json() and again.json()["dropped"] == []
    assert _texts(client, "hal", headers) == ["User is allergic to shellfish"]

    other = client.post("/v1/users/hal/memories", json={"text": "I live in Oslo"}, headers=headers)
    problem = _assert_problem(other, 422)
    assert problem["errors"][0]["field"] == "Idempotency-Key"
    assert _texts(client, "hal", headers) == ["User is allergic to shellfish"]


def test_concurrent_duplicates_do_the_turn_once(client: TestClient, new_key: Any) -> None:
    headers = {**new_key(), "Idempotency-Key": str(uuid.uuid4())}
    body = {"text": "Dinner in Rome tomorrow for 2, I am vegan"}
    answers: list[Any] = []
    threads = [
        threading.Thread(
            target=lambda: answers.append(client.post("/v1/users/ivy/messages", json=body, headers=headers))
        )
        for _ in range(3)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert [a.status_code for a in answers] == [200, 200, 200]
    assert len({a.json()["run_id"] for a in answers}) == 1  # one turn, one session: the others waited for it
    assert _texts(client, "ivy", headers).count("User is vegan") == 1


def test_reads_are_answered_while_turns_fill_every_thread(
    client: TestClient, context: ApiContext, new_key: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """More statements than the process has threads, all stuck in the service: they run ``turn_threads`` at a
    time, and a read and an export are still answered (they never queue behind them)."""
    from concierge.memory.records import AddResult

    headers, gate, lock = new_key(), threading.Event(), threading.Lock()
    running, most = [0], [0]

    def stuck(*_args: Any, **_kwargs: Any) -> AddResult:
        with lock:
            running[0] += 1
            most[0] = max(most[0], running[0])
        gate.wait(120)
        with lock:
            running[0] -= 1
        return AddResult()

    monkeypatch.setattr(context.service, "remember", stuck)
    posts = context.api.threads + 4
    statuses: list[int] = []
    senders = [
        threading.Thread(
            target=lambda n=n: statuses.append(
                client.post(f"/v1/users/ned{n}/memories", json={"text": "I live in Oslo"}, headers=headers).status_code
            )
        )
        for n in range(posts)
    ]
    for sender in senders:
        sender.start()
    answered = threading.Event()
    reads: list[int] = []

    def read() -> None:
        reads.append(client.get("/v1/users/ned0/memories", headers=headers).status_code)
        reads.append(client.get("/v1/users/ned0/export", headers=headers).status_code)
        answered.set()

    try:
        while context.turns._work_queue.qsize() < context.api.threads - context.api.turn_threads:
            gate.wait(0.05)  # until every POST thread waits for a turn thread
        reader = threading.Thread(target=read)
        reader.start()
        answered_while_stuck = answered.wait(60)  # a guard against a hang, not a timing: a read takes ms
    finally:
        gate.set()
    for sender in senders:
        sender.join(120)
    reader.join(60)
    assert answered_while_stuck and reads == [200, 200]
    assert statuses == [201] * posts
    assert most[0] == context.api.turn_threads  # never more statements at once than the turn threads


def test_a_turn_past_the_timeout_is_a_504(
    client: TestClient, context: ApiContext, new_key: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    release = threading.Event()

    def stuck(*_args: Any, **_kwargs: Any) -> Reply:
        release.wait(30)
        raise RuntimeError("released")

    monkeypatch.setattr(context, "api", ApiSettings(turn_timeout_seconds=1))
    monkeypatch.setattr(context.service, "chat", stuck)
    try:
        _assert_problem(client.post("/v1/users/jo/messages", json={"text": "hello"}, headers=new_key()), 504)
    finally:
        release.set()


def test_an_unexpected_failure_is_a_bare_500_without_secrets_or_sql(
    app: FastAPI, context: ApiContext, new_key: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*_args: Any, **_kwargs: Any) -> Any:
        raise RuntimeError("SELECT * FROM t WHERE password='hunter2' at postgresql://u:hunter2@db/x")

    monkeypatch.setattr(context.service, "memories", broken)
    response = TestClient(app, raise_server_exceptions=False).get("/v1/users/kim/memories", headers=new_key())
    problem = _assert_problem(response, 500)
    assert not {"hunter2", "SELECT", "Traceback"} & set(json.dumps(problem).replace('"', " ").split())
    assert "hunter2" not in response.text and "SELECT" not in response.text


def test_erasure_deletes_the_user_of_this_tenant_only_and_their_stored_answers(
    client: TestClient, context: ApiContext, new_key: Any, project: str
) -> None:
    acme, globex = new_key("acme"), new_key("globex")
    for headers in (acme, globex):
        retried = {**headers, "Idempotency-Key": "lee-1"}
        client.post("/v1/users/lee/memories", json={"text": "I am allergic to nuts"}, headers=retried)

    def answers(org: str) -> int:
        query = (
            "SELECT count(*) FROM concierge_api_idempotency WHERE org_id = %s AND project_id = %s AND user_id = 'lee'"
        )
        return int(context.db.run(lambda conn: conn.execute(query, (org, project)).fetchone()[0]))

    assert (answers("acme"), answers("globex")) == (1, 1)  # each answer is a copy of the user's memories
    assert client.delete("/v1/users/lee", headers=acme).json()["forgotten"] >= 1
    assert _texts(client, "lee", acme) == []
    assert (answers("acme"), answers("globex")) == (0, 1)
    assert _texts(client, "lee", globex) == ["User is allergic to nuts"]


def test_health_needs_no_key_and_the_schema_lists_the_endpoints(client: TestClient) -> None:
    assert client.get("/healthz").json() == {"status": "ok"}
    assert client.get("/readyz").json() == {"status": "ready"}
    paths = set(client.get("/openapi.json").json()["paths"])
    assert {"/v1/users/{user_id}/messages", "/v1/users/{user_id}/memories", "/v1/users/{user_id}"} <= paths
    _assert_problem(client.get("/v1/nowhere"), 404)


def test_api_key_commands_show_the_key_once_and_store_only_its_hash(
    context: ApiContext, project: str, capsys: pytest.CaptureFixture[str]
) -> None:
    from concierge.cli import main

    name = f"cli-{uuid.uuid4().hex[:8]}"
    assert main(["api-key", "create", "--name", name, "--project", project, "--org", "initech"]) == 0
    key = capsys.readouterr().out.strip().splitlines()[-1]
    found = context.keys.authenticate(f"Bearer {key}")
    assert found is not None and (found.org_id, found.project_id, found.name) == ("initech", project, name)

    prefix, _key_id, secret = key.split("_", 2)  # ck_<id>_<secret>: the secret may itself hold "_" (base64url)
    assert prefix == "ck" and len(secret) == 43
    rows = context.db.run(lambda conn: conn.execute("SELECT * FROM concierge_api_keys").fetchall())
    assert secret not in repr(rows) and key not in repr(rows)

    assert main(["api-key", "list"]) == 0
    listed = capsys.readouterr().out
    assert name in listed and f"project={project}" in listed and secret not in listed
    assert main(["api-key", "revoke", name]) == 0
    assert context.keys.authenticate(f"Bearer {key}") is None
    assert main(["api-key", "revoke", name]) == 1
