"""The one place that turns settings into model providers: mem0's extraction, the crew's model, the turn reader.

It is the composition root of the models: the memory layer sits below the model packages and never imports
them, so ``extractor`` hands it mem0's model, its instructions and what decides that a text states a fact.
``PROVIDERS`` is the registry (like mem0's configs + factory): one entry per ``CONCIERGE_LLM`` value, each naming
how it builds the three. The offline model (``concierge/offline/``) is one entry; this module is the only one
outside that package that imports it, so a team on a real model can delete the package and switch the default.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from concierge.errors import ModelError
from concierge.redact import redact_url
from concierge.settings import Settings

if TYPE_CHECKING:
    from pathlib import Path

    from crewai.llms.base_llm import BaseLLM

    from concierge.by_example import KindsReader
    from concierge.conversation.reader import TurnReader
    from concierge.memory.categories import CategoryClassifier
    from concierge.memory.extractor import Extractor


@dataclass(frozen=True, slots=True)
class Provider:
    """How one kind of model is built for each of its three uses."""

    mem0: Callable[[Settings, CategoryClassifier], tuple[str, dict[str, Any]]]
    crew: Callable[[Settings], BaseLLM]
    reader: Callable[[Settings], TurnReader]


def mem0_llm(settings: Settings, classifier: CategoryClassifier) -> tuple[str, dict[str, Any]]:
    """(provider name, config) for mem0's ``LlmConfig``."""
    return PROVIDERS[settings.llm].mem0(settings, classifier)


def extractor(settings: Settings) -> Extractor:
    """What the memory layer extracts and categorises with (``concierge.memory.providers.build_memory``)."""
    from concierge.memory.categories import CategoryClassifier
    from concierge.memory.extractor import Extractor

    classifier = CategoryClassifier(settings.policy, settings.data_dir / "cache", states_a_fact=states_a_fact)
    return Extractor(classifier, functools.partial(mem0_llm, settings, classifier), extraction_instructions(settings))


def crew_llm(settings: Settings) -> BaseLLM:
    """The crew's model: the offline model, OpenAI, or any OpenAI-compatible endpoint (same choice as mem0's)."""
    return PROVIDERS[settings.llm].crew(settings)


def turn_reader(settings: Settings) -> TurnReader:
    """What reads a chat turn into a typed request and follow-up (``concierge.conversation.reader``)."""
    return PROVIDERS[settings.llm].reader(settings)


def _offline_mem0(settings: Settings, classifier: CategoryClassifier) -> tuple[str, dict[str, Any]]:
    from concierge.offline import extraction

    extraction.register_with_mem0()
    return extraction.MEM0_PROVIDER_NAME, {"classifier": classifier}


def _offline_crew(settings: Settings) -> BaseLLM:
    from concierge.offline.crew_model import OfflineCrewModel

    return OfflineCrewModel(model="offline", relevant=settings.policy.relevant_categories())


def _offline_reader(settings: Settings) -> TurnReader:
    from concierge.offline.reader import OfflineReader

    return OfflineReader()


def _model_reader(settings: Settings) -> TurnReader:
    from concierge.llm.reader import ModelReader

    return ModelReader(settings)


def offline_facts(text: str, classifier: CategoryClassifier) -> list[str]:
    """The offline extractor's facts for ``text`` (the eval's comparison backends store with it, whatever is set)."""
    from concierge.offline.extraction import extract_facts

    return list(extract_facts(text, classifier))


def examples_of(folder: Path, file_name: str) -> KindsReader:
    """The labelled examples of ``folder/file_name`` read by nearest neighbours (the offline reader's machinery):
    the safety readers that run whatever the model (the turn after a retraction) read their own files with it."""
    from concierge.offline.kinds import turn_kinds

    return turn_kinds(folder, None, file_name)


def states_a_fact(text: str) -> bool:
    """Whether ``text`` states something about the user (an exclude for small talk must never drop it)."""
    from concierge.offline.worth import states_a_fact as read

    return read(text)


def _openai_mem0(settings: Settings, classifier: CategoryClassifier) -> tuple[str, dict[str, Any]]:
    from concierge.llm import mem0_openai
    from concierge.model_retry import client_options

    mem0_openai.register_with_mem0()
    options = client_options(settings)
    config: dict[str, Any] = {"model": settings.llm_model, "api_key": options["api_key"], "temperature": 0.0}
    if settings.llm_base_url:  # openai_compatible, or openai with OPENAI_BASE_URL
        config["openai_base_url"] = settings.llm_base_url
    config |= {"client_options": options, "endpoint": model_endpoint(settings)}
    return mem0_openai.MEM0_PROVIDER_NAME, config


def model_endpoint(settings: Settings) -> str:
    """The model endpoint as an error line may name it (credentials and query redacted)."""
    return redact_url(settings.llm_base_url) or "https://api.openai.com/v1"


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


def _openai_crew(settings: Settings) -> BaseLLM:
    from concierge.lean_imports import import_crewai

    import_crewai()
    from crewai import LLM

    from concierge.model_retry import apply_to_crewai, client_options

    common = {k: v for k, v in client_options(settings).items() if k != "base_url"}
    if settings.llm == "openai":
        endpoint = {"base_url": settings.llm_base_url} if settings.llm_base_url else {}  # OPENAI_BASE_URL
        return apply_to_crewai(LLM(model=settings.llm_model, provider="openai", **endpoint, **common))
    return apply_to_crewai(LLM(model=settings.llm_model, custom_openai=True, base_url=settings.llm_base_url, **common))


_OPENAI = Provider(mem0=_openai_mem0, crew=_openai_crew, reader=_model_reader)
PROVIDERS: dict[str, Provider] = {
    "offline": Provider(mem0=_offline_mem0, crew=_offline_crew, reader=_offline_reader),
    "openai": _OPENAI,
    "openai_compatible": _OPENAI,
}


def explain_model_failure(settings: Settings, exc: BaseException) -> ModelError | None:
    """A ModelError naming the variable or URL to fix, if ``exc`` (or its cause) is a provider failure."""
    import openai
    import pydantic

    endpoint = model_endpoint(settings)
    key_var = "LLM_API_KEY" if settings.llm == "openai_compatible" else "OPENAI_API_KEY"
    url_var = "LLM_BASE_URL" if settings.llm == "openai_compatible" else "OPENAI_BASE_URL"  # the one read
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
                f"check {url_var} or raise CONCIERGE_LLM_TIMEOUT_SECONDS"
            )
        if isinstance(current, openai.APIConnectionError):
            return ModelError(f"cannot reach the model endpoint {endpoint}; check {url_var} and that the server runs")
        if isinstance(current, pydantic.ValidationError):
            return ModelError(
                f"the model endpoint {endpoint} answered with a {current.title} that does not fit its schema "
                f"({current.error_count()} error(s)); retry, or choose an LLM_MODEL with structured output"
            )
        if isinstance(current, json.JSONDecodeError | openai.APIResponseValidationError):
            from concierge.llm.mem0_openai import malformed_body

            return ModelError(malformed_body(endpoint))
        if isinstance(current, openai.APIStatusError):
            return ModelError(f"the model endpoint {endpoint} failed with HTTP {current.status_code}; retry later")
        current = current.__cause__ or current.__context__
    return None
