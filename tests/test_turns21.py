"""Issue 21's kinds of turn, second pass: a question about what there is to eat is answered from the catalog (never
booked, never stored); a habit or a household told plans nothing; a request naming no place takes the session's or
a remembered place and says so; a weekend is Friday to Sunday whichever day it is said on."""

from __future__ import annotations

import datetime

import pytest
from freezegun import freeze_time

from concierge.catalog.loader import load_catalog
from concierge.offline.follow_up import PlanNow, read_follow_up
from concierge.offline.parse import parse_request
from concierge.request import CatalogPlaces, TurnRequest
from concierge.request.weekend import weekend_friday
from concierge.request.when import read_when
from concierge.runtime_env import PROJECT_ROOT
from concierge.service import ConciergeService

SUNDAY = "2026-12-06 10:00"
# One day of each kind of the week: Monday 7 to Sunday 13 December 2026.
WEEK = [f"2026-12-{day:02d} 10:00" for day in range(7, 14)]


@pytest.fixture(scope="module")
def places() -> CatalogPlaces:
    return CatalogPlaces(load_catalog(PROJECT_ROOT / "data" / "catalog"))


def _parse(places: CatalogPlaces, message: str, at: str = SUNDAY) -> TurnRequest:
    with freeze_time(at):
        return parse_request(message, now=datetime.datetime.now(), places=places)


# -- questions about what there is to eat ---------------------------------------------------------------------------
@pytest.mark.parametrize(
    "message",
    [
        "Is there a halal place to eat in Granada?",
        "what gluten free options are there in Naples?",
        "any vegan-friendly places in Bordeaux?",
        "Can someone allergic to fish eat at an izakaya?",
        "Is paella safe for someone with a shellfish allergy?",
        "do kosher restaurants in Rome shut on Friday evenings?",
    ],
)
def test_a_question_about_what_there_is_to_eat_is_a_question(places: CatalogPlaces, message: str) -> None:
    assert _parse(places, message).intent == "place_question"


@pytest.mark.parametrize(
    ("message", "intent"),
    [
        ("Any halal restaurants in London for Saturday lunch?", "dine"),  # a day and a meal: a request
        ("Could you book a vegan restaurant in Berlin for tomorrow?", "dine"),
        ("any vegetarian restaurant in Lyon for 4?", "dine"),  # a party said
        ("Any recommendations in Lisbon?", "trip"),  # nothing about food: not a venues question
        ("can't do gluten, visiting Florence in October", "statement"),  # "can't" tells, it does not ask
    ],
)
def test_a_question_that_says_what_to_book_stays_a_request(places: CatalogPlaces, message: str, intent: str) -> None:
    assert _parse(places, message).intent == intent


def test_a_need_question_at_a_kind_of_venue_lists_only_venues_of_that_kind_that_meet_it(places: CatalogPlaces) -> None:
    from concierge.answers.place_question import answer_place_question

    catalog = load_catalog(PROJECT_ROOT / "data" / "catalog")
    message = "Would a pescatarian be ok at a sushi place?"
    request = _parse(places, message)
    assert request.intent == "place_question" and request.place is None and request.cuisine == "sushi"
    answer = answer_place_question(request, catalog, message)
    sushi = [r for r in catalog.restaurants if r.cuisine == "Sushi"]
    fit = [r.name for r in sushi if {"pescatarian", "vegetarian", "vegan"} & set(r.dietary_options)]
    other = [r.name for r in catalog.restaurants if r.cuisine != "Sushi" and "pescatarian" in r.dietary_options]
    assert fit and all(name in answer for name in fit)
    assert not any(name in answer for name in other)


def test_a_venues_question_names_no_venue_that_fails_the_need(places: CatalogPlaces) -> None:
    from concierge.answers.place_question import answer_place_question

    catalog = load_catalog(PROJECT_ROOT / "data" / "catalog")
    message = "are there kosher options in Rome?"
    answer = answer_place_question(_parse(places, message), catalog, message)
    rome = [r for r in catalog.restaurants if r.city == "Rome"]
    assert any(r.name in answer for r in rome if "kosher" in r.dietary_options)
    assert not any(r.name in answer for r in rome if "kosher" not in r.dietary_options)


def test_a_venues_question_books_nothing_and_stores_nothing(service: ConciergeService, project: str) -> None:
    reply = service.chat(service.scope("quinn", project_id=project, run_id="s1"), "are there halal options in Osaka?")
    assert reply.request.intent == "place_question" and reply.plan is None and reply.draft is None
    assert not reply.memories_stored
    osaka_halal = [r.name for r in service.catalog().restaurants if r.city == "Osaka" and "halal" in r.dietary_options]
    assert osaka_halal and all(name in reply.answer for name in osaka_halal)


# -- statements about the user's life ---------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "message",
    [
        "We're a family of five and we camp in France every summer",
        "My husband and I go out for dinner every Saturday",
        "Our group of four friends does a city break every autumn",
        "There are five of us and we usually rent a cottage in Cornwall at Easter",
    ],
)
def test_a_household_or_a_habit_told_is_a_statement(places: CatalogPlaces, message: str) -> None:
    assert _parse(places, message).intent == "statement"


