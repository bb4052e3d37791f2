"""The typed request: many phrasings per field, "now" frozen with freezegun, and a real model's arguments.

"Now" is Wednesday 25 November 2026, 15:30 unless a test says otherwise.
"""

from __future__ import annotations

import datetime
from typing import Any

import pytest

from concierge.request import (
    CatalogPlaces,
    RequestArgumentsError,
    TurnRequest,
    arguments_json_schema,
)
from concierge.request.arguments import ARGUMENT_FIELDS
from tests.request_reading import args_at as _args
from tests.request_reading import parse_at as _parse
from tests.request_reading import shipped_places


@pytest.fixture(scope="module")
def places() -> CatalogPlaces:
    return shipped_places()


D = datetime.date
T = datetime.time


# -- dates ----------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("message", "day"),
    [
        ("Dinner in Lyon tomorrow evening", D(2026, 11, 26)),
        ("A table in Rome this Sunday", D(2026, 11, 29)),
        ("Lunch in Porto on Friday at 1pm", D(2026, 11, 27)),
        ("Book us dinner for 2 in Paris on the 14th", D(2026, 12, 14)),
        ("Can we get a table for 2 in Madrid tonight?", D(2026, 11, 25)),
        ("Dinner in Lisbon the day after tomorrow", D(2026, 11, 27)),
        ("A hotel in Seville this weekend", D(2026, 11, 27)),  # a stay over the weekend: Friday to Sunday
        ("Dinner in Seville this weekend", D(2026, 11, 28)),  # a meal at the weekend: its Saturday
        ("A hotel in Seville next weekend", D(2026, 12, 4)),
        ("Dinner in Naples on 3 December", D(2026, 12, 3)),
        ("Christmas Eve dinner in Rome, December 24th", D(2026, 12, 24)),
        ("I need a table in Milan on 24/12", D(2026, 12, 24)),
        ("Find us a restaurant for 2 in Berlin in two weeks", D(2026, 12, 9)),
        ("Dinner in London this Wednesday", D(2026, 11, 25)),
        ("A flat in Faro from 14 March", D(2027, 3, 14)),
        ("A trip to Kyoto in March, arriving on the 14th", D(2027, 3, 14)),
        ("Book a table in Athens for tomorrow night", D(2026, 11, 26)),
        ("Dinner on Monday the 7th in Rome", D(2026, 12, 7)),
        ("Lunch on Sat in Lisbon", D(2026, 11, 28)),
        ("Two weeks from now, a hotel in Athens", D(2026, 12, 9)),
        ("Dinner in Rome on 20.12", D(2026, 12, 20)),
        ("table for two tmrw 8pm in Granada", D(2026, 11, 26)),
        ("A romantic dinner in Paris on Valentine's day", D(2027, 2, 14)),
    ],
)
def test_dates_resolve_against_now(places: CatalogPlaces, message: str, day: datetime.date) -> None:
    request = _parse(places, message)
    assert request.date == day, request
    assert request.problems == ()


def test_relative_dates_move_with_now(places: CatalogPlaces) -> None:
    assert _parse(places, "Dinner in Rome tomorrow", now="2027-03-31 10:00").date == D(2027, 4, 1)
    assert _parse(places, "Dinner in Rome on the 2nd", now="2027-03-31 10:00").date == D(2027, 4, 2)
    assert _parse(places, "Dinner in Rome on the 31st", now="2027-03-31 10:00").date == D(2027, 3, 31)
    assert _parse(places, "A trip to Lisbon next month", now="2026-12-10 09:00").month == 1
    assert _parse(places, "A trip to Lisbon next month").month == 12


@pytest.mark.parametrize(
    ("message", "month"),
    [
        ("A trip to Lisbon next month", 12),
        ("Plan a trip to Tokyo in April", 4),
        ("We want to visit Athens in May", 5),
        ("A week in Seville in October", 10),
        ("Somewhere warm in December", 12),
        ("Plan a holiday in Kyoto during November", 11),
    ],
)
def test_a_month_without_a_day_is_a_month_not_a_date(places: CatalogPlaces, message: str, month: int) -> None:
    request = _parse(places, message)
    assert (request.month, request.date) == (month, None)


