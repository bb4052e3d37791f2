"""Numbers, times, weekdays, currencies and dates a user says are read right, or the concierge asks in one line;
never a default or another value in silence (issue 24 item 12; attack8 M4, L2, L3).

Members of the class, each with many phrasings: a weekday beside a day it does not fall on, in every form a day is
said ("Fri 12/12", "2026-12-12 (Friday)", "next Friday the 12th", "tomorrow (Wednesday)"); a value corrected inside
the message ("for 2 — sorry, 3", "8pm, sorry 7pm", "on Friday, I mean Saturday"); a budget in a currency other than
the euro (SEK, NOK, kr, zł, ...); a stay whose days and nights disagree ("from 8 to 12 December for 2 nights"); a
day of the month no month has ("Dec 32"); a count in a form no rule reads ("for deux", "for II nights").

The typed request is asserted (date, time, party, nights, budget, a problem asked), never its wording; "now" is
frozen at a Sunday, 6 December 2026, so 12 December is a Saturday.
"""

from __future__ import annotations

import datetime

import pytest

from concierge.request import CatalogPlaces, TurnRequest
from concierge.request.budget import read_budget
from concierge.request.numbers import corrects
from concierge.request.weekday_check import weekday_clash
from tests.request_reading import args_at, asks_once, parse_at, shipped_places

NOW = "2026-12-06 09:00"  # a Sunday
DEC = {day: datetime.date(2026, 12, day) for day in range(6, 32)}


@pytest.fixture(scope="module")
def places() -> CatalogPlaces:
    return shipped_places()


def _read(places: CatalogPlaces, message: str) -> TurnRequest:
    return parse_at(places, message, NOW)


# -- weekdays beside a day they do not fall on --------------------------------------------------------------------
@pytest.mark.parametrize(
    ("message", "day"),
    [
        ("Book dinner in Lyon on Friday 12 December for 2", 12),
        ("Book dinner in Lyon on Friday, December 12 for 2", 12),
        ("Book dinner in Lyon on Fri 12/12 for 2", 12),
        ("Book dinner in Lyon on Fri. 12 Dec for 2", 12),
        ("Book dinner in Lyon on Sun 12/12 for 2", 12),
        ("Book dinner in Lyon on 12/12 (Fri) for 2", 12),
        ("Book dinner in Lyon on 2026-12-12 (Friday) for 2", 12),
        ("Book dinner in Lyon on Friday 2026-12-12 for 2", 12),
        ("Book dinner in Lyon on Saturday 2026-12-13 for 2", 13),
        ("Book dinner in Lyon on Monday 2026-12-08 for 2", 8),
        ("Book dinner in Lyon next Friday the 12th for 2", 12),
        ("Book dinner in Lyon this Friday the 12th for 2", 12),
        ("Book dinner in Lyon on Monday the 9th for 2", 9),
        ("Book dinner in Lyon on Friday, the 12th of December for 2", 12),
        ("Book dinner in Lyon on the 12th, Friday, for 2", 12),
        ("Book dinner in Lyon tomorrow (Wednesday) for 2", 7),
        ("Book dinner in Lyon tomorrow night, i.e. Tuesday, for 2", 7),
        ("Book dinner in Lyon tonight, Saturday, for 2", 6),
        ("Book dinner in Lyon the day after tomorrow (Wednesday) for 2", 8),
        ("Book a hotel in Lyon from Friday 12 December for 2 nights", 12),
    ],
)
def test_a_weekday_beside_a_day_it_is_not_asks_which(places: CatalogPlaces, message: str, day: int) -> None:
    request = _read(places, message)
    assert request.date == DEC[day]  # the day said in the calendar, never the weekday's day, and a question
    asks_once(request)


