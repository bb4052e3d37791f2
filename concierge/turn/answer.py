"""What a turn's handler hands to the store step: the answer and the typed outputs behind it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from concierge.memory.records import ALREADY_REMEMBERED, AddResult, MemoryRecord

if TYPE_CHECKING:
    from pydantic import BaseModel

    from concierge.conversation.state import AskedRetraction
    from concierge.crew.itinerary_models import Itinerary
    from concierge.crew.outputs import Draft, Findings, Plan
    from concierge.memory.forgetting import Forgotten


@dataclass
class TurnAnswer:
    """How one turn was answered, before the message is stored."""

    answer: str
    plan: Plan | None = None
    draft: Draft | None = None
    findings: Findings | None = None
    memories_used: list[MemoryRecord] = field(default_factory=list)
    forgotten: Forgotten | None = None  # a forget request's outcome
    store: str | None = None  # what of the message to store instead of all of it ("" = nothing)
    itinerary: Itinerary | None = None  # a trip's day-by-day plan (concierge/crew/itinerary.py)
    kept: bool = False  # the session's plan is kept as it was (a follow-up found nothing that fits)
    final: bool = False  # the answer is whole as it is: nothing stored is appended (a holder correction)
    outputs: dict[str, BaseModel] = field(default_factory=dict)  # every crew task's typed output, by task name
    asks: AskedRetraction | None = None  # a need the turn asks about ("Do you mean ...?"): "yes" next takes it

    def completed(self, added: AddResult, *, statement: bool, asked: str | None = None) -> str:
        """The answer with what storing the message did: a statement lists what was learnt (and ``asked``, whom
        it means when that is unclear), a forget what it kept."""
        if statement:
            known = [f"- {d.text} (already remembered)" for d in added.dropped if d.reason == ALREADY_REMEMBERED]
            learnt = [f"- {m.text}" for m in added.stored] + known or ["(nothing to remember in that)"]
            noted = ["Noted. Ask me for a dinner, a stay or a trip whenever you like.", *learnt]
            return "\n".join([*noted, *([asked] if asked else [])])
        if self.forgotten is not None and added.stored:
            return "\n".join([self.answer, "Noted:", *(f"- {m.text}" for m in added.stored)])
        return self.answer
