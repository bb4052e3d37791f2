"""Needs said the way chat says them (issue: needs round 9).

1. A need said without a subject, with a remark to the assistant ("FYI", "just thought you should know"), a "since"
   phrase or an emoji, is stored as the user's need.
2. A first-person need with a consequence clause ("I use a wheelchair, so steps are a real problem for me") is a
   statement that stores the need, never a forget or an undo.
3. A need said with emphasis on whose it is ("it's our guest who is", "the vegan one is my brother") is that
   person's, not the user's.
4. Typos of contractions and short days: "..., were both vegitarians" is "we're" (the user and the wife); "alergic
   to tree nutts, dinner in Bolonga sat for 2" asks for dinner with the tree-nut need.

Checks are on typed fields: the (need, holder) pairs the stored facts hold, the request's intent, ``user_needs()``
and ``plan.needs`` end to end; never on wording.
"""

from __future__ import annotations

import pytest

from concierge.needs import active_needs
from concierge.offline.extraction import read_clauses
from concierge.request.spelling import corrected
from concierge.service import ConciergeService
from tests.request_reading import parse_at, shipped_places


def _held(message: str) -> set[tuple[str, str]]:
    """The (need, holder) pairs that hold after the facts the offline extraction stores for ``message``."""
    facts = read_clauses(message, None)[0]
    return {(n.need_id, n.holder) for n in active_needs(facts)}


def _service_needs(service: ConciergeService, scope: object) -> set[tuple[str, str]]:
    return {(n.need_id, n.holder) for n in service.user_needs(scope)}  # type: ignore[arg-type]


# -- 1. a need without a subject, with a remark, a "since" phrase or an emoji ---------------------------------------
SUBJECTLESS = [
    ("Lactose intolerant, just thought you should know.", "milk"),
    ("Vegetarian since 2015 🥦", "vegetarian"),
    ("Coeliac, FYI.", "gluten"),
    ("Vegan for 10 years now 🌱", "vegan"),
    ("Nut allergy, just so you're aware", "tree_nuts"),
    ("Pescatarian since college", "pescatarian"),
    ("Hard of hearing, btw", "hearing"),
    ("FYI: lactose intolerant", "milk"),
    ("Gluten-free, for the record 🙂", "gluten"),
    ("Vegan 🌱🌱", "vegan"),
    ("Coeliac btw", "gluten"),
    ("Shellfish allergy, just letting you know!", "crustaceans"),
]


@pytest.mark.parametrize(("said", "need"), SUBJECTLESS)
def test_a_subjectless_need_with_a_remark_or_emoji_is_the_users(said: str, need: str) -> None:
    held = _held(said)
    assert (need, "user") in held
    assert all(holder == "user" for _, holder in held)


# -- 2. a first-person need with a consequence clause is a statement of that need -----------------------------------
CONSEQUENCE = [
    ("I use a wheelchair, so steps are a real problem for me.", "wheelchair"),
    ("I use a wheelchair, so stairs are a real issue for me.", "wheelchair"),
    ("I use a wheelchair because stairs are impossible for me.", "wheelchair"),
    ("I'm coeliac, so gluten is a real problem for me.", "gluten"),
    ("I'm allergic to shellfish, so prawns are a big problem for me.", "crustaceans"),
    ("I'm deaf, so phone bookings don't work for me.", "hearing"),
    ("I'm vegan, so dairy is a no-go for me.", "vegan"),
    ("I'm lactose intolerant, so cheese is a problem for me.", "milk"),
]


@pytest.mark.parametrize(("said", "need"), CONSEQUENCE)
def test_a_need_with_a_consequence_clause_is_a_statement_that_keeps_it(said: str, need: str) -> None:
    places = shipped_places()
    message = corrected(said, [*places.cities, *places.cities.values()])
    assert parse_at(places, message).intent == "statement"
    assert (need, "user") in _held(message)


# -- 3. emphasis on whose need it is -------------------------------------------------------------------------------
WHOSE = [
    ("Neither of us is vegan, it's our guest who is. Dinner for 3 in Amsterdam tomorrow.", "vegan", "guest"),
    ("It's my wife who's coeliac, not me", "gluten", "wife"),
    ("the vegan one is my brother", "vegan", "brother"),
    ("The one with the nut allergy is my son", "tree_nuts", "son"),
    ("The one who's vegetarian is my sister", "vegetarian", "sister"),
    ("It's my husband who has the peanut allergy", "peanuts", "husband"),
    ("It is my daughter who is lactose intolerant", "milk", "daughter"),
    ("The halal one is my colleague", "halal", "colleague"),
    ("It's my mum who uses a wheelchair, not me", "wheelchair", "mum"),
]


