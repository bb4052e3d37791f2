"""Concierge demo: several users chatting at once, isolated recall, persistence, and a leak comparison.

Start it with ``concierge ui`` (localhost only by default). ``streamlit run ui/app.py`` listens on every
interface unless given ``--server.address``; the page then shows a warning (see ui/gate.py).

Each view is a page (``st.navigation``, files in ui/views/): a click on one page reruns that page only,
not the others. The gate, the shared service and the sidebar are set up here, for every page.
"""

from __future__ import annotations

from pathlib import Path

from concierge.runtime_env import prepare_environment

PAGES = Path(__file__).parent / "views"


def main() -> None:
    prepare_environment()  # before crewai or mem0 is imported: both read it at import time
    import streamlit as st
    from streamlit import config

    from concierge.errors import ConciergeError
    from ui.gate import guard_page
    from ui.resources import get_service
    from ui.sidebar import render_sidebar
    from ui.text import md_escape

    # Streamlit's fast reruns stop the running script on every browser event by starting a new runner with that
    # event alone: a message sent in one pane a moment before another pane's was dropped with the old runner.
    # Without them, events queue on one runner and are merged; the Chat page still answers at once, because its
    # wait for running turns redraws every few tenths of a second (ui/chat.py). Known limit (Streamlit 1.67): an
    # event arriving in the few milliseconds between a run taking the previous event and running its callbacks
    # still replaces it (tests/test_browser.py sends two within milliseconds to catch it).
    config.set_option("runner.fastReruns", False)
    # A local icon: a Material page icon as the tab's icon is fetched from fonts.gstatic.com (offline: an error).
    st.set_page_config(page_title="Concierge", page_icon=str(Path(__file__).parent / "icon.png"), layout="wide")
    guard_page()  # before anything that reads or writes a user's data
    try:
        service = get_service()
    except ConciergeError as exc:
        st.error(f"The concierge could not start: {md_escape(str(exc))}")
        st.stop()
    pages = [
        st.Page(PAGES / "chat.py", title="Chat", icon=":material/forum:", default=True),
        st.Page(PAGES / "simulate.py", title="Simulate", icon=":material/movie:"),
        st.Page(PAGES / "audit.py", title="Isolation audit", icon=":material/lock:"),
        st.Page(PAGES / "compare.py", title="Compare with CrewAI default", icon=":material/compare_arrows:"),
    ]
    page = st.navigation(pages)
    render_sidebar(service)
    page.run()


main()
