"""Issue 24, attack10 H1-H4: a retraction takes a need back only beside courtesy of a closed set; anything else asks.

A stored need is removed only by its holder's plain first-person present retraction. Beside it may stand a greeting,
thanks or "please" of a closed set (``concierge.needs.company.COURTESY``) and nothing else: a booking or any other
request (H1), a remark that may be sarcasm (H2), a sentence of marks only (H3) and an aside or a jest inside the
retraction itself (H4) keep the need, and the concierge asks (a plain "yes" next takes it back). Each class is
generated over several needs and holders, on what the plan reads from the words said and from what memory keeps,
and end to end through the service with and without a session. Assertions are on typed fields: the needs that
hold, the plan's needs, the session's pending question.
"""

from __future__ import annotations

import itertools

import pytest

from concierge.needs.current import plainly_taken_back, replay, unplain_need
from concierge.offline.extraction import extract_facts
from concierge.service import ConciergeService
from tests.needs_held import held, users_needs

# (stored, plain retraction by the holder, the need that holds as (need id, holder)).
HOLDERS = [
    ("I am allergic to peanuts", "I'm not allergic to peanuts anymore.", ("peanuts", "user")),
    ("I use a wheelchair", "I don't use a wheelchair anymore.", ("wheelchair", "user")),
    ("I am vegan", "I'm not vegan anymore.", ("vegan", "user")),
    ("I am coeliac", "I'm not coeliac anymore.", ("gluten", "user")),
    ("My son is allergic to eggs", "My son has outgrown his egg allergy.", ("eggs", "son")),
    ("My wife is allergic to sesame", "My wife isn't allergic to sesame anymore.", ("sesame", "wife")),
]

# "{r}" is the retraction as a sentence, "{b}" the same without its full stop.
CLASSES = {
    "booking or request": [  # H1: whatever it books or asks, a request beside a retraction asks
        "{r} Book dinner in Lyon tomorrow for 2.",
        "{r} Book dinner in Lyon tomorrow for 2, just for fun.",
        "{r} Book dinner in Lyon tomorrow for 2, in theory.",
        "{r} Book dinner in Lyon tomorrow for 2, same restrictions as always.",
        "{r} Book dinner in Lyon tomorrow for 2 near a hospital.",
        "{r} Plan dinner in Lyon tomorrow for 2 on opposite day.",
        "{r} Find me the nearest ER.",
        "{r} Find my EpiPen.",
        "{r} Find me an allergist.",
        "{r} Kindly find the nearest hospital.",
        "{r} Book me a retest with the allergist next week.",
        "{r} Book a table in Narnia for 2.",
        "{r} Reserve a table on the moon tomorrow.",
        "{r} Reserve judgement.",
        "{r} Find out tomorrow.",
        "Book dinner in Lyon tomorrow for 2, just for fun. {r}",
        "Find me the nearest ER. {r}",
    ],
    "remark or sarcasm": [  # H2: only greetings, thanks and "please" of a closed set are courtesy
        "{r} Great. Just great.",
        "{r} Wonderful. Just wonderful.",
        "{r} Brilliant. Just brilliant.",
        "{r} Thanks a lot, God.",
        "{r} Great, just great, thanks a lot.",
        "{r} Well, that's just great.",
        "{r} Yay, so very happy for me.",
        "{r} Well, well, well.",
        "{r} So much for that.",
        "{r} Great.",
        "{r} That's great news!",
        "Great. Just great. {r}",
    ],
    "marks only": [  # H3: a sentence with no word is not neutral
        "{r} (?)",
        "{r} (??)",
        "{r} \u2026?",
        "{r} ....?",
        "{r} \u203d",
        "{r} \u2049",
        "{r} \u00bf",
        "{r} ;)",
        "{r} \U0001f914",
        "(?) {r}",
    ],
    "aside in the retraction": [  # H4 and the retraction's own marks: an aside, a doubt, a jest
        "{b} (fingers crossed).",
        "{b} (I think).",
        "{b} [maybe].",
        "{b} \u2014 I think \u2014.",
        "{b} (for now).",
        "{b} [citation needed].",
        "{b}\u2026",
        "{b}?!",
        "{b} lol.",
        "{b} ;)",
        "{b}, thanks a lot, God.",
    ],
}
MEMBERS = [(name, form) for name, forms in CLASSES.items() for form in forms]

# Courtesy of the closed set: the plain retraction still takes the need back.
CONTROLS = [
    "{r}",
    "Hi! {r}",
    "Hello. {r}",
    "{b}, thanks!",
    "{r} Thanks!",
    "{r} Thank you.",
    "{r} Cheers.",
    "Good morning. {r} Thank you so much!",
    "{r} Please update my profile.",
    "{r} Can you update my profile?",
]


def _message(form: str, retraction: str) -> str:
    return form.format(r=retraction, b=retraction.rstrip("."))