# -- times ----------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("message", "clock"),
    [
        ("Friday at 8pm in Lyon, table for 2", T(20, 0)),
        ("Dinner tonight at 7.30 in Porto", T(19, 30)),
        ("Dinner at half past seven in Rome", T(19, 30)),
        ("Lunch at noon tomorrow in Madrid", T(12, 0)),
        ("A table in Paris at 20:15", T(20, 15)),
        ("Dinner at quarter to eight in Nice", T(19, 45)),
        ("Dinner at 19h30 in Bordeaux", T(19, 30)),
        ("Breakfast at 8 tomorrow in London", T(8, 0)),
        ("Brunch at 11 on Sunday in Berlin", T(11, 0)),
        ("Lunch at 1 in Florence", T(13, 0)),
        ("Dinner at seven thirty in Milan", T(19, 30)),
        ("A table in Tokyo at 9 in the morning", T(9, 0)),
        ("Dinner in Kyoto at 8 o'clock", T(20, 0)),
        ("Table for 4 at 8 in Osaka", T(20, 0)),
        ("Dinner around 7ish in Madrid", T(19, 0)),
        ("Dinner around half seven in London", T(19, 30)),
        ("I am vegan. Dinner in Lyon tomorrow at 8", T(20, 0)),  # "am" is the verb, not a.m.
        ("I am coeliac, a table in Porto at 9", T(21, 0)),
        ("Breakfast in Paris at 9 a.m.", T(9, 0)),
    ],
)
def test_times(places: CatalogPlaces, message: str, clock: datetime.time) -> None:
    request = _parse(places, message)
    assert request.time == clock, request
    assert request.problems == ()


# -- meals ----------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("message", "meal"),
    [
        ("Breakfast in Paris tomorrow", "breakfast"),
        ("Brunch in Porto this Sunday", "brunch"),
        ("Lunch in Madrid on Friday", "lunch"),
        ("Dinner in Lyon tomorrow", "dinner"),
        ("Supper for two in Naples", "dinner"),
        ("An evening meal in Athens for 3", "dinner"),
        ("Book a table in Rome at 1pm", "lunch"),
        ("A table in Lisbon at 8am", "breakfast"),
        ("A table in Seville at 9pm", "dinner"),
        ("Somewhere to eat in Valencia tonight", "dinner"),
        ("A table in Kyoto tomorrow morning", "breakfast"),
        ("A table in Bologna at 11am on Sunday", "brunch"),
        ("Lunchtime table in Milan for 2", "lunch"),
    ],
)
def test_meals_from_words_and_times(places: CatalogPlaces, message: str, meal: str) -> None:
    request = _parse(places, message)
    assert (request.intent, request.meal) == ("dine", meal), request


def test_breakfast_at_a_guesthouse_is_not_a_meal_booking(places: CatalogPlaces) -> None:
    for message in ("A bed and breakfast in Porto for 2 nights", "A hotel in Lisbon with breakfast included"):
        request = _parse(places, message)
        assert (request.intent, request.meal) == ("stay", None), message


# -- party sizes and nights -----------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("message", "party"),
    [
        ("Table for 4 in Lyon tomorrow", 4),
        ("A table for two in Rome tonight", 2),
        ("A party of six in Madrid on Friday", 6),
        ("Dinner in Paris for my wife and me", 2),
        ("Dinner in Porto for me and my two kids", 3),
        ("My wife and I with our two kids need dinner in Nice", 4),
        ("We're coming to Lisbon with our two kids, a table please", 4),
        ("Just me, lunch in Milan tomorrow", 1),
        ("A hotel in Barcelona for 2 adults and 2 children", 4),
        ("There will be five of us, dinner in Athens", 5),
        ("We are 3, dinner in Berlin tonight", 3),
        ("Dinner in London with my parents on Saturday", 3),
        ("Lunch in Kyoto with a friend", 2),
        ("A table for one in Tokyo", 1),
        ("Dinner in New York, bringing my boss and two clients", 4),
        ("Brunch in Valencia for my husband, my mother and me", 3),
        ("Dinner for 4 at 8pm in Seville", 4),
        ("Dinner 4 ppl Rome tonight", 4),
        ("Me and the wife, dinner in Valencia", 2),
        ("Plan a dinner for me in Paris tomorrow", 1),
        ("Book a hotel in Rome for myself next week", 1),
        ("Dinner in Lyon for me and my wife", 2),
        ("Dinner in Porto for me, my wife and our son", 3),
    ],
)
def test_party_sizes(places: CatalogPlaces, message: str, party: int) -> None:
    request = _parse(places, message)
    assert request.party_size == party, request
    assert request.problems == ()


