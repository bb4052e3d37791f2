"""One chat turn's part in its session: read the state, resolve a follow-up, and write the next state.

The turn's flow (``concierge/turn/flow.py``) calls ``load_step`` before reading the message, ``follow`` with
the follow-up its reader found, ``settle`` for the answers that need no search (a question back, a
confirmation, a cancellation), and ``next_state`` once a plan is made.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from concierge.conversation.followup import FollowUp, Resolution, resolve
from concierge.conversation.plan_answer import answer_plan_question
from concierge.conversation.state import SessionState, latest_record, summarize
from concierge.crew.itinerary_models import Itinerary
from concierge.crew.outputs import Draft, Plan
from concierge.memory.layer import ConciergeMemory
from concierge.memory.records import MemoryRecord
from concierge.needs import detect_needs
from concierge.needs.asked import needs_asked
from concierge.request import TurnRequest
from concierge.scope import Scope

_PLANNING = frozenset({"dine", "stay", "trip"})


@dataclass(frozen=True, slots=True)
class ConversationStep:
    """The session as this turn found it, and what the message does to it."""

    state: SessionState | None = None
    record: MemoryRecord | None = None  # the state's record (what the crew recalls on the session scope)
    follow_up: FollowUp | None = None
    resolution: Resolution | None = None

    @property
    def prefer(self) -> str | None:
        return self.resolution.prefer if self.resolution else None

    def request(self, parsed: TurnRequest) -> TurnRequest:
        """The request to answer: the merged one for a follow-up, else the message's own."""
        return self.resolution.request if self.resolution and self.resolution.request else parsed

    def request_text(self, message: str) -> str:
        """The wording the crew searches with: a follow-up keeps the one its plan was made from."""
        if self.follow_up is not None and self.state is not None and self.state.request_text:
            return self.state.request_text
        return message

    def need_texts(self, message: str) -> list[str]:
        """The session's need statements (they count in every later turn of the session), and this message's."""
        if self.resolution is not None and self.resolution.action == "plan":
            return list(self.resolution.need_texts)
        earlier = list(self.state.need_texts) if self.state else []
        return [*earlier, message] if detect_needs(message) or needs_asked(message) else earlier

    def prompt_state(self) -> str:
        """The state in compact typed form for the crew's prompt."""
        return self.state.compact() if self.state else "none (first turn of this session)"


@dataclass(frozen=True, slots=True)
class Settled:
    """A turn answered from the session alone: no search ran."""

    answer: str
    state: SessionState | None = None  # the state to write (None: unchanged)
    plan: Plan | None = None
    draft: Draft | None = None


def load_step(memory: ConciergeMemory, scope: Scope) -> ConversationStep:
    """The session's latest state (none for a new session, another user's id, or an expired one)."""
    latest = latest_record(memory, scope)
    record, state = latest if latest else (None, None)
    shown = None
    if record is not None and state is not None:
        shown = dataclasses.replace(record, text=f"This session so far: {state.summary}")
    return ConversationStep(state, shown)


def follow(step: ConversationStep, follow_up: FollowUp | None, message: str) -> ConversationStep:
    """The step with the follow-up the turn's reader found, laid over the session's state (``resolve``)."""
    resolution = resolve(follow_up, step.state, message) if follow_up is not None else None
    return dataclasses.replace(step, follow_up=follow_up, resolution=resolution)


def _next(state: SessionState | None, user: str, **fields: object) -> SessionState:
    base = {"turn": (state.turn if state else 0) + 1, "need_texts": list(state.need_texts) if state else []}
    new = SessionState.model_validate({**base, **fields}) if not state else state.model_copy(update={**base, **fields})
    return new.model_copy(update={"summary": summarize(new, user)})


def settle(step: ConversationStep, user: str) -> Settled | None:
    """The answer to a follow-up that needs no search, or None when the crew should plan."""
    resolution = step.resolution
    if resolution is None or resolution.action == "plan":
        return None
    state = step.state
    if resolution.action == "ask":
        return Settled(resolution.question)
    if resolution.action == "show":  # "what's the plan?": answered from the plan, which stays as it is
        return Settled(answer_plan_question(state, user), plan=state.plan if state else None)
    if resolution.action == "cancel":
        if state is None or state.request is None:
            return Settled("There is nothing to cancel in this session; nothing was booked or sent.")
        new = _next(
            state, user, request=None, plan=None, draft=None, draft_status="cancelled", request_text="", itinerary=None
        )
        return Settled("Cancelled: the plan is cleared and nothing was sent. Tell me what you would like instead.", new)
    assert state is not None and state.draft is not None  # resolve() asks back otherwise
    new = _next(state, user, draft_status="ready")
    answer = f"Done: the draft to {state.draft.to} is marked ready to send ({state.draft.subject}).\n{new.summary}"
    return Settled(answer, new, state.plan, state.draft)


def next_state(
    step: ConversationStep,
    request: TurnRequest,
    message: str,
    plan: Plan | None,
    draft: Draft | None,
    user: str,
    itinerary: Itinerary | None = None,
) -> SessionState | None:
    """The state after a turn that planned (None when the turn planned nothing: the session is unchanged)."""
    if plan is None or request.intent not in _PLANNING:
        return None
    return _next(
        step.state,
        user,
        request=request,
        request_text=step.request_text(message),
        need_texts=step.need_texts(message),
        plan=plan,
        draft=draft,
        draft_status="draft" if draft is not None else "none",
        itinerary=itinerary,
    )


def advance(state: SessionState | None, user: str, **fields: object) -> SessionState:
    """The session's next state: ``fields`` changed, the turn counted and the summary re-written."""
    return _next(state, user, **fields)
