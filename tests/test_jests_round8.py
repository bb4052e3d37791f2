"""Issue 24 H1/M6 (attack11): the turn right after a plain retraction that doubts, jokes about or contradicts it
brings the need back, for the whole class, not a list of phrases.

After a plain retraction by the holder ("I'm not allergic to peanuts anymore.", "My son has outgrown his egg
allergy.", "I don't use a wheelchair any more.", "I'm not vegan anymore."), the next message of the session that
restates the need ("Peanuts would still kill me.", "he still is"), jokes or doubts ("That was a prank.", "Not even
close to true."), says it was someone else's ("Oh wait, that's my sister, not me."), asks to keep it ("hold on,
don't delete it"), or says nothing clear ("Bazinga.") makes the need hold again, and stores no junk fact ("User
misspokes"). A new request, a courtesy or more of the same ("great, I can eat satay now") leaves it taken back. After
a forget by chat, "undo the forget" / "actually, remember it" add it back. Every need is checked as the plan applies
it (``user_needs`` and ``plan.needs``), never by wording; the pure reading is checked over every case and phrasing.
"""

from __future__ import annotations

import itertools

import pytest

from concierge.conversation.jest import read_next
from concierge.conversation.state import Retracted
from concierge.scope import Scope
from concierge.service import ConciergeService
from tests.needs_held import users_needs

BOOK = "Book dinner in Lyon tomorrow for 2"
Case = tuple[str, str, tuple[str, str]]  # (stored, plain retraction by the holder, the need as (id, holder))
PEANUTS: Case = ("I am allergic to peanuts", "I'm not allergic to peanuts anymore.", ("peanuts", "user"))
SON_EGGS: Case = ("My son is allergic to eggs", "My son has outgrown his egg allergy.", ("eggs", "son"))
WHEELCHAIR: Case = ("I use a wheelchair", "I don't use a wheelchair any more.", ("wheelchair", "user"))
VEGAN: Case = ("I am vegan", "I'm not vegan anymore.", ("vegan", "user"))
CASES = [PEANUTS, SON_EGGS, WHEELCHAIR, VEGAN]

JESTS = [  # any need, any holder: the retraction was a joke, a test, untrue, or we cannot tell (the safe side)
    "Bazinga.",
    "Just pulling your leg.",
    "That was a prank.",
    "Trolling.",
    "Not even close to true.",
    "Hmm, no, that's not right.",
    "lol",
]
RESTATED = {  # the need still holds, said by or of its holder, with or without its words
    PEANUTS: [
        "Correction: I'm still allergic.",
        "Erm, actually, still allergic.",
        "Still am, unfortunately.",
        "Haha kidding, I still can't eat them.",
        "Peanuts would still kill me.",
        "Couldn't resist. Still allergic.",
        "No no, I'm still allergic, I misspoke.",
    ],
    SON_EGGS: [
        "Kidding, he still reacts to eggs.",
        "Haha no, eggs still make him ill.",
        "Nope, he still is, I was joking.",
        "Just testing, he's still allergic.",
    ],
    WHEELCHAIR: ["Joke! Still in the chair.", "Still do, sadly."],
    VEGAN: ["Still vegan, sorry.", "I'm still vegan, I misspoke."],
}
SOMEONE_ELSE = {PEANUTS: "Oh wait, that's my sister, not me.", SON_EGGS: "That was his brother talking."}
KEEP = ["oh no, don't remove that", "hold on, don't delete it", "keep my allergy"]
STANDS = {  # the retraction stands: a request, a courtesy, more of the same, another holder or another need
    PEANUTS: [BOOK, "thanks", "great, I can eat satay now", "I eat them all the time now", "She still is."],
    SON_EGGS: ["ok", "Find me a hotel in Rome next week", "She still is.", "I still am."],
    WHEELCHAIR: ["Thanks!", "Nope, still allergic."],
    VEGAN: ["Hello", "I love steak now."],
}
AFTER_FORGET = ["undo the forget", "actually, remember it"]


def _retracted(case: Case) -> Retracted:
    need_id, holder = case[2]
    return Retracted(need_id=need_id, holder=holder, label=need_id, memory_ids=["m1"])


def _scope(service: ConciergeService, project: str, name: str) -> Scope:
    key = abs(hash(name))
    return service.scope(f"jest8-{key}", project_id=project, run_id=f"s{key}")


def _after_retraction(service: ConciergeService, scope: Scope, case: Case) -> set[str]:
    """Store the need, take it back plainly in the session; the memories as they were before the retraction."""
    stored, retraction, need = case
    service.remember(scope, stored)
    before = {m.text for m in service.memories(scope)}
    assert need in users_needs(service, scope)
    service.chat(scope, retraction)
    assert need not in users_needs(service, scope)  # the retraction was plain: the need went
    return before


