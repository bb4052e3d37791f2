"""The offline model as a CrewAI LLM: drives the real crew loop (ReAct text, real tool calls), no network.

It plays each task of the concierge crew deterministically, from exactly what CrewAI puts in its
prompt: the typed request, the memories CrewAI recalled for the user, tool observations and earlier
tasks' typed outputs. Its judgement is small on purpose (which searches, which option first, which
remembered preferences matter); the facts of a plan and the draft's content are enforced in code
(``concierge.crew.checks``), the same for this model and a remote one.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from pydantic import BaseModel, Field, ValidationError

from concierge.crew.checks import compose_draft
from concierge.crew.outputs import Draft, Findings, Plan, SearchReport
from concierge.lean_imports import import_crewai
from concierge.needs import detect_needs
from concierge.offline.placeholder import plain_instance
from concierge.offline.prompt_reading import AgentView, Remembered, read_view
from concierge.request import TurnRequest

import_crewai()  # before crewAI's first import: without the parts this app never uses
from crewai.llms.base_llm import BaseLLM  # noqa: E402

_MARKER = "Typed request: "


def typed_request(text: str) -> TurnRequest | None:
    """The typed request CrewAI interpolated into the task description (see config/tasks.yaml)."""
    start = text.find(_MARKER)
    if start < 0:
        return None
    try:
        data, _ = json.JSONDecoder().raw_decode(text[start + len(_MARKER) :])
        return TurnRequest.model_validate(data)
    except (ValueError, ValidationError):
        return None


def _final(answer: BaseModel | str) -> str:
    text = answer.model_dump_json(exclude_none=True) if isinstance(answer, BaseModel) else answer
    return f"Thought: I now know the final answer\nFinal Answer: {text}"


def json_objects(text: str) -> list[dict[str, Any]]:
    """Every top-level JSON object in ``text`` (tool observations and earlier task outputs are JSON)."""
    decoder, found, i = json.JSONDecoder(), [], 0
    while (i := text.find("{", i)) >= 0:
        try:
            value, end = decoder.raw_decode(text, i)
        except ValueError:
            i += 1
            continue
        if isinstance(value, dict):
            found.append(value)
        i = end
    return found


class OfflineCrewModel(BaseLLM):
    """Deterministic stand-in for a chat model, so the whole product runs without a key or a network."""

    model: str = "offline"
    # Memory categories worth a note in a plan, by kind of request (config/memory.yaml ``relevant_for``).
    relevant: dict[str, frozenset[str]] = Field(default_factory=dict)

    def supports_function_calling(self) -> bool:
        return False  # CrewAI then uses its ReAct text protocol: Action / Action Input / Final Answer

    def supports_stop_words(self) -> bool:
        return False

    def get_context_window_size(self) -> int:
        return 32_768

    def get_input_tokens_count(self, messages: Any, tools: Any = None, response_model: Any = None) -> int:
        """Our tokens are words."""
        if isinstance(messages, str):
            return len(messages.split())
        return sum(len(str(m.get("content", "")).split()) for m in messages)

    def call(
        self,
        messages: str | list[Any],
        tools: list[dict[str, Any]] | None = None,
        callbacks: list[Any] | None = None,
        available_functions: dict[str, Any] | None = None,
        from_task: Any = None,
        from_agent: Any = None,
        response_model: Any = None,
    ) -> str:
        view = read_view(messages)
        name = getattr(from_task, "name", "") or ""
        if name == "plan_task":
            return _plan(view, self.relevant)
        if name in _SKILLS:
            return _SKILLS[name](view)
        model = getattr(from_task, "output_pydantic", None)
        return _final(plain_instance(model)) if model is not None else _answer_plainly(view)


def _research(view: AgentView) -> str:
    """The research task: the next search of the request's plan that has not run yet, else the findings."""
    request = typed_request(view.task_text)
    if request is None:
        return _final(Findings())
    steps = _search_steps(request, view)
    done = len(view.actions_taken)
    if done < len(steps):
        tool, args = steps[done]
        action_input = json.dumps({k: v for k, v in args.items() if v not in (None, "")}, ensure_ascii=False)
        return f"Thought: I search the catalog with {tool}.\nAction: {tool}\nAction Input: {action_input}"
    reports = [SearchReport.model_validate(o) for text in view.observations for o in json_objects(text)[:1]]
    return _final(Findings(searches=reports))


