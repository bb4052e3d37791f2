"""Concierge demo: several users chatting at once, isolated recall, persistence, and a leak comparison.

Start it with ``concierge ui`` (localhost only by default). ``streamlit run ui/app.py`` listens on every
interface unless given ``--server.address``; the page then shows a warning (see ui/gate.py).
"""

from __future__ import annotations

import streamlit as st

from concierge.errors import ConciergeError
from ui.audit import render_audit
from ui.chat import render_pane
from ui.compare import render_compare
from ui.gate import guard_page
from ui.resources import get_service
from ui.sidebar import render_sidebar
from ui.simulate import render_simulate
from ui.state import panes
from ui.text import md_escape

PANES_PER_ROW = 3


def main() -> None:
    st.set_page_config(page_title="Concierge", page_icon="🧳", layout="wide")
    guard_page()  # before anything that reads or writes a user's data
    try:
        service = get_service()
    except ConciergeError as exc:
        st.error(f"The concierge could not start: {md_escape(str(exc))}")
        st.stop()
    render_sidebar(service)
    chat, simulate, audit, compare = st.tabs(["Chat", "Simulate", "Isolation audit", "Compare with CrewAI default"])
    with chat:
        users = panes(service)
        for start in range(0, len(users), PANES_PER_ROW):
            row = users[start : start + PANES_PER_ROW]
            for column, pane in zip(st.columns(PANES_PER_ROW), row, strict=False):
                with column:
                    render_pane(service, pane)
    with simulate:
        render_simulate(service)
    with audit:
        render_audit(service)
    with compare:
        render_compare(service)


main()
