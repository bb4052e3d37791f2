"""Numbers, dates, times, party sizes and budgets in one message are read right, or asked in one line; never
misread in silence (issue 24 item 12; attack9 M3: "December twelfth" and "12-12" became tomorrow, "Monday week" the
coming Monday, "at 8pm for 2, oops I meant 9pm" 20:00, "for two, plus my son" 2, "for 6ish" 18:00, "at 1930" no
time, "under €80 per person" no budget, "under one fifty euros a night" 51 €, "1 week and 2 days" 7 nights).

Each class is driven by many phrasings (cities, meals, word orders); the typed request is asserted (date, time,
party, nights, budget level or per night, a problem asked), never its wording. "Now" is frozen at Sunday
6 December 2026, 09:00 (so 12 December is a Saturday, 15 December a Tuesday). The readers a follow-up turn calls
(``concierge.offline.values``) are checked on short texts ("make it the twelfth", "move it to 12-12").
"""

from __future__ import annotations

import datetime

import pytest
from freezegun import freeze_time

from concierge.offline.values import date_in, party_in, problems_in, read_values, time_in
from concierge.request import CatalogPlaces, TurnRequest
from concierge.request.numbers import ordinal_value, said_as_correction, words_value
from tests.request_reading import asks_once, parse_at, shipped_places

NOW = "2026-12-06 09:00"  # a Sunday
DEC = {day: datetime.date(2026, 12, day) for day in range(6, 32)}
TOMORROW = DEC[7]


@pytest.fixture(scope="module")
def places() -> CatalogPlaces:
    places = shipped_places()
    parse_at(places, "Book dinner in Lyon tomorrow for 2", NOW)  # spaCy and dateparser loaded outside freezegun
    return places


def _read(places: CatalogPlaces, message: str) -> TurnRequest:
    return parse_at(places, message, NOW)


# -- days of the month in words and with a dash --------------------------------------------------------------------
@pytest.mark.parametrize(
    ("message", "day"),
    [
        ("Book dinner in Lyon on December twelfth for 2", 12),
        ("Book dinner in Lyon on the twelfth for 2", 12),
        ("Book dinner in Lyon on 12-12 for 2", 12),
        ("Book lunch in Paris on the twentieth of December for 3", 20),
        ("Book lunch in Paris on December twenty-first for 3", 21),
        ("Dinner in Rome on the fifteenth, for 4", 15),
        ("Table for 2 in Madrid on Dec. fourteenth at 8pm", 14),
        ("Book breakfast in Porto on the eighteenth of Dec for 2", 18),
        ("Book dinner in Nice on 24-12 for 6", 24),
        ("Book dinner in Berlin on the twenty second for 2", 22),
        ("Book dinner in Milan December the thirtieth for 2", 30),
        ("Reserve lunch in Seville on 19-12-2026 for 2", 19),
        ("Book dinner in Athens on the thirty-first for 2", 31),
    ],
)
def test_a_day_said_in_words_or_with_a_dash_is_that_day(places: CatalogPlaces, message: str, day: int) -> None:
    request = _read(places, message)
    assert (request.date, request.problems) == (DEC[day], ())


@pytest.mark.parametrize(
    ("message", "day"),
    [
        ("Book lunch in Lyon on the first for 2", datetime.date(2027, 1, 1)),
        ("Book dinner in Lyon on the second for 2", datetime.date(2027, 1, 2)),
        ("Book dinner in Paris on the third of January for 2", datetime.date(2027, 1, 3)),
    ],
)
def test_a_day_in_words_already_past_this_month_is_next_months(
    places: CatalogPlaces, message: str, day: datetime.date
) -> None:
    assert _read(places, message).date == day