_STEPPED = ("date", "time", "meal", "party_size", "budget_level")  # request fields every search is given


def _search_steps(request: TurnRequest, view: AgentView) -> list[tuple[str, dict[str, Any]]]:
    """The searches (tool, arguments) for the request, in order: a trip finds its destination, then stays there;
    a stay searches stays; anything else restaurants."""
    place = request.place.said if request.place else ""
    query = request.cuisine or view.search_words
    common: dict[str, Any] = {"query": query, "location": place}
    for key in _STEPPED:
        value = getattr(request, key)
        if value is not None:
            common[key] = value.isoformat()[:5] if key == "time" else (str(value) if key == "date" else value)
    if request.intent == "trip":
        return _trip_steps(request, view, common)
    if request.intent == "stay":
        return [("search_stays", {**common, "nights": request.nights, "kind": request.stay_kind or ""})]
    return [("search_restaurants", common)]


def _trip_steps(request: TurnRequest, view: AgentView, common: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    """A trip's searches: the destination (the place said, or up to three for a wish), then stays in the place said
    or, without one, in the first destination found (none for a climate wish: code lists the fits)."""
    place = common["location"]
    wish = {"query": common["query"], "location": place, "max_results": 1 if place else 3}
    if request.climate:
        wish |= {"climate": request.climate, "month": request.month}
    steps: list[tuple[str, dict[str, Any]]] = [("find_destinations", wish)]
    if not place and view.observations:  # go on with the destination the first search found
        found = SearchReport.model_validate(json_objects(view.observations[0])[0])
        place = found.options[0].name if found.options and not request.climate else ""
    if place:
        steps.append(("search_stays", {**common, "location": place, "nights": request.nights}))
    return steps


def _relevant_notes(view: AgentView, request: TurnRequest, relevant: dict[str, frozenset[str]]) -> list[str]:
    """Remembered preferences that matter for this request; needs are stated separately, so skipped here."""
    wanted = relevant.get(request.intent, frozenset())
    notes = []
    for memory in view.memories:
        if not wanted & set(memory.categories) or _states_a_need(memory):
            continue
        notes.append(memory.text)
    return notes


def _states_a_need(memory: Remembered) -> bool:
    return bool(detect_needs(memory.text))


def _plan(view: AgentView, relevant: dict[str, frozenset[str]]) -> str:
    request = typed_request(view.task_text)
    findings = next((Findings.model_validate(o) for o in json_objects(view.context) if "searches" in o), Findings())
    if request is None:
        return _final(Plan())
    kind = "restaurant" if request.intent == "dine" else "stay"
    options = findings.options(kind)  # type: ignore[arg-type]
    chosen = options[0] if options else None
    backups = [o for o in options[1:] if chosen and o.city == chosen.city][:2]
    reasons = []
    if chosen is not None:
        reasons.append(f"best match in {chosen.city} for the request among venues that meet every need")
    if request.intent == "trip" and request.place is None and request.climate:
        return _final(Plan(status="suggestions"))  # code lists the destinations that fit the wish
    notes = _relevant_notes(view, request, relevant)
    if request.intent == "trip":
        seats = [m.text for m in view.memories if "seat" in m.text.lower()]
        destination = next(iter(findings.options("destination")), None)
        if destination is not None:
            notes.append(f"Flights: into {', '.join(destination.airports)}")
        notes += [f"Flights: {s}" for s in seats]
    needs = list({(n.need_id, n.holder): n for s in findings.searches for n in s.needs_applied}.values())
    return _final(Plan(chosen=chosen, backups=backups, notes=notes, reasons=reasons, needs=needs))


def _outreach(view: AgentView) -> str:
    plan = next((Plan.model_validate(o) for o in json_objects(view.context) if "status" in o), None)
    draft = compose_draft(plan, view.user) if plan else None
    return _final(draft or Draft(to="", subject="", body=""))


def _answer_plainly(view: AgentView) -> str:
    """Any task this model has no skill for: answer from its inputs, never invent."""
    parts = [view.context or "", *view.observations, *(f"- {m.text}" for m in view.memories)]
    return _final("\n".join(p for p in parts if p) or view.request)


_SKILLS: dict[str, Callable[[AgentView], str]] = {
    "research_task": _research,
    "outreach_task": _outreach,
}
