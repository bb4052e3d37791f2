"""Privacy and data lifecycle (issue 12, items 9-15): dedupe scope, erasure, expiry, races, Cloud scoping."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from freezegun import freeze_time
from pydantic import SecretStr

from concierge.llm.factory import extractor
from concierge.memory.backends.cloud import CloudBackend
from concierge.memory.layer import ConciergeMemory
from concierge.memory.providers import build_memory
from concierge.scope import Scope
from concierge.service import ConciergeService
from concierge.settings import Settings
from tests.fake_mem0_platform import FakeMem0Platform
from tests.model_server import ModelServer, service_on_a_model_server

START = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
ALLERGY = "I am allergic to shellfish"


def _rows(service: ConciergeService, scope: Scope, **filters: str) -> list[dict[str, Any]]:
    """Every stored row of the user in the scope's table, expired or not; looking triggers no purge."""
    store = service.memory.backend._memories[(scope.org_id, scope.project_id)].vector_store
    (rows,) = store.list(filters={"user_id": scope.user_id, **filters}, top_k=1000)
    return [row.payload for row in rows]


def _at_once(workers: int, call: Callable[[], Any]) -> list[Any]:
    """Run ``call`` in ``workers`` threads released together; return results (exceptions re-raised)."""
    barrier = threading.Barrier(workers)

    def run() -> Any:
        barrier.wait()
        return call()

    with ThreadPoolExecutor(workers) as pool:
        futures = [pool.submit(run) for _ in range(workers)]
        return [f.result() for f in futures]


# -- 9. a session-only copy never suppresses the long-term fact -------------------------------------------------
def test_session_copy_does_not_block_the_long_term_fact(service: ConciergeService, project: str) -> None:
    ttl = service.settings.policy.session_ttl_minutes
    session = service.scope("alice", project_id=project, run_id="s1")
    with freeze_time(START):
        assert [r.text for r in service.remember(session, ALLERGY, session_only=True).stored] == [
            "User is allergic to shellfish"
        ]
        stored = service.remember(session.with_run(None), ALLERGY).stored
        assert [(r.text, r.run_id, r.expires_at) for r in stored] == [("User is allergic to shellfish", None, None)]
        # Within one lifetime the fact is still stored once.
        assert service.remember(session.with_run(None), ALLERGY).stored == []
        assert service.remember(session, ALLERGY, session_only=True).stored == []
    with freeze_time(START + timedelta(minutes=ttl + 1)):
        remaining = service.memories(session)
    assert [(r.text, r.run_id) for r in remaining] == [("User is allergic to shellfish", None)]


# -- 10. forgotten and expired data never reach a remote model ---------------------------------------------------
@pytest.fixture
def remote(settings: Settings) -> Iterator[tuple[ConciergeService, ModelServer]]:
    with service_on_a_model_server(settings) as pair:
        yield pair


def _extraction_prompts(server: ModelServer) -> list[str]:
    return [call.messages[-1]["content"] for call in server.of("extraction")]


def test_after_forget_the_users_messages_are_not_sent_again(
    remote: tuple[ConciergeService, ModelServer], project: str
) -> None:
    service, server = remote
    alice = service.scope("alice", project_id=project)
    assert [r.text for r in service.remember(alice, ALLERGY).stored] == ["User is allergic to shellfish"]
    assert service.forget(alice) == 1
    service.remember(alice, "I love Lyon")
    prompts = _extraction_prompts(server)
    assert len(prompts) == 2 and "I love Lyon" in prompts[-1]
    assert "shellfish" not in prompts[-1]


def test_an_expired_session_memory_is_not_sent_as_an_existing_memory(
    remote: tuple[ConciergeService, ModelServer], project: str
) -> None:
    service, server = remote
    session = service.scope("alice", project_id=project, run_id="s1")
    with freeze_time(START):
        service.remember(session, ALLERGY, session_only=True)
    with freeze_time(START + timedelta(days=2)):
        service.remember(session, "I am travelling with my sister", session_only=True)
        service.remember(session.with_run(None), "I am vegetarian")
    prompts = _extraction_prompts(server)
    assert len(prompts) == 3 and "sister" in prompts[1] and "vegetarian" in prompts[2]
    assert all("shellfish" not in p for p in prompts[1:])


