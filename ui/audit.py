"""Isolation audit: a green/red matrix of every user's scope against every other user's memories."""

from __future__ import annotations

from collections.abc import Sequence

import streamlit as st

from concierge import ConciergeError, ConciergeService
from ui.isolation import IsolationAudit, audit_isolation
from ui.state import panes
from ui.text import md_escape

# Words and colour, never colour or an emoji alone: readable without an emoji font or colour vision.
LEAK = "LEAK"
OK = "ok"
_CELL_STYLE = {
    LEAK: "background-color:#fdecea;color:#8a1c12;font-weight:600",
    OK: "background-color:#e6f4ea;color:#1e5631",
}


def coloured(value: object) -> str:
    """A cell's colour for its word (LEAK red, ok green): colour next to the word, never instead of it."""
    return _CELL_STYLE.get(str(value), "")


def render_audit_result(result: IsolationAudit) -> None:
    """The matrix (rows: who looked; columns: whose memories), the verdict, and any leaked texts."""
    import pandas as pd

    names = list(result.users)
    table = pd.DataFrame(
        [
            {"viewer \\ owner": viewer}
            | {owner: "—" if owner == viewer else (LEAK if result.leaks[(viewer, owner)] else OK) for owner in names}
            for viewer in names
        ]
    )
    st.dataframe(table.style.map(coloured), hide_index=True, width="stretch")
    summary = f"{result.probes} probes over {sum(result.memories.values())} memories in {result.elapsed_ms:.0f} ms"
    if result.clean:
        st.success(f"All green: no user was shown another user's memory ({summary}).", icon=":material/verified_user:")
    else:
        st.error(f"Leaks found ({summary}).", icon=":material/gpp_bad:")
        for (viewer, owner), texts in result.leaks.items():
            if texts:
                st.text(f"{LEAK}: {viewer} was shown {owner}'s: " + "; ".join(texts))


def run_audit(service: ConciergeService, users: Sequence[str] | None = None) -> IsolationAudit | None:
    """The audit over the panes' users (or ``users``); an error is shown and gives None."""
    scopes = [service.scope(user) for user in users] if users else [p.scope(service) for p in panes(service)]
    try:
        return audit_isolation(service, scopes)
    except ConciergeError as exc:
        st.error(md_escape(str(exc)))
        return None


def render_audit(service: ConciergeService) -> None:
    st.markdown(
        "Probes each user's memory scope with every other user's stored facts (as search queries) "
        "and compares ids. A cell marked LEAK (red) means the row's user was shown the column user's memory; "
        "ok (green) means they were not."
    )
    if not st.button("Run isolation audit", type="primary", key="audit-run", icon=":material/policy:"):
        return
    if (result := run_audit(service)) is not None:
        render_audit_result(result)
