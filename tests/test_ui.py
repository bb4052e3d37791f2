"""The Streamlit page driven by streamlit.testing.v1.AppTest (in-process, real service, real crew)."""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
import streamlit as st
from pydantic import BaseModel
from streamlit import config as streamlit_config
from streamlit.runtime.secrets import Secrets
from streamlit.testing.v1 import AppTest

from concierge.cli import main
from concierge.errors import StoreUnavailableError
from concierge.runtime_env import PROJECT_ROOT
from concierge.service import ConciergeService
from concierge.settings import Settings
from ui.isolation import IsolationAudit
from ui.reply_view import Shown

APP = str(PROJECT_ROOT / "ui" / "app.py")
PANE_USERS = ("alice", "bob")  # the page's default panes, in the default project
REAL_PROJECTS = ("production", "staging")  # the default project, and the other one a scenario names
DEMO_PROJECTS = ("production-demo", "staging-demo")  # where the Simulate tab writes them instead
HOSTILE = "I love ![pixel](http://evil.example/p.png) and [click me](http://evil.example/x) **loudly**"


@pytest.fixture
def bind_address() -> Iterator[None]:
    """The page as `concierge ui` serves it: bound to localhost (AppTest sets no address)."""
    old = streamlit_config.get_option("server.address")
    streamlit_config.set_option("server.address", "localhost")
    yield
    streamlit_config.set_option("server.address", old)


@pytest.fixture
def app(service: ConciergeService, bind_address: None, monkeypatch: pytest.MonkeyPatch) -> Iterator[AppTest]:
    monkeypatch.delenv("CONCIERGE_UI_PASSWORD", raising=False)
    for project in (*REAL_PROJECTS, *DEMO_PROJECTS):  # start each test from empty memories
        for user in PANE_USERS:
            service.forget(service.scope(user, project_id=project))
    at = AppTest.from_file(APP, default_timeout=180)
    at.run()
    assert not at.exception, at.exception
    yield at


def _open(at: AppTest, page: str) -> AppTest:
    """Switch to one of the app's pages (ui/views/<page>.py) and run it."""
    at.switch_page(f"views/{page}.py").run()
    assert not at.exception, at.exception
    return at


def _say(at: AppTest, user: str, text: str) -> None:
    at.chat_input(key=f"chat-{user}").set_value(text).run()
    assert not at.exception, at.exception


def _as_shown(label: str) -> str:
    """A markdown label as the browser shows it: the page puts ids in code spans."""
    return label.replace("`", "")


def _inspector(at: AppTest, user: str) -> tuple[str, list[str]]:
    box = next(e for e in at.expander if _as_shown(e.label).startswith(f"Memory of {user}:"))
    return _as_shown(box.label), [m.value for m in box.text]


def _markdown_shown(at: AppTest) -> list[str]:
    """Every string the page renders as markdown (bodies and labels)."""
    bodies = [*at.markdown, *at.caption, *at.info, *at.error, *at.success, *at.warning, *at.subheader, *at.title]
    return [e.value for e in bodies] + [e.label for e in at.expander] + [e.label for e in at.checkbox]


def _everything_shown(at: AppTest) -> list[str]:
    return _markdown_shown(at) + [e.value for e in (*at.text, *at.code)] + [str(e.value) for e in at.text_input]


def test_two_users_chat_see_only_their_memories_audit_green_new_session_keeps_long_term(app: AppTest) -> None:
    _say(app, "alice", "I am allergic to nuts and I love Lyon")
    _say(app, "bob", "I'm looking for an apartment in Spain")
    _say(app, "alice", "Plan a dinner for me tomorrow")

    alice_label, alice_items = _inspector(app, "alice")
    bob_label, bob_items = _inspector(app, "bob")
    assert alice_label == "Memory of alice: 2" and bob_label == "Memory of bob: 1"
    alice_text, bob_text = " ".join(alice_items), " ".join(bob_items)
    assert "User is allergic to nuts" in alice_text and "User loves Lyon" in alice_text and "Spain" not in alice_text
    assert "apartment in Spain" in bob_text and "nuts" not in bob_text and "Lyon" not in bob_text
    alice_box = next(e for e in app.expander if _as_shown(e.label).startswith("Memory of alice:"))
    assert "**dietary_preferences**" in [m.value for m in alice_box.markdown]  # grouped by category

    replies = [m.text[0].value for m in app.chat_message if m.name == "assistant" and m.text]
    assert any(r.startswith("Plan for alice") and "Lyon" in r for r in replies)
    used = [e.label for e in app.expander if e.label.startswith("Memory: 2 used")]
    assert used, [e.label for e in app.expander]  # the dinner reply shows the memories it used

    _open(app, "audit").button(key="audit-run").click().run()
    assert [s.value for s in app.success][-1].startswith("All green")
    matrix = app.dataframe[0].value
    assert list(matrix["viewer \\ owner"]) == ["alice", "bob"] and "LEAK" not in matrix.to_string()
    assert list(matrix["alice"]) == ["—", "ok"] and list(matrix["bob"]) == ["ok", "—"]

    _open(app, "chat")
    old_session = app.session_state.panes[0].run_id
    app.button(key="new-session-alice").click().run()
    assert app.session_state.panes[0].run_id != old_session
    assert any("2 long-term memories are kept" in i.value for i in app.info)
    assert _inspector(app, "alice")[0] == "Memory of alice: 2"