@pytest.mark.parametrize(("member", "holder"), list(itertools.product(MEMBERS, HOLDERS)))
def test_a_retraction_beside_anything_but_courtesy_keeps_the_need_and_asks(
    member: tuple[str, str], holder: tuple[str, str, tuple[str, str]]
) -> None:
    stored, retraction, key = holder
    message = _message(member[1], retraction)
    assert key in held([stored, message]), (member[0], message)  # what the plan reads from the words said
    assert key in held([stored, *extract_facts(message, None)]), (member[0], message)  # what memory keeps
    assert (key[0], key[1] == "user") not in plainly_taken_back([message]), message
    asked = unplain_need(message, replay([stored]))  # the concierge asks about that need of that holder
    assert asked is not None and (asked.need_id, asked.holder.casefold()) == key, message


@pytest.mark.parametrize(("form", "holder"), list(itertools.product(CONTROLS, HOLDERS)))
def test_a_plain_retraction_with_courtesy_of_the_closed_set_takes_the_need_back(
    form: str, holder: tuple[str, str, tuple[str, str]]
) -> None:
    stored, retraction, key = holder
    message = _message(form, retraction)
    assert key not in held([stored, message]), message
    assert key not in held([stored, *extract_facts(message, None)]), message


# -- end to end: the service ----------------------------------------------------------------------------------------
BOOKED = [
    ("I am allergic to peanuts", "I'm not allergic to peanuts anymore. Book dinner in Lyon tomorrow for 2."),
    (
        "I am allergic to peanuts",
        "I'm not allergic to peanuts anymore. Book dinner in Lyon tomorrow for 2, just for fun.",
    ),
    ("My son is allergic to eggs", "Book dinner in Lyon tomorrow for 2. My son isn't allergic to eggs anymore."),
    ("I am vegan", "I'm not vegan anymore. Book dinner in Lyon tomorrow for 2 lol."),
]


@pytest.mark.parametrize(("stored", "message"), BOOKED)
def test_end_to_end_a_booking_beside_a_retraction_plans_with_the_need_and_asks(
    service: ConciergeService, project: str, stored: str, message: str
) -> None:
    scope = service.scope(f"c8-book-{len(message)}", project_id=project, run_id="s1")
    service.remember(scope, stored)
    (key,) = users_needs(service, scope)
    reply = service.chat(scope, message)
    assert key in users_needs(service, scope)
    assert reply.plan is not None and key in {(n.need_id, n.holder.casefold()) for n in reply.plan.needs}
    asked = reply.session.asked_retraction if reply.session is not None else None
    assert asked is not None and (asked.need_id, asked.holder.casefold()) == key
    service.chat(scope, "yes")  # a plain yes takes it back
    assert key not in users_needs(service, scope)


ASKED = [
    ("I am allergic to peanuts", "I'm not allergic to peanuts anymore. Find me the nearest ER."),
    ("I use a wheelchair", "I don't use a wheelchair anymore. Great. Just great."),
    ("My son is allergic to eggs", "My son isn't allergic to eggs anymore. (?)"),
    ("My wife is allergic to sesame", "My wife isn't allergic to sesame anymore (fingers crossed)."),
]


@pytest.mark.parametrize(("stored", "message"), ASKED)
@pytest.mark.parametrize("session", [True, False])
def test_end_to_end_the_need_stays_in_memory_and_in_the_plan(
    service: ConciergeService, project: str, stored: str, message: str, session: bool
) -> None:
    scope = service.scope(f"c8-ask-{len(message)}", project_id=project, run_id="s1" if session else None)
    service.remember(scope, stored)
    (key,) = users_needs(service, scope)
    reply = service.chat(scope, message)
    assert key in users_needs(service, scope)
    if session:
        assert reply.session is not None and reply.session.asked_retraction is not None
        assert reply.session.asked_retraction.need_id == key[0]
    plan = service.chat(
        service.scope(scope.user_id, project_id=project, run_id="p1"), "Book dinner in Lyon tomorrow for 2"
    )
    assert plan.plan is not None and key in {(n.need_id, n.holder.casefold()) for n in plan.plan.needs}


PLAIN = [
    ("I am allergic to peanuts", "I'm not allergic to peanuts anymore."),
    ("I am allergic to peanuts", "I'm not allergic to peanuts any more, thanks!"),
    ("I am vegan", "Hi! I'm no longer vegan."),
    ("My son is allergic to eggs", "My son has outgrown his egg allergy."),
    ("I use a wheelchair", "I don't use a wheelchair anymore."),
]


@pytest.mark.parametrize(("stored", "message"), PLAIN)
@pytest.mark.parametrize("through", ["ask", "memory add"])
def test_end_to_end_a_plain_retraction_takes_the_need_back_without_a_question(
    service: ConciergeService, project: str, stored: str, message: str, through: str
) -> None:
    scope = service.scope(f"c8-plain-{len(message)}-{through[0]}", project_id=project, run_id="s1")
    service.remember(scope, stored)
    (key,) = users_needs(service, scope)
    if through == "ask":
        reply = service.chat(scope, message)
        assert reply.session is None or reply.session.asked_retraction is None
    else:
        service.remember(scope, message)
    assert key not in users_needs(service, scope)
