"""Isolation audit: does any user's scope ever hand back another user's memory? Checked, not assumed.

For every ordered pair (viewer, owner) it compares the stored ids, then probes the viewer's scope
with each of the owner's facts as a search query: a result that is the owner's memory, or that
belongs to anyone but the viewer, is a leak.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from concierge import ConciergeService, MemoryRecord, Scope

PROBE_TOP_K = 3


@dataclass(frozen=True, slots=True)
class IsolationAudit:
    users: tuple[str, ...]
    leaks: dict[tuple[str, str], tuple[str, ...]]  # (viewer, owner) -> owner's memory texts the viewer got
    memories: dict[str, int]  # user -> how many memories were audited
    probes: int
    elapsed_ms: float

    @property
    def clean(self) -> bool:
        return not any(self.leaks.values())


def _leaks(service: ConciergeService, viewer: Scope, own: list[MemoryRecord], theirs: list[MemoryRecord]) -> list[str]:
    own_ids, own_texts = {m.id for m in own}, {m.text for m in own}
    leaked = [m.text for m in theirs if m.id in own_ids]
    for memory in theirs:
        if memory.text in own_texts:
            continue  # both users said the same thing; finding it in the viewer's scope is not a leak
        for hit in service.recall(viewer, memory.text, top_k=PROBE_TOP_K):
            if hit.user_id != viewer.user_id or hit.id == memory.id or hit.text == memory.text:
                leaked.append(memory.text)
                break
    return sorted(set(leaked))


def audit_isolation(service: ConciergeService, scopes: list[Scope]) -> IsolationAudit:
    started = time.perf_counter()
    stored = {s.user_id: service.memories(s) for s in scopes}
    leaks: dict[tuple[str, str], tuple[str, ...]] = {}
    probes = 0
    for viewer in scopes:
        for owner in scopes:
            if owner.user_id == viewer.user_id:
                continue
            theirs = stored[owner.user_id]
            probes += len(theirs)
            leaks[(viewer.user_id, owner.user_id)] = tuple(_leaks(service, viewer, stored[viewer.user_id], theirs))
    return IsolationAudit(
        users=tuple(s.user_id for s in scopes),
        leaks=leaks,
        memories={user: len(records) for user, records in stored.items()},
        probes=probes,
        elapsed_ms=(time.perf_counter() - started) * 1000,
    )
