"""A weekend away is Friday to Sunday: "a weekend in Lyon", "weekend break in Seville", "Lisbon for the weekend",
"a romantic weekend in Florence", "this weekend", "a weekend in March", "a long weekend" (Friday to Monday).

``when.py`` reads "this weekend" as a day (a dinner "this weekend" is on the Saturday); a stay or a trip said as a
weekend starts on its Friday instead, and lasts two nights (three for a long weekend) unless nights are said.
The weekend meant is the coming one whose Friday is not gone; "next weekend" is the one after it.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

_I = re.IGNORECASE
# "weekend" said as one stay: not "weekends", "last weekend", "every weekend", "the weekend of the 12th".
_WEEKEND = re.compile(
    r"(?<!\blast\s)(?<!\bevery\s)(?<!\bon\s)(?P<long>\blong\s+)?\bweekend\b(?!s)(?!\s+(?:of|ago)\b)(?!\s+(?:in|at)\s+\d)",
    _I,
)
_NEXT = re.compile(r"\bnext\s+(?:\w+\s+)?$", _I)
_DAY = datetime.timedelta(days=1)


@dataclass(frozen=True, slots=True)
class Weekend:
    """A weekend said in a message: the Friday it starts on and how many nights it lasts."""

    friday: datetime.date
    nights: int
    span: tuple[int, int]  # where the message says it


def _coming_friday(today: datetime.date, *, this: bool) -> datetime.date:
    """The Friday of the coming weekend; "a weekend" asked for on a Friday starts next week, "this weekend" today."""
    ahead = (4 - today.weekday()) % 7
    return today + datetime.timedelta(days=ahead or (0 if this else 7))


def _first_friday(year: int, month: int) -> datetime.date:
    first = datetime.date(year, month, 1)
    return first + datetime.timedelta(days=(4 - first.weekday()) % 7)


def read_weekend(text: str, today: datetime.date, *, month: int | None = None) -> Weekend | None:
    """The weekend ``text`` asks for, or None: in ``month`` (a month said), that month's first weekend; else the
    coming weekend."""
    said = _WEEKEND.search(text)
    if said is None:
        return None
    friday = _coming_friday(today, this=bool(re.search(r"\bthis\s+$", text[: said.start()], _I)))
    if _NEXT.search(text[: said.start()]) and today.weekday() < 5:  # on a weekend day, "next" is the coming one
        friday += 7 * _DAY
    if month is not None and month != today.month:
        year = today.year + (month < today.month)
        friday = _first_friday(year, month)
    return Weekend(friday, 3 if said.group("long") else 2, said.span())
