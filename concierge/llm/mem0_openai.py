"""mem0's extraction through a real model: mem0's own OpenAI LLM, under the app's retry policy and timeout,
with a compact extraction prompt and a malformed reply turned into an error.

- mem0 2.x builds ``OpenAI(api_key, base_url)`` with the SDK defaults (2 retries, 600 s): the client is
  replaced by ``concierge.model_retry``'s, so extraction follows the same policy as the crew.
- mem0 sends its ``ADDITIVE_EXTRACTION_PROMPT`` (33,000 characters, ~8,400 tokens, built for long chats
  with an assistant) on every ``add``: the app extracts from one user message with its own category policy
  (the custom instructions), so ``EXTRACTION_PROMPT`` states the same output contract in ~1,400 characters.
- mem0 reads a reply that is not JSON as "no memories" (``memory add`` printed "(no memories)", exit 0,
  the fact lost): here it raises ``MalformedReplyError`` naming the endpoint, which mem0 surfaces as its
  ``LLMError`` and the memory layer as a ``ModelError``.
"""

from __future__ import annotations

import json
from typing import Any

import openai
from mem0.configs.llms.openai import OpenAIConfig
from mem0.configs.prompts import ADDITIVE_EXTRACTION_PROMPT
from mem0.llms.openai import OpenAILLM
from mem0.memory.utils import remove_code_blocks

from concierge.errors import ModelError
from concierge.model_retry import PolicyOpenAI

MEM0_PROVIDER_NAME = "concierge_openai"

EXTRACTION_PROMPT = """You extract lasting facts about the user from the user's new message, for a travel and \
dining concierge's memory.

Inputs: "## New Messages" (extract ONLY from these), "## Existing Memories" (for de-duplication and linking: \
never re-extract them), "## Observation Date" (resolve relative dates against it), "## Custom Instructions" \
(the categories to keep and to skip: they take precedence).

Rules:
- One self-contained fact per memory, in the third person, starting with "User" (or "User's <companion>").
- Keep facts the user states about themselves or the people they travel with: needs, diets, allergies, \
preferences, companions, home, budget. A question, a request or a booking order is not a fact: extract \
nothing from "Book dinner in Lyon", "What do you know about me?".
- Skip what an Existing Memory already says; put the ids of related Existing Memories in linked_memory_ids.

Output ONLY JSON: {"memory": [{"id": "0", "text": "User ...", "attributed_to": "user", \
"linked_memory_ids": []}]}, ids "0", "1", ... in order; {"memory": []} when there is nothing to keep."""


class MalformedReplyError(ModelError):
    """The model answered, but not with what was asked (JSON that does not parse)."""


def malformed_body(endpoint: str) -> str:
    return (
        f"the model endpoint {endpoint} answered with a body that is not a chat completion; nothing was "
        "stored: check LLM_BASE_URL (an OpenAI-compatible /v1 URL) and retry"
    )


class PolicyOpenAIConfig(OpenAIConfig):
    """mem0's OpenAI config plus the policy's client options and the endpoint an error names."""

    def __init__(self, *, client_options: dict[str, Any], endpoint: str, **config: Any) -> None:
        super().__init__(**config)
        self.client_options = client_options
        self.endpoint = endpoint


class PolicyOpenAILLM(OpenAILLM):
    """mem0's OpenAI LLM with the app's client, prompt and reply check."""

    config: PolicyOpenAIConfig

    def __init__(self, config: PolicyOpenAIConfig) -> None:
        super().__init__(config)
        self.client = PolicyOpenAI(**config.client_options)

    def generate_response(self, messages: list[dict[str, str]], response_format: Any = None, **kwargs: Any) -> Any:
        if (
            messages
            and messages[0].get("role") == "system"
            and messages[0].get("content") == ADDITIVE_EXTRACTION_PROMPT
        ):
            messages = [{"role": "system", "content": EXTRACTION_PROMPT}, *messages[1:]]
        try:
            reply = super().generate_response(messages, response_format=response_format, **kwargs)
        except (json.JSONDecodeError, openai.APIResponseValidationError) as exc:  # a body that is not a completion
            raise MalformedReplyError(malformed_body(self.config.endpoint)) from exc
        if (response_format or {}).get("type") == "json_object" and isinstance(reply, str):
            self._check_json(reply)
        return reply

    def _check_json(self, reply: str) -> None:
        text = remove_code_blocks(reply).strip()
        try:
            value = json.loads(text, strict=False)
        except json.JSONDecodeError as exc:
            raise MalformedReplyError(
                f"the model endpoint {self.config.endpoint} answered the memory extraction with malformed JSON "
                f"({len(reply)} characters, {exc.msg} at {exc.pos}); nothing was stored: retry, or check LLM_MODEL"
            ) from exc
        if not isinstance(value, dict) or not isinstance(value.get("memory", []), list):
            raise MalformedReplyError(
                f"the model endpoint {self.config.endpoint} answered the memory extraction without a "
                '"memory" list; nothing was stored: retry, or check LLM_MODEL'
            )


def register_with_mem0() -> None:
    from mem0.utils.factory import LlmFactory

    LlmFactory.register_provider(MEM0_PROVIDER_NAME, f"{__name__}.PolicyOpenAILLM", PolicyOpenAIConfig)
