"""The turn's ``read`` step: the message read in the session's context by the configured ``TurnReader``."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from concierge.conversation.reader import ReadingContext, TurnReading
from concierge.scope import Scope

if TYPE_CHECKING:
    from concierge.conversation.state import SessionState
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
    """The reading of ``message``; a dining or stay request naming no place takes a catalog place the user told us
    (their newest memory that names one)."""
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
        newest_first = sorted(service.memory.list(scope), key=lambda r: r.created_at or "", reverse=True)
        remembered = next((p for r in newest_first if (p := places.find_in(r.text)) and p.in_catalog), None)
        if remembered is not None:
            reading = reading.model_copy(update={"request": request.model_copy(update={"place": remembered})})
    return reading
