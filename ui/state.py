"""Per-browser-tab state: the user panes, each with its own session (run_id) and chat history."""

from __future__ import annotations

from dataclasses import dataclass, field

import streamlit as st

from concierge.reply import Reply
from concierge.scope import Scope
from concierge.service import ConciergeService

DEFAULT_USERS = ("alice", "bob")


@dataclass(slots=True)
class Turn:
    message: str
    reply: Reply | None = None
    error: str | None = None


@dataclass(slots=True)
class Pane:
    user_id: str
    run_id: str
    history: list[Turn] = field(default_factory=list)
    notice: str | None = None  # markdown with user parts escaped, shown at the top of the pane (e.g. "new session")

    def scope(self, service: ConciergeService) -> Scope:
        return service.scope(self.user_id, run_id=self.run_id)


def panes(service: ConciergeService) -> list[Pane]:
    if "panes" not in st.session_state:
        st.session_state.panes = [Pane(user, service.new_session_id()) for user in DEFAULT_USERS]
    return st.session_state.panes


def pane_for(service: ConciergeService, user_id: str) -> Pane:
    """The pane of ``user_id`` (validated by the caller), added if missing."""
    for pane in panes(service):
        if pane.user_id == user_id:
            return pane
    pane = Pane(user_id, service.new_session_id())
    st.session_state.panes.append(pane)
    return pane


def remove_pane(user_id: str) -> None:
    st.session_state.panes = [p for p in st.session_state.panes if p.user_id != user_id]
