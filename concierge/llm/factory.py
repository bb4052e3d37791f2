"""The one place that turns settings into LLM providers, for mem0's extraction and for the crew."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from concierge.errors import ModelError
from concierge.memory.categories import CategoryClassifier
from concierge.redact import redact_url
from concierge.settings import Settings

if TYPE_CHECKING:
    from crewai.llms.base_llm import BaseLLM


def mem0_llm(settings: Settings, classifier: CategoryClassifier) -> tuple[str, dict[str, Any]]:
    """(provider name, config) for mem0's ``LlmConfig``."""
    if settings.llm == "offline":
        from concierge.offline import extraction

        extraction.register_with_mem0()
        return extraction.MEM0_PROVIDER_NAME, {"classifier": classifier}
    api_key = settings.llm_api_key.get_secret_value() if settings.llm_api_key else "not-needed"
    config: dict[str, Any] = {"model": settings.llm_model, "api_key": api_key, "temperature": 0.0}
    if settings.llm == "openai_compatible":
        config["openai_base_url"] = settings.llm_base_url
    return "openai", config


# The supersession contract (see concierge.memory.versions): ids from "## Existing Memories", checked in code.
SUPERSEDES_INSTRUCTION = (
    "When a new fact replaces an Existing Memory (same subject and attribute, now changed or no longer true: "
    'a diet, a home city, a seat preference, a budget, a companion\'s need), add "supersedes": [its id] to the '
    "new memory, using the ids exactly as listed under Existing Memories. A superseded memory is hidden from "
    "later answers, so never list a memory that is merely related and still true (linked_memory_ids is for "
    "related memories and hides nothing)."
)


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
    lines.append(SUPERSEDES_INSTRUCTION)
    return "\n".join(lines)


def crew_llm(settings: Settings) -> BaseLLM:
    """The crew's model: the offline model, OpenAI, or any OpenAI-compatible endpoint (same choice as mem0's)."""
    if settings.llm == "offline":
        from concierge.offline.crew_model import OfflineCrewModel

        return OfflineCrewModel(model="offline", relevant=settings.policy.relevant_categories())
    from concierge.lean_imports import import_crewai

    import_crewai()
    from crewai import LLM

    api_key = settings.llm_api_key.get_secret_value() if settings.llm_api_key else "not-needed"
    common: dict[str, Any] = {"api_key": api_key, "timeout": settings.llm_timeout_seconds, "max_retries": 1}
    if settings.llm == "openai":
        return LLM(model=settings.llm_model, provider="openai", **common)
    return LLM(model=settings.llm_model, custom_openai=True, base_url=settings.llm_base_url, **common)


def explain_model_failure(settings: Settings, exc: BaseException) -> ModelError | None:
    """A ModelError naming the variable or URL to fix, if ``exc`` (or its cause) is a provider failure."""
    import openai

    endpoint = redact_url(settings.llm_base_url) or "https://api.openai.com/v1"
    key_var = "LLM_API_KEY" if settings.llm == "openai_compatible" else "OPENAI_API_KEY"
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, openai.AuthenticationError | openai.PermissionDeniedError):
            return ModelError(
                f"the model endpoint {endpoint} rejected the API key (HTTP {current.status_code}); set {key_var}"
            )
        if isinstance(current, openai.NotFoundError):
            return ModelError(
                f"the model endpoint {endpoint} does not serve model {settings.llm_model!r}; set LLM_MODEL"
            )
        if isinstance(current, openai.APITimeoutError):
            return ModelError(
                f"the model endpoint {endpoint} did not answer within {settings.llm_timeout_seconds:g} s; "
                "check LLM_BASE_URL or raise CONCIERGE_LLM_TIMEOUT_SECONDS"
            )
        if isinstance(current, openai.APIConnectionError):
            return ModelError(
                f"cannot reach the model endpoint {endpoint}; check LLM_BASE_URL and that the server runs"
            )
        if isinstance(current, openai.APIStatusError):
            return ModelError(f"the model endpoint {endpoint} failed with HTTP {current.status_code}; retry later")
        current = current.__cause__ or current.__context__
    return None
