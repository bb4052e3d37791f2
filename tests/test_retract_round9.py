"""Issue 24 item 1, round 9: a retraction beside a clause that says the same in other words takes the need back.

A stored need is removed only by its holder's plain retraction; beside it the message may carry courtesy and, now, a
clause by the same holder that they eat, can eat or have a food the need forbids ("I've stopped being vegetarian, I
eat meat again now", "my son has outgrown his egg allergy, he eats omelettes now"): it only confirms. Any other
eating clause (a degree, a hedge, a question, a past meal, another person, another need's food) or any other company
still keeps the need and asks. Checked on what the plan reads from the words said and from what memory keeps, and end
to end through the service: its needs, the plan's needs and the question asked (``Reply.asked``).
"""

from __future__ import annotations

import pytest

from concierge.needs.current import plainly_taken_back, replay, unplain_need
from concierge.offline.extraction import extract_facts
from concierge.service import ConciergeService
from tests.needs_held import held, users_needs

Case = tuple[str, str, tuple[str, str]]

# (stored, retraction confirmed by eating what the need forbids, the need as (need id, holder)).
CONFIRMED: list[Case] = [
    ("I am vegetarian", "Actually I've stopped being vegetarian, I eat meat again now.", ("vegetarian", "user")),
    ("I am vegetarian", "I'm not vegetarian any more, I eat meat again.", ("vegetarian", "user")),
    ("I am vegetarian", "I'm no longer vegetarian. I eat chicken now.", ("vegetarian", "user")),
    ("I am vegan", "I'm not vegan anymore, I eat cheese again.", ("vegan", "user")),
    ("I am vegan", "I'm no longer vegan, I eat eggs now.", ("vegan", "user")),
    ("I am coeliac", "I'm not gluten-free any more, I can eat bread again.", ("gluten", "user")),
    ("I am coeliac", "I'm not coeliac anymore, I can eat pasta now.", ("gluten", "user")),
    (
        "I am allergic to peanuts",
        "I'm not allergic to peanuts anymore, I can have peanut butter now.",
        ("peanuts", "user"),
    ),
    ("I am allergic to peanuts", "I'm not allergic to peanuts anymore. I eat satay now.", ("peanuts", "user")),
    ("I am lactose intolerant", "I'm not lactose intolerant any more, I can have cheese now.", ("milk", "user")),
    ("My son is allergic to eggs", "My son has outgrown his egg allergy, he eats omelettes now.", ("eggs", "son")),
    ("My son is allergic to eggs", "My son isn't allergic to eggs anymore. He eats eggs again.", ("eggs", "son")),
    (
        "My wife is allergic to sesame",
        "My wife isn't allergic to sesame anymore, she eats tahini now.",
        ("sesame", "wife"),
    ),
    (
        "My daughter is vegetarian",
        "My daughter is not vegetarian any more, she eats meat again.",
        ("vegetarian", "daughter"),
    ),
    (
        "My husband is allergic to fish",
        "My husband has outgrown his fish allergy, he eats salmon now.",
        ("fish", "husband"),
    ),
    ("I am coeliac", "Good news: I'm not gluten-free any more, I can eat bread again, thanks!", ("gluten", "user")),
]

