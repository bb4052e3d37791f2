"""The typed request: what one chat message asks for, as fields the crew and the tools read instead of raw text."""

from __future__ import annotations

import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from concierge.catalog.hours import Meal
from concierge.catalog.schema import Climate, StayKind

Intent = Literal[
    "dine", "stay", "trip", "memory_question", "needs_question", "place_question", "statement", "chit_chat", "forget"
]

MEALS: tuple[Meal, ...] = ("breakfast", "brunch", "lunch", "dinner")
MAX_PARTY = 20
MAX_NIGHTS = 60
MAX_BUDGET_EUR = 100_000  # the most a night may cost: more is no budget at all


class PlaceRef(BaseModel):
    """A place the user named, and whether the catalog covers it ("we don't cover Oslo" is an honest answer)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    said: str = Field(min_length=1, max_length=120, description="as the user wrote it")
    # Defaults, so a country trip (no city) saved without its None fields reads back (the session state).
    city: str | None = Field(
        default=None, description="catalog city name when the place is, or is inside, a catalog city"
    )
    country: str | None = Field(
        default=None, description="catalog country, or the real country of a known place outside it"
    )
    in_catalog: bool
    region: str | None = Field(default=None, description="catalog region when the user named a region")
    assumed_from: str | None = Field(
        default=None, description="where a place the message did not name was taken from (a memory, the session)"
    )


class TurnRequest(BaseModel):
    """One message as typed fields. Filled by the offline rules or by a real model's tool arguments."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    intent: Intent
    place: PlaceRef | None = None
    date: datetime.date | None = None
    time: datetime.time | None = None
    meal: Meal | None = None
    party_size: int | None = Field(default=None, ge=1, le=MAX_PARTY, description="people at the table or trip")
    nights: int | None = Field(default=None, ge=1, le=MAX_NIGHTS)
    budget_level: int | None = Field(default=None, ge=1, le=4, description='1 = "cheap" ... 4 = "fine dining"')
    budget_per_night_eur: int | None = Field(default=None, ge=1, le=MAX_BUDGET_EUR)
    stay_kind: StayKind | None = None
    cuisine: str | None = Field(default=None, max_length=60)
    climate: Climate | None = Field(default=None, description='vague wishes: "somewhere warm in December"')
    month: int | None = Field(default=None, ge=1, le=12, description="month a trip is for, when no day was said")
    meals: tuple[Meal, ...] = Field(
        default=(),
        description="meals a trip's day-by-day plan books each day ('lunches only'); empty: lunch and dinner",
    )
    problems: tuple[str, ...] = Field(default=(), description="one clear sentence per piece of input we refused")
