"""The crew's turn: dine, stay or trip planned by the agents, their typed outputs checked in code."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Callable
from typing import TYPE_CHECKING

from concierge.errors import ConciergeError, ModelError
from concierge.scope import Scope
from concierge.turn.answer import TurnAnswer

if TYPE_CHECKING:
    from concierge.catalog.search import CatalogSearch
    from concierge.conversation.session import ConversationStep
    from concierge.crew.itinerary_models import Itinerary
    from concierge.crew.outputs import Plan
    from concierge.crew.turn import TurnContext
    from concierge.memory.records import MemoryRecord
    from concierge.request import TurnRequest
    from concierge.service import ConciergeService

TURN_TOP_K = 6  # memories recalled for the message itself
NEED_TOP_K = 3  # and, always, the closest ones in each category a venue must know about


def turn_context(service: ConciergeService, scope: Scope, message: str) -> list[MemoryRecord]:
    """The user's memories for this message, plus their closest needs (an allergy must never rank out)."""
    found = {r.id: r for r in service.recall(scope, message, top_k=TURN_TOP_K)}
    for category in service.settings.policy.always_recall_categories():
        for record in service.recall(scope, message, top_k=NEED_TOP_K, category=category):
            found.setdefault(record.id, record)
    return list(found.values())


def run_crew(
    service: ConciergeService,
    scope: Scope,
    message: str,
    request: TurnRequest,
    now: dt.datetime,
    report: Callable[[str], None],
    step: ConversationStep,
) -> TurnAnswer:
    from concierge.crew.crew import ConciergeCrew
    from concierge.crew.crew import run_crew as kickoff_crew
    from concierge.crew.memory import ScopedCrewMemory
    from concierge.crew.render import render_itinerary, render_plan
    from concierge.crew.turn import TurnContext
    from concierge.crew.who_comes import not_coming_note

    pinned = turn_context(service, scope, message)
    report(f"recalled {len(pinned)} memories")
    catalog, llm = service.crew_parts()
    about = message  # a place taken from the user's memories is part of what the crew recalls for
    if request.place is not None and request.place.city and request.place.city.casefold() not in message.casefold():
        about = f"{message} ({request.place.city})"
    crew_memory = ScopedCrewMemory.bind(service.memory, scope, pinned, session=step.record, about=about)
    said = step.need_texts(message)
    turn = TurnContext(
        user=scope.user_id,
        request=request,
        now=now,
        places=service.places(),
        read_needs=lambda: service.user_needs(scope, message, said),
        prefer=step.prefer,
        said=step.request_text(message),
    )
    inputs = {
        "user": scope.user_id,
        "request": re.sub(r"\s+", " ", message),  # this turn's own words, a follow-up's too
        "asked": re.sub(r"\s+", " ", step.request_text(message)),
        "request_json": request.model_dump_json(exclude_none=True),
        "session": step.prompt_state(),
        "today": f"{now:%A %d %B %Y, %H:%M}",
    }
    try:
        crew = ConciergeCrew(llm, catalog, crew_memory, turn, service.settings.config_dir, report, message)
        result = kickoff_crew(crew, inputs)
    except ConciergeError:
        raise
    except Exception as exc:
        from concierge.llm.factory import explain_model_failure
        from concierge.redact import redact_text

        failure = explain_model_failure(service.settings, exc)
        raise (failure or ModelError(f"the crew failed: {redact_text(str(exc))}")) from exc
    plan, draft = result.plan, result.draft
    trip = _itinerary(service, scope, turn, catalog, plan) if request.intent == "trip" else None
    if trip is not None:  # the stay of the day-by-day plan is the turn's plan and draft
        plan, draft = trip.stay_plan or plan, trip.stay_draft
    if plan is not None and (alone := not_coming_note(turn.read_needs, request, scope.user_id, turn.said)):
        plan = plan.model_copy(update={"notes": [*plan.notes, alone]})  # "just me": a companion's need left out
    return TurnAnswer(
        answer=render_itinerary(trip) if trip else render_plan(plan, scope.user_id),
        plan=plan,
        draft=draft,
        outputs=result.outputs,
        findings=result.findings,
        memories_used=crew_memory.used,
        itinerary=trip,
    )


def _itinerary(
    service: ConciergeService, scope: Scope, turn: TurnContext, catalog: CatalogSearch, plan: Plan
) -> Itinerary | None:
    """A trip's day-by-day plan, every venue through the turn's tools (``concierge/crew/itinerary.py``)."""
    from concierge.crew.itinerary import plan_itinerary

    oldest_first = [r.text for r in sorted(service.memories(scope), key=lambda r: r.created_at or "")]
    return plan_itinerary(turn, catalog, oldest_first, plan)


def kept_when_cuisine_missing(step: ConversationStep, turn: TurnAnswer, user: str) -> TurnAnswer:
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


def shown_not_booked(turn: TurnAnswer, message: str, step: ConversationStep | None = None) -> TurnAnswer:
    """A request asked as a question ("Do you know any vegan restaurants in Berlin?") shows the options and
    drafts nothing; the question is no fact about the user (``concierge/answers/question_turn.py``). A follow-up
    of a plan that had a draft ("too pricey, anything cheaper?") edits that booking: its new venue keeps a draft."""
    from concierge.answers.question_turn import asks_only, told_part

    edits_a_draft = step is not None and step.follow_up is not None and step.state is not None and step.state.draft
    if edits_a_draft or not asks_only(message):
        return turn
    return dataclasses.replace(turn, draft=None, store=told_part(message))