# (stored, a retraction beside something that is not a plain confirmation, the need): the need stays and it asks.
ASKS: list[Case] = [
    ("I am vegetarian", "I'm not vegetarian any more, I eat meat sometimes.", ("vegetarian", "user")),  # how often
    ("I am vegetarian", "I'm not vegetarian any more, I eat a little meat now.", ("vegetarian", "user")),  # degree
    ("I am coeliac", "I'm not coeliac anymore, I can eat a little bread.", ("gluten", "user")),
    ("I am coeliac", "I'm not coeliac anymore, I think I can eat bread.", ("gluten", "user")),  # a hedge
    ("I am coeliac", "I'm not coeliac anymore, maybe I can eat bread.", ("gluten", "user")),
    ("I am vegetarian", "I'm not vegetarian any more, I think I eat meat now.", ("vegetarian", "user")),
    ("I am coeliac", "I'm not coeliac anymore, can I eat bread?", ("gluten", "user")),  # a question
    ("I am vegetarian", "I'm not vegetarian any more, I eat meat again now lol.", ("vegetarian", "user")),  # jest
    ("I am vegetarian", "I'm not vegetarian any more, I ate meat yesterday.", ("vegetarian", "user")),  # one meal
    ("I am vegetarian", "I'm not vegetarian any more, I could eat meat.", ("vegetarian", "user")),  # a modal
    ("I am vegetarian", "I'm not vegetarian any more, I eat peanuts now.", ("vegetarian", "user")),  # other food
    ("I am allergic to peanuts", "I'm not allergic to peanuts anymore, I can eat bread now.", ("peanuts", "user")),
    ("My son is allergic to eggs", "My son has outgrown his egg allergy, I eat omelettes now.", ("eggs", "son")),
    ("My son is allergic to eggs", "My son has outgrown his egg allergy, she eats omelettes now.", ("eggs", "son")),
    (
        "I am vegetarian",
        "I'm not vegetarian any more, I eat meat again now. Book dinner in Lyon tomorrow for 2.",
        ("vegetarian", "user"),
    ),  # attack10 H1: a booking
    (
        "I am vegetarian",
        "I'm not vegetarian any more, I eat meat again now. Great. Just great.",
        ("vegetarian", "user"),
    ),
    ("I am vegetarian", "I'm not vegetarian any more, I eat meat again now. (?)", ("vegetarian", "user")),  # H3
    ("I am vegetarian", "I'm not vegetarian any more, I eat meat again now (I think).", ("vegetarian", "user")),  # H4
]


def _is_users(key: tuple[str, str]) -> tuple[str, bool]:
    return key[0], key[1] == "user"


@pytest.mark.parametrize(("stored", "message", "key"), CONFIRMED)
def test_a_retraction_confirmed_by_eating_what_the_need_forbids_takes_it_back(
    stored: str, message: str, key: tuple[str, str]
) -> None:
    assert key in held([stored])
    assert key not in held([stored, message]), message  # what the plan reads from the words said
    assert key not in held([stored, *extract_facts(message, None)]), message  # what memory keeps
    assert _is_users(key) in plainly_taken_back([message]), message
    assert unplain_need(message, replay([stored])) is None, message  # nothing to ask


@pytest.mark.parametrize(("stored", "message", "key"), ASKS)
def test_a_retraction_beside_anything_but_a_plain_confirmation_keeps_the_need_and_asks(
    stored: str, message: str, key: tuple[str, str]
) -> None:
    assert key in held([stored, message]), message
    assert key in held([stored, *extract_facts(message, None)]), message
    assert _is_users(key) not in plainly_taken_back([message]), message
    asked = unplain_need(message, replay([stored]))
    assert asked is not None and (asked.need_id, asked.holder.casefold()) == key, message


def _plan_needs(service: ConciergeService, user: str, project: str) -> set[tuple[str, str]]:
    reply = service.chat(service.scope(user, project_id=project, run_id="p1"), "Dinner in Seville on Friday for 2")
    assert reply.plan is not None
    return {(n.need_id, n.holder.casefold()) for n in reply.plan.needs}


@pytest.mark.parametrize(("stored", "message", "key"), [CONFIRMED[0], CONFIRMED[5], CONFIRMED[10], CONFIRMED[12]])
def test_end_to_end_a_confirmed_retraction_takes_the_need_back_without_a_question(
    service: ConciergeService, project: str, stored: str, message: str, key: tuple[str, str]
) -> None:
    scope = service.scope(f"r9-plain-{len(message)}", project_id=project, run_id="s1")
    service.remember(scope, stored)
    assert users_needs(service, scope) == {key}
    reply = service.chat(scope, message)
    assert reply.asked is None
    assert key not in users_needs(service, scope)
    assert key not in _plan_needs(service, scope.user_id, project)


@pytest.mark.parametrize(("stored", "message", "key"), [ASKS[2], ASKS[8], ASKS[13], ASKS[14]])
def test_end_to_end_an_unconfirmed_retraction_keeps_the_need_and_asks(
    service: ConciergeService, project: str, stored: str, message: str, key: tuple[str, str]
) -> None:
    scope = service.scope(f"r9-ask-{len(message)}", project_id=project, run_id="s1")
    service.remember(scope, stored)
    reply = service.chat(scope, message)
    assert reply.asked == "confirm_retraction"
    assert key in users_needs(service, scope)
    assert key in _plan_needs(service, scope.user_id, project)
