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
from concierge.memory.guarded_store import record_dropped
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


NOT_ABOUT_THE_USER = "not about the user"


def _read_clause(clause: str, message: str, classifier: CategoryClassifier | None) -> tuple[str | None, str | None]:
    """(fact, None); (None, reason) for a statement the policy drops; (None, None) for what the chat answers
    (questions, requests and their fragments)."""
    if len(clause.split()) < 2 or is_question_or_request(clause, message) or is_one_off_request(clause):
        return None, None
    states_a_need = bool(detect_needs(clause))
    if not mentions_user(clause):
        return None, None if states_a_need else NOT_ABOUT_THE_USER  # a need is kept by its sentence (below)
    if not has_verb(clause) and not states_a_need:  # "6 of us", "for me and my two kids"
        return None, None
    fact = to_third_person(clause)
    verdict = classifier.classify(fact) if classifier is not None else None
    if verdict is not None and not verdict.keep:
        return None, verdict.excluded or "excluded by policy"
    return fact, None


def _need_keys(texts: list[str]) -> set[tuple[str, str, bool]]:
    return {(n.need_id, n.holder, n.active) for text in texts for n in detect_needs(text)}


def read_clauses(message: str, classifier: CategoryClassifier | None) -> tuple[list[str], list[tuple[str, str]]]:
    """Third-person facts about the user in ``message`` (in order, once each), and the statements dropped.

    Clause by clause; but when the clauses' rewrite loses a need the sentence states ("it has to be
    halal", "no nuts at all please, my son's anaphylactic"), the whole sentence is kept, in the third
    person if that still states every need, else as said: no need is dropped or changed on the way in.
    A dropped statement comes as (clause as said, reason): the exclude it matched (``small_talk``) or
    "not about the user".
    """
    facts: list[str] = []
    dropped: list[tuple[str, str]] = []
    for sentence in split_sentences(message):
        found: list[str] = []
        for clause in split_clauses(sentence):
            fact, reason = _read_clause(clause, message, classifier)
            if fact is not None:
                found.append(fact)
            elif reason is not None:
                dropped.append((clause, reason))
        said = _need_keys([sentence])
        if said - _need_keys(found):  # the third-person sentence, else the words as said: never a lost need
            rewritten = to_third_person(sentence)
            found.append(rewritten if said <= _need_keys([*found, rewritten]) else sentence)
        facts += [f for f in found if f not in facts]
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
