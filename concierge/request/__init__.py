"""A typed request per chat message: intent, place, date/time, meal, party, nights, budget, vague wishes.

``parse_request`` is the offline model's reading; ``request_from_arguments`` checks what a real model
passes as tool arguments the same way. Both return a frozen ``TurnRequest``.
"""

from concierge.request.model import Intent, Meal, PlaceRef, TurnRequest
from concierge.request.parse import (
    RequestArgumentsError,
    arguments_json_schema,
    parse_request,
    request_from_arguments,
    warm_up,
)
from concierge.request.places import CatalogPlaces

__all__ = [
    "CatalogPlaces",
    "Intent",
    "Meal",
    "PlaceRef",
    "RequestArgumentsError",
    "TurnRequest",
    "arguments_json_schema",
    "parse_request",
    "request_from_arguments",
    "warm_up",
]