@pytest.mark.parametrize(
    "message",
    [
        "Book dinner in Lyon for the second time tomorrow for 2",
        "Book the first restaurant in Lyon tomorrow for 2",
        "Book dinner in Lyon tomorrow for 2, my second visit",
    ],
)
def test_an_ordinal_that_counts_something_else_is_no_day(places: CatalogPlaces, message: str) -> None:
    assert _read(places, message).date == TOMORROW


# -- a week or a fortnight from a day --------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("message", "day"),
    [
        ("Book dinner in Lyon a week tomorrow for 2", 14),
        ("Book dinner in Lyon Monday week for 2", 14),
        ("Book dinner in Lyon Thursday week for 2", 17),
        ("Book dinner in Lyon a fortnight tomorrow for 2", 21),
        ("Book lunch in Paris a week on Friday for 3", 18),
        ("Book dinner in Rome a week from tomorrow for 2", 14),
        ("Book dinner in Madrid tomorrow week for 4", 14),
        ("Book lunch in Lisbon on Saturday week for 2", 19),
        ("Book dinner in Porto two weeks tomorrow for 2", 21),
        ("Book dinner in Florence a week today for 2", 13),
        ("Book dinner in Berlin Friday fortnight for 2", 25),
        ("Book brunch in London on Tuesday week for 2", 15),
    ],
)
def test_a_week_or_fortnight_from_a_day_is_counted_from_that_day(places: CatalogPlaces, message: str, day: int) -> None:
    request = _read(places, message)
    assert (request.date, request.problems) == (DEC[day], ())


# -- a weekday beside a short numeric day ----------------------------------------------------------------------------
@pytest.mark.parametrize(
    "message",
    [
        "Book dinner in Lyon on 15/12 (a Monday) for 2",
        "Book dinner in Paris on 15/12, a Monday, for 2",
        "Book dinner in Rome on 12-12 (a Friday) for 2",
        "Book lunch in Madrid on the 15th, which is a Monday, for 3",
        "Book dinner in Nice on 12/12 — that's a Friday — for 2",
        "Book dinner in Porto on December twelfth (a Friday) for 2",
        "Book dinner in Milan on the twelfth, a Sunday, for 2",
    ],
)
def test_a_weekday_beside_a_day_it_does_not_fall_on_asks(places: CatalogPlaces, message: str) -> None:
    request = _read(places, message)
    asks_once(request)


@pytest.mark.parametrize(
    "message",
    [
        "Book dinner in Lyon on 15/12 (a Tuesday) for 2",
        "Book dinner in Rome on 12-12 (a Saturday) for 2",
        "Book dinner in Milan on the twelfth, a Saturday, for 2",
    ],
)
def test_a_weekday_that_agrees_is_no_problem(places: CatalogPlaces, message: str) -> None:
    request = _read(places, message)
    assert request.problems == () and request.date in {DEC[12], DEC[15]}


# -- times: the 24-hour clock without a colon, two times, a limit, a window -------------------------------------------
@pytest.mark.parametrize(
    ("message", "time"),
    [
        ("Book dinner in Lyon tomorrow at 1930 for 2", datetime.time(19, 30)),
        ("Book dinner in Paris tomorrow at 2015 for 4", datetime.time(20, 15)),
        ("Book lunch in Rome tomorrow at 1230 for 2", datetime.time(12, 30)),
        ("Book breakfast in Porto tomorrow at 0830 for 2", datetime.time(8, 30)),
        ("Book dinner in Madrid tomorrow, 2100 hrs, for 2", datetime.time(21, 0)),
        ("Book dinner in Nice tomorrow around 1945 for 3", datetime.time(19, 45)),
        ("Book lunch in Milan tomorrow at 1300h for 2", datetime.time(13, 0)),
    ],
)
def test_a_time_on_the_24_hour_clock_without_colon_is_read(
    places: CatalogPlaces, message: str, time: datetime.time
) -> None:
    request = _read(places, message)
    assert (request.time, request.party_size is not None, request.problems) == (time, True, ())


