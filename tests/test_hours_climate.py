"""Opening hours against meals, and the destinations' monthly climate for vague wishes."""

from __future__ import annotations

import datetime
import json

import pytest

from concierge.catalog.climate import destinations_for
from concierge.catalog.hours import (
    LAST_SEATING_MINUTES,
    MEAL_WINDOWS,
    OpeningHoursError,
    booking_time,
    meal_for_time,
    parse_opening_hours,
    serves,
)
from concierge.catalog.loader import Catalog, load_catalog
from concierge.runtime_env import PROJECT_ROOT

T = datetime.time
MEALS = ("breakfast", "brunch", "lunch", "dinner")


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog(PROJECT_ROOT / "data" / "catalog")


def test_every_catalog_opening_hours_string_parses(catalog: Catalog) -> None:
    formats = {r.opening_hours for r in catalog.restaurants}
    assert len(formats) >= 5
    for text in formats:
        intervals = parse_opening_hours(text)
        assert intervals and all(start < end for start, end in intervals), text


@pytest.mark.parametrize(
    ("hours", "served"),
    [
        ("08:00-16:00", {"breakfast", "brunch", "lunch"}),  # a café
        ("19:00-22:30", {"dinner"}),  # dinner only
        ("12:00-23:00", {"brunch", "lunch", "dinner"}),  # all day from noon
        ("18:00-23:30", {"dinner"}),
        ("12:00-14:30, 19:00-23:00", {"brunch", "lunch", "dinner"}),  # two services
        ("07:00-10:00", {"breakfast"}),
        ("11:00-12:00", {"breakfast", "brunch"}),  # lunch starts at 11:30, under an hour before closing
        ("18:00-01:00", {"dinner"}),  # past midnight
    ],
)
def test_serves_each_meal(hours: str, served: set[str]) -> None:
    assert {meal for meal in MEALS if serves(hours, meal)} == served  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("hours", "meal", "wanted", "booked"),
    [
        ("19:00-22:30", "dinner", T(20, 0), T(20, 0)),
        ("19:00-22:30", "dinner", T(21, 30), T(21, 30)),  # exactly an hour before closing
        ("19:00-22:30", "dinner", T(21, 45), None),  # the kitchen closes within the hour
        ("19:00-22:30", "dinner", T(18, 30), None),  # not open yet
        ("08:00-16:00", "dinner", T(20, 0), None),  # an evening table at a café that closes at 16:00
        ("08:00-16:00", "brunch", T(11, 0), T(11, 0)),
        ("12:00-14:30, 19:00-23:00", "lunch", T(13, 30), T(13, 30)),
        ("12:00-14:30, 19:00-23:00", "lunch", T(14, 0), None),
        ("12:00-14:30, 19:00-23:00", "dinner", T(16, 0), None),
        ("12:00-23:00", "lunch", T(20, 0), None),  # open, but 20:00 is not lunch
    ],
)
def test_booking_time_keeps_a_wanted_time_only_when_it_fits(
    hours: str, meal: str, wanted: datetime.time, booked: datetime.time | None
) -> None:
    assert booking_time(hours, meal, wanted) == booked  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("hours", "meal", "booked"),
    [
        ("19:00-22:30", "dinner", T(20, 0)),
        ("12:00-14:30, 19:00-23:00", "lunch", T(13, 0)),
        ("08:00-16:00", "breakfast", T(8, 30)),
        ("08:00-16:00", "brunch", T(11, 30)),
        ("12:00-23:00", "brunch", T(12, 0)),  # the default 11:30 is before opening: the nearest bookable time
        ("20:30-23:00", "dinner", T(20, 30)),
        ("17:00-20:30", "dinner", T(19, 30)),  # the last seating an hour before closing
        ("08:00-16:00", "dinner", None),
    ],
)
def test_booking_time_without_a_wish_picks_a_time_inside_the_hours(
    hours: str, meal: str, booked: datetime.time | None
) -> None:
    assert booking_time(hours, meal) == booked  # type: ignore[arg-type]


