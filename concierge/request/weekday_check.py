"""A weekday said beside a day it does not fall on ("Friday 12 December", "Fri 12/12", "Saturday 2026-12-13",
"Monday the 9th", "this Friday the 12th", "tomorrow (Wednesday)", "tonight, Saturday" when the day is another):
one line asking which, never one of them chosen in silence (attack7 M5, attack8 M4).

Kept apart from the date readers (``concierge.request.when``): they find a weekday said right beside another day
phrase, in any of the forms they read, and hand both here; this module only says whether two day phrases stand
side by side and compares the weekday with the day.
"""

from __future__ import annotations

import datetime
import re

_DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_PUNCT = r"[\s,;:()\-\u2013\u2014]*"
# What may stand between a weekday and the day it names: punctuation, "i.e.", "that is", "on" ("Friday, on the 12th"),
# and the article of "15/12 (a Monday)", "the 15th, which is a Monday", "12-12 — that's a Friday".
_APPOSITION = re.compile(
    rf"{_PUNCT}(?:(?:i\.?\s?e\.?|that\s+is|which\s+is|aka|namely|on|it\s+is|it'?s|that'?s|which'?s){_PUNCT})?"
    rf"(?:an?\s+)?",
    re.IGNORECASE,
)


def side_by_side(text: str, end: int, start: int) -> bool:
    """Whether ``text[end:start]`` only sets two day phrases side by side ("Friday 12 December", "tomorrow (Wed)")."""
    return end <= start and _APPOSITION.fullmatch(text, end, start) is not None


def weekday_clash(weekday: int, day: datetime.date) -> str | None:
    """One line when ``weekday`` (0 = Monday), said beside ``day``, is not the weekday ``day`` falls on."""
    if weekday == day.weekday():
        return None
    said, real = _DAYS[weekday], _DAYS[day.weekday()]
    return (
        f"{day.day} {day:%B %Y} is a {real}, not a {said}; "
        f'say which day you mean, like "{real} {day.day} {day:%B}" or "next {said}".'
    )


__all__ = ["side_by_side", "weekday_clash"]
