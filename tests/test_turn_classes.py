"""Issue 21's turn classes, read offline: other phrasings than the examples in config/turn_kinds.yaml and the dev
sets, checked on the typed request and follow-up (intent, place, party, follow-up fields), never on wording."""

from __future__ import annotations

import datetime

import pytest
from freezegun import freeze_time

from concierge.catalog.loader import load_catalog
from concierge.conversation.followup import FollowUp
from concierge.offline.follow_up import PlanNow, read_follow_up
from concierge.offline.parse import parse_request
from concierge.request import CatalogPlaces, TurnRequest
from concierge.request.forget import read_forget_request
from concierge.runtime_env import PROJECT_ROOT

NOW = "2026-11-25 15:30"  # a Wednesday


@pytest.fixture(scope="module")
def places() -> CatalogPlaces:
    return CatalogPlaces(load_catalog(PROJECT_ROOT / "data" / "catalog"))


def _parse(places: CatalogPlaces, message: str) -> TurnRequest:
    with freeze_time(NOW):
        return parse_request(message, now=datetime.datetime.now(), places=places)


def _follow(places: CatalogPlaces, message: str, *, has_plan: bool) -> FollowUp | None:
    request = _parse(places, message)
    with freeze_time(NOW):
        return read_follow_up(message, request=request, now=datetime.datetime.now(), places=places, has_plan=has_plan)


# -- a statement is not a plan; a question is not a fact ----------------------------------------------------------
@pytest.mark.parametrize(
    ("message", "intent"),
    [
        ("we're thinking of Naples for a long weekend in May, nothing decided", "statement"),
        ("I'm Dana and I'm off to Tokyo in April", "statement"),
        ("is Porto rainy in November?", "place_question"),
        ("which time of year suits a visit to Seville?", "place_question"),
        ("what have you noted about me till now?", "memory_question"),
        ("do you still remember where I'm from?", "memory_question"),
        ("I'm on my own - book me a hotel in Porto for 2 nights", "stay"),  # the clause that asks decides
        ("Rome as well this autumn, 5 days, two adults", "trip"),  # days away and a place: a trip, not a dinner
        ("I'd like dinner in Paris tomorrow at 8", "dine"),  # a wish with a subject still asks
    ],
)
def test_what_a_message_is(places: CatalogPlaces, message: str, intent: str) -> None:
    assert _parse(places, message).intent == intent


# -- follow-ups edit the session's plan; a first message is not one -----------------------------------------------
def test_a_cancel_in_other_words_cancels(places: CatalogPlaces) -> None:
    found = _follow(places, "ugh, let's just call it all off", has_plan=True)
    assert found is not None and found.kind == "cancel"


def test_a_new_time_said_as_a_bare_number_is_read_when_the_time_is_what_changes(places: CatalogPlaces) -> None:
    found = _follow(places, "could we move it to 8?", has_plan=True)
    assert found is not None and found.time == datetime.time(20)


def test_too_expensive_in_other_words_asks_for_a_cheaper_option(places: CatalogPlaces) -> None:
    found = _follow(places, "that one costs too much for us", has_plan=True)
    assert found is not None and found.cheaper


def test_a_plan_told_in_passing_does_not_edit_the_sessions_plan(places: CatalogPlaces) -> None:
    assert _follow(places, "By the way, I'm heading to Kyoto next spring", has_plan=True) is None
    found = _follow(places, "oh, my brother is vegetarian", has_plan=True)  # a need still edits it
    assert found is not None and found.needs


def test_a_full_request_with_instead_opens_a_session(places: CatalogPlaces) -> None:
    message = "Let's try Valencia instead: 3 days in June for two"
    assert _follow(places, message, has_plan=False) is None
    assert _parse(places, message).intent == "trip"


# -- party size: read the people named, ask when it cannot be known ------------------------------------------------
@pytest.mark.parametrize(
    "message",
    ["dinner in Madrid on Friday with the whole team", "lunch in Nice tomorrow, a handful of us"],
)
def test_a_group_without_a_number_is_asked_for(places: CatalogPlaces, message: str) -> None:
    request = _parse(places, message)
    assert request.party_size is None and request.problems


def test_a_number_beside_a_group_is_the_party(places: CatalogPlaces) -> None:
    assert _parse(places, "dinner for 6 in Rome on Friday, the whole family").party_size == 6


