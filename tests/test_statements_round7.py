"""Issue 21, round 7: news is stored and acknowledged and plans nothing; a request plans; a need said without a
subject beside a request is applied and stored alone, in the need's own words; a first message that says "also"
is a request of its own. Each class is checked on many phrasings and several users, by typed fields only."""

from __future__ import annotations

import datetime
import itertools

import pytest
from freezegun import freeze_time

from concierge.catalog.loader import load_catalog
from concierge.needs import detect_needs
from concierge.offline.parse import parse_request, read_meal
from concierge.reply import Reply
from concierge.request import CatalogPlaces, TurnRequest
from concierge.runtime_env import PROJECT_ROOT
from concierge.service import ConciergeService

SUNDAY = "2026-12-06 10:00"
_users = itertools.count()

# -- travel news: a subject tells of its plans, in any order, with dates, countries or cities --------------------------
TRAVEL_NEWS = [
    "Next summer we're doing a road trip through Portugal",
    "This autumn my wife and I are cycling across the Netherlands",
    "In March we're taking the kids to Japan",
    "Come April I'm spending two weeks in Greece with my sister",
    "We're driving around Spain next spring",
    "Later this year we are touring Italy by train",
    "My husband and I are doing a week in Lyon in June",
    "Next month we're off on a road trip through France",
    "We're spending New Year in Vienna with friends",
    "My parents and I are going to Mexico in February",
    "I'm lactose intolerant, and next spring we want to see the Netherlands",
]
# -- an occasion told, and a wish to spend it somewhere ------------------------------------------------------------
OCCASION_WISHES = [
    "Our anniversary is March 14 and we'd like to spend it in Paris",
    "My birthday is in June and I'd love to spend it in Lisbon",
    "Our tenth anniversary is coming up and we'd like to celebrate it in Rome",
    "My mum turns 60 in May and we'd like to take her to Seville",
    "It's our honeymoon next year and we'd love to spend it in Greece",
    "My wife's birthday is in October and we want to spend it in Kyoto",
    "Our wedding anniversary falls in July and we would like to spend it in Florence",
    "My dad retires in the spring and we'd love to take him to Porto",
    "I want to see Kyoto in cherry blossom season one day",
    "Some day I'd like to walk the streets of Naples",
]
# -- the future said plainly: "I'll be", "we'll be", "I'm going to be" ----------------------------------------------
FUTURE_BE = [
    "I'll be in Berlin from the 3rd to the 7th of next month.",
    "I'll be in Madrid next month for a conference",
    "We'll be in Tokyo from the 10th to the 15th of April",
    "I'll be in London for work the week after next",
    "We'll be staying with friends in Porto over Easter",
    "I'm going to be in Florence from the 2nd to the 6th of May",
    "We will be in Barcelona for a wedding in September",
    "I'll be in Amsterdam on business in March",
    "my partner will be in Athens for a week in June",
    "We'll be in Lisbon between the 12th and the 18th of May",
]
# -- a need said without a subject, beside news (statement; the need stored) ----------------------------------------
SUBJECTLESS_NEWS = [
    ("allergic to peanuts, heading to Rome in May", {"peanuts"}),
    ("coeliac, off to Lisbon next month", {"gluten"}),
    ("vegan btw, we're going to Tokyo in the spring", {"vegan"}),
    ("nut allergy, travelling to Greece in June", {"peanuts", "tree_nuts"}),
    ("Lactose intolerant. Visiting Porto in the autumn.", {"milk"}),
    ("gluten intolerant, travelling to Portugal in October", {"gluten"}),
    ("allergic to sesame, flying to Osaka in April", {"sesame"}),
    ("Pescatarian. Spending August in Seville.", {"pescatarian"}),
    ("egg allergy, visiting Berlin next week", {"eggs"}),
    ("halal - we're off to London at Easter", {"halal"}),
]
# -- a need said without a subject, beside a request (the request planned; the need applied and stored alone) -------
SUBJECTLESS_REQUESTS = [
    ("allergic to peanuts, lunch in Paris tomorrow for 2", {"peanuts"}, 2),
    ("coeliac, dinner in Rome on Friday for 4", {"gluten"}, 4),
    ("vegan - table for 2 in Lisbon tonight", {"vegan"}, 2),
    ("shellfish allergy. Dinner in Porto on Saturday for 3, please.", {"crustaceans", "molluscs"}, 3),
    ("allergic to sesame, breakfast in London tomorrow for 1", {"sesame"}, 1),
    ("Lactose intolerant fyi: lunch in Madrid on Sunday for 5", {"milk"}, 5),
    ("Allergic to sesame and soy. Lunch in Osaka on Friday, 3 people.", {"sesame", "soy"}, 3),
    ("allergic to mustard, dinner in Lyon on Saturday for 2", {"mustard"}, 2),
    ("egg allergy, breakfast in Tokyo tomorrow for 2", {"eggs"}, 2),
    ("vegetarian btw - dinner in Bologna tomorrow for 2", {"vegetarian"}, 2),
]
# -- a first message with "also" / "too" / "as well": a request of its own, with its party -------------------------
FIRST_WITH_ALSO = [
    ("also we're 3 for lunch in Naples tomorrow and I'm allergic to molluscs", "dine", 3),
    ("also, dinner in Paris tomorrow at 8 for two", "dine", 2),
    ("And also a table for 4 in Rome on Friday", "dine", 4),
    ("Dinner in Lyon tomorrow for 2, I'm also vegan", "dine", 2),
    ("I also need a hotel in Porto for 2 nights from Friday for 2", "stay", 2),
    ("Lunch in Milan on Sunday for 3 as well", "dine", 3),
    ("we also want lunch in Seville on Saturday for 6", "dine", 6),
    ("Oh and book a table in Tokyo on Friday for 2 too", "dine", 2),
    ("also we're 4 for dinner in Madrid on Saturday", "dine", 4),
    ("Another thing: lunch in Valencia tomorrow for 5", "dine", 5),
]
# -- requests that stay requests: a wish said alone with a month, a booking, an ask ---------------------------------
STILL_REQUESTS = [
    ("We want to visit Athens in May", "trip"),
    ("We want to visit Japan in the spring", "trip"),
    ("I'd like to book a dinner in Lisbon", "dine"),
    ("we'd like a table for two in Rome tonight", "dine"),
    ("We'd like to spend a week in Portugal in May, for 2", "trip"),
    ("Plan a trip to Spain in March", "trip"),
    ("a weekend in Lyon for two", "trip"),
    ("I'm in Paris tomorrow and need a table for 2", "dine"),
    ("Our anniversary is on Friday, can you book dinner in Paris for 2?", "dine"),
    ("we're two for lunch in Lyon tomorrow", "dine"),
    ("Lunch in Bordeaux on Tuesday for 2 I'm allergic to mustard", "dine"),  # a request opens it, unpunctuated
    ("Dinner in Rome tomorrow for 2 I'm vegan", "dine"),
]


