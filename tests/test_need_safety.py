"""A stored need is only ever removed by a plain retraction by its holder, or a forget request that names it (issue 24).

Each class of the issue has its regression test here; the property test drives every need of config/needs.yaml
through many phrasings: the pure functions (the offline extraction, the supersession decision, the plan's needs)
for a few hundred examples, and a handful end to end through the service on the embedded store.
"""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from concierge.memory.forgetting import decide, score_candidates
from concierge.memory.records import MemoryRecord
from concierge.memory.versions import SupersessionCapture, read_decision, without_unplain_retractions
from concierge.needs import active_needs, load_vocabulary
from concierge.needs.current import may_supersede
from concierge.needs.mood import asks_about_needs
from concierge.offline.extraction import extract_facts
from concierge.offline.supersede import decide_supersedes
from concierge.request.forget import read_forget_request
from concierge.scope import Scope
from concierge.service import ConciergeService

# How each need is said as a predicate of "I am ...": the diet and condition words, else an allergy to a food.
_SAID_AS = {
    "vegan": "vegan",
    "vegetarian": "vegetarian",
    "pescatarian": "pescatarian",
    "halal": "halal",
    "kosher": "kosher",
    "gluten": "coeliac",
    "milk": "lactose intolerant",
    "wheelchair": "a wheelchair user",
    "hearing": "deaf",
    "visual": "blind",
}
NEEDS = [spec.id for spec in load_vocabulary().specs]


def predicate(need_id: str) -> str:
    spec = load_vocabulary().get(need_id)
    return _SAID_AS.get(need_id) or f"allergic to {spec.foods[0]}"


# Phrasings that mention the need taken back but do not take it back: "{p}" is the predicate ("allergic to eggs").
NOT_RETRACTIONS = [
    "I wish I wasn't {p}",
    "I wish I weren't {p} any more",
    "If I weren't {p} I would eat anything",
    "If I wasn't {p}, life would be easier",
    "{who} {says} I'm not {p}",
    "{who} {says} I am not {p} any more",
    "I never said I'm not {p}",
    "I'm getting tested to see if I'm still {p}",
    "let's pretend I'm not {p}",
    "Imagine I wasn't {p}",
    "Am I still {p}?",
    "Is it true that I'm not {p} any more?",
    "It's not true that I'm not {p}",
    "I might not be {p} any more",
    "I think I'm not {p} any more",
    "Supposedly I'm not {p}",
    "I dreamt I wasn't {p}",
    "I was told I'm not {p}",
    "my doctor said I'm not {p} but I don't believe him",
    "My {other} is not {p} any more",
    "My {other} isn't {p}",
    "I'm not {p} any more. Dream on, right?",
    "I'm not {p} anymore. Nope, still am.",
    "Any chance I'm still {p}",
]
RETRACTIONS = ["I'm not {p} any more", "I am no longer {p}", "I'm not {p} anymore"]
WHO = ["my doctor", "people", "my friend", "my mum", "everyone", "my husband"]
SAYS = ["said", "says", "thinks", "think", "believe", "claims"]
OTHERS = ["husband", "wife", "son", "daughter", "friend", "mother"]


def _fill(template: str, need_id: str, who: str, says: str, other: str) -> str:
    return template.format(p=predicate(need_id), who=who, says=says, other=other)


def _stored(need_id: str) -> str:
    (fact,) = extract_facts(f"I am {predicate(need_id)}", None)
    return fact


def _users(texts: list[str]) -> set[str]:
    return {n.need_id for n in active_needs(texts) if n.holder == "user"}