def test_an_uncountable_party_is_left_unknown_not_guessed(places: CatalogPlaces) -> None:
    for message in (
        "Dinner in Rome with friends",
        "A hotel in Porto with the kids",
        "Dinner in Lyon tomorrow",
        "Book dinner in Rome for me and my friends",  # "for me" with others after it is not a party of one
        "Can you book us a dinner in Paris, for me it's a birthday",
    ):
        assert _parse(places, message).party_size is None, message


@pytest.mark.parametrize(
    ("message", "nights", "party"),
    [
        ("A hotel in Seville for three nights", 3, None),
        ("An apartment in Lisbon for 2 nights for 2 people", 2, 2),
        ("A hotel in Rome for 4 nights, for 2", 4, 2),
        ("A flat in Porto for a week", 7, None),
        ("A house in Nice for a fortnight for six people", 14, 6),
        ("A hotel in Barcelona from 3 to 6 December for 4", 3, 4),
        ("A three-night stay in Madrid for two", 3, 2),
        ("A long weekend in Florence for 2", 3, 2),
        ("5 nights in Athens for 3 adults", 5, 3),
        ("A guesthouse in Granada for a couple of nights", 2, None),
        ("We need a hotel in Tokyo from Friday to Sunday", 2, None),
        ("A trip to Kyoto for 10 days", 9, None),
    ],
)
def test_nights_are_not_people(places: CatalogPlaces, message: str, nights: int, party: int | None) -> None:
    request = _parse(places, message)
    assert request.intent in {"stay", "trip"}
    assert (request.nights, request.party_size) == (nights, party), request


# -- intents --------------------------------------------------------------------------------------------------------
INTENT_CASES = {
    "dine": [
        "Plan a dinner for me tomorrow for two",
        "Book dinner in Lyon tomorrow evening for 4",
        "Any good tapas in Seville?",
        "Lunch in Madrid at 1pm",
        "I'm allergic to nuts. Book dinner in Lyon tomorrow",
        "Sushi tonight at half past seven",
        "Can you find us a table in Rome on Saturday?",
        "Brunch in Porto this Sunday for my wife and me",
        "Where can we eat in Florence tonight?",
        "I'd like a vegan restaurant in Berlin",
        "Table for two at 8",
    ],
    "stay": [
        "A hotel in Seville for three nights",
        "I'm looking for a house in France",
        "Find us an apartment in Lisbon for a week",
        "We need somewhere to stay in Kyoto from Friday to Sunday",
        "Book a guesthouse in Granada for 2 nights",
        "Any hotels in Paris with step-free access?",
        "A villa in Tuscany in June for 6 people",
        "Can you get me a room in London on the 14th?",
        "A B&B in Porto with breakfast included",
        "I want to rent a flat in Barcelona",
    ],
    "trip": [
        "Plan a trip to Lisbon next month",
        "Somewhere warm in December?",
        "I'd like to fly to Buenos Aires in April",
        "Where should I go in April?",
        "We want to visit Japan in the spring",
        "Plan a weekend away in Amsterdam",
        "Any recommendations in Lisbon?",
        "Help me plan a honeymoon in Greece",
        "Thinking of a holiday in Mexico, can you plan it?",
        "A trip to Reykjavik, please",
        "Plan a 4-night trip to Athens in May",
    ],
    "memory_question": [
        "What do you remember about me?",
        "what do you know about me",
        "What have I told you?",
        "What did I tell you about my diet?",
        "Do you remember me?",
        "Show me my memories",
        "What are my preferences?",
        "What do you know of me so far?",
        "Tell me what you know about me",
        "remind me what I told you last time",
        "what do u remember about me",
    ],
    "statement": [
        "Thinking of a holiday in Mexico",  # news, not a request (set 9's writer: "Thinking of doing Italy ...")
        "I'm allergic to nuts and I love Lyon",
        "I'm vegan",
        "Hi, I'm Ana and I'm vegan",
        "I love Italian food",
        "We had dinner in Lyon last Friday",
        "My husband uses a wheelchair",
        "I prefer aisle seats on flights",
        "I live in a house in Lyon",
        "My favourite restaurant in Paris is a small bistro",
        "I once hosted a party for 500 people",
        "I love reading",
    ],
    "chit_chat": [
        "hi!",
        "thanks",
        "how are you",
        "Hello there",
        "ok thanks, bye",
        "Thank you so much!",
        "good morning",
        "Can you help me?",
        "have a nice day",
        "What can you do?",
        "cheers mate",
    ],
}