@pytest.mark.parametrize(
    ("message", "day"),
    [
        ("Book dinner in Lyon on Saturday 12 December for 2", 12),
        ("Book dinner in Lyon on Sat 12/12 for 2", 12),
        ("Book dinner in Lyon on 2026-12-12 (Saturday) for 2", 12),
        ("Book dinner in Lyon on 12/12 (Sat) for 2", 12),
        ("Book dinner in Lyon next Saturday the 12th for 2", 12),
        ("Book dinner in Lyon on Wednesday the 9th for 2", 9),
        ("Book dinner in Lyon on Tue 8 Dec for 2", 8),
        ("Book dinner in Lyon tomorrow (Monday) for 2", 7),
        ("Book dinner in Lyon tonight, Sunday, for 2", 6),
        ("Book dinner in Lyon on Friday, 11 December for 2", 11),
        ("Book dinner in Lyon on Sun the 13th for 2", 13),
        ("Book dinner in Lyon on the 13th for 2, a table in the sun 2 hours before sunset", 13),
    ],
)
def test_a_weekday_that_agrees_with_its_day_is_read(places: CatalogPlaces, message: str, day: int) -> None:
    request = _read(places, message)
    assert request.date == DEC[day] and request.problems == ()


def test_a_models_date_with_a_weekday_it_is_not_asks_too(places: CatalogPlaces) -> None:
    """The real-model path reads its date argument with the same readers: the same question."""
    request = args_at(places, {"intent": "dine", "place": "Lyon", "date": "Fri 12/12", "party_size": 2}, NOW)
    asks_once(request)
    agrees = args_at(places, {"intent": "dine", "place": "Lyon", "date": "Sat 12/12", "party_size": 2}, NOW)
    assert agrees.date == DEC[12] and agrees.problems == ()


def test_weekday_clash_compares_the_weekday_with_the_day() -> None:
    saturday = DEC[12]
    assert weekday_clash(5, saturday) is None
    assert all(weekday_clash(other, saturday) for other in (0, 1, 2, 3, 4, 6))


# -- a value corrected inside the message -------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("message", "party"),
    [
        ("Book dinner in Lyon tomorrow for 2 — sorry, 3", 3),
        ("Book dinner in Lyon tomorrow for 2 - sorry, 3", 3),
        ("Book dinner in Lyon tomorrow for 2 (make that 4)", 4),
        ("Book dinner in Lyon tomorrow for 4, no wait, 5", 5),
        ("Book dinner in Lyon tomorrow for 4, actually 5", 5),
        ("Book dinner in Lyon for 2, no 3, tomorrow", 3),
        ("Book dinner in Lyon tomorrow for 6 \u2013 I mean 7", 7),
        ("Book dinner in Lyon tomorrow for 3... sorry, for 4", 4),
        ("Book dinner in Lyon tomorrow for 2 people, oops, 3", 3),
        ("Book dinner in Lyon tomorrow for 2, no nuts please", 2),  # no number after "no": nothing corrected
        ("Book dinner in Lyon tomorrow for 2, no one else", 2),
    ],
)
def test_a_party_corrected_inside_the_message_is_the_correction(
    places: CatalogPlaces, message: str, party: int
) -> None:
    request = _read(places, message)
    assert request.party_size == party and request.problems == ()


@pytest.mark.parametrize(
    ("message", "clock"),
    [
        ("Book dinner in Lyon tomorrow at 8pm, sorry 7pm, for 2", datetime.time(19, 0)),
        ("Book dinner in Lyon tomorrow for 2 at 7pm, no, 9pm", datetime.time(21, 0)),
        ("Book dinner in Lyon tomorrow for 2 at 7, no, 9", datetime.time(21, 0)),
        ("Book dinner in Lyon tomorrow at 19:00 — make that 19:30 — for 2", datetime.time(19, 30)),
        ("Book dinner in Lyon tomorrow at half past seven, sorry, 8pm for 2", datetime.time(20, 0)),
        ("Book dinner in Lyon tomorrow at 8pm (I mean 8.30pm) for 2", datetime.time(20, 30)),
        ("Book lunch in Lyon tomorrow at 12, no, 1pm for 2", datetime.time(13, 0)),
        ("Book dinner in Lyon tomorrow for 2 at 8pm. No, wait, at 9pm", datetime.time(21, 0)),
        ("Book dinner in Lyon tomorrow for 2 at 8pm, sorry, at 7", datetime.time(19, 0)),
        ("Book dinner in Lyon tomorrow for 2, no later than 9pm", datetime.time(21, 0)),
        ("Book dinner in Lyon tomorrow at 8pm, no nuts, for 2", datetime.time(20, 0)),
    ],
)
def test_a_time_corrected_inside_the_message_is_the_correction(
    places: CatalogPlaces, message: str, clock: datetime.time
) -> None:
    request = _read(places, message)
    assert request.time == clock and request.party_size == 2 and request.problems == ()