def test_booked_times_are_always_inside_the_meal_window_and_opening_hours(catalog: Catalog) -> None:
    checked = 0
    for text in {r.opening_hours for r in catalog.restaurants}:
        for meal in MEALS:
            booked = booking_time(text, meal)  # type: ignore[arg-type]
            if booked is None:
                continue
            checked += 1
            low, high = MEAL_WINDOWS[meal]  # type: ignore[index]
            minute = booked.hour * 60 + booked.minute
            assert low <= booked <= high
            assert any(start <= minute <= end - LAST_SEATING_MINUTES for start, end in parse_opening_hours(text))
    assert checked >= 8


@pytest.mark.parametrize("bad", ["", "noon till late", "12:00", "12:00-25:00", "9-5", "12:00-14:30; 19:00-23:00"])
def test_malformed_opening_hours_are_refused_with_the_format(bad: str) -> None:
    with pytest.raises(OpeningHoursError, match="HH:MM"):
        parse_opening_hours(bad)


@pytest.mark.parametrize(
    ("clock", "meal"),
    [
        (T(7, 30), "breakfast"),
        (T(9, 0), "breakfast"),
        (T(11, 0), "brunch"),
        (T(12, 0), "lunch"),
        (T(13, 0), "lunch"),
        (T(15, 30), "lunch"),
        (T(16, 30), None),
        (T(18, 0), "dinner"),
        (T(20, 0), "dinner"),
        (T(23, 30), "dinner"),
        (T(3, 0), None),
    ],
)
def test_meal_for_time(clock: datetime.time, meal: str | None) -> None:
    assert meal_for_time(clock) == meal


# -- climate --------------------------------------------------------------------------------------------------------
def test_every_destination_has_a_plausible_monthly_climate(catalog: Catalog) -> None:
    listed = json.loads((PROJECT_ROOT / "data" / "catalog" / "destinations.json").read_text(encoding="utf-8"))
    assert len(catalog.destinations) == len(listed) > 0  # every destination in the data, however many a team adds
    for d in catalog.destinations:
        assert len(d.climate) == 12, d.name
        if d.name != "Mexico City":  # northern hemisphere: summer is warmer than winter
            assert max(d.climate[5:8]) > max(d.climate[0], d.climate[11]) + 5, d.name
    by_name = {d.name: d.climate for d in catalog.destinations}
    assert by_name["Seville"][6] > by_name["London"][6] + 8  # July
    assert by_name["Berlin"][0] < by_name["Lisbon"][0] - 8  # January


def test_somewhere_warm_in_december(catalog: Catalog) -> None:
    names = [d.name for d in destinations_for(catalog, "warm", 12)]
    assert names and "Mexico City" in names
    assert not {"Berlin", "London", "Paris", "Amsterdam", "New York"} & set(names)


def test_sunny_and_cool_wishes_and_their_order(catalog: Catalog) -> None:
    sunny_winter = destinations_for(catalog, "sunny", 12)
    assert {"Seville", "Faro"} <= {d.name for d in sunny_winter}
    assert [d.climate[11] for d in sunny_winter] == sorted((d.climate[11] for d in sunny_winter), reverse=True)
    cool_august = destinations_for(catalog, "cool", 8)
    assert cool_august and {d.name for d in cool_august} <= {"London", "Amsterdam", "Berlin", "Paris", "Porto"}
    assert [d.climate[7] for d in cool_august] == sorted(d.climate[7] for d in cool_august)
    warm_july = {d.name for d in destinations_for(catalog, "warm", 7)}
    assert {"Seville", "Athens", "Rome"} <= warm_july


def test_month_must_be_a_month(catalog: Catalog) -> None:
    with pytest.raises(ValueError, match="1-12"):
        destinations_for(catalog, "warm", 13)
