"""The research agent's tools: catalog search through CrewAI's tool mechanism.

A model passes what it understood of the request as typed arguments (place, date, time, meal,
party size, ...); they are validated into a ``TurnRequest`` exactly like the offline model's. The
user's needs are NOT an argument a model can drop: each tool reads them from the turn's context
(the user's own scope plus the current message) and applies them as hard filters, together with
opening hours for the meal and the budget. The answer is a JSON ``SearchReport``.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from concierge.catalog.climate import closest_destinations, destinations_for
from concierge.catalog.cuisine import serves_cuisine, suits_meal
from concierge.catalog.hours import MEAL_WINDOWS, booking_time, serves
from concierge.catalog.requirements import Requirements, parse_requirements
from concierge.catalog.schema import Destination, Restaurant, Stay
from concierge.catalog.search import CatalogSearch, EntryT, Place, SearchResult
from concierge.crew.outputs import Exclusion, Option, SearchReport
from concierge.crew.tools.registry import register
from concierge.crew.turn import TurnContext, need_notes
from concierge.lean_imports import import_crewai
from concierge.request import TurnRequest, request_from_arguments

import_crewai()  # before crewAI's first import: without the parts this app never uses
from crewai.tools import BaseTool  # noqa: E402

_MAX_RESULTS = 10


class _SearchArgs(BaseModel):
    model_config = ConfigDict(extra="ignore")

    query: str = Field(description="What the traveller is looking for, in a few words (cuisine, mood, features)")
    location: str = Field(default="", description="A city or country, as the traveller named it")
    date: str = Field(default="", description="ISO date (YYYY-MM-DD) of the booking or arrival, if known")
    time: str = Field(default="", description="24h time (HH:MM) the traveller asked for, if any")
    meal: str = Field(default="", description="breakfast, brunch, lunch or dinner, if a meal")
    party_size: int | None = Field(default=None, description="How many people in total")
    budget_level: int | None = Field(default=None, description="1 (cheap) to 4 (fine dining), if said")
    requirements: str = Field(
        default="", description="Extra needs said in this conversation; the user's stored needs apply anyway"
    )
    max_results: int = Field(default=5, ge=1, le=_MAX_RESULTS)


class _StayArgs(_SearchArgs):
    kind: str = Field(default="", description="hotel, apartment, house or guesthouse; empty for any")
    nights: int | None = Field(default=None, description="Number of nights")
    budget_per_night_eur: int | None = Field(default=None, description="Most the traveller pays per night")


class _DestinationArgs(BaseModel):
    model_config = ConfigDict(extra="ignore")

    query: str = Field(description="What the traveller wants from the place (beaches, food, museums ...)")
    location: str = Field(default="", description="A country or city to stay within, if any")
    climate: str = Field(default="", description="warm, cool or sunny, if the traveller asked for a climate")
    month: int | None = Field(default=None, description="Month of travel, 1-12, if known")
    max_results: int = Field(default=3, ge=1, le=_MAX_RESULTS)


_REQUEST_FIELDS = (
    "date", "time", "meal", "party_size", "nights", "budget_level", "budget_per_night_eur", "climate", "month",
)  # fmt: skip


def _euros(level: int) -> str:
    return "€" * level


def restaurant_option(r: Restaurant, request: TurnRequest) -> Option:
    meal = request.meal or "dinner"
    return Option(
        id=r.id, name=r.name, kind="restaurant", city=r.city, country=r.country, contact=r.reservation_email,
        summary=f"{r.cuisine}, {r.neighborhood}", price=_euros(r.price_level), opening_hours=r.opening_hours,
        allergen_notes=r.allergen_notes, booking_time=booking_time(r.opening_hours, meal, request.time),
    )  # fmt: skip


def stay_option(s: Stay) -> Option:
    return Option(
        id=s.id, name=s.name, kind="stay", city=s.city, country=s.country, contact=s.contact_email,
        summary=f"{s.kind}, {s.bedrooms} bedroom(s), {s.neighborhood}", price=f"EUR {s.price_per_night_eur}/night",
    )  # fmt: skip


def destination_option(d: Destination) -> Option:
    return Option(
        id=d.id, name=d.name, kind="destination", city=d.name, country=d.country, summary=f"{d.region}: {d.summary}",
        airports=list(d.airports), best_months=list(d.best_months),
    )  # fmt: skip


class _CatalogTool(BaseTool):
    """Shared plumbing: typed arguments -> TurnRequest, place resolution, needs from the turn, the JSON answer."""

    model_config = ConfigDict(arbitrary_types_allowed=True)
    catalog: CatalogSearch = Field(exclude=True)
    turn: TurnContext = Field(exclude=True)
    # A model's arguments only fill what the typed request leaves open (its "Lyon" never replaces the user's
    # "Paris"); code that searches day by day (concierge/crew/itinerary.py) passes its own dates and meals.
    fill_only: bool = Field(default=False, exclude=True)

    def _request(self, arguments: dict[str, Any]) -> TurnRequest | str:
        """The turn's request and what the model passed, validated; or why the arguments are bad."""
        given = {k: v for k, v in arguments.items() if k in _REQUEST_FIELDS and v not in (None, "")}
        location = str(arguments.get("location") or "").strip()
        base = self.turn.request.model_dump(exclude={"problems", "place"}, exclude_none=True)
        typed = self.turn.request.place  # a city read from a misspelling ("Pariss") is passed by its catalog name
        typed_place = ((typed.city if typed.in_catalog and typed.city else None) or typed.said) if typed else ""
        place = (typed_place or location) if self.fill_only else (location or typed_place)
        fields = {**given, **base} if self.fill_only else {**base, **given}
        try:
            request = request_from_arguments(
                {**fields, "place": place or None}, now=self.turn.now, places=self.turn.places
            )
        except (ValidationError, ValueError) as exc:
            return f"invalid search arguments: {exc}".splitlines()[0]
        return _without_a_clashing_time(request, self.turn.request) if self.fill_only else request

    def _requirements(self, extra: str) -> Requirements:
        """The user's needs (always) plus any the model passes on; a model can add needs, never remove them."""
        found = self.turn.needs()
        base = Requirements.from_needs(found)
        return base.union(parse_requirements(extra)) if extra.strip() else base

    def _answer(self, report: SearchReport, request: TurnRequest | str | None = None) -> str:
        self.turn.record(report, request if isinstance(request, TurnRequest) else None)
        return report.model_dump_json(exclude_none=True)

    def _found(
        self,
        result: SearchResult[EntryT],
        unfit: Callable[[EntryT], str | None],
        option: Callable[[EntryT], Option],
        max_results: int,
        request: TurnRequest,
    ) -> str:
        """The answer of a search that ran: the best ``max_results`` entries that met every need and are not
        ``unfit`` for the request (hours, budget), and every entry excluded with its reason."""
        excluded = [Exclusion(name=entry.name, reason=why) for entry, why in result.excluded]
        kept: list[Option] = []
        for ranked in result.ranked:
            if why := unfit(ranked.entry):
                excluded.append(Exclusion(name=ranked.entry.name, reason=why))
            elif len(kept) < max_results:
                kept.append(option(ranked.entry))
        report = SearchReport(
            tool=self.name,
            place=result.place.label() if result.place else None,
            needs_applied=need_notes(self.turn.needs()),
            options=kept,
            excluded=excluded,
        )
        return self._answer(report, request)

    def _declined(self, request: TurnRequest | str) -> SearchReport | None:
        if isinstance(request, str):
            return SearchReport(tool=self.name, problem=request)
        if request.problems:
            return SearchReport(tool=self.name, problem=" ".join(request.problems))
        place = request.place
        if place is not None and not place.in_catalog:
            nearest = ", ".join(self.turn.places.nearest_covered(place))
            return SearchReport(
                tool=self.name,
                problem=f"{place.said} is not in our catalog (nearest places we cover: {nearest}).",
                needs_applied=need_notes(self.turn.needs()),
            )
        return None


