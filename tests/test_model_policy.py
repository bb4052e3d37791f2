"""One retry policy and one timeout for every model call (crew and mem0's extraction), and a malformed model
reply as an error naming the endpoint: driven through the SCRIPTED model server, counting its requests."""

from __future__ import annotations

from collections.abc import Iterator

import openai
import pytest

from concierge.errors import ModelError
from concierge.model_retry import CREWAI_TARGET, MAX_ATTEMPTS, OPENAI_SDK_TARGET, PolicyOpenAI
from concierge.service import ConciergeService
from concierge.settings import Settings
from tests.model_server import Fault, ModelServer, model_settings


@pytest.fixture
def model() -> Iterator[ModelServer]:
    with ModelServer(api_key="test-key") as server:
        yield server


@pytest.fixture
def remote(settings: Settings, model: ModelServer) -> Iterator[ConciergeService]:
    service = ConciergeService.from_settings(model_settings(settings, model))
    yield service
    service.close()


def test_the_policy_targets_the_installed_sdk() -> None:
    """PolicyOpenAI overrides the SDK's retry hook: a new major version must be looked at again."""
    assert openai.__version__.startswith(OPENAI_SDK_TARGET)
    assert callable(getattr(openai.OpenAI, "_should_retry", None))
    assert callable(getattr(openai.OpenAI, "_parse_retry_after_header", None))


def test_the_crewai_hooks_exist_in_the_installed_version() -> None:
    """apply_to_crewai replaces crewAI's client and its rate-limit loop: a new version must be looked at again."""
    import crewai
    import crewai.llms.retry
    from crewai.llms.providers.openai.completion import OpenAICompletion

    assert crewai.__version__.startswith(CREWAI_TARGET)
    assert isinstance(crewai.llms.retry._LLM_RATE_LIMIT_MAX_ATTEMPTS, int)
    assert "_client" in OpenAICompletion.__private_attributes__ and callable(OpenAICompletion._get_client_params)


@pytest.mark.parametrize("fault", [Fault("http_500"), Fault("http_429", retry_after=0.05)])
def test_extraction_failure_costs_at_most_the_policy_attempts(
    remote: ConciergeService, model: ModelServer, project: str, fault: Fault
) -> None:
    model.fail("extraction", *[fault] * 5)
    with pytest.raises(ModelError, match=model.base_url):
        remote.remember(remote.scope("alice", project_id=project), "I am allergic to nuts.")
    assert len(model.of("extraction")) == MAX_ATTEMPTS
    assert remote.memories(remote.scope("alice", project_id=project)) == []


def test_a_429_that_clears_after_its_retry_after_stores_the_fact(
    remote: ConciergeService, model: ModelServer, project: str
) -> None:
    model.fail("extraction", Fault("http_429", retry_after=0.05))
    stored = remote.remember(remote.scope("alice", project_id=project), "I am allergic to nuts.")
    assert [m.text for m in stored.stored] == ["User is allergic to nuts"]
    assert [c.status for c in model.of("extraction")] == [429, 200]


def test_a_retry_after_beyond_the_cap_fails_at_once(remote: ConciergeService, model: ModelServer, project: str) -> None:
    model.fail("extraction", Fault("http_429", retry_after=3600))
    with pytest.raises(ModelError, match="429"):
        remote.remember(remote.scope("alice", project_id=project), "I am allergic to nuts.")
    assert len(model.of("extraction")) == 1


def test_extraction_uses_the_settings_timeout(settings: Settings, model: ModelServer, project: str) -> None:
    service = ConciergeService.from_settings(model_settings(settings, model, llm_timeout_seconds=0.5))
    model.fail("extraction", *[Fault("slow", delay=2.0)] * 3)
    try:
        with pytest.raises(ModelError, match=r"did not answer within 0\.5 s"):
            service.remember(service.scope("alice", project_id=project), "I am allergic to nuts.")
    finally:
        service.close()
    assert len(model.of("extraction")) == MAX_ATTEMPTS


@pytest.mark.parametrize("fault", [Fault("http_500"), Fault("http_429", retry_after=0.05), Fault("slow", delay=2.0)])
def test_a_failing_crew_call_costs_at_most_the_policy_attempts(
    settings: Settings, model: ModelServer, project: str, fault: Fault
) -> None:
    service = ConciergeService.from_settings(model_settings(settings, model, llm_timeout_seconds=0.5))
    model.fail("research", *[fault] * 8)
    try:
        with pytest.raises(ModelError, match=model.base_url):
            service.chat(service.scope("alice", project_id=project), "Book dinner in Lyon tomorrow for 2")
    finally:
        service.close()
    assert [c.kind for c in model.calls] == ["reader"] + ["research"] * MAX_ATTEMPTS  # the whole turn: 3 requests


@pytest.mark.parametrize("fault", [Fault("truncated_json"), Fault("malformed_body")])
def test_a_malformed_extraction_reply_is_an_error_naming_the_endpoint(
    remote: ConciergeService, model: ModelServer, project: str, fault: Fault
) -> None:
    model.fail("extraction", *[fault] * MAX_ATTEMPTS)
    alice = remote.scope("alice", project_id=project)
    with pytest.raises(ModelError, match=f"model endpoint {model.base_url}"):
        remote.remember(alice, "I am allergic to nuts.")
    assert remote.memories(alice) == []


def test_the_policy_client_sends_the_key_and_bounds_attempts(settings: Settings, model: ModelServer) -> None:
    from concierge.model_retry import openai_client

    client = openai_client(model_settings(settings, model))
    assert isinstance(client, PolicyOpenAI) and client.max_retries == MAX_ATTEMPTS - 1
    model.fail("other", *[Fault("http_500")] * 5)
    with pytest.raises(openai.InternalServerError):
        client.chat.completions.create(model="scripted", messages=[{"role": "user", "content": "hi"}])
    assert len(model.of("other")) == MAX_ATTEMPTS
    assert all(c.headers.get("Authorization") == "Bearer test-key" for c in model.calls)
