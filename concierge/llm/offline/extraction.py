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

from concierge.llm.offline.language import (
    has_verb,
    is_one_off_request,
    is_question_or_request,
    mentions_user,
    split_clauses,
    split_sentences,
    to_third_person,
)
from concierge.memory.categories import CategoryClassifier
from concierge.needs import detect_needs

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


def _clause_fact(clause: str, message: str, classifier: CategoryClassifier | None) -> str | None:
    """A clause about the user as a third-person fact, or None (questions, requests, small talk, fragments)."""
    if len(clause.split()) < 2 or is_question_or_request(clause, message) or not mentions_user(clause):
        return None
    if is_one_off_request(clause):
        return None
    if not has_verb(clause) and not detect_needs(clause):  # a request's fragment, unless it states a need
        return None
    fact = to_third_person(clause)
    if classifier is not None and not classifier.classify(fact).keep:
        return None
    return fact


def _need_keys(texts: list[str]) -> set[tuple[str, str, bool]]:
    return {(n.need_id, n.holder, n.active) for text in texts for n in detect_needs(text)}


def extract_facts(message: str, classifier: CategoryClassifier | None) -> list[str]:
    """Third-person facts about the user stated in ``message``, in order, without duplicates.

    Clause by clause; but when the clauses' rewrite loses a need the sentence states ("it has to be
    halal", "no nuts at all please, my son's anaphylactic"), the whole sentence is kept, in the third
    person if that still states every need, else as said: no need is dropped or changed on the way in.
    """
    facts: list[str] = []
    for sentence in split_sentences(message):
        found = [f for c in split_clauses(sentence) if (f := _clause_fact(c, message, classifier))]
        said = _need_keys([sentence])
        if said - _need_keys(found):  # the third-person sentence, else the words as said: never a lost need
            rewritten = to_third_person(sentence)
            found.append(rewritten if said <= _need_keys([*found, rewritten]) else sentence)
        facts += [f for f in found if f not in facts]
    return facts


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
            facts += [f for f in extract_facts(turn, self.config.classifier) if f not in facts]
        memory = [
            {"id": str(i), "text": f, "attributed_to": "user", "linked_memory_ids": []} for i, f in enumerate(facts)
        ]
        return json.dumps({"memory": memory})


def register_with_mem0() -> None:
    from mem0.utils.factory import LlmFactory

    LlmFactory.register_provider(MEM0_PROVIDER_NAME, f"{__name__}.OfflineExtractionLLM", OfflineExtractorConfig)
