"""The offline model's reading of a turn: today's rules (``parse_request`` and ``read_follow_up``), unchanged."""

from __future__ import annotations

from concierge.conversation.followup import read_follow_up
from concierge.conversation.reader import ReadingContext, TurnReading
from concierge.request import parse_request


class OfflineReader:
    """Rule-based ``TurnReader``: no model call, no network."""

    def read(self, message: str, context: ReadingContext) -> TurnReading:
        request = parse_request(message, now=context.now, places=context.places)
        follow_up = None
        if context.resumed:  # a new session has no plan to follow up
            follow_up = read_follow_up(
                message, request=request, now=context.now, places=context.places, has_plan=context.has_plan
            )
        return TurnReading(request=request, follow_up=follow_up)
