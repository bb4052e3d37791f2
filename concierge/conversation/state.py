"""A chat session's own state, kept as session-scoped records in the memory layer (kind ``session_state``).

One record per turn that planned, picked, confirmed or cancelled: the typed request, the plan it
produced, the draft and its status, and a one-line summary. Records live under the session's run_id,
expire with the session TTL like other session memories, and are never facts about the user (the
memory layer keeps them out of list/search/export). Because they are in the store, not in a process,
a session survives a restart and is the same from another process or UI tab with the same user and
session id; another user's session id reads nothing.
"""

from __future__ import annotations

import json
import logging
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from concierge.conversation.kept_trip import KeptTrip, keep
from concierge.crew.itinerary_models import Itinerary
from concierge.crew.outputs import Draft, Option, Plan, party_words
from concierge.memory.layer import MAX_TEXT_CHARS, ConciergeMemory
from concierge.memory.records import SESSION_STATE, MemoryRecord
from concierge.request import TurnRequest
from concierge.scope import Scope

logger = logging.getLogger(__name__)

DraftStatus = Literal["none", "draft", "ready", "cancelled"]
DRAFT_STATUS_WORDS: dict[DraftStatus, str] = {
    "none": "no draft yet",
    "draft": 'draft waiting for your OK (say "send it")',
    "ready": "draft ready to send",
    "cancelled": "cancelled",
}


class AskedRetraction(BaseModel):
    """A need named in words that took it back, but not plainly: its id and holder as the detector gives them."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    need_id: str
    holder: str  # "user", "son", "Tom"
    label: str  # "peanut allergy", as the question named it
    memory_ids: list[str] = Field(default_factory=list)  # the memories that stated it when asked: only they go


class Retracted(AskedRetraction):
    """A need the last turn took back plainly, with the memories that took it back (``memory_ids``): a jest or
    "I still am" in the very next turn retracts them, so the need holds again (``concierge/conversation/jest.py``)."""

    asked: bool = False  # we asked "Do you mean ... still applies?": a plain "yes" next brings it back


class ForgotMemory(BaseModel):
    """One memory the last turn's forget request deleted, as much as adding it back needs: its text, and whether it
    was a session copy (kept only in the session) or a long-term fact."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    text: str
    session_only: bool = False


class SessionState(BaseModel):
    """What a follow-up is resolved against: the session's current request, plan and draft."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    turn: int = Field(ge=1, description="how many state records the session has written, this one included")
    request: TurnRequest | None = None  # the request the plan answers (follow-ups merged in); None after cancel
    request_text: str = ""  # the message that started the plan: the crew's search wording stays stable
    need_texts: list[str] = Field(default_factory=list)  # this session's messages that stated a need
    # The need the last turn asked about ("Do you mean that peanut allergy no longer applies to you?"): "yes" next
    # takes it back (concierge/conversation/confirm.py); any other turn forgets the question.
    asked_retraction: AskedRetraction | None = None
    retracted: Retracted | None = None  # the need the last turn took back plainly; any later turn forgets it
    # What the last turn's forget request deleted: an undo in the very next turn adds it back
    # (concierge/conversation/unforget.py); any later turn forgets it.
    forgot: list[ForgotMemory] | None = None
    plan: Plan | None = None
    draft: Draft | None = None
    draft_status: DraftStatus = "none"
    # A trip's day-by-day plan (day follow-ups edit one day of it). Stored compactly as ``trip`` (venue ids, no
    # drafts); the service rebuilds ``itinerary`` from it and the catalog when it reads the session.
    itinerary: Itinerary | None = Field(default=None, exclude=True)
    trip: KeptTrip | None = None
    summary: str = ""  # one line, for people and prompts

    @property
    def options(self) -> list[Option]:
        """The options the user saw, in the order shown: first choice, then backups ("the second one")."""
        if self.plan is None or self.plan.chosen is None:
            return []
        return [self.plan.chosen, *self.plan.backups]

    @property
    def has_plan(self) -> bool:
        return self.request is not None and self.plan is not None and self.plan.chosen is not None

    def compact(self) -> str:
        """The state in the compact typed form a real model's prompt carries (ids, not prose)."""
        plan = self.plan
        data: dict[str, object] = {"turn": self.turn, "draft_status": self.draft_status}
        if self.request is not None:
            data["request"] = self.request.model_dump(mode="json", exclude_none=True, exclude={"problems"})
        if plan is not None and plan.chosen is not None:
            data["options_shown"] = [{"n": i, "id": o.id, "name": o.name} for i, o in enumerate(self.options, 1)]
            data["chosen"] = plan.chosen.id
            data |= {k: v for k, v in plan.model_dump(mode="json", include={"date", "time", "party_size"}).items() if v}
            data["needs"] = [n.phrase("user") for n in plan.needs]
        if self.itinerary is not None:  # a day-by-day trip: "make day 2 dinner Japanese" edits one of its days
            data["trip_days"] = [
                {"day": d.day, "date": d.date.isoformat(), "meals": {s.meal: s.venue.name for s in d.meals if s.venue}}
                for d in self.itinerary.days
            ]
        return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def summarize(state: SessionState, user: str) -> str:
    """One line: what the session has planned so far."""
    plan, request = state.plan, state.request
    if request is None:
        return "No plan in this session (cancelled)." if state.draft_status == "cancelled" else "No plan yet."
    if plan is None or plan.chosen is None:
        return f"{request.intent} request, nothing planned yet ({plan.status if plan else 'no plan'})."
    venue = plan.chosen
    when = f"{plan.date:%a %d %b}" if plan.date else "date to confirm"
    when += f" {plan.time:%H:%M}" if plan.time else ""
    who = party_words(plan.party_size) if plan.party_size else ""
    needs = ", ".join(n.phrase(user) for n in plan.needs)
    parts = [f"{plan.meal or request.intent} at {venue.name} ({venue.city})", when, who]
    parts += [f"needs: {needs}" if needs else "", DRAFT_STATUS_WORDS[state.draft_status]]
    return "; ".join(p for p in parts if p)


