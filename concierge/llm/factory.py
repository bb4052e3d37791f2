"""The one place that turns settings into LLM providers, for mem0's extraction and for the crew."""

from __future__ import annotations

from typing import Any

from concierge.memory.categories import CategoryClassifier
from concierge.settings import Settings


def mem0_llm(settings: Settings, classifier: CategoryClassifier) -> tuple[str, dict[str, Any]]:
    """(provider name, config) for mem0's ``LlmConfig``."""
    if settings.llm == "offline":
        from concierge.llm.offline import extraction

        extraction.register_with_mem0()
        return extraction.MEM0_PROVIDER_NAME, {"classifier": classifier}
    api_key = settings.llm_api_key.get_secret_value() if settings.llm_api_key else "not-needed"
    config: dict[str, Any] = {"model": settings.llm_model, "api_key": api_key, "temperature": 0.0}
    if settings.llm == "openai_compatible":
        config["openai_base_url"] = settings.llm_base_url
    return "openai", config


def extraction_instructions(settings: Settings) -> str | None:
    """The category policy as instructions for a real LLM (the offline model applies it by embeddings)."""
    if settings.llm == "offline":
        return None
    policy = settings.policy
    kept = set(policy.kept_category_names())
    lines = ["Only extract facts about the user that fit one of these categories:"]
    lines += [f"- {c.name}: {c.description}" for c in policy.categories if c.name in kept]
    if policy.excludes:
        lines.append("Never extract:")
        lines += [f"- {c.name}: {c.description}" for c in policy.excludes]
    lines.append("Write each fact in the third person, starting with 'User'.")
    return "\n".join(lines)