@pytest.mark.parametrize(
    ("intent", "message"), [(intent, message) for intent, messages in INTENT_CASES.items() for message in messages]
)
def test_intents(places: CatalogPlaces, intent: str, message: str) -> None:
    assert _parse(places, message).intent == intent


def test_non_requests_carry_no_booking_fields(places: CatalogPlaces) -> None:
    for message in INTENT_CASES["statement"] + INTENT_CASES["memory_question"] + INTENT_CASES["chit_chat"]:
        request = _parse(places, message)
        assert (request.date, request.time, request.meal, request.party_size, request.nights) == (None,) * 5, message
        assert request.problems == (), message


# -- places ---------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("message", "city", "country"),
    [
        ("Dinner in Séville tomorrow", "Seville", "Spain"),
        ("Dinner in Seville tomorrow", "Seville", "Spain"),
        ("Lisbon for two tonight", "Lisbon", "Portugal"),
        ("A nice dinner in Lyon", "Lyon", "France"),
        ("Dinner in Nice on Friday", "Nice", "France"),
        ("A hotel in the Netherlands", None, "Netherlands"),
        ("A trip to Japan in April", None, "Japan"),
        ("A villa in the Algarve", "Faro", "Portugal"),
        ("Dinner in New York on Saturday", "New York", "United States"),
        ("Tacos in Mexico City", "Mexico City", "Mexico"),
        ("A hotel in Brooklyn", "New York", "United States"),
        ("Ramen in Shinjuku tonight", "Tokyo", "Japan"),
        ("Pizza in Napoli", "Naples", "Italy"),
        ("A week in Lisboa", "Lisbon", "Portugal"),
        ("I love Paris. Dinner in Rome?", "Rome", "Italy"),
        ("Kyōto in November", "Kyoto", "Japan"),
    ],
)
def test_catalog_places(places: CatalogPlaces, message: str, city: str | None, country: str) -> None:
    place = _parse(places, message).place
    assert place is not None and place.in_catalog, message
    assert (place.city, place.country) == (city, country)


@pytest.mark.parametrize(
    ("message", "said", "country"),
    [
        ("Dinner in Oslo tomorrow for 2", "Oslo", "Norway"),
        ("A trip to Reykjavik in March", "Reykjavik", "Iceland"),
        ("We're flying to Norway in May", "Norway", "Norway"),
        ("A weekend in Buenos Aires", "Buenos Aires", "Argentina"),
        ("A hotel in Split for 3 nights", "Split", "Croatia"),
        ("Dinner in Reading on Friday", "Reading", "United Kingdom"),
        ("A trip to Scotland", "Scotland", "United Kingdom"),
        ("A road trip to California", "California", "United States"),
        ("Lunch in Toulouse tomorrow", "Toulouse", "France"),
        ("I love Paris. Dinner in Oslo?", "Oslo", "Norway"),
        ("Sushi in Sapporo", "Sapporo", "Japan"),
        ("A hotel in vienna", "vienna", "Austria"),
        ("An Edinburgh weekend", "Edinburgh", "United Kingdom"),
        ("Is Oslo any good for a weekend break?", "Oslo", "Norway"),
    ],
)
def test_places_outside_the_catalog_are_named_not_replaced(
    places: CatalogPlaces, message: str, said: str, country: str
) -> None:
    place = _parse(places, message).place
    assert place is not None, message
    assert (place.said, place.country, place.in_catalog, place.city) == (said, country, False, None)


@pytest.mark.parametrize(
    "message",
    [
        "I love reading",
        "Nice to meet you",
        "Let's split the bill",
        "Send it to my mobile",
        "I need a bath",
        "Talk to Sofia about it",
        "Dinner at 8 for the four of us",
        "Somewhere warm in December",
        "I'm vegan, I'm from nowhere in particular",
        "A table in March for 2",
        "That was a nice hotel",
        "I'd like a turkey sandwich",
        "Dinner with Charlotte tomorrow",
        "Hi Sofia!",
        "My friend Santiago is vegan",
    ],
)
def test_everyday_words_are_not_places(places: CatalogPlaces, message: str) -> None:
    assert _parse(places, message).place is None