# -- typos ------------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("message", "city", "country"),
    [
        ("dinner in Barcleona tomorrow for 2", "Barcelona", "Spain"),  # two letters swapped
        ("lunch in Rmoe on Friday", "Rome", "Italy"),
        ("a week in Portgual in May", None, "Portugal"),  # a country too
    ],
)
def test_a_misspelt_place_in_the_place_of_a_place_is_read(
    places: CatalogPlaces, message: str, city: str | None, country: str
) -> None:
    place = _parse(places, message).place
    assert place is not None and (place.city, place.country) == (city, country)


def test_a_name_is_not_read_as_a_misspelt_city(places: CatalogPlaces) -> None:
    place = _parse(places, "dinner with Nico in Lyon on Friday").place
    assert place is not None and place.city == "Lyon"


# -- forget -------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("message", "target"),
    [
        ("I no longer eat fish, you can delete that", "I no longer eat fish"),
        ("please drop the note about my seat preference", "my seat preference"),
        ("could you unremember my home town", "my home town"),
    ],
)
def test_forget_in_other_words(places: CatalogPlaces, message: str, target: str) -> None:
    asked = read_forget_request(message)
    assert asked is not None and (asked.kind, asked.target) == ("target", target)
    assert _parse(places, message).intent == "forget"


def test_drop_without_something_to_forget_is_no_forget_request() -> None:
    assert read_forget_request("drop me a message when it's booked") is None


# -- a weekend away is Friday to Sunday (the coming one; "long": to Monday) --------------------------------------------
@pytest.mark.parametrize(
    ("message", "friday", "nights"),
    [
        ("weekend break in Seville, 2 adults", datetime.date(2026, 11, 27), 2),
        ("Lisbon for the weekend, just the two of us", datetime.date(2026, 11, 27), 2),
        ("a romantic weekend in Florence for my wife and me", datetime.date(2026, 11, 27), 2),
        ("a hotel in Rome this weekend", datetime.date(2026, 11, 27), 2),
        ("next weekend in Porto for two", datetime.date(2026, 12, 4), 2),
        ("a long weekend in Seville in March", datetime.date(2027, 3, 5), 3),  # that month's first weekend
    ],
)
def test_a_weekend_away_starts_on_its_friday(
    places: CatalogPlaces, message: str, friday: datetime.date, nights: int
) -> None:
    request = _parse(places, message)
    assert request.intent in ("trip", "stay") and (request.date, request.nights) == (friday, nights)


def test_a_meal_at_the_weekend_keeps_its_day_and_a_date_said_keeps_its_day(places: CatalogPlaces) -> None:
    assert _parse(places, "dinner in Paris this weekend").date == datetime.date(2026, 11, 28)
    request = _parse(places, "a weekend in Lyon from the 12th")
    assert (request.date, request.nights) == (datetime.date(2026, 12, 12), 2)


# -- kinds are read by how a message is said, not by the places it names ---------------------------------------------
def test_places_read_as_one_stand_in() -> None:
    from concierge.offline.kinds import STAND_IN, framed

    assert framed("Rather than Lisbon we're going to Nice") == f"Rather than {STAND_IN} we're going to {STAND_IN}"
    assert framed("dinnr in Pariss tommorow") == f"dinnr in {STAND_IN} tommorow"


@pytest.mark.parametrize(
    "message",
    [
        "We're spending a week in Crete next summer",
        "I'm lactose intolerant and I'll be in Vienna in February",
        "Off to Tokyo next week for work, I'm gluten intolerant",
        "we're considering Amsterdam for the summer",
        "Me and my husband are planning a week in Sicily",
    ],
)
def test_a_trip_told_is_a_statement(places: CatalogPlaces, message: str) -> None:
    assert _parse(places, message).intent == "statement"


