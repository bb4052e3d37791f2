"""The Streamlit page driven by streamlit.testing.v1.AppTest (in-process, real service, real crew)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from streamlit.testing.v1 import AppTest

from concierge.errors import StoreUnavailableError
from concierge.runtime_env import PROJECT_ROOT
from concierge.service import ConciergeService

APP = str(PROJECT_ROOT / "ui" / "app.py")
PANE_USERS = ("alice", "bob")  # the page's default panes, in the default project


@pytest.fixture
def app(service: ConciergeService) -> Iterator[AppTest]:
    for user in PANE_USERS:  # the panes use the default project: start each test from empty memories
        service.forget(service.scope(user))
    at = AppTest.from_file(APP, default_timeout=180)
    at.run()
    assert not at.exception, at.exception
    yield at


def _say(at: AppTest, user: str, text: str) -> None:
    at.chat_input(key=f"chat-{user}").set_value(text).run()
    assert not at.exception, at.exception


def _inspector(at: AppTest, user: str) -> tuple[str, list[str]]:
    box = next(e for e in at.expander if e.label.startswith(f"Memory of {user}:"))
    return box.label, [m.value for m in box.markdown]


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
    assert "**dietary_preferences**" in alice_items  # grouped by category

    replies = [m.markdown[0].value for m in app.chat_message if m.name == "assistant" and m.markdown]
    assert any(r.startswith("Plan for alice") and "Lyon" in r for r in replies)
    used = [e.label for e in app.expander if e.label.startswith("Memory: 2 used")]
    assert used, [e.label for e in app.expander]  # the dinner reply shows the memories it used

    app.button(key="audit-run").click().run()
    assert [s.value for s in app.success][-1].startswith("All green")
    matrix = app.dataframe[0].value
    assert list(matrix["viewer \\ owner"]) == ["alice", "bob"] and "🟥 " not in matrix.to_string()

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


def test_simulation_runs_users_concurrently_into_their_panes(app: AppTest) -> None:
    app.selectbox(key="sim-scenario").select("france_vs_spain").run()
    app.button(key="sim-run").click().run()
    assert not app.exception, app.exception
    rows = app.dataframe[0].value
    assert sorted(rows["user"]) == ["alice", "bob"] and not any(rows["error"])
    assert _inspector(app, "alice")[1] and "house in France" in " ".join(_inspector(app, "alice")[1])
    assert "France" not in " ".join(_inspector(app, "bob")[1])


def test_compare_shows_the_default_memory_leaking(app: AppTest) -> None:
    app.button(key="compare-run").click().run()
    assert not app.exception, app.exception
    assert any(s.value.startswith("0 leaks") for s in app.success)
    assert any("leaks" in e.value and not e.value.startswith("0 ") for e in app.error)
    assert any("🟥" in m.value and "Spain" in m.value for m in app.markdown)
