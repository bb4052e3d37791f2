"""Issue 24 items 1 and 5, round 9: the turn right after a plain retraction, and laughter with nothing to take back.

1. A booking that says, beside the request, that the need just taken back still holds ("Book dinner in Lyon tomorrow
   for 2, I'm still allergic by the way", "my son still reacts to them, table for 3 tomorrow in Lyon") brings it back
   and is planned with it; no "User is still allergic" is stored. A plain booking, "great, I can eat satay now",
   another person's or another need's "still" leave it taken back.
2. Laughter or a pause ("lol", "wait", "be right back") with nothing to take back (a fresh session, or a booking
   last) is small talk: nothing stored, nothing planned, and the session's plan is not cancelled.
3. "My partner's the one who isn't allergic." right after the user's retraction: it was about someone else, the
   need comes back; "I'm the one who isn't allergic." says the retraction again.
4. A companion's plain retraction with a reason of their own ("..., he had the challenge test and passed") takes the
   need back as the user's does; a doubt ("my son says he's not allergic anymore", "..., I think.") keeps it.

End to end through ``ConciergeService.chat`` in a session, checked on typed fields (``user_needs``, ``plan.needs``,
``reply.request.intent``, ``memories_stored``, ``asked``).
"""

from __future__ import annotations

import itertools

import pytest

from concierge.scope import Scope
from concierge.service import ConciergeService
from tests.needs_held import users_needs
from tests.test_jests_round8 import BOOK, PEANUTS, SON_EGGS, VEGAN, Case

SON_PEANUTS: Case = ("My son is allergic to peanuts", "My son isn't allergic to peanuts anymore.", ("peanuts", "son"))
_keys = itertools.count()

