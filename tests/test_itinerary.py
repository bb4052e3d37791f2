"""Day-by-day trip plans: every meal through the search tools (needs, opening hours), consecutive days, a stay,
travel notes from memories and the catalog, drafts per booking, one-day edits, and refusals for bad input.

The planner tests need no database: the turn's needs come from fixed texts, as the service reads them from a
user's scope. The service tests run the real crew on the offline model and on the scripted model server
(``tests/model_server.py``, a fake at the external boundary).
Expected values come from the shipped catalog's data, never from the planner's wording.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from typing import Any

import pytest

from concierge.catalog.hours import LAST_SEATING_MINUTES, MEAL_WINDOWS, parse_opening_hours, serves
from concierge.catalog.loader import load_catalog
from concierge.catalog.schema import Restaurant, Stay
from concierge.catalog.search import CatalogSearch
from concierge.crew.itinerary import MAX_TRIP_NIGHTS, edit_meal, plan_itinerary, replace_meal, trip_length_problem
from concierge.crew.itinerary_models import Itinerary
from concierge.crew.outputs import SearchReport
from concierge.crew.turn import TurnContext
from concierge.needs import active_needs
from concierge.offline.parse import parse_request
from concierge.request import CatalogPlaces
from concierge.runtime_env import PROJECT_ROOT
from concierge.service import ConciergeService
from concierge.settings import Settings
from tests.model_server import Call, Fault, ModelServer, model_settings

NOW = dt.datetime(2026, 11, 25, 10, 0)


@pytest.fixture(scope="module")
def catalog(tmp_path_factory: pytest.TempPathFactory) -> CatalogSearch:
    return CatalogSearch(load_catalog(PROJECT_ROOT / "data" / "catalog"), tmp_path_factory.mktemp("cache"))


def _turn(catalog: CatalogSearch, message: str, remembered: tuple[str, ...] = ()) -> TurnContext:
    places = CatalogPlaces(catalog.catalog)
    return TurnContext(
        user="alice",
        request=parse_request(message, now=NOW, places=places),
        now=NOW,
        places=places,
        read_needs=lambda: active_needs([*remembered, message]),
    )


def _plan(catalog: CatalogSearch, message: str, remembered: tuple[str, ...] = ()) -> Itinerary:
    trip = plan_itinerary(_turn(catalog, message, remembered), catalog, remembered)
    assert trip is not None, message
    return trip


def _restaurants(catalog: CatalogSearch) -> dict[str, Restaurant]:
    return {r.id: r for r in catalog.catalog.restaurants}


def _stays(catalog: CatalogSearch) -> dict[str, Stay]:
    return {s.id: s for s in catalog.catalog.stays}


def _assert_bookable(
    catalog: CatalogSearch, trip: Itinerary, dietary: set[str], access: set[str] = frozenset()
) -> None:
    """Every meal has a venue in the trip's city that offers every option the needs require, at a time inside
    the meal's window and an opening interval, an hour before closing; the stay offers the access needs."""
    venues = _restaurants(catalog)
    slots = trip.slots()
    assert slots and all(s.venue is not None for s in slots), [s.problem for s in slots]
    for slot in slots:
        venue = venues[slot.venue.id]
        assert venue.city == trip.city
        assert dietary <= set(venue.dietary_options), (venue.name, venue.dietary_options)
        assert access <= set(venue.accessibility)
        low, high = MEAL_WINDOWS[slot.meal]
        minute = slot.time.hour * 60 + slot.time.minute
        assert low <= slot.time <= high
        assert any(a <= minute <= b - LAST_SEATING_MINUTES for a, b in parse_opening_hours(venue.opening_hours))
    assert trip.stay is not None
    stay = _stays(catalog)[trip.stay.id]
    assert stay.city == trip.city and access <= set(stay.accessibility)


def _assert_consecutive(trip: Itinerary, start: dt.date, days: int) -> None:
    assert [d.date for d in trip.days] == [start + dt.timedelta(days=i) for i in range(days)]
    assert [d.day for d in trip.days] == list(range(1, days + 1))
    assert trip.start == start and trip.nights == days - 1