@pytest.mark.parametrize(
    "message",
    [
        "Book dinner in Lyon tomorrow at 8 or 9pm for 2",
        "Book dinner in Paris tomorrow at 8pm or 9pm for 2",
        "Book dinner in Rome tomorrow 7 or 8pm for 4",
        "Book lunch in Madrid tomorrow at 12 or 1pm for 2",
        "Book dinner in Nice tomorrow at 7:30 or 8pm for 2",
        "Book dinner in Porto tomorrow at 8 or maybe 9pm for 3",
        "Book dinner in Berlin tomorrow at 8pm / 9pm for 2",
        "Book dinner in Lisbon at 19:30 or 20:00 tomorrow for 2",
    ],
)
def test_two_times_either_of_which_asks(places: CatalogPlaces, message: str) -> None:
    request = _read(places, message)
    asks_once(request)
    assert request.time is None


@pytest.mark.parametrize(
    "message",
    [
        "Book dinner in Lyon tomorrow before 8pm for 2",
        "Book dinner in Paris tomorrow for 2 before 9pm",
        "Book lunch in Rome tomorrow before 1pm for 3",
        "Book dinner in Madrid tomorrow earlier than 8pm for 2",
        "Book dinner in Nice tomorrow, before 8:30pm, for 2",
        "Book dinner in Lisbon tomorrow sometime before 9 for 2",
    ],
)
def test_a_time_said_as_a_limit_before_asks(places: CatalogPlaces, message: str) -> None:
    request = _read(places, message)
    asks_once(request)
    assert request.time is None


@pytest.mark.parametrize(
    ("message", "time"),
    [
        ("Book dinner in Lyon tomorrow not before 9pm for 2", datetime.time(21, 0)),
        ("Book dinner in Lyon tomorrow no earlier than 9pm for 2", datetime.time(21, 0)),
        ("Book dinner in Lyon tomorrow after 8pm for 2", datetime.time(20, 0)),
        ("Book dinner in Lyon tomorrow by 8pm for 2", datetime.time(20, 0)),
        ("Book a hotel in Lyon from tomorrow for 2 nights, arriving before 3pm", datetime.time(15, 0)),
        ("Book a hotel in Paris for 2 nights from tomorrow, check in before 2pm", datetime.time(14, 0)),
    ],
)
def test_a_limit_that_names_a_time_keeps_it(places: CatalogPlaces, message: str, time: datetime.time) -> None:
    request = _read(places, message)
    assert (request.time, request.problems) == (time, ())


@pytest.mark.parametrize(
    ("message", "time"),
    [
        ("Book dinner in Lyon tomorrow between 7 and 8pm for 2", datetime.time(19, 0)),
        ("Book dinner in Paris tomorrow between 7:30 and 8:30pm for 2", datetime.time(19, 30)),
        ("Book dinner in Rome tomorrow 7-8pm for 4", datetime.time(19, 0)),
        ("Book lunch in Madrid tomorrow between 12 and 1pm for 2", datetime.time(12, 0)),
        ("Book dinner in Nice tomorrow from 8 to 9pm for 2", datetime.time(20, 0)),
        ("Book dinner in Porto tomorrow between 8 and 9 for 2", datetime.time(20, 0)),
    ],
)
def test_a_window_is_booked_at_its_start(places: CatalogPlaces, message: str, time: datetime.time) -> None:
    request = _read(places, message)
    assert (request.time, request.problems) == (time, ())


