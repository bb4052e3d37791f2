"""Memory inspector for one user: grouped by category, with time, session, delete, export and forget."""

from __future__ import annotations

import json
from collections import defaultdict
from datetime import datetime

import streamlit as st

from concierge import ConciergeError, ConciergeService, MemoryRecord, version_chain
from ui.state import Pane
from ui.text import md_code, md_escape


def _when(created_at: str | None) -> str:
    if not created_at:
        return "?"
    return datetime.fromisoformat(created_at).strftime("%Y-%m-%d %H:%M:%S")


def _grouped(records: list[MemoryRecord]) -> dict[str, list[MemoryRecord]]:
    groups: dict[str, list[MemoryRecord]] = defaultdict(list)
    for record in records:
        groups[record.categories[0] if record.categories else "uncategorised"].append(record)
    return dict(sorted(groups.items()))


def render_inspector(service: ConciergeService, pane: Pane) -> None:
    scope = pane.scope(service)
    try:
        every = service.memories(scope, latest_only=False)  # current ones, and the versions they replaced
    except ConciergeError as exc:
        st.error(f"Memory inspector: {md_escape(str(exc))}")
        return
    records = [r for r in every if r.is_current]
    who = md_code(pane.user_id)
    with st.expander(f"Memory of {who}: {len(records)}", expanded=True):
        if not records:
            st.caption("Nothing remembered yet.")
        for category, items in _grouped(records).items():
            st.markdown(f"**{category}**")
            for record in items:
                text, action = st.columns([5, 1], vertical_alignment="center")
                session = f"session {md_code(record.run_id)}" if record.run_id else "long-term"
                text.text(record.text)  # user-supplied: plain text, never markdown
                text.caption(f"{_when(record.created_at)} · {session}")
                for older in version_chain(every, record.id):
                    if older.id != record.id:  # user-supplied text: plain text, never markdown
                        text.text(
                            f"earlier version: {older.text} (said {_when(older.created_at)}; "
                            f"superseded on {_when(older.superseded_at)} by {older.superseded_by})"
                        )
                delete = f"del-{pane.user_id}-{record.id}"
                if action.button(":material/delete:", key=delete, help=f"Delete this memory ({record.id})"):
                    try:
                        service.delete_memory(scope, record.id)
                    except ConciergeError as exc:
                        st.error(md_escape(str(exc)))
                    st.rerun()
        export, forget = st.columns(2)
        try:
            exported = json.dumps(service.export(scope), ensure_ascii=False, indent=2)
            export.download_button(
                "Export JSON",
                exported,
                file_name=f"{pane.user_id}-memories.json",
                mime="application/json",
                key=f"export-{pane.user_id}",
            )
        except ConciergeError as exc:
            export.error(md_escape(str(exc)))
        confirm = forget.checkbox(f"I mean it: forget {who}", key=f"confirm-forget-{pane.user_id}")
        if forget.button("Forget this user", key=f"forget-{pane.user_id}", disabled=not confirm):
            try:
                count = service.forget(scope)
                pane.notice = f"Forgot {count} memories of {who}."
            except ConciergeError as exc:
                pane.notice = md_escape(str(exc))
            st.rerun()
