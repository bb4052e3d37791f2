"""The turn's ``read`` step: the message read in the session's context by the configured ``TurnReader``."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from concierge.conversation.reader import ReadingContext, TurnReading
from concierge.scope import Scope

if TYPE_CHECKING:
    from concierge.conversation.state import SessionState
    from concierge.request import CatalogPlaces, PlaceRef
    from concierge.service import ConciergeService


def read_turn(
    service: ConciergeService,
    scope: Scope,
    message: str,
    now: dt.datetime,
    state: SessionState | None,
    *,
    resumed: bool,
) -> TurnReading:
    """The reading of ``message``; a dining or stay request naming no place takes the place of the session's plan,
    else a catalog place the user told us (their newest memory that names one), marked as assumed."""
    places = service.places()
    has_plan = state is not None and state.request is not None  # a request to refine, planned or not (yet)
    session = state.compact() if state is not None else None
    has_trip = state is not None and state.itinerary is not None
    context = ReadingContext(
        now=now, places=places, session=session, has_plan=has_plan, resumed=resumed, has_trip=has_trip
    )
    from concierge.conversation.undo import edit_after_retraction

    if has_plan and (edit := edit_after_retraction(message)):
        message = edit  # "scratch that, make it Paris": the edit is what is read, as for "no wait, make it Paris"
    reading = service.reader().read(message, context)
    request = reading.request
    if request.place is None and request.intent in ("dine", "stay"):
        known = _known_place(service, scope, places, state)
        if known is not None:
            reading = reading.model_copy(update={"request": request.model_copy(update={"place": known})})
    return reading


def _known_place(
    service: ConciergeService, scope: Scope, places: CatalogPlaces, state: SessionState | None
) -> PlaceRef | None:
    """The place a request that names none means: the session's plan's ("a table for two tomorrow" after a hotel
    in Seville), else the newest catalog place in the user's memories (where they live, where they are going)."""
    planned = state.request.place if state is not None and state.request is not None else None
    if planned is not None and planned.in_catalog:
        return planned.model_copy(update={"assumed_from": "this conversation's plan"})
    newest_first = sorted(service.memory.list(scope), key=lambda r: r.created_at or "", reverse=True)
    for record in newest_first:
        place = places.find_in(record.text)
        if place is not None and place.in_catalog:
            return place.model_copy(update={"assumed_from": f'what you told me ("{record.text}")'})
    return None
