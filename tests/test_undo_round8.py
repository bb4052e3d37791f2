"""Issue 24 item 5, attack10 H5/H6/M1: "scratch that" / "that's no longer true" take back the previous turn only.

- H5: right after a plain retraction ("I'm not allergic to peanuts anymore."), "that's no longer true" (and "that's
  not true anymore", "that isn't right", ...) takes the retraction back: the need holds again, never deleted with it.
  Also when the retraction replaced the need's memory ("I'm not vegan anymore, I eat fish now.").
- H6: right after a forget by chat ("forget my peanut allergy"), an undo ("undo", "wait, no, keep it", "no, don't
  forget it", ...) adds back exactly what it deleted, for the same user; the need is current and in the plan again.
- M1: "unsay that", "back up a step", "cancel that", "take that back", "rewind" after a retraction restore it.
Controls: an undo two turns later or a second undo changes no memory; another user with the same session id undoes
nothing; "cancel that" after a booking cancels it and touches no need; "don't forget that I love opera" after a
forget is no undo. Assertions are on the typed needs the service applies (``user_needs``, memories, plan.needs).
"""

from __future__ import annotations

import pytest

from concierge.conversation.state import ForgotMemory
from concierge.conversation.undo import keeps_it
from concierge.conversation.unforget import kept_for_undo
from concierge.memory.records import MemoryRecord
from concierge.scope import Scope
from concierge.service import ConciergeService
from tests.needs_held import users_needs

BOOK = "Book dinner in Lyon tomorrow for 2"
Case = tuple[str, str, tuple[str, str]]  # (stored, what the next message says of it, the need as (id, holder))
PEANUTS: Case = ("I am allergic to peanuts", "I'm not allergic to peanuts anymore.", ("peanuts", "user"))
SON_EGGS: Case = ("My son is allergic to eggs", "My son isn't allergic to eggs anymore.", ("eggs", "son"))
WIFE_VEGAN: Case = ("My wife is vegan", "My wife isn't vegan anymore.", ("vegan", "wife"))
WHEELCHAIR: Case = ("I use a wheelchair", "I don't use a wheelchair anymore.", ("wheelchair", "user"))
OUTGREW: Case = ("I am allergic to peanuts", "I outgrew my peanut allergy.", ("peanuts", "user"))
FISH_NOW: Case = ("I am vegan", "I'm not vegan anymore, I eat fish now.", ("vegan", "user"))

NO_LONGER_TRUE = [
    "that's no longer true",
    "that's not true anymore",
    "that isn't right",
    "not anymore, that's wrong",
    "that is no longer the case",
    "that's not true",
    "that's wrong",
    "no, that's not right",
    "that's incorrect",
    "that's not the case anymore",
]
OTHER_UNDOS = [  # attack10 M1, and the ones that already worked
    "unsay that",
    "back up a step",
    "cancel that",
    "take that back",
    "rewind",
    "scratch that",
    "undo",
    "never mind",
    "go back one step",
    "oops, I didn't mean that",
    "strike that",
    "I take that back",
]
UNFORGETS = [  # right after a forget
    "undo",
    "wait, no, keep it",
    "scratch that",
    "oops, I didn't mean that",
    "never mind",
    "revert",
    "undo that please",
    "I take that back",
    "no, don't forget it",
    "that's no longer true",
    "unsay that",
    "cancel that",
    "please don't delete that",
]
FORGETS: list[Case] = [
    ("I am allergic to peanuts", "forget my peanut allergy", ("peanuts", "user")),
    ("My son is allergic to eggs", "forget my son's egg allergy", ("eggs", "son")),
    ("I use a wheelchair", "forget that I use a wheelchair", ("wheelchair", "user")),
]


def _scope(service: ConciergeService, project: str, name: str, user: str | None = None) -> Scope:
    key = abs(hash(name))
    return service.scope(user or f"undo8-{key}", project_id=project, run_id=f"s{key}")


def _planned(service: ConciergeService, scope: Scope) -> set[tuple[str, str]]:
    """The needs a booking in a new session of the same user applies."""
    probe = service.scope(scope.user_id, project_id=scope.project_id, run_id=f"probe-{scope.run_id}")
    plan = service.chat(probe, BOOK).plan
    assert plan is not None
    return {(n.need_id, n.holder.casefold()) for n in plan.needs}