# -- 11. forget erases every store the app writes -----------------------------------------------------------------
def _files_containing(folder: Path, marker: bytes, skip: tuple[str, ...] = ()) -> list[Path]:
    found = []
    for path in folder.rglob("*") if folder.exists() else ():
        skipped = any(part in skip for part in path.relative_to(folder).parts)
        if path.is_file() and not skipped and marker in path.read_bytes():
            found.append(path)
    return found


def test_forget_leaves_no_copy_of_the_users_plan_on_disk_or_in_process(service: ConciergeService, project: str) -> None:
    from crewai_core.paths import db_storage_path

    from concierge import embeddings
    from concierge.needs import nlp

    user = f"erase-{uuid.uuid4().hex[:8]}"
    scope = service.scope(user, project_id=project, run_id="s1")
    reply = service.chat(scope, f"{ALLERGY}. Plan a dinner in Lyon tomorrow for two")
    assert reply.plan and reply.draft and reply.memories_stored
    memory_id = reply.memories_stored[0].id
    mem0 = service.memory.backend._memory(scope)

    assert service.forget(scope) >= 1
    marker = user.encode()
    crewai_dir = Path(db_storage_path())
    assert _files_containing(crewai_dir, marker) == []
    assert _files_containing(service.settings.data_dir, marker, skip=("pg",)) == []
    assert mem0.history(memory_id) == []
    assert embeddings.query_vector.cache_info().currsize == 0
    assert nlp.cached_parses() == 0  # the parses of the user's words too
    assert _rows(service, scope) == []


# -- 12. expired session rows are deleted on schedule, not only when that session is listed ----------------------
def test_expired_rows_are_purged_at_start_and_on_later_writes(
    service: ConciergeService, settings: Settings, project: str
) -> None:
    ttl = service.settings.policy.session_ttl_minutes
    alice = service.scope("alice", project_id=project, run_id="s1")
    bob = service.scope("bob", project_id=project)
    with freeze_time(START):
        service.remember(alice, "I am in town for a conference tonight", session_only=True)
        service.remember(alice, "I want a quiet corner table", session_only=True)
        assert len(_rows(service, alice, session="s1")) == 2

    later = START + timedelta(minutes=ttl + 1)
    fresh = ConciergeService.from_settings(settings)
    try:
        with freeze_time(later):
            fresh.memories(bob)  # a new process opening the project purges what has expired
            assert _rows(fresh, alice, session="s1") == []
    finally:
        fresh.close()

    with freeze_time(later):
        service.remember(alice, "I want the window seat", session_only=True)
        assert len(_rows(service, alice, session="s1")) == 1
    with freeze_time(later + timedelta(minutes=ttl + 1)):
        service.remember(bob, "I love Porto")  # a write by anyone in the project purges on schedule
        assert _rows(service, alice, session="s1") == []


# -- 13. concurrent readers of a session with expired memories do not crash --------------------------------------
def test_concurrent_lists_of_an_expired_session_do_not_crash(service: ConciergeService, project: str) -> None:
    ttl = service.settings.policy.session_ttl_minutes
    session = service.scope("carol", project_id=project, run_id="s1")
    with freeze_time(START):
        service.remember(session.with_run(None), "I love Lisbon")
        for text in ("I am in town for a conference tonight", "I want a quiet corner", "I want to leave by ten"):
            service.remember(session, text, session_only=True)
    with freeze_time(START + timedelta(minutes=ttl + 1)):
        listed = _at_once(4, lambda: [r.text for r in service.memories(session)])
    assert listed == [["User loves Lisbon"]] * 4
    assert _rows(service, session, session="s1") == []


# -- 14. the same fact added at the same moment is stored once ----------------------------------------------------
def test_same_fact_from_four_threads_is_stored_once(service: ConciergeService, project: str) -> None:
    scope = service.scope("dave", project_id=project)
    stored = _at_once(4, lambda: service.remember(scope, ALLERGY).stored)
    assert sum(len(s) for s in stored) == 1
    assert [r.text for r in service.memories(scope)] == ["User is allergic to shellfish"]