@pytest.mark.parametrize(
    ("message", "city", "days", "meals", "start"),
    [
        ("3 days in Tokyo in April", "Tokyo", 3, ("lunch", "dinner"), dt.date(2027, 4, 1)),
        # "a weekend" is Friday to Sunday (issue 21), not tomorrow onwards
        ("plan a weekend in Lyon for me and my wife", "Lyon", 3, ("lunch", "dinner"), dt.date(2026, 11, 27)),
        ("a week in Seville from 12 May, lunches only", "Seville", 8, ("lunch",), dt.date(2027, 5, 12)),
        ("Plan 4 days in Paris from 3 March, dinners only", "Paris", 4, ("dinner",), dt.date(2027, 3, 3)),
        (
            "A trip to Rome for 5 days from 10 June, breakfast and dinner",
            "Rome",
            5,
            ("breakfast", "dinner"),
            dt.date(2027, 6, 10),
        ),
        ("Itinerary for 3 days in Madrid, no lunches", "Madrid", 3, ("dinner",), dt.date(2026, 11, 26)),
    ],
)
def test_phrasings_give_consecutive_days_with_the_meals_asked_for(
    catalog: CatalogSearch, message: str, city: str, days: int, meals: tuple[str, ...], start: dt.date
) -> None:
    trip = _plan(catalog, message, remembered=("User is allergic to peanuts",))
    assert trip.city == city and len(trip.days) == days
    _assert_consecutive(trip, start, days)
    assert all(tuple(s.meal for s in d.meals) == meals for d in trip.days)
    _assert_bookable(catalog, trip, {"peanut_free"})
    assert {n.need_id for n in trip.needs} == {"peanuts"}


def test_stored_allergy_and_companion_need_bind_every_meal(catalog: CatalogSearch) -> None:
    remembered = ("User is allergic to sesame", "User's husband is coeliac", "User's husband uses a wheelchair")
    trip = _plan(catalog, "Plan 3 days in Lyon for me and my husband from 4 June", remembered)
    assert {(n.need_id, n.holder) for n in trip.needs} == {
        ("sesame", "user"), ("gluten", "husband"), ("wheelchair", "husband")
    }  # fmt: skip
    _assert_bookable(catalog, trip, {"sesame_free", "gluten_free"}, {"step_free"})
    # The city has venues that fail these needs: the plan avoided them, it did not get lucky.
    lyon = [r for r in catalog.catalog.restaurants if r.city == "Lyon"]
    assert any(not {"sesame_free", "gluten_free"} <= set(r.dietary_options) for r in lyon)
    assert trip.party_size == 2


def test_no_venue_is_repeated_while_the_city_has_enough(catalog: CatalogSearch) -> None:
    trip = _plan(catalog, "3 days in Tokyo in April")
    ids = [s.venue.id for s in trip.slots() if s.venue]
    assert len(ids) == 6 and len(set(ids)) == 6
    assert not any(s.repeated for s in trip.slots())


def test_a_city_with_too_few_venues_repeats_them_evenly_and_says_so(catalog: CatalogSearch) -> None:
    trip = _plan(catalog, "a week in Seville from 12 May, lunches only", ("User is allergic to peanuts",))
    qualifying = {
        r.id
        for r in catalog.catalog.restaurants
        if r.city == "Seville" and "peanut_free" in r.dietary_options and serves(r.opening_hours, "lunch")
    }
    ids = [s.venue.id for s in trip.slots() if s.venue]
    assert 0 < len(qualifying) < len(ids) == 8
    assert set(ids) == qualifying  # every qualifying venue is used before any is repeated
    counts = [ids.count(i) for i in qualifying]
    assert max(counts) - min(counts) <= 1
    assert sum(s.repeated for s in trip.slots()) == len(ids) - len(qualifying)
    assert trip.problems  # the itinerary says why venues repeat


