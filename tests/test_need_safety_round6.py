"""Issue 24, attack8 H2/H3/H6/H7/M1/M2/M3: a need is only taken back by its holder's plain word with neutral company.

A retraction supersedes a need directly only when every other sentence of the message is known to be neutral
(``concierge.needs.company``: greetings, thanks, a request, the holder's own doing, a need of its own). Anything
else beside it (someone else typing, a jest, a correction to another person, a hedge) keeps the need, and the
concierge asks. Each class is generated over several needs of config/needs.yaml, for the user and companions,
on the pure functions (what the plan reads from the memories, and from the words said) and end to end, with and
without a session. Assertions are on typed fields: the needs that hold, the plan's needs, the pending question.
"""

from __future__ import annotations

import itertools

import pytest

from concierge.needs.current import plainly_taken_back, replay, unplain_need, unplain_question
from concierge.offline.extraction import extract_facts
from concierge.service import ConciergeService
from tests.needs_held import held, users_needs

# (stored, plain retraction by the holder, the need that holds as (need id, holder)): user and companions.
HOLDERS = [
    ("I am allergic to peanuts", "I'm not allergic to peanuts anymore.", ("peanuts", "user")),
    ("I keep kosher", "I don't keep kosher anymore.", ("kosher", "user")),
    ("I use a wheelchair", "I don't use a wheelchair anymore.", ("wheelchair", "user")),
    ("I am vegan", "I'm not vegan anymore.", ("vegan", "user")),
    ("My son is allergic to eggs", "My son isn't allergic to eggs anymore.", ("eggs", "son")),
    ("My son is allergic to eggs", "My son has outgrown his egg allergy.", ("eggs", "son")),
    ("My wife is allergic to sesame", "My wife isn't allergic to sesame anymore.", ("sesame", "wife")),
    ("My husband uses a wheelchair", "My husband doesn't use a wheelchair anymore.", ("wheelchair", "husband")),
    ("My friend Mia is coeliac", "Mia isn't coeliac anymore.", ("gluten", "mia")),
]

# What may not stand beside a retraction, class by class ("{r}" is the retraction).
CLASSES = {
    "another_typist": [  # H2
        "Passing the phone to my wife. {r}",
        "My husband wants to add something. {r}",
        "This next bit is from my son. {r}",
        "My wife is on now. {r}",
        "Handing over to my son. {r}",
        "This is her husband typing. {r}",
        "My husband took over the chat. {r}",
        "{r} Haha my sister grabbed my phone.",
        "{r} My brother is typing on my phone.",
    ],
    "jest": [  # H3
        "{r} Who am I fooling?",
        "{r} Just kidding",
        "{r} Not.",
        "{r} lol no",
        "{r} Forget I said that.",
        "{r} Bet you believed that.",
        "{r} In the game we're playing.",
        "{r} Is what I'd tell a bully.",
    ],
    "correction": [  # H6
        "{r} Oh no, I mixed up with my son.",
        "{r} I'm thinking of my friend, sorry.",
        "{r} I mixed it up with my wife.",
        "{r} I was thinking of my husband.",
    ],
    "booking": [  # attack10 H1: a request beside a retraction asks, however plain (it passed before round 8)
        "{r} Book dinner in Lyon tomorrow for 2.",
    ],
    "hedge": [  # H7: a hedge as its own sentence
        "{r} I think.",
        "{r} I guess.",
        "{r} I hope.",
        "{r} Maybe.",
        "{r} Probably.",
        "{r} Not sure.",
        "{r} I suppose.",
        "{r} If I remember right.",
        "{r} Or so she says.",
        "{r} I'm not sure.",
    ],
}
MEMBERS = [(name, form) for name, forms in CLASSES.items() for form in forms]

# Neutral company: the plain retraction still takes the need back.
NEUTRAL = [
    "{r}",
    "Hi! {r}",
    "Good news! {r}",
    "{r} Thanks!",
    "{r} Please update my profile.",
    "{r} Can you update my profile?",
    "Hello there. {r} Thank you!",
]


def _message(form: str, retraction: str) -> str:
    return form.format(r=retraction)


@pytest.mark.parametrize(("member", "holder"), list(itertools.product(MEMBERS, HOLDERS)))
def test_a_retraction_in_unplain_company_keeps_the_need_and_asks(
    member: tuple[str, str], holder: tuple[str, str, tuple[str, str]]
) -> None:
    stored, retraction, key = holder
    message = _message(member[1], retraction)
    assert key in held([stored, message]), (member[0], message)  # what this session said
    assert key in held([stored, *extract_facts(message, None)]), (member[0], message)  # what memory keeps
    assert (key[0], key[1] == "user") not in plainly_taken_back([message]), message
    assert unplain_need(message, replay([stored])) is not None, message  # the concierge asks


