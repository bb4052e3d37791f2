"""Process-wide resources: one ConciergeService shared by every browser tab (st.cache_resource)."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from concierge.logs import configure_logging
from concierge.service import ConciergeService
from concierge.shipped import shipped_dir


@st.cache_resource(show_spinner="Starting the concierge: loading models, the catalog and the memory store ...")
def get_service() -> ConciergeService:
    configure_logging()  # library log noise stays out of the server's terminal unless CONCIERGE_LOG_LEVEL asks
    service = ConciergeService.from_settings()
    service.catalog()  # a catalog that cannot be read stops the page here, with its one line
    return service


def warm_up(service: ConciergeService) -> None:
    """Load the crew's parts (crewAI's import, ~2 s, and the catalog index) once, at the end of a page run: the
    first page is drawn before them, and the first user's turn does not wait for them. A message sent meanwhile
    queues behind this run (no second script run, so no import running beside this one)."""
    service.crew_parts()


def scenario_files() -> list[Path]:
    return sorted(shipped_dir("scenarios").glob("*.yaml"))