def test_travel_notes_come_from_memories_and_the_catalog(catalog: CatalogSearch) -> None:
    destinations = {d.name: d for d in catalog.catalog.destinations}
    tokyo = _plan(catalog, "3 days in Tokyo in April", ("User always prefers a window seat on long flights",))
    assert tokyo.seat == "window"
    assert tokyo.airports == destinations["Tokyo"].airports and tokyo.trip_months == ("Apr",)
    assert "Apr" in destinations["Tokyo"].best_months and tokyo.in_best_months is True
    assert len(tokyo.travel_notes) == 3

    seville = _plan(catalog, "a week in Seville from 12 May", ("User prefers an aisle seat",))
    assert seville.seat == "aisle" and "May" not in destinations["Seville"].best_months
    assert seville.in_best_months is False and seville.airports == destinations["Seville"].airports

    later = _plan(catalog, "2 days in Kyoto", ("User prefers an aisle seat", "User now prefers a window seat"))
    assert later.seat == "window"  # the newest statement wins
    assert _plan(catalog, "2 days in Kyoto").seat is None


def test_every_booking_has_a_draft_with_its_facts_and_never_the_message(catalog: CatalogSearch) -> None:
    message = "Plan a weekend in Lyon for me and my wife, she is vegetarian"
    trip = _plan(catalog, message, ("User is allergic to peanuts",))
    drafts = trip.drafts()
    assert len(drafts) == 1 + len(trip.slots()) and trip.stay_draft is not None
    assert trip.stay_draft.to == _stays(catalog)[trip.stay.id].contact_email
    assert str(trip.nights) in trip.stay_draft.body
    assert {(n.label, n.holder) for n in trip.needs} == {("peanut allergy", "user"), ("vegetarian", "wife")}
    for day in trip.days:
        for slot in day.meals:
            assert slot.draft is not None and slot.draft.to == _restaurants(catalog)[slot.venue.id].reservation_email
            text = slot.draft.text()
            assert f"{slot.time:%H:%M}" in text and str(day.date.day) in text and f"{day.date:%B}" in text
            assert all(n.label in text for n in trip.needs)
    assert all(message not in d.text() and "she is vegetarian" not in d.text() for d in drafts)


# A companion's diet said as the plan reads it, and the catalog option it needs.
COMPANION_DIETS: tuple[tuple[str, frozenset[str]], ...] = (
    ("she is vegan", frozenset({"vegan"})),
    ("she keeps kosher", frozenset({"kosher"})),
    ("she is vegan and allergic to sesame", frozenset({"vegan", "sesame_free"})),
    ("she is allergic to eggs", frozenset({"egg_free"})),
)


def _city_nobody_serves_with_peanut_free(catalog: CatalogSearch) -> tuple[str, str]:
    """A catalog city and a wife's diet that no venue there serves beside peanut-free (read from the catalog, so a
    team adding venues keeps the test meaningful)."""
    for city in dict.fromkeys(r.city for r in catalog.catalog.restaurants):
        venues = [set(r.dietary_options) for r in catalog.catalog.restaurants if r.city == city]
        for said, wanted in COMPANION_DIETS:
            if not any(wanted | {"peanut_free"} <= options for options in venues):
                return city, said
    raise AssertionError("every city serves every diet of COMPANION_DIETS peanut-free: add a harder pair")


def test_meals_nobody_can_serve_safely_are_not_booked(catalog: CatalogSearch) -> None:
    city, diet = _city_nobody_serves_with_peanut_free(catalog)
    message = f"Plan a weekend in {city} for me and my wife, {diet}"
    trip = _plan(catalog, message, ("User is allergic to peanuts",))
    assert trip.slots() and all(s.venue is None and s.draft is None and s.problem for s in trip.slots())
    assert trip.problems and trip.drafts() == [trip.stay_draft]  # the stay can still be booked