def test_errors_show_in_the_pane_and_the_app_keeps_running(app: AppTest, monkeypatch: pytest.MonkeyPatch) -> None:
    def store_down(*args: object, **kwargs: object) -> None:  # FAKE fault at the storage boundary
        raise StoreUnavailableError("the embedded memory store is unreachable; nothing was written")

    with monkeypatch.context() as patch:
        patch.setattr(ConciergeService, "chat", store_down)
        _say(app, "alice", "Plan a dinner in Lyon")
    assert any("memory store is unreachable" in e.value for e in app.error)
    _say(app, "alice", "I love Porto")  # the next turn works
    assert "User loves Porto" in " ".join(_inspector(app, "alice")[1])

    app.sidebar.text_input[0].set_value("bad/id")
    app.sidebar.button[0].click().run()
    assert any("not allowed" in e.value for e in app.sidebar.error)
    app.sidebar.text_input[0].set_value("zoë")
    app.sidebar.button[0].click().run()
    assert [p.user_id for p in app.session_state.panes] == ["alice", "bob", "zoë"]


def _memories(service: ConciergeService, user: str, project: str) -> list[str]:
    return [m.text for m in service.memories(service.scope(user, project_id=project))]


def _demo_box(at: AppTest, user: str, project: str) -> list[str]:
    box = next(e for e in at.expander if _as_shown(e.label).startswith(f"Demo memory of {user} in {project}:"))
    return [t.value for t in box.text]


@pytest.mark.parametrize(
    ("page", "its_widget"),
    [("chat", "chat-alice"), ("simulate", "sim-run"), ("audit", "audit-run"), ("compare", "compare-run")],
)
def test_a_page_runs_alone(app: AppTest, page: str, its_widget: str) -> None:
    """Each view is its own page: opening one renders it and none of the others."""
    others = {"chat-alice", "sim-run", "audit-run", "compare-run"} - {its_widget}
    _open(app, page)
    shown = {e.key for e in (*app.button, *app.chat_input)}
    assert its_widget in shown and not shown & others, shown
    assert app.sidebar.text_input  # the shared sidebar (users, policy) is on every page


def test_simulation_writes_to_the_demo_project_never_the_real_one(app: AppTest, service: ConciergeService) -> None:
    _open(app, "simulate")
    app.selectbox(key="sim-scenario").select("france_vs_spain").run()
    app.button(key="sim-run").click().run()
    assert not app.exception, app.exception
    rows = app.dataframe[0].value
    assert sorted(rows["user"]) == ["alice", "bob"] and not any(rows["error"])
    assert "house in France" in " ".join(_memories(service, "alice", "production-demo"))
    assert "house in France" in " ".join(_demo_box(app, "alice", "production-demo"))
    bob_demo = _demo_box(app, "bob", "production-demo")
    assert bob_demo and "France" not in " ".join(bob_demo)
    _open(app, "chat")
    for user in PANE_USERS:  # the real project, and the panes that show it, are untouched
        assert _memories(service, user, "production") == [], user
        assert _inspector(app, user)[0] == f"Memory of {user}: 0"


def test_simulation_moves_a_scenarios_named_projects_to_demo_projects(app: AppTest, service: ConciergeService) -> None:
    _open(app, "simulate")
    app.selectbox(key="sim-scenario").select("staging_vs_production").run()  # its steps name both projects
    app.button(key="sim-run").click().run()
    assert not app.exception, app.exception
    assert not any(app.dataframe[0].value["error"])
    assert _memories(service, "alice", "production") == [] and _memories(service, "alice", "staging") == []
    production, staging = (" ".join(_memories(service, "alice", p)) for p in DEMO_PROJECTS)
    assert "steak" in production and "Kyoto" not in production
    assert "Kyoto" in staging and "steak" not in staging