@pytest.fixture(scope="module")
def places() -> CatalogPlaces:
    return CatalogPlaces(load_catalog(PROJECT_ROOT / "data" / "catalog"))


def _parse(places: CatalogPlaces, message: str) -> TurnRequest:
    with freeze_time(SUNDAY):
        return parse_request(message, now=datetime.datetime.now(), places=places)


def _chat(service: ConciergeService, project: str, message: str) -> Reply:
    """The message as the first of a named session (as every UI pane has), for a user of its own."""
    return service.chat(service.scope(f"r7-{next(_users)}", project_id=project, run_id="pane"), message)


def _user_needs(texts: list[str]) -> set[str]:
    return {n.need_id for text in texts for n in detect_needs(text) if n.holder == "user" and n.active}


def _assert_statement(reply: Reply) -> None:
    """Stored and acknowledged with what was stored; nothing planned, drafted or followed up."""
    assert reply.request.intent == "statement" and reply.follow_up is None
    assert reply.plan is None and reply.draft is None and reply.itinerary is None
    assert reply.memories_stored
    assert all(m.text in reply.answer for m in reply.memories_stored)


@pytest.mark.parametrize("message", TRAVEL_NEWS + OCCASION_WISHES + FUTURE_BE)
def test_news_about_the_users_plans_reads_as_a_statement(places: CatalogPlaces, message: str) -> None:
    request = _parse(places, message)
    assert request.intent == "statement" and request.party_size is None and request.date is None


@pytest.mark.parametrize("message", [TRAVEL_NEWS[0], TRAVEL_NEWS[9], OCCASION_WISHES[0], FUTURE_BE[0], FUTURE_BE[2]])
def test_news_told_to_a_named_session_is_stored_and_plans_nothing(
    service: ConciergeService, project: str, message: str
) -> None:
    _assert_statement(_chat(service, project, message))


