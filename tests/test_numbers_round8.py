"""Values read from one message, as a class (issue 24 item 6, attack11 M5): "in a fortnight" became tomorrow, "at ten
to nine" 22:00, "at twenty past seven" 20:00, "for two couples and a single friend" 4, "for a table of 2, no, 3,
actually 4" 3, "80 euros max per night" no budget (a EUR 186 hotel chosen), and "breakfst in Pari" a town in Brazil.

Each class is driven by phrasings of its own (relative days, times in words, party compositions, self-corrections,
limits said after the amount, a city one letter short); the typed request is asserted (date, time, party, nights,
budget), never its wording. "Now" is Sunday 6 December 2026, 09:00 (the coming Tuesday is the 8th). The turn itself
is checked end to end through ``ConciergeService.chat`` (on today's date): the stay chosen under a per-night cap costs
at most the cap.
"""

from __future__ import annotations

import datetime

import pytest
from freezegun import freeze_time

from concierge.offline.values import date_in, party_in, time_in
from concierge.request import CatalogPlaces, TurnRequest
from concierge.request.budget import meal_budget, per_night_budget
from concierge.service import ConciergeService
from tests.request_reading import parse_at, shipped_places

NOW = "2026-12-06 09:00"  # a Sunday
DEC = {day: datetime.date(2026, 12, day) for day in range(6, 32)}


@pytest.fixture(scope="module")
def places() -> CatalogPlaces:
    places = shipped_places()
    parse_at(places, "Book dinner in Lyon tomorrow for 2", NOW)  # spaCy and dateparser loaded outside freezegun
    return places


def _read(places: CatalogPlaces, message: str) -> TurnRequest:
    return parse_at(places, message, NOW)


# -- a day counted from today, or from a weekday -----------------------------------------------------------------------
@pytest.mark.parametrize(
    ("message", "day"),
    [
        ("Book dinner in Lyon in a fortnight for 4", DEC[20]),
        ("Book dinner in Paris in a fortnight's time for 2", DEC[20]),
        ("Book lunch in Rome in two weeks' time for 3", DEC[20]),
        ("Book dinner in Madrid in a couple of weeks for 2", DEC[20]),
        ("Book dinner in Porto in a couple of days for 2", DEC[8]),
        ("Book dinner in Nice a fortnight from now for 2", DEC[20]),
        ("Book lunch in Seville two weeks from now for 2", DEC[20]),
        ("Book dinner in Berlin the Tuesday after next for 2", DEC[15]),
        ("Book dinner in Milan on Thursday after next for 2", DEC[17]),
        ("Book lunch in Lisbon the Friday after next for 4", DEC[18]),
        ("Book dinner in Athens a week on Tuesday for 2", DEC[15]),
        ("Book dinner in Florence a week on Wednesday for 2", DEC[16]),
        ("Book dinner in Bologna this time next week for 2", DEC[13]),
        ("Book dinner in Naples in 3 weeks' time for 2", DEC[27]),
        ("Book dinner in Valencia in twelve days for 2", DEC[18]),
        ("Book dinner in Granada in eleven days for 2", DEC[17]),
        ("Book lunch in London three weeks from today for 2", DEC[27]),
        ("Book dinner in Amsterdam in a week's time for 2", DEC[13]),
    ],
)
def test_a_day_counted_in_weeks_or_fortnights_is_that_day(
    places: CatalogPlaces, message: str, day: datetime.date
) -> None:
    request = _read(places, message)
    assert (request.date, request.problems) == (day, ())


def test_a_stay_starting_in_a_fortnight_keeps_its_own_nights(places: CatalogPlaces) -> None:
    request = _read(places, "Book a hotel in Lyon in a fortnight for 3 nights for 2")
    assert (request.intent, request.date, request.nights) == ("stay", DEC[20], 3)


# -- times said on a clock face ---------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("message", "time"),
    [
        ("Book dinner in Lyon tomorrow at ten to nine for 2", datetime.time(20, 50)),
        ("Book dinner in Paris tomorrow at twenty past seven for 2", datetime.time(19, 20)),
        ("Book dinner in Rome tomorrow at five past eight for 2", datetime.time(20, 5)),
        ("Book dinner in Madrid tomorrow at twenty-five to eight for 2", datetime.time(19, 35)),
        ("Book dinner in Porto tomorrow at 10 to 9 for 2", datetime.time(20, 50)),
        ("Book dinner in Nice tomorrow at 20 past 7 for 2", datetime.time(19, 20)),
        ("Book dinner in Berlin tomorrow at ten past eight pm for 2", datetime.time(20, 10)),
        ("Book dinner in Milan tomorrow at seven forty for 2", datetime.time(19, 40)),
        ("Book dinner in Athens tomorrow at eight twenty for 2", datetime.time(20, 20)),
        ("Book dinner in Naples tomorrow at nine oh five for 2", datetime.time(21, 5)),
        ("Book breakfast in Lisbon tomorrow at ten past nine for 2", datetime.time(9, 10)),
        ("Book lunch in Seville tomorrow at twenty past twelve for 2", datetime.time(12, 20)),
        ("Book lunch in Florence tomorrow at a quarter to one for 2", datetime.time(12, 45)),
        ("Book dinner in Bologna tomorrow at twenty after seven for 2", datetime.time(19, 20)),
        ("Book dinner in Valencia tomorrow at ten minutes to nine for 2", datetime.time(20, 50)),
        ("Book dinner in London tomorrow at five to eight for 2", datetime.time(19, 55)),
    ],
)
def test_a_time_said_on_the_clock_face_is_that_time(places: CatalogPlaces, message: str, time: datetime.time) -> None:
    request = _read(places, message)
    assert (request.date, request.time, request.party_size, request.problems) == (DEC[7], time, 2, ())