# -- corrections further on in the message ---------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("message", "time", "party"),
    [
        ("Book dinner in Lyon tomorrow at 8pm for 2, oops I meant 9pm", datetime.time(21, 0), 2),
        ("Book dinner in Lyon tomorrow at 8pm for 2, correction: 7pm", datetime.time(19, 0), 2),
        ("Book dinner in Paris tomorrow at 7pm for 4. Sorry, 7:30pm", datetime.time(19, 30), 4),
        ("Book lunch in Rome tomorrow at 1pm for 3 — actually 12:30", datetime.time(12, 30), 3),
        ("Book dinner in Madrid tomorrow at 20:00 for 2, I mean 21:00", datetime.time(21, 0), 2),
        ("Book dinner in Nice tomorrow at 8pm for 2... or rather 8:30pm", datetime.time(20, 30), 2),
        ("Book dinner in Porto tomorrow at 9pm for 5, make that 9:45pm", datetime.time(21, 45), 5),
    ],
)
def test_a_time_corrected_further_on_is_the_correction(
    places: CatalogPlaces, message: str, time: datetime.time, party: int
) -> None:
    request = _read(places, message)
    assert (request.time, request.party_size, request.problems) == (time, party, ())


@pytest.mark.parametrize(
    ("message", "party"),
    [
        ("Book dinner in Lyon tomorrow for 4, well 3 really", 3),
        ("Book dinner in Paris tomorrow for 5, well, 6", 6),
        ("Book lunch in Rome tomorrow for 2, er, 3", 3),
        ("Book dinner in Madrid tomorrow for 8 people, well 7", 7),
        ("Book dinner in Nice tomorrow for six, no, seven", 7),
        ("Book dinner in Porto tomorrow for 3 (well, 4)", 4),
    ],
)
def test_a_party_corrected_right_after_is_the_correction(places: CatalogPlaces, message: str, party: int) -> None:
    assert _read(places, message).party_size == party


@pytest.mark.parametrize(
    ("message", "nights"),
    [
        ("Book a hotel in Lyon for 3 nights, no, 4, from tomorrow", 4),
        ("Book a hotel in Lyon for 3 nights (actually 4) from tomorrow", 4),
        ("Book a hotel in Lyon for 3 nights — make it 4 — from tomorrow", 4),
        ("Book an apartment in Paris for 2 nights, sorry, 3 nights from tomorrow", 3),
        ("Book a hotel in Rome from tomorrow for five nights, I mean six", 6),
        ("Book a guesthouse in Porto for 4 nights, wait, 5, from tomorrow for 2", 5),
        ("Book a hotel in Seville for 2 nights (make that 3) from tomorrow", 3),
    ],
)
def test_nights_corrected_right_after_are_the_correction(places: CatalogPlaces, message: str, nights: int) -> None:
    request = _read(places, message)
    assert (request.intent, request.nights, request.problems) == ("stay", nights, ())


# -- party sizes said as sums, products, additions, "about", alternatives ---------------------------------------------
@pytest.mark.parametrize(
    ("message", "party"),
    [
        ("Book dinner in Lyon tomorrow for two, plus my son", 3),
        ("Book dinner in Lyon tomorrow for the 3 of us plus 2 friends", 5),
        ("Book dinner in Lyon tomorrow for 2 families of 3", 6),
        ("Book dinner in Lyon tomorrow for 2x2 people", 4),
        ("Book dinner in Lyon tomorrow for 1+1", 2),
        ("Book lunch in Paris tomorrow for 4 plus my mother-in-law", 5),
        ("Book dinner in Rome tomorrow for 2 + 2", 4),
        ("Book dinner in Madrid tomorrow for 3 couples of 2", 6),
        ("Book dinner in Nice tomorrow for 3 x 2 people", 6),
        ("Book lunch in Porto tomorrow for two people plus our 2 kids", 4),
        ("Book dinner in Milan tomorrow for the four of us, plus a friend", 5),
        ("Book dinner in Berlin tomorrow for 2 people and a baby", 3),
        ("Book dinner in Lisbon tomorrow for 3 families of 4", 12),
    ],
)
def test_a_party_said_as_arithmetic_is_counted(places: CatalogPlaces, message: str, party: int) -> None:
    request = _read(places, message)
    assert (request.party_size, request.problems) == (party, ())


