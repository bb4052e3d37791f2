"""One chat turn as a crewAI Flow: read -> route -> one handler per kind of turn -> store.

``begin`` and ``read`` load the session's state (its run_id record) and read the message with the configured
``TurnReader`` (``concierge.llm.factory.turn_reader``: the offline rules, or a real model). ``route`` picks the
handler from the typed request and the session: a follow-up on the session's trip, a settled answer (confirm,
cancel, a question back), a memory question, a forget request, a statement, small talk, a request we refuse, a
place we do not cover or do not know, or the crew for dine / stay / trip. Each handler is one small method that
sets ``self._answered``; ``store`` writes the session's next state and what the message says about the user, and
builds the ``Reply``. To add a kind of turn: a label in ``route`` and a ``@listen(label)`` handler below.

The flow runs synchronously on the caller's thread (``Flow.kickoff`` runs its own event loop there); handlers
that do blocking work run in crewAI's worker thread, and ``progress`` is handed back to the caller's thread.
"""

from __future__ import annotations

import asyncio
import dataclasses
import datetime as dt
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from pydantic import BaseModel, ConfigDict, Field

from concierge.conversation.followup import FollowUp
from concierge.conversation.session import ConversationStep
from concierge.conversation.state import SessionState
from concierge.lean_imports import import_crewai
from concierge.memory.records import AddResult
from concierge.reply import Reply
from concierge.request import TurnRequest
from concierge.scope import Scope
from concierge.turn.answer import TurnAnswer

import_crewai()
from crewai.flow.flow import Flow, listen, or_, router, start  # noqa: E402

if TYPE_CHECKING:
    from concierge.request import CatalogPlaces
    from concierge.service import ConciergeService


class _RaisedToCaller(logging.Filter):
    """crewAI 1.15's flow runtime logs every handler's exception at ERROR ("Error executing listener ...") and then
    raises it; ``run_turn`` hands it to the caller, which shows it as one line. Drop the duplicate."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not record.getMessage().startswith("Error executing listener ")


logging.getLogger("crewai.flow.runtime").addFilter(_RaisedToCaller())

# Route labels (a label must differ from every handler's name).
TRIP_EDIT, ANSWERED, SETTLED, CREW = "trip_edit", "answered", "settled", "crew"
MEMORY, FORGET, STATEMENT, CHIT_CHAT = "memory", "forget", "statement", "chit_chat"
REFUSED, NOT_COVERED, ASK_WHERE = "refused", "not_covered", "ask_where"
NEEDS_QUESTION, PLACE_QUESTION = "needs_asked", "place_asked"
HOLDER = "holder_corrected"  # "no wait, that was my son" (concierge/conversation/holder.py)
CONFIRMED = "retraction_confirmed"  # "yes" to "Do you mean that ... no longer applies?" (conversation/confirm.py)
JEST = "retraction_jested"  # "Just kidding!" / "I still am." right after a plain retraction or a forget (jest.py)


class TurnState(BaseModel):
    """The flow's typed state: the message, what it was read as, and the session's state before and after."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    id: str = ""
    message: str = ""
    request: TurnRequest | None = None  # as read; once routed to a handler, a follow-up's merged request
    follow_up: FollowUp | None = None
    session: SessionState | None = None  # the session's state (its run_id record) as the turn found it
    next_session: SessionState | None = None  # the state this turn writes (None: the session is unchanged)
    timings_ms: dict[str, float] = Field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class TurnRun:
    """What the turn runs with: the service, the scope (with its session), and where progress goes."""

    service: ConciergeService
    scope: Scope
    resumed: bool  # the scope named a session: its state is read (a fresh session has none)
    now: dt.datetime
    progress: Callable[[str], None]