@pytest.mark.parametrize(("said", "need", "holder"), WHOSE)
def test_a_need_said_with_emphasis_on_the_holder_is_theirs(said: str, need: str, holder: str) -> None:
    held = _held(said)
    assert (need, holder) in held
    assert not any(h == "user" for _, h in held)


def test_an_emphatic_sentence_that_states_no_need_is_left_as_said() -> None:
    assert _held("The cheap one is my favourite") == set()


# -- 4. typos of contractions and short days -------------------------------------------------------------------------
WERE = [
    "Can you find a dinner in Lyonn for me and my wiffe on friday, were both vegitarians",
    "Dinner in Lyon for me and my wife on Friday, were both vegetarian",
    "Table for me and my wife in Paris tomorrow, were both vegetarians",
    "me and my wife, were both vegetarian",
    "My wife and I are coming to Rome. were both vegetarians.",
    "Lunch for me and my wife in Madrid on Saturday, were both vegetarian please",
    "Me and my wife want dinner in Lisbon tonight; were both vegetarians",
    "Hotel in Berlin for me and my wife, were both vegetarian",
]


@pytest.mark.parametrize("said", WERE)
def test_were_at_the_head_of_a_clause_is_we_are(said: str) -> None:
    places = shipped_places()
    held = _held(corrected(said, [*places.cities, *places.cities.values()]))
    assert {("vegetarian", "user"), ("vegetarian", "wife")} <= held


SHORT_DAY = [
    "alergic to tree nutts, dinner in Bolonga sat for 2",
    "allergic to tree nuts, dinner in Rome sat for 2",
    "allergic to tree nuts, lunch in Paris sat at 1pm for 2",
    "allergic to tree nuts, dinner in Lyon sat night for 4",
    "allergic to tree nuts - dinner in Madrid fri for 3",
    "tree nut allergy, dinner in Berlin sun for 2",
    "allergic to tree nuts, dinner in Lisbon sat evening for 2",
    "allergic to tree nuts, brunch in Barcelona sun at 11 for 2",
]


@pytest.mark.parametrize("said", SHORT_DAY)
def test_a_need_then_a_booking_with_a_short_day_is_a_request_with_the_need(said: str) -> None:
    places = shipped_places()
    message = corrected(said, [*places.cities, *places.cities.values()])
    request = parse_at(places, message)
    assert request.intent == "dine"
    assert request.date is not None and request.date.weekday() in (4, 5, 6)
    assert ("tree_nuts", "user") in _held(message)


@pytest.mark.parametrize("said", ["We sat at the bar last time", "I sat for 2 hours at lunch"])
def test_sat_said_as_a_verb_stays_a_verb(said: str) -> None:
    assert "Saturday" not in corrected(said)


# -- end to end, through the service ---------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("said", "expected"),
    [
        ("Lactose intolerant, just thought you should know.", {("milk", "user")}),
        ("Coeliac, FYI.", {("gluten", "user")}),
        ("I use a wheelchair, so steps are a real problem for me.", {("wheelchair", "user")}),
        ("It's my wife who's coeliac, not me", {("gluten", "wife")}),
    ],
)
def test_end_to_end_the_need_is_stored_for_its_holder(
    service: ConciergeService, project: str, said: str, expected: set[tuple[str, str]]
) -> None:
    scope = service.scope("r9-told", project_id=project, run_id="s1")
    reply = service.chat(scope, said)
    assert reply.forgotten is None
    assert _service_needs(service, scope) == expected


def test_end_to_end_the_guests_need_is_applied_to_the_guest_not_the_user(
    service: ConciergeService, project: str
) -> None:
    scope = service.scope("r9-guest", project_id=project, run_id="s1")
    reply = service.chat(scope, "Neither of us is vegan, it's our guest who is. Dinner for 3 in Amsterdam tomorrow.")
    assert not any(n.holder == "user" for n in service.user_needs(scope))
    if reply.plan is not None:
        assert not any(n.holder == "user" and n.need_id == "vegan" for n in reply.plan.needs)


def test_end_to_end_were_both_vegetarians_is_the_user_and_the_wife(service: ConciergeService, project: str) -> None:
    scope = service.scope("r9-were", project_id=project, run_id="s1")
    reply = service.chat(scope, "Can you find a dinner in Lyonn for me and my wiffe on friday, were both vegitarians")
    assert reply.plan is not None
    assert {("vegetarian", "user"), ("vegetarian", "wife")} <= {(n.need_id, n.holder) for n in reply.plan.needs}


def test_end_to_end_a_need_then_a_short_day_booking_plans_with_the_need(
    service: ConciergeService, project: str
) -> None:
    scope = service.scope("r9-sat", project_id=project, run_id="s1")
    reply = service.chat(scope, "alergic to tree nutts, dinner in Bolonga sat for 2")
    assert reply.plan is not None
    assert ("tree_nuts", "user") in {(n.need_id, n.holder) for n in reply.plan.needs}