def test_resolve_and_nearest_covered(places: CatalogPlaces) -> None:
    oslo = places.resolve("Oslo, Norway")
    assert oslo is not None and (oslo.country, oslo.in_catalog) == ("Norway", False)
    seville = places.resolve("Séville")
    assert seville is not None and (seville.city, seville.in_catalog) == ("Seville", True)
    assert places.resolve("the Algarve") is not None
    assert places.resolve("  ") is None
    toulouse = places.resolve("Toulouse")
    assert toulouse is not None
    nearest = places.nearest_covered(toulouse)
    french = {city for city, country in places.cities.items() if country == "France"}
    assert nearest and nearest[0] == "Bordeaux" and set(nearest) <= french
    assert places.nearest_covered(oslo)[:1] == ("Berlin",)
    norway = places.resolve("Norway")
    assert norway is not None and places.nearest_covered(norway)[:1] == ("Berlin",)
    argentina = places.resolve("Argentina")
    assert argentina is not None and places.nearest_covered(argentina)[:1] == ("Mexico City",)


# -- vague wishes ---------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("message", "climate", "month"),
    [
        ("Somewhere warm in December", "warm", 12),
        ("somewhere warm in December?", "warm", 12),
        ("I want somewhere sunny in March", "sunny", 3),
        ("Anywhere hot in January?", "warm", 1),
        ("A warm place for a holiday in February", "warm", 2),
        ("Somewhere to escape the cold in January", "warm", 1),
        ("Where can we go that's warm in November?", "warm", 11),
        ("Somewhere cool in August, please", "cool", 8),
        ("A sunny getaway next month", "sunny", 12),
        ("Somewhere with sunshine in April", "sunny", 4),
        ("Any ideas for a warm destination in winter, say December?", "warm", 12),
        ("Escape the heat in July", "cool", 7),
    ],
)
def test_vague_wishes(places: CatalogPlaces, message: str, climate: str, month: int) -> None:
    request = _parse(places, message)
    assert (request.intent, request.place, request.climate, request.month) == ("trip", None, climate, month)


def test_a_past_day_told_is_a_statement_not_a_request(places: CatalogPlaces) -> None:
    for message in ("I had dinner in Paris yesterday", "We loved the hotel in Lisbon last week"):
        assert _parse(places, message).intent == "statement"


@pytest.mark.parametrize("message", ["what do u know abt me", "what have you kept about me?"])
def test_more_memory_questions(places: CatalogPlaces, message: str) -> None:
    assert _parse(places, message).intent == "memory_question"


# A question about the user's needs is a needs question (issue 21), answered from the needs enforced for them.
@pytest.mark.parametrize("message", ["What allergies do I have?", "What needs do I have?"])
def test_a_question_about_my_needs_is_a_needs_question(places: CatalogPlaces, message: str) -> None:
    assert _parse(places, message).intent == "needs_question"


# -- bad input ------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("message", "field"),
    [
        ("Dinner in Rome on the 45th", "date"),
        ("Dinner in Rome on the 32nd", "date"),
        ("A table in Paris on February 30", "date"),
        ("A hotel in Lisbon on 31/02", "date"),
        ("Dinner in Lyon on 3 March 2025", "date"),
        ("Table for 0 in Rome", "party_size"),
        ("Dinner for 500 in Rome tomorrow", "party_size"),
        ("A table for 21 in Madrid", "party_size"),
        ("Dinner in Porto at 25:00", "time"),
        ("Dinner in Porto at 13pm", "time"),
        ("Lunch in Milan at 7:75", "time"),
        ("A hotel in Seville for 90 nights", "nights"),
        ("Dinner in Paris yesterday for 2", "date"),
        ("A table in Rome last Friday", "date"),
    ],
)
def test_bad_input_is_one_clear_problem_not_a_guess(places: CatalogPlaces, message: str, field: str) -> None:
    request = _parse(places, message)
    assert request.intent in {"dine", "stay"}
    assert getattr(request, field) is None
    assert len(request.problems) == 1
    problem = request.problems[0]
    assert problem.endswith(".") and "\n" not in problem and len(problem) < 200
    assert any(hint in problem for hint in ("say", "Say"))  # names the fix


def test_the_rest_of_a_request_with_bad_input_is_kept(places: CatalogPlaces) -> None:
    request = _parse(places, "Dinner for 500 in Rome tomorrow at 8pm")
    assert (request.place and request.place.city, request.date, request.time) == ("Rome", D(2026, 11, 26), T(20))


# -- budget, kind, cuisine ------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("message", "level"),
    [
        ("Somewhere cheap to eat in Lisbon tonight", 1),
        ("An affordable dinner in Paris", 1),
        ("A mid-range restaurant in Rome tomorrow", 2),
        ("Dinner in Madrid, not too expensive", 2),
        ("A fancy dinner in London for our anniversary", 3),
        ("Fine dining in Paris on Saturday", 4),
        ("A Michelin-starred lunch in Tokyo", 4),
        ("Dinner in Lyon tomorrow", None),
    ],
)
def test_restaurant_budget(places: CatalogPlaces, message: str, level: int | None) -> None:
    assert _parse(places, message).budget_level == level