def _without_a_clashing_time(request: TurnRequest, typed: TurnRequest) -> TurnRequest:
    """A time the model filled in that is no time for the meal the user asked for is dropped: "make it lunch" read
    with the first turn's 20:00 would exclude every venue ("cannot seat at 20:00") and plan nothing."""
    meal, time = typed.meal, request.time
    if typed.time is not None or meal is None or time is None:
        return request
    start, end = MEAL_WINDOWS[meal]
    return request if start <= time <= end else request.model_copy(update={"time": None})


def _place(request: TurnRequest) -> Place | None:
    ref = request.place
    if ref is None or not ref.in_catalog or not ref.country:
        return None
    return Place(ref.city, ref.country)


class SearchRestaurantsTool(_CatalogTool):
    name: str = "search_restaurants"
    description: str = (
        "Find restaurants in the catalog for the traveller's request. Pass the place, date, time, meal and party "
        "size you understood. The traveller's dietary and access needs are applied automatically from their "
        "profile; venues that cannot meet them, or are closed for the meal, are excluded and listed."
    )
    args_schema: type[BaseModel] = _SearchArgs

    def _run(self, query: str, requirements: str = "", max_results: int = 5, **arguments: Any) -> str:
        request = self._request(arguments)
        if declined := self._declined(request):
            return self._answer(declined, request)
        assert isinstance(request, TurnRequest)
        needs = self._requirements(requirements)
        result = self.catalog.restaurants(query, _place(request), needs, limit=len(self.catalog.catalog.restaurants))
        meal = request.meal or "dinner"

        def unfit(venue: Restaurant) -> str | None:
            if request.cuisine and not serves_cuisine(venue.cuisine, request.cuisine):
                return f"not {request.cuisine} ({venue.cuisine})"  # the user asked for it: a filter, not a ranking
            if not serves(venue.opening_hours, meal):
                return f"not open for {meal} ({venue.opening_hours})"
            if not suits_meal(venue.cuisine, meal, request.cuisine):
                return f"a {venue.cuisine.lower()} does not serve {meal}"
            if request.time and booking_time(venue.opening_hours, meal, request.time) is None:
                return f"cannot seat at {request.time:%H:%M} ({venue.opening_hours})"
            if request.budget_level and venue.price_level > request.budget_level:
                return f"above the budget ({_euros(venue.price_level)})"
            return None

        return self._found(result, unfit, lambda venue: restaurant_option(venue, request), max_results, request)


