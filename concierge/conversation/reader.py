"""Reading a chat turn is a plug-in: one ``TurnReader`` interface, registered per model in ``concierge.llm.factory``.

A reader turns the user's message into a ``TurnReading``: the typed request, and the follow-up edit it makes to
the session's plan ("cheaper", "the third one", "make it lunch", "what about Lisbon"). The offline reader applies
rules (``concierge/offline/reader.py``); with a real model the model fills the same types by structured output,
checked by the validators a model's tool arguments go through (``concierge.request.request_from_arguments``).
Nothing else reads a message's intent, so a team pointing the concierge at its own model needs no new code here.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Protocol

from pydantic import BaseModel, ConfigDict

from concierge.conversation.followup import FollowUp
from concierge.request import CatalogPlaces, TurnRequest


@dataclass(frozen=True, slots=True)
class ReadingContext:
    """What a reader sees besides the message: today, the catalog's places, and the session as it stands."""

    now: dt.datetime
    places: CatalogPlaces
    session: str | None = None  # the session's state in compact JSON (request, options shown, plan); None: none yet
    has_plan: bool = False  # the session has a request to refine
    resumed: bool = False  # the turn continues a session (a new session has nothing to follow up)
    has_trip: bool = False  # the session's plan is a day-by-day trip ("make day 2 dinner Japanese" edits it)


class TurnReading(BaseModel):
    """One message, read: the request it makes, and the edit it makes to the session's plan (None: not a follow-up)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    request: TurnRequest
    follow_up: FollowUp | None = None


class TurnReader(Protocol):
    """Reads one message in its context. Raises ``ConciergeError`` (one line) when it cannot; nothing is stored."""

    def read(self, message: str, context: ReadingContext) -> TurnReading: ...