RESTATED_BESIDE_A_BOOKING = [
    (PEANUTS, "Book dinner in Lyon tomorrow for 2, I'm still allergic by the way"),
    (PEANUTS, "actually still allergic, lunch in Rome on Friday for 3"),
    (PEANUTS, "Dinner in Paris tomorrow for 2 — and yes I still can't eat them"),
    (PEANUTS, "Still allergic though. Table for 2 in Lyon tomorrow evening."),
    (PEANUTS, "kidding, I'm still allergic. Book lunch in Paris tomorrow for 4"),
    (PEANUTS, "Find a dinner in Rome on Saturday for 2; peanuts still kill me"),
    (PEANUTS, "Table for 4 in Paris on Friday, and btw I'm still allergic"),
    (PEANUTS, "I still can't eat them, so dinner in Rome tomorrow for 2 please"),
    (SON_PEANUTS, "my son still reacts to them, table for 3 tomorrow in Lyon"),
    (SON_PEANUTS, "he's still allergic, book dinner in Paris tomorrow for 3"),
    (SON_EGGS, "Dinner in Rome on Friday for 3, eggs still make my son sick"),
    (VEGAN, "Still vegan, dinner in Lyon tomorrow for 2"),
]
STANDS_BESIDE_A_BOOKING = [
    (PEANUTS, BOOK),
    (PEANUTS, "great, I can eat satay now"),
    (PEANUTS, "Dinner in Paris tomorrow for 2, my sister is still allergic"),
    (PEANUTS, "Lunch in Rome on Friday for 3, I'm still not allergic"),
    (PEANUTS, "Table for 2 in Lyon tomorrow, still vegan by the way"),
    (SON_PEANUTS, "Book lunch in Paris tomorrow for 3, she still is"),
]
IDLE = [
    "lol",
    "lmao",
    "wait",
    "be right back",
    "haha",
    "LOL!",
    "wait a sec",
    "hold on",
    "hehe",
    "hahaha 😂",
    "hang on",
    "hmm",
    "lol lmao",
]
SOMEONE_ELSE_IS_THE_ONE = [
    (PEANUTS, "My partner's the one who isn't allergic."),
    (PEANUTS, "My wife is the one who's not allergic anymore."),
    (PEANUTS, "My brother is the one that isn't allergic to peanuts."),
    (PEANUTS, "oh, my husband's the one who's no longer allergic"),
    (SON_EGGS, "My daughter's the one who isn't allergic."),
    (SON_EGGS, "No, his sister is the one who's not allergic anymore."),
]
THE_HOLDER_IS_THE_ONE = [
    (PEANUTS, "I'm the one who isn't allergic."),
    (SON_EGGS, "He's the one who isn't allergic anymore."),
    (PEANUTS, "My partner's the one who isn't vegan."),
    (PEANUTS, "My partner's the one who is allergic."),
]
# (stored, a companion's retraction beside a reason of the holder's own, the need it takes back)
COMPANION_REASONS: list[Case] = [
    ("My son is allergic to eggs", "My son isn't allergic to eggs anymore, he had the challenge test and passed.",
     ("eggs", "son")),
    ("My daughter is allergic to eggs", "My daughter isn't allergic to eggs anymore, she had the challenge test and "
     "passed.", ("eggs", "daughter")),
    ("My son is allergic to eggs", "My son is no longer allergic to eggs, he passed the oral food challenge.",
     ("eggs", "son")),
    ("My son is allergic to eggs", "My son isn't allergic to eggs anymore, he grew out of it last year.",
     ("eggs", "son")),
    ("My husband is allergic to peanuts", "My husband isn't allergic to peanuts anymore, his allergist cleared him "
     "last week.", ("peanuts", "husband")),
    ("I am allergic to eggs", "I'm not allergic to eggs anymore, I had the challenge test and passed.",
     ("eggs", "user")),
]  # fmt: skip
COMPANION_DOUBTS: list[Case] = [
    ("My son is allergic to eggs", "my son says he's not allergic anymore", ("eggs", "son")),
    ("My son is allergic to eggs", "My son isn't allergic to eggs anymore, I think.", ("eggs", "son")),
    ("My son is allergic to eggs", "My son isn't allergic to eggs anymore, or so he says.", ("eggs", "son")),
    ("My son is allergic to eggs", "My son isn't allergic to eggs anymore, he's getting tested next week.",
     ("eggs", "son")),
    ("My son is allergic to eggs", "My son isn't allergic to eggs anymore, he had a bite of omelette once.",
     ("eggs", "son")),
    ("My wife is coeliac", "My wife isn't coeliac after all, the biopsy might be wrong.", ("gluten", "wife")),
    ("My son is allergic to eggs", "My son isn't allergic to eggs anymore, but I don't believe him.", ("eggs", "son")),
    ("My son is allergic to eggs", "My son isn't allergic to eggs anymore, but my wife doubts it.", ("eggs", "son")),
    ("My son is allergic to eggs", "My son isn't allergic to eggs anymore, she had the challenge test and passed.",
     ("eggs", "son")),
    ("My son is allergic to eggs", "My son isn't allergic to eggs anymore, he had the challenge test but failed.",
     ("eggs", "son")),
    ("My son is allergic to eggs", "My son isn't allergic to eggs anymore, he's having the challenge test tomorrow.",
     ("eggs", "son")),
]  # fmt: skip


def _scope(service: ConciergeService, project: str) -> Scope:
    key = next(_keys)
    return service.scope(f"jest9-{key}", project_id=project, run_id=f"s9-{key}")


def _after_retraction(service: ConciergeService, scope: Scope, case: Case) -> None:
    stored, retraction, need = case
    service.remember(scope, stored)
    assert need in users_needs(service, scope)
    service.chat(scope, retraction)
    assert need not in users_needs(service, scope)  # the retraction was plain: the need went


def _planned(reply_needs: list) -> set[tuple[str, str]]:
    return {(n.need_id, n.holder.casefold()) for n in reply_needs}


# -- 1. a restatement beside a booking ------------------------------------------------------------------------------
@pytest.mark.parametrize(("case", "message"), RESTATED_BESIDE_A_BOOKING)
def test_a_booking_that_restates_the_need_brings_it_back_and_plans_with_it(
    service: ConciergeService, project: str, case: Case, message: str
) -> None:
    scope = _scope(service, project)
    _after_retraction(service, scope, case)
    reply = service.chat(scope, message)
    assert reply.request.intent == "dine"
    assert case[2] in users_needs(service, scope)
    assert reply.plan is not None and case[2] in _planned(reply.plan.needs)
    assert reply.memories_stored == []  # no "User is still allergic", no "Peanuts still kill User"


