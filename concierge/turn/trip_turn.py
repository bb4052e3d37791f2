"""A follow-up on the session's trip: one day's meal edited, or every meal re-checked for a new need."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING

from concierge.scope import Scope
from concierge.turn.answer import TurnAnswer

if TYPE_CHECKING:
    from concierge.conversation.session import ConversationStep
    from concierge.conversation.state import SessionState
    from concierge.crew.turn import TurnContext
    from concierge.request import TurnRequest
    from concierge.service import ConciergeService


def trip_follow_up(
    service: ConciergeService, scope: Scope, message: str, now: dt.datetime, step: ConversationStep
) -> tuple[TurnAnswer, SessionState | None, ConversationStep] | None:
    """The answer, the next state and the step as answered; None when the message is not a follow-up on the
    session's itinerary (see ``concierge/conversation/trip.py``)."""
    from concierge.conversation.session import advance
    from concierge.conversation.trip import answer_trip_follow_up
    from concierge.crew.turn import TurnContext

    state = step.state
    assert state is not None

    def make_turn(request: TurnRequest, said: Sequence[str]) -> TurnContext:
        needs = lambda: service.user_needs(scope, message, said)  # noqa: E731 - the tools read it once
        return TurnContext(user=scope.user_id, request=request, now=now, places=service.places(), read_needs=needs)

    outcome = answer_trip_follow_up(message, state, step.follow_up, make_turn, service.crew_parts()[0])
    if outcome is None:
        return None
    step = dataclasses.replace(step, follow_up=outcome.follow_up, resolution=None)
    if outcome.kept:  # nothing fits the edit: the current plan stands, and the reply shows it
        return TurnAnswer(outcome.answer, state.plan, state.draft, itinerary=state.itinerary), None, step
    if outcome.itinerary is None:  # a question back: nothing changes
        return TurnAnswer(answer=outcome.answer), None, step
    said = list(outcome.need_texts) or list(state.need_texts)
    trip = outcome.itinerary
    plan, draft = (trip.stay_plan, trip.stay_draft) if trip.stay_plan else (state.plan, state.draft)
    new = advance(state, scope.user_id, itinerary=trip, need_texts=said, plan=plan, draft=draft)
    turn = TurnAnswer(answer=outcome.answer, plan=plan, draft=draft, itinerary=trip)
    return turn, new, step
