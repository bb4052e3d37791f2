"""A chat turn is a crewAI Flow, and reading it is a plug-in: the offline rules, or a real model's structured output.

The real-model path runs against the SCRIPTED OpenAI-compatible model server (``tests/model_server.py``, the
external boundary) whose turn readings each test scripts: the model's JSON decides the request, whatever the rules
would read.
"""

from __future__ import annotations

import ast
import json
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from concierge.conversation.followup import price_of
from concierge.errors import ModelError
from concierge.service import ConciergeService
from concierge.settings import Settings
from tests.model_server import ModelServer, remote_settings, service_on_a_model_server

PACKAGE = Path(__file__).parent.parent / "concierge"
# Read by the rules as a statement with no place; the scripted model reads it as a dinner in Lyon for three.
VAGUE = "Hmm, the usual for me and my two sisters tomorrow evening, you know the town"


@pytest.fixture
def remote(settings: Settings) -> Iterator[tuple[ConciergeService, ModelServer]]:
    with service_on_a_model_server(settings) as pair:
        yield pair


def test_the_model_reads_the_turn_and_its_json_becomes_the_request(
    remote: tuple[ConciergeService, ModelServer], project: str
) -> None:
    service, server = remote
    alice = service.scope("alice", project_id=project, run_id="s1")
    server.readings = [{"request": {"intent": "dine", "place": "Lyon", "party_size": 3, "date": "tomorrow"}}]

    reply = service.chat(alice, VAGUE)

    sent = server.of("reader")
    assert len(sent) == 1 and sent[0].words == VAGUE
    assert reply.request.intent == "dine" and reply.request.party_size == 3
    assert reply.request.place is not None and reply.request.place.city == "Lyon"
    assert reply.plan is not None and reply.plan.chosen is not None and reply.plan.chosen.city == "Lyon"
    assert reply.plan.party_size == 3
    assert reply.session is not None and reply.session.request == reply.request


def test_a_follow_up_read_by_the_model_edits_the_sessions_plan(
    remote: tuple[ConciergeService, ModelServer], project: str
) -> None:
    service, server = remote
    alice = service.scope("alice", project_id=project, run_id="s1")
    server.readings = [{"request": {"intent": "dine", "place": "Lyon", "party_size": 3, "date": "tomorrow"}}]
    first = service.chat(alice, VAGUE)
    assert first.plan is not None and first.plan.chosen is not None
    shown = [first.plan.chosen, *first.plan.backups]
    cheaper = [o for o in shown[1:] if price_of(o) < price_of(shown[0])]
    assert cheaper, "the first plan needs a cheaper backup for this test"

    server.readings = [{"request": {"intent": "dine"}, "follow_up": {"kind": "pick", "cheaper": True}}]
    reply = service.chat(alice, "Hmm, something cheaper?")

    reading = server.of("reader")[-1]
    assert reading.words == "Hmm, something cheaper?" and reading.session is not None
    assert first.plan.chosen.id in json.dumps(reading.session["options_shown"])  # the session's state reached it
    assert reply.follow_up is not None and reply.follow_up.cheaper
    assert reply.plan is not None and reply.plan.chosen is not None
    assert reply.plan.chosen.id == min(cheaper, key=price_of).id
    assert reply.plan.party_size == 3 and reply.plan.chosen.city == "Lyon"
    assert reply.session is not None and reply.session.turn == 2


def test_malformed_json_is_asked_once_more_then_one_error_line_and_nothing_stored(
    remote: tuple[ConciergeService, ModelServer], project: str
) -> None:
    service, server = remote
    alice = service.scope("alice", project_id=project, run_id="s1")
    server.readings = [{"request": {"intent": "dine", "place": "Lyon", "party_size": 2, "date": "tomorrow"}}]
    service.chat(alice, "dinner in Lyon tomorrow for two, I am vegan")
    memories, state = service.memories(alice), service.session_state(alice)
    sent_before = len(server.calls)

    server.readings = ['{"request": {"intent": "dine", "party_size"', "Sure! Here is the JSON you asked for."]
    with pytest.raises(ModelError) as failure:
        service.chat(alice, "make it for four, and I am allergic to nuts")

    message = str(failure.value)
    assert len(server.of("reader")) == 3  # the first turn's reading, then this turn's: one retry, no more
    assert len(server.calls) == sent_before + 2  # nothing else was asked: no crew, no extraction
    assert "\n" not in message and server.base_url in message and "test-key" not in message
    assert service.memories(alice) == memories and service.session_state(alice) == state


def test_one_malformed_reading_then_a_good_one_answers_the_turn(
    remote: tuple[ConciergeService, ModelServer], project: str
) -> None:
    service, server = remote
    alice = service.scope("alice", project_id=project)
    server.readings = ["{not json", {"request": {"intent": "memory_question"}}]
    reply = service.chat(alice, "tell me everything about my profile please")
    assert len(server.of("reader")) == 2 and reply.request.intent == "memory_question"


