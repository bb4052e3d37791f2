"""ConciergeService: the one entry point the UI, CLI and eval call. Thread-safe; one per process."""

from __future__ import annotations

import datetime as dt
import threading
import uuid
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from concierge.data_faults import prepare_data_dir
from concierge.errors import ModelError
from concierge.memory.layer import ConciergeMemory, check_memory_id, check_search, validate_text
from concierge.memory.records import AddResult, MemoryRecord, Retraction
from concierge.reply import Reply
from concierge.scope import Scope
from concierge.settings import Settings, load_settings

if TYPE_CHECKING:
    from crewai.llms.base_llm import BaseLLM

    from concierge.catalog.loader import Catalog
    from concierge.catalog.search import CatalogSearch
    from concierge.conversation.reader import TurnReader
    from concierge.conversation.state import SessionState
    from concierge.conversation.transcript import SessionSummary, TranscriptTurn
    from concierge.needs import DetectedNeed
    from concierge.request import CatalogPlaces


class ConciergeService:
    """Builds scopes from raw ids (validated), and routes memory and chat calls."""

    def __init__(self, settings: Settings, memory: ConciergeMemory | None = None) -> None:
        self.settings = settings
        self._memory = memory
        self._memory_lock = threading.Lock()
        self._crew_parts: tuple[CatalogSearch, BaseLLM] | None = None
        self._crew_parts_lock = threading.RLock()
        self._places: CatalogPlaces | None = None
        self._catalog: Catalog | None = None
        self._reader: TurnReader | None = None

    @classmethod
    def from_settings(cls, settings: Settings | None = None) -> ConciergeService:
        """A service whose store is built on first use: a refused argument costs no store, model or import."""
        return cls(settings or load_settings())

    @property
    def memory(self) -> ConciergeMemory:
        """The memory layer the settings ask for, built (and its store opened) once, on first use."""
        with self._memory_lock:
            if self._memory is None:
                prepare_data_dir(self.settings.data_dir)  # one line if unusable, before mem0 writes to it
                from concierge.llm.factory import extractor
                from concierge.memory.providers import build_memory

                self._memory = build_memory(self.settings, extractor)
            return self._memory

    def scope(self, user_id: str, *, project_id: str | None = None, run_id: str | None = None) -> Scope:
        """Only ``None`` means the default project: an empty id is refused, never read as production."""
        project = self.settings.project_id if project_id is None else project_id
        return Scope(self.settings.org_id, project, user_id, run_id)

    def describe(self) -> dict[str, str]:
        return self.settings.describe()

    # -- memory -------------------------------------------------------------------------------
    def remember(self, scope: Scope, text: str, *, session_only: bool = False, infer: bool | None = None) -> AddResult:
        validate_text("message", text)  # checked before the store and the model are loaded
        return self._add(scope, text, session_only=session_only, infer=infer)

    def _add(self, scope: Scope, text: str, **options: Any) -> AddResult:
        """``memory.add``, with a failing model endpoint named (variable, redacted URL, fix) like the crew's."""
        try:
            return self.memory.add(scope, text, **options)
        except ModelError as exc:
            from concierge.llm.factory import explain_model_failure

            explained = explain_model_failure(self.settings, exc)
            if explained is None:
                raise
            raise explained from exc

    def recall(self, scope: Scope, query: str, *, top_k: int = 5, category: str | None = None) -> list[MemoryRecord]:
        check_search(self.settings.policy, query, top_k, category)  # before the store and the model are loaded
        return self.memory.search(scope, query, top_k=top_k, category=category)

    def memories(self, scope: Scope, *, latest_only: bool = True) -> list[MemoryRecord]:
        return self.memory.list(scope, latest_only=latest_only)

    def history(self, scope: Scope, memory_id: str) -> list[MemoryRecord]:
        """The versions linked to one memory, oldest first (see ``ConciergeMemory.history``)."""
        check_memory_id(memory_id)  # before the store is opened
        return self.memory.history(scope, memory_id)

    def delete_memory(self, scope: Scope, memory_id: str) -> bool:
        """Delete one memory; what it had replaced is current again (see ``retract_memory``)."""
        return self.retract_memory(scope, memory_id).deleted is not None

    def retract_memory(self, scope: Scope, memory_id: str) -> Retraction:
        """``ConciergeMemory.retract``: never leaves the versions a deleted memory replaced hidden for good."""
        check_memory_id(memory_id)  # before the store is opened
        return self.memory.retract(scope, memory_id)

    def forget(self, scope: Scope) -> int:
        """Erase the user in this project from every store the app writes (``concierge.erasure``). Returns how
        many memories the user could see (``forgettable``: long-term and every session's), not the earlier
        versions and session records erased with them: "forgot 2" after a list of 2."""
        from concierge.erasure import erase_user

        visible = len(self.forgettable(scope))
        erase_user(self.memory, scope)
        return visible

    def forgettable(self, scope: Scope) -> list[MemoryRecord]:
        """What ``forget`` erases that the user can see: long-term and every session's, whatever the scope's."""
        return self.memory.every_session(scope.with_run(None))

    def export(self, scope: Scope, *, latest_only: bool = True) -> dict[str, Any]:
        return self.memory.export(scope, latest_only=latest_only)

    # -- chat ---------------------------------------------------------------------------------
    def session_state(self, scope: Scope) -> SessionState | None:
        """The chat session's current plan, draft status and summary (None: a new, expired or foreign session)."""
        from concierge.conversation.state import load_state

        return self.with_itinerary(load_state(self.memory, scope))

    def with_itinerary(self, state: SessionState | None) -> SessionState | None:
        """The state with its trip's itinerary rebuilt from its compact stored form (venues from the catalog)."""
        if state is None or state.trip is None or state.itinerary is not None:
            return state
        from concierge.conversation.kept_trip import expand

        return state.model_copy(update={"itinerary": expand(state.trip, self.catalog(), state.plan, state.draft)})

    def new_session_id(self) -> str:
        return f"s-{uuid.uuid4().hex[:12]}"

    def crew_parts(self) -> tuple[CatalogSearch, BaseLLM]:
        """The catalog index and the crew's model: built once per process, shared by every user's turn."""
        with self._crew_parts_lock:
            if self._crew_parts is None:
                from concierge.erasure import keep_crew_task_outputs_in_memory

                keep_crew_task_outputs_in_memory()  # no plan or draft is written to crewAI's replay file
                from concierge.catalog.search import CatalogSearch
                from concierge.llm.factory import crew_llm

                catalog = CatalogSearch(self.catalog(), self.settings.data_dir / "cache")
                self._crew_parts = (catalog, crew_llm(self.settings))
            return self._crew_parts

    def catalog(self) -> Catalog:
        """The validated catalog (no embeddings: questions and declines need only its places)."""
        from concierge.catalog.loader import load_catalog

        with self._crew_parts_lock:
            if self._catalog is None:
                self._catalog = load_catalog(self.settings.catalog_dir)
            return self._catalog

    def places(self) -> CatalogPlaces:
        """The catalog's gazetteer (cities, countries) for reading requests."""
        from concierge.request import CatalogPlaces, warm_up

        with self._crew_parts_lock:
            if self._places is None:
                places = CatalogPlaces(self.catalog())
                warm_up(places)  # the gazetteer and dateparser load once per process, not on a user's turn
                self._places = places
            return self._places

    def user_needs(self, scope: Scope, message: str | None = None, said: Sequence[str] = ()) -> list[DetectedNeed]:
        """The user's active needs: every live memory of theirs (oldest first, whatever its category), then
        what this session ``said`` and ``message``; a later statement about the same need and person overrides
        an earlier one."""
        from concierge.needs import active_needs
        from concierge.needs.asked import with_needs_asked

        records = sorted(self.memory.list(scope), key=lambda r: r.created_at or "")
        this_session = [*said, *([message] if message else [])]
        return with_needs_asked(active_needs([*(r.text for r in records), *this_session]), this_session)

    def reader(self) -> TurnReader:
        """What reads a turn (the offline rules, or the configured model): built once, shared by every turn."""
        with self._crew_parts_lock:
            if self._reader is None:
                from concierge.llm.factory import turn_reader

                self._reader = turn_reader(self.settings)
            return self._reader

    def chat(self, scope: Scope, message: str, progress: Callable[[str], None] | None = None) -> Reply:
        """One turn: read the request -> answer it (the crew for bookings) -> store what the message says.

        The turn is a crewAI Flow (``concierge/turn/flow.py``: one handler per kind of turn). ``progress``
        receives short stage messages (for a spinner or a status box); it runs on the caller's thread. A scope
        without a session gets a fresh one (see ``Reply.run_id``).
        """
        message = validate_text("message", message)
        from concierge.turn.flow import TurnRun, run_turn

        resumed = scope.run_id is not None  # a fresh session has no state to read
        scope = scope if scope.run_id else scope.with_run(self.new_session_id())
        run = TurnRun(self, scope, resumed, dt.datetime.now(), progress or (lambda _stage: None))
        return run_turn(run, message)

    def close(self) -> None:
        with self._memory_lock:
            memory, self._memory = self._memory, None
        if memory is not None:  # nothing was opened by a command that failed validation
            from concierge.memory.providers import close_memory

            close_memory(memory, self.settings)

    # -- transcripts and the guided demo (issue 22) -------------------------------------------------------
    def save_transcript(self, scope: Scope, message: str, reply: Reply) -> None:
        """Keep one finished turn in its session's transcript (same store, lifetime and erasure as session memory)."""
        from concierge.conversation.transcript import save_turn, transcript_turn

        save_turn(self.memory, scope.with_run(reply.run_id or scope.run_id), transcript_turn(message, reply))

    def transcript(self, scope: Scope) -> list[TranscriptTurn]:
        """The turns of the scope's session, oldest first, each trip's days rebuilt from the catalog."""
        from concierge.conversation.kept_trip import expand
        from concierge.conversation.transcript import load_transcript

        return [
            turn.model_copy(update={"itinerary": expand(turn.trip, self.catalog(), turn.plan, turn.draft)})
            if turn.trip is not None
            else turn
            for turn in load_transcript(self.memory, scope)
        ]

    def sessions(self, scope: Scope) -> list[SessionSummary]:
        """The user's sessions that still have a transcript, newest first (to reopen one)."""
        from concierge.conversation.transcript import list_sessions

        return list_sessions(self.memory, scope)

    def reset_demo_users(self, project_id: str | None = None) -> dict[str, int]:
        """Forget every user the demo scripts name (``data/demo``) in the project: memories, sessions,
        transcripts. Returns the memories forgotten per user."""
        from concierge.demo import demo_users

        return {user: self.forget(self.scope(user, project_id=project_id)) for user in demo_users()}
