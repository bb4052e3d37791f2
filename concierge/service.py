"""ConciergeService: the one entry point the UI, CLI and eval call. Thread-safe; one per process."""

from __future__ import annotations

import re
import threading
import time
import uuid
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from concierge.errors import ConciergeError, ModelError
from concierge.memory.layer import ConciergeMemory, validate_text
from concierge.memory.records import AddResult, MemoryRecord
from concierge.reply import Reply
from concierge.scope import Scope
from concierge.settings import NEED_CATEGORIES, Settings, load_settings

if TYPE_CHECKING:
    from crewai.llms.base_llm import BaseLLM

    from concierge.catalog.search import CatalogSearch

TURN_TOP_K = 6  # memories recalled for the message itself
NEED_TOP_K = 3  # and, always, the closest ones in each category a venue must know about


class ConciergeService:
    """Builds scopes from raw ids (validated), and routes memory and chat calls."""

    def __init__(self, settings: Settings, memory: ConciergeMemory) -> None:
        self.settings = settings
        self.memory = memory
        self._crew_parts: tuple[CatalogSearch, BaseLLM] | None = None
        self._crew_parts_lock = threading.Lock()

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
        """Erase the user in this project from every store the app writes (see ``concierge.erasure``)."""
        from concierge.erasure import erase_user

        return erase_user(self.memory, scope).memories

    def export(self, scope: Scope) -> dict[str, Any]:
        return self.memory.export(scope)

    # -- chat ---------------------------------------------------------------------------------
    def new_session_id(self) -> str:
        return f"s-{uuid.uuid4().hex[:12]}"

    def crew_parts(self) -> tuple[CatalogSearch, BaseLLM]:
        """The catalog index and the crew's model: built once per process, shared by every user's turn."""
        with self._crew_parts_lock:
            if self._crew_parts is None:
                from concierge.erasure import keep_crew_task_outputs_in_memory

                keep_crew_task_outputs_in_memory()  # no plan or draft is written to crewAI's replay file
                from concierge.catalog.loader import load_catalog
                from concierge.catalog.search import CatalogSearch
                from concierge.llm.factory import crew_llm

                catalog = CatalogSearch(load_catalog(self.settings.catalog_dir), self.settings.data_dir / "cache")
                places = tuple(sorted({*catalog.catalog.cities(), *catalog.catalog.cities().values()}))
                self._crew_parts = (catalog, crew_llm(self.settings, places))
            return self._crew_parts

    def turn_context(self, scope: Scope, message: str) -> list[MemoryRecord]:
        """The user's memories for this message, plus their closest needs (an allergy must never rank out)."""
        found = {r.id: r for r in self.recall(scope, message, top_k=TURN_TOP_K)}
        policy_categories = {c.name for c in self.settings.policy.categories}
        for category in (c for c in NEED_CATEGORIES if c in policy_categories):
            for record in self.recall(scope, message, top_k=NEED_TOP_K, category=category):
                found.setdefault(record.id, record)
        return list(found.values())

    def chat(self, scope: Scope, message: str, progress: Callable[[str], None] | None = None) -> Reply:
        """One turn: recall the user's memories -> run the crew -> store what the message says about the user.

        ``progress`` receives short stage messages (for a spinner or a status box); it runs on the
        caller's thread. A scope without a session gets a fresh one (see ``Reply.run_id``).
        """
        from concierge.crew import ConciergeCrew
        from concierge.crew_memory import ScopedCrewMemory

        report = progress or (lambda _stage: None)
        message = validate_text("message", message)
        scope = scope if scope.run_id else scope.with_run(self.new_session_id())
        timings: dict[str, float] = {}
        started = time.perf_counter()
        pinned = self.turn_context(scope, message)
        timings["recall"] = (time.perf_counter() - started) * 1000
        report(f"recalled {len(pinned)} memories")

        mark = time.perf_counter()
        catalog, llm = self.crew_parts()
        crew_memory = ScopedCrewMemory.bind(self.memory, scope, pinned)
        request = re.sub(r"\s+", " ", message)
        try:
            output = (
                ConciergeCrew(llm, catalog, crew_memory, progress=report)
                .crew()
                .kickoff(inputs={"user": scope.user_id, "request": request})
            )
        except ConciergeError:
            raise
        except Exception as exc:
            from concierge.llm.factory import explain_model_failure

            raise (explain_model_failure(self.settings, exc) or ModelError(f"the crew failed: {exc}")) from exc
        timings["crew"] = (time.perf_counter() - mark) * 1000

        mark = time.perf_counter()
        report("storing what the message says about you")
        added = self.memory.add(scope, message)
        timings["store"] = (time.perf_counter() - mark) * 1000
        timings["total"] = (time.perf_counter() - started) * 1000

        outputs = {t.name: t.raw for t in output.tasks_output}
        plan, draft = outputs.get("plan_task", ""), outputs.get("outreach_task", "")
        return Reply(
            user_id=scope.user_id,
            run_id=scope.run_id or "",
            answer="\n\n".join(part for part in (plan, draft) if part) or output.raw,
            plan=plan,
            draft=draft,
            findings=outputs.get("research_task", ""),
            memories_used=crew_memory.used,
            memories_stored=added.stored + crew_memory.notes,
            dropped=added.dropped,
            timings_ms=timings,
        )

    def close(self) -> None:
        from concierge.memory.providers import close_memory

        close_memory(self.memory, self.settings)
