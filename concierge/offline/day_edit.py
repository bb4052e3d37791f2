"""The offline reading of an edit to one day of a trip: "make day 2 dinner Japanese", "on the second day, lunch
somewhere cheaper", "swap Friday's dinner", "no lunch on day 3" become a typed ``DaySaid``.

Only the words are read here; whether the trip has that day, and which meal is meant when none is said, is the
trip handler's check (``concierge/conversation/trip.py``), whichever model read the message.
"""

from __future__ import annotations

import datetime as dt
import re

from concierge.conversation.followup import DaySaid
from concierge.offline.parse import read_cuisine, read_meal
from concierge.offline.party import read_people
from concierge.request.when import read_when

_I = re.IGNORECASE
_NUMBERS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10,
}  # fmt: skip
_ORDINAL_DAYS = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8,
    "ninth": 9, "tenth": 10, "1st": 1, "2nd": 2, "3rd": 3, "4th": 4, "5th": 5, "last": -1, "final": -1,
}  # fmt: skip
_DAY_NUMBER = re.compile(r"\bday\s+(?P<n>\d{1,2}|" + "|".join(_NUMBERS) + r")\b", _I)
_DAY_ORDINAL = re.compile(r"\b(?:the\s+)?(?P<o>" + "|".join(_ORDINAL_DAYS) + r")\s+day\b", _I)
_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_WEEKDAY = re.compile(r"\b(?P<w>" + "|".join(_WEEKDAYS) + r")(?:'s)?\b", _I)
_REMOVE = re.compile(r"\b(?:no|skip|drop|cancel|remove|without)\s+(?:the\s+)?(?:breakfast|brunch|lunch|dinner)\b", _I)
_CHEAPER = re.compile(r"\b(?:cheap(?:er|est)?|less\s+expensive|more\s+affordable|on\s+a\s+budget)\b", _I)
_SWAP = re.compile(r"\b(?:swap|change|replace|another|different|other|somewhere|something|elsewhere)\b", _I)


def _day_named(text: str) -> dict[str, object] | None:
    """The day the words point at (number, weekday, the words), or None when the message names no day."""
    if m := _DAY_NUMBER.search(text):
        word = m.group("n").lower()
        return {"number": int(word) if word.isdigit() else _NUMBERS[word], "words": m.group(0)}
    if m := _DAY_ORDINAL.search(text):
        return {"number": _ORDINAL_DAYS[m.group("o").lower()], "words": m.group(0)}
    if m := _WEEKDAY.search(text):
        return {"weekday": _WEEKDAYS.index(m.group("w").lower()), "words": m.group("w").capitalize()}
    return None


def read_day_said(message: str, now: dt.datetime) -> DaySaid | None:
    """The day ``message`` names and what it asks of that day's meal, or None when it names no day."""
    text = " ".join(message.split())[:2000]
    named = _day_named(text)
    if named is None:
        return None
    meal = read_meal(text)
    rest = _DAY_NUMBER.sub(" ", _DAY_ORDINAL.sub(" ", _WEEKDAY.sub(" ", text)))  # "day 3" is not a party of 3
    when = read_when(rest, now, lunch=meal == "lunch")
    people = read_people(rest, when)
    return DaySaid.model_validate(
        {
            **named,
            "meal": meal,
            "remove": bool(_REMOVE.search(text)),
            "swap": bool(_SWAP.search(text)),
            "cheaper": bool(_CHEAPER.search(text)),
            "cuisine": read_cuisine(text),
            "time": when.time,
            "party_size": people.party_size if people.explicit else None,
        }
    )