@pytest.mark.parametrize(
    ("message", "day"),
    [
        ("Book dinner in Lyon on Friday, I mean Saturday, for 2", 12),
        ("Book dinner in Lyon tomorrow, no, Tuesday, for 2", 8),
        ("Book dinner in Lyon on the 12th, sorry, the 13th for 2", 13),
        ("Book dinner in Lyon on Friday 11 December, sorry, Saturday 12 December for 2", 12),
        ("Book dinner in Lyon on 10/12 (make that 11/12) for 2", 11),
        ("Book dinner in Lyon on Friday. Sorry, on Saturday. For 2", 12),
    ],
)
def test_a_day_corrected_inside_the_message_is_the_correction(places: CatalogPlaces, message: str, day: int) -> None:
    request = _read(places, message)
    assert request.date == DEC[day] and request.problems == ()


def test_corrects_needs_a_correction_word_between_two_values() -> None:
    text = "for 2, no 3 and 4 or 5"
    assert corrects(text, len("for 2"), len("for 2, no "))
    assert not corrects(text, len("for 2, no 3"), len("for 2, no 3 and "))


# -- budgets in another currency -----------------------------------------------------------------------------------
HOTEL = "Book a hotel in Lyon for 2 nights from tomorrow under {} a night"


@pytest.mark.parametrize(
    "amount",
    [
        "900 SEK",
        "SEK 900",
        "900 sek",
        "150 kr",
        "150 kronor",
        "150 zł",
        "150 PLN",
        "150 złoty",
        "1100 NOK",
        "1100 DKK",
        "200 CHF",
        "20000 JPY",
        "¥20000",
        "5000 Kč",
        "50000 Ft",
        "150 USD",
    ],
)
def test_a_budget_in_another_currency_is_one_line_naming_it(places: CatalogPlaces, amount: str) -> None:
    request = _read(places, HOTEL.format(amount))
    assert request.budget_per_night_eur is None and request.nights == 2
    asks_once(request)
    assert amount.split()[-1 if amount[0].isdigit() else 0] in request.problems[0]  # the currency is named


@pytest.mark.parametrize(
    "message",
    [
        "Book dinner in Lyon tomorrow for 2 under 40 NOK a head",
        "Book dinner in Lyon tomorrow for 2 under 400 kr per person",
        "Book dinner in Lyon tomorrow for 2, budget 300 SEK",
    ],
)
def test_a_dinner_budget_in_another_currency_asks(places: CatalogPlaces, message: str) -> None:
    request = _read(places, message)
    assert request.party_size == 2
    asks_once(request)


@pytest.mark.parametrize(
    ("amount", "euros"),
    [("1,5 k€", 1500), ("1.5k €", 1500), ("150 EUR", 150), ("€90", 90), ("150 euros", 150), ("150", 150)],
)
def test_a_budget_in_euros_is_still_read(places: CatalogPlaces, amount: str, euros: int) -> None:
    request = _read(places, HOTEL.format(amount))
    assert request.budget_per_night_eur == euros and request.problems == ()


@pytest.mark.parametrize(
    "text",
    [
        "a hotel in Lyon, budget 150 all in",
        "a hotel in Lyon, budget 100 top",
        "a hotel within 2 km of the station",
    ],
)
def test_words_beside_a_number_are_no_currency(text: str) -> None:
    assert read_budget(text, nights=2).problem is None  # the nights known: "150 all in" is shared by them, no ask


