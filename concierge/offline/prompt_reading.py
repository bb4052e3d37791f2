"""Read what CrewAI puts in front of an agent: the request, recalled memories, context, tool observations.

The offline model works from exactly the text a real model would see; these readers pull the
parts out of CrewAI's standard prompt layout.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

_REQUEST = re.compile(r"Request from (?P<user>[^:\n]+): (?P<request>[^\n]*)")
_ASKED = re.compile(r"^Search words: (?P<asked>[^\n]*)", re.MULTILINE)  # the research task's (config/tasks.yaml)
_MEMORY = re.compile(r"^- \(score=[-0-9.]+\) (?P<text>.+?)(?:\n  categories: (?P<cats>[^\n]+))?$", re.MULTILINE)
_CONTEXT = re.compile(
    r"This is the context you're working with:\n(?P<body>.*?)(?:\n+# Memories from past|\n+Begin!|\Z)", re.S
)
_OBSERVATION = re.compile(r"\nObservation: (?P<body>.*)\Z", re.S)
_ACTION = re.compile(r"^Action: (?P<tool>\S+)", re.MULTILINE)


@dataclass(frozen=True, slots=True)
class Remembered:
    text: str
    categories: tuple[str, ...]


@dataclass(slots=True)
class AgentView:
    user: str
    request: str  # this turn's words
    asked: str = ""  # the words to search with (a follow-up's are those its plan was asked with), if given
    task_text: str = ""  # the whole current task as CrewAI wrote it
    memories: list[Remembered] = field(default_factory=list)
    context: str = ""
    observations: list[str] = field(default_factory=list)
    actions_taken: list[str] = field(default_factory=list)

    @property
    def search_words(self) -> str:
        """What the research searches with: the words its task names, else this turn's."""
        return self.asked or self.request


def _text(message: Any) -> str:
    content = message.get("content") if isinstance(message, dict) else message
    if isinstance(content, list):  # multimodal parts
        return "\n".join(str(p.get("text", "")) for p in content if isinstance(p, dict))
    return str(content or "")


def read_view(messages: str | list[Any]) -> AgentView:
    items = [{"role": "user", "content": messages}] if isinstance(messages, str) else list(messages)
    task_text = next((_text(m) for m in items if m.get("role") == "user" and "Current Task:" in _text(m)), "")
    request = _REQUEST.search(task_text)
    asked = _ASKED.search(task_text)
    view = AgentView(
        user=request.group("user").strip() if request else "the traveller",
        request=request.group("request").strip() if request else task_text.strip()[:500],
        asked=asked.group("asked").strip() if asked else "",
        task_text=task_text,
    )
    seen: set[str] = set()
    for match in _MEMORY.finditer(task_text):
        text = match.group("text").strip()
        if text not in seen:
            seen.add(text)
            cats = tuple(c.strip() for c in (match.group("cats") or "").split(",") if c.strip())
            view.memories.append(Remembered(text, cats))
    if context := _CONTEXT.search(task_text):
        view.context = context.group("body").strip()
    for message in items:
        if message.get("role") != "assistant":
            continue
        text = _text(message)
        if action := _ACTION.search(text):
            view.actions_taken.append(action.group("tool"))
        if observation := _OBSERVATION.search(text):
            view.observations.append(observation.group("body").strip())
    return view