def _said_then(service: ConciergeService, scope: Scope, case: Case) -> None:
    """The need stored, then the case's message (a retraction or a forget) makes it go."""
    stored, said, need = case
    service.remember(scope, stored)
    assert need in users_needs(service, scope)
    service.chat(scope, said)
    assert need not in users_needs(service, scope)


def _texts(service: ConciergeService, scope: Scope) -> list[str]:
    return sorted(m.text for m in service.memory.list(service.scope(scope.user_id, project_id=scope.project_id)))


# -- H5: "that's no longer true" right after a retraction takes the retraction back ------------------------------
@pytest.mark.parametrize(
    ("case", "message"),
    [
        *((PEANUTS, m) for m in NO_LONGER_TRUE),
        *((c, m) for c in (SON_EGGS, WIFE_VEGAN, WHEELCHAIR, OUTGREW, FISH_NOW) for m in NO_LONGER_TRUE[:2]),
    ],
)
def test_no_longer_true_after_a_retraction_brings_the_need_back(
    service: ConciergeService, project: str, case: Case, message: str
) -> None:
    scope = _scope(service, project, f"h5 {case[1]} {message}")
    _said_then(service, scope, case)
    service.chat(scope, message)
    assert case[2] in users_needs(service, scope)
    assert case[2] in _planned(service, scope)
    assert case[0].split()[-1] in " ".join(_texts(service, scope))  # the need's own memory, not a new one


# -- M1: other ways of taking a retraction back ------------------------------------------------------------------
@pytest.mark.parametrize("message", OTHER_UNDOS)
def test_other_undo_phrasings_after_a_retraction_bring_the_need_back(
    service: ConciergeService, project: str, message: str
) -> None:
    scope = _scope(service, project, f"m1 {message}")
    _said_then(service, scope, PEANUTS)
    service.chat(scope, message)
    assert PEANUTS[2] in users_needs(service, scope)
    assert PEANUTS[2] in _planned(service, scope)


# -- H6: an undo right after a forget adds back what it deleted --------------------------------------------------
@pytest.mark.parametrize(
    ("case", "message"),
    [*((FORGETS[0], m) for m in UNFORGETS), *((c, m) for c in FORGETS[1:] for m in UNFORGETS[:4])],
)
def test_an_undo_right_after_a_forget_brings_the_memory_back(
    service: ConciergeService, project: str, case: Case, message: str
) -> None:
    scope = _scope(service, project, f"h6 {case[1]} {message}")
    service.remember(scope, "I live in Lyon")
    _said_then(service, scope, case)
    forgotten = set(_texts(service, scope))
    service.chat(scope, message)
    assert case[2] in users_needs(service, scope)
    assert case[2] in _planned(service, scope)
    assert len(_texts(service, scope)) == len(forgotten) + 1  # exactly the forgotten memory came back
    assert forgotten < set(_texts(service, scope))


def test_an_undo_after_forgetting_a_fact_that_is_no_need_brings_it_back(
    service: ConciergeService, project: str
) -> None:
    scope = _scope(service, project, "h6 lyon")
    service.remember(scope, "I live in Lyon")
    before = _texts(service, scope)
    service.chat(scope, "forget that I live in Lyon")
    assert _texts(service, scope) == []
    service.chat(scope, "undo")
    assert _texts(service, scope) == before
    service.chat(scope, "undo")  # a second undo: the fact came back from the earlier session, it is no statement
    assert _texts(service, scope) == before


# -- controls ------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("between", ["Hello", "Thanks!", "What's the weather like?"])
def test_an_undo_two_turns_after_a_forget_brings_nothing_back(
    service: ConciergeService, project: str, between: str
) -> None:
    scope = _scope(service, project, f"two turns {between}")
    _said_then(service, scope, FORGETS[0])
    service.chat(scope, between)
    service.chat(scope, "undo")
    assert FORGETS[0][2] not in users_needs(service, scope)
    assert _planned(service, scope) == set()