@pytest.mark.parametrize(
    ("message", "kind", "per_night"),
    [
        ("A hotel in Lisbon under 150 euros a night", "hotel", 150),
        ("An apartment in Porto, max €120 per night, for 3 nights", "apartment", 120),
        ("A villa in Nice for a week, 300/night", "house", 300),
        ("A B&B in Granada for 2 nights", "guesthouse", None),
        ("An airbnb in Berlin for 100-140 € a night", "apartment", 140),
    ],
)
def test_stay_kind_and_budget(places: CatalogPlaces, message: str, kind: str, per_night: int | None) -> None:
    request = _parse(places, message)
    assert (request.intent, request.stay_kind, request.budget_per_night_eur) == ("stay", kind, per_night)


def test_cuisine(places: CatalogPlaces) -> None:
    assert _parse(places, "Sushi in Tokyo tonight").cuisine == "sushi"
    assert _parse(places, "An Italian restaurant in London for 2").cuisine == "italian"
    assert _parse(places, "Tapas in Seville on Friday").cuisine == "tapas"
    assert _parse(places, "Dinner in Lyon tomorrow").cuisine is None


# -- a real model's tool arguments ----------------------------------------------------------------------------------
def test_arguments_fill_the_same_typed_request(places: CatalogPlaces) -> None:
    request = _args(
        places,
        {"intent": "dine", "place": "Séville", "date": "tomorrow", "time": "8pm", "party_size": 4, "cuisine": "tapas"},
    )
    assert request.place is not None and (request.place.city, request.place.in_catalog) == ("Seville", True)
    assert (request.date, request.time, request.meal, request.party_size) == (D(2026, 11, 26), T(20), "dinner", 4)
    iso = _args(places, {"intent": "stay", "place": "Lisbon", "date": "2026-12-03", "nights": "3", "month": "December"})
    assert (iso.date, iso.nights, iso.month) == (D(2026, 12, 3), 3, 12)
    words = _args(places, {"intent": "dine", "party_size": "four", "time": "half past seven", "meal": "dinner"})
    assert (words.party_size, words.time) == (4, T(19, 30))


def test_arguments_resolve_places_outside_the_catalog(places: CatalogPlaces) -> None:
    oslo = _args(places, {"intent": "dine", "place": "Oslo"}).place
    assert oslo is not None and (oslo.in_catalog, oslo.country, oslo.city) == (False, "Norway", None)
    unknown = _args(places, {"intent": "trip", "place": "Narnia"}).place
    assert unknown is not None and (unknown.in_catalog, unknown.country, unknown.said) == (False, None, "Narnia")


@pytest.mark.parametrize(
    ("arguments", "field"),
    [
        ({"intent": "dine", "party_size": 500}, "party_size"),
        ({"intent": "dine", "party_size": 0}, "party_size"),
        ({"intent": "stay", "nights": 90}, "nights"),
        ({"intent": "dine", "date": "the 45th"}, "date"),
        ({"intent": "dine", "date": "2026-02-30"}, "date"),
        ({"intent": "dine", "date": "2025-01-01"}, "date"),
        ({"intent": "dine", "time": "25:00"}, "time"),
    ],
)
def test_bad_values_from_a_model_become_problems(places: CatalogPlaces, arguments: dict[str, Any], field: str) -> None:
    request = _args(places, arguments)
    assert getattr(request, field) is None
    assert len(request.problems) == 1


@pytest.mark.parametrize(
    ("arguments", "match"),
    [
        ({"intent": "dine", "venue": "x"}, "unknown argument.*venue"),
        ({"intent": "dine", "problems": ["x"]}, "unknown argument.*problems"),
        ({"intent": "book"}, "intent must be one of"),
        ({"place": "Rome"}, "intent must be one of"),
        ({"intent": "dine", "party_size": "lots"}, "party_size"),
        ({"intent": "dine", "meal": "elevenses"}, "meal"),
        ({"intent": "dine", "budget_level": 9}, "budget_level"),
        ({"intent": "dine", "place": {"city": "Rome"}}, "place"),
        ({"intent": "trip", "month": "Smarch"}, "month"),
    ],
)
def test_arguments_that_are_not_the_tools_are_refused(
    places: CatalogPlaces, arguments: dict[str, Any], match: str
) -> None:
    with pytest.raises(RequestArgumentsError, match=match):
        _args(places, arguments)


