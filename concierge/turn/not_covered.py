"""A request for a place the catalog does not cover: nothing is booked there, but what the user asked is kept.

The request is read like any other (meal, day, time, party, nights, the needs that apply), and the reply's plan
carries it with status ``not_covered`` and no venue, so the reply says what was understood. The session keeps the
request as its plan to edit: "OK, then Lyon" is a follow-up that plans Lyon with the same details and needs (the
needs come from the user's own scope and the session's need statements, as for every plan). A follow-up that moves
a plan already made to such a place ("how about Oslo instead?") is declined and the plan made stays.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from concierge.crew.outputs import Plan, counted, party_words
from concierge.crew.turn import need_notes
from concierge.crew.who_comes import needs_of_those_coming, not_coming_note
from concierge.scope import Scope
from concierge.turn.answer import TurnAnswer

if TYPE_CHECKING:
    from concierge.conversation.session import ConversationStep
    from concierge.conversation.state import SessionState
    from concierge.request import TurnRequest
    from concierge.service import ConciergeService


def not_covered_turn(
    service: ConciergeService, scope: Scope, message: str, request: TurnRequest, step: ConversationStep
) -> tuple[TurnAnswer, SessionState | None]:
    """The answer (declined, with what was understood) and the session's next state (the request kept)."""
    from concierge.conversation.session import next_state

    place = request.place
    assert place is not None
    where = place.said + (f" ({place.country})" if place.country else "")
    declined = f"{where} is not in our catalog, so I will not book anything there."
    held = service.user_needs(scope, message, step.need_texts(message))
    needs = needs_of_those_coming(held, request, message)
    alone = not_coming_note(lambda: held, request, scope.user_id, message)
    plan = Plan(
        status="not_covered",
        date=request.date,
        time=request.time,
        meal=request.meal,
        party_size=request.party_size,
        nights=request.nights,
        needs=need_notes(needs),
        notes=[alone] if alone else [],
        problems=[declined],
    )
    nearest = ", ".join(service.places().nearest_covered(place))
    covered = ", ".join(sorted(service.catalog().cities()))
    kept = [f"Understood: {understood(request)}."]
    if plan.needs:
        kept.append("Needs I keep to: " + "; ".join(n.phrase(scope.user_id) for n in plan.needs) + ".")
    lines = [f"{declined} Nearest places we cover: {nearest}. Everything we cover: {covered}."]
    if _edits_a_plan(step):  # "how about Oslo instead?" of a plan made: declined, and the plan stays as it was
        return TurnAnswer(answer="\n".join([*lines, " ".join(kept)])), None
    kept.append("Name a place we cover and I will plan it there with these details.")
    state = next_state(step, request, message, plan, None, scope.user_id)
    return TurnAnswer(answer="\n".join([*lines, " ".join(kept)]), plan=plan), state


def _edits_a_plan(step: ConversationStep) -> bool:
    """The message is a follow-up of a plan with a venue chosen: that plan is what the session keeps."""
    return step.follow_up is not None and step.state is not None and step.state.has_plan


def understood(request: TurnRequest) -> str:
    """What the request asks, in a few words: "dinner, Monday 07 December at 20:00, 2 people"."""
    what = request.meal if request.intent == "dine" and request.meal else {"dine": "a meal"}.get(request.intent)
    parts = [what or f"a {request.intent}"]
    if request.date is not None:
        parts.append(f"{request.date:%A %d %B}" + (f" at {request.time:%H:%M}" if request.time else ""))
    elif request.time is not None:
        parts.append(f"at {request.time:%H:%M}")
    if request.nights:
        parts.append(counted(request.nights, "night", "nights"))
    parts.append(party_words(request.party_size) if request.party_size else "party size not said")
    return ", ".join(parts)
