"""The offline extractor keeps other people's facts theirs, once each, grammatical, and a retraction beside the
new value is folded into it (issue 11 items 3-5)."""

import json

import pytest

from concierge.needs import detect_needs
from concierge.offline.extraction import OfflineExtractionLLM, OfflineExtractorConfig, read_clauses
from concierge.offline.people import person_key, relations, resolve_names

USER = "user"


def _extract(message: str, existing: list[str]) -> list[dict]:
    """What the offline model answers mem0 for one user message, with ``existing`` as mem0's listed memories."""
    listed = [{"id": str(i), "text": text} for i, text in enumerate(existing)]
    prompt = f"## Existing Memories\n{json.dumps(listed)}\n\n## New Messages\nuser: {message}\n"
    llm = OfflineExtractionLLM(OfflineExtractorConfig())
    return json.loads(llm.generate_response([{"role": "user", "content": prompt}]))["memory"]


@pytest.mark.parametrize(
    ("message", "name"),
    [
        ("Raj is vegan now.", "Raj"),
        ("Tom is allergic to nuts.", "Tom"),
        ("Anna no longer eats meat.", "Anna"),
        ("Ollie can't eat gluten.", "Ollie"),
        ("Priya is vegetarian these days.", "Priya"),
        ("Sanjay is coeliac.", "Sanjay"),
        ("Ines eats fish now.", "Ines"),
    ],
)
def test_a_named_person_is_never_the_user(message: str, name: str) -> None:
    facts, _ = read_clauses(message, None)
    assert facts, message
    for fact in facts:
        assert name in fact
        assert not fact.startswith("User ") and f"User's {name}" not in fact
        holders = {n.holder for n in detect_needs(fact)}
        assert holders and USER not in holders, (fact, holders)


@pytest.mark.parametrize(
    ("message", "relation", "name", "old"),
    [
        ("Raj is vegan now.", "husband", "Raj", "User's husband Raj is vegetarian"),
        ("Mia is no longer allergic to eggs.", "daughter", "Mia", "User's daughter Mia is allergic to eggs"),
        ("Ines eats fish now.", "mother", "Ines", "User's mother Ines is vegan"),
    ],
)
def test_a_name_takes_its_relation_from_the_existing_memories_and_supersedes_the_old_fact(
    message: str, relation: str, name: str, old: str
) -> None:
    existing = [old, "User is vegetarian", "User's son Leo is allergic to peanuts"]
    memory = _extract(message, existing)
    assert len(memory) == 1
    assert f"User's {relation} {name}" in memory[0]["text"]
    assert memory[0]["supersedes"] == ["0"]  # the companion's old fact, never the user's own nor another person's


def test_a_retraction_the_small_parser_cannot_read_plainly_changes_nothing() -> None:
    """spaCy's small model parses "Raj eats fish now." so that the holder is not plainly its subject (the same words
    with "Ines" parse plainly): the strict retraction rule (needs.retraction) then keeps the husband's need and
    stores no retraction: the safe direction."""
    existing = ["User's husband Raj is vegetarian", "User is vegetarian", "User's son Leo is allergic to peanuts"]
    assert _extract("Raj eats fish now.", existing) == []


@pytest.mark.parametrize(
    "message",
    [
        "my husband Raj is vegan now.",
        "My daughter Mia is allergic to eggs.",
        "our son Leo can't eat gluten",
        "my wife Ana is pescatarian now",
        "My mum Ines is lactose intolerant.",
    ],
)
def test_a_relation_and_a_name_give_one_fact(message: str) -> None:
    facts, _ = read_clauses(message, None)
    assert len(facts) == 1, facts
    assert facts[0].startswith("User's ")


def test_relation_and_name_are_one_person() -> None:
    known = relations(["User's husband Raj is vegetarian", "my son Tom loves pools", "User is vegan"])
    assert known == {"Raj": "husband", "Tom": "son"}
    assert person_key("husband", known) == person_key("Raj", known) != person_key("son", known)
    assert resolve_names("Raj is vegan. Tom and my husband Raj swim.", known) == (
        "My husband Raj is vegan. My son Tom and my husband Raj swim."
    )


@pytest.mark.parametrize(
    ("message", "verb", "base"),
    [
        ("I no longer eat meat", "eats", "eat"),
        ("I still live in Paris", "lives", "live"),
        ("I never fly", "flies", "fly"),
        ("I really love sushi", "loves", "love"),
        ("I now prefer aisle seats", "prefers", "prefer"),
        ("I only eat halal", "eats", "eat"),
        ("I always book aisle seats", "books", "book"),
        ("I no longer drink alcohol", "drinks", "drink"),
    ],
)
def test_an_adverb_between_subject_and_verb_keeps_the_agreement(message: str, verb: str, base: str) -> None:
    facts, _ = read_clauses(message, None)
    assert len(facts) == 1
    words = facts[0].split()
    assert verb in words and base not in words, facts


@pytest.mark.parametrize("past", ["I just moved to Lyon", "I went to Rome"])
def test_a_past_verb_stays_past(past: str) -> None:
    facts, _ = read_clauses(past, None)
    assert facts and past.split()[-3] in facts[0].split()


@pytest.mark.parametrize(
    ("message", "old"),
    [
        ("I'm not vegetarian any more, I eat fish now.", "User is vegetarian"),
        ("I'm not vegan anymore, I'm vegetarian now.", "User is vegan"),
        ("I don't live in Paris any more, I live in Lyon now.", "User lives in Paris"),
        ("Raj isn't vegetarian any more, he eats fish now.", "User's husband Raj is vegetarian"),
    ],
)
def test_a_retraction_beside_the_new_value_stores_only_the_new_value(message: str, old: str) -> None:
    memory = _extract(message, [old, "User loves spicy food"])
    assert len(memory) == 1, memory
    assert not any(w in memory[0]["text"].split() for w in ("not", "isn't", "don't", "doesn't", "longer"))
    assert memory[0]["supersedes"] == ["0"]


def test_he_after_a_named_companion_keeps_the_name() -> None:
    facts, _ = read_clauses("My husband Raj isn't vegetarian any more, he eats fish now.", None)
    assert len(facts) == 1 and "husband" in facts[0] and "Raj" in facts[0], facts


def test_a_named_fact_supersedes_that_persons_fact_only() -> None:
    memory = _extract("Raj is vegan now.", ["User is vegetarian", "Raj is vegetarian", "Tom is vegetarian"])
    assert len(memory) == 1 and memory[0]["text"].startswith("Raj")
    assert memory[0]["supersedes"] == ["1"]


@pytest.mark.parametrize(
    ("message", "old"),
    [("I'm not vegan anymore", "User is vegan"), ("I'm not vegetarian any more.", "User is vegetarian")],
)
def test_a_bare_retraction_is_still_stored_and_supersedes(message: str, old: str) -> None:
    memory = _extract(message, [old])
    assert len(memory) == 1
    assert memory[0]["supersedes"] == ["0"]


def test_a_retraction_beside_another_attribute_is_kept() -> None:
    facts, _ = read_clauses("I no longer eat meat, I eat fish now.", None)
    assert len(facts) == 2, facts


def test_a_retraction_beside_an_attribute_that_is_not_neutral_keeps_only_the_attribute() -> None:
    """Issue 24: the retraction is not plain beside "but I love Lyon"; the chat turn asks "Do you mean ...?"."""
    facts, _ = read_clauses("I'm not vegetarian any more but I love Lyon.", None)
    assert len(facts) == 1 and "Lyon" in facts[0], facts