@pytest.mark.parametrize("second", ["undo", "scratch that", "that's no longer true"])
def test_a_second_undo_after_a_forget_changes_no_memory(service: ConciergeService, project: str, second: str) -> None:
    scope = _scope(service, project, f"second {second}")
    _said_then(service, scope, FORGETS[0])
    service.chat(scope, "undo")
    restored = _texts(service, scope)
    service.chat(scope, second)
    assert _texts(service, scope) == restored
    assert FORGETS[0][2] in users_needs(service, scope)


@pytest.mark.parametrize("message", ["undo", "scratch that", "no, don't forget it", "cancel that"])
def test_another_user_with_the_same_session_id_cannot_undo_a_forget(
    service: ConciergeService, project: str, message: str
) -> None:
    owner = _scope(service, project, f"isolation {message}")
    other = service.scope(f"{owner.user_id}-other", project_id=project, run_id=owner.run_id)
    _said_then(service, owner, FORGETS[0])
    service.chat(other, message)
    assert users_needs(service, other) == set()
    assert _texts(service, other) == []
    assert FORGETS[0][2] not in users_needs(service, owner)


def test_cancel_that_after_a_booking_cancels_it_and_keeps_every_need(service: ConciergeService, project: str) -> None:
    scope = _scope(service, project, "cancel booking")
    service.remember(scope, PEANUTS[0])
    service.remember(scope, SON_EGGS[0])
    booked = service.chat(scope, BOOK)
    assert booked.session is not None and booked.session.has_plan
    reply = service.chat(scope, "cancel that")
    assert reply.session is not None and reply.session.plan is None and reply.session.draft_status == "cancelled"
    assert users_needs(service, scope) == {PEANUTS[2], SON_EGGS[2]}


def test_keeping_something_new_after_a_forget_is_no_undo(service: ConciergeService, project: str) -> None:
    scope = _scope(service, project, "opera")
    _said_then(service, scope, FORGETS[0])
    service.chat(scope, "Please don't forget that I love opera")
    assert FORGETS[0][2] not in users_needs(service, scope)


# -- the readings (pure) -----------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "message",
    [
        "no, don't forget it",
        "don't delete it",
        "please don't forget that",
        "never delete it",
        "no no, do not erase that",
    ],
)
def test_keeping_what_was_just_forgotten(message: str) -> None:
    assert keeps_it(message)


@pytest.mark.parametrize(
    "message", ["Please don't forget that I love opera", "don't forget my allergy", "forget it", "keep the table"]
)
def test_keeping_something_else_or_forgetting_is_not_keeping_it(message: str) -> None:
    assert not keeps_it(message)


def test_what_a_forget_keeps_for_an_undo_is_each_text_once_with_where_it_lived() -> None:
    def record(i: int, text: str, run_id: str | None) -> MemoryRecord:
        return MemoryRecord(id=f"m{i}", text=text, user_id="u", project_id="p", run_id=run_id)

    deleted = [record(1, "User is allergic to peanuts", None), record(2, "User is allergic to peanuts", None)]
    deleted.append(record(3, "User is allergic to peanuts", "s1"))
    assert kept_for_undo(deleted) == [
        ForgotMemory(text="User is allergic to peanuts"),
        ForgotMemory(text="User is allergic to peanuts", session_only=True),
    ]


@pytest.mark.parametrize(
    ("message", "need"),
    [
        ("I use a wheelchair, so steps are a real problem for me.", ("wheelchair", "user")),
        ("Steps are a nightmare for me, I use a wheelchair.", ("wheelchair", "user")),
        ("I'm deaf, so rewinding a phone call is no help.", ("hearing", "user")),
        ("My son is allergic to eggs, so take that into account.", ("eggs", "son")),
        ("I'm coeliac, never mind the bread basket.", ("gluten", "user")),
    ],
)
def test_a_need_said_in_words_close_to_an_undo_is_stored_not_undone(
    service: ConciergeService, project: str, message: str, need: tuple[str, str]
) -> None:
    """A message naming a need says something of its own: "... so steps are a real problem for me" reads close
    to "back up a step" by example, and was taken as an undo that stored nothing (set 9)."""
    scope = _scope(service, project, f"near-undo {message}")
    service.chat(scope, message)
    assert need in users_needs(service, scope)
    assert need in _planned(service, scope)