class SearchStaysTool(_CatalogTool):
    name: str = "search_stays"
    description: str = (
        "Find places to stay (hotel, apartment, house, guesthouse) in the catalog, by city or country. The "
        "traveller's access needs are applied automatically from their profile."
    )
    args_schema: type[BaseModel] = _StayArgs

    def _run(self, query: str, requirements: str = "", max_results: int = 5, kind: str = "", **arguments: Any) -> str:
        request = self._request(arguments)
        if declined := self._declined(request):
            return self._answer(declined, request)
        assert isinstance(request, TurnRequest)
        wanted_kind = request.stay_kind or next(
            (k for k in ("hotel", "apartment", "house", "guesthouse") if k in kind.lower()), None
        )
        # The kind asked for ranks first but filters nothing: "a hotel" with a budget only a guesthouse fits gets the
        # guesthouse (the plan says which kind it is), and there are always options to choose from.
        result = self.catalog.stays(
            query, _place(request), self._requirements(requirements), limit=len(self.catalog.catalog.stays)
        )
        if wanted_kind:
            ranked = sorted(result.ranked, key=lambda r: r.entry.kind != wanted_kind)
            result = dataclasses.replace(result, ranked=ranked)

        def unfit(stay: Stay) -> str | None:
            if request.budget_per_night_eur and stay.price_per_night_eur > request.budget_per_night_eur:
                return f"above the budget (EUR {stay.price_per_night_eur})"
            return None

        return self._found(result, unfit, stay_option, max_results, request)