def test_compare_counts_the_leaked_memories_it_shows(app: AppTest) -> None:
    """Each column's summary counts the rows it marks LEAK (memories), not the forbidden words found."""
    _open(app, "compare")
    app.button(key="compare-run").click().run()
    assert not app.exception, app.exception
    counted = []
    for column in app.main.columns[:2]:  # ours, then CrewAI's default Memory
        rows = [row for table in column.dataframe for row in table.value.itertuples(index=False)]
        leaks = [memory for verdict, memory in rows if verdict == "LEAK"]
        assert all(verdict in ("LEAK", "ok") for verdict, _ in rows)
        summary = [*column.success, *column.error][0].value
        assert summary.startswith(f"{len(leaks)} leaked memor") and f"of {len(rows)} shown" in summary, summary
        counted.append(leaks)
    ours, default = counted
    assert ours == [] and default, counted
    assert any("Spain" in memory for memory in default) and any("France" in memory for memory in default)


def test_audit_leak_cells_say_leak_in_words(app: AppTest, monkeypatch: pytest.MonkeyPatch) -> None:
    leaked = IsolationAudit(  # FAKE result: isolation holds, so a real audit never shows a leak
        users=PANE_USERS,
        leaks={("alice", "bob"): ("User wants an apartment in Spain",), ("bob", "alice"): ()},
        memories={"alice": 1, "bob": 1},
        probes=2,
        elapsed_ms=1.0,
    )
    monkeypatch.setattr("ui.audit.audit_isolation", lambda service, scopes: leaked)
    _open(app, "audit")
    app.button(key="audit-run").click().run()
    matrix = app.dataframe[0].value.set_index("viewer \\ owner")
    assert matrix.loc["alice", "bob"] == "LEAK" and matrix.loc["bob", "alice"] == "ok"
    assert any("Spain" in t.value and "alice" in t.value for t in app.text)


def test_user_text_renders_as_plain_text_never_markdown(app: AppTest, service: ConciergeService) -> None:
    service.remember(service.scope("alice"), HOSTILE, infer=False)
    app.run()
    assert HOSTILE in _inspector(app, "alice")[1]  # shown verbatim, as text
    _say(app, "alice", "Plan a dinner in [Lyon](http://evil.example/lyon) for me")
    shown_as_text = [t.value for t in app.text]
    assert any("[Lyon](http://evil.example/lyon)" in t for t in shown_as_text)  # the chat message
    assert any(HOSTILE in t for t in shown_as_text if t != HOSTILE)  # the reply or the memories it used
    assert not [v for v in _markdown_shown(app) if "evil.example" in v]


def test_non_ascii_user_ids_are_marked_with_their_characters(app: AppTest) -> None:
    look_alikes = ["\u0430lice", "\uff41lice"]  # Cyrillic a, fullwidth a: distinct users that look like alice
    for user in look_alikes:
        app.sidebar.text_input[0].set_value(user)
        app.sidebar.button[0].click().run()
    assert [p.user_id for p in app.session_state.panes] == ["alice", "bob", *look_alikes]
    for where in (app.main, app.sidebar):
        notes = [c.value for c in where.caption if "non-ASCII" in c.value]
        assert len(notes) == 2, notes  # one per look-alike id, none for alice or bob
        assert "U+0430 CYRILLIC SMALL LETTER A" in notes[0] and "U+FF41 FULLWIDTH LATIN SMALL LETTER A" in notes[1]


def test_non_ascii_note_names_each_character() -> None:
    from ui.text import non_ascii_note

    assert non_ascii_note("alice") is None and non_ascii_note("bob_2@x.org") is None
    note = non_ascii_note("z\u043e\u00eb")  # Cyrillic o, and e with diaeresis
    assert note is not None and "U+043E CYRILLIC SMALL LETTER O" in note and "U+00EB" in note


