"""The answer to "what's the weather like in Rome in March?": the catalog's monthly climate, best months and
airports for the place asked about; to "can a vegan find food in Athens?": the venues there that meet the need
asked about (``venues_question``). Nothing is booked, nothing is stored (the need may be anyone's)."""

from __future__ import annotations

import calendar

from concierge.catalog.loader import Catalog
from concierge.catalog.requirements import Requirements
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


def answer_place_question(request: TurnRequest, catalog: Catalog, message: str = "") -> str:
    """One line per catalog destination the question names (a country: each of its cities); when the question
    names a need or asks about food ("is it safe for someone with a nut allergy to eat in Porto?", "any kosher
    restaurants in Rome?", "is sushi ok for a pescatarian?"), the venues there (or anywhere we cover, when it
    names no place) of the kind of food named that meet it (``concierge/answers/venues_question.py``)."""
    from concierge.answers.venues_question import answer_venues_question
    from concierge.needs.asked import needs_named
    from concierge.request.food import asks_about_food

    found = _places(request, catalog)
    needs = Requirements.from_needs(needs_named(message)) if message else Requirements()
    if needs.needs or (message and asks_about_food(message, request.cuisine)):
        if request.place is not None and not found:
            asked = f" which meet {', '.join(needs.labels())}" if needs.needs else ""
            return f"I know no restaurants in {request.place.said}, so I cannot say{asked}."
        return answer_venues_question(found if request.place else None, needs, request.cuisine, catalog)
    if not found:
        said = request.place.said if request.place else "that place"
        covered = ", ".join(sorted(catalog.cities()))
        return f"I have no climate data for {said}; I know these places: {covered}."
    return "\n".join([*(_line(d, request.month) for d in found), "Nothing was booked; ask me to plan a trip there."])
