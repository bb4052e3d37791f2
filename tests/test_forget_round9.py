"""Forget by chat, round 9: a forget request that names a fact by its topic, and one that names the session's booking.

- "Forget where I work", "forget my name", "I'd rather you didn't keep where I live, please forget it", "scrap the
  thing about Lisbon being my favourite": the memory that states that attribute goes ("User is Jake" states the
  name though it never says "name"), and only it: a need it does not name stays, and several memories that fit
  are asked about, none deleted;
- "forget the booking", "never mind the reservation", "scrap the table": a cancel of the session's plan (a
  follow-up), never a memory search; with no plan there is nothing to cancel. "forget that I like sushi" stays a
  memory forget.

Read on typed fields only (memories left, the Reply's forgotten status, the follow-up's kind, the plan cleared).
"""

from __future__ import annotations

import pytest

from concierge.memory.forgetting import stated_attributes
from concierge.request.forget import drops_the_plan, read_forget_request
from concierge.scope import Scope
from concierge.service import ConciergeService

NEED = "I'm allergic to peanuts."
OTHER = "I prefer window seats."
# (topic, what the user said, phrasings naming it by topic)
TOPICS = [
    ("work", "I work at a bank in the City.", [
        "Forget where I work, please.", "delete where I work", "please forget my job", "forget about my job",
        "remove what I said about my work", "I'd rather you didn't keep where I work", "stop remembering where I work",
        "erase where i work thanks", "can you forget what I do for work",
    ]),
    ("name", "I'm Jake.", [
        "forget my name", "delete my name please", "please forget what I'm called", "remove my name from your memory",
        "stop remembering my name", "I'd rather you didn't keep my name", "erase my name", "forget what my name is",
    ]),
    ("home", "I live in Leeds.", [
        "forget where I live", "i'd rather you didn't keep where i live, please forget it", "delete my address",
        "remove where I live", "please forget where I'm based", "stop remembering where I live",
        "erase my address please", "scrap what I said about where I live",
    ]),
    ("age", "I'm 34 years old.", [
        "forget my age", "delete how old I am", "remove my age please", "stop remembering my age",
        "please forget my age", "I'd rather you didn't store my age", "erase my age", "forget how old I am",
    ]),
    ("birthday", "My birthday is on 3 May.", [
        "forget my birthday", "delete my birthday please", "remove my birthday", "stop remembering my birthday",
        "please erase my birthday", "forget when I was born", "I'd rather you didn't keep my birthday",
        "scrap my birthday",
    ]),
    ("favourite", "My favourite city is Lisbon.", [
        "scrap the thing about Lisbon being my favourite", "forget my favourite city", "delete the thing about Lisbon",
        "remove that my favourite city is Lisbon", "forget about Lisbon being my favourite",
        "please delete my favourite city", "stop remembering my favourite city", "erase the bit about Lisbon",
    ]),
]  # fmt: skip
CASES = [(topic, said, asked) for topic, said, phrasings in TOPICS for asked in phrasings]


def _scope(service: ConciergeService, project: str, name: str) -> Scope:
    return service.scope(name, project_id=project, run_id=f"r-{name}")


def _texts(service: ConciergeService, scope: Scope) -> set[str]:
    return {r.text for r in service.memories(scope)}


@pytest.mark.parametrize(("topic", "said", "asked"), CASES, ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)])
def test_a_forget_request_naming_a_topic_is_read_as_one(topic: str, said: str, asked: str) -> None:
    request = read_forget_request(asked)
    assert request is not None and request.kind == "target" and request.target
    assert not drops_the_plan(asked)


@pytest.mark.parametrize(("topic", "said", "asked"), CASES, ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)])
def test_a_forget_by_topic_deletes_that_memory_and_keeps_the_rest(
    service: ConciergeService, project: str, topic: str, said: str, asked: str
) -> None:
    scope = _scope(service, project, f"t9-{topic}-{CASES.index((topic, said, asked))}")
    service.remember(scope, NEED)
    service.remember(scope, OTHER)
    (fact,) = service.remember(scope, said).stored
    need_texts = _texts(service, scope) - {fact.text}
    reply = service.chat(scope, asked)
    assert reply.forgotten is not None and reply.forgotten.status == "forgotten"
    assert [r.text for r in reply.forgotten.deleted] == [fact.text]
    assert _texts(service, scope) == need_texts  # the need and the seat preference stay


