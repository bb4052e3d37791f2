"""The real-model path against the SCRIPTED model server (issue 20): a failed turn changes nothing and prints
one error line; a model never writes memory; what a turn costs in model calls and tokens."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from concierge.crew.guardrails import DEFAULT_RETRIES
from concierge.errors import ModelError
from concierge.model_retry import MAX_ATTEMPTS
from concierge.service import ConciergeService
from concierge.settings import Settings
from tests.cli_process import run_cli
from tests.model_server import Call, Fault, ModelServer, model_settings, understood

DINNER_PROMPT_TOKEN_BUDGET = 8_000  # issue 20's target for one dinner turn, its reading included (it was ~23,500)
READER_PROMPT_TOKEN_BUDGET = 1_500  # issue 19's turn reader: one call per turn


@pytest.fixture
def model() -> Iterator[ModelServer]:
    with ModelServer(api_key="test-key") as server:
        yield server


@pytest.fixture
def remote(settings: Settings, model: ModelServer) -> Iterator[ConciergeService]:
    service = ConciergeService.from_settings(model_settings(settings, model))
    yield service
    service.close()


def test_a_turn_whose_extraction_fails_keeps_neither_plan_nor_facts(
    remote: ConciergeService, model: ModelServer, project: str
) -> None:
    alice = remote.scope("alice", project_id=project, run_id="s1")
    model.fail("extraction", *[Fault("http_500")] * MAX_ATTEMPTS)
    with pytest.raises(ModelError, match=model.base_url):
        remote.chat(alice, "Book dinner in Lyon tomorrow for 2. I am allergic to sesame.")
    assert model.of("planner") and model.of("outreach")  # the crew had answered: only the store step failed
    assert remote.session_state(alice) is None
    assert remote.memories(alice) == []


def test_a_failed_follow_up_leaves_the_session_as_it_was(
    remote: ConciergeService, model: ModelServer, project: str
) -> None:
    alice = remote.scope("alice", project_id=project, run_id="s1")
    first = remote.chat(alice, "Book dinner in Lyon tomorrow for 2")
    before = remote.session_state(alice)
    assert first.plan is not None and before is not None and before.plan == first.plan

    model.fail("extraction", *[Fault("http_429", retry_after=0.05)] * MAX_ATTEMPTS)
    with pytest.raises(ModelError, match="429"):
        remote.chat(alice, "make it lunch for 3, my friend is vegan")  # a need: stored, so extraction runs
    assert remote.session_state(alice) == before


def test_a_model_cannot_save_to_memory(remote: ConciergeService, model: ModelServer, project: str) -> None:
    """The scripted researcher first tries crewAI's "save to memory" with a fact about ANOTHER user; the tool is
    not offered, so the call fails at crewAI and nothing reaches any scope."""
    default = model.handlers["research"]

    def saving_first(call: Call) -> dict[str, Any]:
        if not any(m.get("role") == "tool" for m in call.messages):
            arguments = json.dumps({"queries": ["User b is allergic to sesame"]})
            tool_call = {
                "id": "call_save",
                "type": "function",
                "function": {"name": "save_to_memory", "arguments": arguments},
            }
            return {"role": "assistant", "content": None, "tool_calls": [tool_call]}
        return default(call)

    model.handlers["research"] = saving_first
    alice = remote.scope("alice", project_id=project, run_id="s1")
    remote.chat(alice, "Book dinner in Lyon tomorrow for 2")
    offered = {name for call in model.of("research") for name in call.tools}
    assert offered and not offered & {"save_to_memory", "search_memory"}
    for user in ("alice", "b"):
        scope = remote.scope(user, project_id=project, run_id="s1")
        assert not any("sesame" in m.text for m in remote.memories(scope))


def test_what_each_kind_of_turn_costs(remote: ConciergeService, model: ModelServer, project: str) -> None:
    alice = remote.scope("alice", project_id=project, run_id="s1")
    remote.remember(alice, "I am allergic to sesame.")

    def cost(text: str) -> list[Call]:
        since = len(model.calls)
        remote.chat(alice, text)
        return model.calls[since:]

    question = cost("What do you remember about me?")
    assert [c.kind for c in question] == ["reader"]  # a question is not extracted
    statement = cost("I prefer a window seat.")
    assert len(statement) <= 2 and [c.kind for c in statement].count("extraction") == 1
    dinner = cost("Book dinner in Lyon tomorrow for 2")
    assert not [c for c in dinner if c.kind == "converter"]  # structured output in the agent's own call
    assert [c.kind for c in dinner].count("research") == 1  # the search's report is the answer: no retelling call
    read = [c for c in dinner if c.kind == "reader"]
    assert len(read) == 1 and read[0].usage["prompt_tokens"] <= READER_PROMPT_TOKEN_BUDGET
    assert sum(c.usage["prompt_tokens"] for c in dinner) <= DINNER_PROMPT_TOKEN_BUDGET
    assert len(model.of("extraction")) == 3  # remember, the statement and the dinner's store step


def test_a_failed_turn_prints_one_error_line_and_nothing_on_stdout(model: ModelServer, tmp_path: Path) -> None:
    model.fail("research", *[Fault("http_500")] * 2 * MAX_ATTEMPTS)
    env = {
        "CONCIERGE_LLM": "openai_compatible",
        "LLM_BASE_URL": model.base_url,
        "LLM_MODEL": "scripted",
        "LLM_API_KEY": "test-key",
    }
    done = run_cli(["ask", "--user", "a", "--json", "Book dinner in Lyon tomorrow for 2"], tmp_path, env)
    assert done.returncode != 0
    assert done.stdout == ""  # no crewAI event-bus warnings: --json output is either JSON or nothing
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and model.base_url in lines[0] and "500" in lines[0]
    assert "test-key" not in done.stderr
    assert len(model.of("research")) == MAX_ATTEMPTS


def test_a_state_write_that_fails_takes_the_turns_facts_back(
    service: ConciergeService, project: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The store failing on the turn's second write (the session state), simulated at that write: the facts the
    message had just stored are retracted, so the failed turn leaves nothing (offline model, real store)."""
    from concierge.errors import StoreUnavailableError

    def store_down(*_: object) -> None:
        raise StoreUnavailableError("the memory store is unreachable (simulated at the session-state write)")

    alice = service.scope("alice", project_id=project, run_id="s1")
    service.remember(alice, "I am vegan.")
    monkeypatch.setattr("concierge.conversation.commit.save_state", store_down)
    with pytest.raises(StoreUnavailableError):
        service.chat(alice, "Book dinner in Lyon tomorrow for 2. I am allergic to sesame.")
    assert [m.text for m in service.memories(alice)] == ["User is vegan"]
    assert service.session_state(alice) is None