def test_model_values_go_through_the_request_validators(
    remote: tuple[ConciergeService, ModelServer], project: str
) -> None:
    service, server = remote
    alice = service.scope("alice", project_id=project)
    server.readings = [{"request": {"intent": "dine", "place": "Lyon", "party_size": 45}}]
    reply = service.chat(alice, "a table for the whole company in Lyon")
    assert reply.request.party_size is None and reply.request.problems  # refused as the rules would, one sentence
    assert reply.plan is None


def test_the_factory_registers_one_reader_per_model(settings: Settings) -> None:
    from concierge.llm.factory import PROVIDERS, turn_reader
    from concierge.llm.reader import ModelReader

    assert set(PROVIDERS) == {"offline", "openai", "openai_compatible"}
    offline = turn_reader(settings)
    remote = turn_reader(remote_settings(settings, "http://127.0.0.1:9/v1", "k"))
    assert isinstance(remote, ModelReader) and not isinstance(offline, ModelReader)
    assert type(offline).__module__ == "concierge.offline.reader"


def _imports_offline(path: Path) -> bool:
    for node in ast.walk(ast.parse(path.read_text())):
        names = [a.name for a in node.names] if isinstance(node, ast.Import) else []
        if isinstance(node, ast.ImportFrom) and node.module:
            names = [node.module, *(f"{node.module}.{a.name}" for a in node.names)]
        if any(n == "concierge.offline" or n.startswith("concierge.offline.") for n in names):
            return True
    return False


def test_only_the_factory_imports_the_offline_package() -> None:
    outside = [p for p in PACKAGE.rglob("*.py") if "offline" not in p.relative_to(PACKAGE).parts]
    importers = sorted(str(p.relative_to(PACKAGE)) for p in outside if _imports_offline(p))
    assert importers == ["llm/factory.py"]


def test_the_turn_is_a_crewai_flow_run_on_the_callers_thread(service: ConciergeService, project: str) -> None:
    from crewai.flow.flow import Flow

    from concierge.turn.flow import TurnFlow

    assert issubclass(TurnFlow, Flow)
    stages: list[tuple[str, int]] = []
    reply = service.chat(
        service.scope("alice", project_id=project),
        "Dinner in Lyon tomorrow at 8pm for two",
        progress=lambda stage: stages.append((stage, threading.get_ident())),
    )
    assert reply.plan is not None and reply.plan.chosen is not None
    assert len(stages) >= 2 and {ident for _, ident in stages} == {threading.get_ident()}
    assert set(reply.timings_ms) == {"understand", "answer", "store", "total"}


def test_concurrent_turns_from_threads_print_nothing(
    service: ConciergeService, project: str, capfd: pytest.CaptureFixture[str]
) -> None:
    asks = {
        "ann": ("Dinner in Lyon tomorrow at 8pm for two", "dine"),
        "ben": ("what do you know about me?", "memory_question"),
        "cat": ("I am vegan", "statement"),
        "dan": ("a hotel in Porto for 3 nights", "stay"),
    }
    replies: dict[str, object] = {}

    def turn(user: str) -> None:
        try:
            replies[user] = service.chat(service.scope(user, project_id=project, run_id=f"s-{user}"), asks[user][0])
        except Exception as exc:  # reported below, with the user
            replies[user] = exc

    threads = [threading.Thread(target=turn, args=(user,)) for user in asks]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=600)
    for user, (_, intent) in asks.items():
        reply = replies[user]
        assert not isinstance(reply, BaseException), f"{user}: {reply!r}"
        assert reply.user_id == user and reply.request.intent == intent  # type: ignore[attr-defined]
    assert capfd.readouterr().out == ""


def test_a_turn_runs_from_inside_a_running_event_loop(service: ConciergeService, project: str) -> None:
    """An async caller (a web framework's handler) calling the synchronous ``chat``: crewAI runs the flow's own loop
    in a worker thread, and the turn completes."""
    import asyncio

    async def caller() -> str:
        reply = service.chat(service.scope("eve", project_id=project), "what do you know about me?")
        return reply.request.intent

    assert asyncio.run(caller()) == "memory_question"


def test_the_flows_state_carries_the_session_state(service: ConciergeService, project: str) -> None:
    import datetime as dt

    from concierge.turn.flow import TurnFlow, TurnRun

    alice = service.scope("alice", project_id=project, run_id="s1")
    first = service.chat(alice, "Dinner in Lyon tomorrow at 8pm for two")
    assert first.session is not None and first.session.turn == 1

    flow = TurnFlow(TurnRun(service, alice, True, dt.datetime.now(), lambda _stage: None))
    flow.kickoff(inputs={"message": "make it for four"})

    state = flow.state
    assert state.session == first.session  # the session's run_id record, as the turn found it
    assert state.follow_up is not None and state.follow_up.party_size == 4
    assert state.next_session is not None and state.next_session.turn == 2
    assert state.next_session.plan is not None and state.next_session.plan.party_size == 4
    assert flow.reply is not None and flow.reply.session == state.next_session == service.session_state(alice)
