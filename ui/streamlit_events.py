"""A browser event the script runner has taken always reaches its callbacks (a fix for Streamlit 1.67.0).

Streamlit hands a run its browser event (a message sent in a pane: a one-shot trigger value, cleared in the
browser once sent), then the run's first step, ``SafeSessionState.on_script_will_rerun``, checks for a newer
event *before* applying the taken one's widget states and running its callbacks. An event arriving in those
few milliseconds (a message sent in another pane at nearly the same moment) stops the run there: the taken
event's callbacks never run and its trigger is gone, so its message was lost. Traced in the server with two
panes sent 4 ms apart: the run that took carol's message raised at that check and only dave's callback ran.

``keep_taken_events`` drops that one early check. Nothing else changes: the taken event's callbacks run (they
only queue a turn, ui/chat.py), and the check Streamlit makes right after them hands over the newer event, so
both messages are sent, in the order they came. Listed in concierge/vendor.py: re-check on a Streamlit update.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from streamlit.proto.WidgetStates_pb2 import WidgetStates
from streamlit.runtime.state.safe_session_state import SafeSessionState

# Streamlit's own method, kept for the test that shows why the fix exists (tests/test_ui_events.py).
STREAMLITS_OWN = SafeSessionState.on_script_will_rerun


def _apply_taken_event(
    self: SafeSessionState,
    fresh_widget_states: WidgetStates | None,
    *,
    replay_trigger_states: WidgetStates | None = None,
    replay_trigger_values: Mapping[str, Any] | None = None,
    is_history_navigation: bool = False,
) -> None:
    """``SafeSessionState.on_script_will_rerun`` of Streamlit 1.67.0 without its leading ``_yield_callback()``."""
    with self._lock:
        self._state.on_script_will_rerun(
            fresh_widget_states,
            replay_trigger_states=replay_trigger_states,
            replay_trigger_values=replay_trigger_values,
            is_history_navigation=is_history_navigation,
        )


def keep_taken_events() -> None:
    """Install the fix (idempotent: the app calls it on every run, before any widget)."""
    SafeSessionState.on_script_will_rerun = _apply_taken_event  # type: ignore[method-assign]
