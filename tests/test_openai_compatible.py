"""The OpenAI-compatible path end to end: the crew (CrewAI's native OpenAI provider, tool calls) and mem0's
extraction both talk HTTP to the local SCRIPTED model server (``tests/model_server.py``, a fake at the external
boundary); failures name the variable or URL to fix."""

from __future__ import annotations

import datetime as dt
import json
import socket
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from concierge.crew.guardrails import DEFAULT_RETRIES
from concierge.errors import ConfigError, ModelError
from concierge.service import ConciergeService
from concierge.settings import Settings, load_settings
from tests.model_server import Call, Fault, ModelServer, remote_settings


@pytest.fixture
def fake_server() -> Iterator[ModelServer]:
    with ModelServer(api_key="test-key") as server:
        yield server


def _service(settings: Settings, base_url: str, key: str) -> ConciergeService:
    return ConciergeService.from_settings(remote_settings(settings, base_url, key))


def _hostile_plan(option: dict[str, Any]) -> Callable[[Call], dict[str, Any]]:
    """A planner that chooses ``option`` (a venue failing a need, with a made-up contact) and states no need."""

    def answer(call: Call) -> dict[str, Any]:
        plan = {"status": "planned", "chosen": option, "notes": ["a note of the model's own"]}
        return {"role": "assistant", "content": json.dumps(plan)}

    return answer


def _bare_draft(call: Call) -> dict[str, Any]:
    """An outreach writer that states no need, no date and no party."""
    draft = {"to": "reservations@tampered.example", "subject": "Table", "body": "A table please."}
    return {"role": "assistant", "content": json.dumps(draft)}


def test_crew_and_mem0_both_use_the_endpoint(settings: Settings, fake_server: ModelServer, project: str) -> None:
    from concierge.catalog.loader import load_catalog

    lyon = [r for r in load_catalog(settings.catalog_dir).restaurants if r.city == "Lyon"]
    nut_free = {"peanut_free", "tree_nut_free"}
    unsafe = next(r for r in lyon if not nut_free <= set(r.dietary_options))
    # The remote model understood the request its own way, passes NO needs, and picks a venue that fails one.
    friday = dt.date.today() + dt.timedelta(days=(4 - dt.date.today().weekday()) % 7 or 7)
    its_reading = {"query": "a lively bistro", "location": "Lyon", "party_size": 3, "date": friday.isoformat()}
    fake_server.fail("research", Fault("contradict", overrides=its_reading | {"meal": "dinner"}))
    chosen = {"id": unsafe.id, "name": unsafe.name, "kind": "restaurant", "city": "Lyon", "country": "France"}
    fake_server.handlers["planner"] = _hostile_plan(chosen | {"contact": "reservations@tampered.example"})
    fake_server.handlers["outreach"] = _bare_draft
    service = _service(settings, fake_server.base_url, "test-key")
    try:
        alice = service.scope("alice", project_id=project, run_id="s1")
        stored = service.remember(alice, "I am allergic to nuts. I love Lyon.")
        assert {m.text for m in stored.stored} == {"User is allergic to nuts", "User loves Lyon"}

        reply = service.chat(alice.with_run("s2"), "Plan a dinner for me")
    finally:
        service.close()

    calls = fake_server.calls
    assert all(c.path == "/v1/chat/completions" and c.headers["Authorization"] == "Bearer test-key" for c in calls)
    readings, research = fake_server.of("reader"), fake_server.of("research")
    assert len(fake_server.of("extraction")) == 2  # remember() and the chat turn's store step
    assert len(readings) == 1 and readings[0].words == "Plan a dinner for me"  # the model read the turn
    assert len(research) == 1  # one tool call: its report is the research's answer (no retelling call)
    # The plan (an unsafe venue) and the draft (no needs) fail their guardrails every time: each is tried once
    # and retried DEFAULT_RETRIES times with the reason (a typed answer each), then code composes it.
    assert [c.schema_name for c in calls if c.kind in ("planner", "outreach")] == (
        ["Plan"] * (DEFAULT_RETRIES + 1) + ["Draft"] * (DEFAULT_RETRIES + 1)
    )
    offered = set(research[0].tools)
    assert {"search_restaurants", "search_stays", "find_destinations"} <= offered
    assert not offered & {"search_memory", "save_to_memory"}  # issue 20: recalled into the prompt; no model writes
    # The tool call was executed by CrewAI against the real catalog; its typed result is what the planner read.
    findings = reply.findings
    assert findings is not None and [s.place for s in findings.searches] == ["Lyon, France"]
    assert findings.searches[0].needs_applied  # applied from alice's scope although the model passed none
    assert json.dumps(findings.searches[0].options[0].id) in fake_server.of("planner")[0].text
    # The model's arguments filled only what the typed request left open (the date; the user said "for me", so
    # its party of 3 does not stand); code kept the needs and corrected the unsafe choice.
    plan = reply.plan
    assert plan is not None and plan.chosen is not None and plan.chosen.id != unsafe.id
    assert reply.request.party_size is not None and plan.party_size == reply.request.party_size != 3
    assert plan.date == friday and plan.meal == "dinner" and plan.chosen.city == "Lyon"
    catalog = {r.id: r for r in lyon}
    assert all(nut_free <= set(catalog[o.id].dietary_options) for o in [plan.chosen, *plan.backups])
    assert plan.needs and reply.draft is not None and "A table please." not in reply.draft.body  # recomposed
    assert all(n.label in reply.draft.body for n in plan.needs) and str(plan.party_size) in reply.draft.body
    assert plan.chosen.contact == catalog[plan.chosen.id].reservation_email == reply.draft.to  # not the model's copy
    assert "User is allergic to nuts" in research[0].text
    assert {m.text for m in reply.memories_used} >= {"User is allergic to nuts", "User loves Lyon"}