@pytest.mark.parametrize("source", ["env", "secrets"])
def test_a_shared_password_gates_every_user_and_is_never_shown(
    service: ConciergeService, bind_address: None, monkeypatch: pytest.MonkeyPatch, source: str
) -> None:
    password = "correct horse 7"
    at = AppTest.from_file(APP, default_timeout=180)
    if source == "env":
        monkeypatch.setenv("CONCIERGE_UI_PASSWORD", password)
    else:
        monkeypatch.delenv("CONCIERGE_UI_PASSWORD", raising=False)
        at.secrets["ui_password"] = password
    at.run()
    assert not at.exception, at.exception
    assert not at.chat_input and not at.expander and [b.key for b in at.button] == ["ui-login"]  # the gate only

    at.text_input(key="ui-password").input("correct horse 8")
    at.button(key="ui-login").click().run()
    assert any("Wrong password" in e.value for e in at.error)
    assert not at.chat_input and not at.expander
    assert not [v for v in _everything_shown(at) if "horse" in v]

    at.text_input(key="ui-password").input(password)
    at.button(key="ui-login").click().run()
    assert not at.exception, at.exception
    assert {c.key for c in at.chat_input} == {"chat-alice", "chat-bob"}
    assert not [v for v in _everything_shown(at) if "horse" in v]


