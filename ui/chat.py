"""The multi-user chat: one pane per user with its own chat, session and memory inspector.

User-supplied text (messages, replies, memories, ids) is shown as plain text: see ui/text.py.
"""

from __future__ import annotations

import logging

import streamlit as st

from concierge.conversation.state import DRAFT_STATUS_WORDS, SessionState
from concierge.crew.outputs import party_words
from concierge.errors import ConciergeError
from concierge.memory.records import MemoryRecord
from concierge.service import ConciergeService
from ui.inspector import render_inspector
from ui.state import Pane, Turn
from ui.text import md_code, md_escape, show_user_id

logger = logging.getLogger(__name__)


def _memory_lines(records: list[MemoryRecord]) -> str:
    return "\n".join(f"- {m.text} ({', '.join(m.categories) or 'uncategorised'})" for m in records) or "- none"


def _render_turn(turn: Turn) -> None:
    with st.chat_message("user"):
        st.text(turn.message)
    with st.chat_message("assistant"):
        if turn.error:
            st.error(md_escape(turn.error))
            return
        reply = turn.reply
        assert reply is not None
        st.text(reply.answer)
        if reply.draft is not None:
            st.code(reply.draft.text(), language=None, wrap_lines=True)
        timings = " · ".join(f"{k} {v:.0f} ms" for k, v in reply.timings_ms.items())
        with st.expander(f"Memory: {len(reply.memories_used)} used, {len(reply.memories_stored)} stored · {timings}"):
            st.caption("Used by the agents")
            st.text(_memory_lines(reply.memories_used))
            st.caption("Stored from this message")
            st.text(_memory_lines(reply.memories_stored))
            for text, reason in reply.dropped:
                st.text(f"not stored ({reason}): {text}")
            if reply.forgotten is not None and reply.forgotten.deleted:
                st.caption("Forgotten by this message")
                st.text(_memory_lines(list(reply.forgotten.deleted)))
            if reply.forgotten is not None and reply.forgotten.restored:  # a correction: earlier versions are back
                st.caption("Current again after this message")
                st.text(_memory_lines(list(reply.forgotten.restored)))


def plan_card_lines(state: SessionState, user: str) -> list[str]:
    """The current plan as short lines (venue, when, party, needs, draft status); plain text, no markup."""
    plan = state.plan
    if plan is None or plan.chosen is None:
        return [state.summary]
    venue = plan.chosen
    when = f"{plan.date:%A %d %B}" if plan.date else "date to confirm"
    when += f" at {plan.time:%H:%M}" if plan.time else ""
    stay = f", {plan.nights} nights" if plan.nights else ""
    needs = "; ".join(n.phrase(user) for n in plan.needs) or "none"
    return [
        f"Venue: {venue.name} ({venue.city}) [{venue.id}]",
        f"When: {plan.meal + ', ' if plan.meal else ''}{when}{stay}",
        f"Party: {party_words(plan.party_size) if plan.party_size else 'to confirm'}",
        f"Needs: {needs}",
        f"Draft: {DRAFT_STATUS_WORDS[state.draft_status]}",
    ]


def render_plan_card(service: ConciergeService, pane: Pane) -> None:
    """The session's current plan, read from the session's state (so another tab or a restart shows it too)."""
    try:
        state = service.session_state(pane.scope(service))
    except ConciergeError as exc:
        st.caption(md_escape(str(exc)))
        return
    if state is None:
        return
    with st.container(border=True):
        st.caption(f"Current plan · turn {state.turn} of this session")
        st.text("\n".join(plan_card_lines(state, pane.user_id)))


def _send(service: ConciergeService, pane: Pane, message: str) -> None:
    turn = Turn(message)
    who = md_code(pane.user_id)
    try:
        with st.status(f"{who}: the crew is working ...", expanded=False) as status:
            turn.reply = service.chat(pane.scope(service), message, progress=status.text)
            status.update(label=f"{who}: done in {turn.reply.timings_ms['total']:.0f} ms", state="complete")
    except ConciergeError as exc:
        turn.error = str(exc)
    except Exception as exc:  # a bug: keep the app running and say so plainly
        logger.exception("chat turn failed")
        turn.error = f"Unexpected error ({type(exc).__name__}); the details are in the server log."
    pane.history.append(turn)


def new_session(service: ConciergeService, pane: Pane) -> None:
    pane.run_id = service.new_session_id()
    pane.history.clear()
    kept = len(service.memories(service.scope(pane.user_id)))
    pane.notice = (
        f"New session {md_code(pane.run_id)}: session-only memories of the last session are gone; "
        f"{kept} long-term memories are kept."
    )


def render_pane(service: ConciergeService, pane: Pane) -> None:
    head, button = st.columns([3, 2], vertical_alignment="center")
    head.subheader(md_code(pane.user_id), anchor=False)
    show_user_id(head, pane.user_id)
    head.caption(f"session {md_code(pane.run_id)}")
    if button.button("New session", key=f"new-session-{pane.user_id}", help="Start a new session (new run_id)"):
        try:
            new_session(service, pane)
        except ConciergeError as exc:
            pane.notice = md_escape(str(exc))
    if pane.notice:
        st.info(pane.notice)
    card = st.empty()  # filled after this run's message, so a follow-up shows its new plan at once
    history = st.container(height=460, border=True)
    message = st.chat_input(f"Message as {pane.user_id}", key=f"chat-{pane.user_id}")
    if message:
        pane.notice = None
        with history:
            _send(service, pane, message)
    with history:
        for turn in pane.history:
            _render_turn(turn)
        if not pane.history:
            st.caption("No messages in this session yet. Try: I am allergic to nuts and I love Lyon.")
    with card.container():
        render_plan_card(service, pane)
    render_inspector(service, pane)