@pytest.mark.parametrize(("case", "message"), STANDS_BESIDE_A_BOOKING)
def test_a_booking_or_more_of_the_same_leaves_the_need_taken_back(
    service: ConciergeService, project: str, case: Case, message: str
) -> None:
    scope = _scope(service, project)
    _after_retraction(service, scope, case)
    reply = service.chat(scope, message)
    assert case[2] not in users_needs(service, scope)
    assert reply.plan is None or case[2] not in _planned(reply.plan.needs)


# -- 2. laughter or a pause with nothing to take back ---------------------------------------------------------------
@pytest.mark.parametrize("message", IDLE)
def test_laughter_or_a_pause_in_a_fresh_session_is_small_talk(
    service: ConciergeService, project: str, message: str
) -> None:
    scope = _scope(service, project)
    reply = service.chat(scope, message)
    assert reply.request.intent == "chit_chat"
    assert reply.plan is None and reply.forgotten is None and reply.memories_stored == []
    assert service.memories(scope) == []


@pytest.mark.parametrize("message", ["wait", "lol", "hold on", "be right back", "haha", "lmao"])
def test_laughter_or_a_pause_after_a_booking_keeps_the_plan(
    service: ConciergeService, project: str, message: str
) -> None:
    scope = _scope(service, project)
    booked = service.chat(scope, BOOK)
    assert booked.plan is not None and booked.plan.chosen is not None
    reply = service.chat(scope, message)
    assert reply.request.intent == "chit_chat"
    assert reply.session is not None and reply.session.plan is not None
    assert reply.session.plan.chosen is not None and reply.session.plan.chosen.id == booked.plan.chosen.id


def test_wait_no_after_a_booking_still_takes_it_back(service: ConciergeService, project: str) -> None:
    scope = _scope(service, project)
    assert service.chat(scope, BOOK).plan is not None
    reply = service.chat(scope, "wait, no")
    assert reply.request.intent == "forget"
    assert reply.session is None or reply.session.plan is None


def test_laughter_after_a_retraction_still_keeps_the_need(service: ConciergeService, project: str) -> None:
    scope = _scope(service, project)
    _after_retraction(service, scope, PEANUTS)
    service.chat(scope, "lmao")
    assert PEANUTS[2] in users_needs(service, scope)


# -- 3. someone else is the one ----------------------------------------------------------------------------------
@pytest.mark.parametrize(("case", "message"), SOMEONE_ELSE_IS_THE_ONE)
def test_someone_else_is_the_one_brings_the_holders_need_back(
    service: ConciergeService, project: str, case: Case, message: str
) -> None:
    scope = _scope(service, project)
    _after_retraction(service, scope, case)
    reply = service.chat(scope, message)
    assert case[2] in users_needs(service, scope)
    assert reply.memories_stored == []


@pytest.mark.parametrize(("case", "message"), THE_HOLDER_IS_THE_ONE)
def test_the_holder_or_another_need_is_the_one_leaves_it_taken_back(
    service: ConciergeService, project: str, case: Case, message: str
) -> None:
    scope = _scope(service, project)
    _after_retraction(service, scope, case)
    service.chat(scope, message)
    assert case[2] not in users_needs(service, scope)


# -- 4. a companion's retraction with a reason -----------------------------------------------------------------------
@pytest.mark.parametrize("case", COMPANION_REASONS, ids=lambda c: c[1][:60])
def test_a_retraction_with_the_holders_reason_takes_the_need_back(
    service: ConciergeService, project: str, case: Case
) -> None:
    stored, retraction, need = case
    scope = _scope(service, project)
    service.remember(scope, stored)
    reply = service.chat(scope, retraction)
    assert need not in users_needs(service, scope)
    assert reply.asked is None


@pytest.mark.parametrize("case", COMPANION_DOUBTS, ids=lambda c: c[1][:60])
def test_a_companions_retraction_with_a_doubt_keeps_the_need(
    service: ConciergeService, project: str, case: Case
) -> None:
    stored, retraction, need = case
    scope = _scope(service, project)
    service.remember(scope, stored)
    service.chat(scope, retraction)
    assert need in users_needs(service, scope)