@pytest.mark.parametrize(("form", "holder"), list(itertools.product(NEUTRAL, HOLDERS)))
def test_a_plain_retraction_with_neutral_company_still_takes_the_need_back(
    form: str, holder: tuple[str, str, tuple[str, str]]
) -> None:
    stored, retraction, key = holder
    message = _message(form, retraction)
    assert key not in held([stored, message]), message
    assert key not in held([stored, *extract_facts(message, None)]), message


@pytest.mark.parametrize(
    ("stored", "message"),
    [
        ("I am allergic to peanuts", "I'm not allergic to peanuts any more"),
        ("My son is allergic to eggs", "my son has outgrown his egg allergy"),
        ("I am vegetarian", "Actually I'm not vegetarian anymore, I eat meat again"),
        ("I am allergic to peanuts", "I'm not allergic to peanuts anymore. Thanks, please update my profile."),
    ],
)
def test_the_plain_retractions_of_the_issue_still_take_the_need_back(stored: str, message: str) -> None:
    assert held([stored, message]) == set(), message


# -- M1: a need nobody stated is never stored ---------------------------------------------------------------------
UNSTATED = [
    "My son isn't allergic to eggs. Same for my husband.",
    "My son isn't allergic to peanuts. My daughter too.",
    "My husband isn't vegan. Same for my daughter.",
    "My wife isn't allergic to fish. Same with my son.",
    "My daughter isn't vegan. My son too.",
    "My son isn't allergic to eggs, is my daughter?",
    "The doctor will test if my son is allergic to eggs",
    "The allergist will check whether my daughter is allergic to peanuts",
    "I'm not allergic to peanuts anymore. Wait, that's my sister.",
    "I'm not allergic to peanuts anymore. Wait, it's my cousin.",
    "I'm not allergic to peanuts anymore. No wait, that's my wife.",
    "My son isn't allergic to eggs anymore. I'm not sure.",
]


@pytest.mark.parametrize("message", UNSTATED)
def test_a_need_nobody_stated_is_never_stored(message: str) -> None:
    facts = extract_facts(message, None)
    assert held([message]) == set() and held(facts) == set(), (message, facts)


@pytest.mark.parametrize(
    ("before", "message", "key"),
    [
        (
            "My daughter is allergic to peanuts",
            "My son isn't allergic to peanuts. My daughter too.",
            ("peanuts", "daughter"),
        ),
        (
            "I am allergic to peanuts",
            "I'm not allergic to peanuts anymore. Wait, that's my sister.",
            ("peanuts", "user"),
        ),
    ],
)
def test_pointing_back_at_a_denial_changes_no_one(before: str, message: str, key: tuple[str, str]) -> None:
    assert held([before, message]) == {key}
    assert held([before, *extract_facts(message, None)]) == {key}


# -- M2: the holder said by age or as a twin is not the user -----------------------------------------------------
@pytest.mark.parametrize(
    ("message", "need_id"),
    [
        ("My 5-year-old is allergic to eggs", "eggs"),
        ("My 3 year old is allergic to peanuts", "peanuts"),
        ("Our 4 year old is allergic to sesame", "sesame"),
        ("My twin is vegan", "vegan"),
    ],
)
def test_a_child_by_age_or_a_twin_is_not_the_user(message: str, need_id: str) -> None:
    said = held([message])
    assert (need_id, "user") not in said and {i for i, _ in said} == {need_id}, said


def test_a_twin_said_after_a_retraction_holds_the_need_not_the_user() -> None:
    message = "I'm not allergic to peanuts anymore, my twin is though"
    assert held([message]) == {("peanuts", "twin")}
    assert ("peanuts", "twin") in held(["I am allergic to peanuts", *extract_facts(message, None)])


# -- an ex- relation is a person of its own -------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("stored", "message", "key"),
    [
        ("My wife is vegan", "My ex-wife isn't vegan anymore", ("vegan", "wife")),
        (
            "My husband is allergic to peanuts",
            "My ex-husband isn't allergic to peanuts anymore",
            ("peanuts", "husband"),
        ),
        ("My wife is allergic to eggs", "My ex-wife is no longer allergic to eggs", ("eggs", "wife")),
        (
            "My half-brother is allergic to sesame",
            "My brother isn't allergic to sesame anymore",
            ("sesame", "half-brother"),
        ),
        ("My brother is allergic to sesame", "My half-brother isn't allergic to sesame anymore", ("sesame", "brother")),
    ],
)
def test_an_ex_or_a_half_relation_never_takes_the_other_persons_need_back(
    stored: str, message: str, key: tuple[str, str]
) -> None:
    assert key in held([stored, message])


@pytest.mark.parametrize(
    ("message", "ex"), [("My ex-wife is vegan", "ex-wife"), ("User's ex-husband is vegan", "ex-husband")]
)
def test_an_exs_need_is_never_the_current_partners(message: str, ex: str) -> None:
    assert held([message]) == {("vegan", ex)}


