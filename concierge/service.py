"""ConciergeService: the one entry point the UI, CLI and eval call. Thread-safe; one per process."""

from __future__ import annotations

from typing import Any

from concierge.memory.layer import ConciergeMemory
from concierge.memory.records import AddResult, MemoryRecord
from concierge.scope import Scope
from concierge.settings import Settings, load_settings


class ConciergeService:
    """Builds scopes from raw ids (validated), and routes memory and chat calls."""

    def __init__(self, settings: Settings, memory: ConciergeMemory) -> None:
        self.settings = settings
        self.memory = memory

    @classmethod
    def from_settings(cls, settings: Settings | None = None) -> ConciergeService:
        from concierge.memory.providers import build_memory

        settings = settings or load_settings()
        return cls(settings, build_memory(settings))

    def scope(self, user_id: str, *, project_id: str | None = None, run_id: str | None = None) -> Scope:
        return Scope(self.settings.org_id, project_id or self.settings.project_id, user_id, run_id)

    def describe(self) -> dict[str, str]:
        return self.settings.describe()

    # -- memory -------------------------------------------------------------------------------
    def remember(self, scope: Scope, text: str, *, session_only: bool = False, infer: bool | None = None) -> AddResult:
        return self.memory.add(scope, text, session_only=session_only, infer=infer)

    def recall(self, scope: Scope, query: str, *, top_k: int = 5, category: str | None = None) -> list[MemoryRecord]:
        return self.memory.search(scope, query, top_k=top_k, category=category)

    def memories(self, scope: Scope) -> list[MemoryRecord]:
        return self.memory.list(scope)

    def delete_memory(self, scope: Scope, memory_id: str) -> bool:
        return self.memory.delete(scope, memory_id)

    def forget(self, scope: Scope) -> int:
        return self.memory.forget(scope)

    def export(self, scope: Scope) -> dict[str, Any]:
        return self.memory.export(scope)

    def close(self) -> None:
        from concierge.memory.providers import close_memory

        close_memory(self.memory, self.settings)
