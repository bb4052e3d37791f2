"""The storage boundary itself: unscoped reads fail closed, foreign rows never pass, writes need a scope."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest

from concierge.errors import InvalidInputError
from concierge.llm.factory import states_a_fact
from concierge.memory.categories import CategoryClassifier
from concierge.memory.guarded_store import GuardedVectorStore, capture_insert_decisions
from concierge.settings import Settings


class RecordingStore:
    """Stands in for mem0's vector store: returns whatever rows it is given, like a buggy backend might."""

    def __init__(self, rows: list[Any]) -> None:
        self.rows = rows
        self.inserted: list[dict[str, Any]] = []

    def search(self, query: str, vectors: list[float], top_k: int, filters: dict[str, Any]) -> list[Any]:
        return self.rows

    def list(self, filters: dict[str, Any], top_k: int) -> list[list[Any]]:
        return [self.rows]

    def keyword_search(self, query: str, top_k: int, filters: dict[str, Any]) -> list[Any]:
        return self.rows

    def insert(self, vectors: list[Any], payloads: list[dict[str, Any]], ids: list[str]) -> None:
        self.inserted += payloads


def _row(user: str, project: str = "production") -> SimpleNamespace:
    return SimpleNamespace(id=user, score=1.0, payload={"user_id": user, "project_id": project, "data": "x"})


@pytest.fixture(scope="module")
def classifier(settings: Settings) -> CategoryClassifier:
    return CategoryClassifier(settings.policy, states_a_fact=states_a_fact)


def _guard(inner: RecordingStore, classifier: CategoryClassifier) -> GuardedVectorStore:
    return GuardedVectorStore(inner, org_id="local", project_id="production", classifier=classifier)


def test_reads_without_a_user_fail_closed(classifier: CategoryClassifier) -> None:
    guard = _guard(RecordingStore([_row("alice")]), classifier)
    for call in (
        lambda: guard.search("q", [0.0] * 384, 5, {}),
        lambda: guard.list({"run_id": "s1"}),
        lambda: guard.keyword_search("q", 5, None),
    ):
        with pytest.raises(InvalidInputError, match="user_id"):
            call()


def test_rows_of_other_users_or_projects_are_dropped(classifier: CategoryClassifier) -> None:
    guard = _guard(RecordingStore([_row("alice"), _row("bob"), _row("alice", "staging")]), classifier)
    assert [r.id for r in guard.search("q", [0.0] * 384, 5, {"user_id": "alice"})] == ["alice"]
    assert [r.id for r in guard.list({"user_id": "alice"})[0]] == ["alice"]


def test_writes_need_the_stores_scope_and_excluded_facts_are_not_written(classifier: CategoryClassifier) -> None:
    from concierge import embeddings

    inner = RecordingStore([])
    guard = _guard(inner, classifier)
    allergy, weather = embeddings.embed(["User is allergic to shellfish", "it is snowing outside today"]).tolist()
    base = {"user_id": "alice", "org_id": "local", "project_id": "production"}
    with capture_insert_decisions() as decisions:
        guard.insert([allergy, weather], [{**base, "data": "allergy"}, {**base, "data": "weather"}], ["1", "2"])
    assert [p["data"] for p in inner.inserted] == ["allergy"]
    assert inner.inserted[0]["category"] == "dietary_preferences"
    assert [d.dropped_reason for d in decisions] == [None, "small_talk"]
    with pytest.raises(InvalidInputError, match="scope"):
        guard.insert([allergy], [{**base, "project_id": "staging", "data": "x"}], ["3"])


def test_includes_restrict_what_is_kept(settings: Settings) -> None:
    only_dietary = settings.policy.model_copy(update={"includes": ("dietary_preferences",)})
    restricted = CategoryClassifier(only_dietary, states_a_fact=states_a_fact)
    assert restricted.classify("User is allergic to sesame").keep
    verdict = restricted.classify("User always books a window seat on long flights")
    assert not verdict.keep and "includes" in (verdict.excluded or "")


def test_the_guard_defines_every_vector_store_call_mem0_makes() -> None:
    """Delegation is explicit, so each method mem0's Memory calls on its store must exist on the guard."""
    import re
    from pathlib import Path

    import mem0.memory.main

    source = Path(mem0.memory.main.__file__).read_text(encoding="utf-8")
    called = set(re.findall(r"self\.vector_store\.([A-Za-z_]\w*)", source))
    assert {"insert", "search", "list", "get", "delete"} <= called  # the scan found mem0's calls
    missing = sorted(name for name in called if not hasattr(GuardedVectorStore, name))
    assert not missing, f"mem0 calls {missing} on its vector store; the guard must define them"


def test_anything_else_fails_closed_with_a_clear_error(classifier: CategoryClassifier) -> None:
    guard = _guard(RecordingStore([_row("alice")]), classifier)
    with pytest.raises(AttributeError, match="does not offer 'rows'"):
        _ = guard.rows  # an attribute of the inner store, not offered by the guard


def test_a_fact_the_store_already_holds_is_reported_as_already_remembered(classifier: CategoryClassifier) -> None:
    """A writer that lost the race to store the same fact (``insert_once`` answered None) says so, not nothing."""
    from concierge import embeddings
    from concierge.memory.records import ALREADY_REMEMBERED

    guard = GuardedVectorStore(
        RecordingStore([]),
        org_id="local",
        project_id="production",
        classifier=classifier,
        insert_once=lambda inner, rows: [None for _ in rows],
    )
    (allergy,) = embeddings.embed(["User is allergic to shellfish"]).tolist()
    payload = {"user_id": "alice", "org_id": "local", "project_id": "production", "data": "allergy"}
    with capture_insert_decisions() as decisions:
        guard.insert([allergy], [payload], ["1"])
    assert [(d.text, d.dropped_reason) for d in decisions] == [("allergy", ALREADY_REMEMBERED)]
