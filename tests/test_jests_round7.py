"""Issue 24 item 1, attack9 H4: the turn right after a plain retraction takes it back, and the need holds again.

"I'm not allergic to peanuts anymore." is plain, so the allergy goes. When the very next message of the session says
it was a joke, a test, someone else typing, or that the need still holds elliptically ("Actually I still am.", "He
still is.", "Still do."), the need holds again (as after "scratch that"); a laugh alone keeps it too (round 8: it
was asked about, and a plain "yes" brought it back). Controls: another holder's "She still is.", a plain "ok", a
jest after a booking or after a need was said, and a jest two turns after the retraction bring nothing back.
Assertions are on the typed needs the service applies (``user_needs`` and the plan's needs), never on wording.
"""

from __future__ import annotations

import itertools

import pytest

from concierge.conversation.confirm import says_yes
from concierge.conversation.jest import read_next, reaffirmed_by
from concierge.conversation.state import Retracted
from concierge.scope import Scope
from concierge.service import ConciergeService
from tests.needs_held import users_needs

BOOK = "Book dinner in Lyon tomorrow for 2"
# (stored, plain retraction by the holder, the need as (need id, holder)).
PEANUTS = ("I am allergic to peanuts", "I'm not allergic to peanuts anymore.", ("peanuts", "user"))
SON_EGGS = ("My son is allergic to eggs", "My son isn't allergic to eggs anymore.", ("eggs", "son"))
WIFE_VEGAN = ("My wife is vegan", "My wife isn't vegan anymore.", ("vegan", "wife"))
WHEELCHAIR = ("I use a wheelchair", "I don't use a wheelchair anymore.", ("wheelchair", "user"))
SESAME = ("I am allergic to sesame", "I'm not allergic to sesame anymore.", ("sesame", "user"))

JESTS = [  # said by anyone of any need: it was a joke, a test, someone else typing
    "Just kidding!",
    "jk",
    "lol no",
    "Psych!",
    "Fooled you!",
    "Haha, gotcha.",
    "I lied.",
    "April fools!",
    "Not really.",
    "Not true.",
    "False alarm.",
    "That was a test.",
    "Just testing you.",
    "That was my son typing.",
    "My brother typed that.",
    "Oops, that was for someone else.",
    "Sorry, wrong chat.",
    "lol sike",
    "Yeah right.",
    "Ha! Made you look.",
    "Oops wrong window",
    "Don't listen to that.",
]
REAFFIRMED = [  # elliptical: the holder of the need just taken back says it still holds
    (PEANUTS, "Actually I still am."),
    (PEANUTS, "Nope, still allergic."),
    (PEANUTS, "Ha, no. Still allergic."),
    (PEANUTS, "Haha, gotcha. I'm still allergic."),
    (PEANUTS, "I'm still allergic to them."),
    (PEANUTS, "Not a chance, I still am."),
    (PEANUTS, "Yeah right. Still allergic."),
    (SON_EGGS, "Just joking, he still is"),
    (SON_EGGS, "He still is."),
    (SON_EGGS, "Actually he still is."),
    (SON_EGGS, "Not true, he still is."),
    (SON_EGGS, "My son still is."),
    (WIFE_VEGAN, "She still is."),
    (WIFE_VEGAN, "Nope, she's still vegan."),
    (WHEELCHAIR, "Still do."),
    (WHEELCHAIR, "I still do."),
    (SESAME, "It still applies."),
]
NOT_RESTORED = [  # another holder, another need, or nothing said of the need
    (SON_EGGS, "She still is."),
    (SON_EGGS, "I still am."),
    (PEANUTS, "He still is."),
    (WIFE_VEGAN, "He still is."),
    (PEANUTS, "ok"),
    (PEANUTS, "Thanks!"),
    (SON_EGGS, "ok"),
    (WHEELCHAIR, "Nope, still allergic."),
]
LAUGHS = ["😂", "haha", "lol", "xD"]


def _retracted(case: tuple[str, str, tuple[str, str]]) -> Retracted:
    need_id, holder = case[2]
    return Retracted(need_id=need_id, holder=holder, label=need_id, memory_ids=["m1"])


def _scope(service: ConciergeService, project: str, name: str) -> Scope:
    key = abs(hash(name))
    return service.scope(f"jest-{key}", project_id=project, run_id=f"s{key}")


def _after_retraction(service: ConciergeService, scope: Scope, case: tuple[str, str, tuple[str, str]]) -> None:
    stored, retraction, need = case
    service.remember(scope, stored)
    assert need in users_needs(service, scope)
    service.chat(scope, retraction)
    assert need not in users_needs(service, scope)  # the retraction was plain: the need went


# -- the reading of the next turn (pure) -------------------------------------------------------------------------
@pytest.mark.parametrize(("case", "message"), REAFFIRMED)
def test_an_elliptical_reaffirmation_by_the_holder_restores(
    case: tuple[str, str, tuple[str, str]], message: str
) -> None:
    assert reaffirmed_by(message, case[2][0]) is not None
    assert read_next(message, _retracted(case)) == "restore"


@pytest.mark.parametrize(("case", "message"), [*NOT_RESTORED, (PEANUTS, "I'm Anna")])  # names: holder.py's
def test_another_holder_or_nothing_said_restores_nothing(case: tuple[str, str, tuple[str, str]], message: str) -> None:
    assert read_next(message, _retracted(case)) == "other"