def test_replace_meal_changes_only_that_meal_of_that_day(catalog: CatalogSearch) -> None:
    remembered = ("User is allergic to peanuts",)
    trip = plan_itinerary(_turn(catalog, "3 days in Lyon from 4 June", remembered), catalog, remembered)
    assert trip is not None
    before = trip.days[1].slot("dinner")
    assert before is not None and before.venue is not None
    venues = _restaurants(catalog)
    other_cuisines = [
        r.cuisine
        for r in catalog.catalog.restaurants
        if r.city == "Lyon" and "peanut_free" in r.dietary_options and serves(r.opening_hours, "dinner")
        and r.cuisine != venues[before.venue.id].cuisine
    ]  # fmt: skip
    assert other_cuisines
    wanted = other_cuisines[0].lower()
    follow_up = _turn(catalog, f"make day 2 dinner {wanted}", remembered)
    edited = edit_meal(trip, follow_up, catalog, day=2, meal="dinner", cuisine=wanted)
    assert edited.days[0] == trip.days[0] and edited.days[2] == trip.days[2]
    assert edited.days[1].slot("lunch") == trip.days[1].slot("lunch")
    after = edited.days[1].slot("dinner")
    assert after is not None and after.venue is not None and after.problem is None
    venue = venues[after.venue.id]
    assert venue.cuisine.lower() == wanted and "peanut_free" in venue.dietary_options
    assert after.draft is not None and after.draft.to == venue.reservation_email and after.time is not None
    assert edited.model_dump(exclude={"days"}) == trip.model_dump(exclude={"days"})
    assert trip.days[1].slot("dinner") == before  # the original is untouched (pure)
    again = edit_meal(edited, follow_up, catalog, day=2, meal="dinner", cuisine=wanted)
    assert again == edited  # it already serves that cuisine: kept


def test_replace_meal_refuses_a_bad_day_or_a_search_that_dropped_a_need(catalog: CatalogSearch) -> None:
    remembered = ("User is allergic to peanuts",)
    trip = _plan(catalog, "3 days in Lyon from 4 June", remembered)
    with pytest.raises(ValueError, match="from 1 to 3"):
        replace_meal(trip, day=5, meal="dinner", found=SearchReport(tool="search_restaurants"))
    careless = SearchReport(tool="search_restaurants", options=[trip.days[0].meals[0].venue])  # no needs applied
    with pytest.raises(ValueError, match="peanut allergy"):
        replace_meal(trip, day=2, meal="dinner", found=careless)


def test_trip_length_limits(catalog: CatalogSearch) -> None:
    places = CatalogPlaces(catalog.catalog)
    too_long = parse_request("60 days in Tokyo", now=NOW, places=places)
    problem = trip_length_problem(too_long)
    assert problem is not None and "60 days" in problem and str(MAX_TRIP_NIGHTS) in problem and "\n" not in problem
    three_weeks = parse_request("3 weeks in Tokyo", now=NOW, places=places)
    assert three_weeks.nights == MAX_TRIP_NIGHTS and trip_length_problem(three_weeks) is None
    longer = parse_request("4 weeks in Tokyo", now=NOW, places=places)
    assert longer.nights == 28 and trip_length_problem(longer) is not None
    zero = parse_request("Plan a trip of 0 days to Lyon", now=NOW, places=places)
    assert zero.nights is None and len(zero.problems) == 1


@pytest.mark.parametrize(
    ("message", "meals"),
    [
        ("a week in Seville, lunches only", ("lunch",)),
        ("A trip to Rome for 3 days, breakfast and dinner each day", ("breakfast", "dinner")),
        ("3 days in Madrid, no lunches", ("dinner",)),
        ("A trip to Porto for 3 days, staying at a bed and breakfast", ()),
        ("3 days in Porto", ()),
    ],
)
def test_the_request_reads_which_meals_a_trip_books(catalog: CatalogSearch, message: str, meals: tuple) -> None:
    request = parse_request(message, now=NOW, places=CatalogPlaces(catalog.catalog))
    assert request.intent == "trip" and request.meals == meals


# -- through the service: the real crew on the offline model, and on a remote model's typed arguments --------------