@pytest.mark.parametrize(
    ("message", "intent"),
    [
        ("What should I pack for Kyoto in April?", "place_question"),
        ("Is Florence busy in August?", "place_question"),
        ("what are average temperatures in Berlin in March", "place_question"),
        ("What allergies do I have on record?", "needs_question"),
        ("what foods am I supposed to avoid?", "needs_question"),
        ("Is my nut allergy saved?", "memory_question"),  # a question about what is the user's: never stored
        ("Tell me about Kyoto in April", "place_question"),
        ("Are there nut-free restaurants in Porto?", "place_question"),  # what there is: answered, never booked
        ("What are some good vegan places in Barcelona?", "place_question"),
        ("where should we go in May?", "trip"),
        ("3 nights somewhere in Greece with a beach in June", "trip"),  # nights in a country: a trip
        ("3 nights in Porto", "stay"),
        ("Someone in our group is allergic to sesame. Dinner for 6 in Berlin next Saturday?", "dine"),
    ],
)
def test_a_question_is_read_by_what_it_asks(places: CatalogPlaces, message: str, intent: str) -> None:
    assert _parse(places, message).intent == intent


@pytest.mark.parametrize(
    "message",
    [
        "know any good halal spots in Paris?",
        "Can you recommend a halal restaurant in Lyon?",
        "got any vegan places in Rome?",
    ],
)
def test_a_question_about_options_books_nothing(message: str) -> None:
    from concierge.answers.question_turn import asks_only

    assert asks_only(message)


def test_a_question_that_asks_for_a_booking_books() -> None:
    from concierge.answers.question_turn import asks_only

    assert not asks_only("Could you book a halal restaurant in Lyon for tomorrow?")


# -- follow-ups relative to the plan: people added, a day or an hour moved -------------------------------------------
PLAN = PlanNow(party=2, date=datetime.date(2026, 11, 28), time=datetime.time(20))


def _edit(places: CatalogPlaces, message: str) -> FollowUp | None:
    request = _parse(places, message)
    with freeze_time(NOW):
        now = datetime.datetime.now()
        return read_follow_up(message, request=request, now=now, places=places, has_plan=True, plan=PLAN)


@pytest.mark.parametrize(
    ("message", "party"),
    [("add my sister", 3), ("my colleague is joining too", 3), ("two more people", 4), ("can we add my parents?", 4)],
)
def test_people_added_join_the_plans_party(places: CatalogPlaces, message: str, party: int) -> None:
    found = _edit(places, message)
    assert found is not None and found.party_size == party


@pytest.mark.parametrize(
    ("message", "plan_party", "party"),
    [
        ("my sister can't come after all", 4, 3),
        ("one of us dropped out, so 3", 4, 3),
        ("my parents aren't coming", 5, 3),
    ],
)
def test_people_who_leave_leave_the_plans_party(
    places: CatalogPlaces, message: str, plan_party: int, party: int
) -> None:
    request = _parse(places, message)
    plan = PlanNow(party=plan_party)
    with freeze_time(NOW):
        now = datetime.datetime.now()
        found = read_follow_up(message, request=request, now=now, places=places, has_plan=True, plan=plan)
    assert found is not None and found.party_size == party


def test_people_who_cannot_be_counted_leave_the_party_as_it_is(places: CatalogPlaces) -> None:
    found = _edit(places, "bring my kids too")
    assert found is None or found.party_size is None


@pytest.mark.parametrize(
    ("message", "field", "value"),
    [
        ("the day after would suit better", "date", datetime.date(2026, 11, 29)),
        ("can we do it a day earlier?", "date", datetime.date(2026, 11, 27)),
        ("push it back an hour", "time", datetime.time(21)),
        ("bring it forward by 30 minutes", "time", datetime.time(19, 30)),
        ("half an hour later please", "time", datetime.time(20, 30)),
        ("lunch would be better", "meal", "lunch"),  # a meal alone edits the plan
    ],
)
def test_a_change_relative_to_the_plan(places: CatalogPlaces, message: str, field: str, value: object) -> None:
    found = _edit(places, message)
    assert found is not None and getattr(found, field) == value


def test_without_the_plans_time_an_hour_later_is_not_guessed(places: CatalogPlaces) -> None:
    request = _parse(places, "an hour later please")
    with freeze_time(NOW):
        found = read_follow_up(
            "an hour later please", request=request, now=datetime.datetime.now(), places=places, has_plan=True
        )
    assert found is None or found.time is None


def test_an_ordinal_in_a_full_first_request_is_no_pick(places: CatalogPlaces) -> None:
    assert _follow(places, "The second dinner of the week: Athens on Thursday for 4", has_plan=False) is None


