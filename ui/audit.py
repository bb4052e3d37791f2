"""Isolation audit: a green/red matrix of every user's scope against every other user's memories."""

from __future__ import annotations

import streamlit as st

from concierge.audit import audit_isolation
from concierge.errors import ConciergeError
from concierge.service import ConciergeService
from ui.state import panes
from ui.text import md_escape

# Text labels, not colour alone: readable without an emoji font or colour vision.
LEAK = "🟥 LEAK"
OK = "🟩 ok"


def render_audit(service: ConciergeService) -> None:
    users = panes(service)
    st.markdown(
        "Probes each user's memory scope with every other user's stored facts (as search queries) "
        "and compares ids. A cell marked LEAK (red) means the row's user was shown the column user's memory; "
        "ok (green) means they were not."
    )
    if not st.button("Run isolation audit", type="primary", key="audit-run"):
        return
    try:
        result = audit_isolation(service, [pane.scope(service) for pane in users])
    except ConciergeError as exc:
        st.error(md_escape(str(exc)))
        return
    names = list(result.users)
    table = [
        {"viewer \\ owner": viewer}
        | {owner: "—" if owner == viewer else (LEAK if result.leaks[(viewer, owner)] else OK) for owner in names}
        for viewer in names
    ]
    st.dataframe(table, hide_index=True, width="stretch")
    summary = f"{result.probes} probes over {sum(result.memories.values())} memories in {result.elapsed_ms:.0f} ms"
    if result.clean:
        st.success(f"All green: no user was shown another user's memory ({summary}).")
    else:
        st.error(f"Leaks found ({summary}).")
        for (viewer, owner), texts in result.leaks.items():
            if texts:
                st.text(f"{LEAK}: {viewer} was shown {owner}'s: " + "; ".join(texts))
