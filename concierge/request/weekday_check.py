"""A weekday said with a date it does not fall on ("Sunday 8 December" when 8 December is a Tuesday): one line
asking which, never one of them chosen in silence (attack7 M5).

Kept apart from the date readers (``concierge.request.when``): it only compares the weekday said beside a day of
the month with the day the readers found.
"""

from __future__ import annotations

import datetime
import re

_DAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_INDEX = {d[:3]: i for i, d in enumerate(_DAYS)}  # "tues", "thurs", "sat": read on their first three letters
_WEEKDAY = (
    r"(?P<weekday>mon(?:day)?|tue(?:s(?:day)?)?|wed(?:nesday)?|thu(?:r(?:s(?:day)?)?)?|fri(?:day)?|sat(?:urday)?|"
    r"sun(?:day)?)"
)
_MONTH = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*"
# "Sunday 8 December", "Sunday, the 8th of December", "Sunday December 8", "Sun 8/12" is left to the readers.
_SAID = re.compile(
    rf"\b{_WEEKDAY}\.?,?\s+(?:the\s+)?(?:(?P<day>\d{{1,2}})(?:st|nd|rd|th)?(?:\s+of)?\s+{_MONTH}\b|"
    rf"{_MONTH}\.?\s+(?P<day2>\d{{1,2}})(?:st|nd|rd|th)?\b)",
    re.IGNORECASE,
)


def weekday_clash(text: str, date: datetime.date | None) -> str | None:
    """One line when ``text`` says a weekday beside the day of ``date`` and ``date`` falls on another weekday."""
    if date is None:
        return None
    for m in _SAID.finditer(text):
        if int(m.group("day") or m.group("day2")) != date.day:
            continue
        said = _DAYS[_INDEX[m.group("weekday")[:3].lower()]]
        if said != _DAYS[date.weekday()]:
            return (
                f"{date.day} {date:%B %Y} is a {_DAYS[date.weekday()].title()}, not a {said.title()}; "
                f'say which day you mean, like "{date:%A} {date.day} {date:%B}" or "next {said.title()}".'
            )
    return None


__all__ = ["weekday_clash"]