# -- the property, on the pure functions --------------------------------------------------------------------------
@settings(max_examples=300, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(
    need_id=st.sampled_from(NEEDS),
    template=st.sampled_from(NOT_RETRACTIONS),
    who=st.sampled_from(WHO),
    says=st.sampled_from(SAYS),
    other=st.sampled_from(OTHERS),
)
def test_property_a_need_stays_unless_its_holder_plainly_takes_it_back(
    need_id: str, template: str, who: str, says: str, other: str
) -> None:
    stored = _stored(need_id)
    message = _fill(template, need_id, who, says, other)
    facts = extract_facts(message, None)
    for fact in facts:  # what the memory layer stores of the message: it hides nothing
        assert decide_supersedes(fact, [("0", stored)]) == [], (message, fact)
        assert not may_supersede(fact, stored), (message, fact)
    assert need_id in _users([stored, *facts]), message  # the plan from the memories
    assert need_id in _users([stored, message]), message  # and with the message said in this session


@settings(max_examples=80, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(need_id=st.sampled_from(NEEDS), template=st.sampled_from(RETRACTIONS))
def test_property_a_plain_retraction_by_the_holder_takes_the_need_back(need_id: str, template: str) -> None:
    stored = _stored(need_id)
    message = template.format(p=predicate(need_id))
    facts = extract_facts(message, None)
    assert any(decide_supersedes(fact, [("0", stored)]) == ["0"] for fact in facts), (message, facts)
    assert need_id not in _users([stored, *facts]) and need_id not in _users([stored, message])


@settings(max_examples=60, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(need_id=st.sampled_from(NEEDS), other=st.sampled_from(OTHERS), liked=st.sampled_from(["love", "like", "enjoy"]))
def test_property_a_forget_request_naming_another_attribute_or_person_deletes_no_need(
    need_id: str, other: str, liked: str
) -> None:
    stored = MemoryRecord("0", _stored(need_id), "u", "p")
    foods = load_vocabulary().get(need_id).foods
    liking = [f"forget that I {liked} {foods[0]}"] if foods else []  # a like of the food is not the allergy
    for message in [*liking, f"forget that my {other} is {predicate(need_id)}"]:
        request = read_forget_request(message)
        assert request is not None and request.kind == "target"
        assert decide(score_candidates(request.target, [stored], {"0": 0.9})).status == "no_match", message


# -- one test per class of the issue ------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "message",
    [
        "I wish I wasn't allergic to peanuts",
        "I never said I'm not allergic to peanuts",
        "people think I'm not allergic to peanuts",
        "my friend thinks I'm not allergic to peanuts",
        "I'm getting tested to see if I'm still allergic to peanuts",
        "let's pretend I'm not allergic to peanuts",
        "my doctor said I'm not allergic to peanuts but I don't believe him",
    ],
)
def test_wish_hypothetical_or_reported_speech_never_supersedes_a_need(message: str) -> None:
    stored = "User is allergic to peanuts"
    for fact in [message, *extract_facts(message, None)]:
        assert decide_supersedes(fact, [("0", stored)]) == []
    assert "peanuts" in _users([stored, message])


_NOT_PLAIN = {
    "hedge": ["Maybe I'm not allergic to peanuts anymore", "Perhaps I'm not allergic to peanuts anymore"],
    "past": [
        "I used to not be allergic to peanuts",
        "When I was a kid I was not allergic to peanuts",
        "Last year I wasn't allergic to peanuts",
    ],
    "future": [
        "Next year I will not be allergic to peanuts",
        "Once I finish immunotherapy I won't be allergic to peanuts",
    ],
    "not_meant": [
        "In my dream I wasn't allergic to peanuts",
        "I can eat peanuts in my dreams",
        "lol jk I'm not allergic to peanuts",
        "I'm not allergic to peanuts... yeah right",
        "Test message: I am not allergic to peanuts",
        "I'm not allergic to peanuts, just kidding",
    ],
    "double_negative": ["I'm not not allergic to peanuts"],
    "partial": [
        "I'm not allergic to peanuts in small amounts",
        "I'm not as allergic to peanuts as I was",
        "I'm not allergic to peanut oil smell, only eating them",
        "I'm no longer afraid of my peanut allergy",
        "I'm not the one allergic to peanuts in my family",
    ],
    "not_the_holder": ["My dog is not allergic to peanuts"],
}


@pytest.mark.parametrize("message", [m for members in _NOT_PLAIN.values() for m in members], ids=lambda m: m[:40])
def test_what_is_not_a_plain_present_retraction_by_the_holder_takes_nothing_back(message: str) -> None:
    stored = "User is allergic to peanuts"
    assert may_supersede(message, stored) is False, message
    for fact in [message, *extract_facts(message, None)]:
        assert decide_supersedes(fact, [("0", stored)]) == [], fact
    assert "peanuts" in _users([stored, message])


@pytest.mark.parametrize(
    ("stored", "said", "taken_back"),
    [
        ("User is allergic to eggs", "I'm no longer allergic to eggs, my doctor confirmed it", True),
        ("User is allergic to eggs", "I'm not allergic to eggs, I wish I were", True),
        ("User's wife is vegan", "My wife says she's not vegan anymore", True),
        ("User's son is allergic to eggs", "my son has outgrown his egg allergy", True),
        ("User's daughter is allergic to milk", "my daughter has grown out of her milk allergy", True),
        ("User is allergic to peanuts", "I grew out of my peanut allergy", True),
        ("User is allergic to peanuts", "I hope I grow out of my peanut allergy", False),
        ("User is allergic to peanuts", "my son grew out of his peanut allergy", False),
        ("User is vegan", "User's wife says she is not vegan anymore", False),
        ("User is vegan", "My husband says I'm not vegan", False),
    ],
)
def test_a_plain_retraction_is_told_from_reported_speech(stored: str, said: str, taken_back: bool) -> None:
    before = {(n.need_id, n.holder) for n in active_needs([stored])}
    assert (before <= {(n.need_id, n.holder) for n in active_needs([stored, said])}) is not taken_back
    facts = extract_facts(said, None)
    assert any(decide_supersedes(fact, [("0", stored)]) == ["0"] for fact in facts) is taken_back, facts


def test_a_remote_models_supersession_of_a_need_is_refused_unless_the_fact_takes_it_back() -> None:
    """The rule holds whatever the model says: the storage boundary's check, not the offline model's decision."""

    class Row:
        def __init__(self, id_: str, text: str) -> None:
            self.id, self.payload = id_, {"data": text, "user_id": "u", "project_id": "p"}

    shown = [Row("a", "User is allergic to peanuts"), Row("b", "User lives in Paris")]
    listed = [{"id": str(i), "text": row.payload["data"]} for i, row in enumerate(shown)]
    messages = [{"role": "user", "content": f"## Existing Memories\n{json.dumps(listed)}"}]

    def decided(text: str) -> dict[str, list[str]]:
        capture = SupersessionCapture("u", "p", shown=list(shown))
        reply = json.dumps({"memory": [{"text": text, "supersedes": ["0", "1"]}]})
        read_decision(capture, messages, reply)
        return capture.decisions

    assert decided("User wishes they were not allergic to peanuts") == {
        "User wishes they were not allergic to peanuts": ["b"]
    }
    assert decided("User is not allergic to peanuts any more") == {
        "User is not allergic to peanuts any more": ["a", "b"]
    }


def test_the_plan_and_memory_list_agree_on_needs(service: ConciergeService, project: str) -> None:
    scope = service.scope("plan-agrees", project_id=project)
    service.remember(scope, "I am allergic to peanuts")
    service.remember(scope, "If I weren't allergic to peanuts I'd eat satay")

    current = [r.text for r in service.memories(scope)]
    needs = {n.need_id for n in service.user_needs(scope)}
    assert "peanuts" in needs and {n.need_id for n in active_needs(current)} == needs
    assert any("peanut" in t and not t.startswith("If") for t in current)
    reply = service.chat(scope, "Book dinner in Lyon tomorrow for 2")
    assert reply.plan is not None and "peanuts" in {n.need_id for n in reply.plan.needs}


@pytest.mark.parametrize(
    ("stored", "said"),
    [
        ("My older daughter is allergic to eggs", "My younger daughter is not allergic to eggs"),
        ("My son Tom is allergic to peanuts", "My husband Tom is fine with peanuts"),
        ("My son is allergic to eggs", "I'm not allergic to eggs any more"),
        ("My wife is allergic to shellfish", "My ex-wife is not allergic to shellfish"),
        ("My wife is vegetarian", "My ex-wife eats meat"),
        ("My son is allergic to milk", "My friend's son is not allergic to milk"),
        ("My son is allergic to peanuts", "My son-in-law is not allergic to peanuts"),
        ("My son is allergic to peanuts", "My other son is not allergic to peanuts"),
        ("My son is allergic to peanuts", "My second son is not allergic to peanuts"),
        ("My son is allergic to peanuts", "My twin sons are not allergic to peanuts"),
        ("My daughter is allergic to milk", "My other daughter drinks milk"),
        ("My son Tom is allergic to peanuts", "Tom from work is not allergic to peanuts"),
    ],
)
def test_another_persons_statement_never_supersedes_a_companions_need(stored: str, said: str) -> None:
    (old,) = extract_facts(stored, None)
    for fact in extract_facts(said, None):
        assert decide_supersedes(fact, [("0", old)]) == []
    held = {(n.need_id, n.holder) for n in active_needs([old, *extract_facts(said, None)])}
    assert held & {(n.need_id, n.holder) for n in active_needs([old])}


def test_an_unclear_person_supersedes_nothing_and_the_concierge_asks(service: ConciergeService, project: str) -> None:
    scope = service.scope("two-daughters", project_id=project, run_id="d1")
    service.chat(scope, "My older daughter is allergic to eggs")
    service.chat(scope, "My younger daughter loves pasta")

    reply = service.chat(scope, "My daughter is not allergic to eggs")

    assert "older daughter" in reply.answer and "younger daughter" in reply.answer and "?" in reply.answer
    assert any(r.text == "User's older daughter is allergic to eggs" for r in service.memories(scope))
    assert ("eggs", "daughter") in {(n.need_id, n.holder) for n in service.user_needs(scope)}
    # one daughter known, but as "my older daughter": "my daughter" may be another one, so nothing is taken back
    # and the concierge asks (attack9 H2: a qualifier tells people apart; this expectation changed in round 7)
    only = service.scope("one-daughter", project_id=project, run_id="d2")
    service.chat(only, "My older daughter is allergic to eggs")
    asked = service.chat(only, "My daughter is not allergic to eggs")
    assert asked.asked is not None
    assert "eggs" in {n.need_id for n in service.user_needs(only)}
    # said as she was named, the plain retraction takes her allergy back
    service.chat(only, "My older daughter is not allergic to eggs any more")
    assert "eggs" not in {n.need_id for n in service.user_needs(only)}


@pytest.mark.parametrize(
    ("memories", "message", "status"),
    [
        (["User's son is allergic to peanuts"], "forget that I love peanuts", "no_match"),
        (["User's son is allergic to peanuts"], "forget that I'm allergic to peanuts", "no_match"),
        (["User is allergic to peanuts"], "forget that I eat peanuts", "no_match"),
        (["User is allergic to peanuts", "User's son is allergic to peanuts"], "forget about peanuts", "ask"),
        (["User's son is allergic to peanuts"], "forget my son's peanut allergy", "forgotten"),
    ],
)
def test_forget_by_chat_deletes_only_a_memory_stating_what_is_named(
    memories: list[str], message: str, status: str
) -> None:
    records = [MemoryRecord(str(i), text, "u", "p") for i, text in enumerate(memories)]
    request = read_forget_request(message)
    assert request is not None
    assert decide(score_candidates(request.target, records, {r.id: 0.8 for r in records})).status == status


@pytest.mark.parametrize(
    ("stored", "message"),
    [
        ("User is allergic to peanuts", "delete the thing about my favourite snack, peanuts"),
        ("User is allergic to peanuts", "forget my peanut butter recipe"),
        ("User is allergic to peanuts", "remove the thing about peanut prices"),
        ("User is allergic to peanuts", "forget that my neighbour is allergic to peanuts"),
        ("User is allergic to peanuts", "delete what I said about peanuts at the airport"),
        ("User's son is allergic to peanuts", "forget my favourite snack, peanuts"),
        ("User uses a wheelchair", "forget my wheelchair-friendly hotel preference"),
        ("User is coeliac", "delete the thing about gluten-free beer being gross"),
    ],
)
def test_a_forget_request_that_does_not_name_the_need_keeps_it(stored: str, message: str) -> None:
    records = [MemoryRecord("0", stored, "u", "p")]
    request = read_forget_request(message)
    assert request is not None and request.kind == "target"
    assert decide(score_candidates(request.target, records, {"0": 0.9})).status != "forgotten", message


@pytest.mark.parametrize(
    ("stored", "message"),
    [
        ("User is allergic to peanuts", "forget my peanut allergy"),
        ("User is allergic to peanuts", "forget that I'm allergic to peanuts"),
        ("User's son is allergic to peanuts", "forget that my son is allergic to peanuts"),
        ("User uses a wheelchair", "forget that I use a wheelchair"),
        ("User is coeliac", "forget that I am coeliac"),
    ],
)
def test_a_forget_request_naming_the_need_of_its_holder_deletes_it(stored: str, message: str) -> None:
    records = [MemoryRecord("0", stored, "u", "p")]
    request = read_forget_request(message)
    assert request is not None and request.kind == "target"
    assert decide(score_candidates(request.target, records, {"0": 0.9})).status == "forgotten", message


def test_a_need_named_without_its_holder_asks_when_two_people_hold_it() -> None:
    records = [
        MemoryRecord("0", "User is allergic to peanuts", "u", "p"),
        MemoryRecord("1", "User's wife is allergic to peanuts", "u", "p"),
    ]
    request = read_forget_request("forget the peanut allergy")
    assert request is not None
    decision = decide(score_candidates(request.target, records, {"0": 0.9, "1": 0.9}))
    assert decision.status == "ask" and decision.chosen == ()
    assert {c.records[0].id for c in decision.candidates} == {"0", "1"}


def test_forget_by_chat_keeps_a_companions_need_end_to_end(service: ConciergeService, project: str) -> None:
    scope = service.scope("forget-son", project_id=project, run_id="f1")
    service.remember(scope, "My son is allergic to peanuts")
    reply = service.chat(scope, "forget that I love peanuts")
    assert reply.forgotten is not None and reply.forgotten.deleted == ()
    assert [r.text for r in service.memories(scope)] == ["User's son is allergic to peanuts"]


def _needs(service: ConciergeService, scope: Scope) -> set[str]:
    return {n.need_id for n in service.user_needs(scope)}


@pytest.mark.parametrize("undo", ["scratch that", "that's no longer true"])
def test_scratch_that_refers_to_the_previous_turn_only(service: ConciergeService, project: str, undo: str) -> None:
    scope = service.scope("scratch", project_id=project, run_id=f"s-{len(undo)}")
    service.chat(scope, "I'm allergic to peanuts")
    booked = service.chat(scope, "Book dinner in Lyon tomorrow at 8pm for 2")
    assert booked.plan is not None and booked.plan.chosen is not None

    reply = service.chat(scope, undo)

    assert _needs(service, scope) == {"peanuts"}  # the allergy stays
    state = service.session_state(scope)
    assert reply.plan is None and state is not None and not state.has_plan  # the booking is undone
    # after a statement of a need, "scratch that" names nothing: the need stays and the reply says how
    again = service.chat(scope.with_run(f"t-{len(undo)}"), undo)
    assert again.forgotten is not None and again.forgotten.deleted == ()
    assert _needs(service, scope) == {"peanuts"}


def test_scratch_that_after_an_edit_puts_the_plan_back(service: ConciergeService, project: str) -> None:
    scope = service.scope("scratch-edit", project_id=project, run_id="e1")
    first = service.chat(scope, "Book dinner in Lyon tomorrow at 8pm for 2").plan
    edited = service.chat(scope, "make it 9pm").plan
    assert first is not None and edited is not None and first.time != edited.time

    reply = service.chat(scope, "scratch that")

    state = service.session_state(scope)
    assert reply.plan is not None and reply.plan.time == first.time
    assert state is not None and state.plan is not None and state.plan.time == first.time


@pytest.mark.parametrize(
    "message", ["It's not true that I'm not allergic to eggs", "It is false that I am not allergic to eggs"]
)
def test_a_double_negative_reads_as_the_need(message: str) -> None:
    assert "eggs" in _users([message]) and "eggs" in _users(["User is allergic to eggs", message])
    assert decide_supersedes(message, [("0", "User is allergic to eggs")]) == []


def test_a_question_stores_nothing_and_is_answered_from_memory(service: ConciergeService, project: str) -> None:
    assert asks_about_needs("Am I still allergic to peanuts?")
    assert not asks_about_needs("Can you find somewhere vegan?")
    scope = service.scope("asks", project_id=project)
    stored = service.remember(scope, "I am allergic to peanuts").stored

    reply = service.chat(scope, "Am I still allergic to peanuts?")

    assert reply.request.intent == "memory_question" and reply.memories_stored == []
    assert [r.id for r in service.memories(scope)] == [r.id for r in stored]
    assert all(r.text in reply.answer for r in stored)


@pytest.mark.parametrize(
    ("need_id", "message"),
    [
        ("peanuts", "I wish I wasn't allergic to peanuts"),
        ("vegan", "my doctor says I'm not vegan"),
        ("wheelchair", "Am I still a wheelchair user?"),
        ("eggs", "My husband isn't allergic to eggs"),
    ],
)
def test_property_end_to_end_the_need_stays_current_and_in_the_plan(
    service: ConciergeService, project: str, need_id: str, message: str
) -> None:
    scope = service.scope(f"e2e-{need_id}", project_id=project, run_id="p1")
    service.remember(scope, f"I am {predicate(need_id)}")
    service.chat(scope, message)
    assert need_id in {n.need_id for n in active_needs([r.text for r in service.memories(scope)])}
    plan = service.chat(scope, "Book dinner in Lyon tomorrow for 2").plan
    assert plan is not None and need_id in {n.need_id for n in plan.needs}


# -- round 3: only a positively recognised plain retraction by the holder takes a need back ------------------------
# Each class is a family of phrasings that mention the need negatively without taking it back plainly.
NOT_PLAIN_CLASSES = {
    "degree": ["I'm not severely {p}", "I'm not completely {p}", "I'm not really {p} any more", "I'm not very {p}"],
    "scope": [
        "I'm not {p} when I'm travelling",
        "I'm not {p} in Europe, only at home",
        "I'm only not {p} on Sundays",
        "I'm not {p} at breakfast",
    ],
    "tag_question": [
        "I'm not {p} any more, am I",
        "I'm no longer {p}, right?",
        "You know I'm not {p} anymore, don't you?",
    ],
    "reported_speech": [
        "I told the waiter I'm not {p} so he'd stop asking",
        "I'm not {p} (according to my mother)",
        "My {other} says I'm not {p} any more",
    ],
    "reminder": ["Don't forget I'm {p}", "Never forget that I'm {p}", "Do not forget I am {p}"],
    "double_negative": ["It's not like I'm not {p}", "There's no way I'm not {p}", "I never stopped being {p}"],
    "we": ["We're not {p} any more", "We are no longer {p}"],
    # round 6 (attack8 H2/H3/H6/H7): a sentence beside the retraction that is not neutral company
    "another_typist": [
        "Passing the phone to my {other}. I'm not {p} any more.",
        "This is her husband typing. I'm not {p} anymore.",
        "I'm not {p} anymore! Haha my {other} grabbed my phone.",
    ],
    "jest_sentence": [
        "I'm not {p} anymore. Who am I fooling?",
        "I'm not {p} anymore. Forget I said that.",
        "I'm not {p} anymore. Bet you believed that.",
    ],
    "correction": [
        "I'm not {p} anymore. Oh no, I mixed up with my {other}.",
        "I'm not {p} anymore. I'm thinking of my {other}.",
    ],
    "hedge_sentence": [
        "I'm not {p} anymore. I think.",
        "I'm not {p} any more. I guess.",
        "I'm not {p} anymore. I hope.",
        "I'm not {p} anymore. Maybe.",
        "I'm not {p} anymore. Not sure.",
    ],
}
_CLASS_MEMBERS = [(name, t) for name, members in NOT_PLAIN_CLASSES.items() for t in members]


def _remote_supersession(stored: str, fact: str, said: str) -> dict[str, list[str]]:
    """What the storage boundary keeps of a (remote) model's decision that ``fact`` supersedes ``stored``, when the
    user said ``said``: the model is a fake at the external boundary; the rule is ours."""

    class Row:
        def __init__(self, id_: str, text: str) -> None:
            self.id, self.payload = id_, {"data": text, "user_id": "u", "project_id": "p"}

    shown = [Row("a", stored)]
    listed = json.dumps([{"id": "0", "text": stored}])
    prompt = f"## Existing Memories\n{listed}\n\n## New Messages\nuser: {said}"
    capture = SupersessionCapture("u", "p", shown=shown)
    read_decision(
        capture, [{"role": "user", "content": prompt}], json.dumps({"memory": [{"text": fact, "supersedes": ["0"]}]})
    )
    return {text: ids for text, ids in capture.decisions.items() if ids}


@settings(max_examples=300, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(need_id=st.sampled_from(NEEDS), member=st.sampled_from(_CLASS_MEMBERS), other=st.sampled_from(OTHERS))
def test_property_no_class_of_unplain_phrasing_takes_a_need_back(
    need_id: str, member: tuple[str, str], other: str
) -> None:
    stored = _stored(need_id)
    message = member[1].format(p=predicate(need_id), other=other)
    facts = extract_facts(message, None)
    for fact in facts:
        assert decide_supersedes(fact, [("0", stored)]) == [], (member[0], message, fact)
    assert need_id in _users([stored, *facts]), (member[0], message, facts)  # the plan from current memories
    assert need_id in _users([stored, message]), (member[0], message)  # and with the message in this session
    # a remote model that rewrote the message as a plain retraction is refused: decided on what the user said
    assert _remote_supersession(stored, f"User is not {predicate(need_id)} any more", message) == {}, message
    # nor is that rewrite stored: a stored retraction would drop the need from every later plan
    rewrite = json.dumps({"memory": [{"text": f"User is not {predicate(need_id)} any more", "event": "ADD"}]})
    kept = json.loads(without_unplain_retractions(rewrite, [message]))["memory"]
    assert kept == [] and need_id in _users([stored, *(i["text"] for i in kept)]), message


RELATIVES_OF_THE_HOLDER = [
    "Tom's dog isn't {p}",
    "Tom's friend Max is not {p}",
    "Tom's teacher isn't {p}",
    "My son's teacher says he's not {p}",
    "The boy next to my son isn't {p}",
    "My son's son isn't {p}",
    "Nobody in my family is {p}",
]


@settings(max_examples=120, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(need_id=st.sampled_from(NEEDS), template=st.sampled_from(RELATIVES_OF_THE_HOLDER))
def test_property_a_person_related_to_the_holder_never_takes_the_holders_need_back(need_id: str, template: str) -> None:
    (stored,) = extract_facts(f"My son Tom is {predicate(need_id)}", None)
    message = template.format(p=predicate(need_id))
    facts = extract_facts(message, None)
    for fact in facts:
        assert decide_supersedes(fact, [("0", stored)]) == [], (message, fact)
    for texts in ([stored, *facts], [stored, message]):
        held = {(n.need_id, n.holder.casefold()) for n in active_needs(texts)}
        assert (need_id, "tom") in held, (message, held)
        assert not {h for i, h in held if i == need_id} - {"tom", "user"}, (message, held)  # no "family", no "dog"


PLAIN_RETRACTIONS_BY_HOLDER = [
    ("I am {p}", "I'm not {p} any more"),
    ("I am {p}", "I am no longer {p}"),
    ("I am {p}", "I'm not {p} anymore"),
    ("My son is {p}", "My son is not {p} any more"),
    ("My son is {p}", "My son is no longer {p}"),
    ("My wife is {p}", "My wife says she's not {p} anymore"),
]


@settings(max_examples=90, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(need_id=st.sampled_from(NEEDS), pair=st.sampled_from(PLAIN_RETRACTIONS_BY_HOLDER))
def test_property_plain_retractions_of_users_and_companions_still_take_the_need_back(
    need_id: str, pair: tuple[str, str]
) -> None:
    (stored,) = extract_facts(pair[0].format(p=predicate(need_id)), None)
    message = pair[1].format(p=predicate(need_id))
    facts = extract_facts(message, None)
    assert any(decide_supersedes(fact, [("0", stored)]) == ["0"] for fact in facts), (message, facts)
    assert need_id not in {n.need_id for n in active_needs([stored, message])}, message
    assert any(_remote_supersession(stored, fact, message) for fact in facts), (message, facts)


def _assert_need_kept(stored: str, said: str) -> None:
    """``said`` after ``stored`` supersedes nothing, and the stored need stays current with what was extracted from
    it and with the message itself in the session."""
    (old,) = extract_facts(stored, None)
    before = {(n.need_id, n.holder) for n in active_needs([old])}
    facts = extract_facts(said, None)
    assert all(decide_supersedes(fact, [("0", old)]) == [] for fact in facts), facts
    assert before <= {(n.need_id, n.holder) for n in active_needs([old, *facts])}
    assert before <= {(n.need_id, n.holder) for n in active_needs([old, said])}


@pytest.mark.parametrize(
    ("stored", "said"),
    [
        ("I am allergic to peanuts", "I'm not allergic to peanuts, am I?"),
        ("I am allergic to peanuts", "I'm not severely allergic to peanuts"),
        ("I'm deaf", "I'm not completely deaf"),
        ("I'm blind", "I'm not fully blind"),
        ("I use a wheelchair", "I don't always use a wheelchair"),
        ("I'm vegan", "I'm not a strict vegan"),
        ("I am allergic to peanuts", "I'm not allergic to peanut butter, just peanuts"),
        ("I am allergic to peanuts", "I'm not allergic to peanut oil, only whole peanuts"),
        ("I am allergic to peanuts", "I'm not allergic to peanuts when they're cooked"),
        ("I am allergic to peanuts", "I'm not allergic to peanuts in Europe, only in the US"),
        ("I have coeliac disease", "I'm not allergic to gluten, I have coeliac disease"),
        ("I am allergic to peanuts", "I'm not allergic to peanuts unfortunately is what I'd love to say"),
        ("My daughter Anna is allergic to eggs", "Anna's teacher isn't allergic to eggs"),
        ("My wife Anna is vegan", "Anna's sister isn't vegan"),
        ("My daughter is allergic to eggs", "My daughter's daughter isn't allergic to eggs"),
        ("I am allergic to peanuts", "We're not allergic to peanuts"),
    ],
)
def test_degree_scope_tag_and_relatives_of_the_holder_keep_the_need(stored: str, said: str) -> None:
    _assert_need_kept(stored, said)


@pytest.mark.parametrize(
    ("stored", "said"),
    [
        ("I am allergic to peanuts", "Am I no longer allergic to peanuts"),
        ("I am allergic to peanuts", "am i not allergic to peanuts anymore"),
        ("I'm vegan", "Am I not vegan anymore"),
        ("I use a wheelchair", "Do I no longer use a wheelchair"),
        ("My son is allergic to peanuts", "Is my son no longer allergic to peanuts"),
        ("My son Tom is allergic to peanuts", "Is Tom no longer allergic to peanuts"),
        ("I'm allergic to sesame", "Have I stopped being allergic to sesame"),
    ],
)
def test_a_question_without_its_mark_never_takes_a_need_back(stored: str, said: str) -> None:
    """The verb before its subject asks, "?" or not: the need stays current and in the plan."""
    _assert_need_kept(stored, said)


@pytest.mark.parametrize(
    "message",
    [
        "Don't forget I'm allergic to peanuts",
        "Never forget my peanut allergy",
        "Do not forget I'm allergic to peanuts",
        "Don't ever forget my peanut allergy",
    ],
)
def test_a_reminder_states_the_need(message: str) -> None:
    facts = extract_facts(message, None)
    assert "peanuts" in _users(facts), facts  # stored as the need, on a fresh user
    assert "peanuts" in _users(["User is allergic to peanuts", *facts])
    assert all(decide_supersedes(fact, [("0", "User is allergic to peanuts")]) == [] for fact in facts)


@pytest.mark.parametrize(
    "message",
    [
        "It's not like I'm not allergic to peanuts",
        "There's no way I'm not allergic to peanuts",
        "I never stopped being allergic to peanuts",
    ],
)
def test_a_double_negative_in_any_form_keeps_the_need(message: str) -> None:
    assert "peanuts" in _users(["User is allergic to peanuts", message])
    assert all(decide_supersedes(f, [("0", "User is allergic to peanuts")]) == [] for f in extract_facts(message, None))


@pytest.mark.parametrize(
    "message",
    [
        "Isn't it true I'm not allergic to peanuts?",
        "Didn't I tell you I'm not allergic to peanuts?",
        "Why am I not allergic to peanuts anymore?",
        "I'm not allergic to peanuts, am I?",
    ],
)
def test_a_question_with_a_false_premise_is_answered_from_memory(message: str) -> None:
    assert asks_about_needs(message)


def test_nobody_in_the_family_except_me_is_the_users_need_not_a_familys() -> None:
    held = {
        (n.need_id, n.holder)
        for n in active_needs(["User is allergic to peanuts", "Nobody in my family is allergic to peanuts except me"])
    }
    assert held == {("peanuts", "user")}


@pytest.mark.parametrize(
    "message",
    [
        "forget everything except my peanut allergy",
        "forget everything but my peanut allergy",
        "forget all except my peanut allergy",
        "forget everything apart from my peanut allergy",
    ],
)
def test_forget_everything_except_a_need_keeps_that_need(message: str) -> None:
    records = [
        MemoryRecord("0", "User is allergic to peanuts", "u", "p"),
        MemoryRecord("1", "User loves Paris", "u", "p"),
    ]
    request = read_forget_request(message)
    assert request is not None
    assert (
        request.kind == "everything"
        or decide(score_candidates(request.target, records, {"0": 0.9})).status == "no_match"
    )


def test_forget_everything_except_a_need_deletes_nothing_end_to_end(service: ConciergeService, project: str) -> None:
    scope = service.scope("except", project_id=project, run_id="x1")
    service.remember(scope, "I am allergic to peanuts")
    reply = service.chat(scope, "forget everything except my peanut allergy")
    assert reply.forgotten is not None and reply.forgotten.deleted == ()
    assert "peanuts" in _needs(service, scope)


def test_an_unplain_retraction_changes_nothing_and_the_concierge_asks(service: ConciergeService, project: str) -> None:
    scope = service.scope("we-not", project_id=project, run_id="w1")
    service.remember(scope, "I am allergic to peanuts")
    before = [r.id for r in service.memories(scope)]
    reply = service.chat(scope, "We're not allergic to peanuts")
    assert "?" in reply.answer and "peanut" in reply.answer
    assert set(before) <= {r.id for r in service.memories(scope)}
    assert _needs(service, scope) == {"peanuts"}
    plan = service.chat(scope, "Book dinner in Lyon tomorrow for 2").plan
    assert plan is not None and "peanuts" in {n.need_id for n in plan.needs}


def test_a_models_plain_retraction_is_stored_when_the_user_said_it_plainly() -> None:
    """The filter of a model's reply keeps what the user's words do say: a plain retraction, and other facts."""
    reply = json.dumps({"memory": [{"text": "User is not allergic to peanuts any more"}, {"text": "User loves jazz"}]})
    kept = json.loads(without_unplain_retractions(reply, ["I'm not allergic to peanuts any more", "I love jazz"]))
    assert [i["text"] for i in kept["memory"]] == ["User is not allergic to peanuts any more", "User loves jazz"]
    # beside a sentence that is not neutral company the retraction is not plain (the concierge asks; attack9 H1)
    beside = json.loads(without_unplain_retractions(reply, ["I'm not allergic to peanuts any more. I love jazz"]))
    assert [i["text"] for i in beside["memory"]] == ["User loves jazz"]
    unplain = json.loads(without_unplain_retractions(reply, ["I'm not allergic to peanuts, am I? I love jazz"]))
    assert [i["text"] for i in unplain["memory"]] == ["User loves jazz"]


# -- round 4 (attack4): undo, jest, narrower foods, exceptions, what a forget names, questions without "?" -----------
SARCASTIC_REVERSALS = [
    "I'm not {p} any more. Not!",
    "I'm no longer {p}. As if!",
    "I'm not {p} anymore. NOT!",
    "I'm not {p} anymore. Yeah, right.",
    "I'm not {p} anymore. Not.",
    "I'm not {p} any more lol no",
    "I'm no longer {p}. Ha, as if.",
    "I'm not {p} any more. Nope.",
    "I'm no longer {p}. In your dreams.",
    "I'm not {p} anymore. Psych!",
    # attack5: an ending that is not courtesy ("Thanks!", "Great news!") makes a retraction not plain
    "I'm not {p} anymore. If only!",
    "I'm no longer {p}. Fat chance.",
    "I'm not {p} anymore. Yeah, sure.",
    "I'm not {p} any more. Wishful thinking!",
    "I'm not {p} anymore. Ha! If only.",
    "I'm no longer {p}. April fool!",
    "I'm not {p} anymore. LOL.",
    "I'm not {p} anymore. Ha.",
    "I'm not {p} anymore. Dream on.",
    "I'm not {p} any more. Sure thing.",
]
# Questions about a person's need, without "?": embedded ("tell me whether") or the verb before its subject.
UNMARKED_QUESTIONS = [
    "Tell me whether I'm still {p}",
    "I wonder whether I'm still {p}",
    "I wonder if I am {p}",
    "Can you check if my {other} is {p}",
    "Let me know if my {other} is still {p}",
    "Remind me whether I am {p}",
    "Do you know if I'm {p}",
    "Is my {other} still {p}",
    "Am I still {p} or not",
    # attack5: a modal before its subject, a lead-in, a negated auxiliary
    "Would I still be {p}",
    "Could my {other} still be {p}",
    "Might my {other} still be {p}",
    "Any idea if I'm still {p}",
    "Quick question, am I {p}",
    "Just wondering, is my {other} still {p}",
    "Isn't my {other} {p} anymore",
    "Aren't I {p}",
]


def _narrower_foods(need_id: str) -> list[str]:
    """The need's foods that are not its own words ("peanut butter", "sesame oil", "salmon")."""
    spec = load_vocabulary().get(need_id)
    return [f for f in spec.foods if f not in spec.own_words]


NARROWER = [(i, f) for i in NEEDS for f in _narrower_foods(i) if load_vocabulary().get(i).kind == "allergy"]
NARROWER_RETRACTIONS = [
    "I'm not allergic to {f} any more",
    "I'm no longer allergic to {f}",
    "My son is not allergic to {f} anymore",
]
NARROWER_FORGETS = ["forget my allergy to {f}", "forget that I'm allergic to {f}", "forget my {f} allergy"]


@settings(max_examples=120, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(need_id=st.sampled_from(NEEDS), template=st.sampled_from(SARCASTIC_REVERSALS))
def test_property_a_retraction_taken_back_in_jest_keeps_the_need(need_id: str, template: str) -> None:
    _assert_need_kept(f"I am {predicate(need_id)}", template.format(p=predicate(need_id)))


@settings(max_examples=120, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(pair=st.sampled_from(NARROWER), template=st.sampled_from(NARROWER_RETRACTIONS))
def test_property_a_retraction_of_a_narrower_food_keeps_the_need(pair: tuple[str, str], template: str) -> None:
    need_id, food = pair
    holder = "My son is" if template.startswith("My son") else "I am"
    _assert_need_kept(f"{holder} {predicate(need_id)}", template.format(f=food))


@settings(max_examples=120, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(need_id=st.sampled_from(NEEDS), template=st.sampled_from(UNMARKED_QUESTIONS), other=st.sampled_from(OTHERS))
def test_property_a_question_without_its_mark_states_nothing(need_id: str, template: str, other: str) -> None:
    question = template.format(p=predicate(need_id), other=other)
    assert extract_facts(question, None) == [], question  # nothing stored, no need created
    assert active_needs([question]) == [], question
    assert asks_about_needs(question), question  # answered from memory
    assert need_id in _users([_stored(need_id), question])  # and a held need stays


@settings(max_examples=100, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(pair=st.sampled_from(NARROWER), form=st.sampled_from(NARROWER_FORGETS))
def test_property_a_forget_request_naming_a_narrower_food_deletes_no_need(pair: tuple[str, str], form: str) -> None:
    need_id, food = pair
    stored = MemoryRecord("0", _stored(need_id), "u", "p")
    request = read_forget_request(form.format(f=food))
    assert request is not None and request.kind == "target"
    assert decide(score_candidates(request.target, [stored], {"0": 0.9})).status != "forgotten", form


@pytest.mark.parametrize(
    ("stored", "said"),
    [
        ("I am allergic to peanuts", "I'm not allergic to peanuts anymore. Not!"),
        ("I am allergic to peanuts", "I'm no longer allergic to peanuts. As if!"),
        ("I'm vegan", "I'm not vegan anymore. Not!"),
        ("My son is allergic to eggs", "My son has outgrown his egg allergy. Not!"),
        ("I use a wheelchair", "I don't use a wheelchair anymore. Yeah, right."),
        ("I'm coeliac", "I'm not coeliac anymore jk"),
        # a remark, not courtesy of the closed set: may be sarcasm (attack10 H2; this passed before round 8)
        ("I am allergic to peanuts", "I'm no longer allergic to peanuts. Yay, finally!"),
    ],
)
def test_sarcastic_reversal_keeps_need(stored: str, said: str) -> None:
    _assert_need_kept(stored, said)


@pytest.mark.parametrize(
    "said",
    [
        "I'm not allergic to peanuts any more. Great news!",
        "I'm not allergic to peanuts any more. Thanks!",
        "I'm not allergic to peanuts anymore. Please update my profile.",
    ],
)
def test_a_plain_retraction_with_a_friendly_word_around_it_still_takes_the_need_back(said: str) -> None:
    assert "peanuts" not in _users(["User is allergic to peanuts", said]), said


@pytest.mark.parametrize(
    ("stored", "said"),
    [
        ("I am allergic to peanuts", "I'm not allergic to peanut butter anymore"),
        ("I'm allergic to sesame", "I'm not allergic to sesame oil anymore"),
        ("I am allergic to eggs", "I'm not allergic to egg whites anymore"),
        ("I am allergic to milk", "I'm not allergic to cow's milk cheese anymore"),
        ("I am allergic to fish", "I'm not allergic to salmon anymore"),
        ("My son is allergic to soy", "My son is no longer allergic to soy sauce"),
    ],
)
def test_narrower_food_retraction_keeps_need(stored: str, said: str) -> None:
    _assert_need_kept(stored, said)


@pytest.mark.parametrize(
    "message",
    [
        "forget everything about my son except his allergy",
        "forget all about my son apart from his peanut allergy",
        "forget everything about my son but not his allergy",
        "forget everything about my son other than his allergy",
        "forget everything about my son, but keep his allergy",
        "delete everything about my son besides his allergy",
    ],
)
def test_forget_except_keeps_need(message: str) -> None:
    records = [
        MemoryRecord("0", "User's son is allergic to peanuts", "u", "p"),
        MemoryRecord("1", "User's son loves Lego", "u", "p"),
    ]
    request = read_forget_request(message)
    assert request is not None
    decision = decide(score_candidates(request.target, records, {"0": 0.9, "1": 0.8}))
    assert "0" not in {r.id for r in decision.chosen}
    assert decision.status in ("forgotten", "ask", "no_match") and (
        decision.status != "forgotten" or {r.id for r in decision.chosen} == {"1"}
    )


def test_forget_except_keeps_need_end_to_end(service: ConciergeService, project: str) -> None:
    scope = service.scope("except-son", project_id=project, run_id="xs1")
    service.remember(scope, "My son is allergic to peanuts")
    service.remember(scope, "My son loves Lego")
    reply = service.chat(scope, "forget everything about my son except his allergy")
    assert reply.forgotten is not None
    assert all("allergic" not in r.text for r in reply.forgotten.deleted)
    assert ("peanuts", "son") in {(n.need_id, n.holder) for n in service.user_needs(scope)}


@pytest.mark.parametrize(
    ("stored", "message", "allowed"),
    [
        ("User is allergic to peanuts", "forget that I avoid peanuts", {"no_match", "ask"}),
        ("User is allergic to peanuts", "forget that I can't eat peanuts", {"no_match", "ask"}),
        ("User's son is allergic to eggs", "forget that my son avoids eggs", {"no_match", "ask"}),
        ("User is allergic to peanuts", "forget my allergy to peanut butter", {"no_match", "ask"}),
        ("User is allergic to sesame", "forget that I'm allergic to sesame oil", {"no_match", "ask"}),
        ("User is allergic to eggs", "forget that I'm allergic to egg whites", {"no_match", "ask"}),
        ("User is allergic to peanuts", "forget my nut allergy", {"ask"}),  # "nuts" is peanuts or tree nuts
        ("User is allergic to peanuts", "forget that I'm allergic to nuts", {"ask"}),
        ("User is allergic to peanuts", "forget my peanut allergy", {"forgotten"}),
        ("User is allergic to sesame", "forget my sesame allergy", {"forgotten"}),
        ("User avoids peanuts", "forget that I avoid peanuts", {"forgotten"}),
    ],
)
def test_forget_names_what_it_deletes(stored: str, message: str, allowed: set[str]) -> None:
    records = [MemoryRecord("0", stored, "u", "p")]
    request = read_forget_request(message)
    assert request is not None and request.kind == "target"
    assert decide(score_candidates(request.target, records, {"0": 0.9})).status in allowed, message


@pytest.mark.parametrize(
    "message",
    [
        "Do I have a peanut allergy or not",
        "Is my son still allergic to eggs",
        "Tell me whether I'm still allergic to peanuts",
        "I wonder whether I'm still allergic to peanuts",
        "Can you check if my daughter is vegan",
    ],
)
def test_embedded_question_stores_nothing(message: str) -> None:
    assert extract_facts(message, None) == []
    assert active_needs([message]) == []
    assert asks_about_needs(message)


def test_embedded_question_stores_nothing_end_to_end(service: ConciergeService, project: str) -> None:
    fresh = service.scope("asks-fresh", project_id=project, run_id="q1")
    reply = service.chat(fresh, "Do I have a peanut allergy or not")
    assert reply.request.intent == "memory_question" and reply.memories_stored == []
    assert service.memories(fresh) == [] and service.user_needs(fresh) == []
    held = service.scope("asks-held", project_id=project, run_id="q2")
    stored = service.remember(held, "I am allergic to peanuts").stored
    reply = service.chat(held, "Tell me whether I'm still allergic to peanuts")
    assert reply.request.intent == "memory_question" and reply.memories_stored == []
    assert [r.id for r in service.memories(held)] == [r.id for r in stored]
    assert {r.id for r in reply.memories_used} >= {r.id for r in stored}


def _plan_needs(plan: object) -> set[tuple[str, str]]:
    assert plan is not None
    return {(n.need_id, n.holder) for n in plan.needs}  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("need", "undo", "expected"),
    [
        ("I'm allergic to peanuts", "scratch that", {("peanuts", "user")}),
        ("I'm allergic to peanuts", "revert", {("peanuts", "user")}),
        ("My son is allergic to eggs", "undo that", {("eggs", "son")}),
        ("I use a wheelchair", "go back", {("wheelchair", "user")}),
    ],
)
def test_undo_keeps_current_needs(service: ConciergeService, project: str, need: str, undo: str, expected: set) -> None:
    scope = service.scope("undo-needs", project_id=project, run_id=f"un-{abs(hash(need + undo)) % 10**8}")
    service.chat(scope, "Book dinner in Lyon tomorrow at 8pm for 2")
    assert _plan_needs(service.chat(scope, need).plan) == expected

    reply = service.chat(scope, undo)

    current = {(n.need_id, n.holder) for n in service.user_needs(scope)}
    assert current == expected  # the undo deleted no need
    state = service.session_state(scope)
    assert _plan_needs(reply.plan) == current and state is not None and _plan_needs(state.plan) == current
    sent = service.chat(scope, "send it")
    assert sent.draft is not None and _plan_needs(sent.plan) == current
    assert all(n.label in sent.draft.body for n in sent.plan.needs)  # type: ignore[union-attr]


def test_undo_keeps_a_need_remembered_outside_the_session(service: ConciergeService, project: str) -> None:
    """The plan an undo goes back to was made before the need was said (in another session): it applies it now."""
    scope = service.scope("undo-later", project_id=project, run_id="ul1")
    first = service.chat(scope, "Book dinner in Lyon tomorrow at 8pm for 2").plan
    assert _plan_needs(first) == set()
    service.remember(scope.with_run("elsewhere"), "I am vegan")
    assert _plan_needs(service.chat(scope, "make it 9pm").plan) == {("vegan", "user")}

    reply = service.chat(scope, "undo")

    assert reply.plan is not None and reply.plan.time == first.time  # type: ignore[union-attr]
    assert _plan_needs(reply.plan) == {("vegan", "user")}


# -- attack5 classes ------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("stored", "said"),
    [
        ("I am allergic to peanuts", "not allergic to peanuts anymore lol"),  # laughter is no courtesy: asks
        ("My son is allergic to eggs", "My son has outgrown his egg allergy. If only!"),
        ("I'm vegan", "I'm not vegan anymore. If only!"),
        ("I use a wheelchair", "I don't need a wheelchair anymore. Fat chance."),
        ("I am allergic to peanuts", "I'm not allergic to peanuts anymore. April fool!"),
    ],
)
def test_a_retraction_followed_by_anything_but_courtesy_keeps_the_need(stored: str, said: str) -> None:
    """Only courtesy, or a statement of its own, may follow a plain retraction: an unknown ending may be irony."""
    _assert_need_kept(stored, said)


def _kept_words(need_id: str) -> str:
    return {"allergy": "allergy", "diet": "diet"}.get(load_vocabulary().get(need_id).kind, "needs")


EXCEPTION_FORGETS = [
    "forget my {other}'s details but remember {their} {kept}",
    "forget my {other}'s stuff, though remember {their} {kept}",
    "forget everything about my {other}, save {their} {kept}",
    "forget my {other}'s hobbies but keep {their} {kept}",
    "forget my {other}'s info, just not {their} {kept}",
    "forget what I told you about my {other} and don't delete {their} {kept}",
]


@settings(max_examples=120, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(need_id=st.sampled_from(NEEDS), other=st.sampled_from(OTHERS), form=st.sampled_from(EXCEPTION_FORGETS))
def test_property_a_need_kept_by_the_request_is_never_forgotten(need_id: str, other: str, form: str) -> None:
    their = "her" if other in ("wife", "daughter", "mother") else "his"
    (fact,) = extract_facts(f"My {other} is {predicate(need_id)}", None)
    records = [MemoryRecord("0", fact, "u", "p"), MemoryRecord("1", f"User's {other} loves Lego", "u", "p")]
    request = read_forget_request(form.format(other=other, their=their, kept=_kept_words(need_id)))
    assert request is not None and request.kind == "target"
    decision = decide(score_candidates(request.target, records, {"0": 0.9, "1": 0.9}))
    assert "0" not in {r.id for r in decision.chosen}, (form, fact)


def test_forget_with_remember_keep_or_save_keeps_the_need_end_to_end(service: ConciergeService, project: str) -> None:
    scope = service.scope("keep-son", project_id=project, run_id="ks1")
    service.remember(scope, "My son is allergic to peanuts")
    service.remember(scope, "My son loves Lego")
    reply = service.chat(scope, "forget my son's details but remember his allergy")
    assert reply.forgotten is not None and all("allergic" not in r.text for r in reply.forgotten.deleted)
    assert ("peanuts", "son") in {(n.need_id, n.holder) for n in service.user_needs(scope)}


MILDER_CONDITIONS = [
    "forget that I'm sensitive to {f}",
    "forget my sensitivity to {f}",
    "forget that I'm intolerant to {f}",
]


@settings(max_examples=90, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(need_id=st.sampled_from(NEEDS), form=st.sampled_from(MILDER_CONDITIONS))
def test_property_a_milder_condition_never_deletes_an_allergy(need_id: str, form: str) -> None:
    foods = load_vocabulary().get(need_id).foods
    if not foods:
        return  # a diet or an accessibility need has no food to be sensitive to
    stored = MemoryRecord("0", f"User is allergic to {foods[0]}", "u", "p")
    request = read_forget_request(form.format(f=foods[0]))
    assert request is not None and request.kind == "target"
    assert decide(score_candidates(request.target, [stored], {"0": 0.9})).status != "forgotten", form


@pytest.mark.parametrize(
    ("stored", "message"),
    [
        ("User is allergic to milk", "forget that I'm lactose intolerant"),
        ("User is allergic to milk", "forget that I'm dairy intolerant"),
        ("User is allergic to peanuts", "forget that I'm sensitive to peanuts"),
        ("User is lactose intolerant", "forget my milk allergy"),
    ],
)
def test_forget_naming_another_kind_of_condition_asks_rather_than_deletes(stored: str, message: str) -> None:
    records = [MemoryRecord("0", stored, "u", "p")]
    request = read_forget_request(message)
    assert request is not None and request.kind == "target"
    assert decide(score_candidates(request.target, records, {"0": 0.9})).status in ("ask", "no_match"), message


def test_forget_naming_an_intolerance_keeps_the_allergy_end_to_end(service: ConciergeService, project: str) -> None:
    scope = service.scope("milk-kind", project_id=project, run_id="mk1")
    service.remember(scope, "I'm allergic to milk")
    reply = service.chat(scope, "forget that I'm lactose intolerant")
    assert reply.forgotten is not None and reply.forgotten.deleted == ()
    assert "milk" in _needs(service, scope)


QUALIFIED_BY_APPOSITION = [
    ("My older {rel} is {p}", "My {rel}, the younger one, isn't {p} anymore"),
    ("My {rel} is {p}", "My {rel}, the older one, isn't {p} anymore"),
    ("My {rel} is {p}", "My {rel} (the little one) isn't {p} anymore"),
    ("My {rel} is {p}", "My {rel} - the one in Rome - is not {p} anymore"),
]


@settings(max_examples=120, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(
    need_id=st.sampled_from(NEEDS),
    rel=st.sampled_from(["son", "daughter", "sister", "brother"]),
    pair=st.sampled_from(QUALIFIED_BY_APPOSITION),
)
def test_property_a_person_qualified_by_an_apposition_takes_nothing_back(
    need_id: str, rel: str, pair: tuple[str, str]
) -> None:
    stored, said = (t.format(rel=rel, p=predicate(need_id)) for t in pair)
    _assert_need_kept(stored, said)


@pytest.mark.parametrize(
    ("stored", "said"),
    [
        ("My son Max is allergic to eggs", "Max, my dog, is not allergic to eggs anymore"),
        ("My son Max is allergic to eggs", "Max (our dog) isn't allergic to eggs anymore"),
        ("My older daughter is allergic to eggs", "My daughter, the younger one, isn't allergic to eggs anymore"),
        ("My daughter is vegan", "My daughter (the little one) isn't vegan anymore"),
    ],
)
def test_a_person_qualified_by_an_apposition_keeps_the_need_in_memory_and_plan(
    service: ConciergeService, project: str, stored: str, said: str
) -> None:
    scope = service.scope(f"appos-{abs(hash(said)) % 10**8}", project_id=project)
    service.remember(scope, stored)
    before = {(n.need_id, n.holder) for n in service.user_needs(scope)}
    service.chat(scope, said)
    assert before and before <= {(n.need_id, n.holder) for n in service.user_needs(scope)}, said
    plan = service.chat(scope, "Book dinner in Lyon tomorrow at 8pm for 2").plan
    assert before <= _plan_needs(plan), said


@pytest.mark.parametrize(
    "message",
    [
        "Would I still be allergic to peanuts",
        "Any idea if I'm still vegan",
        "Could my son still be allergic to peanuts",
        "Should my husband still avoid gluten",
        "Would my wife still need step-free access",
        "Quick question, am I allergic to fish",
        "Don't I have a peanut allergy",
    ],
)
def test_a_modal_or_lead_in_question_without_its_mark_stores_nothing(message: str) -> None:
    assert extract_facts(message, None) == [], message
    assert active_needs([message]) == [], message
    assert asks_about_needs(message), message


@pytest.mark.parametrize(
    "message",
    ["Could my wife and I get a vegan dinner in Lyon tomorrow", "Would my son be able to get a nut-free table"],
)
def test_a_request_put_with_a_modal_is_not_a_question_about_needs(message: str) -> None:
    assert not asks_about_needs(message), message


def test_a_modal_question_is_answered_from_memory_end_to_end(service: ConciergeService, project: str) -> None:
    fresh = service.scope("modal-fresh", project_id=project, run_id="mq1")
    reply = service.chat(fresh, "Would I still be allergic to peanuts")
    assert reply.memories_stored == [] and service.memories(fresh) == [] and service.user_needs(fresh) == []


def _holders(service: ConciergeService, scope: Scope) -> list[tuple[str, str]]:
    return sorted((n.need_id, n.holder) for n in service.user_needs(scope))


@pytest.mark.parametrize(
    ("stored", "said"),
    [
        (
            ["My son is allergic to peanuts", "My other son is allergic to peanuts"],
            "My son isn't allergic to peanuts anymore",
        ),
        (
            ["My other son is allergic to peanuts", "My son is allergic to peanuts"],
            "My son isn't allergic to peanuts anymore",
        ),
        (["My twin sons are allergic to peanuts"], "My son isn't allergic to peanuts anymore"),
        (["My two daughters are allergic to eggs"], "My daughter isn't allergic to eggs anymore"),
        (["My daughters Mia and Zoe are allergic to eggs"], "My daughter isn't allergic to eggs anymore"),
        (["My sister is vegan", "My other sister is vegan"], "My sister isn't vegan anymore"),
        (
            ["My son is allergic to peanuts", "My other son is allergic to sesame"],
            "My son isn't allergic to sesame anymore",
        ),
        (
            ["My son Tom is allergic to peanuts", "My son Max is allergic to peanuts"],
            "My son isn't allergic to peanuts anymore",
        ),
        (
            ["My son Tom is allergic to peanuts", "My friend Tom is allergic to peanuts"],
            "Tom isn't allergic to peanuts anymore",
        ),
        (
            ["My son Tom is allergic to peanuts", "My nephew Tom is allergic to peanuts"],
            "Tom is no longer allergic to peanuts",
        ),
    ],
)
def test_a_retraction_that_fits_several_stored_people_supersedes_nothing(stored: list[str], said: str) -> None:
    """H2/H4: the holder a retraction names must be the only stored person it fits; otherwise nothing goes."""
    facts = [fact for text in stored for fact in extract_facts(text, None)]
    for new in extract_facts(said, None):
        for old in facts:
            assert not may_supersede(new, old, facts, [said]), (new, old)
    before = {(n.need_id, n.holder) for n in active_needs(facts)}
    assert {(n.need_id, n.holder) for n in active_needs([*facts, *extract_facts(said, None)])} >= before


def test_a_retraction_fitting_several_people_keeps_every_need_in_the_plan(
    service: ConciergeService, project: str
) -> None:
    two = service.scope("two-sons", project_id=project)
    service.remember(two, "My son is allergic to peanuts")
    service.remember(two, "My other son is allergic to peanuts")
    toms = service.scope("two-toms", project_id=project)
    service.remember(toms, "My son Tom is allergic to peanuts")
    service.remember(toms, "My friend Tom is allergic to peanuts")
    for scope, said in (
        (two, "My son isn't allergic to peanuts anymore"),
        (toms, "Tom isn't allergic to peanuts anymore"),
    ):
        before = _holders(service, scope)
        assert len(before) == 2
        service.chat(scope, said)
        assert _holders(service, scope) == before
        reply = service.chat(scope, "Book dinner in Lyon tomorrow for 2")
        assert reply.plan is not None and [n.need_id for n in reply.plan.needs].count("peanuts") == 2
    # one son known: "my son" is him, and the plain retraction takes his allergy back
    one = service.scope("one-son", project_id=project)
    service.remember(one, "My son is allergic to peanuts")
    service.chat(one, "My son isn't allergic to peanuts anymore")
    assert _holders(service, one) == []


@pytest.mark.parametrize(
    "said",
    [
        "The other Sam isn't coeliac anymore",
        "Sam, the other one, isn't coeliac anymore",
        "Sam (the other one) isn't coeliac anymore",
        "A different Sam isn't coeliac anymore",
        "Another Sam isn't coeliac anymore",
        "Some other Sam isn't coeliac anymore",
    ],
)
def test_another_person_of_the_same_name_supersedes_nothing(service: ConciergeService, project: str, said: str) -> None:
    """H3: "the other Sam" / "another Sam" is someone else than the stored Sam."""
    (old,) = extract_facts("My friend Sam is coeliac", None)
    for new in extract_facts(said, None):
        assert not may_supersede(new, old, [old], [said])
    scope = service.scope("other-sam", project_id=project)
    service.remember(scope, "My friend Sam is coeliac")
    service.chat(scope, said)
    reply = service.chat(scope, "Book dinner in Lyon tomorrow for 2")
    assert reply.plan is not None and "gluten" in {n.need_id for n in reply.plan.needs}


_JESTS = ["Dream on, right?", "Yeah, right?", "Not really, right?", "Yeah, no?", "Nope, still am.", "I wish, right?"]


@pytest.mark.parametrize("jest", _JESTS)
@pytest.mark.parametrize(
    "retraction",
    [
        "I'm not allergic to peanuts anymore.",
        "My son isn't allergic to eggs anymore.",
        "My husband doesn't use a wheelchair anymore.",
        "I'm not vegan anymore.",
    ],
)
def test_a_retraction_followed_by_a_jest_or_question_is_not_plain(retraction: str, jest: str) -> None:
    """H1: a short jest after a retraction, ending in "?" or saying it still holds, takes nothing back; what the
    turn stores (the message less its questions) does not keep the retraction either."""
    from concierge.needs.current import plainly_taken_back
    from concierge.needs.mood import without_questions

    message = f"{retraction} {jest}"
    assert plainly_taken_back([retraction])  # the retraction alone is plain
    assert plainly_taken_back([message]) == frozenset()
    assert plainly_taken_back([without_questions(message)]) == frozenset()


def test_a_courteous_ending_keeps_a_retraction_plain() -> None:
    from concierge.needs.current import plainly_taken_back
    from concierge.needs.mood import without_questions

    for ending in ("Thanks!", "Can you update my profile?"):
        message = f"I'm not allergic to peanuts anymore. {ending}"
        assert ("peanuts", True) in plainly_taken_back([message])
        assert ("peanuts", True) in plainly_taken_back([without_questions(message)])


@pytest.mark.parametrize("jest", ["Dream on, right?", "Nope, still am."])
def test_a_retraction_taken_back_in_jest_keeps_the_need_in_the_plan(
    service: ConciergeService, project: str, jest: str
) -> None:
    scope = service.scope("jest", project_id=project, run_id="j1")
    service.chat(scope, "I'm allergic to peanuts")
    service.chat(scope, f"I'm not allergic to peanuts anymore. {jest}")
    assert "peanuts" in {n.need_id for n in service.user_needs(scope)}
    assert any(r.text == "User is allergic to peanuts" for r in service.memories(scope))
    reply = service.chat(scope, "Book dinner in Lyon tomorrow for 2")
    assert reply.plan is not None and "peanuts" in {n.need_id for n in reply.plan.needs}


@pytest.mark.parametrize(
    "message",
    [
        "Any chance my son is still allergic to eggs",
        "Any chance I'm still allergic to peanuts",
        "Is there a chance I'm allergic to sesame",
        "Is there any chance my husband is vegan",
        "What are the odds I'm still allergic to peanuts",
        "Any chance my wife still uses a wheelchair",
        "Any possibility I'm allergic to mustard",
    ],
)
def test_a_question_of_chance_without_its_mark_states_no_need(message: str) -> None:
    """M1: "Any chance ..." asks; it neither states a need nor takes one back."""
    assert asks_about_needs(message)
    assert active_needs([message]) == []
    assert all(not active_needs([fact]) for fact in extract_facts(message, None))


def test_a_request_put_as_a_chance_is_no_needs_question() -> None:
    assert not asks_about_needs("Any chance you could book somewhere vegan in Lyon")
    assert not asks_about_needs("Any chance of a vegan table in Lyon tomorrow")


def test_a_question_of_chance_stores_nothing(service: ConciergeService, project: str) -> None:
    scope = service.scope("chance", project_id=project)
    service.chat(scope, "Any chance my son is still allergic to eggs")
    assert service.user_needs(scope) == []
    assert not any("egg" in r.text for r in service.memories(scope))
