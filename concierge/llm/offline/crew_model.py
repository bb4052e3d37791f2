"""The offline model as a CrewAI LLM: drives the real crew loop (ReAct text, real tool calls), no network.

It plays each task of the concierge crew deterministically. Every fact in its answers comes from
its inputs: the request, the memories CrewAI recalled for the user, the tool observations and the
context of earlier tasks. Wording is templated; content is not.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Sequence
from typing import Any

from crewai.llms.base_llm import BaseLLM
from pydantic import Field

from concierge.llm.offline.language import is_question_or_request, split_clauses
from concierge.llm.offline.prompt_reading import AgentView, Listing, Remembered, listings, read_view
from concierge.needs import detect_needs

_DINING = re.compile(
    r"\b(dinner|lunch|brunch|breakfast|restaurants?|eat|food|table|meal|dine|dining|tapas|sushi)\b", re.I
)
_STAY = re.compile(
    r"\b(hotel|apartment|flat|house|villa|stay|accommodation|guesthouse|place to live|rent|live)\b", re.I
)
_TRIP = re.compile(r"\b(trip|travel|visit|weekend|holiday|vacation|itinerary|getaway|fly|flight|flights)\b", re.I)
_STAY_KIND = re.compile(r"\b(hotel|apartment|flat|house|villa|guesthouse)\b", re.I)
_WISH = re.compile(r"\b(looking for|want|wants|need|needs|would like|i'd like|searching|planning|plan)\b", re.I)
NOTHING_TO_SEARCH = "No catalog search: the message tells us about the traveller but asks for nothing."
_SEAT = re.compile(r"\b(window|aisle) seat\b", re.I)
_WHEN = re.compile(
    r"\b(tonight|tomorrow(?: night| evening)?|this (?:evening|weekend|friday|saturday|sunday)|"
    r"on (?:mon|tues|wednes|thurs|fri|satur|sun)day|next (?:week|weekend|month))\b",
    re.I,
)
_PARTY = re.compile(r"\bfor (\d+|two|three|four|five|six|seven|eight)(?: people| guests| of us)?\b", re.I)


def _about(view: AgentView, memory: Remembered) -> str:
    """A remembered fact about the user, named: "User is allergic to nuts" -> "alice is allergic to nuts"."""
    return re.sub(r"^(the )?user\b", view.user, memory.text, flags=re.I)


def _for_venue(memory: Remembered) -> str:
    """The same fact as a venue should read it: "the guest is allergic to nuts"."""
    text = re.sub(r"^(the )?user\b", "the guest", memory.text, flags=re.I)
    return text if text != memory.text else f"the guest: {memory.text[0].lower()}{memory.text[1:]}"


def _needs(view: AgentView) -> list[Remembered]:
    """Memories that state an active need, whatever category they were filed under."""
    return [m for m in view.memories if any(n.active for n in detect_needs(m.text))]


class OfflineCrewModel(BaseLLM):
    """Deterministic stand-in for a chat model, so the whole product runs without a key or a network."""

    model: str = "offline"
    places: tuple[str, ...] = Field(default=(), description="city and country names the model knows (gazetteer)")

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
        skill = _SKILLS.get(getattr(from_task, "name", "") or "", _answer_plainly)
        return skill(self, view)

    # -- what the research agent decides ----------------------------------------------------------
    def place_in(self, texts: Sequence[str]) -> str:
        """The first known place named in the first text that names one."""
        for text in texts:
            hits = [(m.start(), p) for p in self.places if (m := re.search(rf"\b{re.escape(p)}\b", text, re.I))]
            if hits:
                return min(hits)[1]
        return ""


def asks_for_something(request: str) -> bool:
    """A question, an instruction, or a wish ("I'm looking for a house in France") the crew can act on."""
    return bool(_WISH.search(request)) or any(is_question_or_request(c, request) for c in split_clauses(request))


def _research(model: OfflineCrewModel, view: AgentView) -> str:
    if not asks_for_something(view.request):
        return f"Thought: I now know the final answer\nFinal Answer: {NOTHING_TO_SEARCH}"
    place = model.place_in([view.request, *(m.text for m in view.memories)])
    needs = "; ".join([m.text for m in _needs(view)] + [view.request])
    wants_trip = bool(_TRIP.search(view.request))
    wants_stay = bool(_STAY.search(view.request)) or wants_trip
    wants_dining = bool(_DINING.search(view.request)) or not wants_stay
    steps: list[tuple[str, dict[str, Any]]] = []
    if wants_trip or (wants_stay and not place):
        steps.append(
            ("find_destinations", {"query": view.request, "location": place, "max_results": 1 if place else 3})
        )
        if not place and view.observations:  # go on with the destination the first search found
            found = [e for e in listings(view.observations[0]) if e.kind == "destination"]
            place = found[0].name if found else ""
    if wants_stay and place:
        kind = _STAY_KIND.search(view.request) or next(
            (
                k
                for m in view.memories
                if "accommodation_preferences" in m.categories
                if (k := _STAY_KIND.search(m.text))
            ),
            None,
        )
        args = {"query": view.request, "location": place, "requirements": needs}
        steps.append(("search_stays", {**args, "kind": kind.group(1).lower() if kind else ""}))
    if wants_dining:
        steps.append(("search_restaurants", {"query": view.request, "location": place, "requirements": needs}))
    done = len(view.actions_taken)
    if done < len(steps):
        tool, args = steps[done]
        action_input = json.dumps(args, ensure_ascii=False)
        return f"Thought: I search the catalog with {tool}.\nAction: {tool}\nAction Input: {action_input}"
    findings = "\n\n".join(view.observations) or "No catalog search was possible for this request."
    return f"Thought: I now know the final answer\nFinal Answer: {findings}"


def _first_evening_time(hours: str | None) -> str:
    """A sensible booking time from opening hours like "12:00-14:30, 19:00-23:00"."""
    for start, _end in re.findall(r"(\d{2}):\d{2}-(\d{2}):\d{2}", hours or ""):
        if int(start) >= 17:
            return f"{int(start) + 1}:00" if int(start) < 20 else f"{start}:30"
    return "19:30" if not hours else f"within opening hours ({hours})"


def _describe(entry: Listing) -> str:
    return f"{entry.name} ({', '.join(entry.fields[:3])})"


def _plan(model: OfflineCrewModel, view: AgentView) -> str:
    found = listings(view.context)
    main = [e for e in found if e.kind != "destination"] or found
    if NOTHING_TO_SEARCH in view.context:
        noted = [f"- {_about(view, m)}" for m in view.memories]
        return "Thought: I now know the final answer\nFinal Answer: " + "\n".join(
            [
                "Noted. Ask me for a dinner, a stay or a trip whenever you like.",
                *(["What I know so far:", *noted] if noted else []),
            ]
        )
    if not main:
        return (
            f"Thought: nothing to plan\nFinal Answer: No catalog option fits {view.request!r}, so there is no plan yet."
        )
    first, backups = main[0], main[1:3]
    lines = [f"Plan for {view.user}: {view.request}"]
    if re.search(r"^(Restaurants|Stays)\b[^\n]* in all catalog cities", view.context, re.MULTILINE):
        lines.append("You did not say where, and I have no place on record: these are the best matches anywhere.")
    lines.append(f"First choice: {_describe(first)}.")
    if first.kind == "restaurant":
        hours = first.field_after("hours")
        lines.append(f"Timing: book for {_first_evening_time(hours)}; opening hours {hours}.")
        if first.allergens:
            lines.append(f"Allergen notes from the venue: {first.allergens}")
    for backup in backups:
        lines.append(f"Backup: {_describe(backup)}.")
    destination = next((e for e in found if e.kind == "destination"), None)
    if destination is not None:
        months = destination.field_after("best months ")
        lines.append(f"Destination: {destination.name} ({destination.fields[0]}); best months {months}.")
        lines.append(f"Flights: into {destination.field_after('airports ')}.")
    if excluded := next((ln for ln in view.context.splitlines() if ln.startswith("Excluded: ")), None):
        lines.append(excluded)
    notes = [f"- {_about(view, m)}" for m in view.memories]
    notes += [f"- Flights: ask for a {s.group(1).lower()} seat." for m in view.memories if (s := _SEAT.search(m.text))]
    if notes:
        lines += ["Notes from what we remember:", *dict.fromkeys(notes)]
    return "Thought: I now know the final answer\nFinal Answer: " + "\n".join(lines)


def _outreach(model: OfflineCrewModel, view: AgentView) -> str:
    found = {e.name: e for e in listings(view.context)}
    chosen = re.search(r"^First choice: (?P<name>.+?) \(", view.context, re.MULTILINE)
    entry = found.get(chosen.group("name")) if chosen else None
    if entry is None or not entry.email:
        return (
            "Thought: nothing to send\nFinal Answer: No message drafted: the plan has no venue or provider to contact."
        )
    when = _WHEN.search(view.request)
    party = _PARTY.search(view.request)
    detail = ", ".join(x for x in [when.group(0) if when else "", f"for {party.group(1)}" if party else ""] if x)
    detail = f" ({detail})" if detail else ""
    if entry.kind == "restaurant":
        subject = f"Table request for {view.user}"
        ask = f"I would like to reserve a table{detail}. Request: {view.request}"
    else:
        subject = f"Booking enquiry for {view.user}"
        ask = f"I would like to ask about staying at {entry.name}{detail}. Request: {view.request}"
    body = [f"To: {entry.email}", f"Subject: {subject} - {entry.name}", "", f"Hello {entry.name} team,", "", ask]
    needs = _needs(view)
    if needs:
        body += ["", "Please note:"] + [f"- {_for_venue(m)}" for m in needs]
        if entry.allergens:
            body.append(f"Your allergen notes say: {entry.allergens}")
        body.append("Could you confirm that you can accommodate this?")
    else:
        body.append("Could you confirm availability?")
    body += ["", "Thank you,", f"{view.user} (via Concierge)"]
    return "Thought: I now know the final answer\nFinal Answer: " + "\n".join(body)


def _answer_plainly(model: OfflineCrewModel, view: AgentView) -> str:
    """Any task this model has no skill for: answer from its inputs, never invent."""
    parts = [view.context or "", *view.observations, *(f"- {_about(view, m)}" for m in view.memories)]
    return "Thought: I now know the final answer\nFinal Answer: " + ("\n".join(p for p in parts if p) or view.request)


_SKILLS: dict[str, Callable[[OfflineCrewModel, AgentView], str]] = {
    "research_task": _research,
    "plan_task": _plan,
    "outreach_task": _outreach,
}