def _plan_needs(service: ConciergeService, scope: Scope) -> set[tuple[str, str]]:
    """The needs a plan applies for the user, asked in a new session."""
    fresh = service.scope(scope.user_id, project_id=scope.project_id, run_id=f"probe-{scope.run_id}")
    plan = service.chat(fresh, BOOK).plan
    assert plan is not None
    return {(n.need_id, n.holder.casefold()) for n in plan.needs}


# -- the reading of the next turn (pure), over every case and phrasing -------------------------------------------
RESTORING = [
    *itertools.product(CASES, JESTS),
    *((case, m) for case, said in RESTATED.items() for m in said),
    *SOMEONE_ELSE.items(),
    *itertools.product(CASES, KEEP),
]


@pytest.mark.parametrize(("case", "message"), RESTORING)
def test_a_doubt_a_jest_a_restatement_or_keep_it_takes_the_retraction_back(case: Case, message: str) -> None:
    assert read_next(message, _retracted(case)) in ("restore", "unclear")


@pytest.mark.parametrize(("case", "message"), [(c, m) for c, said in STANDS.items() for m in said])
def test_a_request_a_courtesy_or_more_of_the_same_lets_the_retraction_stand(case: Case, message: str) -> None:
    intent = "dine" if message == BOOK else "stay" if "hotel" in message else "statement"
    assert read_next(message, _retracted(case), intent) == "other"


# -- end to end, in a session --------------------------------------------------------------------------------------
E2E_RESTORING = [
    (PEANUTS, "Bazinga."),
    (PEANUTS, "That was a prank."),
    (PEANUTS, "No no, I'm still allergic, I misspoke."),
    (PEANUTS, "Peanuts would still kill me."),
    (PEANUTS, "Haha kidding, I still can't eat them."),
    (PEANUTS, "Oh wait, that's my sister, not me."),
    (PEANUTS, "hold on, don't delete it"),
    (SON_EGGS, "Haha no, eggs still make him ill."),
    (SON_EGGS, "That was his brother talking."),
    (SON_EGGS, "Trolling."),
    (WHEELCHAIR, "Joke! Still in the chair."),
    (WHEELCHAIR, "oh no, don't remove that"),
    (VEGAN, "Still vegan, sorry."),
    (VEGAN, "Not even close to true."),
]


@pytest.mark.parametrize(("case", "message"), E2E_RESTORING)
def test_the_need_holds_again_in_memory_and_plan_and_nothing_else_is_stored(
    service: ConciergeService, project: str, case: Case, message: str
) -> None:
    scope = _scope(service, project, f"restore {case[1]} {message}")
    before = _after_retraction(service, scope, case)
    reply = service.chat(scope, message)
    assert case[2] in users_needs(service, scope)
    assert case[2] in _plan_needs(service, scope)
    assert reply.memories_stored == []  # no "User misspokes", no "User's companion has an egg allergy"
    assert {m.text for m in service.memories(scope)} == before  # exactly as before the retraction


@pytest.mark.parametrize(
    ("case", "message"),
    [
        (PEANUTS, BOOK),
        (PEANUTS, "great, I can eat satay now"),
        (PEANUTS, "thanks"),
        (SON_EGGS, "She still is."),
        (WHEELCHAIR, "Nope, still allergic."),
    ],
)
def test_a_request_a_courtesy_or_more_of_the_same_leaves_the_need_taken_back(
    service: ConciergeService, project: str, case: Case, message: str
) -> None:
    scope = _scope(service, project, f"stands {case[1]} {message}")
    _after_retraction(service, scope, case)
    service.chat(scope, message)
    assert case[2] not in users_needs(service, scope)


@pytest.mark.parametrize("message", AFTER_FORGET)
def test_an_undo_after_a_forget_by_chat_brings_the_need_back(
    service: ConciergeService, project: str, message: str
) -> None:
    scope = _scope(service, project, f"forget {message}")
    service.remember(scope, PEANUTS[0])
    service.chat(scope, "forget my peanut allergy")
    assert PEANUTS[2] not in users_needs(service, scope)
    service.chat(scope, message)
    assert PEANUTS[2] in users_needs(service, scope)
    assert PEANUTS[2] in _plan_needs(service, scope)


def test_a_forget_of_something_else_after_a_retraction_forgets_it_and_no_need_comes_back(
    service: ConciergeService, project: str
) -> None:
    scope = _scope(service, project, "forget else")
    service.remember(scope, "My birthday is in May")
    _after_retraction(service, scope, PEANUTS)
    service.chat(scope, "forget my birthday")
    assert PEANUTS[2] not in users_needs(service, scope)
    assert not any("birthday" in m.text for m in service.memories(scope))