@pytest.mark.parametrize(
    ("message", "party"),
    [
        ("Book dinner in Lyon tomorrow for 6ish", 6),
        ("Book dinner in Paris tomorrow for 8-ish", 8),
        ("Book lunch in Rome tomorrow for 4ish at 1pm", 4),
        ("Book dinner in Madrid tomorrow at 8pm for 10ish", 10),
        ("Book dinner in Nice tomorrow for 5-ish people", 5),
        ("Book dinner in Porto tomorrow for twelve-ish", 12),
    ],
)
def test_about_a_count_is_that_count_never_a_time(places: CatalogPlaces, message: str, party: int) -> None:
    request = _read(places, message)
    assert request.party_size == party
    assert request.time in {None, datetime.time(13, 0), datetime.time(20, 0)}


@pytest.mark.parametrize(
    "message",
    [
        "Book dinner in Lyon tomorrow for 3 or maybe 4",
        "Book dinner in Paris tomorrow for 2, or 3 if my son comes",
        "Book lunch in Rome tomorrow for 4 or perhaps 5",
        "Book dinner in Madrid tomorrow for three or possibly four",
        "Book dinner in Nice tomorrow for 6, or 7",
        "Book dinner in Porto tomorrow for 2 plus the kids",
    ],
)
def test_a_party_said_as_alternatives_asks(places: CatalogPlaces, message: str) -> None:
    request = _read(places, message)
    asks_once(request)
    assert request.party_size is None


@pytest.mark.parametrize(
    ("message", "party"),
    [
        ("Book dinner in Lyon tomorrow for 2 and my wife is vegan", 2),
        ("Book dinner in Lyon tomorrow for 2 and my son can't eat eggs", 2),
        ("Book dinner in Lyon tomorrow for 4 with my wife and kids", 4),
        ("Book dinner in Lyon tomorrow for 10 people, sorry 12", 12),
        ("Book dinner in Lyon tomorrow for 2 adults + 2 kids", 4),
        ("Book dinner in Lyon tomorrow for 4 people and my friend's kids", 4),
        ("Book dinner in Lyon tomorrow for 2 and a high chair", 2),
        ("Book dinner in Lyon tomorrow for 2 at 8pm, 2 or 3 courses", 2),
    ],
)
def test_a_count_beside_a_stated_need_or_its_own_members_is_unchanged(
    places: CatalogPlaces, message: str, party: int
) -> None:
    assert _read(places, message).party_size == party


# -- budgets for a meal: per head, or for the table ------------------------------------------------------------------
@pytest.mark.parametrize(
    ("message", "level"),
    [
        ("Book dinner in Lyon tomorrow for 2 under €80 per person", 3),
        ("Book dinner in Lyon tomorrow for 2 under 80 € pp", 3),
        ("Book dinner in Lyon tomorrow for 2 under 50 euros — sorry, 40 euros — a head", 2),
        ("Book dinner in Lyon tomorrow for 2 under 50 euros total for both", 1),
        ("Book dinner in Lyon tomorrow for 2 for under 30€ each", 1),
        ("Book lunch in Paris tomorrow for 3 under 25 euros a head", 1),
        ("Book dinner in Rome tomorrow for 4, max €45 per head", 2),
        ("Book dinner in Madrid tomorrow for 2 under 150 euros each", 4),
        ("Book dinner in Nice tomorrow for 4 under 200 euros in total", 2),
        ("Book dinner in Porto tomorrow for 2 up to €100 for the two of us", 2),
        ("Book dinner in Milan tomorrow for 2, no more than 70 EUR per person", 3),
        ("Book lunch in Berlin tomorrow for 2 under twenty euros each", 1),
    ],
)
def test_a_meal_budget_per_head_or_shared_is_a_price_level(places: CatalogPlaces, message: str, level: int) -> None:
    request = _read(places, message)
    assert (request.intent, request.budget_level, request.problems) == ("dine", level, ())


