"""Dedupe only within the same scope and lifetime (issue 11, item 6), on the embedded PostgreSQL and local Qdrant.

tests/test_privacy.py already covers: a session copy then the long-term fact on PostgreSQL, and one fact
added at once by 4 threads (PostgreSQL, Qdrant) and by 4 processes (PostgreSQL). Added here: the same
on Qdrant, another session's copy, and session and long-term copies added at the same moment.
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from concierge.llm.factory import extractor
from concierge.memory.layer import ConciergeMemory
from concierge.memory.providers import build_memory
from concierge.memory.records import ALREADY_REMEMBERED, AddResult
from concierge.scope import Scope
from concierge.service import ConciergeService
from concierge.settings import Settings

FACT = "I am allergic to shellfish"


@pytest.fixture(params=["embedded", "qdrant-local"])
def memory_and_scope(
    request: pytest.FixtureRequest, service: ConciergeService, settings: Settings, tmp_path: Path
) -> Iterator[tuple[ConciergeMemory, Scope]]:
    user = f"u-{uuid.uuid4().hex[:6]}"
    if request.param == "embedded":
        yield service.memory, service.scope(user, project_id=f"test-{uuid.uuid4().hex[:10]}")
        return
    memory = build_memory(
        settings.model_copy(update={"backend": "qdrant", "qdrant_path": tmp_path / "qdrant"}), extractor
    )
    try:
        yield memory, Scope("local", "production", user)
    finally:
        memory.close()


def _lifetimes(memory: ConciergeMemory, scope: Scope) -> list[str | None]:
    """The lifetime (session id, or None for long-term) of each stored copy of the fact, sorted."""
    runs = {r.id: r.run_id for s in ("s1", "s2") for r in memory.list(scope.with_run(s))}
    return sorted(runs.values(), key=lambda run: run or "")


def test_a_session_copy_never_blocks_the_long_term_fact_or_another_sessions(
    memory_and_scope: tuple[ConciergeMemory, Scope],
) -> None:
    memory, scope = memory_and_scope
    assert len(memory.add(scope.with_run("s1"), FACT, session_only=True).stored) == 1
    assert len(memory.add(scope.with_run("s2"), FACT, session_only=True).stored) == 1
    assert len(memory.add(scope, FACT).stored) == 1
    # Within one lifetime the fact is stored once, and said again it is reported as already remembered.
    assert _outcome(memory.add(scope, FACT)) == (0, 1)
    assert _outcome(memory.add(scope.with_run("s1"), FACT, session_only=True)) == (0, 1)
    assert _lifetimes(memory, scope) == [None, "s1", "s2"]


def _outcome(result: AddResult) -> tuple[int, int]:
    """(facts stored, facts reported as already remembered) of one add."""
    return len(result.stored), sum(d.reason == ALREADY_REMEMBERED for d in result.dropped)


def _at_once(calls: list[Callable[[], tuple[int, int]]]) -> list[tuple[int, int]]:
    barrier = threading.Barrier(len(calls))

    def run(call: Callable[[], tuple[int, int]]) -> tuple[int, int]:
        barrier.wait()
        return call()

    with ThreadPoolExecutor(len(calls)) as pool:
        return [f.result() for f in [pool.submit(run, c) for c in calls]]


def test_session_and_long_term_copies_added_at_once_store_one_of_each(
    memory_and_scope: tuple[ConciergeMemory, Scope],
) -> None:
    memory, scope = memory_and_scope
    session = scope.with_run("s1")
    calls: list[Callable[[], tuple[int, int]]] = [lambda: _outcome(memory.add(session, FACT, session_only=True))] * 3
    calls += [lambda: _outcome(memory.add(scope, FACT))] * 3
    outcomes = _at_once(calls)
    assert sum(stored for stored, _ in outcomes) == 2
    assert all(stored + known == 1 for stored, known in outcomes), outcomes  # every other writer says so
    assert _lifetimes(memory, scope) == [None, "s1"]