def test_same_fact_from_four_threads_is_stored_once_on_qdrant_local(settings: Settings, tmp_path: Path) -> None:
    memory = build_memory(
        settings.model_copy(update={"backend": "qdrant", "qdrant_path": tmp_path / "qdrant"}), extractor
    )
    try:
        scope = Scope("local", "production", "dave")
        stored = _at_once(4, lambda: memory.add(scope, ALLERGY).stored)
        assert sum(len(s) for s in stored) == 1
        assert [r.text for r in memory.list(scope)] == ["User is allergic to shellfish"]
        assert memory.forget(scope) == 1 and memory.list(scope) == []
    finally:
        memory.close()


ADDER = """
import json, os, sys, time
from pathlib import Path
from concierge.service import ConciergeService
project, barrier, workers = sys.argv[1], Path(sys.argv[2]), int(sys.argv[3])
svc = ConciergeService.from_settings()
scope = svc.scope("erin", project_id=project)
svc.memories(scope)  # open the table before the race
(barrier / str(os.getpid())).touch()
deadline = time.monotonic() + 240
while len(list(barrier.iterdir())) < workers and time.monotonic() < deadline:
    time.sleep(0.005)
print(json.dumps(len(svc.remember(scope, "I am allergic to shellfish").stored)))
svc.close()
"""


@pytest.mark.slow
def test_same_fact_from_four_processes_is_stored_once(
    service: ConciergeService, state_dir: Path, project: str, tmp_path: Path
) -> None:
    env = {**os.environ, "CONCIERGE_DATA_DIR": str(state_dir)}
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", ADDER, project, str(tmp_path), "4"],
            env=env,
            text=True,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        for _ in range(4)
    ]
    counts = []
    for proc in procs:
        out, err = proc.communicate(timeout=300)
        assert proc.returncode == 0, err[-3000:]
        counts.append(json.loads(out.strip().splitlines()[-1]))
    assert sum(counts) == 1
    assert [r.text for r in service.memories(service.scope("erin", project_id=project))] == [
        "User is allergic to shellfish"
    ]


# -- 15. Cloud: by-id operations check org and project, not only the user ----------------------------------------
@pytest.fixture
def cloud(settings: Settings) -> Iterator[tuple[ConciergeMemory, FakeMem0Platform]]:
    with FakeMem0Platform() as platform:
        cloud_settings = settings.model_copy(
            update={"backend": "cloud", "mem0_api_key": SecretStr("m0-test-key"), "mem0_host": platform.url}
        )
        yield ConciergeMemory(CloudBackend.from_settings(cloud_settings), settings.policy), platform


def test_cloud_staging_cannot_delete_or_forget_production(cloud: tuple[ConciergeMemory, FakeMem0Platform]) -> None:
    memory, _platform = cloud
    production, staging = Scope("acme", "production", "alice"), Scope("acme", "staging", "alice")
    other_org = Scope("globex", "production", "alice")
    (kept,) = memory.add(production, "I am allergic to nuts").stored
    (test_fact,) = memory.add(staging, "I am testing a fake kiwi allergy").stored

    assert memory.delete(staging, kept.id) is False
    assert memory.delete(other_org, kept.id) is False
    assert memory.forget(staging) == 1
    assert memory.forget(other_org) == 0
    assert [r.id for r in memory.list(production)] == [kept.id]
    assert memory.list(staging) == []
    assert memory.delete(production, test_fact.id) is False  # already forgotten in staging
    assert memory.delete(production, kept.id) is True
    assert memory.list(production) == []


def test_forget_erases_entity_rows_another_process_linked(
    service: ConciergeService, settings: Settings, project: str
) -> None:
    from concierge import embeddings

    frank, grace = service.scope("frank", project_id=project), service.scope("grace", project_id=project)
    (fact,) = service.remember(frank, "I love Lyon").stored
    service.remember(grace, "I love Lyon")
    entities = service.memory.backend._memory(frank).entity_store  # mem0 links entities here when spaCy runs
    vector = embeddings.embed_one("Lyon").tolist()
    for user, linked in (("frank", fact.id), ("grace", "other")):
        payload = {"data": "Lyon", "entity_type": "GPE", "linked_memory_ids": [linked], "user_id": user}
        entities.insert(vectors=[vector], payloads=[payload], ids=[str(uuid.uuid4())])

    fresh = ConciergeService.from_settings(settings)  # a process that never touched the entity store
    try:
        assert fresh.forget(frank) == 1
    finally:
        fresh.close()
    (rows,) = entities.list(filters={}, top_k=100)
    assert [r.payload["user_id"] for r in rows] == ["grace"]