# -- who comes ---------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("message", "party"),
    [
        ("Book dinner in Lyon tomorrow for myself and two others", 3),
        ("Book dinner in Paris tomorrow for two couples and a single friend", 5),
        ("Book dinner in Rome tomorrow for two couples and a friend", 5),
        ("Book dinner in Madrid tomorrow for three couples and two kids", 8),
        ("Book dinner in Porto tomorrow for me and three others", 4),
        ("Book dinner in Nice tomorrow for a couple and their two kids", 4),
        ("Book dinner in Berlin tomorrow for two couples plus me", 5),
        ("Book dinner in Milan tomorrow for us two and our son", 3),
        ("Book dinner in Athens tomorrow for four friends and me", 5),
        ("Book dinner in Naples tomorrow for three others and me", 4),
        ("Book dinner in Lisbon tomorrow for two couples and three others", 7),
        ("Book dinner in Seville tomorrow for the two of us and my parents", 4),
        ("Book dinner in Florence tomorrow for me, my partner and two friends", 4),
        ("Book dinner in Bologna tomorrow for myself plus two colleagues", 3),
        ("Book lunch in Valencia tomorrow for two adults and a baby", 3),
    ],
)
def test_a_party_said_as_people_is_counted(places: CatalogPlaces, message: str, party: int) -> None:
    request = _read(places, message)
    assert (request.party_size, request.problems) == (party, ())


# -- a value corrected more than once: the last one said ---------------------------------------------------------------
@pytest.mark.parametrize(
    ("message", "party"),
    [
        ("Book dinner in Lyon tomorrow for a table of 2, no, 3, actually 4", 4),
        ("Book dinner in Paris tomorrow for 2, no, 3, actually 4", 4),
        ("Book dinner in Rome tomorrow for 2, sorry 3, no wait 4", 4),
        ("Book dinner in Madrid tomorrow for two, I mean three, no, four", 4),
        ("Book dinner in Porto tomorrow, table for 2, no 3, no 4, no 5", 5),
        ("Book dinner in Nice tomorrow for 5, or rather 6", 6),
    ],
)
def test_the_last_correction_of_a_party_wins(places: CatalogPlaces, message: str, party: int) -> None:
    request = _read(places, message)
    assert (request.party_size, request.problems) == (party, ())


def test_the_last_correction_of_a_time_and_a_day_wins(places: CatalogPlaces) -> None:
    assert _read(places, "Book dinner in Lyon tomorrow at 8pm, no, 8:30, actually 9pm for 2").time == datetime.time(21)
    assert _read(places, "Book dinner in Rome on Friday, no, Saturday, actually Thursday for 2").date == DEC[10]


# -- the most a night may cost, however the limit is placed ------------------------------------------------------------
STAY = "Book a hotel in Lyon for 2 nights from tomorrow for 2, "


@pytest.mark.parametrize(
    ("said", "cap"),
    [
        ("80 euros max per night", 80),
        ("€90 per night max", 90),
        ("120 euros a night tops", 120),
        ("100 EUR/night at most", 100),
        ("up to 150 euros nightly", 150),
        ("80 euros maximum per night", 80),
        ("80€ max/night", 80),
        ("max. 95 euros per night", 95),
        ("90 euros max", 90),
        ("€100 tops", 100),
        ("100 euros or less per night", 100),
    ],
)
def test_a_limit_said_after_the_amount_caps_a_night(places: CatalogPlaces, said: str, cap: int) -> None:
    request = _read(places, STAY + said)
    assert (request.intent, request.party_size, request.budget_per_night_eur, request.problems) == ("stay", 2, cap, ())


def test_a_party_then_an_amount_is_two_numbers() -> None:
    """ "for 2, 120 euros a night" was read as 2120 euros (a thousands group across the comma)."""
    assert per_night_budget("a hotel for 2, 120 euros a night") == 120
    assert per_night_budget("a hotel for 2, 1 200 euros a night") == 1200