def test_the_scripted_model_reads_a_follow_up_with_the_session_it_was_sent(
    remote: ConciergeService, model: ModelServer, project: str
) -> None:
    alice = remote.scope("alice", project_id=project, run_id="s1")
    remote.chat(alice, "Book dinner in Lyon tomorrow for 2")
    reply = remote.chat(alice, "make it lunch for 3")
    sent = model.of("reader")[-1]
    assert sent.words == "make it lunch for 3" and sent.session is not None
    crew = [model.of(kind)[-1] for kind in ("research", "planner", "outreach")]
    assert [c.words for c in crew] == ["make it lunch for 3"] * 3  # the follow-up's own words, not the first ones
    assert sent.session["request"]["intent"] == "dine" and sent.session["party_size"] == 2
    assert reply.follow_up is not None and reply.follow_up.kind == "change"
    assert (reply.request.intent, reply.request.meal, reply.request.party_size) == ("dine", "lunch", 3)
    assert reply.request.place is not None and reply.request.place.city == "Lyon"  # kept from the session


def test_make_it_lunch_is_booked_at_lunch_though_the_crew_model_keeps_to_the_first_request(
    remote: ConciergeService, model: ModelServer, project: str
) -> None:
    """The crew's model answers every call of the follow-up with what the session's first words asked (dinner at
    20:00): the tools search at lunch anyway (the typed request wins), the guardrail rejects each plan, and when
    the retries run out code composes the plan at lunch."""
    first_words = "Book dinner in Lyon tomorrow for 2"
    alice = remote.scope("alice", project_id=project, run_id="s1")
    first = remote.chat(alice, first_words)
    assert first.plan is not None and first.plan.meal == "dinner"
    stale = understood(first_words, None, model.cities, model.today) | {"time": "20:00"}
    model.fail("research", Fault("contradict", overrides=stale))
    model.fail("planner", *[Fault("contradict", overrides=stale)] * (DEFAULT_RETRIES + 1))
    since = len(model.calls)

    reply = remote.chat(alice, "make it lunch")

    turn = model.calls[since:]
    agents = model.roles.values()  # research, planner, outreach and any agent a team added: every one runs
    assert {c.kind: c.words for c in turn if c.kind != "extraction"} == dict.fromkeys(
        ("reader", *agents), "make it lunch"
    )
    planned = [c for c in turn if c.kind == "planner"]
    assert len(planned) == DEFAULT_RETRIES + 1 and all(c.overrides["meal"] == "dinner" for c in planned)
    plan = reply.plan
    assert reply.request.meal == "lunch" and plan is not None and plan.chosen is not None
    assert plan.meal == "lunch" and plan.time is not None and plan.time < dt.time(16)
    assert plan.chosen.city == "Lyon" and plan.party_size == 2
    assert all(o.booking_time is None or o.booking_time < dt.time(16) for o in reply.findings.options())  # type: ignore[union-attr]
    state = remote.session_state(alice)
    assert state is not None and state.plan == plan


