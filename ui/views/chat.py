"""Chat page: one pane per user, each with its chat, session and memory inspector (ui/chat.py)."""

from __future__ import annotations

import streamlit as st

from ui.chat import render_pane
from ui.resources import get_service
from ui.state import panes

PANES_PER_ROW = 3

service = get_service()
users = panes(service)
for start in range(0, len(users), PANES_PER_ROW):
    row = users[start : start + PANES_PER_ROW]
    for column, pane in zip(st.columns(PANES_PER_ROW), row, strict=False):
        with column:
            render_pane(service, pane)
