"""Numbers read right, as classes (attack12 M4 and M5, item 12): after "for 2", "add two people" kept 2 and "add three
guests" set 3 (adding is meant: 4 and 5); "at nineteen thirty" and "at twenty hundred" were no time (20:00 taken in
their place); a hotel's "budget 400 total" for four nights was no budget (a EUR 291 night chosen), and "budget -50 a
night" was dropped without a word.

Each class is driven by phrasings of its own; the typed values are asserted (the party a follow-up leaves, the
request's time, its budget a night and its problems), never the wording. "Now" is Sunday 6 December 2026, 09:00.
A few run end to end through ``ConciergeService.chat`` in a session: the party the plan keeps, the stay chosen under a
shared total costing at most its share, the plan's note on it, and nothing planned on a budget below zero.
"""

from __future__ import annotations

import datetime
import uuid

import pytest

from concierge.offline.shift import shifted_party
from concierge.request import CatalogPlaces, TurnRequest
from concierge.request.budget import read_budget
from concierge.scope import Scope
from concierge.service import ConciergeService
from tests.request_reading import asks_once, parse_at, shipped_places

NOW = "2026-12-06 09:00"  # a Sunday
FRIDAY = datetime.date(2026, 12, 11)


@pytest.fixture(scope="module")
def places() -> CatalogPlaces:
    places = shipped_places()
    parse_at(places, "Book dinner in Lyon tomorrow for 2", NOW)  # spaCy and dateparser loaded outside freezegun
    return places


def _read(places: CatalogPlaces, message: str) -> TurnRequest:
    return parse_at(places, message, NOW)


def _scope(service: ConciergeService, project: str) -> Scope:
    return service.scope(f"u{uuid.uuid4().hex[:8]}", project_id=project, run_id="s1")


# -- 1. "add N people" adds them to the party; "make it 3" sets it ----------------------------------------------------
ADDED = [
    ("add two people", 4),
    ("add a couple of people", 4),
    ("add three guests", 5),
    ("add 2 people please", 4),
    ("could you add four guests?", 6),
    ("add two friends", 4),
    ("add a couple of friends to the table", 4),
    ("add three colleagues", 5),
    ("add on two people", 4),
    ("add 3 kids", 5),
    ("add two adults", 4),
    ("add just one person", 3),
    ("add five diners", 7),
    ("add two seats", 4),
]


@pytest.mark.parametrize(("message", "party"), ADDED)
def test_add_a_number_of_people_adds_them_to_the_party(message: str, party: int) -> None:
    assert shifted_party(message, 2) == party


@pytest.mark.parametrize("message", ["add three nights", "add two hours", "add a couple of days", "make it 3"])
def test_what_adds_no_people_moves_no_party(message: str) -> None:
    assert shifted_party(message, 2) is None


def _party_after(service: ConciergeService, project: str, message: str) -> int | None:
    scope = _scope(service, project)
    service.chat(scope, "Book dinner in Lyon tomorrow at 8pm for 2")
    service.chat(scope, message)
    state = service.session_state(scope)
    assert state is not None and state.plan is not None
    return state.plan.party_size


@pytest.mark.parametrize(
    ("message", "party"),
    [("add two people", 4), ("add a couple of people", 4), ("add three guests", 5), ("make it 3", 3)],
)
def test_the_session_plan_keeps_the_party_added_to(
    service: ConciergeService, project: str, message: str, party: int
) -> None:
    assert _party_after(service, project, message) == party


def test_add_my_two_kids_still_adds_two(service: ConciergeService, project: str) -> None:
    assert _party_after(service, project, "add my two kids") == 4


# -- 2. the 24-hour clock said in words ----------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("message", "time"),
    [
        ("Lyon dinner tomorrow at nineteen thirty for two adults and two children", datetime.time(19, 30)),
        ("Book dinner in Lyon tomorrow at twenty hundred for 2", datetime.time(20, 0)),
        ("Book dinner in Lyon tomorrow at eighteen forty-five for 2", datetime.time(18, 45)),
        ("Book dinner in Lyon tomorrow at twenty-one hundred hours for 2", datetime.time(21, 0)),
        ("Book dinner in Paris tomorrow at twenty-two fifteen for 2", datetime.time(22, 15)),
        ("Book dinner in Rome on Friday at seventeen hundred hrs for 3", datetime.time(17, 0)),
        ("Book dinner in Lyon tomorrow at twenty oh five for four", datetime.time(20, 5)),
        ("Book dinner in Madrid tomorrow around nineteen forty for 3", datetime.time(19, 40)),
        ("Book dinner in Lyon tomorrow at twenty twenty for 2", datetime.time(20, 20)),
        ("Book lunch in Paris on Friday at thirteen hundred for 2", datetime.time(13, 0)),
        ("Book lunch in Porto tomorrow at fourteen fifteen for 2", datetime.time(14, 15)),
        ("Book dinner in Nice tomorrow at twenty-one thirty for 2", datetime.time(21, 30)),
        ("Book dinner in Milan tomorrow at nineteen hundred hours for 6", datetime.time(19, 0)),
    ],
)
def test_a_time_on_the_24_hour_clock_in_words_is_that_time(
    places: CatalogPlaces, message: str, time: datetime.time
) -> None:
    request = _read(places, message)
    assert (request.time, request.problems) == (time, ())


