"""Forget by chat, round 8 (issue 21, issue 24 item 4): a forget request that names a topic in other words.

"Please forget my travel dates" finds "User is flying to Paris on the 12th", "wipe the info about my job" finds "User
is a nurse", "remove my dairy thing" finds "User is lactose intolerant": the request and the memory are read by topic
(``config/forget_topics.yaml`` by example, the need lexicon for needs). Only a memory of that topic goes, of the
user's own scope; several memories of the topic, or of different topics, are asked about; a like is not an allergy
and the user is not their son. End to end through ``ConciergeService.chat``, on typed fields only.
"""

from __future__ import annotations

import pytest

from concierge.memory.forget_topics import named_topic, stated_topic
from concierge.scope import Scope
from concierge.service import ConciergeService

# (what the user said before, the one memory of them the request names (its index), the forget request)
TOPICS: list[tuple[tuple[str, ...], int, str]] = [
    (("I work at a hospital in Leeds.", "I love ramen."), 0, "please forget where I'm employed"),
    (("I'm a nurse.", "I'm vegetarian."), 0, "wipe the info about my job please"),
    (("I'm a freelance designer.", "I live in Leeds."), 0, "delete what I do for a living"),
    (("I work in marketing at a bank.", "I love tapas."), 0, "Drop the stuff about my career, delete it"),
    (("I'm flying to Rome on the 3rd.", "I hate olives."), 0, "can you forget my flight info"),
    (("I'll be in Lisbon next week.", "My birthday is on the 9th."), 0, "please delete my holiday plans"),
    (("I'm going to Kyoto in April.",), 0, "scrap my travel plans from your memory"),
    (("I'm heading to Berlin at Easter.", "I'm allergic to sesame."), 0, "forget about my trip, it's cancelled"),
    (("I'm travelling to Spain in March.", "I prefer aisle seats."), 0, "remove my travel dates please"),
    (("We're going to Porto in June.", "I'm vegan."), 0, "forget my vacation"),
    (("I live in Bristol.", "I'm vegan."), 0, "don't keep my home address"),
    (("My phone number is 07700 900456.", "I live in Cardiff."), 0, "please erase my contact details"),
    (("I'm lactose intolerant.", "I live in York."), 0, "forget the dairy stuff"),
    (("I'm gluten free.", "I love sushi."), 0, "can you wipe my gluten thing"),
    (("I love sushi.", "I'm vegetarian."), 1, "delete my veggie thing from your notes"),
    (("I'm lactose intolerant.",), 0, "please remove my dairy thing from your memory"),
]  # fmt: skip

# (what the user said before, a forget request that must delete nothing: another person's need, a like that is no
# allergy, a topic several memories share, a topic no memory has, a need named by no topic)
KEPT: list[tuple[tuple[str, ...], str]] = [
    (("My son is allergic to peanuts.",), "forget that I love peanuts"),
    (("My son is allergic to peanuts.",), "forget my peanut thing"),
    (("I'm allergic to peanuts.", "My son is allergic to peanuts."), "forget about peanuts"),
    (("I'm going to Rome in May.", "I'm going to Tokyo in March."), "forget my travel plans"),
    (("I love Tokyo ramen.", "I'm going to Tokyo in March."), "forget about Tokyo"),
    (("I'm vegan.", "I'm allergic to eggs."), "forget my job"),
    (("I live in Leeds.",), "forget my travel dates"),
    (("I'm a nurse.", "I'm vegetarian."), "forget where I live"),
    (("My wife's name is Ana.",), "forget my name"),
]  # fmt: skip


def _scope(service: ConciergeService, project: str, name: str) -> Scope:
    return service.scope(name, project_id=project, run_id=f"r-{name}")


def _texts(service: ConciergeService, scope: Scope) -> list[str]:
    return sorted(r.text for r in service.memories(scope))


@pytest.mark.parametrize(("said", "which", "asked"), TOPICS, ids=[t[2] for t in TOPICS])
def test_a_forget_request_naming_a_topic_deletes_that_memory_only(
    service: ConciergeService, project: str, said: tuple[str, ...], which: int, asked: str
) -> None:
    scope = _scope(service, project, f"f8-{TOPICS.index((said, which, asked))}")
    stored = [service.chat(scope, line).memories_stored for line in said]
    assert all(len(s) == 1 for s in stored), stored
    meant = stored[which][0].text
    before = _texts(service, scope)
    reply = service.chat(scope, asked)
    assert reply.forgotten is not None and reply.forgotten.status == "forgotten", reply.answer
    assert {r.text for r in reply.forgotten.deleted} == {meant}
    assert _texts(service, scope) == sorted(t for t in before if t != meant)
    assert reply.draft is None


@pytest.mark.parametrize(("said", "asked"), KEPT, ids=[k[1] for k in KEPT])
def test_a_forget_request_deletes_nothing_it_does_not_state(
    service: ConciergeService, project: str, said: tuple[str, ...], asked: str
) -> None:
    scope = _scope(service, project, f"f8-kept-{KEPT.index((said, asked))}")
    for line in said:
        service.chat(scope, line)
    before = _texts(service, scope)
    reply = service.chat(scope, asked)
    assert reply.forgotten is not None and not reply.forgotten.deleted
    assert reply.forgotten.status in ("ask", "no_match")
    assert _texts(service, scope) == before


def test_a_forget_by_topic_never_reaches_another_users_memory(service: ConciergeService, project: str) -> None:
    mine, theirs = _scope(service, project, "f8-me"), _scope(service, project, "f8-them")
    service.chat(theirs, "I'm flying to Paris on the 12th.")
    service.chat(mine, "I love sushi.")
    before = _texts(service, theirs)
    reply = service.chat(mine, "Please forget my travel dates.")
    assert reply.forgotten is not None and not reply.forgotten.deleted
    assert _texts(service, theirs) == before


@pytest.mark.parametrize(
    ("target", "topic"),
    [("my travel dates", "travel"), ("the honeymoon", "travel"), ("where I'm based", "home"), ("my job", "job"),
     ("my phone number", "contact"), ("my favourite city", "preference"), ("my birthday", "birthday")],
)  # fmt: skip
def test_a_request_names_its_topic_by_example(target: str, topic: str) -> None:
    assert named_topic(target) == topic


@pytest.mark.parametrize(
    ("memory", "topic"),
    [("User is flying to Paris on the 12th", "travel"), ("User lives in Lisbon", "home"),
     ("User is a nurse", "job"), ("User loves Lyon", "preference"), ("User is allergic to peanuts", None),
     ("User's phone number is 07700 900123", "contact"), ("User is vegan", None)],
)  # fmt: skip
def test_a_memory_states_its_topic_by_its_words_and_by_example(memory: str, topic: str | None) -> None:
    assert stated_topic(memory) == topic