class TurnFlow(Flow[TurnState]):
    """A chat turn. Build one per turn; ``run_turn`` below is the way in."""

    _skip_auto_memory: bool = True  # the turn's memory is the service's (no crewAI Memory is built)
    initial_state = TurnState

    def __init__(self, run: TurnRun) -> None:
        super().__init__(suppress_flow_events=True, tracing=False)  # no flow events on the console or traces
        self._run = run
        self._step = ConversationStep()  # the session's state record, and the follow-up resolved against it
        self._answered: TurnAnswer | None = None  # set by the handler the turn was routed to
        self._jest: str = "other"  # what the turn says of a need the previous turn took back (conversation/jest.py)
        self._restored = ""  # the need brought back beside a booking ("..., I'm still allergic by the way"), said
        self._reply: Reply | None = None
        self._report: Callable[[str], None] = run.progress
        self._started = time.perf_counter()

    @property
    def reply(self) -> Reply | None:
        return self._reply

    # -- read -----------------------------------------------------------------------------------------------
    @start()
    async def begin(self) -> None:
        """Progress from a worker thread is handed back to this (the caller's) thread's loop."""
        loop, caller, progress = asyncio.get_running_loop(), threading.get_ident(), self._run.progress

        def report(stage: str) -> None:
            if threading.get_ident() == caller:
                progress(stage)
            else:
                loop.call_soon_threadsafe(progress, stage)

        self._report = report

    @listen(begin)
    def read(self) -> None:
        """The session's state, then the message read in its context (``concierge/turn/reading.py``)."""
        from concierge.conversation.holder import with_remembered_holder
        from concierge.conversation.session import follow, load_step
        from concierge.needs.antecedent import with_antecedent
        from concierge.request.spelling import corrected
        from concierge.turn.reading import read_turn

        service, scope = self._run.service, self._run.scope
        # typos and shorthand read once, as meant, by every reader after (and stored so: "User is allergic to eggs")
        self.state.message = corrected(self.state.message, _place_names(service.places()))
        step = load_step(service.memory, scope) if self._run.resumed else ConversationStep()
        step = dataclasses.replace(step, state=service.with_itinerary(step.state))
        if step.state is not None:  # "btw he's vegetarian" after "lunch for me and my colleague": the colleague
            earlier = [step.state.request_text, *step.state.need_texts]
            self.state.message = with_antecedent(self.state.message, earlier)
        self.state.message = with_remembered_holder(service, scope, self.state.message)  # "his doctor ...": husband
        reading = read_turn(service, scope, self.state.message, self._run.now, step.state, resumed=self._run.resumed)
        self._step = follow(step, reading.follow_up, self.state.message)
        self.state.request, self.state.follow_up, self.state.session = reading.request, reading.follow_up, step.state
        self._lap("understand")

    @router(read)
    async def route(self) -> str:
        if self._confirms_retraction():
            return CONFIRMED
        if self._takes_back():
            return FORGET
        if self._jests() and not self._restored_beside_request():
            return JEST
        if self._step.state is not None and self._step.state.itinerary is not None:
            return TRIP_EDIT
        return self._by_request()

    def _by_request(self) -> str:
        if self._step.resolution is not None and self._step.resolution.action != "plan":
            return SETTLED
        request = self.state.request = self._step.request(self._request)
        if request.intent in ("statement", "forget") and self._corrects_holder():
            return HOLDER
        if request.intent in ("forget", "statement") and self._idle():
            self.state.request = request.model_copy(update={"intent": "chit_chat"})
            return CHIT_CHAT  # "lol", "wait" with nothing to take back: small talk, never a cancel
        if request.intent in _SIMPLE:
            return _SIMPLE[request.intent]
        if request.problems or _too_long(request):
            return REFUSED
        if request.place is not None and not request.place.in_catalog:
            return NOT_COVERED
        if request.place is None and request.intent in ("dine", "stay"):
            return ASK_WHERE
        if (
            request.place is None
            and request.intent == "trip"
            and self._run.service.places().unknown_name(self.state.message)
        ):
            return ASK_WHERE  # "a weekend in Xyzzyville": named, unknown, so never planned in a city of our own
        return CREW

    @property
    def _request(self) -> TurnRequest:
        assert self.state.request is not None
        return self.state.request

    # -- handlers, one per kind of turn ---------------------------------------------------------------------
    @listen(TRIP_EDIT)
    def edit_trip(self) -> None:
        """A follow-up on the session's itinerary: one day's meal, or a new need re-checked on every day."""
        from concierge.turn.trip_turn import trip_follow_up

        run = self._run
        edited = trip_follow_up(run.service, run.scope, self.state.message, run.now, self._step)
        if edited is not None:
            self._answered, self.state.next_session, self._step = edited
            self.state.follow_up = self._step.follow_up

    @router(edit_trip)
    async def after_trip_edit(self) -> str:
        return ANSWERED if self._answered is not None else self._by_request()

    @listen(SETTLED)
    def answer_settled(self) -> None:
        """A confirmation, a cancellation or a question back: answered from the session alone."""
        from concierge.conversation.session import settle

        settled = settle(self._step, self._run.scope.user_id)
        assert settled is not None
        # "status?" about a plan is no fact; with no plan yet ("I prefer early dinners, around 6") it is what was said
        planned = self._step.state is not None and self._step.state.request is not None
        store = None if not planned or (self._step.follow_up is not None and self._step.follow_up.needs) else ""
        self._answered = TurnAnswer(answer=settled.answer, plan=settled.plan, draft=settled.draft, store=store)
        self.state.next_session = settled.state

    @listen(MEMORY)
    def answer_memory_question(self) -> None:
        """What we remember about the user; the question itself stores nothing ("Am I still allergic to ...?")."""
        from concierge.crew.render import render_memories
        from concierge.needs.mood import without_questions

        records = self._run.service.memories(self._run.scope)
        order = [c.name for c in self._run.service.settings.policy.categories]
        told = without_questions(self.state.message)
        self._answered = TurnAnswer(answer=render_memories(records, order), memories_used=records, store=told)

    @listen(NEEDS_QUESTION)
    def answer_needs_question(self) -> None:
        """Which needs we keep to for the user, from their own scope; stores nothing."""
        from concierge.answers.needs_question import answer_needs_question

        run = self._run
        answer = answer_needs_question(run.service.user_needs(run.scope), run.scope.user_id)
        self._answered = TurnAnswer(answer=answer, store="")

    @listen(PLACE_QUESTION)
    def answer_place_question(self) -> None:
        """A question about a place (not a booking), answered from the catalog; stores nothing."""
        from concierge.answers.place_question import answer_place_question

        answer = answer_place_question(self._request, self._run.service.catalog(), self.state.message)
        self._answered = TurnAnswer(answer=answer, store="")

    @listen(FORGET)
    def answer_forget(self) -> None:
        """Forget what the request names; "scratch that" after a booking or an edit undoes that turn instead (the
        plan it goes back to keeps every need that holds now: ``concierge/turn/undo_turn.py``)."""
        from concierge.turn.undo_turn import undo_turn

        run = self._run
        self._answered, self.state.next_session = undo_turn(
            run.service, run.scope, self.state.message, run.now, self._report
        )
        if self._answered.forgotten is None and self.state.next_session is not None:  # the plan went back a turn
            self._step = dataclasses.replace(self._step, follow_up=FollowUp(kind="undo"))

    @listen(STATEMENT)
    def answer_statement(self) -> None:
        self._answered = TurnAnswer(answer="Noted.")  # completed with what was stored, once it is (see ``store``)

    def _confirms_retraction(self) -> bool:
        from concierge.conversation.confirm import says_no, says_yes

        state, message = self._step.state, self.state.message
        return state is not None and state.asked_retraction is not None and (says_yes(message) or says_no(message))

    @listen(CONFIRMED)
    def answer_retraction_confirmed(self) -> None:
        """ "yes" to the question the last turn asked: the need it named is taken back (its memories deleted); "no"
        keeps it."""
        from concierge.conversation.confirm import confirm_retraction, kept, says_yes
        from concierge.conversation.session import advance

        run, state = self._run, self._step.state
        assert state is not None and state.asked_retraction is not None
        asked = state.asked_retraction
        answer = confirm_retraction(run.service, run.scope, asked) if says_yes(self.state.message) else kept(asked)
        self._answered = TurnAnswer(answer=answer, store="", final=True)  # "yes" is no fact
        self.state.next_session = advance(state, run.scope.user_id, asked_retraction=None)

    def _jests(self) -> bool:
        """The previous turn took a need back plainly, and this one says the need still holds, doubts or jokes about
        the retraction, or says nothing clear (``conversation/jest.py``, ``conversation/retraction_reply.py``); or
        the previous turn forgot memories and this one takes that back by example ("undo the forget")."""
        from concierge.conversation.jest import read_next
        from concierge.conversation.retraction_reply import takes_back_by_example

        state = self._step.state
        if state is not None and state.retracted is not None:
            self._jest = read_next(self.state.message, state.retracted, self._request.intent)
        elif state is not None and state.forgot and takes_back_by_example(self.state.message):
            self._jest = "restore"
        return self._jest != "other"

    def _restored_beside_request(self) -> bool:
        """A booking that says the need just taken back still holds ("Book dinner in Lyon tomorrow for 2, I'm still
        allergic by the way"): the need comes back now, and the request is then routed and planned with it."""
        from concierge.conversation import jest
        from concierge.conversation.retraction_reply import BOOKINGS

        state = self._step.state
        if self._jest != "restore" or state is None or state.retracted is None or self._request.intent not in BOOKINGS:
            return False
        self._restored = jest.restore(self._run.service.memory, self._run.scope, state.retracted)
        return True

    def _takes_back(self) -> bool:
        """The previous turn took a need back or forgot memories, and this one cancels that ("cancel that") or asks
        to keep what was forgotten ("no, don't forget it"): the undo brings it back (``conversation/undo.py``)."""
        from concierge.conversation.undo import keeps_it

        state, resolution = self._step.state, self._step.resolution
        if state is None or (state.retracted is None and not state.forgot):
            return False
        cancels = resolution is not None and resolution.action == "cancel"
        return cancels or (bool(state.forgot) and keeps_it(self.state.message))

    @listen(JEST)
    def answer_jest(self) -> None:
        """The need the previous turn took back holds again, or we ask whether it does."""
        from concierge.turn.undo_turn import jest_turn

        run, state = self._run, self._step.state
        assert state is not None
        self._answered, self.state.next_session = jest_turn(run.service, run.scope, state, self._jest)

    def _idle(self) -> bool:
        """Laughter or a pause ("lol", "wait", "brb") and no fact told last in the session for it to be about."""
        from concierge.conversation.jest import idle
        from concierge.conversation.undo import fact_to_take_back

        return idle(self.state.message) and not fact_to_take_back(self._run.service.memory, self._run.scope)

    def _corrects_holder(self) -> bool:
        from concierge.conversation.holder import corrects_holder, moved_from_the_user

        message, run = self.state.message, self._run
        return corrects_holder(message) or bool(moved_from_the_user(run.service, run.scope, message))

    @listen(HOLDER)
    def answer_holder_correction(self) -> None:
        """Whose need the previous message stated, corrected: the need moves to the person named, or we ask."""
        from concierge.conversation.holder import correct_holder

        moved = correct_holder(self._run.service, self._run.scope, self.state.message)
        self._answered = TurnAnswer(answer=moved.answer, store="", final=True)  # the correction is no fact

    @listen(CHIT_CHAT)
    def answer_chit_chat(self) -> None:
        self._answered = TurnAnswer(answer="Happy to help whenever you like: ask me for a dinner, a stay or a trip.")

    @listen(REFUSED)
    def answer_refused(self) -> None:
        """Input we refuse (an impossible date or party, a trip too long): nothing is booked."""
        request = self._request
        if request.problems:
            lines = [*request.problems, "Nothing was booked; tell me again and I will plan it."]
            self._answered = TurnAnswer(answer="\n".join(lines))
        else:
            self._answered = TurnAnswer(answer=_too_long(request) or "")

    @listen(NOT_COVERED)
    def answer_not_covered(self) -> None:
        """A place we do not cover: nothing booked; what was asked (party, day, needs) kept as the session's plan."""
        from concierge.turn.not_covered import not_covered_turn

        run = self._run
        turn = not_covered_turn(run.service, run.scope, self.state.message, self._request, self._step)
        self._answered, self.state.next_session = turn

    @listen(ASK_WHERE)
    def answer_ask_where(self) -> None:
        """A dinner or a stay with no place: the place we guess they meant, or the question where."""
        places, message = self._run.service.places(), self.state.message
        if guesses := places.did_you_mean(message):
            ask = f"Did you mean {' or '.join(guesses)}? "
        elif unknown := places.unknown_name(message):
            ask = f'I do not know "{unknown}" as a place, so I will not book anything there. '
        else:
            ask = "Where would you like to go? "
        self._answered = TurnAnswer(answer=f"{ask}We cover: {self._covered()}.")

    @listen(CREW)
    def answer_with_crew(self) -> None:
        """Dine, stay or trip: the crew plans; the session's next state keeps the plan (unless it is kept)."""
        from concierge.conversation.session import next_state
        from concierge.turn.crew_turn import kept_when_cuisine_missing, run_crew, shown_not_booked

        run, message, request = self._run, self.state.message, self._request
        turn = run_crew(run.service, run.scope, message, request, run.now, self._report, self._step)
        turn = shown_not_booked(turn, message, self._step)
        turn = kept_when_cuisine_missing(self._step, turn, run.scope.user_id)
        if self._step.follow_up is not None and not self._step.follow_up.needs and turn.store is None:
            turn = dataclasses.replace(turn, store="")  # "it's just me now" edits the plan; it is no fact to keep
        user = run.scope.user_id
        state = None if turn.kept else next_state(self._step, request, message, turn.plan, turn.draft, user)
        self._answered, self.state.next_session = turn, state and state.model_copy(update={"itinerary": turn.itinerary})

    def _covered(self) -> str:
        return ", ".join(sorted(self._run.service.catalog().cities()))

    # -- store ----------------------------------------------------------------------------------------------
    @listen(
        or_(
            ANSWERED,
            answer_settled,
            answer_memory_question,
            answer_needs_question,
            answer_place_question,
            answer_forget,
            answer_statement,
            answer_holder_correction,
            answer_retraction_confirmed,
            answer_jest,
            answer_chit_chat,
            answer_refused,
            answer_not_covered,
            answer_ask_where,
            answer_with_crew,
        )
    )
    def store(self) -> None:
        """Write what the message says about the user, then the session's next state, all or nothing
        (``concierge/conversation/commit.py``); build the reply."""
        from concierge.conversation.commit import TurnWrites
        from concierge.conversation.session import advance
        from concierge.turn.said_too import facts_said_too

        run, turn, state = self._run, self._answered, self.state
        assert turn is not None
        self._forget_asked_retraction()
        if turn.asks is not None:  # "Forget my peanut allergy. Sike.": a plain "yes" next forgets it
            state.next_session = advance(
                state.next_session or self._step.state, run.scope.user_id, asked_retraction=turn.asks
            )
        writes = TurnWrites(run.service.memory, run.scope, state.next_session)  # written once the turn succeeded
        self._lap("answer")
        self._report("storing what the message says about you")
        text = state.message if turn.store is None else turn.store  # a forget request is never stored as a fact
        text = self._beside_restatement(text)
        text = facts_said_too(run.service, run.scope, text) or text  # "My daughter too": the need said before
        added = writes.commit(lambda: run.service.remember(run.scope, text) if text.strip() else AddResult())
        self._keep_retracted(added)
        self._lap("store")
        state.timings_ms["total"] = (time.perf_counter() - self._started) * 1000
        statement = self._request.intent == "statement" and self._step.follow_up is None and not turn.final
        asked = self._which_person(added) if statement else None
        answer = turn.completed(added, statement=statement, asked=asked)
        # a booking beside a retraction asks too (attack10 H1)
        if statement or self._request.intent == "memory_question" or turn.plan is not None:
            answered, answer = answer, self._keep_asked_retraction(answer, asked)
            asked = asked or (answer.removeprefix(answered) if answer != answered else None)  # the question added
        kind = None if asked is None else "confirm_retraction" if _confirms(asked) else "which_person"
        answer = f"{self._restored}\n{answer}" if self._restored else answer
        self._reply = Reply(
            user_id=run.scope.user_id,
            run_id=run.scope.run_id or "",
            request=self._request,
            answer=answer,
            plan=turn.plan,
            draft=turn.draft,
            findings=turn.findings,
            memories_used=turn.memories_used,
            memories_stored=added.stored,
            dropped=added.dropped,
            timings_ms=dict(state.timings_ms),
            forgotten=turn.forgotten,
            itinerary=turn.itinerary,
            follow_up=self._step.follow_up,
            session=state.next_session or self._step.state,
            outputs=turn.outputs,
            asked=kind,
        )

    def _beside_restatement(self, text: str) -> str:
        """What a booking that brought a need back stores: its clauses but the restatement (no "User is still
        allergic")."""
        from concierge.conversation.retraction_reply import beside_restatement

        previous = self._step.state
        if not self._restored or previous is None or previous.retracted is None or text != self.state.message:
            return text
        return beside_restatement(text, previous.retracted)

    def _forget_asked_retraction(self) -> None:
        """A question about a retraction holds for the next turn only: any turn but "yes" forgets it. So does a
        retraction a jest may take back: a turn that did not set it anew forgets it."""
        from concierge.conversation.session import advance

        state, previous = self.state, self._step.state
        for kept_one_turn in ("retracted", "forgot"):  # what the previous turn took back or forgot
            held = getattr(previous, kept_one_turn) if previous is not None else None
            if held is None:
                continue
            kept = state.next_session is not None and getattr(state.next_session, kept_one_turn) != held
            if not kept:
                update = {kept_one_turn: None}
                state.next_session = advance(state.next_session or previous, self._run.scope.user_id, **update)
        if state.next_session is not None and state.next_session.asked_retraction is not None:
            if self._answered is None or not self._confirms_retraction():
                state.next_session = state.next_session.model_copy(update={"asked_retraction": None})
        elif state.next_session is None and previous is not None and previous.asked_retraction is not None:
            state.next_session = advance(previous, self._run.scope.user_id, asked_retraction=None)

    def _keep_retracted(self, added: AddResult) -> None:
        """A statement in a session that took a need back plainly: the session keeps it for one turn, so a jest or
        "I still am" next brings the need back (``concierge/conversation/jest.py``)."""
        from concierge.conversation.jest import just_retracted
        from concierge.conversation.session import advance
        from concierge.conversation.state import save_state
        from concierge.needs.current import may_take_back

        run = self._run
        if not run.scope.run_id or self._request.intent != "statement":
            return
        superseded = {i for m in added.stored for i in m.supersedes}
        if not superseded and not may_take_back(" ".join(m.text for m in added.stored)):
            return  # cheap: no stored fact has a word that takes something back, or replaced one
        held = {(n.need_id, n.holder.casefold()) for n in run.service.user_needs(run.scope) if n.active}
        replaced = {r.id: r.text for r in run.service.memory.list(run.scope, latest_only=False) if r.id in superseded}
        retracted = just_retracted(added.stored, held, replaced)
        if retracted is not None:
            state = advance(self.state.next_session or self._step.state, run.scope.user_id, retracted=retracted)
            save_state(run.service.memory, run.scope, state)
            self.state.next_session = state

    def _keep_asked_retraction(self, answer: str, asked: str | None) -> str:
        """When the message took a held need back, but not plainly, keep the question in the session so "yes" next
        takes it back; a memory question ("... Did that work?") is asked it too (attack7 H2)."""
        from concierge.conversation.confirm import asked_about
        from concierge.conversation.session import advance
        from concierge.conversation.state import save_state
        from concierge.needs.current import may_take_back, replay, unplain_need, unplain_question

        run, message = self._run, self.state.message
        if not run.scope.run_id or not may_take_back(message) or (asked is not None and not _confirms(asked)):
            return answer
        records = run.service.memories(run.scope)
        held = replay([r.text for r in records])
        need = unplain_need(message, held)
        if need is None:  # nothing to confirm; two people of one name who hold it are asked apart (attack8 M3)
            which = unplain_question(message, held) if asked is None else None
            return f"{answer}\n{which}" if which else answer
        asking = asked_about(need, records)
        state = advance(self.state.next_session or self._step.state, run.scope.user_id, asked_retraction=asking)
        save_state(run.service.memory, run.scope, state)
        self.state.next_session = state
        return answer if asked is not None else f"{answer}\n{unplain_question(message, held)}"

    def _which_person(self, added: AddResult) -> str | None:
        """Whom a stored fact means when it takes a need back from one of several people (nothing changed)."""
        from concierge.needs.current import which_person

        run = self._run
        stored = [m.text for m in added.stored]
        return which_person(stored, lambda: [r.text for r in run.service.memories(run.scope)], self.state.message)

    def _lap(self, stage: str) -> None:
        """Time the stage that just ended (stages run one after another)."""
        now = time.perf_counter()
        self.state.timings_ms[stage] = (now - self._started) * 1000 - sum(self.state.timings_ms.values())


def _confirms(asked: str) -> bool:
    """The question asks whether a need no longer applies ("Do you mean ...?": a plain "yes" next takes it back),
    not whose it is or who is writing (no "yes" answers those)."""
    return asked.lstrip().startswith("Do you")


_SIMPLE = {
    "memory_question": MEMORY,
    "needs_question": NEEDS_QUESTION,
    "place_question": PLACE_QUESTION,
    "forget": FORGET,
    "statement": STATEMENT,
    "chit_chat": CHIT_CHAT,
}  # intents answered without the crew, by their handler's label


def _place_names(places: CatalogPlaces) -> list[str]:
    """The catalog's cities and countries: the gazetteer reads their typos (and asks back when in doubt)."""
    return [*places.cities, *places.cities.values()]


def _too_long(request: TurnRequest) -> str | None:
    from concierge.crew.itinerary import trip_length_problem

    return trip_length_problem(request)


def run_turn(run: TurnRun, message: str) -> Reply:
    """Run one turn's flow to its reply; an error in any step (a ``ConciergeError``) reaches the caller as is."""
    flow = TurnFlow(run)
    flow.kickoff(inputs={"message": message})
    if flow.reply is None:
        raise RuntimeError("the turn's flow ended without a reply")
    return flow.reply
