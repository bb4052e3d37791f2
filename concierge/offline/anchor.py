"""Relative time in a fact, anchored to the day it was said.

"next week I fly to Madrid" said on 2026-12-01 is stored as "User flies to Madrid in the week of
2026-12-07": a later question about when can be answered, and the fact does not drift as days pass.
The phrase is found here; the calendar arithmetic of "N weeks ago", "in two weeks" and weekdays is
``dateparser``'s, through the request reader's own ``_dateparse`` (``concierge.request.when``). The
anchor keeps the phrase's grain: a day, a week, a weekend, a month, a season or a year.
"""

from __future__ import annotations

import datetime
import re

from concierge.request.numbers import NUMBER_WORDS
from concierge.request.when import MONTHS, _dateparse

_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_SEASONS = {"spring": 3, "summer": 6, "autumn": 9, "fall": 9, "winter": 12}
_UNITS = r"(?:day|weekend|week|month|year)s?"
_COUNT = r"(?:\d+|a|an|" + "|".join(sorted(NUMBER_WORDS, key=len, reverse=True)) + r")"
_PHRASE = re.compile(
    r"(?P<lead>\b(?:on|in|during|over)\s+)?"
    r"(?:(?P<which>next|last|this|coming)\s+(?P<span>week|weekend|month|year|"
    + "|".join((*_SEASONS, *_WEEKDAYS, *MONTHS))
    + r")"
    r"|(?P<day>tomorrow|yesterday|today|tonight|last\s+night)"
    rf"|(?P<ago>{_COUNT}\s+{_UNITS}\s+ago)"
    rf"|(?P<ahead>in\s+{_COUNT}\s+{_UNITS}))\b",
    re.IGNORECASE,
)


def _day(day: datetime.date) -> str:
    return f"on {day.isoformat()}"


def _week(day: datetime.date) -> str:
    return f"in the week of {(day - datetime.timedelta(days=day.weekday())).isoformat()}"


def _weekend(day: datetime.date) -> str:
    saturday = day + datetime.timedelta(days=(5 - day.weekday()) % 7) if day.weekday() != 6 else day
    saturday = saturday - datetime.timedelta(days=1) if day.weekday() == 6 else saturday
    return f"on the weekend of {saturday.isoformat()}"


def _month(year: int, month: int) -> str:
    return f"in {MONTHS[month - 1].capitalize()} {year}"


def _shift_month(today: datetime.date, by: int) -> tuple[int, int]:
    index = today.year * 12 + today.month - 1 + by
    return index // 12, index % 12 + 1


def _which(which: str, span: str, today: datetime.date) -> str | None:
    step = {"next": 1, "coming": 1, "last": -1, "this": 0}[which]
    if span == "week":
        return _week(today + datetime.timedelta(weeks=step))
    if span == "weekend":
        return _weekend(today + datetime.timedelta(weeks=step))
    if span == "month":
        return _month(*_shift_month(today, step))
    if span == "year":
        return f"in {today.year + step}"
    if span in _SEASONS:
        start = _SEASONS[span]
        year = today.year
        if step > 0 and start <= today.month:
            year += 1
        elif step < 0 and start + 2 >= today.month:
            year -= 1
        return f"in {span} {year}"
    if span in MONTHS:
        month = MONTHS.index(span) + 1
        later = 1 if step > 0 and month <= today.month else 0
        earlier = 1 if step < 0 and month >= today.month else 0
        year = today.year + later - earlier
        return _month(year, month)
    now = datetime.datetime.combine(today, datetime.time(12))
    found = _dateparse(f"{'next' if step >= 0 else 'last'} {span}", now)  # a weekday
    return _day(found) if found else None


def _counted(phrase: str, today: datetime.date) -> str | None:
    """ "two weekends ago", "in 3 weeks": dateparser counts, the unit sets the grain."""
    unit = re.search(_UNITS, phrase, re.IGNORECASE)
    if unit is None:
        return None
    grain = unit.group(0).lower().rstrip("s")
    counted = re.sub(r"\bweekends?\b", "weeks", phrase, flags=re.IGNORECASE)
    found = _dateparse(counted, datetime.datetime.combine(today, datetime.time(12)))
    if found is None:
        return None
    anchors = {
        "day": _day,
        "week": _week,
        "weekend": _weekend,
        "month": lambda d: _month(d.year, d.month),
        "year": lambda d: f"in {d.year}",
    }
    return anchors[grain](found)


def _anchor(match: re.Match[str], today: datetime.date) -> str | None:
    if match.group("which"):
        return _which(match.group("which").lower(), match.group("span").lower(), today)
    if day := match.group("day"):
        offset = {"tomorrow": 1, "yesterday": -1}.get(day.lower(), -1 if day.lower().startswith("last") else 0)
        return _day(today + datetime.timedelta(days=offset))
    return _counted(match.group("ago") or match.group("ahead"), today)


_AFTER_PREPOSITION = re.compile(r"\b(?:since|until|till|from|by|before|after|during|of)\s+$", re.IGNORECASE)


def anchor_time(text: str, said_on: datetime.date) -> str:
    """``text`` with each relative time phrase replaced by the date it refers to; a phrase that opens the
    sentence moves to its end, so the fact still starts with its subject ("Next week User flies ...")."""
    moved: list[str] = []
    pieces: list[str] = []
    last = 0
    for match in _PHRASE.finditer(text):
        anchored = _anchor(match, said_on)
        if anchored is None:
            continue
        if _AFTER_PREPOSITION.search(text[: match.start()]):
            # "since last year" -> "since 2025"; "the 7th of next month" -> "the 7th of January 2027"
            anchored = re.sub(r"^(?:in|on)\s+", "", anchored)
        pieces.append(text[last : match.start()])
        if not text[: match.start()].strip(" ,"):
            moved.append(anchored)
        else:
            pieces.append(anchored)
        last = match.end()
    if not pieces and not moved:
        return text
    pieces.append(text[last:])
    body = re.sub(r"\s+", " ", "".join(pieces)).strip(" ,")
    body = body[0].upper() + body[1:] if body else body
    tail = re.match(r"^(?P<body>.*?)(?P<end>[.!]*)$", body, re.DOTALL)
    assert tail is not None
    return " ".join([tail.group("body"), *moved]) + tail.group("end")
