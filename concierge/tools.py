"""The research agent's tools: catalog search through CrewAI's tool mechanism.

Needs arrive as free text (what the traveller told us, as the model passes it on) and are
applied as hard filters in code; the tool reports what it excluded and why, so the planner and
the outreach draft can say it. Output lines are stable so any model can quote them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from crewai.tools import BaseTool
from pydantic import BaseModel, ConfigDict, Field

from concierge.catalog.requirements import parse_requirements
from concierge.catalog.schema import Destination, Restaurant, Stay, StayKind
from concierge.catalog.search import CatalogSearch, Place, SearchResult

_MAX_RESULTS = 10
_STAY_KINDS: dict[str, StayKind] = {
    "hotel": "hotel", "apartment": "apartment", "flat": "apartment", "house": "house", "villa": "house",
    "cottage": "house", "guesthouse": "guesthouse", "b&b": "guesthouse", "bed and breakfast": "guesthouse",
}  # fmt: skip


class _SearchArgs(BaseModel):
    model_config = ConfigDict(extra="ignore")

    query: str = Field(description="What the traveller is looking for, in their words")
    location: str = Field(default="", description="A city or country from the catalog, if known")
    requirements: str = Field(
        default="", description="The traveller's hard needs as plain text, e.g. 'allergic to nuts; uses a wheelchair'"
    )
    max_results: int = Field(default=5, ge=1, le=_MAX_RESULTS)


class _StayArgs(_SearchArgs):
    kind: str = Field(default="", description="hotel, apartment, house or guesthouse; empty for any")


def _euros(level: int) -> str:
    return "€" * level


def restaurant_line(rank: int, r: Restaurant) -> str:
    access = "wheelchair accessible" if r.wheelchair_accessible else "not wheelchair accessible"
    return (
        f"{rank}. {r.name} [{r.id}] | {r.cuisine} | {r.neighborhood}, {r.city} | {_euros(r.price_level)} | "
        f"rating {r.rating} | dietary: {', '.join(r.dietary_options) or 'none listed'} | {access} | "
        f"hours {r.opening_hours} | {r.reservation_email}\n"
        f"   Allergens: {r.allergen_notes}\n   {r.description}"
    )


def stay_line(rank: int, s: Stay) -> str:
    access = "step-free access" if s.step_free_access else "no step-free access"
    return (
        f"{rank}. {s.name} [{s.id}] | {s.kind}, {s.bedrooms} bedroom(s) | {s.neighborhood}, {s.city} | "
        f"EUR {s.price_per_night_eur}/night | rating {s.rating} | {access} | {s.contact_email}\n"
        f"   {s.description}"
    )


def destination_line(rank: int, d: Destination) -> str:
    return (
        f"{rank}. {d.name} [{d.id}] | {d.region}, {d.country} | airports {', '.join(d.airports)} | "
        f"best months {', '.join(d.best_months)}\n   {d.summary} Highlights: {'; '.join(d.highlights)}."
    )


def _header(kind: str, result: SearchResult[Any], query: str) -> str:
    where = result.place.label() if result.place else "all catalog cities"
    return (
        f"{kind} in {where} for {query!r}; hard needs applied: {result.requirements.describe()}; "
        f"{len(result.ranked)} shown of {result.considered - len(result.excluded)} that qualify "
        f"({len(result.excluded)} excluded)."
    )


def _excluded(result: SearchResult[Any], limit: int = 5) -> list[str]:
    if not result.excluded:
        return []
    shown = [f"{entry.name} ({reason})" for entry, reason in result.excluded[:limit]]
    more = len(result.excluded) - limit
    return ["Excluded: " + "; ".join(shown) + (f"; and {more} more" if more > 0 else "")]


def _report(kind: str, result: SearchResult[Any], query: str, line: Callable[[int, Any], str]) -> str:
    """What every search tool answers: a header, numbered entries (or why there are none), exclusions."""
    lines = [_header(kind, result, query)]
    lines += [line(i, r.entry) for i, r in enumerate(result.ranked, 1)] or [f"Nothing in {kind.lower()} qualifies."]
    return "\n".join(lines + _excluded(result))


class _CatalogTool(BaseTool):
    catalog: CatalogSearch = Field(exclude=True)
    model_config = ConfigDict(arbitrary_types_allowed=True)

    def _place(self, location: str) -> tuple[Place | None, str | None]:
        if not location.strip():
            return None, None
        place = self.catalog.resolve_place(location)
        if place is None:
            return (
                None,
                f"No catalog city or country matches {location!r}. Known cities: {self.catalog.known_places()}.",
            )
        return place, None


class SearchRestaurantsTool(_CatalogTool):
    name: str = "search_restaurants"
    description: str = (
        "Find restaurants in the catalog. Pass the request, the city or country, and the traveller's hard needs "
        "(allergies, diet, wheelchair). Venues that cannot meet a need are excluded and listed."
    )
    args_schema: type[BaseModel] = _SearchArgs

    def _run(self, query: str, location: str = "", requirements: str = "", max_results: int = 5, **_: Any) -> str:
        place, problem = self._place(location)
        if problem:
            return problem
        result = self.catalog.restaurants(query, place, parse_requirements(requirements), limit=max_results)
        return _report("Restaurants", result, query, restaurant_line)


class SearchStaysTool(_CatalogTool):
    name: str = "search_stays"
    description: str = (
        "Find places to stay (hotel, apartment, house, guesthouse) in the catalog, by city or country, "
        "honouring access needs such as step-free access."
    )
    args_schema: type[BaseModel] = _StayArgs

    def _run(
        self, query: str, location: str = "", requirements: str = "", max_results: int = 5, kind: str = "", **_: Any
    ) -> str:
        place, problem = self._place(location)
        if problem:
            return problem
        kinds = frozenset(v for k, v in _STAY_KINDS.items() if k in kind.lower())
        result = self.catalog.stays(query, place, parse_requirements(requirements), kinds=kinds, limit=max_results)
        return _report("Stays" + (f" ({', '.join(sorted(kinds))})" if kinds else ""), result, query, stay_line)


class FindDestinationsTool(_CatalogTool):
    name: str = "find_destinations"
    description: str = "Suggest destinations (cities) from the catalog that fit a request, optionally within a country."
    args_schema: type[BaseModel] = _SearchArgs

    def _run(self, query: str, location: str = "", requirements: str = "", max_results: int = 3, **_: Any) -> str:
        place, problem = self._place(location)
        if problem:
            return problem
        return _report(
            "Destinations", self.catalog.destinations(query, place, limit=max_results), query, destination_line
        )


def research_tools(catalog: CatalogSearch) -> list[BaseTool]:
    return [
        SearchRestaurantsTool(catalog=catalog),
        SearchStaysTool(catalog=catalog),
        FindDestinationsTool(catalog=catalog),
    ]
