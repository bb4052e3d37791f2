"""A trip's itinerary as a session keeps it: venues by catalog id, no drafts (they are composed from fields).

A full ``Itinerary`` carries every venue's hours, allergen notes and a draft per meal, far more than one
session record holds for a long trip. ``keep`` stores what cannot be looked up again (which venue, the table
time and party, what was repeated or missing); ``expand`` rebuilds the same itinerary, field for field, from
the catalog and the session's stay plan and draft.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, SerializerFunctionWrapHandler, model_serializer

from concierge.catalog.loader import Catalog
from concierge.crew.itinerary_models import Itinerary, ItineraryDay, MealSlot
from concierge.crew.outputs import Draft, Plan
from concierge.request import Meal, TurnRequest


class KeptSlot(BaseModel):
    model_config = ConfigDict(frozen=True, extra="ignore")

    meal: Meal
    venue: str | None = None  # catalog id
    time: dt.time | None = None
    booking_time: dt.time | None = None  # the venue option's suggested time, when it is not ``time``
    repeated: bool = False
    party_size: int | None = None
    problem: str | None = None

    @model_serializer(mode="wrap")
    def _lean(self, handler: SerializerFunctionWrapHandler) -> dict[str, Any]:
        """Unset fields are left out: a long trip's days must fit one session record."""
        return {k: v for k, v in handler(self).items() if v is not None and v is not False}


class KeptDay(BaseModel):
    model_config = ConfigDict(frozen=True, extra="ignore")

    day: int = Field(ge=1)
    date: dt.date | None = None  # None: the trip's start plus ``day - 1`` (consecutive days)
    meals: tuple[KeptSlot, ...] = ()


class KeptTrip(BaseModel):
    """The itinerary without its days' venues and drafts (``header``), and each day's meals by venue id."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    header: Itinerary
    days: tuple[KeptDay, ...] = ()


def keep(trip: Itinerary) -> KeptTrip:
    """The compact form of ``trip`` for the session's state."""
    days = tuple(
        KeptDay(
            day=d.day,
            date=None if d.date == trip.start + dt.timedelta(days=d.day - 1) else d.date,
            meals=tuple(
                KeptSlot(
                    meal=s.meal,
                    venue=s.venue.id if s.venue else None,
                    time=s.time,
                    booking_time=s.venue.booking_time if s.venue and s.venue.booking_time != s.time else None,
                    repeated=s.repeated,
                    party_size=s.party_size,
                    problem=s.problem,
                )
                for s in d.meals
            ),
        )
        for d in trip.days
    )
    header = trip.model_copy(update={"days": (), "stay_plan": None, "stay_draft": None})
    return KeptTrip(header=header, days=days)


def expand(kept: KeptTrip, catalog: Catalog, stay_plan: Plan | None, stay_draft: Draft | None) -> Itinerary | None:
    """The full itinerary again (venues from the catalog, drafts re-composed); None when a venue is no longer in
    the catalog (the trip is then planned again rather than shown with a venue we cannot describe)."""
    from concierge.crew.itinerary import meal_draft
    from concierge.crew.tools.catalog import restaurant_option

    restaurants = {r.id: r for r in catalog.restaurants}
    trip = kept.header.model_copy(update={"stay_plan": stay_plan, "stay_draft": stay_draft})
    days = []
    for day in kept.days:
        date = day.date or trip.start + dt.timedelta(days=day.day - 1)
        slots = []
        for s in day.meals:
            venue = None
            if s.venue is not None:
                if s.venue not in restaurants:
                    return None
                option = restaurant_option(restaurants[s.venue], TurnRequest(intent="dine", meal=s.meal))
                venue = option.model_copy(update={"booking_time": s.booking_time or s.time})
            slot = MealSlot(
                meal=s.meal, venue=venue, time=s.time, repeated=s.repeated, party_size=s.party_size, problem=s.problem
            )
            slots.append(slot.model_copy(update={"draft": meal_draft(trip, date, slot)}))
        days.append(ItineraryDay(day=day.day, date=date, meals=tuple(slots)))
    return trip.model_copy(update={"days": tuple(days)})