def _payload(state: SessionState) -> str:
    """The state as JSON without empty fields, except in the request: its nullable fields are required (a real
    model's tool schema), so a place without a city must keep ``"city": null`` to be read back."""
    data = state.model_dump(mode="json", exclude_none=True)
    if state.request is not None:
        data["request"] = state.request.model_dump(mode="json")
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def record_text(state: SessionState) -> str:
    """The record's text: the summary line, then the state as JSON (large lists trimmed to fit the limit; an
    itinerary too long to keep is dropped, and a later day edit then plans the trip again)."""
    state = state.model_copy(update={"trip": keep(state.itinerary) if state.itinerary is not None else None})
    text = f"{state.summary}\n{_payload(state)}"
    if len(text) > MAX_TEXT_CHARS and state.trip is not None:
        days = len(state.trip.days)
        logger.warning("a %d-day itinerary is too long to keep in the session; a day edit plans it again", days)
        state = state.model_copy(update={"trip": None})
        text = f"{state.summary}\n{_payload(state)}"
    if len(text) > MAX_TEXT_CHARS and state.plan is not None:
        lean = state.plan.model_copy(update={"suggestions": state.plan.suggestions[:3], "notes": [], "reasons": []})
        text = f"{state.summary}\n{_payload(state.model_copy(update={'plan': lean}))}"
    return text


def save_state(memory: ConciergeMemory, scope: Scope, state: SessionState) -> MemoryRecord | None:
    """Write one state record for the scope's session (a scope without a session keeps no state)."""
    if not scope.run_id:
        return None
    stored = memory.add(scope, record_text(state), kind=SESSION_STATE).stored
    return stored[0] if stored else None


def state_of(record: MemoryRecord) -> SessionState | None:
    """The state a record holds; an unreadable one (a foreign or damaged row) is skipped, not trusted."""
    _, _, payload = record.text.partition("\n")
    try:
        return SessionState.model_validate_json(payload)
    except ValidationError:
        logger.warning("a session state record could not be read; ignoring it")
        return None


def latest_record(memory: ConciergeMemory, scope: Scope) -> tuple[MemoryRecord, SessionState] | None:
    """The session's newest live state (by turn, then time written), or None for a new or expired session."""
    if not scope.run_id:
        return None
    found = [(r, s) for r in memory.list(scope, kind=SESSION_STATE) if (s := state_of(r)) is not None]
    if not found:
        return None
    return max(found, key=lambda pair: (pair[1].turn, pair[0].created_at or ""))


def load_state(memory: ConciergeMemory, scope: Scope) -> SessionState | None:
    """The session's current state (see ``latest_record``)."""
    latest = latest_record(memory, scope)
    return latest[1] if latest else None
