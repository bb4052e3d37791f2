"""Task guardrails in crewAI's idiom: code checks each built-in task's typed answer; a failing check's reason
goes back to the agent, which retries; only when retries run out does code compose the safe answer.

A guardrail is crewAI's ``(TaskOutput) -> tuple[bool, Any]`` (``Task(guardrail=..., guardrail_max_retries=...)``).
The checks are the pure functions of ``concierge.crew.checks``; the needs a turn honours come from the user's
own scope (``TurnContext.needs()``), never from the model. Which guardrail a task gets follows from its output
model (``GUARDED``): a task of your own with another model runs unguarded unless you add one there.

This module has no ``from __future__ import annotations``: crewAI checks a guardrail's return annotation at
run time and accepts only the real ``tuple[bool, Any]``.
"""

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from concierge.catalog.search import CatalogSearch
from concierge.crew.checks import checked_draft, checked_plan, compose_draft, draft_problems, plan_problems
from concierge.crew.outputs import Draft, Findings, Plan
from concierge.crew.turn import TurnContext
from concierge.lean_imports import import_crewai

import_crewai()  # before crewAI's first import: without the parts this app never uses
from crewai import Task, TaskOutput  # noqa: E402
from crewai.utilities.converter import convert_to_model  # noqa: E402

ModelT = TypeVar("ModelT", bound=BaseModel)
DEFAULT_RETRIES = 2  # a model gets the reason this many times before code composes the answer


def typed(output: TaskOutput, model: type[ModelT], convert: Callable[[str], Any] | None = None) -> ModelT | str:
    """The task's answer as ``model``, or why it is not one. crewAI leaves ``pydantic`` empty under a guardrail:
    JSON is read here; other text goes through ``convert`` (crewAI's own converter, as without a guardrail)."""
    if isinstance(output.pydantic, model):
        return output.pydantic
    text = (output.raw or "").strip()
    start = text.find("{")
    try:
        data, _ = json.JSONDecoder().raw_decode(text[start:]) if start >= 0 else (None, 0)
        return model.model_validate(data)
    except (ValueError, ValidationError) as exc:
        converted = convert(text) if convert is not None and text else None
        if isinstance(converted, model):
            return converted
        first = str(exc).splitlines()[0]
        return f"answer with one {model.__name__} JSON object ({first})"


def _as_output(output: TaskOutput, answer: BaseModel) -> TaskOutput:
    """The task's output carrying code's answer: what later tasks read (``raw``) and what the reply shows."""
    return output.model_copy(update={"raw": answer.model_dump_json(exclude_none=True), "pydantic": answer})


@dataclass
class TurnGuards:
    """One turn's guardrails and what they decided: the checked plan and draft, and every reason sent back."""

    turn: TurnContext
    catalog: CatalogSearch
    message: str
    search: Callable[[TurnContext, CatalogSearch, str], None]  # runs the search from the typed request, in code
    plan: Plan | None = None
    draft: Draft | None = None
    reasons: dict[str, list[str]] = field(default_factory=dict)  # task name -> reasons given to the model
    composed: list[str] = field(default_factory=list)  # tasks whose answer code composed after retries ran out

    def for_task(self, name: str, model: type[BaseModel], retries: int) -> "_Guardrail | None":
        """The guardrail for a task answering with ``model`` (None: that model has no check). crewAI gets its
        ``check`` method (crewAI reads a guardrail's source: a method, not a callable object)."""
        made = GUARDED.get(model)
        return None if made is None else made(self, name, retries)

    def reject(self, name: str, reasons: list[str]) -> tuple[bool, Any]:
        self.reasons.setdefault(name, []).append("; ".join(reasons))
        return False, "Fix this and answer again: " + "; ".join(reasons)


class _Guardrail:
    """Counts the attempts of one task; subclasses say what passes and what code composes at the end."""

    model: type[BaseModel] = BaseModel

    def __init__(self, guards: TurnGuards, name: str, retries: int) -> None:
        self.guards, self.name, self.attempts_left = guards, name, retries + 1
        self.task: Task | None = None  # set once crewAI's Task exists: its converter reads prose answers

    def _convert(self, text: str) -> Any:
        if self.task is None:
            return None
        return convert_to_model(text, self.model, None, self.task.agent, self.task.converter_cls)

    def check(self, output: TaskOutput) -> tuple[bool, Any]:
        self.attempts_left -= 1
        answer = typed(output, self.model, self._convert)
        problems = [answer] if isinstance(answer, str) else self.problems(answer)
        if problems and self.attempts_left > 0:
            return self.guards.reject(self.name, problems)
        if problems:
            self.guards.composed.append(self.name)
        return True, _as_output(output, self.settle(None if problems else answer))  # type: ignore[arg-type]

    def problems(self, answer: Any) -> list[str]:
        raise NotImplementedError

    def settle(self, answer: Any) -> BaseModel:
        """What the task answers: the model's answer completed in code, or (None) the one code composes."""
        raise NotImplementedError


# The searches that answer each kind of request (a trip: its destination, or stays there).
ANSWERING_SEARCHES = {
    "dine": frozenset({"search_restaurants"}),
    "stay": frozenset({"search_stays"}),
    "trip": frozenset({"search_stays", "find_destinations"}),
}


class FindingsGuardrail(_Guardrail):
    """Research: the findings are what the tools returned this turn, as code recorded them (never a model's
    retelling); when the model ran no search that answered (no tool call, an unknown tool, bad arguments, a
    search of the wrong kind), code runs it from the typed request."""

    model = Findings

    def check(self, output: TaskOutput) -> tuple[bool, Any]:
        turn = self.guards.turn
        if not turn.searched(ANSWERING_SEARCHES.get(turn.request.intent)):
            self.guards.search(turn, self.guards.catalog, self.guards.message)
            self.guards.composed.append(self.name)
        return True, _as_output(output, turn.findings())


class PlanGuardrail(_Guardrail):
    """Plan: venues among the tools' answers, a time inside the venue's hours, every need, and no field that
    contradicts the typed request."""

    model = Plan

    def problems(self, answer: Plan) -> list[str]:
        return plan_problems(answer, self.guards.turn)

    def settle(self, answer: Plan | None) -> Plan:
        self.guards.plan = checked_plan(answer, self.guards.turn)
        return self.guards.plan


class DraftGuardrail(_Guardrail):
    """Draft: addressed to the chosen venue, stating every need, the date, the time and the party."""

    model = Draft

    def _plan(self) -> Plan:
        return self.guards.plan or checked_plan(None, self.guards.turn)

    def problems(self, answer: Draft) -> list[str]:
        return draft_problems(answer, self._plan(), self.guards.turn.user, self.guards.message)

    def settle(self, answer: Draft | None) -> Draft:
        user, plan = self.guards.turn.user, self._plan()
        draft = checked_draft(answer, plan, user, self.guards.message) if answer else compose_draft(plan, user)
        self.guards.draft = draft
        return draft or Draft()


GUARDED: dict[type[BaseModel], type[_Guardrail]] = {
    Findings: FindingsGuardrail,
    Plan: PlanGuardrail,
    Draft: DraftGuardrail,
}
