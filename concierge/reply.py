"""What one chat turn returns: the answer, and an honest account of the memory it used and stored."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from concierge.memory.records import MemoryRecord


@dataclass(frozen=True, slots=True)
class Reply:
    user_id: str
    run_id: str
    answer: str  # the plan followed by the outreach draft: what the user reads
    plan: str
    draft: str
    findings: str  # the research agent's catalog results
    memories_used: list[MemoryRecord] = field(default_factory=list)  # what the agents were shown
    memories_stored: list[MemoryRecord] = field(default_factory=list)  # new facts from this message
    dropped: list[tuple[str, str]] = field(default_factory=list)  # facts the policy refused, with the reason
    timings_ms: dict[str, float] = field(default_factory=dict)  # recall, crew, store, total

    def to_dict(self) -> dict[str, Any]:
        return {
            "user_id": self.user_id,
            "run_id": self.run_id,
            "answer": self.answer,
            "plan": self.plan,
            "draft": self.draft,
            "findings": self.findings,
            "memories_used": [m.to_dict() for m in self.memories_used],
            "memories_stored": [m.to_dict() for m in self.memories_stored],
            "dropped": [{"text": text, "reason": reason} for text, reason in self.dropped],
            "timings_ms": {k: round(v, 1) for k, v in self.timings_ms.items()},
        }
