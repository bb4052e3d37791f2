"""A weekend away is Friday to Sunday: "a weekend in Lyon", "weekend break in Seville", "Lisbon for the weekend",
"a romantic weekend in Florence", "this weekend", "a weekend in March", "a long weekend" (Friday to Monday).

``when.py`` reads "this weekend" as a day (a dinner "this weekend" is on the Saturday); a stay or a trip said as a
weekend starts on its Friday instead, and lasts two nights (three for a long weekend) unless nights are said.
Which weekend is meant is ``weekend_friday``'s to say (``when.py`` reads a dinner "next weekend" with it too):
"a weekend" is the coming one whose Friday is not gone; "next weekend" said on a weekend day is the coming one.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from typing import Literal

from dateutil.relativedelta import FR, relativedelta

_I = re.IGNORECASE
# "weekend" said as one stay: not "weekends", "last weekend", "every weekend", "the weekend of the 12th".
_WEEKEND = re.compile(
    r"(?<!\blast\s)(?<!\bevery\s)(?<!\bon\s)(?P<long>\blong\s+)?\bweekend\b(?!s)(?!\s+(?:of|ago)\b)(?!\s+(?:in|at)\s+\d)",
    _I,
)
_QUALIFIED = re.compile(r"\b(?P<which>this|next|coming|the|at\s+the|over\s+the)\s+(?:coming\s+)?$", _I)
_DAY = datetime.timedelta(days=1)
Which = Literal["this", "next", "a"]


@dataclass(frozen=True, slots=True)
class Weekend:
    """A weekend said in a message: the Friday it starts on and how many nights it lasts."""

    friday: datetime.date
    nights: int
    span: tuple[int, int]  # where the message says it


def weekend_friday(today: datetime.date, which: Which) -> datetime.date:
    """The Friday of the weekend meant, said on ``today``:

    - "this weekend": the one under way (from Friday to Sunday), else the coming one;
    - "next weekend": on a weekend day the coming one (said on Sunday 6 December: 11-13 December), on a weekday
      the one after the coming one;
    - "a weekend": the coming one whose Friday is still ahead.
    """
    under_way = today.weekday() >= 4  # Friday, Saturday or Sunday
    if which == "a":
        return today + relativedelta(days=1, weekday=FR)
    this = today + relativedelta(weekday=FR(-1) if under_way else FR)
    return this if which == "this" else this + 7 * _DAY


def _first_friday(year: int, month: int) -> datetime.date:
    return datetime.date(year, month, 1) + relativedelta(weekday=FR)


def _said(text: str) -> tuple[re.Match[str], Which] | None:
    """The weekend phrase that says which weekend ("next weekend" in "weekend away in Rome next weekend"), else
    the first one."""
    found = list(_WEEKEND.finditer(text))
    for said in found:
        if qualified := _QUALIFIED.search(text[: said.start()]):
            return said, "next" if qualified.group("which").lower() == "next" else "this"
    return (found[0], "a") if found else None


def read_weekend(text: str, today: datetime.date, *, month: int | None = None) -> Weekend | None:
    """The weekend ``text`` asks for, or None: in ``month`` (a month said), that month's first weekend; else the
    weekend ``weekend_friday`` reads."""
    found = _said(text)
    if found is None:
        return None
    said, which = found
    friday = weekend_friday(today, which)
    if which == "this" and friday < today:
        friday = weekend_friday(today, "a")  # a stay cannot start on a Friday gone: the coming weekend
    if month is not None and month != today.month:
        friday = _first_friday(today.year + (month < today.month), month)
    return Weekend(friday, 3 if said.group("long") else 2, said.span())