def test_wrong_passwords_slow_the_session_down(
    service: ConciergeService, bind_address: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ui import gate

    password = "correct horse 7"
    clock = [1000.0]
    monkeypatch.setattr(gate, "_now", lambda: clock[0])  # the clock stands still unless the test moves it
    monkeypatch.setenv("CONCIERGE_UI_PASSWORD", password)
    at = AppTest.from_file(APP, default_timeout=180)
    at.run()
    for _ in range(gate.FREE_TRIES):
        at.text_input(key="ui-password").input("wrong guess")
        at.button(key="ui-login").click().run()
    assert any("wait 2 s" in e.value for e in at.error)
    at.text_input(key="ui-password").input(password)  # even the right one is not compared yet
    at.button(key="ui-login").click().run()
    assert not at.chat_input and [b.key for b in at.button] == ["ui-login"]
    clock[0] += gate.wait_after(gate.FREE_TRIES)
    at.text_input(key="ui-password").input(password)
    at.button(key="ui-login").click().run()
    assert not at.exception, at.exception
    assert {c.key for c in at.chat_input} == {"chat-alice", "chat-bob"}


def test_the_wait_grows_after_the_free_tries_and_is_capped() -> None:
    from ui.gate import FREE_TRIES, MAX_WAIT_S, wait_after

    waits = [wait_after(n) for n in range(1, 12)]
    assert waits[: FREE_TRIES - 1] == [0.0] * (FREE_TRIES - 1)
    assert all(a < b for a, b in zip(waits[FREE_TRIES - 1 : 7], waits[FREE_TRIES:8], strict=True))
    assert max(waits) == MAX_WAIT_S


def test_an_unreadable_secrets_file_keeps_the_page_closed(
    service: ConciergeService, bind_address: None, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """A typo in secrets.toml must not silently drop the password and open the page to everyone."""
    secrets_file = tmp_path / "secrets.toml"
    secrets_file.write_text('ui_password = "unterminated\n')
    monkeypatch.delenv("CONCIERGE_UI_PASSWORD", raising=False)
    monkeypatch.setattr(st, "secrets", Secrets())  # a fresh reader, not the process-wide cached one
    old = streamlit_config.get_option("secrets.files")
    streamlit_config.set_option("secrets.files", [str(secrets_file)])
    try:
        at = AppTest.from_file(APP, default_timeout=180)
        at.run()
    finally:
        streamlit_config.set_option("secrets.files", old)
    assert not at.chat_input and not at.expander and not at.button
    errors = [e.value for e in at.error]
    assert any("secrets.toml" in e for e in errors) and not [e for e in errors if "unterminated" in e], errors


def test_page_warns_when_it_listens_beyond_this_machine(app: AppTest) -> None:
    assert not [w.value for w in app.warning if "anyone" in w.value]  # localhost: no warning
    streamlit_config.set_option("server.address", "0.0.0.0")  # restored by the bind_address fixture
    app.run()
    warnings = [w.value for w in app.warning if "0.0.0.0" in w.value]
    assert warnings and "CONCIERGE_UI_PASSWORD" in warnings[0], [w.value for w in app.warning]


def test_cli_ui_binds_to_localhost_by_default_and_warns_on_other_addresses(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    started: list[list[str]] = []
    monkeypatch.setattr(os, "execv", lambda path, argv: started.append(argv))  # FAKE: do not start a server
    monkeypatch.setenv("CONCIERGE_UI_PASSWORD", "s3cret-pw")
    assert main(["ui"]) == 0
    argv = started[-1]
    assert argv[argv.index("--server.address") + 1] == "localhost"
    assert argv[argv.index("--logger.hideWelcomeMessage") + 1] == "true"  # else an external-IP look-up on 0.0.0.0
    assert "warning" not in capsys.readouterr().err
    for address in ("0.0.0.0", "192.168.1.20", "::"):
        assert main(["ui", "--address", address]) == 0
        err = capsys.readouterr().err
        assert "warning" in err and address in err and "s3cret-pw" not in err, err
        assert "s3cret-pw" not in " ".join(started[-1])
    assert main(["ui", "--address", "127.0.0.1"]) == 0 and "warning" not in capsys.readouterr().err


def test_inspector_shows_a_memorys_earlier_versions(
    app: AppTest, service: ConciergeService, settings: Settings, tmp_path: Path
) -> None:
    from tests import fake_extraction_model as fake

    # Written by the real backend code on the same store, with a FAKE model deciding the supersession.
    memory = fake.memory_with_fake_model(settings, "embedded", tmp_path)
    try:
        alice = service.scope("alice")
        (old,) = memory.add(alice, "I am vegetarian").stored
        fake.SCRIPT.rules = [("vegan", "vegetarian")]
        (new,) = memory.add(alice, "I am vegan").stored
    finally:
        fake.SCRIPT.__init__()  # type: ignore[misc]
        memory.close()
    app.run()
    label, items = _inspector(app, "alice")
    assert label == "Memory of alice: 1"
    assert new.text in items
    earlier = [t for t in items if t.startswith("earlier version: ")]
    assert len(earlier) == 1 and old.text in earlier[0] and f"by {new.id}" in earlier[0]


def test_a_forget_request_in_chat_removes_the_memory_and_shows_what_went(app: AppTest) -> None:
    _say(app, "alice", "I am allergic to nuts and I love Lyon")
    assert _inspector(app, "alice")[0] == "Memory of alice: 2"
    _say(app, "alice", "Please forget that I'm allergic to nuts")

    label, items = _inspector(app, "alice")
    assert label == "Memory of alice: 1" and "nuts" not in " ".join(items) and "Lyon" in " ".join(items)
    turn = [e for e in app.expander if e.label.startswith("Memory: ")][-1]
    assert "Forgotten by this message" in [c.value for c in turn.caption]
    assert any("User is allergic to nuts" in t.value for t in turn.text)


def test_scratch_that_in_chat_shows_the_earlier_version_current_again(app: AppTest) -> None:
    # Not a need: "scratch that" never deletes a need it does not name (issue 24), so a home city is corrected.
    _say(app, "alice", "I live in Lyon")
    _say(app, "alice", "I live in Madrid now")
    label, items = _inspector(app, "alice")
    assert label == "Memory of alice: 1" and any(t.startswith("earlier version: ") for t in items)
    _say(app, "alice", "scratch that")

    label, items = _inspector(app, "alice")
    assert label == "Memory of alice: 1" and "Lyon" in " ".join(items) and "Madrid" not in " ".join(items)
    assert not any(t.startswith("earlier version: ") for t in items)
    turn = [e for e in app.expander if e.label.startswith("Memory: ")][-1]
    captions = [c.value for c in turn.caption]
    assert "Forgotten by this message" in captions and "Current again after this message" in captions


def test_guided_demo_plays_each_step_into_the_panes_and_ends_on_a_green_audit(
    app: AppTest, service: ConciergeService
) -> None:
    from concierge.demo import demo_files, load_demo

    script = load_demo(next(p for p in demo_files() if p.stem == "france_vs_spain"))
    assert any("France-vs-Spain" in b.label for b in app.button)
    app.button(key="demo-play").click().run()  # the page reruns itself through every step
    assert not app.exception, app.exception
    steps = len(script.steps)
    assert any(i.value.startswith(f"**Step {steps} of {steps}.**") for i in app.info)
    assert [s.value for s in app.success][-1].startswith("All green")
    alice, bob = app.session_state.panes[:2]
    last_say = next(step for step in reversed(script.steps) if step.say)
    for pane in (alice, bob):  # the new session holds the last step's turn only, answered from kept facts
        assert [t.message for t in pane.history] == [last_say.say[pane.user_id]]
        assert pane.history[0].reply is not None
    assert "vegetarian" in alice.history[0].reply.answer and "shellfish" not in alice.history[0].reply.answer
    assert "shellfish" in bob.history[0].reply.answer and "vegetarian" not in bob.history[0].reply.answer
    earlier = service.sessions(service.scope("alice"))
    assert len(earlier) == 2 and earlier[1].turns == sum(1 for s in script.steps[:-2] if "alice" in s.say)


def test_an_earlier_session_reopens_from_its_transcript(app: AppTest) -> None:
    _say(app, "alice", "I am allergic to nuts and I love Lyon")
    _say(app, "alice", "Plan a dinner for me tomorrow")
    first = app.session_state.panes[0].run_id
    app.button(key="new-session-alice").click().run()
    assert app.session_state.panes[0].history == []
    app.selectbox(key="sessions-alice").select(first).run()
    app.button(key="reopen-alice").click().run()
    assert not app.exception, app.exception
    pane = app.session_state.panes[0]
    assert pane.run_id == first and [t.message for t in pane.history][-1] == "Plan a dinner for me tomorrow"
    shown = [t.value for t in app.text]
    assert "I am allergic to nuts and I love Lyon" in shown
    assert any(t.startswith("Plan for alice") for t in shown)  # the reply's full text, from the transcript


def test_reset_demo_users_asks_first_then_forgets_them(app: AppTest, service: ConciergeService) -> None:
    _say(app, "alice", "I am allergic to nuts and I love Lyon")
    assert app.button(key="demo-reset").disabled  # not before "I mean it"
    app.checkbox(key="demo-reset-confirm").check().run()
    app.button(key="demo-reset").click().run()
    assert not app.exception, app.exception
    assert service.memories(service.scope("alice")) == [] and app.session_state.panes[0].history == []
    assert _inspector(app, "alice")[0] == "Memory of alice: 0"


def test_an_empty_pane_suggests_first_messages_that_send_when_clicked(app: AppTest) -> None:
    suggestion = app.button(key="suggest-bob-0")
    text = suggestion.label
    suggestion.click().run()
    assert not app.exception, app.exception
    bob = app.session_state.panes[1]
    assert [t.message for t in bob.history] == [text] and bob.history[0].reply is not None
    assert not [b for b in app.button if b.key and b.key.startswith("suggest-bob-")]  # gone once it has a turn


class BudgetEstimate(BaseModel):
    """A task output model of the kind the add-an-agent recipe adds (no view of its own in the UI)."""

    total_eur: int
    per_person_eur: int
    notes: list[str] = []


def _one_reply(shown: object) -> None:  # run as a script of its own: no names from this module
    from ui.reply_view import render_reply

    render_reply(shown)


def test_an_added_tasks_output_shows_under_its_task_name_beside_the_built_in_views(service: ConciergeService) -> None:
    reply = service.chat(service.scope("olga"), "Book a dinner in Lyon tomorrow at 8pm for 2 people")
    assert reply.plan is not None and reply.plan.chosen is not None and "plan_task" in reply.outputs
    estimate = BudgetEstimate(total_eur=120, per_person_eur=60, notes=["wine not included"])
    reply = dataclasses.replace(reply, outputs={**reply.outputs, "budget_task": estimate})
    at = AppTest.from_function(_one_reply, args=(Shown.of_reply(reply),), default_timeout=30).run()
    assert not at.exception, at.exception
    boxes = {box.label: box for box in at.expander}
    assert "budget task" in boxes and not {"plan task", "research task", "outreach task"} & set(boxes)
    shown = boxes["budget task"].code[0].value.splitlines()
    assert shown == ["total_eur: 120", "per_person_eur: 60", "notes:", "  - wine not included"]
    assert any(f"Plan for olga in {reply.plan.chosen.city}" in m.value for m in at.markdown)  # the card stays


def test_the_crew_loads_beside_the_first_page_once_per_process(settings: Settings) -> None:
    """get_service opens the store only; warm_up loads the catalog and model on a thread, once per process."""
    from ui.resources import _warm_up_started

    fresh = ConciergeService.from_settings(settings)
    try:
        assert fresh._crew_parts is None  # what the first page needs does not include the crew
        thread = _warm_up_started(id(fresh), fresh)
        assert _warm_up_started(id(fresh), fresh) is thread  # one warm-up per process, whatever the number of tabs
        thread.join(timeout=300)
        assert not thread.is_alive() and fresh._crew_parts is not None
        assert fresh.crew_parts() is fresh._crew_parts  # the first turn uses what the warm-up loaded
    finally:
        fresh.close()
