"""Chat page: the guided demo's controls, then one pane per user, each with its chat, session and memory
inspector (ui/chat.py, ui/demo.py). Two to four panes share the page's width; more wrap to a new row."""

from __future__ import annotations

import streamlit as st

from ui.chat import render_pane, wait_for_turns
from ui.demo import playing, render_demo, step_if_due
from ui.resources import get_service, warm_up
from ui.state import panes

MAX_PER_ROW = 4

service = get_service()
st.title("One concierge, many users, separate memories", anchor=False)
st.caption(
    "Each pane is a different user chatting at the same time: each gets plans built from their own memory "
    "only, and finds it again in a new session. Play the demo, or type in any pane."
)
step_if_due(service)
users = panes(service)
render_demo(service, busy=any(pane.busy for pane in users))
waiting: dict = {}
per_row = max(1, min(len(users), MAX_PER_ROW))
for start in range(0, len(users), per_row):
    for column, pane in zip(st.columns(per_row, gap="medium"), users[start : start + per_row], strict=False):
        with column:
            render_pane(service, pane, waiting)
warm_up(service)  # the crew's catalog and model, once the page is drawn (ui/resources.py)
demo = playing()
wait_for_turns(waiting, demo.due if demo is not None else None)
