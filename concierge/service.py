"""ConciergeService: the one entry point the UI, CLI and eval call. Thread-safe; one per process."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import threading
import time
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from concierge.errors import ConciergeError, ModelError
from concierge.memory.layer import ConciergeMemory, check_memory_id, check_search, validate_text
from concierge.memory.records import ALREADY_REMEMBERED, AddResult, MemoryRecord, Retraction
from concierge.reply import Reply
from concierge.scope import Scope
from concierge.settings import Settings, load_settings

if TYPE_CHECKING:
    from crewai.llms.base_llm import BaseLLM
    from pydantic import BaseModel

    from concierge.catalog.loader import Catalog
    from concierge.catalog.search import CatalogSearch
    from concierge.conversation.session import ConversationStep
    from concierge.conversation.state import SessionState
    from concierge.crew.itinerary_models import Itinerary
    from concierge.crew.outputs import Draft, Findings, Plan
    from concierge.crew.turn import TurnContext
    from concierge.memory.forgetting import Forgotten
    from concierge.needs import DetectedNeed
    from concierge.request import CatalogPlaces, TurnRequest

TURN_TOP_K = 6  # memories recalled for the message itself
NEED_TOP_K = 3  # and, always, the closest ones in each category a venue must know about


@dataclass
class TurnAnswer:
    """How one turn was answered, before the message is stored."""

    answer: str
    plan: Plan | None = None
    draft: Draft | None = None
    findings: Findings | None = None
    memories_used: list[MemoryRecord] = field(default_factory=list)
    notes: list[MemoryRecord] = field(default_factory=list)  # session notes the agents saved
    forgotten: Forgotten | None = None  # a forget request's outcome
    store: str | None = None  # what of the message to store instead of all of it ("" = nothing)
    itinerary: Itinerary | None = None  # a trip's day-by-day plan (concierge/crew/itinerary.py)
    kept: bool = False  # the session's plan is kept as it was (a follow-up found nothing that fits)
    outputs: dict[str, BaseModel] = field(default_factory=dict)  # every crew task's typed output, by task name


def _kept_when_cuisine_missing(step: ConversationStep, turn: TurnAnswer, user: str) -> TurnAnswer:
    """A cuisine follow-up ("something Japanese") that found no venue of that cuisine meeting every need keeps
    the session's plan, and says so plainly: never another cuisine in its place."""
    from concierge.crew.render import render_plan

    state, asked = step.state, step.follow_up
    if state is None or not state.has_plan or asked is None or asked.cuisine is None or turn.plan is None:
        return turn
    if turn.plan.chosen is not None:
        return turn
    why = turn.plan.problems[0] if turn.plan.problems else f"No {asked.cuisine.title()} restaurant fits."
    answer = f"{why}\nI kept your current plan:\n{render_plan(state.plan, user)}"  # type: ignore[arg-type]
    return TurnAnswer(answer=answer, plan=state.plan, draft=state.draft, kept=True)


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

    @classmethod
    def from_settings(cls, settings: Settings | None = None) -> ConciergeService:
        """A service whose store is built on first use: a refused argument costs no store, model or import."""
        return cls(settings or load_settings())

    @property
    def memory(self) -> ConciergeMemory:
        """The memory layer the settings ask for, built (and its store opened) once, on first use."""
        with self._memory_lock:
            if self._memory is None:
                from concierge.memory.providers import build_memory

                self._memory = build_memory(self.settings)
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
        """Erase the user in this project from every store the app writes (see ``concierge.erasure``)."""
        from concierge.erasure import erase_user

        return erase_user(self.memory, scope).memories

    def export(self, scope: Scope, *, latest_only: bool = True) -> dict[str, Any]:
        return self.memory.export(scope, latest_only=latest_only)

    # -- chat ---------------------------------------------------------------------------------
    def session_state(self, scope: Scope) -> SessionState | None:
        """The chat session's current plan, draft status and summary (None: a new, expired or foreign session)."""
        from concierge.conversation.state import load_state

        return self._with_itinerary(load_state(self.memory, scope))

    def _with_itinerary(self, state: SessionState | None) -> SessionState | None:
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

    def turn_context(self, scope: Scope, message: str) -> list[MemoryRecord]:
        """The user's memories for this message, plus their closest needs (an allergy must never rank out)."""
        found = {r.id: r for r in self.recall(scope, message, top_k=TURN_TOP_K)}
        for category in self.settings.policy.always_recall_categories():
            for record in self.recall(scope, message, top_k=NEED_TOP_K, category=category):
                found.setdefault(record.id, record)
        return list(found.values())

    def user_needs(self, scope: Scope, message: str | None = None, said: Sequence[str] = ()) -> list[DetectedNeed]:
        """The user's active needs: every live memory of theirs (oldest first, whatever its category), then
        what this session ``said`` and ``message``; a later statement about the same need and person overrides
        an earlier one."""
        from concierge.needs import active_needs

        records = sorted(self.memory.list(scope), key=lambda r: r.created_at or "")
        return active_needs([*(r.text for r in records), *said, *([message] if message else [])])

    def read_request(self, scope: Scope, message: str, now: dt.datetime) -> TurnRequest:
        """The typed request; a dining or stay request naming no place takes a catalog place the user told us."""
        from concierge.request import parse_request

        places = self.places()
        request = parse_request(message, now=now, places=places)
        if request.place is None and request.intent in ("dine", "stay"):
            newest_first = sorted(self.memory.list(scope), key=lambda r: r.created_at or "", reverse=True)
            remembered = next((p for r in newest_first if (p := places.find_in(r.text)) and p.in_catalog), None)
            if remembered is not None:
                request = request.model_copy(update={"place": remembered})
        return request

    def chat(self, scope: Scope, message: str, progress: Callable[[str], None] | None = None) -> Reply:
        """One turn: read the request -> answer it (the crew for bookings) -> store what the message says.

        ``progress`` receives short stage messages (for a spinner or a status box); it runs on the
        caller's thread. A scope without a session gets a fresh one (see ``Reply.run_id``).
        """
        from concierge.conversation.session import ConversationStep, next_state, open_step, settle
        from concierge.conversation.state import save_state

        report = progress or (lambda _stage: None)
        message = validate_text("message", message)
        resumed = scope.run_id is not None  # a fresh session has no state to read
        scope = scope if scope.run_id else scope.with_run(self.new_session_id())
        timings: dict[str, float] = {}
        started = time.perf_counter()
        now = dt.datetime.now()
        request = self.read_request(scope, message, now)
        step = open_step(self.memory, scope, message, request, now, self.places()) if resumed else ConversationStep()
        step = dataclasses.replace(step, state=self._with_itinerary(step.state))
        timings["understand"] = (time.perf_counter() - started) * 1000

        mark = time.perf_counter()
        trip = self._trip_follow_up(scope, message, now, step) if step.state and step.state.itinerary else None
        settled = settle(step, scope.user_id) if trip is None else None
        if trip is not None:
            turn, state, step = trip
        elif settled is not None:
            turn, state = TurnAnswer(answer=settled.answer, plan=settled.plan, draft=settled.draft), settled.state
        else:
            request = step.request(request)
            turn = self._answer_without_crew(scope, request, message)
            if turn is None:
                turn = self._run_crew(scope, message, request, now, report, step)
            turn = _kept_when_cuisine_missing(step, turn, scope.user_id)
            state = None if turn.kept else next_state(step, request, message, turn.plan, turn.draft, scope.user_id)
            state = state and state.model_copy(update={"itinerary": turn.itinerary})
        if state is not None:
            save_state(self.memory, scope, state)
        timings["answer"] = (time.perf_counter() - mark) * 1000

        mark = time.perf_counter()
        report("storing what the message says about you")
        text = message if turn.store is None else turn.store  # a forget request is never stored as a fact
        added = self._add(scope, text) if text.strip() else AddResult()
        timings["store"] = (time.perf_counter() - mark) * 1000
        timings["total"] = (time.perf_counter() - started) * 1000
        answer = turn.answer
        if request.intent == "statement" and step.follow_up is None:
            known = [f"- {d.text} (already remembered)" for d in added.dropped if d.reason == ALREADY_REMEMBERED]
            learnt = [f"- {m.text}" for m in added.stored] + known or ["(nothing to remember in that)"]
            answer = "\n".join(["Noted. Ask me for a dinner, a stay or a trip whenever you like.", *learnt])
        elif turn.forgotten is not None and added.stored:
            answer = "\n".join([answer, "Noted:", *(f"- {m.text}" for m in added.stored)])
        return Reply(
            user_id=scope.user_id,
            run_id=scope.run_id or "",
            request=request,
            answer=answer,
            plan=turn.plan,
            draft=turn.draft,
            findings=turn.findings,
            memories_used=turn.memories_used,
            memories_stored=added.stored + turn.notes,
            dropped=added.dropped,
            timings_ms=timings,
            forgotten=turn.forgotten,
            itinerary=turn.itinerary,
            follow_up=step.follow_up,
            session=state or step.state,
            outputs=turn.outputs,
        )

    def _answer_without_crew(self, scope: Scope, request: TurnRequest, message: str) -> TurnAnswer | None:
        """Questions about memory, small talk, statements, bad input and places we do not cover: no booking."""
        from concierge.crew.render import render_memories

        if request.intent == "memory_question":
            records = self.memories(scope)
            order = [c.name for c in self.settings.policy.categories]
            return TurnAnswer(answer=render_memories(records, order), memories_used=records)
        if request.intent == "forget":
            from concierge.memory.forgetting import forget_by_chat
            from concierge.request.forget import ForgetRequest, read_forget_request

            # A real model may choose the intent for a message the rules do not read: then all of it is the target.
            asked = read_forget_request(message) or ForgetRequest("target", message, "")
            outcome = forget_by_chat(self.memory, scope, asked)
            return TurnAnswer(answer=outcome.answer(), forgotten=outcome, store=asked.remainder)
        if request.intent == "statement":
            return TurnAnswer(answer="Noted.")  # completed with what was stored, once it is (see ``chat``)
        if request.intent == "chit_chat":
            return TurnAnswer(answer="Hello! Ask me for a dinner, a stay or a trip.")
        if request.problems:
            return TurnAnswer(
                answer="\n".join([*request.problems, "Nothing was booked; tell me again and I will plan it."])
            )
        from concierge.crew.itinerary import trip_length_problem

        if too_long := trip_length_problem(request):
            return TurnAnswer(answer=too_long)
        covered = ", ".join(sorted(self.catalog().cities()))
        if request.place is not None and not request.place.in_catalog:
            where = request.place.said + (f" ({request.place.country})" if request.place.country else "")
            nearest = ", ".join(self.places().nearest_covered(request.place))
            return TurnAnswer(
                answer=f"{where} is not in our catalog, so I will not book anything there. "
                f"Nearest places we cover: {nearest}. Everything we cover: {covered}."
            )
        if request.place is None and request.intent in ("dine", "stay"):
            guesses = self.places().did_you_mean(message)
            if guesses:
                ask = f"Did you mean {' or '.join(guesses)}? "
            elif unknown := self.places().unknown_name(message):
                ask = f'I do not know "{unknown}" as a place, so I will not book anything there. '
            else:
                ask = "Where would you like to go? "
            return TurnAnswer(answer=f"{ask}We cover: {covered}.")
        return None

    def _run_crew(
        self,
        scope: Scope,
        message: str,
        request: TurnRequest,
        now: dt.datetime,
        report: Callable[[str], None],
        step: ConversationStep,
    ) -> TurnAnswer:
        from concierge.crew.crew import ConciergeCrew, run_crew
        from concierge.crew.memory import ScopedCrewMemory
        from concierge.crew.render import render_itinerary, render_plan
        from concierge.crew.turn import TurnContext

        pinned = self.turn_context(scope, message)
        report(f"recalled {len(pinned)} memories")
        catalog, llm = self.crew_parts()
        about = message  # a place taken from the user's memories is part of what the crew recalls for
        if request.place is not None and request.place.city and request.place.city.casefold() not in message.casefold():
            about = f"{message} ({request.place.city})"
        crew_memory = ScopedCrewMemory.bind(self.memory, scope, pinned, session=step.record, about=about)
        said = step.need_texts(message)
        turn = TurnContext(
            user=scope.user_id,
            request=request,
            now=now,
            places=self.places(),
            read_needs=lambda: self.user_needs(scope, message, said),
            prefer=step.prefer,
        )
        inputs = {
            "user": scope.user_id,
            "request": re.sub(r"\s+", " ", step.request_text(message)),
            "request_json": request.model_dump_json(),
            "session": step.prompt_state(),
            "today": f"{now:%A %d %B %Y, %H:%M}",
        }
        try:
            crew = ConciergeCrew(llm, catalog, crew_memory, turn, self.settings.config_dir, report, message)
            result = run_crew(crew, inputs)
        except ConciergeError:
            raise
        except Exception as exc:
            from concierge.llm.factory import explain_model_failure
            from concierge.redact import redact_text

            failure = explain_model_failure(self.settings, exc)
            raise (failure or ModelError(f"the crew failed: {redact_text(str(exc))}")) from exc
        plan, draft = result.plan, result.draft
        trip = self._itinerary(scope, turn, catalog, plan) if request.intent == "trip" else None
        if trip is not None:  # the stay of the day-by-day plan is the turn's plan and draft
            plan, draft = trip.stay_plan or plan, trip.stay_draft
        return TurnAnswer(
            answer=render_itinerary(trip) if trip else render_plan(plan, scope.user_id),
            plan=plan,
            draft=draft,
            outputs=result.outputs,
            findings=result.findings,
            memories_used=crew_memory.used,
            itinerary=trip,
        )

    def _trip_follow_up(
        self, scope: Scope, message: str, now: dt.datetime, step: ConversationStep
    ) -> tuple[TurnAnswer, SessionState | None, ConversationStep] | None:
        """A follow-up on the session's itinerary (one day's meal, or a new need): the answer, the next state and
        the step as answered; None when the message is not one (see ``concierge/conversation/trip.py``)."""
        from concierge.conversation.session import advance
        from concierge.conversation.trip import answer_trip_follow_up
        from concierge.crew.turn import TurnContext

        state = step.state
        assert state is not None

        def make_turn(request: TurnRequest, said: Sequence[str]) -> TurnContext:
            needs = lambda: self.user_needs(scope, message, said)  # noqa: E731 - the tools read it once
            return TurnContext(user=scope.user_id, request=request, now=now, places=self.places(), read_needs=needs)

        outcome = answer_trip_follow_up(message, state, step.follow_up, make_turn, self.crew_parts()[0], now)
        if outcome is None:
            return None
        step = dataclasses.replace(step, follow_up=outcome.follow_up, resolution=None)
        if outcome.kept:  # nothing fits the edit: the current plan stands, and the reply shows it
            return TurnAnswer(outcome.answer, state.plan, state.draft, itinerary=state.itinerary), None, step
        if outcome.itinerary is None:  # a question back: nothing changes
            return TurnAnswer(answer=outcome.answer), None, step
        said = list(outcome.need_texts) or list(state.need_texts)
        trip = outcome.itinerary
        plan, draft = (trip.stay_plan, trip.stay_draft) if trip.stay_plan else (state.plan, state.draft)
        new = advance(state, scope.user_id, itinerary=trip, need_texts=said, plan=plan, draft=draft)
        turn = TurnAnswer(answer=outcome.answer, plan=plan, draft=draft, itinerary=trip)
        return turn, new, step

    def _itinerary(self, scope: Scope, turn: TurnContext, catalog: CatalogSearch, plan: Plan) -> Itinerary | None:
        """A trip's day-by-day plan, every venue through the turn's tools (``concierge/crew/itinerary.py``)."""
        from concierge.crew.itinerary import plan_itinerary

        oldest_first = [r.text for r in sorted(self.memories(scope), key=lambda r: r.created_at or "")]
        return plan_itinerary(turn, catalog, oldest_first, plan)

    def close(self) -> None:
        with self._memory_lock:
            memory, self._memory = self._memory, None
        if memory is not None:  # nothing was opened by a command that failed validation
            from concierge.memory.providers import close_memory

            close_memory(memory, self.settings)
