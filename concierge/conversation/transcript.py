"""A chat session's transcript: one session-scoped record per turn (kind ``transcript``) in the memory layer.

Kept like the session's state (``concierge/conversation/state.py``): in the same store, under the session's
run_id, expiring with the session TTL, erased by ``forget``, never a fact (not in list, search or export). So
after a restart, or from another tab, a user can reopen an earlier session and read its turns again.
"""

from __future__ import annotations

import datetime as dt
import logging

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from concierge.conversation.kept_trip import KeptTrip, keep
from concierge.crew.itinerary_models import Itinerary
from concierge.crew.outputs import Draft, Plan
from concierge.memory.layer import MAX_TEXT_CHARS, ConciergeMemory
from concierge.memory.records import TRANSCRIPT, MemoryRecord
from concierge.reply import Reply
from concierge.scope import Scope

logger = logging.getLogger(__name__)

_TRIMMED = " [...]"


class TranscriptTurn(BaseModel):
    """What one turn said and answered, as a reopened session shows it."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    message: str
    answer: str
    intent: str = ""
    plan: Plan | None = None
    draft: Draft | None = None  # the plan's booking request (a trip's: the stay's; its meals' are re-composed)
    trip: KeptTrip | None = None  # a trip's days, compact (venue ids): the service expands them from the catalog
    itinerary: Itinerary | None = Field(default=None, exclude=True)  # ``trip`` expanded (never stored)
    drafts: int = Field(default=0, ge=0)
    used: list[str] = Field(default_factory=list)  # texts of the memories the agents were shown
    stored: list[str] = Field(default_factory=list)  # texts of the memories the turn stored
    seconds: float = 0.0
    at: str = ""  # when the turn ended (ISO 8601, UTC)


class SessionSummary(BaseModel):
    """One earlier session of a user, for a picker."""

    model_config = ConfigDict(frozen=True)

    run_id: str
    turns: int
    first_message: str
    last_at: str


def transcript_turn(message: str, reply: Reply) -> TranscriptTurn:
    """The record of one finished turn."""
    drafts = len(reply.itinerary.drafts()) if reply.itinerary else int(reply.draft is not None)
    return TranscriptTurn(
        message=message,
        answer=reply.answer,
        intent=reply.request.intent,
        plan=reply.plan,
        draft=reply.draft,
        trip=keep(reply.itinerary) if reply.itinerary else None,
        drafts=drafts,
        used=[m.text for m in reply.memories_used],
        stored=[m.text for m in reply.memories_stored],
        seconds=round(reply.timings_ms.get("total", 0.0) / 1000, 2),
        at=dt.datetime.now(dt.UTC).isoformat(),
    )


def _fitting(turn: TranscriptTurn) -> str:
    """The record text within the store's limit: the trip, the plan and the memory lists go first, then the
    answer and the message are cut (marked), so a turn is never dropped for its length."""
    text = turn.model_dump_json(exclude_none=True)
    for drop in ({"trip": None}, {"draft": None}, {"plan": None}, {"used": [], "stored": []}):
        if len(text) <= MAX_TEXT_CHARS:
            return text
        turn = turn.model_copy(update=drop)
        text = turn.model_dump_json(exclude_none=True)
    budget = MAX_TEXT_CHARS // 2 - 2 * len(_TRIMMED)
    for name in ("answer", "message"):
        value = getattr(turn, name)
        if len(text) > MAX_TEXT_CHARS and len(value) > budget:
            turn = turn.model_copy(update={name: value[: budget // 2] + _TRIMMED})
            text = turn.model_dump_json(exclude_none=True)
    return text


def save_turn(memory: ConciergeMemory, scope: Scope, turn: TranscriptTurn) -> MemoryRecord | None:
    """Append one turn to the scope's session transcript (a scope without a session keeps none)."""
    if not scope.run_id:
        return None
    stored = memory.add(scope, _fitting(turn), kind=TRANSCRIPT).stored
    return stored[0] if stored else None


def _turn_of(record: MemoryRecord) -> TranscriptTurn | None:
    try:
        return TranscriptTurn.model_validate_json(record.text)
    except ValidationError:
        logger.warning("a transcript record could not be read; ignoring it")
        return None


def load_transcript(memory: ConciergeMemory, scope: Scope) -> list[TranscriptTurn]:
    """The session's turns, oldest first (none for a new, expired or another user's session)."""
    if not scope.run_id:
        return []
    records = sorted(memory.list(scope, kind=TRANSCRIPT), key=lambda r: r.created_at or "")
    return [turn for record in records if (turn := _turn_of(record)) is not None]


def list_sessions(memory: ConciergeMemory, scope: Scope) -> list[SessionSummary]:
    """The user's sessions that still have a transcript, newest first (``scope``'s own run_id is ignored)."""
    every = memory.list(scope.with_run(None), kind=TRANSCRIPT)
    by_session: dict[str, list[tuple[MemoryRecord, TranscriptTurn]]] = {}
    for record in sorted(every, key=lambda r: r.created_at or ""):
        if record.run_id and (turn := _turn_of(record)) is not None:
            by_session.setdefault(record.run_id, []).append((record, turn))
    summaries = [
        SessionSummary(
            run_id=run_id,
            turns=len(turns),
            first_message=turns[0][1].message,
            last_at=turns[-1][0].created_at or turns[-1][1].at,
        )
        for run_id, turns in by_session.items()
    ]
    return sorted(summaries, key=lambda s: s.last_at, reverse=True)