@pytest.mark.parametrize(
    "message", ["Still allergic to eggs.", "I'm still vegan.", "I still love opera.", "Still here"]
)
def test_another_need_or_no_need_is_no_reaffirmation_of_peanuts(message: str) -> None:
    assert reaffirmed_by(message, "peanuts") is None


@pytest.mark.parametrize("message", LAUGHS)
def test_a_laugh_alone_keeps_the_need(message: str) -> None:
    # round 8 (issue 24 H1): a laugh right after a retraction keeps the need on the safe side; it was asked about
    assert read_next(message, _retracted(PEANUTS)) in ("restore", "unclear")
    asked = _retracted(PEANUTS).model_copy(update={"asked": True})
    assert read_next("yes", asked) == "restore"
    assert read_next(message, asked) == "other"


@pytest.mark.parametrize("message", ["...yes", "\u2026 yes", "..yes"])
def test_a_hesitant_yes_is_no_answer(message: str) -> None:
    assert says_yes("yes") and not says_yes(message)
    assert read_next(message, _retracted(PEANUTS).model_copy(update={"asked": True})) == "other"


# -- end to end, in a session ------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("case", "jest"),
    [*((PEANUTS, j) for j in JESTS), (SON_EGGS, "Just kidding!"), (WIFE_VEGAN, "jk"), (WHEELCHAIR, "That was a test.")],
)
def test_a_jest_right_after_a_plain_retraction_brings_the_need_back(
    service: ConciergeService, project: str, case: tuple[str, str, tuple[str, str]], jest: str
) -> None:
    scope = _scope(service, project, f"jest {case[1]} {jest}")
    _after_retraction(service, scope, case)
    service.chat(scope, jest)
    assert case[2] in users_needs(service, scope)
    assert not any("typing" in m.text or "lied" in m.text for m in service.memories(scope))  # the jest is no fact


@pytest.mark.parametrize(("case", "message"), REAFFIRMED)
def test_a_reaffirmation_right_after_a_plain_retraction_brings_the_need_back(
    service: ConciergeService, project: str, case: tuple[str, str, tuple[str, str]], message: str
) -> None:
    scope = _scope(service, project, f"reaffirmed {case[1]} {message}")
    _after_retraction(service, scope, case)
    service.chat(scope, message)
    assert case[2] in users_needs(service, scope)
    plan = service.chat(scope, BOOK).plan
    assert plan is not None and case[2] in {(n.need_id, n.holder.casefold()) for n in plan.needs}


@pytest.mark.parametrize(("case", "message"), NOT_RESTORED)
def test_another_holders_reaffirmation_or_an_ok_brings_nothing_back(
    service: ConciergeService, project: str, case: tuple[str, str, tuple[str, str]], message: str
) -> None:
    scope = _scope(service, project, f"not restored {case[1]} {message}")
    _after_retraction(service, scope, case)
    service.chat(scope, message)
    assert case[2] not in users_needs(service, scope)


@pytest.mark.parametrize(("laugh", "answer"), [("😂", "yes"), ("haha", "ok")])
def test_a_laugh_keeps_the_need_and_the_next_turn_leaves_it(
    service: ConciergeService, project: str, laugh: str, answer: str
) -> None:
    # round 8 (issue 24 H1): the need holds again at once (it was asked about, and gone until a "yes")
    scope = _scope(service, project, f"laugh {laugh} {answer}")
    _after_retraction(service, scope, PEANUTS)
    reply = service.chat(scope, laugh)
    assert PEANUTS[2] in users_needs(service, scope)
    assert reply.session is not None and reply.session.retracted is None
    service.chat(scope, answer)
    assert PEANUTS[2] in users_needs(service, scope)


@pytest.mark.parametrize(
    ("between", "jest"), list(itertools.product(["Thanks!", "Hello"], ["Just kidding!", "scratch that"]))
)
def test_a_retraction_two_turns_ago_is_not_brought_back_unnamed(
    service: ConciergeService, project: str, between: str, jest: str
) -> None:
    scope = _scope(service, project, f"two turns {between} {jest}")
    _after_retraction(service, scope, PEANUTS)
    service.chat(scope, between)
    service.chat(scope, jest)
    assert PEANUTS[2] not in users_needs(service, scope)


@pytest.mark.parametrize("jest", ["lol no", "Just kidding!", "Psych!"])
def test_a_jest_after_a_booking_leaves_the_needs_as_they_are(
    service: ConciergeService, project: str, jest: str
) -> None:
    scope = _scope(service, project, f"booking {jest}")
    service.remember(scope, SON_EGGS[0])
    service.chat(scope, BOOK)
    service.chat(scope, jest)
    assert users_needs(service, scope) == {SON_EGGS[2]}


@pytest.mark.parametrize("jest", ["Psych!", "That was my son typing.", "Actually I still am."])
def test_a_jest_after_a_need_is_said_keeps_it(service: ConciergeService, project: str, jest: str) -> None:
    scope = _scope(service, project, f"said {jest}")
    service.chat(scope, SESAME[0])
    service.chat(scope, jest)
    assert users_needs(service, scope) == {SESAME[2]}
