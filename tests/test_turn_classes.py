"""Issue 21's turn classes, read offline: other phrasings than the examples in config/turn_kinds.yaml and the dev
sets, checked on the typed request and follow-up (intent, place, party, follow-up fields), never on wording."""

from __future__ import annotations

import datetime

import pytest
from freezegun import freeze_time

from concierge.catalog.loader import load_catalog
from concierge.conversation.followup import FollowUp
from concierge.offline.follow_up import read_follow_up
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
