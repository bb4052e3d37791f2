"""The multi-user chat: one pane per user with its own chat, session and memory inspector.

A message becomes a turn of its pane at once and runs on the pane's worker (ui/turns.py); the page then
waits for the turns it shows (``wait_for_turns``), redrawing their progress, and reruns when one ends.
User-supplied text (messages, replies, memories, ids) is shown as plain text: see ui/text.py.
"""

from __future__ import annotations

import time
from collections.abc import Callable

import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from concierge import DRAFT_STATUS_WORDS, ConciergeError, ConciergeService, SessionState, party_words
from ui.inspector import render_inspector
from ui.reply_view import Shown, render_reply
from ui.state import Pane
from ui.text import md_code, md_escape, show_user_id
from ui.turns import QUEUED, Turn

SUGGESTIONS = (
    "I'm vegetarian and I love Lyon",
    "Book a dinner in Paris tomorrow at 8pm",
    "Plan 3 days in Lisbon in May",
    "What do you remember about me?",
)
POLL_SECONDS = 0.3


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
    with st.expander(f"Current plan of this session · turn {state.turn}", icon=":material/event_note:"):
        st.text("\n".join(plan_card_lines(state, pane.user_id)))


def _progress(pane: Pane, turn: Turn) -> str:
    if turn.stage == QUEUED:
        return f":material/hourglass_empty: waiting for {md_code(pane.user_id)}'s previous turn"
    return f":material/progress_activity: {md_code(pane.user_id)}: {md_escape(turn.stage)} ..."


def _render_turn(pane: Pane, turn: Turn, waiting: dict[Turn, tuple[Pane, DeltaGenerator]]) -> None:
    with st.chat_message("user", avatar=":material/person:"):
        st.text(turn.message)
    with st.chat_message("assistant", avatar=":material/concierge:"):
        if turn.pending:
            slot = st.empty()
            slot.caption(_progress(pane, turn))
            waiting[turn] = (pane, slot)
        elif turn.error:
            st.error(md_escape(turn.error), icon=":material/error:")
        elif turn.reply is not None:
            render_reply(Shown.of_reply(turn.reply))
        elif turn.kept is not None:
            render_reply(Shown.of_transcript(pane.user_id, turn.kept))


def new_session(service: ConciergeService, pane: Pane) -> None:
    pane.run_id = service.new_session_id()
    pane.history = []
    kept = len(service.memories(service.scope(pane.user_id)))
    pane.notice = (
        f"New session {md_code(pane.run_id)}: session-only memories of the last session are gone; "
        f"{kept} long-term memories are kept."
    )


def _start_new_session(service: ConciergeService, pane: Pane) -> None:
    try:
        new_session(service, pane)
    except ConciergeError as exc:
        pane.notice = md_escape(str(exc))


def _session_picker(service: ConciergeService, pane: Pane) -> None:
    """Reopen an earlier session of this user: its turns come back from the transcript kept in the store."""
    try:
        earlier = [s for s in service.sessions(service.scope(pane.user_id)) if s.run_id != pane.run_id]
    except ConciergeError as exc:
        st.caption(md_escape(str(exc)))
        return
    if not earlier:
        st.caption("No earlier session with turns (sessions expire like session memories).")
        return
    by_id = {s.run_id: s for s in earlier}

    def label(run_id: str) -> str:
        s = by_id[run_id]
        first = s.first_message if len(s.first_message) <= 40 else s.first_message[:39] + "…"
        return f"{s.last_at[:16].replace('T', ' ')} · {counted_turns(s.turns)} · {first}"

    chosen = st.selectbox("Earlier sessions", list(by_id), format_func=label, key=f"sessions-{pane.user_id}")
    if st.button("Reopen", key=f"reopen-{pane.user_id}", icon=":material/history:") and chosen:
        try:
            pane.open_session(service, chosen)
            pane.notice = f"Reopened session {md_code(chosen)} ({counted_turns(by_id[chosen].turns)})."
        except ConciergeError as exc:
            pane.notice = md_escape(str(exc))
        st.rerun()


def counted_turns(n: int) -> str:
    return f"{n} turn" if n == 1 else f"{n} turns"


def _header(service: ConciergeService, pane: Pane) -> None:
    head, session = st.columns([1, 2], vertical_alignment="bottom")
    head.subheader(md_code(pane.user_id), anchor=False)
    session.caption(f"session {md_code(pane.run_id)}")
    show_user_id(head, pane.user_id)
    button, picker = st.columns(2)
    button.button(
        "New session",
        key=f"new-session-{pane.user_id}",
        help="Start a new session (new run_id)",
        icon=":material/restart_alt:",
        disabled=pane.busy,
        width="stretch",
        on_click=_start_new_session,
        args=(service, pane),
    )
    with picker.popover("Earlier sessions", icon=":material/history:", disabled=pane.busy, width="stretch"):
        _session_picker(service, pane)


def _send(service: ConciergeService, pane: Pane, message: str) -> None:
    pane.notice = None
    pane.send(service, message)


def _send_typed(service: ConciergeService, pane: Pane, key: str) -> None:
    """The chat input's callback. Streamlit runs callbacks before the script, once per submission: read in the
    script body, a message was dropped when a newer event (a message in another pane a moment later) stopped
    the run first. ``st.session_state[key]`` is itself a point where Streamlit stops a run for a newer event,
    and a callback stopped there never runs again; ``to_dict()`` is not such a point."""
    if message := st.session_state.to_dict().get(key):
        _send(service, pane, message)


def _suggestions(service: ConciergeService, pane: Pane) -> None:
    """An empty pane suggests first messages; a click sends one as if typed."""
    st.caption("No messages in this session yet. Try one of these, or type your own:")
    for number, text in enumerate(SUGGESTIONS):
        st.button(
            text,
            key=f"suggest-{pane.user_id}-{number}",
            type="tertiary",
            icon=":material/chat_bubble:",
            on_click=_send,
            args=(service, pane, text),
        )


def render_pane(
    service: ConciergeService, pane: Pane, waiting: dict[Turn, tuple[Pane, DeltaGenerator]], height: int = 620
) -> None:
    _header(service, pane)
    if pane.notice:
        st.info(pane.notice, icon=":material/info:")
    card = st.empty()  # filled after this run's message, so a follow-up shows its new plan at once
    history = st.container(height=height, border=True)
    key = f"chat-{pane.user_id}"
    st.chat_input(f"Message as {pane.user_id}", key=key, on_submit=_send_typed, args=(service, pane, key))
    with history:
        for turn in pane.history:
            _render_turn(pane, turn, waiting)
        if not pane.history:
            _suggestions(service, pane)
    with card.container():
        render_plan_card(service, pane)
    render_inspector(service, pane)


def wait_for_turns(waiting: dict[Turn, tuple[Pane, DeltaGenerator]], due: Callable[[], bool] | None = None) -> None:
    """While turns shown on the page run (or a demo plays: ``due`` says when its next step is), redraw their
    progress and rerun the page when one ends. Each redraw is a point where Streamlit may stop this run for a
    newer event (a message, a click): the turns go on in their workers, and the next run shows them."""
    while waiting or due is not None:
        for turn, (pane, slot) in waiting.items():
            slot.caption(_progress(pane, turn))
        if any(not turn.pending for turn in waiting) or (due is not None and due()):
            st.rerun()
        time.sleep(POLL_SECONDS)
