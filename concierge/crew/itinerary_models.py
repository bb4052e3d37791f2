"""Typed day-by-day trip plan: one stay for the nights, and for each day the meals the user asked for.

Everything a reply, the UI, a follow-up or a test reads is a field here; the text shown to people is
rendered from these fields (``concierge.crew.render.render_itinerary``).
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from concierge.crew.outputs import Draft, NeedNote, Option, Plan
from concierge.request import Meal

Seat = Literal["window", "aisle"]


class _Frozen(BaseModel):
    """Frozen, so an edit builds a new itinerary and the days it does not touch stay the same objects."""

    model_config = ConfigDict(frozen=True, extra="ignore")


class MealSlot(_Frozen):
    """One meal of one day: the venue (chosen among the tools' results), the table time and the draft."""

    meal: Meal
    venue: Option | None = None  # None: no restaurant in the city meets every need and serves this meal
    time: dt.time | None = None  # inside the venue's opening hours for this meal
    party_size: int | None = Field(default=None, ge=1)  # this meal's party, when a follow-up set it ("for 4")
    repeated: bool = False  # the venue is also booked for another meal (the city has too few that qualify)
    draft: Draft | None = None  # the booking request to the venue, composed from these fields
    problem: str | None = None


class ItineraryDay(_Frozen):
    day: int = Field(ge=1)  # 1 = the arrival day
    date: dt.date
    meals: tuple[MealSlot, ...] = ()

    def slot(self, meal: Meal) -> MealSlot | None:
        return next((s for s in self.meals if s.meal == meal), None)


class Itinerary(_Frozen):
    """A trip in one catalog city: the stay for ``nights`` nights and ``nights + 1`` consecutive days of meals."""

    user: str  # who travels (the drafts are signed with it)
    city: str
    country: str
    start: dt.date
    nights: int = Field(ge=1)
    party_size: int = Field(ge=1)
    meals: tuple[Meal, ...]  # booked each day, in the order of the day
    stay: Option | None = None
    stay_plan: Plan | None = None  # the stay's booking as a checked plan (what ``Reply.plan`` carries)
    stay_draft: Draft | None = None
    destination: Option | None = None  # the city's catalog entry: airports, best months
    days: tuple[ItineraryDay, ...] = ()
    needs: tuple[NeedNote, ...] = ()  # every active need of the party, applied to every venue
    airports: tuple[str, ...] = ()  # where to fly into
    best_months: tuple[str, ...] = ()  # the city's best months ("Mar", "Apr", ...)
    trip_months: tuple[str, ...] = ()  # the months the trip's days fall in
    in_best_months: bool | None = None  # None when the catalog has no season data for the city
    seat: Seat | None = None  # the seat the user told us they prefer on flights
    travel_notes: tuple[str, ...] = ()  # the sentences built from the fields above
    assumed: tuple[str, ...] = ()  # what the user did not say ("start date", "party size", "nights")
    problems: tuple[str, ...] = ()

    @property
    def end(self) -> dt.date:
        """The departure day (the last day of the plan)."""
        return self.start + dt.timedelta(days=self.nights)

    def day(self, number: int) -> ItineraryDay:
        """Day ``number`` (1-based); ``ValueError`` naming the valid range otherwise."""
        if not 1 <= number <= len(self.days):
            raise ValueError(f"day {number} is not in this itinerary; choose a day from 1 to {len(self.days)}")
        return self.days[number - 1]

    def slots(self) -> list[MealSlot]:
        return [slot for day in self.days for slot in day.meals]

    def drafts(self) -> list[Draft]:
        """Every booking request: the stay first, then each meal in order."""
        found = [self.stay_draft] if self.stay_draft else []
        return found + [s.draft for s in self.slots() if s.draft is not None]