def test_a_trip_through_the_crew_carries_the_itinerary_on_the_reply(service: ConciergeService, project: str) -> None:
    nina = service.scope("nina", project_id=project, run_id="s1")
    service.chat(nina, "I am allergic to peanuts and my husband is coeliac")
    service.chat(nina, "I always prefer a window seat on long flights")
    message = "Plan 3 days in Lyon for me and my husband from 4 June"
    reply = service.chat(nina.with_run("s2"), message)
    trip = reply.itinerary
    assert trip is not None and reply.request.intent == "trip"
    catalog = service.crew_parts()[0]
    _assert_bookable(catalog, trip, {"peanut_free", "gluten_free"})
    today = dt.date.today()
    june_4 = dt.date(today.year, 6, 4) if today <= dt.date(today.year, 6, 4) else dt.date(today.year + 1, 6, 4)
    _assert_consecutive(trip, june_4, 3)
    assert {n.holder for n in trip.needs} == {"user", "husband"} and trip.seat == "window"
    assert reply.plan is not None and reply.plan.chosen == trip.stay and reply.draft == trip.stay_draft
    assert all(s.venue.name in reply.answer for s in trip.slots())  # the day-by-day text lists every booking
    assert all(message not in d.text() for d in trip.drafts())
    assert reply.to_dict()["itinerary"]["city"] == "Lyon"


@pytest.mark.parametrize(
    ("message", "status"),
    [("60 days in Tokyo", None), ("Plan a trip of 0 days to Lyon", None), ("plan 3 days in Oslo", "not_covered")],
)
def test_bad_trips_get_one_clear_answer_and_no_booking(
    service: ConciergeService, project: str, message: str, status: str | None
) -> None:
    """A place we do not cover is read and kept (a plan with no venue: issue 21), never booked."""
    reply = service.chat(service.scope("omar", project_id=project), message)
    assert reply.itinerary is None and reply.draft is None
    assert (reply.plan.status if reply.plan else None) == status and (reply.plan is None or reply.plan.chosen is None)
    assert reply.answer.strip() and len(reply.answer.splitlines()) <= 2


@pytest.fixture
def fake_server() -> Iterator[ModelServer]:
    with ModelServer(api_key="test-key") as server:
        yield server


def test_a_remote_model_that_searches_only_restaurants_still_gets_a_whole_safe_itinerary(
    settings: Settings, fake_server: ModelServer, project: str
) -> None:
    # The model understood "Tokyo" and searched restaurants only (no stay), passing no needs; its plan picks a
    # restaurant as the "stay" with a tampered contact. Code plans the stay and every meal itself.
    fake_server.fail(
        "research", Fault("contradict", overrides={"query": "sushi", "location": "Tokyo", "meal": "dinner"})
    )
    planner = fake_server.handlers["planner"]

    def tampered(call: Call) -> dict[str, Any]:
        plan = json.loads(planner(call)["content"])
        if plan.get("chosen"):
            plan["chosen"]["contact"] = "reservations@tampered.example"
        return {"role": "assistant", "content": json.dumps(plan)}

    fake_server.handlers["planner"] = tampered
    service = ConciergeService.from_settings(model_settings(settings, fake_server))
    try:
        kenji = service.scope("kenji", project_id=project, run_id="s1")
        service.remember(kenji, "I am allergic to peanuts.")
        reply = service.chat(kenji.with_run("s2"), "3 days in Tokyo in April")
        catalog = service.crew_parts()[0]
    finally:
        service.close()
    trip = reply.itinerary
    assert trip is not None and trip.city == "Tokyo"
    _assert_bookable(catalog, trip, {"peanut_free"})
    assert all(tuple(s.meal for s in d.meals) == ("lunch", "dinner") for d in trip.days)
    assert reply.plan is not None and reply.plan.chosen is not None and reply.plan.chosen.kind == "stay"
    assert reply.draft is not None and reply.draft.to == _stays(catalog)[trip.stay.id].contact_email
    assert fake_server.of("planner") and "tampered" not in str(reply.to_dict())