# -- stays: days and nights ------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "message",
    [
        "Book a hotel in Lyon from 8 to 12 December for 2 nights",
        "Book a hotel in Lyon 8-12 Dec for 3 nights",
        "Book a hotel in Lyon Dec 8th through the 12th for 2 nights",
        "Book a hotel in Lyon from Tuesday to Friday for 2 nights",
        "Book a hotel in Lyon for 3 nights from tomorrow, i.e. until Friday",
        "Book a hotel in Lyon for 5 nights from tomorrow, checking out Wednesday",
    ],
)
def test_a_stay_whose_days_and_nights_disagree_asks(places: CatalogPlaces, message: str) -> None:
    request = _read(places, message)
    assert request.nights is None  # neither the days nor the nights chosen in silence
    asks_once(request)


@pytest.mark.parametrize(
    ("message", "day", "nights"),
    [
        ("Book a hotel in Lyon from 8 to 12 December", 8, 4),
        ("Book a hotel in Lyon 8-12 Dec", 8, 4),
        ("Book a hotel in Lyon Dec 8th through the 12th", 8, 4),
        ("Book a hotel in Lyon 8th through 12th December", 8, 4),
        ("Book a hotel in Lyon Dec 8 thru 12", 8, 4),
        ("Book a hotel in Lyon from 8 to 10 December for 2 nights", 8, 2),
        ("Book a hotel in Lyon for 2 nights, checking out Wednesday, from tomorrow", 7, 2),
        ("Book a hotel in Lyon from tomorrow, checking out Thursday", 7, 3),
        ("Book a hotel in Lyon from tomorrow until Friday", 7, 4),
        ("Book a hotel in Lyon leaving on the 12th, from the 9th", 9, 3),
    ],
)
def test_a_stays_days_are_read_with_its_nights(places: CatalogPlaces, message: str, day: int, nights: int) -> None:
    request = _read(places, message)
    assert (request.date, request.nights, request.problems) == (DEC[day], nights, ())


# -- days no month has; counts no rule reads (attack8 L2, L3) ------------------------------------------------------
@pytest.mark.parametrize("said", ["Dec 32", "December 32nd", "32 December", "Dec 45"])
def test_a_day_no_month_has_is_one_line_not_another_year(places: CatalogPlaces, said: str) -> None:
    request = _read(places, f"Book dinner in Lyon on {said} for 2")
    assert request.date is None and request.party_size == 2
    asks_once(request)
    assert said in request.problems[0] and "20" not in request.problems[0]  # names it; no year read from it


@pytest.mark.parametrize(
    ("message", "field"),
    [
        ("Book dinner in Lyon tomorrow for deux", "party_size"),
        ("Book dinner in Lyon tomorrow for deux personnes", "party_size"),
        ("Book dinner in Lyon tomorrow for trois", "party_size"),
        ("Book dinner in Lyon tomorrow for zwei", "party_size"),
        ("Book dinner in Lyon tomorrow for 2.0", "party_size"),
        ("Book dinner in Lyon tomorrow for III", "party_size"),
        ("Book a hotel in Lyon for II nights from tomorrow", "nights"),
        ("Book a hotel in Lyon for tres nights from tomorrow", "nights"),
    ],
)
def test_a_count_no_rule_reads_is_one_line_never_the_default(places: CatalogPlaces, message: str, field: str) -> None:
    request = _read(places, message)
    assert getattr(request, field) is None
    asks_once(request)


@pytest.mark.parametrize(
    ("message", "party"),
    [
        ("Book dinner in Lyon tomorrow for six", 6),
        ("Book dinner in Lyon tomorrow for 2 at 7.30", 2),
        ("Book dinner in Lyon tomorrow for 1,000 people", None),  # refused as too many, one line
    ],
)
def test_counts_beside_them_are_still_read(places: CatalogPlaces, message: str, party: int | None) -> None:
    request = _read(places, message)
    assert request.party_size == party
    assert len(request.problems) == (party is None)