# -- typos: chat shorthand ---------------------------------------------------------------------------------------------
def test_chat_shorthand_is_read_as_the_request_word(places: CatalogPlaces) -> None:
    stay = _parse(places, "htl in Barcelona 2 nites from sat")
    assert (stay.intent, stay.nights) == ("stay", 2)
    dine = _parse(places, "diner for 2 in Paris tonite")
    assert (dine.intent, dine.party_size, dine.date) == ("dine", 2, datetime.date(2026, 11, 25))
    friday = _parse(places, "diner for 2 in Paris fri nite")
    assert (friday.intent, friday.date, friday.meal) == ("dine", datetime.date(2026, 11, 27), "dinner")


@pytest.mark.parametrize(
    ("message", "intent"),
    [
        ("gluten-free pizza in Florence tomorrow night for me and my brother", "dine"),  # a need beside a dish asks
        ("peanut-free thai place in New York Friday night, 3 people", "dine"),  # "Friday night" is no stay
        ("Plan 4 days in Kyoto in April for me and my wife. She's vegan, I eat everything.", "trip"),
        ("can't do gluten, visiting Florence in October", "statement"),
        ("I can't eat fish", "statement"),
    ],
)
def test_the_clause_that_asks_decides_the_kind(places: CatalogPlaces, message: str, intent: str) -> None:
    assert _parse(places, message).intent == intent


# -- wishes, seasons, stays, need questions, habits, bare needs, price edits (issue 21, second pass) ---------------
@pytest.mark.parametrize(
    "message",
    ["Some day I want to visit Norway", "I'd love to see Seville one day", "we hope to get to Prague in the spring"],
)
def test_a_wish_about_travel_is_a_statement(places: CatalogPlaces, message: str) -> None:
    assert _parse(places, message).intent == "statement"


@pytest.mark.parametrize(
    ("message", "intent"),
    [("I want 4 days in Lisbon in June for 3", "trip"), ("plan me a trip to Porto in March", "trip")],
)
def test_a_request_with_what_it_wants_stays_a_request(places: CatalogPlaces, message: str, intent: str) -> None:
    assert _parse(places, message).intent == intent


@pytest.mark.parametrize(
    ("message", "month"),
    [
        ("plan a trip to Porto next summer", 6),
        ("5 days in Seville in the autumn for two", 9),
        ("a long weekend in Athens next spring", 3),
        ("plan a trip to Rome next year", 1),
    ],
)
def test_a_season_or_a_year_is_the_trips_month_never_tomorrow(places: CatalogPlaces, message: str, month: int) -> None:
    from concierge.crew.itinerary import trip_start

    request = _parse(places, message)
    assert request.intent == "trip" and request.month in (None, month)
    with freeze_time(NOW):
        start, assumed = trip_start(request, datetime.datetime.now())
    assert assumed == (request.date is None)  # a season's first day is assumed; a weekend in it is read
    assert start.month == month and start > datetime.date(2026, 11, 26)


@pytest.mark.parametrize(
    ("message", "city", "party"),
    [
        ("need a place to stay in Lisbon for 2 nights, travelling solo", "Lisbon", 1),
        ("somewhere to sleep in Seville for 3 nights, I'm alone", "Seville", 1),
        ("we need accommodation in Rome for 4 nights, the two of us", "Rome", 2),
    ],
)
def test_a_place_to_stay_is_a_stay_with_its_party(places: CatalogPlaces, message: str, city: str, party: int) -> None:
    request = _parse(places, message)
    assert request.intent == "stay" and request.place is not None and request.place.city == city
    assert request.party_size == party


@pytest.mark.parametrize(
    "message",
    [
        "Is it safe for someone with a sesame allergy to eat in Lisbon?",
        "can a vegetarian find food in Seville",
        "would a coeliac manage in Rome",
    ],
)
def test_whether_a_need_can_be_met_somewhere_is_a_place_question(places: CatalogPlaces, message: str) -> None:
    assert _parse(places, message).intent == "place_question"