# -- M3: two people of one name who hold the need: asked which, and no "yes" takes either back --------------------
TWO_TOMS = ["My son Tom is allergic to eggs", "My husband Tom is allergic to eggs"]


def test_a_name_two_holders_share_is_asked_apart_with_no_yes_to_answer() -> None:
    message = "Tom isn't allergic to eggs anymore. I think."
    held_now = replay(TWO_TOMS)
    assert unplain_need(message, held_now) is None  # nothing a "yes" could take back
    assert unplain_question(message, held_now) is not None  # but asked


# -- end to end: the service, with and without a session ----------------------------------------------------------
END_TO_END = [
    (
        "I am allergic to peanuts",
        "Passing the phone to my wife. I'm not allergic to peanuts anymore.",
        ("peanuts", "user"),
    ),
    ("I am allergic to peanuts", "I'm not allergic to peanuts anymore. Who am I fooling?", ("peanuts", "user")),
    ("I am allergic to peanuts", "I'm not allergic to peanuts anymore. I mixed up with my son.", ("peanuts", "user")),
    ("My son is allergic to eggs", "My son isn't allergic to eggs anymore. I guess.", ("eggs", "son")),
    ("I keep kosher", "I don't keep kosher anymore. Maybe.", ("kosher", "user")),
]


@pytest.mark.parametrize(("stored", "message", "key"), END_TO_END)
@pytest.mark.parametrize("session", [True, False])
def test_end_to_end_the_need_stays_in_the_plan_and_the_concierge_asks(
    service: ConciergeService, project: str, stored: str, message: str, key: tuple[str, str], session: bool
) -> None:
    user = f"r6-{key[0]}-{key[1]}-{len(message)}"
    scope = service.scope(user, project_id=project, run_id="s1" if session else None)
    service.remember(scope, stored)
    reply = service.chat(scope, message)
    assert key in users_needs(service, scope)
    if session:  # the question is pending: a plain "yes" next takes the need back
        assert reply.session is not None and reply.session.asked_retraction is not None
        assert reply.session.asked_retraction.need_id == key[0]
        plan = service.chat(scope, "Book dinner in Lyon tomorrow for 2").plan
        assert plan is not None and key in {(n.need_id, n.holder.casefold()) for n in plan.needs}


def test_end_to_end_yes_takes_the_need_back_after_the_question(service: ConciergeService, project: str) -> None:
    scope = service.scope("r6-yes", project_id=project, run_id="s1")
    service.remember(scope, "I am allergic to peanuts")
    service.chat(scope, "I'm not allergic to peanuts anymore. I think.")
    service.chat(scope, "yes")
    assert ("peanuts", "user") not in users_needs(service, scope)


@pytest.mark.parametrize("other", ["husband", "nephew"])
def test_end_to_end_yes_after_two_toms_takes_nothing_back(service: ConciergeService, project: str, other: str) -> None:
    scope = service.scope(f"r6-toms-{other}", project_id=project, run_id="s1")
    service.remember(scope, "My son Tom is allergic to eggs")
    service.remember(scope, f"My {other} Tom is allergic to eggs")
    before = sorted(n.need_id for n in service.user_needs(scope))
    reply = service.chat(scope, "Tom isn't allergic to eggs anymore. Did that work?")
    assert reply.session is None or reply.session.asked_retraction is None
    service.chat(scope, "yes")
    assert sorted(n.need_id for n in service.user_needs(scope)) == before == ["eggs", "eggs"]


# -- attack9 H4: a jest in the next turn takes a plain retraction back ---------------------------------------------
@pytest.mark.parametrize("jest", ["Just kidding!", "I lied.", "jk", "I was joking", "Nah, only joking, I still am"])
def test_a_jest_right_after_a_plain_retraction_brings_the_need_back(
    service: ConciergeService, project: str, jest: str
) -> None:
    scope = service.scope(f"jest-{abs(hash(jest))}", project_id=project, run_id="h4")
    service.remember(scope, "I am allergic to peanuts")
    service.chat(scope, "I'm not allergic to peanuts anymore")
    assert ("peanuts", "user") not in users_needs(service, scope)
    service.chat(scope, jest)
    assert ("peanuts", "user") in users_needs(service, scope)
    plan = service.chat(scope, "Book dinner in Lyon tomorrow for 2").plan
    assert plan is not None and "peanuts" in {n.need_id for n in plan.needs}


@pytest.mark.parametrize("jest", ["Just kidding!", "I lied."])
def test_a_jest_right_after_a_need_is_said_keeps_the_need(service: ConciergeService, project: str, jest: str) -> None:
    scope = service.scope(f"said-{abs(hash(jest))}", project_id=project, run_id="h4b")
    service.chat(scope, "I'm allergic to sesame")
    service.chat(scope, jest)
    assert ("sesame", "user") in users_needs(service, scope)