def test_a_models_lyon_for_a_paris_request_never_reaches_the_plan(
    remote: ConciergeService, model: ModelServer, project: str, settings: Settings
) -> None:
    """The model searches Lyon for a Paris dinner and then plans a Lyon venue on every try."""
    from concierge.catalog.loader import load_catalog

    lyon = next(r for r in load_catalog(settings.catalog_dir).restaurants if r.city == "Lyon")
    venue = {"id": lyon.id, "name": lyon.name, "kind": "restaurant", "city": "Lyon", "country": "France"}

    def lyon_plan(call: Call) -> dict[str, Any]:
        plan = {"status": "planned", "chosen": venue | {"contact": lyon.reservation_email}, "meal": "dinner"}
        return {"role": "assistant", "content": json.dumps(plan)}

    model.fail("research", Fault("contradict", overrides={"location": "Lyon"}))
    model.handlers["planner"] = lyon_plan
    alice = remote.scope("alice", project_id=project, run_id="s1")

    reply = remote.chat(alice, "Book dinner in Paris tomorrow for 2")

    assert model.of("research")[0].overrides == {"location": "Lyon"}
    assert len(model.of("planner")) == DEFAULT_RETRIES + 1  # rejected each time, then composed in code
    plan = reply.plan
    assert plan is not None and plan.chosen is not None
    assert {o.city for o in [plan.chosen, *plan.backups]} == {"Paris"}
    assert reply.findings is not None and {o.city for o in reply.findings.options()} == {"Paris"}
    assert reply.draft is not None and reply.draft.to == plan.chosen.contact != lyon.reservation_email


@pytest.mark.parametrize("fault", ["unknown_tool", "bad_tool_arguments", "no_tool_call"])
def test_a_dinner_is_planned_when_the_models_first_search_goes_wrong(
    remote: ConciergeService, model: ModelServer, project: str, fault: Any
) -> None:
    """A tool that does not exist, arguments that do not parse, or no tool call at all: the search runs anyway
    (the model's next try, or code from the typed request) and the plan is a real one in the city asked for."""
    model.fail("research", Fault(fault))
    reply = remote.chat(remote.scope("alice", project_id=project, run_id="s1"), "Book dinner in Lyon tomorrow for 2")
    plan = reply.plan
    assert plan is not None and plan.status == "planned" and plan.chosen is not None and plan.chosen.city == "Lyon"
    assert reply.findings is not None and plan.chosen.id in {o.id for o in reply.findings.options("restaurant")}
    assert plan.meal == "dinner" and plan.party_size == 2 and not plan.problems


def test_a_search_of_the_wrong_kind_is_run_again_as_the_request_asks(
    remote: ConciergeService, model: ModelServer, project: str
) -> None:
    """The model searches restaurants for a hotel request: code runs the stay search from the typed request."""

    def restaurants_instead(call: Call) -> dict[str, Any]:
        arguments = json.dumps({"query": "hotel", "location": "Lisbon"})
        function = {"name": "search_restaurants", "arguments": arguments}
        return {
            "role": "assistant",
            "content": None,
            "tool_calls": [{"id": "c1", "type": "function", "function": function}],
        }

    model.handlers["research"] = restaurants_instead
    reply = remote.chat(remote.scope("alice", project_id=project, run_id="s1"), "Find me a hotel in Lisbon")
    assert reply.request.intent == "stay" and reply.findings is not None
    assert [s.tool for s in reply.findings.searches] == ["search_restaurants", "search_stays"]
    plan = reply.plan
    assert plan is not None and plan.chosen is not None and plan.chosen.kind == "stay" and plan.chosen.city == "Lisbon"