def test_a_need_question_about_a_place_lists_the_venues_that_meet_it() -> None:
    from concierge.answers.place_question import answer_place_question
    from concierge.catalog.loader import load_catalog
    from concierge.needs.asked import needs_named

    catalog = load_catalog(PROJECT_ROOT / "data" / "catalog")
    message = "can a vegan find food in Porto?"
    assert {n.need_id for n in needs_named(message)} == {"vegan"}
    answer = answer_place_question(
        TurnRequest(intent="place_question", place=CatalogPlaces(catalog).find_in(message)), catalog, message
    )
    porto = [r for r in catalog.restaurants if r.city == "Porto"]
    vegan = [r.name for r in porto if "vegan" in r.dietary_options]
    meat_only = [r.name for r in porto if not {"vegan", "vegetarian"} & set(r.dietary_options)]
    assert vegan and all(name in answer for name in vegan)
    assert meat_only and not any(name in answer for name in meat_only)


@pytest.mark.parametrize(
    "message",
    ["I like to have dinner late, after 9", "we usually eat lunch early", "I tend to have breakfast around 7"],
)
def test_a_meal_habit_is_a_statement(places: CatalogPlaces, message: str) -> None:
    assert _parse(places, message).intent == "statement"


def test_a_first_message_telling_a_plan_and_a_preference_is_no_follow_up(places: CatalogPlaces) -> None:
    for message in (
        "Off to Milan on business in May. I prefer aisle seats",
        "In Lyon for a conference in June. I like window seats",
    ):
        assert _follow(places, message, has_plan=False) is None


@pytest.mark.parametrize(
    ("message", "need"),
    [
        ("vegan here, just moved to Lisbon", "vegan"),
        ("egg allergy here, just arrived in Rome", "eggs"),
        ("coeliac, fyi", "gluten"),
        ("sesame allergy btw", "sesame"),
    ],
)
def test_a_bare_need_is_the_users(message: str, need: str) -> None:
    from concierge.needs import detect_needs

    found = [(n.need_id, n.holder, n.active) for n in detect_needs(message)]
    assert (need, "user", True) in found


def test_a_bare_need_after_someone_named_is_not_the_users() -> None:
    from concierge.needs import detect_needs

    assert not [n for n in detect_needs("my son, vegan, moved to Porto") if n.holder == "user" and n.active]


@pytest.mark.parametrize(
    "message", ["a bit less fancy", "somewhere less posh, please", "too pricey, anything cheaper?"]
)
def test_casual_cheaper_is_a_cheaper_follow_up(places: CatalogPlaces, message: str) -> None:
    found = _follow(places, message, has_plan=True)
    assert found is not None and found.cheaper and not found.pricier


@pytest.mark.parametrize(
    "message", ["something posher?", "somewhere more upscale maybe", "could we go somewhere swankier?"]
)
def test_casual_pricier_is_a_pricier_follow_up(places: CatalogPlaces, message: str) -> None:
    found = _follow(places, message, has_plan=True)
    assert found is not None and found.pricier and not found.cheaper


@pytest.mark.parametrize(
    ("user", "first", "cheaper"),
    [
        ("cheap-a", "dinner in Madrid tomorrow at 8pm for two", "too pricey, anything cheaper?"),
        ("cheap-b", "dinner in Lisbon tomorrow at 8pm for 2", "hmm, something a bit less fancy"),
    ],
)
def test_a_cheaper_edit_of_a_drafted_plan_drafts_the_new_venue(
    service: object, project: str, user: str, first: str, cheaper: str
) -> None:
    scope = service.scope(user, project_id=project, run_id="s1")  # type: ignore[attr-defined]
    before = service.chat(scope, first)  # type: ignore[attr-defined]
    assert before.draft is not None and before.plan is not None and before.plan.chosen is not None
    assert before.plan.chosen.price.count("€") > 1  # a cheaper kind of place exists
    after = service.chat(scope, cheaper)  # type: ignore[attr-defined]
    assert after.plan is not None and after.plan.chosen is not None
    assert after.plan.chosen.id != before.plan.chosen.id
    assert after.plan.chosen.price.count("€") < before.plan.chosen.price.count("€")
    assert after.draft is not None and after.plan.chosen.name in after.draft.body


@pytest.mark.parametrize(
    "message", ["Are there any nice vegetarian places in Lisbon?", "any good halal restaurants in Porto?"]
)
def test_a_question_for_venues_that_meet_a_need_is_answered_not_booked(places: CatalogPlaces, message: str) -> None:
    assert _parse(places, message).intent == "place_question"
