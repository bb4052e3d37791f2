"""A FAKE mem0 extraction model for tests (unit level), not a product component.

It returns the offline extractor's facts and adds a scripted supersession decision, the way a real
model answers mem0: ``"supersedes"`` lists ids from the "## Existing Memories" section of the prompt.
The test sets ``SCRIPT``: ``rules`` (new fact containing A supersedes each shown memory containing B) or
``raw_ids`` (ids to send as they are, to test that bad ones are refused) and ``key`` (the JSON key used).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from concierge.llm.offline.extraction import OfflineExtractionLLM, OfflineExtractorConfig

PROVIDER = "fake_superseding_model"


@dataclass
class Script:
    rules: list[tuple[str, str]] = field(default_factory=list)
    raw_ids: list[Any] | None = None
    key: str = "supersedes"
    prompts: list[str] = field(default_factory=list)


SCRIPT = Script()


def existing_memories(prompt: str) -> list[dict[str, Any]]:
    header = "## Existing Memories\n"
    if header not in prompt:
        return []
    listed, _ = json.JSONDecoder().raw_decode(prompt, prompt.index(header) + len(header))
    return listed


class FakeSupersedingModel(OfflineExtractionLLM):
    def generate_response(self, messages: list[dict[str, str]], response_format: Any = None, **kwargs: Any) -> str:
        answer = json.loads(super().generate_response(messages, response_format, **kwargs))
        prompt = messages[-1]["content"]
        SCRIPT.prompts.append(prompt)
        shown = existing_memories(prompt)
        for item in answer["memory"]:
            if SCRIPT.raw_ids is not None:
                item[SCRIPT.key] = SCRIPT.raw_ids
                continue
            ids = [e["id"] for new, old in SCRIPT.rules if new in item["text"] for e in shown if old in e["text"]]
            if ids:
                item[SCRIPT.key] = ids
        return json.dumps(answer)


def register() -> str:
    from mem0.utils.factory import LlmFactory

    LlmFactory.register_provider(PROVIDER, f"{__name__}.FakeSupersedingModel", OfflineExtractorConfig)
    return PROVIDER