@pytest.mark.parametrize(
    ("message", "level"),
    [
        ("Book dinner in Lyon tomorrow for 2 under 50,00 €", 1),
        ("Book dinner in Lyon tomorrow for 2 under € 50.-", 1),
        ("Book dinner in Lyon tomorrow for 2 under 50 euros", 1),
        ("Book lunch in Paris tomorrow for 3, budget €60", 1),
        ("Book dinner in Rome tomorrow for 2 under 160 euros", 3),
        ("Book dinner in Madrid tomorrow for 4, max 200 EUR", 2),
        ("Book dinner in Nice tomorrow for 2, no more than €300", 4),
    ],
)
def test_a_meal_budget_said_of_nobody_is_the_whole_tables(places: CatalogPlaces, message: str, level: int) -> None:
    request = _read(places, message)
    assert (request.budget_level, request.problems) == (level, ())


@pytest.mark.parametrize(
    "message",
    [
        "Book dinner in Lyon tomorrow under 60 euros",
        "Book lunch in Paris tomorrow, budget €60",
        "Book dinner in Rome tomorrow for 2 under 5 euros each",
        "Book dinner in Madrid tomorrow under 90 euros for all of us",
        "Dinner in Porto tomorrow, max 100 euros in total",
    ],
)
def test_a_meal_budget_that_cannot_be_shared_or_kept_asks(places: CatalogPlaces, message: str) -> None:
    request = _read(places, message)
    asks_once(request)
    assert request.budget_level is None


@pytest.mark.parametrize(
    ("message", "budget"),
    [
        ("Book a hotel in Lyon for two nights from tomorrow for 2 under one fifty euros a night", 150),
        ("Book a hotel in Paris for 2 nights from tomorrow under two twenty euros a night", 220),
        ("Book a hotel in Rome for 3 nights from tomorrow under one twenty-five euros per night", 125),
        ("Book a hotel in Porto for 2 nights from tomorrow under two hundred and fifty euros a night", 250),
        ("Book a hotel in Seville for 2 nights from tomorrow under fifty euros a night", 50),
        ("Book a hotel in Nice for 2 nights from tomorrow under one fifty euros", 150),
    ],
)
def test_a_price_said_in_words_as_people_say_prices(places: CatalogPlaces, message: str, budget: int) -> None:
    request = _read(places, message)
    assert (request.budget_per_night_eur, request.problems) == (budget, ())


# -- stays: weeks and days --------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("message", "nights"),
    [
        ("Book a hotel in Lyon for 1 week and 2 days from tomorrow for 2", 9),
        ("Book a hotel in Paris for a week and 3 nights from tomorrow", 10),
        ("Book an apartment in Rome for 2 weeks and 1 day from tomorrow", 15),
        ("Book a hotel in Porto for one week plus two nights from tomorrow", 9),
        ("Book a hotel in Seville for a week, 2 days from tomorrow", 9),
        ("Book a guesthouse in Nice for 1 week and 4 nights from tomorrow for 2", 11),
        ("Book a hotel in Lyon for a week from tomorrow for 2", 7),
        ("Book a hotel in Madrid for two weeks from tomorrow", 14),
        ("Book a hotel in Rome for a fortnight from tomorrow", 14),
    ],
)
def test_weeks_and_days_of_a_stay_add_up(places: CatalogPlaces, message: str, nights: int) -> None:
    request = _read(places, message)
    assert (request.intent, request.date, request.nights, request.problems) == ("stay", TOMORROW, nights, ())


# -- the same readers on a follow-up's short text ----------------------------------------------------------------------
def _now() -> datetime.datetime:
    return datetime.datetime(2026, 12, 6, 9)


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("make it the twelfth", DEC[12]),
        ("move it to 12-12", DEC[12]),
        ("move it to December twelfth", DEC[12]),
        ("make it a week tomorrow", DEC[14]),
        ("Monday week instead", DEC[14]),
        ("the fifteenth then", DEC[15]),
        ("what about nothing", None),
        ("make it 4", None),
        ("make it 1930", None),
    ],
)
def test_date_in_a_follow_up(text: str, day: datetime.date | None) -> None:
    with freeze_time(NOW):
        assert date_in(text, _now()) == day


