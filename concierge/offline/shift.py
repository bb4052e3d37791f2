"""A day or a time said relative to the session's plan: "the day after", "a day earlier", "an hour later",
"push it back half an hour". Only the plan knows what they are relative to, so they are read with its date and time;
without them nothing is read (never a guess from today).
"""

from __future__ import annotations

import datetime as dt
import re

from concierge.request.numbers import NUMBER_WORDS

_I = re.IGNORECASE
_COUNT = r"(?P<n>\d{1,2}|" + "|".join(NUMBER_WORDS) + r")"
_DAYS = re.compile(
    r"\b(?:the\s+(?P<after>day\s+after|next\s+day|following\s+day)|the\s+(?P<before>day\s+before|previous\s+day)"
    rf"|{_COUNT}\s+days?\s+(?P<dir>later|earlier|after|before|sooner))\b",
    _I,
)
_AMOUNT = rf"(?:(?P<half>half\s+an\s+hour)|{_COUNT}\s+(?P<unit>hours?|minutes?|mins?))"
_HOURS = re.compile(
    rf"\b{_AMOUNT}\s+(?:or\s+so\s+)?(?P<dir>later|earlier|after|before|sooner|back|forward)\b"
    rf"|\b(?P<dir2>back|forward|later|earlier)\s+(?:by\s+)?{_AMOUNT.replace('?P<', '?P<b_')}",
    _I,
)
_LATER = ("later", "after", "back")  # "push it back an hour": later


def _count(words: str) -> int | None:
    return int(words) if words.isdigit() else NUMBER_WORDS.get(words.lower())


def shifted_date(text: str, plan_date: dt.date | None) -> dt.date | None:
    """The plan's date moved by the days ``text`` says ("the day after" -> the next day), or None."""
    said = _DAYS.search(text) if plan_date is not None else None
    if said is None or plan_date is None:
        return None
    if said.group("after") or said.group("before"):
        return plan_date + dt.timedelta(days=1 if said.group("after") else -1)
    days = _count(said.group("n")) or 0
    return plan_date + dt.timedelta(days=days if said.group("dir").lower() in _LATER else -days)


def shifted_time(text: str, plan_time: dt.time | None) -> dt.time | None:
    """The plan's time moved by the hours or minutes ``text`` says ("an hour later" -> 21:00 from 20:00), or None."""
    said = _HOURS.search(text) if plan_time is not None else None
    if said is None or plan_time is None:
        return None
    found = {k.removeprefix("b_"): v for k, v in said.groupdict().items() if v}
    if "half" in found:
        minutes = 30
    else:
        count = _count(found["n"]) or 0
        minutes = count * 60 if found["unit"].lower().startswith("hour") else count
    sign = 1 if (found.get("dir") or found["dir2"]).lower() in _LATER else -1
    moved = dt.datetime.combine(dt.date(2000, 1, 1), plan_time) + dt.timedelta(minutes=sign * minutes)
    return moved.time() if moved.date() == dt.date(2000, 1, 1) else None
