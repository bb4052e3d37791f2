"""Task guardrails through the real crewAI loop: a failing check's reason reaches the model, which retries;
only when retries run out does code compose the safe answer; code runs the search when the model ran none.

``ScriptedModel`` is a fake of the one external boundary here, the chat model (a ``BaseLLM`` subclass): it
plays each task from what crewAI puts in its prompt, answering badly first where a test asks it to.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from typing import Any

import pytest
from pydantic import Field

from concierge.crew.crew import ConciergeCrew, CrewResult, run_crew
from concierge.crew.memory import ScopedCrewMemory
from concierge.crew.outputs import Draft, Findings, Option, Plan
from concierge.crew.turn import TurnContext
from concierge.lean_imports import import_crewai
from concierge.needs import active_needs
from concierge.offline.parse import parse_request
from concierge.offline.placeholder import plain_instance
from concierge.service import ConciergeService

import_crewai()  # before crewAI's first import, as the app does
from crewai.llms.base_llm import BaseLLM  # noqa: E402

MESSAGE = "I'm allergic to peanuts. Plan a dinner in Paris for 3 people at 20:00 on 12 December 2026"
NOW = dt.datetime(2026, 12, 1, 10, 0)


def _objects(text: str) -> list[dict[str, Any]]:
    decoder, found, i = json.JSONDecoder(), [], 0
    while (i := text.find("{", i)) >= 0:
        try:
            value, i = decoder.raw_decode(text, i)
        except ValueError:
            i += 1
            continue
        if isinstance(value, dict):
            found.append(value)
    return found


def _final(answer: Any) -> str:
    text = answer.model_dump_json() if hasattr(answer, "model_dump_json") else json.dumps(answer)
    return f"Thought: done\nFinal Answer: {text}"


class ScriptedModel(BaseLLM):
    """Fake chat model: research searches Paris (or nothing), the planner and the writer follow a script; any other
    task gets an empty instance of its output model."""

    model: str = "scripted"
    search: bool = True
    bad_plans: int = 0  # answers with a bad plan this many times before a good one
    bad_plan: dict[str, Any] = Field(default_factory=dict)
    bad_drafts: int = 0
    calls: dict[str, list[str]] = Field(default_factory=dict)
    # What it read in the first call of a task (a retry's prompt holds the reason instead).
    findings: dict[str, Any] = Field(default_factory=dict)
    plan: dict[str, Any] = Field(default_factory=dict)

    def supports_function_calling(self) -> bool:
        return False

    def supports_stop_words(self) -> bool:
        return False

    def call(self, messages: Any, *args: Any, from_task: Any = None, **kwargs: Any) -> str:
        text = "\n".join(str(m.get("content", "")) for m in messages) if isinstance(messages, list) else messages
        name = getattr(from_task, "name", "")
        self.calls.setdefault(name, []).append(text)
        play: dict[str, Callable[[str], str]] = {
            "research_task": self._research,
            "plan_task": self._plan,
            "outreach_task": self._draft,
        }
        if name not in play:  # a task a team added: the emptiest answer its output model allows
            return _final(plain_instance(from_task.output_pydantic))
        return play[name](text)

    def _research(self, text: str) -> str:
        if self.search and len(self.calls["research_task"]) == 1:  # then crewAI sends the tool's observation
            return 'Thought: search\nAction: search_restaurants\nAction Input: {"query": "dinner", "location": "Paris"}'
        return _final({"searches": []})  # retold as nothing: code keeps what the tools returned

    def _plan(self, text: str) -> str:
        if not self.findings:
            self.findings = next(o for o in _objects(text) if "searches" in o)
        if len(self.calls["plan_task"]) <= self.bad_plans:
            return _final(self.bad_plan)
        findings = Findings.model_validate(self.findings)
        options = findings.options("restaurant")
        needs = [n for s in findings.searches for n in s.needs_applied]
        return _final(Plan(chosen=options[1], backups=[options[0]], needs=needs))  # not code's first choice

    def _draft(self, text: str) -> str:
        if not self.plan:
            self.plan = next(o for o in _objects(text) if "status" in o)
        plan = Plan.model_validate(self.plan)
        assert plan.chosen is not None and plan.time is not None and plan.date is not None
        needs = ", ".join(n.label for n in plan.needs)
        body = f"A table for {plan.party_size} on {plan.date.day} December at {plan.time:%H:%M}. Needs: {needs}."
        if len(self.calls["outreach_task"]) <= self.bad_drafts:
            body = "A table please."
        return _final(Draft(to=plan.chosen.contact or "", subject="Table", body=body))


@pytest.fixture
def run(service: ConciergeService, project: str) -> Callable[[ScriptedModel], CrewResult]:
    def run_with(model: ScriptedModel) -> CrewResult:
        places = service.places()
        scope = service.scope("gina", project_id=project, run_id="s1")
        turn = TurnContext(
            user="gina",
            request=parse_request(MESSAGE, now=NOW, places=places),
            now=NOW,
            places=places,
            read_needs=lambda: active_needs([MESSAGE]),
        )
        catalog = service.crew_parts()[0]
        memory = ScopedCrewMemory.bind(service.memory, scope)
        crew = ConciergeCrew(model, catalog, memory, turn, service.settings.config_dir, message=MESSAGE)
        inputs = {"user": "gina", "request": MESSAGE, "request_json": turn.request.model_dump_json()}
        return run_crew(crew, inputs | {"session": "{}", "today": f"{NOW:%A %d %B %Y}"})

    return run_with


def _lyon_venue(service: ConciergeService) -> Option:
    venue = next(r for r in service.crew_parts()[0].catalog.restaurants if r.city == "Lyon")
    return Option(id=venue.id, name=venue.name, kind="restaurant", city="Lyon", country="France")


def test_a_plan_in_another_city_is_sent_back_with_the_reason_and_the_retry_stands(
    run: Callable[[ScriptedModel], CrewResult], service: ConciergeService
) -> None:
    lyon = _lyon_venue(service)
    model = ScriptedModel(model="scripted", bad_plans=1, bad_plan=Plan(chosen=lyon).model_dump(mode="json"))
    result = run(model)

    assert len(model.calls["plan_task"]) == 2 and result.composed == []
    (reason,) = result.reasons["plan_task"]
    assert lyon.id in reason and reason in model.calls["plan_task"][1]  # the reason reached the model
    options = result.findings.options("restaurant")
    assert result.plan.chosen is not None and result.plan.chosen.id == options[1].id  # the model's retry, kept
    assert result.plan.chosen.city == "Paris" and result.outputs["plan_task"] == result.plan


def test_a_plan_contradicting_the_request_fails_until_retries_run_out_then_code_composes_it(
    run: Callable[[ScriptedModel], CrewResult],
) -> None:
    bad = {"date": "2026-12-13", "party_size": 5, "time": "23:45", "needs": []}
    model = ScriptedModel(model="scripted", bad_plans=10, bad_plan=bad)
    result = run(model)

    assert len(model.calls["plan_task"]) == 3  # the first answer and guardrail_max_retries (2) retries
    assert "plan_task" in result.composed and len(result.reasons["plan_task"]) == 2
    plan = result.plan
    assert plan.chosen is not None and plan.chosen.id in {o.id for o in result.findings.options("restaurant")}
    assert (plan.date, plan.party_size, plan.time) == (dt.date(2026, 12, 12), 3, dt.time(20, 0))
    assert [n.need_id for n in plan.needs] == ["peanuts"]
    assert result.draft is not None and "peanut allergy" in result.draft.body


def test_a_draft_missing_the_need_is_sent_back_and_rewritten_by_the_model(
    run: Callable[[ScriptedModel], CrewResult],
) -> None:
    model = ScriptedModel(model="scripted", bad_drafts=1)
    result = run(model)

    assert len(model.calls["outreach_task"]) == 2 and "outreach_task" not in result.composed
    (reason,) = result.reasons["outreach_task"]
    assert "peanut allergy" in reason and reason in model.calls["outreach_task"][1]
    assert result.draft is not None and result.draft.subject == "Table"  # the model's own draft, now complete
    assert "peanut allergy" in result.draft.body and result.outputs["outreach_task"] == result.draft


def test_code_runs_the_search_from_the_typed_request_when_the_model_calls_no_tool(
    run: Callable[[ScriptedModel], CrewResult],
) -> None:
    model = ScriptedModel(model="scripted", search=False)
    result = run(model)

    assert "research_task" in result.composed
    options = result.findings.options("restaurant")
    assert options and all(o.city == "Paris" for o in options)
    assert result.outputs["research_task"] == result.findings  # what the tools returned, not the model's retelling
    assert result.plan.chosen is not None and result.plan.chosen.city == "Paris"