def test_argument_schema_lists_exactly_the_accepted_arguments() -> None:
    schema = arguments_json_schema()
    assert set(schema["properties"]) == set(ARGUMENT_FIELDS) and schema["additionalProperties"] is False
    assert "problems" not in schema["properties"] and schema["required"] == ["intent"]


def test_turn_request_validates_itself() -> None:
    with pytest.raises(ValueError):
        TurnRequest(intent="dine", party_size=500)
    with pytest.raises(ValueError):
        TurnRequest(intent="dine", surprise=True)  # type: ignore[call-arg]
    request = TurnRequest(intent="dine", party_size=2)
    with pytest.raises(ValueError):
        request.party_size = 3  # type: ignore[misc]


@pytest.mark.parametrize(
    ("message", "cuisine"),
    [
        ("I'm allergic to fish. Dinner in Lyon tomorrow at 8pm for two", None),
        ("no seafood for me please, dinner in Paris", None),
        ("my son can't have fish, lunch in Lisbon", None),
        ("seafood dinner in Lyon tomorrow", "seafood"),
        ("no seafood for me, Italian tonight in Rome", "italian"),
        ("I'm vegan, something Japanese in Tokyo", "japanese"),
    ],
)
def test_a_food_named_in_a_need_is_not_a_cuisine_wish(message: str, cuisine: str | None) -> None:
    from concierge.offline.parse import read_cuisine

    assert read_cuisine(message) == cuisine


# -- issue 24, item 12: a count or day nobody can book is one problem, never a silent default --
@pytest.mark.parametrize(
    ("message", "field", "said"),
    [
        ("Book dinner in Lyon tomorrow for -3", "party_size", "-3"),
        ("Book dinner in Lyon tomorrow for -3 people", "party_size", "-3"),
        ("Book dinner in Lyon tomorrow for 2.5 people", "party_size", "2.5"),
        ("A party of 100000 in Lyon tomorrow", "party_size", "100000"),
        ("Plan a 100000-day trip to Lyon", "nights", "100000 days"),
        ("Plan a trip to Lyon for 100000 days", "nights", "100000 days"),
        ("A hotel in Lyon for 1.5 nights", "nights", "1.5 nights"),
        ("Book dinner in Lyon on 1 January 9999 for 2", "date", "9999"),
        ("Dinner in Lyon on 9999-12-31 for 2", "date", "9999"),
    ],
)
def test_impossible_counts_and_far_dates_are_one_problem_each(
    places: CatalogPlaces, message: str, field: str, said: str
) -> None:
    request = _parse(places, message)
    assert len(request.problems) == 1 and said in request.problems[0]
    assert getattr(request, field) is None  # refused, not replaced by a default


@pytest.mark.parametrize(
    ("message", "party"),
    [("Table for 7.30 in Lyon tomorrow for 2", 2), ("Dinner in Lyon tomorrow for 4", 4)],
)
def test_times_and_plain_counts_are_not_odd_counts(places: CatalogPlaces, message: str, party: int) -> None:
    request = _parse(places, message)
    assert request.problems == () and request.party_size == party


def test_a_model_argument_date_too_far_ahead_is_a_problem(places: CatalogPlaces) -> None:
    request = _args(places, {"intent": "dine", "place": "Lyon", "date": "9999-01-01"})
    assert request.date is None and len(request.problems) == 1 and "9999" in request.problems[0]


@pytest.mark.parametrize(
    ("message", "field"),
    [
        ("Book dinner in Lyon tomorrow for minus three people", "party_size"),
        ("Book dinner in Lyon tomorrow for two and a half people", "party_size"),
        ("Book dinner in Lyon tomorrow for 1e3 people", "party_size"),
        ("Book dinner in Lyon tomorrow for \u00bd people", "party_size"),
        ("Dinner in Lyon for 2 in the year 9999", "date"),
        ("Plan a trip to Tokyo in 9999", "date"),
        ("Dinner in Lyon in 5000 years", "date"),
        ("Find a hotel in Paris for 10 years", "nights"),
        ("Find a hotel in Paris from 1 March 2027 to 1 February 2027", "nights"),
    ],
)
def test_an_impossible_count_or_time_is_one_problem_not_a_default(
    places: CatalogPlaces, message: str, field: str
) -> None:
    """Issue 24: words, fractions, far years and reversed ranges were read as a default (3, 2, tomorrow)."""
    request = _parse(places, message)
    assert len(request.problems) == 1, request.problems
    assert getattr(request, field) is None


