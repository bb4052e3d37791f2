"""The values one text names, read by the same readers as a whole request: for a follow-up turn ("make it the
twelfth", "move it to 12-12", "make it 1930", "for two plus my son", "under €80 per person").

Why here: a follow-up is short and names one value; reading it with other rules than the first message's would
read "12-12" as noon or "one fifty" as 51. Each function returns None when the text names no such value (or names
it in a way that is asked about: ``problems_in`` says why), never a default.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

from concierge.offline.party import read_people
from concierge.request.budget import meal_budget, read_budget, stay_budget
from concierge.request.model import Meal
from concierge.request.when import When, read_when

_I = re.IGNORECASE


@dataclass(frozen=True)
class Values:
    """What one text says of when, how many and how much; ``problems``: one line each for what is asked."""

    date: datetime.date | None = None
    time: datetime.time | None = None
    party_size: int | None = None
    nights: int | None = None
    budget_level: int | None = None
    budget_per_night_eur: int | None = None
    problems: tuple[str, ...] = ()


def _when(text: str, now: datetime.datetime, meal: Meal | None) -> When:
    morning = meal in {"breakfast", "brunch"} or bool(re.search(r"\b(?:breakfast|brunch|morning)\b", text, _I))
    lunch = meal in {"lunch", "brunch"} or bool(re.search(r"\b(?:lunch|lunchtime|brunch|midday)\b", text, _I))
    return read_when(text, now, morning=morning, lunch=lunch)


def read_values(
    text: str, now: datetime.datetime, *, meal: Meal | None = None, party: int | None = None, stay: bool = False
) -> Values:
    """Every value ``text`` names. ``meal``: the plan's meal (a bare hour at lunch stays 11/12); ``party``: the
    plan's party (a budget "for all of us" is shared by it); ``stay``: a limit is the most a night may cost."""
    when = _when(text, now, meal)
    people = read_people(text, when)
    meal_said = meal_budget(text, people.party_size or party)
    night = stay_budget(text, people.nights) if stay else read_budget(text, nights=people.nights)
    problems = [*when.problems, *people.problems, night.problem, None if stay else meal_said.problem]
    return Values(
        date=when.date,
        time=when.time,
        party_size=people.party_size,
        nights=people.nights,
        budget_level=None if stay else meal_said.level,
        budget_per_night_eur=night.per_night_eur,
        problems=tuple(dict.fromkeys(p for p in problems if p)),
    )


def date_in(text: str, now: datetime.datetime) -> datetime.date | None:
    """The day ``text`` names ("make it the twelfth", "move it to 12-12", "Monday week"), else None."""
    return _when(text, now, None).date


def time_in(text: str, now: datetime.datetime, *, meal: Meal | None = None) -> datetime.time | None:
    """The time ``text`` names ("make it 1930", "9pm, no, 9:30"), else None (also when it asks: "8 or 9pm")."""
    return _when(text, now, meal).time


def party_in(text: str, now: datetime.datetime) -> int | None:
    """The party ``text`` names ("for two plus my son" -> 3, "for 2x2" -> 4), else None."""
    return read_values(text, now).party_size


def problems_in(text: str, now: datetime.datetime, *, meal: Meal | None = None, stay: bool = False) -> tuple[str, ...]:
    """One line for each value ``text`` names that is asked about or refused ("at 8 or 9pm", "for 3 or maybe 4")."""
    return read_values(text, now, meal=meal, stay=stay).problems


__all__ = ["Values", "date_in", "party_in", "problems_in", "read_values", "time_in"]
