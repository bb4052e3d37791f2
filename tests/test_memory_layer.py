"""The memory layer on the embedded PostgreSQL: isolation, projects, sessions, categories, bad input."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

import pytest
from freezegun import freeze_time

from concierge.errors import InvalidInputError
from concierge.service import ConciergeService

WHERE = "Where does the user want to live?"


def test_france_vs_spain_concurrently(service: ConciergeService, project: str) -> None:
    alice = service.scope("alice", project_id=project)
    bob = service.scope("bob", project_id=project)
    with ThreadPoolExecutor(2) as pool:
        pool.submit(service.remember, alice, "I'm looking for a house in France.").result()
        pool.submit(service.remember, bob, "I want an apartment in Spain.").result()
    alice_texts = " ".join(r.text for r in service.recall(alice, WHERE))
    bob_texts = " ".join(r.text for r in service.recall(bob, WHERE))
    assert "France" in alice_texts and "Spain" not in alice_texts
    assert "Spain" in bob_texts and "France" not in bob_texts


def test_many_users_in_threads_no_leaks_no_lost_writes(service: ConciergeService, project: str) -> None:
    users = [f"user{i:02d}" for i in range(20)]

    def write(user: str) -> int:
        scope = service.scope(user, project_id=project)
        stored = 0
        for turn in range(10):
            stored += len(service.remember(scope, f"I love the city number {turn} of {user}").stored)
        return stored

    with ThreadPoolExecutor(8) as pool:
        stored = list(pool.map(write, users))
    assert stored == [10] * 20
    for user in users:
        records = service.memories(service.scope(user, project_id=project))
        assert len(records) == 10, user
        assert all(user in r.text and r.user_id == user for r in records)


def test_projects_never_see_each_other(service: ConciergeService, project: str) -> None:
    staging = service.scope("alice", project_id=f"{project}-staging")
    production = service.scope("alice", project_id=project)
    service.remember(staging, "I am testing a fake allergy to kiwis")
    service.remember(production, "I am allergic to peanuts")
    assert [r.text for r in service.memories(production)] == ["User is allergic to peanuts"]
    assert all("peanuts" not in r.text for r in service.recall(staging, "allergy"))


def test_session_memory_expires_and_long_term_stays(service: ConciergeService, project: str) -> None:
    ttl = service.settings.policy.session_ttl_minutes
    start = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
    session = service.scope("dora", project_id=project, run_id="s1")
    with freeze_time(start):
        service.remember(session.with_run(None), "I love Lisbon")
        service.remember(session, "I am in town for a conference tonight", session_only=True)
        assert len(service.memories(session)) == 2
        # Another session of the same user does not see s1's session memory.
        assert [r.text for r in service.memories(session.with_run("s2"))] == ["User loves Lisbon"]
    with freeze_time(start + timedelta(minutes=ttl + 1)):
        assert [r.text for r in service.memories(session)] == ["User loves Lisbon"]
        assert all("table" not in r.text for r in service.recall(session, "table for tonight"))


def test_category_filter_and_excludes(service: ConciergeService, project: str) -> None:
    scope = service.scope("erin", project_id=project)
    result = service.remember(
        scope, "I can't eat gluten, the weather is awful today, and I always sit by the window on planes"
    )
    assert sorted(r.text for r in result.stored) == [
        "User always sits by the window on planes",
        "User can't eat gluten",
    ]
    dietary = service.recall(scope, "what can the user eat", category="dietary_preferences")
    assert [r.text for r in dietary] == ["User can't eat gluten"]
    assert all("dietary_preferences" in r.categories for r in dietary)
    assert all("weather" not in r.text for r in service.memories(scope))


@pytest.mark.parametrize("text", ["", "   \n ", "x" * 1_000_000, "I like\x00 nuts", "bell\x07"])
def test_bad_text_is_refused_and_nothing_is_lost(service: ConciergeService, project: str, text: str) -> None:
    scope = service.scope("frank", project_id=project)
    service.remember(scope, "I love Rome")
    with pytest.raises(InvalidInputError):
        service.remember(scope, text)
    assert [r.text for r in service.memories(scope)] == ["User loves Rome"]


@pytest.mark.parametrize("user", ["../x", "a' OR 1=1", "u" * 300, ""])
def test_bad_ids_are_refused_before_any_storage(service: ConciergeService, project: str, user: str) -> None:
    with pytest.raises(InvalidInputError, match="user_id"):
        service.remember(service.scope(user, project_id=project), "I love Rome")


def test_delete_and_forget_only_touch_one_user(service: ConciergeService, project: str) -> None:
    gina = service.scope("gina", project_id=project)
    hank = service.scope("hank", project_id=project)
    g = service.remember(gina, "I love Vienna").stored[0]
    service.remember(hank, "I love Prague")
    assert service.delete_memory(hank, g.id) is False  # another user's id: refused
    assert service.delete_memory(gina, g.id) is True
    service.remember(gina, "I love Krakow")
    assert service.forget(gina) == 1
    assert service.memories(gina) == []
    assert [r.text for r in service.memories(hank)] == ["User loves Prague"]
    with pytest.raises(InvalidInputError, match="UUID"):
        service.delete_memory(gina, "1; DROP TABLE x")


def test_export_has_categories_and_timestamps(service: ConciergeService, project: str) -> None:
    scope = service.scope("ivan", project_id=project)
    service.remember(scope, "I am vegetarian")
    exported = service.export(scope)
    assert exported["user_id"] == "ivan" and exported["project_id"] == project
    (memory,) = exported["memories"]
    assert memory["text"] == "User is vegetarian"
    assert "dietary_preferences" in memory["categories"]
    assert datetime.fromisoformat(memory["created_at"]).year >= 2026


def test_search_has_a_relevance_floor(service: ConciergeService, project: str) -> None:
    from concierge.memory.layer import ConciergeMemory

    scope = service.scope("fay", project_id=project)
    service.remember(scope, "I love Lisbon")
    service.remember(scope, "I am allergic to shellfish")
    floor = service.settings.policy.min_score
    assert floor > 0
    found = service.recall(scope, "Which city does the user love?")
    assert [r.text for r in found] == ["User loves Lisbon"] and all(r.score >= floor for r in found)
    # The same store without a floor returns the unrelated allergy too: the floor is what dropped it.
    no_floor = ConciergeMemory(service.memory.backend, service.settings.policy.model_copy(update={"min_score": 0.0}))
    unfloored = no_floor.search(scope, "Which city does the user love?")
    allergy = [r for r in unfloored if "shellfish" in r.text]
    assert allergy and allergy[0].score < floor
    # An always_recall category (dietary) reaches every turn whatever the score.
    assert "dietary_preferences" in service.settings.policy.always_recall_categories()
    needs = service.recall(scope, "Which city does the user love?", category="dietary_preferences")
    assert [r.text for r in needs] == ["User is allergic to shellfish"]


def test_dropped_statements_are_reported_once_with_their_reason(service: ConciergeService, project: str) -> None:
    scope = service.scope("gus", project_id=project)
    result = service.remember(scope, "Hello there! I'm having a lovely morning. The weather is lovely. I'm vegan.")
    assert [r.text for r in result.stored] == ["User is vegan"]
    reasons = dict(result.dropped)
    assert len(reasons) == len(result.dropped) == 3  # each clause once
    assert reasons["I'm having a lovely morning"] == "small_talk"
    assert reasons["Hello there"] == reasons["The weather is lovely"] == "not about the user"
    assert all("vegan" not in text for text, _ in result.dropped)


def test_prepared_facts_load_in_bulk_each_into_its_own_users_scope(service: ConciergeService, project: str) -> None:
    from concierge import embeddings
    from concierge.memory.records import PreparedFact

    ivy, jon = service.scope("ivy", project_id=project), service.scope("jon", project_id=project)
    texts = ["User wants a house in France", "User wants an apartment in Spain", "User is allergic to peanuts"]
    vectors = embeddings.embed(texts)
    facts = [PreparedFact(ivy, texts[0], vectors[0]), PreparedFact(jon, texts[1], vectors[1])]
    service.memory.load_prepared([*facts, PreparedFact(ivy, texts[2], vectors[2])])

    assert sorted(r.text for r in service.memories(ivy)) == sorted([texts[0], texts[2]])
    assert [r.text for r in service.memories(jon)] == [texts[1]]
    assert [r.text for r in service.recall(jon, "where do I want to live")] == [texts[1]]
    (allergy,) = [r for r in service.memories(ivy) if "peanuts" in r.text]
    assert allergy.categories[0] == "dietary_preferences"  # the storage boundary's policy applied


def test_bad_prepared_facts_are_refused_and_nothing_is_stored(service: ConciergeService, project: str) -> None:
    from concierge import embeddings
    from concierge.memory.records import PreparedFact

    kim = service.scope("kim", project_id=project)
    elsewhere = service.scope("kim", project_id=f"{project}-other")
    vector = embeddings.embed_one("User loves Rome")
    with pytest.raises(InvalidInputError, match="one project at a time"):
        service.memory.load_prepared([PreparedFact(kim, "a b", vector), PreparedFact(elsewhere, "a b", vector)])
    with pytest.raises(InvalidInputError, match="384"):
        service.memory.load_prepared([PreparedFact(kim, "User loves Rome", [0.1, 0.2])])
    with pytest.raises(InvalidInputError):
        service.memory.load_prepared([PreparedFact(kim, "   ", vector)])
    assert service.memories(kim) == []
