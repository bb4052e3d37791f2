"""A browser event Streamlit's runner has taken reaches its callback even when a newer event is already waiting.

Real Streamlit objects (SessionState, SafeSessionState, a registered widget with a callback); the newer event is
Streamlit's own RerunException raised from the runner's check, as the script runner does. The end-to-end check
(two panes sent within milliseconds, every message kept) is in tests/test_browser.py.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest
from streamlit.proto.WidgetStates_pb2 import WidgetStates
from streamlit.runtime.scriptrunner_utils.exceptions import RerunException
from streamlit.runtime.scriptrunner_utils.script_requests import RerunData
from streamlit.runtime.scriptrunner_utils.script_run_context import ThreadState
from streamlit.runtime.state.common import WidgetMetadata
from streamlit.runtime.state.safe_session_state import SafeSessionState
from streamlit.runtime.state.session_state import SessionState

from ui.streamlit_events import STREAMLITS_OWN, keep_taken_events

SEND = "$$ID-0123456789abcdef-send-carol"


def _newer_event_waiting() -> None:
    """The runner's check when another event came in meanwhile: it hands that one over by raising."""
    raise RerunException(RerunData())


def _deliver_taken_event() -> tuple[list[str], bool]:
    """A run applies the event it took (carol's send) while a newer one waits; what ran, and whether it raised."""
    ran: list[str] = []
    raised = False

    def in_script_thread() -> None:  # Streamlit's thread state is per thread: keep it off pytest's
        nonlocal raised
        ThreadState.initialize(active_script_hash="")
        state = SessionState()
        state.register_widget(
            WidgetMetadata(SEND, bool, bool, "trigger_value", callback=lambda: ran.append("carol's message")), None
        )
        event = WidgetStates()
        sent = event.widgets.add()
        sent.id, sent.trigger_value = SEND, True
        try:
            SafeSessionState(state, _newer_event_waiting).on_script_will_rerun(event)
        except RerunException:
            raised = True

    _in_thread(in_script_thread)
    return ran, raised


def _in_thread(body: Callable[[], None]) -> None:
    failure: list[BaseException] = []

    def run() -> None:
        try:
            body()
        except BaseException as exc:  # re-raised in the test's thread
            failure.append(exc)

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    if failure:
        raise failure[0]


@pytest.fixture
def restore_streamlit(monkeypatch: pytest.MonkeyPatch) -> None:
    """Whatever a test installs on SafeSessionState is undone after it."""
    monkeypatch.setattr(SafeSessionState, "on_script_will_rerun", SafeSessionState.on_script_will_rerun)


def test_streamlit_alone_drops_a_taken_event_when_a_newer_one_waits(restore_streamlit: None) -> None:
    """Why the fix exists (fails once Streamlit fixes it upstream: then drop ui/streamlit_events.py)."""
    assert STREAMLITS_OWN.__module__ == SafeSessionState.__module__  # not the fix: Streamlit's method
    SafeSessionState.on_script_will_rerun = STREAMLITS_OWN  # type: ignore[method-assign]
    ran, raised = _deliver_taken_event()
    assert raised and ran == []


def test_with_the_fix_the_taken_event_runs_its_callback_first(restore_streamlit: None) -> None:
    keep_taken_events()
    keep_taken_events()  # the app installs it on every run
    ran, raised = _deliver_taken_event()
    assert ran == ["carol's message"] and not raised


def test_the_fix_leaves_streamlits_other_checks_for_newer_events(restore_streamlit: None) -> None:
    keep_taken_events()
    safe = SafeSessionState(SessionState(), _newer_event_waiting)
    with pytest.raises(RerunException):
        safe["anything"] = 1  # the script body still stops at once for a newer event