@pytest.mark.parametrize(
    ("message", "party"),
    [("Book dinner in Lyon tomorrow at 8 for twenty", 20), ("Book dinner in Lyon tomorrow at eight for twelve", 12)],
)
def test_a_party_said_in_words_after_a_time_stays_a_party(places: CatalogPlaces, message: str, party: int) -> None:
    request = _read(places, message)
    assert (request.time, request.party_size) == (datetime.time(20, 0), party)


# -- 3. a budget for the whole stay is shared by its nights ---------------------------------------------------------
@pytest.mark.parametrize(
    ("message", "nights", "cap"),
    [
        ("Hotel in Paris for four nights starting Friday, budget 400 total", 4, 100),
        ("Hotel in Lyon for 3 nights from Friday, 300 euros in total", 3, 100),
        ("Hotel in Lyon for 2 nights from Friday, budget 300 total", 2, 150),
        ("Find a hotel in Rome for 2 nights from Friday for 2, 500 euros for both nights", 2, 250),
        ("Hotel in Lyon for 5 nights from Friday, under 500 euros for the whole stay", 5, 100),
        ("Apartment in Lisbon for 4 nights from Friday, €600 altogether", 4, 150),
        ("Book a hotel in Madrid for 3 nights from Friday, budget of 450 euros in total", 3, 150),
        ("Hotel in Porto for 2 nights from Friday, max 250 euros overall", 2, 125),
        ("A room in Nice for 3 nights from Friday, budget: 400 total", 3, 133),
        ("Hotel in Berlin for a week from Friday, budget 700 in total", 7, 100),
        ("Hotel in Paris for 4 nights from Friday, 1 000 euros for the entire stay", 4, 250),
    ],
)
def test_a_stay_total_with_its_nights_is_a_cap_a_night(
    places: CatalogPlaces, message: str, nights: int, cap: int
) -> None:
    request = _read(places, message)
    assert (request.nights, request.budget_per_night_eur, request.problems) == (nights, cap, ())


@pytest.mark.parametrize(
    "message",
    [
        "Hotel in Paris from Friday, budget 400 total",
        "Hotel in Lyon from Friday, 300 euros in total",
        "Apartment in Lisbon from Friday, €600 altogether",
    ],
)
def test_a_stay_total_without_its_nights_is_asked(places: CatalogPlaces, message: str) -> None:
    request = _read(places, message)
    asks_once(request)
    assert request.budget_per_night_eur is None and request.nights is None


def test_a_bare_budget_a_night_is_in_euros(places: CatalogPlaces) -> None:
    assert _read(places, "Hotel in Lyon for 2 nights from Friday, budget 120 a night").budget_per_night_eur == 120
    assert _read(places, "Hotel in Lyon for 2 nights from Friday, budget: 150").budget_per_night_eur == 150
    assert read_budget("a budget hotel in Lyon for 2 nights").per_night_eur is None  # "budget" alone is no amount


def _price(service: ConciergeService, stay_id: str) -> int:
    return next(s.price_per_night_eur for s in service.catalog().stays if s.id == stay_id)


def test_the_stay_chosen_under_a_total_costs_at_most_its_share(service: ConciergeService, project: str) -> None:
    reply = service.chat(_scope(service, project), "Hotel in Lyon for 2 nights from Friday, budget 300 total")
    assert (reply.request.nights, reply.request.budget_per_night_eur) == (2, 150)
    assert reply.plan is not None and reply.plan.chosen is not None
    assert all(_price(service, o.id) <= 150 for o in [reply.plan.chosen, *reply.plan.backups])
    assert any("150" in note and "300" in note for note in reply.plan.notes)  # the plan says how the total was read


def test_a_paris_stay_under_a_total_proposes_nothing_dearer(service: ConciergeService, project: str) -> None:
    reply = service.chat(_scope(service, project), "Hotel in Paris for four nights starting Friday, budget 400 total")
    assert reply.request.budget_per_night_eur == 100
    assert reply.plan is not None
    chosen = [o for o in [reply.plan.chosen, *reply.plan.backups] if o is not None]
    assert all(_price(service, o.id) <= 100 for o in chosen)
    assert any("100" in note and "400" in note for note in reply.plan.notes)


# -- 4. a stay's budget at or below zero is one line, never dropped ---------------------------------------------------
@pytest.mark.parametrize(
    "message",
    [
        "Hotel in Paris for 2 nights from Friday, budget -50 a night",
        "Hotel in Paris for 2 nights from Friday, budget of minus 50 euros a night",
        "Hotel in Lyon for 3 nights from Friday, budget 0 a night",
        "Hotel in Lyon for 3 nights from Friday, budget: -120",
        "Hotel in Rome for 2 nights from Friday, budget \u221280 per night",
        "Hotel in Madrid for 2 nights from Friday, budget is -100",
        "Apartment in Lisbon for 2 nights from Friday, budget -300 total",
        "Hotel in Porto for 2 nights from Friday, budget negative 60 a night",
        "Room in Nice for 2 nights from Friday, -50 euros a night",
        "Hotel in Berlin for 2 nights from Friday, budget -1 nightly",
        "Hotel in Paris for 2 nights from Friday under -90 euros",
    ],
)
def test_a_stay_budget_at_or_below_zero_is_one_line(places: CatalogPlaces, message: str) -> None:
    request = _read(places, message)
    asks_once(request)
    assert request.budget_per_night_eur is None


def test_a_negative_stay_budget_plans_nothing(service: ConciergeService, project: str) -> None:
    reply = service.chat(_scope(service, project), "Hotel in Paris for 2 nights from Friday, budget -50 a night")
    assert len(reply.request.problems) == 1
    assert reply.plan is None or reply.plan.chosen is None
