"""A typed request per chat message: intent, place, date/time, meal, party, nights, budget, vague wishes.

The reading itself is a plug-in (``concierge.conversation.reader``): the offline model's rules live in
``concierge/offline/``; ``request_from_arguments`` checks what a real model fills the same way. Both return a
frozen ``TurnRequest``.
"""

from concierge.request.arguments import (
    RequestArgumentsError,
    arguments_json_schema,
    request_from_arguments,
    warm_up,
)
from concierge.request.model import Intent, Meal, PlaceRef, TurnRequest
from concierge.request.places import CatalogPlaces

__all__ = [
    "CatalogPlaces",
    "Intent",
    "Meal",
    "PlaceRef",
    "RequestArgumentsError",
    "TurnRequest",
    "arguments_json_schema",
    "request_from_arguments",
    "warm_up",
]
