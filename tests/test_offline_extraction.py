"""The offline model's extraction on sentences it was not written around."""

import json

import pytest

from concierge.llm.offline.extraction import OfflineExtractionLLM, OfflineExtractorConfig, extract_facts, user_turns
from concierge.llm.offline.language import to_third_person
from concierge.memory.categories import CategoryClassifier
from concierge.settings import Settings


@pytest.fixture(scope="module")
def classifier(settings: Settings) -> CategoryClassifier:
    return CategoryClassifier(settings.policy)


def test_allergy_with_weather_small_talk_gives_one_fact(classifier: CategoryClassifier) -> None:
    facts = extract_facts("I am allergic to nuts, by the way, it is raining here today", classifier)
    assert facts == ["User is allergic to nuts"]
    assert classifier.classify(facts[0]).categories[0] == "dietary_preferences"


@pytest.mark.parametrize(
    "message", ["Hi, how are you?", "Thanks so much, have a lovely evening!", "What a gorgeous sunny afternoon it is"]
)
def test_small_talk_gives_nothing(message: str, classifier: CategoryClassifier) -> None:
    assert extract_facts(message, classifier) == []


def test_questions_and_requests_are_not_facts(classifier: CategoryClassifier) -> None:
    assert extract_facts("Can you find me a sushi place in Osaka for tomorrow?", classifier) == []


@pytest.mark.parametrize(
    ("clause", "expected"),
    [
        ("I'm looking for a house in France", "User is looking for a house in France"),
        ("I usually fly with my husband", "User usually flies with their husband"),
        ("I don't eat shellfish", "User doesn't eat shellfish"),
        ("We have two dogs", "User and their party have two dogs"),
        ("I've never been to Kyoto", "User has never been to Kyoto"),
    ],
)
def test_first_person_is_rewritten(clause: str, expected: str) -> None:
    assert to_third_person(clause) == expected


def test_unseen_multi_fact_message(classifier: CategoryClassifier) -> None:
    facts = extract_facts(
        "Honestly the traffic was awful. I'm celiac and my partner hates crowded beaches.", classifier
    )
    assert "User is celiac" in facts
    assert any(f.startswith("User's partner hates") or f.startswith("Their partner hates") for f in facts)
    assert not any("traffic" in f for f in facts)


def test_mem0_protocol_round_trip(classifier: CategoryClassifier) -> None:
    prompt = (
        "## Existing Memories\n[]\n\n## New Messages\nuser: I'm vegetarian.\nassistant: Noted!\n"
        "user: Also I prefer aisle seats\n\n## Observation Date\n2026-11-25"
    )
    assert user_turns(prompt) == ["I'm vegetarian.", "Also I prefer aisle seats"]
    llm = OfflineExtractionLLM(OfflineExtractorConfig(classifier=classifier))
    reply = json.loads(llm.generate_response([{"role": "system", "content": "x"}, {"role": "user", "content": prompt}]))
    assert [m["text"] for m in reply["memory"]] == ["User is vegetarian", "User prefers aisle seats"]


@pytest.mark.parametrize("needs_set", ["needs_set.yaml", "needs_chat.yaml", "needs_heldout.yaml"])
def test_every_need_said_survives_the_rewrite_into_memory(needs_set: str) -> None:
    """What is stored must state the same active needs, for the same people, as what was said."""
    from concierge.llm.offline.extraction import extract_facts
    from concierge.needs import active_needs, load_vocabulary
    from concierge.needs.evaluate import load_needs_set
    from concierge.runtime_env import PROJECT_ROOT

    statements = load_needs_set(PROJECT_ROOT / "data" / "needs" / needs_set, load_vocabulary())
    with_needs = [s for s in statements if s.needs]
    assert len(with_needs) >= 30
    lost = []
    for statement in with_needs:
        said = {(n.need_id, n.holder) for n in active_needs([statement.text])}
        kept = {(n.need_id, n.holder) for n in active_needs(extract_facts(statement.text, None))}
        if said - kept:
            lost.append((statement.text, sorted(said - kept)))
    assert lost == []
