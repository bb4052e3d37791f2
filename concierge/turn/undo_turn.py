"""An undo in the chat ("scratch that", "undo", "go back"): the plan goes back, and keeps every need that holds now.

The plan an undo goes back to was made with the needs of its time. A need said since ("I'm allergic to peanuts"
after the booking) is still current in memory (an undo never deletes a need unnamed), so the plan must still
apply it: the needs a plan applies come from one function, ``ConciergeService.user_needs`` (the current memories
by the rule of ``concierge.needs.current``, plus the session's need statements), here as on every other turn.
When the restored plan's needs differ from it, the restored request is planned again with them (the venue it had
is kept when it still qualifies), so the plan and its draft state every current need.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from concierge.turn.answer import TurnAnswer

if TYPE_CHECKING:
    from concierge.conversation.state import SessionState
    from concierge.conversation.undo import Undone
    from concierge.crew.outputs import Plan
    from concierge.needs import DetectedNeed
    from concierge.scope import Scope
    from concierge.service import ConciergeService


def applies(plan: Plan, needs: Sequence[DetectedNeed]) -> bool:
    """The plan applies exactly ``needs`` (each need of each person), no fewer and no more."""
    return {(n.need_id, n.holder.casefold()) for n in plan.needs} == {(n.need_id, n.holder.casefold()) for n in needs}


def undo_turn(
    service: ConciergeService, scope: Scope, message: str, now: dt.datetime, report: Callable[[str], None]
) -> tuple[TurnAnswer, SessionState | None]:
    """Carry out an undo or a forget request (``concierge.conversation.undo``); (the answer, the state to write)."""
    from concierge.conversation.undo import read_undo, undo_or_forget
    from concierge.crew.who_comes import needs_of_those_coming

    asked = read_undo(message)
    done = undo_or_forget(service.memory, scope, asked)
    store = "" if _confirms(done) else asked.remainder  # asked back ("Do you mean ...?"): nothing is a fact yet
    answer = TurnAnswer(done.answer, done.plan, done.draft, forgotten=done.forgotten, store=store, asks=done.asks)
    state = done.state
    if state is None or state.plan is None or state.request is None or done.forgotten is not None:
        return answer, state  # a forget request's state only keeps what it forgot (for an undo next)
    held = service.user_needs(scope, said=state.need_texts)
    if applies(state.plan, needs_of_those_coming(held, state.request, state.request_text or "")):
        return answer, state
    return _replanned(service, scope, state, now, report, asked.remainder)


def jest_turn(
    service: ConciergeService, scope: Scope, state: SessionState, reading: str
) -> tuple[TurnAnswer, SessionState]:
    """The turn right after a plain retraction says it was a jest, that the need still holds, or nothing clear
    (``reading`` "restore" or "unclear", ``concierge.conversation.jest.read_next``): the need holds again either way
    (the answer to an unclear reply says how to take it back plainly); after a forget request, an undo by example
    adds back what it deleted. The message itself is no fact ("User is still allergic", "User misspokes")."""
    from concierge.conversation import jest
    from concierge.conversation.session import advance

    if state.retracted is None:
        return _unforgot(service, scope)
    answer = jest.restore(service.memory, scope, state.retracted, unclear=reading == "unclear")
    return TurnAnswer(answer, store="", final=True), advance(state, scope.user_id, retracted=None)


def _unforgot(service: ConciergeService, scope: Scope) -> tuple[TurnAnswer, SessionState]:
    """ "undo the forget", "actually, remember it" right after a forget request: what it deleted comes back."""
    from concierge.conversation.undo import undo_or_forget
    from concierge.request.forget import ForgetRequest

    done = undo_or_forget(service.memory, scope, ForgetRequest("correction", "", ""))
    assert done.state is not None
    return TurnAnswer(done.answer, store="", final=True), done.state


def _confirms(done: Undone) -> bool:
    """The forget request named a need with other content: the concierge asks before deleting it."""
    return done.forgotten is not None and done.forgotten.status == "confirm"


def _replanned(
    service: ConciergeService,
    scope: Scope,
    state: SessionState,
    now: dt.datetime,
    report: Callable[[str], None],
    remainder: str,
) -> tuple[TurnAnswer, SessionState | None]:
    """The restored request planned again with the needs that hold now (its venue preferred)."""
    from concierge.conversation.followup import Resolution
    from concierge.conversation.session import ConversationStep, next_state
    from concierge.turn.crew_turn import run_crew

    assert state.request is not None and state.plan is not None
    chosen = state.plan.chosen.id if state.plan.chosen is not None else None
    resolution = Resolution("plan", request=state.request, prefer=chosen, need_texts=list(state.need_texts))
    step = ConversationStep(state, None, None, resolution)
    said = state.request_text or "the plan before your last message"
    turn = run_crew(service, scope, said, state.request, now, report, step)
    new = next_state(step, state.request, said, turn.plan, turn.draft, scope.user_id, turn.itinerary)
    answer = "Undone: back to the plan before your last message, with every need that holds now.\n" + turn.answer
    return TurnAnswer(
        answer,
        turn.plan,
        turn.draft,
        findings=turn.findings,
        memories_used=turn.memories_used,
        store=remainder,
        itinerary=turn.itinerary,
        outputs=turn.outputs,
    ), new