@pytest.mark.parametrize(("message", "needs"), SUBJECTLESS_NEWS)
def test_a_subjectless_need_beside_news_is_a_statement_that_stores_the_need(
    service: ConciergeService, project: str, message: str, needs: set[str]
) -> None:
    reply = _chat(service, project, message)
    _assert_statement(reply)
    assert _user_needs([m.text for m in reply.memories_stored]) == needs


@pytest.mark.parametrize(("message", "needs", "party"), SUBJECTLESS_REQUESTS)
def test_a_subjectless_need_beside_a_request_is_applied_and_stored_without_the_request(
    service: ConciergeService, project: str, message: str, needs: set[str], party: int
) -> None:
    reply = _chat(service, project, message)
    assert reply.request.intent == "dine" and reply.request.party_size == party and reply.follow_up is None
    assert reply.plan is not None and {n.need_id for n in reply.plan.needs if n.holder == "user"} == needs
    stored = [m.text for m in reply.memories_stored]
    assert _user_needs(stored) == needs
    # the fact is the need alone: no place, day or meal of the request rides along
    assert all(service.places().find_in(text) is None and read_meal(text) is None for text in stored)


@pytest.mark.parametrize(("message", "intent", "party"), FIRST_WITH_ALSO)
def test_a_first_message_with_also_is_a_request_with_its_party(
    service: ConciergeService, project: str, message: str, intent: str, party: int
) -> None:
    reply = _chat(service, project, message)
    assert reply.follow_up is None and reply.request.intent == intent and reply.request.party_size == party
    assert reply.plan is not None
    assert not any(read_meal(m.text) for m in reply.memories_stored)  # the request itself is no fact


@pytest.mark.parametrize(("message", "intent"), STILL_REQUESTS)
def test_a_request_said_with_a_wish_or_a_subject_still_plans(places: CatalogPlaces, message: str, intent: str) -> None:
    assert _parse(places, message).intent == intent


@pytest.mark.parametrize(
    "message",
    [
        "I'd like a hotel in Barcelona next weekend too, for 2",
        "I also need a hotel in Porto for 2 nights from Friday for 2",
        "we also want lunch in Seville on Saturday for 6",
        "we'd love a table in Rome tonight for 4",
    ],
)
def test_a_wish_for_a_booking_is_not_stored_as_a_fact(message: str) -> None:
    from concierge.offline.extraction import extract_facts

    assert extract_facts(message, None, datetime.date(2026, 12, 6)) == []


def test_a_date_said_of_next_month_is_anchored_to_that_month() -> None:
    from concierge.offline.anchor import anchor_time

    said = anchor_time("User will be in Berlin from the 3rd to the 7th of next month", datetime.date(2026, 12, 6))
    assert said.endswith("of January 2027")


@pytest.mark.parametrize(
    ("told", "forget", "kept_need"),
    [
        ("going to Berlin in May", "remove the Berlin trip from your memory", None),
        ("I'm heading to Lisbon in June and I'm allergic to peanuts", "forget my Lisbon trip", "peanuts"),
        ("coeliac. We're visiting Rome in July", "delete the trip to Rome", "gluten"),
        ("vegan, flying to Tokyo in April", "please forget about my Tokyo holiday", "vegan"),
    ],
)
def test_a_trip_told_is_forgotten_by_its_topic_and_the_needs_stay(
    service: ConciergeService, project: str, told: str, forget: str, kept_need: str | None
) -> None:
    scope = service.scope(f"r7-{next(_users)}", project_id=project, run_id="pane")
    stored = service.chat(scope, told).memories_stored
    trip = [m for m in stored if service.places().find_in(m.text) is not None]
    assert len(trip) == 1
    reply = service.chat(scope, forget)
    assert reply.request.intent == "forget" and reply.forgotten is not None
    assert [r.id for r in reply.forgotten.deleted] == [trip[0].id]
    left = [r.text for r in service.memories(scope)]
    assert _user_needs(left) == ({kept_need} if kept_need else set())


@pytest.mark.parametrize(
    "message", ["I like breakfast places that open at 7", "we love restaurants with a terrace for 2 on Sundays"]
)
def test_a_taste_tied_to_an_hour_is_still_a_fact(message: str) -> None:
    from concierge.offline.extraction import extract_facts

    assert extract_facts(message, None, datetime.date(2026, 12, 6))
