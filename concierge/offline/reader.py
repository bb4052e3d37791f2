"""The offline model's reading of a turn: rules and examples (``parse_request``, ``read_follow_up``, day edits)."""

from __future__ import annotations

from concierge.conversation.followup import FollowUp
from concierge.conversation.reader import ReadingContext, TurnReading
from concierge.offline.day_edit import read_day_said
from concierge.offline.follow_up import PlanNow, asks_about_plan, read_follow_up
from concierge.offline.kinds import read_kind
from concierge.offline.parse import parse_request


class OfflineReader:
    """Rule-based ``TurnReader``: no model call, no network."""

    def read(self, message: str, context: ReadingContext) -> TurnReading:
        request = parse_request(message, now=context.now, places=context.places)
        follow_up = None
        if context.resumed:  # a new session has no plan to follow up
            follow_up = read_follow_up(
                message,
                request=request,
                now=context.now,
                places=context.places,
                has_plan=context.has_plan,
                plan=PlanNow.of_session(context.session),
            )
        elif asks_about_plan(message, read_kind(message), request):
            follow_up = FollowUp(kind="question")  # "what's the plan?" in a new session: there is none yet
        if context.has_trip and (follow_up is None or follow_up.kind not in ("confirm", "cancel", "question")):
            follow_up = _with_day(follow_up, message, context)
        return TurnReading(request=request, follow_up=follow_up)


def _with_day(follow_up: FollowUp | None, message: str, context: ReadingContext) -> FollowUp | None:
    """The follow-up with the day of the trip it edits ("swap day 2's dinner"), when the message names one."""
    day = read_day_said(message, context.now)
    if day is None:
        return follow_up
    return (follow_up or FollowUp(kind="change")).model_copy(update={"day": day})