class FindDestinationsTool(_CatalogTool):
    name: str = "find_destinations"
    description: str = (
        "Suggest destinations (cities) from the catalog that fit a request: optionally within a country, for a "
        "climate (warm, cool, sunny) and a month of travel."
    )
    args_schema: type[BaseModel] = _DestinationArgs

    def _run(self, query: str, max_results: int = 3, **arguments: Any) -> str:
        request = self._request(arguments)
        if declined := self._declined(request):
            return self._answer(declined, request)
        assert isinstance(request, TurnRequest)
        place = _place(request)
        result = self.catalog.destinations(query, place, limit=len(self.catalog.catalog.destinations))
        allowed = fitting = None
        if request.climate:
            month = request.month or self.turn.now.month
            fitting = {d.id for d in destinations_for(self.catalog.catalog, request.climate, month)}
            allowed = {d.id for d in closest_destinations(self.catalog.catalog, request.climate, month, max_results)}
        picked = [r.entry for r in result.ranked if allowed is None or r.entry.id in allowed][:max_results]
        problem = None
        if not picked and allowed is not None:
            problem = f"no destination in our catalog is {request.climate} in {dt.date(2000, month, 1):%B}"
        options = [destination_option(d) for d in picked]
        if fitting is not None and request.climate:
            options = [o if o.id in fitting else _nearest(o, picked, request.climate, month) for o in options]
        return self._answer(
            SearchReport(tool=self.name, place=place.label() if place else None, options=options, problem=problem),
            request,
        )


def _nearest(option: Option, picked: list[Destination], climate: str, month: int) -> Option:
    """A destination offered because too few fit the wish: said so, with its average high that month."""
    high = next(d.climate[month - 1] for d in picked if d.id == option.id)
    said = f"Nearest to {climate} in {dt.date(2000, month, 1):%B} that we cover (average high {high} °C)"
    return option.model_copy(update={"summary": f"{said}. {option.summary}"})


# A restaurant or stay search is the last step of the research: its report is the task's answer as code recorded
# it (``result_as_answer``), so the model is not called again to retell it (that call re-sent the prompt, the tools
# and the report, ~2,500 prompt and ~1,000 completion tokens, and the guardrail replaced its answer anyway).
# A destination search is not: a trip goes on to the stays of the place found.
@register("search_restaurants")
def search_restaurants(catalog: CatalogSearch, turn: TurnContext) -> BaseTool:
    return SearchRestaurantsTool(catalog=catalog, turn=turn, fill_only=True, result_as_answer=True)


@register("search_stays")
def search_stays(catalog: CatalogSearch, turn: TurnContext) -> BaseTool:
    return SearchStaysTool(catalog=catalog, turn=turn, fill_only=True, result_as_answer=True)


@register("find_destinations")
def find_destinations(catalog: CatalogSearch, turn: TurnContext) -> BaseTool:
    return FindDestinationsTool(catalog=catalog, turn=turn, fill_only=True)


def research_tools(catalog: CatalogSearch, turn: TurnContext) -> list[BaseTool]:
    """The catalog tools as a model gets them: its arguments fill only what the typed request leaves open."""
    return [search_restaurants(catalog, turn), search_stays(catalog, turn), find_destinations(catalog, turn)]


def search_as_asked(turn: TurnContext, catalog: CatalogSearch, message: str) -> None:
    """The searches the typed request asks for, run by code (a model that ran none); recorded in ``turn``."""
    request = turn.request
    query = request.cuisine or message
    if request.intent == "dine":
        search_restaurants(catalog, turn).run(query=query)
        return
    place = request.place.said if request.place else ""
    if request.intent == "trip":
        wish: dict[str, Any] = {"query": query, "max_results": 1 if place else 3}
        if request.climate:
            wish |= {"climate": request.climate, "month": request.month}
        found = SearchReport.model_validate_json(find_destinations(catalog, turn).run(**wish))
        place = place or (found.options[0].name if found.options and not request.climate else "")
        if not place:
            return
    search_stays(catalog, turn).run(query=query, location=place)
