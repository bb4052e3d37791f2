"""Settings sidebar: store and model in use (never a secret), the category policy, and the users shown."""

from __future__ import annotations

import streamlit as st

from concierge import ConciergeError, ConciergeService, validate_id
from ui.state import pane_for, panes, remove_pane
from ui.text import md_escape, show_user_id


def render_sidebar(service: ConciergeService) -> None:
    settings = service.settings
    with st.sidebar:
        st.header("Concierge")
        info = settings.describe()
        st.markdown(f"**Store:** {info['store']}  \n**Model:** {info['model']}")
        st.caption(f"org `{info['org']}` · project `{info['project']}` · memories survive restarts of the app")

        st.subheader("Users")
        with st.form("add-user", clear_on_submit=True, border=False):
            new_user = st.text_input("Add a user", placeholder="e.g. carol, zoë, Alice")
            if st.form_submit_button("Add") and new_user.strip():
                try:
                    pane_for(service, validate_id("user_id", new_user.strip()))
                except (ConciergeError, ValueError) as exc:
                    st.error(md_escape(str(exc)))
        for pane in list(panes(service)):
            name, drop = st.columns([4, 1], vertical_alignment="center")
            name.text(f"{pane.user_id} · {pane.run_id}")
            show_user_id(name, pane.user_id)
            if drop.button("✕", key=f"hide-{pane.user_id}", help="Hide this pane (memories stay)"):
                remove_pane(pane.user_id)
                st.rerun()

        st.subheader("Category policy")
        kept = set(settings.policy.kept_category_names())
        for category in settings.policy.categories:
            mark = "✓" if category.name in kept else "·"
            st.markdown(f"{mark} **{category.name}**: {category.description}")
        for excluded in settings.policy.excludes:
            st.markdown(f"✗ **{excluded.name}** (never stored): {excluded.description}")