@pytest.mark.parametrize(
    ("memory", "attribute"),
    [("User is Jake", "name"), ("User is Priya", "name"), ("User is 34", "age"), ("User is a nurse", "job"),
     ("User is a vegetarian", None), ("User is allergic to peanuts", None), ("User likes Lisbon", None)],
)  # fmt: skip
def test_an_attribute_stated_without_its_name_is_read_on_the_parse(memory: str, attribute: str | None) -> None:
    assert stated_attributes(memory) == (frozenset({attribute}) if attribute else frozenset())


@pytest.mark.parametrize("asked", ["forget my job", "please delete what I do for work", "forget where I work"])
def test_a_topic_two_memories_fit_is_asked_about(service: ConciergeService, project: str, asked: str) -> None:
    scope = _scope(service, project, f"t9-two-{abs(hash(asked))}")
    service.remember(scope, "I work at a bank in the City.")
    service.remember(scope, "I also work weekends at a bookshop.")
    before = _texts(service, scope)
    reply = service.chat(scope, asked)
    assert reply.forgotten is not None and reply.forgotten.status == "ask" and not reply.forgotten.deleted
    assert _texts(service, scope) == before


@pytest.mark.parametrize("asked", ["forget my name", "forget my job", "forget my age", "forget where I live"])
def test_a_topic_never_deletes_a_need(service: ConciergeService, project: str, asked: str) -> None:
    scope = _scope(service, project, f"t9-need-{abs(hash(asked))}")
    service.remember(scope, "I'm vegetarian.")
    service.remember(scope, NEED)
    before = _texts(service, scope)
    reply = service.chat(scope, asked)
    assert reply.forgotten is None or not reply.forgotten.deleted
    assert _texts(service, scope) == before


# -- the session's booking ------------------------------------------------------------------------------------------
DROPS = [
    "forget the booking", "forget the reservation", "forget about the table", "scrap the booking",
    "never mind the reservation", "ok, forget the plan", "ditch the table booking", "please forget our reservation",
    "nevermind the booking, thanks", "drop the reservation",
]  # fmt: skip
KEPT = ["forget that I like sushi", "forget my favourite restaurant", "delete that I love booking early"]


@pytest.mark.parametrize("asked", DROPS)
def test_forgetting_the_booking_is_no_memory_forget(asked: str) -> None:
    assert drops_the_plan(asked)
    assert read_forget_request(asked) is None


@pytest.mark.parametrize("asked", KEPT)
def test_forgetting_a_fact_is_no_cancel(asked: str) -> None:
    assert not drops_the_plan(asked)
    request = read_forget_request(asked)
    assert request is not None and request.kind == "target"


@pytest.mark.parametrize("asked", DROPS[::2])
@pytest.mark.parametrize("user", ["ana", "bo"])
def test_forgetting_the_booking_cancels_the_sessions_plan(
    service: ConciergeService, project: str, asked: str, user: str
) -> None:
    scope = _scope(service, project, f"t9-plan-{user}-{DROPS.index(asked)}")
    service.remember(scope, "I like sushi.")
    before = _texts(service, scope)
    booked = service.chat(scope, "Book a table for 2 in Lyon tomorrow at 8pm")
    assert booked.plan is not None
    reply = service.chat(scope, asked)
    assert reply.forgotten is None
    assert reply.follow_up is not None and reply.follow_up.kind == "cancel"
    assert reply.session is not None and reply.session.plan is None and reply.session.request is None
    assert before <= _texts(service, scope)


@pytest.mark.parametrize("asked", DROPS[1::3])
def test_forgetting_the_booking_with_no_plan_cancels_nothing(
    service: ConciergeService, project: str, asked: str
) -> None:
    scope = _scope(service, project, f"t9-noplan-{DROPS.index(asked)}")
    service.remember(scope, "I like sushi.")
    before = _texts(service, scope)
    reply = service.chat(scope, asked)
    assert reply.forgotten is None and reply.plan is None
    assert reply.follow_up is not None and reply.follow_up.kind == "cancel"
    assert _texts(service, scope) == before