@pytest.mark.parametrize(
    ("message", "dated"),
    [
        ("we eat out every Friday night", False),
        ("do they close on Friday evenings?", False),
        ("every other Saturday we go to the market", False),
        ("dinner on Friday evening", True),
        ("Friday night dinner in Lyon", True),
    ],
)
def test_a_weekday_said_as_a_habit_is_no_day(message: str, dated: bool) -> None:
    with freeze_time(SUNDAY):
        assert (read_when(message, datetime.datetime.now()).date is not None) == dated


# -- a request naming no place ---------------------------------------------------------------------------------------
def test_a_request_with_no_place_takes_the_place_the_user_told_and_says_so(
    service: ConciergeService, project: str
) -> None:
    scope = service.scope("bea", project_id=project, run_id="s1")
    told = service.chat(scope, "Celiac. Based in Porto.")
    assert told.request.intent == "statement" and any("Porto" in m.text for m in told.memories_stored)
    reply = service.chat(scope, "Find us a table for 3 on Thursday evening")
    assert reply.request.intent == "dine" and reply.plan is not None and reply.plan.chosen is not None
    assert reply.plan.chosen.city == "Porto" and reply.draft is not None
    assert {n.need_id for n in reply.plan.needs} == {"gluten"}
    assert any("Porto" in a for a in reply.plan.assumed)  # the place was not said: the plan says it assumed it


def test_a_request_with_no_place_takes_the_sessions_place(service: ConciergeService, project: str) -> None:
    scope = service.scope("cal", project_id=project, run_id="s1")
    service.chat(scope, "a hotel in Seville for 3 nights")
    reply = service.chat(scope, "also a table for two tomorrow evening")
    assert reply.follow_up is None and reply.request.intent == "dine"
    assert reply.plan is not None and reply.plan.chosen is not None and reply.plan.chosen.city == "Seville"


def test_a_request_with_no_place_and_nothing_known_asks_where(service: ConciergeService, project: str) -> None:
    reply = service.chat(service.scope("dan", project_id=project, run_id="s1"), "Dinner tomorrow night for one")
    assert reply.request.intent == "dine" and reply.plan is None and reply.draft is None


def test_a_request_of_another_kind_beside_the_plan_is_no_edit_of_it(places: CatalogPlaces) -> None:
    message = "also a table for two tomorrow evening"
    with freeze_time(SUNDAY):
        request = parse_request(message, now=datetime.datetime.now(), places=places)
        stay = PlanNow(party=2, date=datetime.date(2026, 12, 7), kind="stay")
        dinner = PlanNow(party=2, date=datetime.date(2026, 12, 7), kind="dine")
        kwargs = {"request": request, "now": datetime.datetime.now(), "places": places, "has_plan": True}
        assert read_follow_up(message, plan=stay, **kwargs) is None
        assert read_follow_up(message, plan=dinner, **kwargs) is not None


# -- weekends ---------------------------------------------------------------------------------------------------------
def test_next_weekend_said_on_a_sunday_is_the_coming_one(places: CatalogPlaces) -> None:
    request = _parse(places, "weekend away in Rome next weekend for the two of us")
    assert request.intent == "trip" and request.date == datetime.date(2026, 12, 11) and request.nights == 2
    with freeze_time(SUNDAY):
        assert read_when("dinner next weekend", datetime.datetime.now()).date == datetime.date(2026, 12, 12)


@pytest.mark.parametrize("at", WEEK)
@pytest.mark.parametrize(
    "message",
    [
        "weekend away in Rome next weekend for the two of us",
        "a weekend in Lyon",
        "Lisbon for the weekend",
        "plan us a weekend getaway to Barcelona this coming weekend",
    ],
)
def test_a_weekend_is_friday_to_sunday_on_every_day_of_the_week(places: CatalogPlaces, message: str, at: str) -> None:
    request = _parse(places, message, at)
    today = datetime.datetime.fromisoformat(at).date()
    assert request.date is not None and request.date.weekday() == 4 and request.nights == 2
    assert today <= request.date <= today + datetime.timedelta(days=14)


@pytest.mark.parametrize("at", WEEK)
def test_a_weekend_in_a_month_is_a_weekend_of_that_month(places: CatalogPlaces, at: str) -> None:
    request = _parse(places, "Somewhere sunny for a weekend in January, for 2 of us", at)
    assert request.intent == "trip" and request.date is not None
    assert request.date.weekday() == 4 and request.date.month == 1 and request.nights == 2


@pytest.mark.parametrize("at", WEEK)
def test_which_weekend_each_word_means(at: str) -> None:
    today = datetime.datetime.fromisoformat(at).date()
    this, coming, after = (weekend_friday(today, which) for which in ("this", "a", "next"))
    assert {this.weekday(), coming.weekday(), after.weekday()} == {4}
    assert this <= today + datetime.timedelta(days=6) and today < coming <= today + datetime.timedelta(days=7)
    if today.weekday() >= 4:  # on a weekend day "next weekend" is the coming one
        assert after == coming and this <= today
    else:
        assert after == this + datetime.timedelta(days=7) and this == coming


def test_a_suggestions_plan_keeps_the_weekend_asked_for(service: ConciergeService, project: str) -> None:
    reply = service.chat(
        service.scope("eve", project_id=project, run_id="s1"), "somewhere warm for a weekend in February for two"
    )
    assert reply.plan is not None and reply.plan.status == "suggestions"
    assert reply.plan.date is not None and reply.plan.date.weekday() == 4 and reply.plan.date.month == 2
    assert reply.plan.nights == 2 and reply.plan.party_size == 2
