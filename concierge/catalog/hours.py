"""Opening hours and meals: which venues serve brunch, and at what time a table can be booked.

The catalog writes ``opening_hours`` as comma-separated ``HH:MM-HH:MM`` intervals
("12:00-14:30, 19:00-23:00", "08:00-16:00"); a closing time at or before the opening time runs past
midnight ("18:00-01:00").

A meal is booked at a time that is inside the meal's window (below), inside an opening interval, and
at least an hour before that interval closes, so the kitchen is still open for the whole meal.

Meal windows (when a table for that meal may start):

========== =============  ===================
meal       window         default time
========== =============  ===================
breakfast  07:00 - 11:00  08:30
brunch     10:00 - 15:00  11:30
lunch      11:30 - 15:30  13:00
dinner     17:30 - 23:00  20:00
========== =============  ===================
"""

from __future__ import annotations

import datetime
import re
from functools import lru_cache
from typing import Literal

Meal = Literal["breakfast", "brunch", "lunch", "dinner"]

MEAL_WINDOWS: dict[Meal, tuple[datetime.time, datetime.time]] = {
    "breakfast": (datetime.time(7, 0), datetime.time(11, 0)),
    "brunch": (datetime.time(10, 0), datetime.time(15, 0)),
    "lunch": (datetime.time(11, 30), datetime.time(15, 30)),
    "dinner": (datetime.time(17, 30), datetime.time(23, 0)),
}
DEFAULT_TIMES: dict[Meal, datetime.time] = {
    "breakfast": datetime.time(8, 30),
    "brunch": datetime.time(11, 30),
    "lunch": datetime.time(13, 0),
    "dinner": datetime.time(20, 0),
}
LAST_SEATING_MINUTES = 60  # a table starts at least this long before closing
_STEP = 15  # suggested times fall on the quarter hour
_INTERVAL = re.compile(r"^\s*(\d{1,2}):(\d{2})\s*[-\u2013]\s*(\d{1,2}):(\d{2})\s*$")


class OpeningHoursError(ValueError):
    """An opening_hours string that is not comma-separated HH:MM-HH:MM intervals."""


def _minutes(t: datetime.time) -> int:
    return t.hour * 60 + t.minute


@lru_cache(maxsize=512)
def parse_opening_hours(text: str) -> tuple[tuple[int, int], ...]:
    """Opening intervals as (open, close) minutes after midnight; close > open (past midnight adds 24 h)."""
    intervals: list[tuple[int, int]] = []
    for part in text.split(","):
        m = _INTERVAL.match(part)
        if not m:
            raise OpeningHoursError(
                f"opening hours {text!r}: {part.strip()!r} is not HH:MM-HH:MM (write e.g. '12:00-14:30, 19:00-23:00')"
            )
        h1, m1, h2, m2 = (int(g) for g in m.groups())
        if h1 > 24 or h2 > 24 or m1 > 59 or m2 > 59:
            raise OpeningHoursError(
                f"opening hours {text!r}: {part.strip()!r} is not a time of day (write HH:MM-HH:MM, e.g. '19:00-23:00')"
            )
        start, end = h1 * 60 + m1, h2 * 60 + m2
        if end <= start:
            end += 24 * 60
        intervals.append((start, end))
    return tuple(sorted(intervals))


def _bookable(opening_hours: str, meal: Meal) -> list[tuple[int, int]]:
    """Ranges of start minutes where a table for ``meal`` can be booked."""
    low, high = (_minutes(t) for t in MEAL_WINDOWS[meal])
    ranges = []
    for start, end in parse_opening_hours(opening_hours):
        first, last = max(low, start), min(high, end - LAST_SEATING_MINUTES)
        if first <= last:
            ranges.append((first, last))
    return ranges


def booking_time(opening_hours: str, meal: Meal, wanted: datetime.time | None = None) -> datetime.time | None:
    """When to book ``meal`` at a venue with these hours.

    With ``wanted``: that time if it fits (inside the meal window and an opening interval, an hour before
    closing), else None. Without: the meal's default time if it fits, else the bookable quarter hour
    nearest to it, else None (the venue does not serve that meal).
    """
    ranges = _bookable(opening_hours, meal)
    if wanted is not None:
        minute = _minutes(wanted)
        return wanted if any(first <= minute <= last for first, last in ranges) else None
    target = _minutes(DEFAULT_TIMES[meal])
    best: int | None = None
    for first, last in ranges:
        first_step = -(-first // _STEP) * _STEP
        last_step = last // _STEP * _STEP
        if first_step > last_step:
            continue
        candidate = min(max(target, first_step), last_step)
        candidate = min(max(candidate // _STEP * _STEP, first_step), last_step)
        if best is None or abs(candidate - target) < abs(best - target):
            best = candidate
    if best is None:
        return None
    return datetime.time(best // 60 % 24, best % 60)


def serves(opening_hours: str, meal: Meal) -> bool:
    """Can a table for ``meal`` be booked at all at a venue with these hours?"""
    return booking_time(opening_hours, meal) is not None


def meal_for_time(t: datetime.time) -> Meal | None:
    """The meal a bare time suggests ("at 1pm" -> lunch): breakfast before 10:30, brunch to 11:30,
    lunch to 16:00, dinner from 17:00 (and until 02:00); None in the late afternoon and the small hours."""
    minute = _minutes(t)
    if 5 * 60 <= minute < 10 * 60 + 30:
        return "breakfast"
    if 10 * 60 + 30 <= minute < 11 * 60 + 30:
        return "brunch"
    if 11 * 60 + 30 <= minute < 16 * 60:
        return "lunch"
    if minute >= 17 * 60 or minute < 2 * 60:
        return "dinner"
    return None
