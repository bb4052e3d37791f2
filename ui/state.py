"""Per-browser-tab state: the user panes, each with its own session (run_id), chat history and turn worker."""

from __future__ import annotations

from dataclasses import dataclass, field

import streamlit as st

from concierge import ConciergeService, Scope
from ui.turns import Turn, TurnRunner, finished

DEFAULT_USERS = ("alice", "bob")


@dataclass(slots=True, eq=False)
class Pane:
    user_id: str
    run_id: str
    history: list[Turn] = field(default_factory=list)
    notice: str | None = None  # markdown with user parts escaped, shown at the top of the pane (e.g. "new session")
    runner: TurnRunner | None = None

    def scope(self, service: ConciergeService) -> Scope:
        return service.scope(self.user_id, run_id=self.run_id)

    @property
    def busy(self) -> bool:
        return any(turn.pending for turn in self.history)

    def send(self, service: ConciergeService, message: str) -> Turn:
        """Show the message at once and run its turn on this pane's worker (see ui/turns.py)."""
        turn = Turn(message)
        self.history.append(turn)
        if self.runner is None:
            self.runner = TurnRunner(self.user_id)
        self.runner.submit(service, self.scope(service), turn)
        return turn

    def open_session(self, service: ConciergeService, run_id: str) -> None:
        """Switch to ``run_id``: a new session shows nothing yet, an earlier one its transcript."""
        self.run_id = run_id
        self.history = [finished(kept.message, kept) for kept in service.transcript(self.scope(service))]


def panes(service: ConciergeService) -> list[Pane]:
    if "panes" not in st.session_state:
        st.session_state.panes = [Pane(user, service.new_session_id()) for user in DEFAULT_USERS]
    return st.session_state.panes


def pane_for(service: ConciergeService, user_id: str) -> Pane:
    """The pane of ``user_id`` (validated by the caller), added if missing."""
    return pane_in(panes(service), service, user_id)


def pane_in(shown: list[Pane], service: ConciergeService, user_id: str) -> Pane:
    """``pane_for`` on a list already read: no ``st.session_state`` access, so safe in a widget callback (see
    ``ui.chat._send_typed``)."""
    for pane in shown:
        if pane.user_id == user_id:
            return pane
    pane = Pane(user_id, service.new_session_id())
    shown.append(pane)
    return pane


def remove_pane(user_id: str) -> None:
    st.session_state.panes = [p for p in st.session_state.panes if p.user_id != user_id]