@pytest.mark.parametrize(
    ("text", "time"),
    [
        ("make it 1930", datetime.time(19, 30)),
        ("at 2045 instead", datetime.time(20, 45)),
        ("push it to 9, no, 9:30", datetime.time(21, 30)),
        ("move it to 12-12", None),
        ("make it the twelfth", None),
        ("make it 8 or 9pm", None),
    ],
)
def test_time_in_a_follow_up(text: str, time: datetime.time | None) -> None:
    with freeze_time(NOW):
        assert time_in(text, _now()) == time


@pytest.mark.parametrize(
    ("text", "party"),
    [
        ("make it for two plus my son", 3),
        ("for 2x2", 4),
        ("for 1+1", 2),
        ("make it for 3, sorry 4", 4),
        ("nothing", None),
    ],
)
def test_party_in_a_follow_up(text: str, party: int | None) -> None:
    with freeze_time(NOW):
        assert party_in(text, _now()) == party


def test_a_follow_up_budget_is_read_for_the_plan_it_changes() -> None:
    with freeze_time(NOW):
        assert read_values("make it under €80 per person", _now(), party=2).budget_level == 3
        assert read_values("make it under one fifty euros", _now(), stay=True).budget_per_night_eur == 150
        assert read_values("make it under 90 euros for all of us", _now(), party=3).budget_level == 1
        assert len(problems_in("make it 8 or 9pm", _now())) == 1
        assert len(problems_in("for 3 or maybe 4", _now())) == 1
        assert problems_in("make it 1930", _now()) == ()


# -- the small readers underneath --------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("said", "value"),
    [("first", 1), ("twelfth", 12), ("twentieth", 20), ("twenty-first", 21), ("thirty first", 31), ("thirtieth", 30)],
)
def test_ordinal_value(said: str, value: int) -> None:
    assert ordinal_value(said) == value


@pytest.mark.parametrize(
    ("said", "value"),
    [("one fifty", 150), ("two twenty-five", 225), ("two hundred and fifty", 250), ("fifty", 50), ("twenty five", 25)],
)
def test_a_price_in_words(said: str, value: int) -> None:
    assert words_value(said) == value


@pytest.mark.parametrize(
    ("text", "value", "corrected"),
    [
        ("at 8pm for 2, oops I meant 9pm", "9pm", True),
        ("at 8pm for 2, correction: 7pm", "7pm", True),
        ("at 8pm at the casino 9pm", "9pm", False),
        ("at 8pm for 2 no earlier than 9pm", "9pm", False),
    ],
)
def test_said_as_correction(text: str, value: str, corrected: bool) -> None:
    assert said_as_correction(text, text.rindex(value)) is corrected


@pytest.mark.parametrize(
    ("message", "day", "nights"),
    [
        ("Book dinner in Lyon tomorrow at 8pm for 2, oops I meant Friday", DEC[11], None),
        ("Book lunch in Paris on Tuesday for 3, correction: Wednesday", DEC[9], None),
        ("Book dinner in Rome tomorrow for 2 at 8pm. Sorry, on the twelfth", DEC[12], None),
        ("Book a hotel in Lyon from 8 to 12 December, sorry, from 9 to 12 December", DEC[9], 3),
        ("Book a hotel in Porto from 10 to 12 December, I mean from 10 to 13 December", DEC[10], 3),
    ],
)
def test_a_day_corrected_further_on_is_the_correction(
    places: CatalogPlaces, message: str, day: datetime.date, nights: int | None
) -> None:
    request = _read(places, message)
    assert (request.date, request.nights, request.problems) == (day, nights, ())