@pytest.mark.parametrize(
    ("said", "party", "level"),
    [
        ("Book dinner in Lyon tomorrow for 2, 30 euros per person max", 2, 1),
        ("Book dinner in Lyon tomorrow for 2, 80 euros max per person", 2, 3),
        ("Book dinner in Lyon tomorrow for 2, €45 each, tops", 2, 2),
        ("Book dinner in Lyon tomorrow for 4, under 100 euros total", 4, 1),
        ("Book dinner in Lyon tomorrow for 2, 120 euros for the two of us", 2, 2),
        ("Book dinner in Lyon tomorrow for 2, 150 euros max", 2, 3),
    ],
)
def test_a_meal_budget_with_its_limit_after_the_amount(
    places: CatalogPlaces, said: str, party: int, level: int
) -> None:
    request = _read(places, said)
    assert (request.party_size, request.budget_level, request.problems) == (party, level, ())
    assert meal_budget(said, party).level == level


# -- a city typed one letter short -------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("message", "city"),
    [
        ("breakfst in Pari tomorrow for 2", "Paris"),
        ("dinner in Pari tomorrow for 2", "Paris"),
        ("Book a hotel in Pari for 2 nights from tomorrow for 2", "Paris"),
        ("lunch in Mila tomorrow for 2", "Milan"),
        ("dinner in Erlin tomorrow for 2", "Berlin"),
        ("dinner in Libon on friday for 3", "Lisbon"),
        ("a trip to Pari in March for 2", "Paris"),
    ],
)
def test_a_city_one_letter_short_is_the_city_not_a_small_namesake(
    places: CatalogPlaces, message: str, city: str
) -> None:
    place = _read(places, message).place
    assert place is not None and (place.city, place.in_catalog) == (city, True)


@pytest.mark.parametrize(
    ("message", "country"), [("dinner in Lomé tomorrow", "Togo"), ("dinner in Fargo", "United States")]
)
def test_a_large_place_near_a_city_name_stays_itself(places: CatalogPlaces, message: str, country: str) -> None:
    place = _read(places, message).place
    assert place is not None and (place.city, place.country, place.in_catalog) == (None, country, False)


# -- the same readers on a follow-up's short text ----------------------------------------------------------------------
def test_a_follow_up_reads_the_same_values() -> None:
    now = datetime.datetime(2026, 12, 6, 9)
    with freeze_time(NOW):
        assert date_in("make it the Tuesday after next", now) == DEC[15]
        assert date_in("move it to a fortnight from now", now) == DEC[20]
        assert time_in("make it ten to nine", now) == datetime.time(20, 50)
        assert party_in("make it two couples and a friend", now) == 5
        assert party_in("for 2, no, 3, actually 4", now) == 4


# -- end to end: the plan keeps what was read --------------------------------------------------------------------------
def _price(service: ConciergeService, stay_id: str) -> int:
    return next(s.price_per_night_eur for s in service.catalog().stays if s.id == stay_id)


@pytest.mark.parametrize(
    ("message", "cap"),
    [
        ("Find a hotel in Lyon from tonight for 2 nights, 120 euros max per night", 120),
        ("Find a place to stay in Paris from tomorrow for 3 nights for 2, €200 a night tops", 200),
    ],
)
def test_the_stay_chosen_costs_at_most_the_cap(service: ConciergeService, project: str, message: str, cap: int) -> None:
    reply = service.chat(service.scope("capped", project_id=project, run_id="s1"), message)
    assert reply.request.budget_per_night_eur == cap
    assert reply.plan is not None and reply.plan.chosen is not None
    chosen = [reply.plan.chosen, *reply.plan.backups]
    assert all(_price(service, option.id) <= cap for option in chosen)


def test_a_cap_no_stay_fits_proposes_none_and_names_the_closest(service: ConciergeService, project: str) -> None:
    reply = service.chat(
        service.scope("capped", project_id=project, run_id="s2"),
        "Find a hotel in Lyon from tonight for 2 nights, 80 euros max per night",
    )
    assert reply.request.budget_per_night_eur == 80
    lyon = [s for s in service.catalog().stays if s.city == "Lyon"]
    assert min(s.price_per_night_eur for s in lyon) > 80  # the catalog has no such stay: nothing may be chosen
    assert reply.plan is not None and reply.plan.chosen is None
    assert reply.draft is None or not reply.draft.to
    cheapest = min(lyon, key=lambda s: s.price_per_night_eur)
    assert any(cheapest.name in problem for problem in reply.plan.problems)  # offered to raise the cap for


def test_a_dinner_in_a_fortnight_at_ten_to_nine_is_planned_so(service: ConciergeService, project: str) -> None:
    reply = service.chat(
        service.scope("clock", project_id=project, run_id="s1"),
        "Book dinner in Lyon in a fortnight at ten to nine for two couples and a single friend",
    )
    assert reply.plan is not None and reply.plan.chosen is not None
    assert (reply.plan.date, reply.plan.party_size) == (datetime.date.today() + datetime.timedelta(days=14), 5)
    assert reply.request.time == datetime.time(20, 50)


def test_breakfast_in_pari_is_planned_in_paris(service: ConciergeService, project: str) -> None:
    reply = service.chat(service.scope("typist", project_id=project, run_id="s1"), "breakfst in Pari tomorrow for 2")
    assert reply.plan is not None and reply.plan.chosen is not None
    assert (reply.plan.chosen.city, reply.plan.party_size, reply.plan.meal) == ("Paris", 2, "breakfast")
