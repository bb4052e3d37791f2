"""Round 9's kinds of turn: news told without a subject ("Thinking of doing Italy next summer") is stored, never
planned; a question about how things are done somewhere ("how late do people eat dinner in Madrid?") is answered,
never booked; a trip asked for with a place only suggested is a trip; a party said as "me plus three", "both of
us", or with a person named twice is counted right. Typed fields only."""

from __future__ import annotations

import datetime

import pytest
from freezegun import freeze_time

from concierge.catalog.loader import load_catalog
from concierge.offline.parse import parse_request
from concierge.request import CatalogPlaces, TurnRequest
from concierge.runtime_env import PROJECT_ROOT

SUNDAY = "2026-12-06 10:00"
DAUGHTER_TWICE = (
    "My daughter is allergic to eggs, I'm not. Breakfast in Valencia tomorrow for me, my wife and our daughter."
)


@pytest.fixture(scope="module")
def places() -> CatalogPlaces:
    return CatalogPlaces(load_catalog(PROJECT_ROOT / "data" / "catalog"))


def _parse(places: CatalogPlaces, message: str) -> TurnRequest:
    with freeze_time(SUNDAY):
        return parse_request(message, now=datetime.datetime.now(), places=places)


# -- 1. news told, not asked ------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "message",
    [
        "Thinking of doing Italy next summer, probably Rome and Florence.",
        "Hard of hearing, and currently planning a trip to Berlin for March.",
        "Allergic to eggs, staying in Seville for a week from Friday.",
        "Currently planning a trip to Lisbon for May.",
        "Thinking of doing Portugal in the spring, maybe Porto and Lisbon.",
        "We're off to Rome for a week in June, probably staying near the Pantheon.",
        "Thinking about a long weekend in Paris in April.",
        "Vegan, and heading to Berlin in March.",
        "Considering Greece next summer, maybe Athens and a couple of islands.",
    ],
)
def test_news_told_without_asking_is_a_statement(places: CatalogPlaces, message: str) -> None:
    assert _parse(places, message).intent == "statement"


@pytest.mark.parametrize(
    ("message", "intent"),
    [
        ("Plan a trip to Berlin in March.", "trip"),
        ("Can you find us a hotel in Seville from Friday?", "stay"),
        ("We need a hotel in Seville for a week.", "stay"),
        ("A trip to Lisbon next month.", "trip"),
        ("Hard of hearing, please plan a trip to Berlin for March.", "trip"),
        ("Allergic to eggs, can you find a hotel in Seville for a week from Friday?", "stay"),
        ("Staying in Seville for a week from Friday, need a hotel.", "stay"),
        ("Book dinner in Rome on Friday for 2.", "dine"),
    ],
)
def test_a_request_still_asks(places: CatalogPlaces, message: str, intent: str) -> None:
    assert _parse(places, message).intent == intent


# -- 2. a question about customs --------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "message",
    [
        "how late do people normally eat dinner in Madrid?",
        "what time do Spaniards eat lunch?",
        "is tipping expected in Lisbon?",
        "do restaurants in Rome close in August?",
        "What time do people have breakfast in Paris?",
        "When do Italians usually eat dinner?",
        "Are shops in Madrid closed on Sundays?",
        "Do locals eat lunch late in Seville?",
        "How much do people tip in Paris?",
    ],
)
def test_a_question_about_customs_is_answered_not_booked(places: CatalogPlaces, message: str) -> None:
    request = _parse(places, message)
    assert request.intent == "place_question"
    assert request.party_size is None


@pytest.mark.parametrize(
    ("message", "intent"),
    [
        ("Can you book dinner in Madrid tomorrow?", "dine"),
        ("Could my wife and I get a table in Rome on Friday?", "dine"),
        ("Can we get dinner in Madrid tomorrow at 9 for 2?", "dine"),
    ],
)
def test_a_question_asking_for_a_table_still_books(places: CatalogPlaces, message: str, intent: str) -> None:
    assert _parse(places, message).intent == intent


# -- 3. somewhere warm ------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("message", "party"),
    [
        ("I'd like somewhere warm in February for a week, me and my wife - maybe Spain?", 2),
        ("We'd like somewhere sunny in March for 5 days, the two of us - perhaps Portugal?", 2),
        ("I want somewhere warm for a week in January with my husband, maybe Greece?", 2),
        ("Looking for somewhere hot in April for a week, 4 of us - Italy maybe?", 4),
        ("Can you find us somewhere warm in February for a week for 2, maybe Spain?", 2),
        ("I'd like somewhere sunny for a week in March, just me - maybe Portugal?", 1),
        ("We need somewhere warm for 10 days in February, me and my partner, possibly Spain?", 2),
        ("I'd love somewhere warm in November for a week, me, my wife and my son - maybe Spain?", 3),
    ],
)
def test_a_trip_asked_for_with_a_place_suggested_is_a_trip(places: CatalogPlaces, message: str, party: int) -> None:
    request = _parse(places, message)
    assert (request.intent, request.party_size) == ("trip", party)


@pytest.mark.parametrize(
    "message",
    ["What's the weather like in Spain in February?", "Is Portugal warm in March?", "how warm does Nice get in march?"],
)
def test_a_question_about_a_places_weather_stays_a_question(places: CatalogPlaces, message: str) -> None:
    assert _parse(places, message).intent == "place_question"


@pytest.mark.parametrize(
    "message",
    ["Where's somewhere warm to go in February?", "Where is warm in January?", "Anywhere sunny to go in March?"],
)
def test_where_is_warm_suggests_places_without_a_party(places: CatalogPlaces, message: str) -> None:
    request = _parse(places, message)
    assert request.intent == "trip" and request.place is None and request.climate is not None


# -- 4. the party -----------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("message", "party"),
    [
        ("lunch in Valencia tomorrow, me plus three", 4),
        ("lunch in Valencia tomorrow, me + 2", 3),
        ("lunch in Valencia tomorrow for myself and three others", 4),
        ("dinner in Valencia tomorrow, me and 3 friends", 4),
        ("dinner in Rome on Friday for me and two colleagues", 3),
        ("table in Rome tomorrow, me plus 4 more", 5),
        ("book lunch in Madrid tomorrow for me & 2 others", 3),
        ("dinner in Paris on Saturday, myself plus three people", 4),
        ("Lunch for both of us in Bologna on Wednesday", 2),
        ("Dinner for the pair of us in Rome on Friday", 2),
        ("Dinner for the two of us in Rome on Friday", 2),
        ("book a table in Madrid tomorrow for the both of us", 2),
        ("lunch in Lyon on Sunday, just us two", 2),
        (DAUGHTER_TWICE, 3),
        ("My son is vegan. Dinner in Rome on Friday for me, my husband and our son.", 3),
        ("My wife is coeliac. Lunch in Madrid tomorrow with my wife, my mum and my dad.", 4),
        ("Breakfast in Valencia tomorrow for me, my wife and our daughter.", 3),
        ("dinner for 2 in Madrid on Friday", 2),
    ],
)
def test_the_party_is_counted_once_each(places: CatalogPlaces, message: str, party: int) -> None:
    request = _parse(places, message)
    assert (request.intent, request.party_size) == ("dine", party)
