"""What one chat turn returns: the typed request, plan and draft, and an honest account of the memory used."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from concierge.memory.records import Dropped, MemoryRecord

if TYPE_CHECKING:
    from pydantic import BaseModel

    from concierge.conversation.followup import FollowUp
    from concierge.conversation.state import SessionState
    from concierge.crew.itinerary_models import Itinerary
    from concierge.crew.outputs import Draft, Findings, Plan
    from concierge.memory.forgetting import Forgotten
    from concierge.request import TurnRequest


@dataclass(frozen=True, slots=True)
class Reply:
    user_id: str
    run_id: str
    request: TurnRequest  # what we understood: intent, place, date, time, meal, party, nights, budget
    answer: str  # what the user reads (the plan, or the answer to a question), rendered from typed fields
    plan: Plan | None = None  # chosen venue, backups, date/time, party size, needs stated, reasons
    draft: Draft | None = None  # the message to the venue, when there is one to send
    findings: Findings | None = None  # what the research tools returned
    memories_used: list[MemoryRecord] = field(default_factory=list)  # what the agents were shown
    memories_stored: list[MemoryRecord] = field(default_factory=list)  # new facts from this message
    dropped: list[Dropped] = field(default_factory=list)  # facts not stored (policy, already remembered), and why
    timings_ms: dict[str, float] = field(default_factory=dict)  # understand, answer, store, total
    forgotten: Forgotten | None = None  # a forget request: status, memories deleted (ids, texts) or asked about
    itinerary: Itinerary | None = None  # a trip's day-by-day plan: the stay, each day's meals, drafts, notes
    follow_up: FollowUp | None = None  # what a follow-up asked of the session's plan ("make it 8pm": time)
    session: SessionState | None = None  # the session's state after this turn (the plan card), if it has one
    outputs: dict[str, BaseModel] = field(default_factory=dict)  # every crew task's typed output, by task name
    # the question this turn asked instead of changing a need: "which_person" (whose need a retraction means) or
    # "confirm_retraction" (whether a need said to end in words that are not plain no longer applies); None if none
    asked: str | None = None

    @property
    def draft_text(self) -> str:
        return self.draft.text() if self.draft else ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "user_id": self.user_id,
            "run_id": self.run_id,
            "request": self.request.model_dump(mode="json", exclude_none=True),
            "answer": self.answer,
            "plan": self.plan.model_dump(mode="json", exclude_none=True) if self.plan else None,
            "draft": self.draft.model_dump(mode="json") if self.draft else None,
            "findings": self.findings.model_dump(mode="json", exclude_none=True) if self.findings else None,
            "memories_used": [m.to_dict() for m in self.memories_used],
            "memories_stored": [m.to_dict() for m in self.memories_stored],
            "dropped": [d._asdict() for d in self.dropped],
            "timings_ms": {k: round(v, 1) for k, v in self.timings_ms.items()},
            "forgotten": self.forgotten.to_dict() if self.forgotten else None,
            "itinerary": self.itinerary.model_dump(mode="json", exclude_none=True) if self.itinerary else None,
            "follow_up": self.follow_up.model_dump(mode="json", exclude_defaults=True) if self.follow_up else None,
            "session": self.session.model_dump(mode="json", exclude_none=True) if self.session else None,
            "asked": self.asked,
            "outputs": {name: out.model_dump(mode="json", exclude_none=True) for name, out in self.outputs.items()},
        }