@pytest.mark.parametrize(
    "message", ["Dinner in Lyon in 2027 for 2", "Dinner in Lyon in 2000 metres for 2", "A hotel in Paris for 3 nights"]
)
def test_a_near_year_or_a_plain_stay_is_no_problem(places: CatalogPlaces, message: str) -> None:
    assert _parse(places, message).problems == ()


# -- attack3 M2 / L5: a gone day, a two-word count, a budget below zero ----------------------------------------------
@pytest.mark.parametrize(
    "message",
    [
        "Book dinner in Lyon yesterday for 2",
        "Please book a table in Rome last Friday for 4",
        "Can you book a hotel in Lisbon last night for 2 nights?",
        "Reserve dinner in Paris yesterday at 8pm",
        "I'd like a table in Madrid yesterday",
    ],
)
def test_a_request_for_a_day_gone_is_one_problem_never_another_day(places: CatalogPlaces, message: str) -> None:
    request = _parse(places, message)
    assert request.intent in {"dine", "stay"} and request.date is None
    assert len(request.problems) == 1 and "in the past" in request.problems[0]


def test_a_past_day_beside_a_request_for_a_future_one_is_no_problem(places: CatalogPlaces) -> None:
    request = _parse(places, "I was in Lyon last week, book dinner there tomorrow for 2")
    assert (request.intent, request.date, request.problems) == ("dine", D(2026, 11, 26), ())


@pytest.mark.parametrize(
    ("message", "party"),
    [
        ("Book dinner in Lyon tomorrow for two dozen people", 24),
        ("A table for 2 dozen in Rome tomorrow", 24),
        ("Dinner in Paris tomorrow for twenty five people", 25),
        ("Dinner in Paris tomorrow for twenty-two guests", 22),
        ("A party of three hundred in Lyon tomorrow", 300),
    ],
)
def test_a_count_said_in_two_words_is_read_whole(places: CatalogPlaces, message: str, party: int) -> None:
    request = _parse(places, message)
    assert request.party_size is None  # all above the largest party: refused, never read as the first word
    assert len(request.problems) == 1 and f"party of {party} " in request.problems[0]


@pytest.mark.parametrize(
    ("message", "party"),
    [("A table for a dozen in Rome tomorrow", 12), ("Dinner for one dozen in Lyon tomorrow", 12)],
)
def test_a_two_word_count_in_range_is_the_party(places: CatalogPlaces, message: str, party: int) -> None:
    request = _parse(places, message)
    assert (request.party_size, request.problems) == (party, ())


def test_a_model_may_say_a_two_word_count(places: CatalogPlaces) -> None:
    request = _args(places, {"intent": "dine", "party_size": "a dozen"})
    assert request.party_size == 12
    refused = _args(places, {"intent": "dine", "party_size": "two dozen"})
    assert refused.party_size is None and "party of 24 " in refused.problems[0]


@pytest.mark.parametrize(
    "message",
    [
        "Book dinner in Lyon tomorrow for 2 under -50 euros",
        "A hotel in Lisbon for 2 nights under -50 euros per night",
        "A hotel in Porto for 2 nights, €-80 a night",
        "Dinner in Rome tomorrow for 2, budget minus 30 euros",
        "A hotel in Nice for 3 nights at 0 euros a night",
        "Dinner in Paris tomorrow for 2, max \u221240 \u20ac",
    ],
)
def test_a_budget_below_or_at_zero_is_one_problem(places: CatalogPlaces, message: str) -> None:
    request = _parse(places, message)
    assert request.intent in {"dine", "stay"} and request.budget_per_night_eur is None
    assert len(request.problems) == 1 and "budget" in request.problems[0] and "above zero" in request.problems[0]


@pytest.mark.parametrize(
    "message", ["A hotel in Lisbon under 150 euros a night", "Dinner in Rome tomorrow, 20-40 euros each"]
)
def test_a_positive_budget_or_a_range_is_no_problem(places: CatalogPlaces, message: str) -> None:
    assert _parse(places, message).problems == ()


def test_a_past_day_told_beside_a_request_without_a_day_is_no_problem(places: CatalogPlaces) -> None:
    request = _parse(places, "I was in Lyon last week, book dinner there for 2")
    assert (request.intent, request.problems) == ("dine", ())