def test_a_rejected_key_names_the_variable_and_url(settings: Settings, fake_server: ModelServer, project: str) -> None:
    service = _service(settings, fake_server.base_url, "wrong-key")
    try:
        with pytest.raises(ModelError) as failure:
            service.chat(service.scope("alice", project_id=project), "Plan a dinner in Lyon")
    finally:
        service.close()
    message = str(failure.value)
    assert "LLM_API_KEY" in message and fake_server.base_url in message and "401" in message
    assert "wrong-key" not in message


def test_an_unreachable_endpoint_names_the_url(settings: Settings, project: str) -> None:
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        dead_url = f"http://127.0.0.1:{probe.getsockname()[1]}/v1"
    service = _service(settings, dead_url, "test-key")
    try:
        with pytest.raises(ModelError, match=f"cannot reach the model endpoint {dead_url}; check LLM_BASE_URL"):
            service.chat(service.scope("alice", project_id=project), "Plan a dinner in Lyon")
    finally:
        service.close()


def test_missing_key_or_url_fails_at_start(monkeypatch: pytest.MonkeyPatch, state_dir: object) -> None:
    monkeypatch.setenv("CONCIERGE_LLM", "openai")
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    with pytest.raises(ConfigError, match="OPENAI_API_KEY"):
        load_settings()
    monkeypatch.setenv("CONCIERGE_LLM", "openai_compatible")
    monkeypatch.setenv("LLM_BASE_URL", "localhost:11434")
    monkeypatch.setenv("LLM_MODEL", "llama3.1")
    with pytest.raises(ConfigError, match="LLM_BASE_URL='localhost:11434'"):
        load_settings()


def test_openai_base_url_is_honoured_beside_openai_api_key(
    fake_server: ModelServer, monkeypatch: pytest.MonkeyPatch, project: str
) -> None:
    """Issue 24, item 12: the key must go to the endpoint the user named, never to the public one instead."""
    from concierge.llm.factory import crew_llm

    monkeypatch.setenv("OPENAI_API_KEY", "test-key")
    monkeypatch.setenv("OPENAI_BASE_URL", fake_server.base_url)
    settings = load_settings()
    assert settings.llm == "openai" and settings.llm_base_url == fake_server.base_url
    assert fake_server.base_url in settings.describe()["model"]
    assert str(getattr(crew_llm(settings), "base_url", "")).rstrip("/") == fake_server.base_url.rstrip("/")
    service = ConciergeService.from_settings(settings)
    try:
        service.remember(service.scope("alice", project_id=project), "I am allergic to nuts")
    finally:
        service.close()
    assert fake_server.calls and all(c.headers["Authorization"] == "Bearer test-key" for c in fake_server.calls)


def test_two_different_base_urls_are_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", "k")
    monkeypatch.setenv("OPENAI_BASE_URL", "http://127.0.0.1:1/v1")
    monkeypatch.setenv("LLM_BASE_URL", "http://127.0.0.1:2/v1")
    monkeypatch.setenv("LLM_MODEL", "m")
    with pytest.raises(ConfigError, match="OPENAI_BASE_URL") as failure:
        load_settings()
    assert "\n" not in str(failure.value)
