"""One retry policy and one timeout for every model call: the crew, the turn reader and mem0's extraction.

Each of them ends in an ``openai`` client, and each library had its own retries on top of the SDK's: crewAI's
agent re-ran a failed task twice (``max_retry_limit``), so one 500 cost 6 requests, a timeout 6 waits; mem0
built its client with the SDK defaults (2 retries, a 600 s timeout), and crewAI 1.15 wraps every LLM call in
its own rate-limit loop (3 attempts, any ``Retry-After``): one 429 cost 18 requests. Here every client is
built by ``openai_client``, every crewAI agent gets ``AGENT_RETRIES`` and crewAI's loop makes one attempt,
so a model call costs at most ``MAX_ATTEMPTS`` requests, each bounded by ``CONCIERGE_LLM_TIMEOUT_SECONDS``.

A 429 or 503 naming a ``Retry-After`` of at most ``RETRY_AFTER_CAP_SECONDS`` is retried after that wait; a
longer one fails at once (the error names the endpoint; waiting minutes inside a chat turn is worse).
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

import httpx
import openai

if TYPE_CHECKING:
    from concierge.settings import Settings

MAX_ATTEMPTS = 2  # requests per model call, the first one included
RETRY_AFTER_CAP_SECONDS = 10.0  # the longest server-asked wait a call honours before its one retry
AGENT_RETRIES = 0  # crewAI's own re-runs of a failed task (its default 2 multiplied the SDK's retries)
OPENAI_SDK_TARGET = "2."  # the SDK major version whose retry hooks PolicyOpenAI overrides (see the test)


CREWAI_TARGET = "1.15."  # the crewAI version whose rate-limit loop ``apply_to_crewai`` turns off


class PolicyOpenAI(openai.OpenAI):
    """The SDK's client with the ``Retry-After`` cap (the SDK itself waits up to 120 s before a retry)."""

    def _should_retry(self, response: httpx.Response) -> bool:
        wait = self._parse_retry_after_header(response.headers)
        if wait is not None and math.isfinite(wait) and wait > RETRY_AFTER_CAP_SECONDS:
            return False
        return super()._should_retry(response)


def client_options(settings: Settings) -> dict[str, Any]:
    """What every client of the model endpoint is built with: key, base URL, timeout, retries."""
    api_key = settings.llm_api_key.get_secret_value() if settings.llm_api_key else "not-needed"
    options: dict[str, Any] = {
        "api_key": api_key,
        "timeout": settings.llm_timeout_seconds,
        "max_retries": MAX_ATTEMPTS - 1,
    }
    if settings.llm_base_url:  # openai_compatible, or openai with OPENAI_BASE_URL
        options["base_url"] = settings.llm_base_url
    return options


def openai_client(settings: Settings) -> openai.OpenAI:
    """An ``openai`` client under the policy, for any model call the app makes itself (e.g. the turn reader)."""
    return PolicyOpenAI(**client_options(settings))


def apply_to_crewai(llm: Any) -> Any:
    """crewAI's native OpenAI provider under the policy: its sync client replaced by a ``PolicyOpenAI`` built
    from the provider's own parameters (crewai 1.15 ``OpenAICompletion._get_client_params`` / ``_client``), and
    crewAI's process-wide rate-limit loop (``crewai.llms.retry``) down to one attempt."""
    import crewai.llms.retry

    crewai.llms.retry._LLM_RATE_LIMIT_MAX_ATTEMPTS = 1  # type: ignore[misc]  # the client's retry is the one
    llm._client = PolicyOpenAI(**llm._get_client_params())
    return llm
