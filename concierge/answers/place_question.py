"""The answer to "what's the weather like in Rome in March?": the catalog's monthly climate, best months and
airports for the place asked about. Nothing is booked."""

from __future__ import annotations

import calendar

from concierge.catalog.loader import Catalog
from concierge.catalog.schema import Destination
from concierge.request import TurnRequest


def _places(request: TurnRequest, catalog: Catalog) -> list[Destination]:
    place = request.place
    if place is None or not place.in_catalog:
        return []
    if place.city:
        return [d for d in catalog.destinations if d.name == place.city]
    return [d for d in catalog.destinations if d.country == place.country]


def _line(destination: Destination, month: int | None) -> str:
    best = ", ".join(destination.best_months) or "no season data"
    where = f"{destination.name}, {destination.country}"
    if month is None:
        warmest = max(range(12), key=lambda i: destination.climate[i])
        airports = ", ".join(destination.airports)
        highs = f"{min(destination.climate)} °C to {destination.climate[warmest]} °C"
        warm_month = calendar.month_name[warmest + 1]
        return f"{where}: best months {best}; average highs from {highs} ({warm_month}); airports {airports}."
    name = calendar.month_abbr[month]
    verdict = "one of its best months" if name in destination.best_months else f"not among its best months ({best})"
    return (
        f"{where} in {calendar.month_name[month]}: average high {destination.climate[month - 1]} °C, {verdict}; "
        f"airports {', '.join(destination.airports)}."
    )


def answer_place_question(request: TurnRequest, catalog: Catalog) -> str:
    """One line per catalog destination the question names (a country: each of its cities)."""
    found = _places(request, catalog)
    if not found:
        said = request.place.said if request.place else "that place"
        covered = ", ".join(sorted(catalog.cities()))
        return f"I have no climate data for {said}; I know these places: {covered}."
    return "\n".join([*(_line(d, request.month) for d in found), "Nothing was booked; ask me to plan a trip there."])
