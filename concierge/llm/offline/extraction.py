"""The offline model as a mem0 LLM provider: user message -> third-person facts, no network.

mem0 sends its extraction prompt; we read the "## New Messages" section, split the user's
words into clauses, keep statements about the user, drop questions and anything the category
classifier places in an excluded category, and answer in mem0's JSON format.
"""

from __future__ import annotations

import json
import re
from typing import Any

from mem0.configs.llms.base import BaseLlmConfig
from mem0.llms.base import LLMBase

from concierge.llm.offline.language import is_question_or_request, mentions_user, split_clauses, to_third_person
from concierge.memory.categories import CategoryClassifier
from concierge.memory.guarded_store import record_dropped

MEM0_PROVIDER_NAME = "concierge_offline"
_NEW_MESSAGES = re.compile(r"## New Messages\n(?P<body>.*?)(?:\n\n## |\Z)", re.DOTALL)
_SPEAKER = re.compile(r"^(user|assistant|system): ", re.MULTILINE)


class OfflineExtractorConfig(BaseLlmConfig):
    def __init__(self, classifier: CategoryClassifier | None = None, **kwargs: Any) -> None:
        super().__init__(**{"model": "offline", **kwargs})
        self.classifier = classifier


def user_turns(prompt: str) -> list[str]:
    """The user's messages in mem0's "## New Messages" section ("user: ..." lines, may span lines)."""
    match = _NEW_MESSAGES.search(prompt)
    if not match:
        return []
    parts = _SPEAKER.split(match.group("body"))
    # split() yields ["", role, text, role, text, ...]
    return [text.strip() for role, text in zip(parts[1::2], parts[2::2], strict=True) if role == "user"]


NOT_ABOUT_THE_USER = "not about the user"


def read_clauses(message: str, classifier: CategoryClassifier | None) -> tuple[list[str], list[tuple[str, str]]]:
    """Third-person facts about the user in ``message`` (in order, once each), and the statements dropped.

    A dropped statement comes as (clause as said, reason): the exclude it matched (``small_talk``) or
    "not about the user". Questions, requests and one-word fragments are neither: the chat answers them.
    """
    facts: list[str] = []
    dropped: list[tuple[str, str]] = []
    for clause in split_clauses(message):
        if len(clause.split()) < 2 or is_question_or_request(clause, message):
            continue
        if not mentions_user(clause):
            dropped.append((clause, NOT_ABOUT_THE_USER))
            continue
        fact = to_third_person(clause)
        verdict = classifier.classify(fact) if classifier is not None else None
        if verdict is not None and not verdict.keep:
            dropped.append((clause, verdict.excluded or "excluded by policy"))
        elif fact not in facts:
            facts.append(fact)
    return facts, list(dict.fromkeys(dropped))


def extract_facts(message: str, classifier: CategoryClassifier | None) -> list[str]:
    """Third-person facts about the user stated in ``message``, in order, without duplicates."""
    return read_clauses(message, classifier)[0]


class OfflineExtractionLLM(LLMBase):
    """Deterministic extraction: same input, same facts; sentences it has never seen work too."""

    config: OfflineExtractorConfig

    def generate_response(
        self,
        messages: list[dict[str, str]],
        response_format: Any = None,
        tools: Any = None,
        tool_choice: str = "auto",
        **kwargs: Any,
    ) -> str:
        prompt = next((m["content"] for m in reversed(messages) if m.get("role") == "user"), "")
        facts: list[str] = []
        for turn in user_turns(prompt):
            found, dropped = read_clauses(turn, self.config.classifier)
            facts += [f for f in found if f not in facts]
            for clause, reason in dropped:  # reported by the add, beside what the store itself refuses
                record_dropped(clause, reason)
        memory = [
            {"id": str(i), "text": f, "attributed_to": "user", "linked_memory_ids": []} for i, f in enumerate(facts)
        ]
        return json.dumps({"memory": memory})


def register_with_mem0() -> None:
    from mem0.utils.factory import LlmFactory

    LlmFactory.register_provider(MEM0_PROVIDER_NAME, f"{__name__}.OfflineExtractionLLM", OfflineExtractorConfig)
