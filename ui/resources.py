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
    service.crew_parts()  # load the catalog and model now, not in the first user's turn
    return service


def scenario_files() -> list[Path]:
    return sorted(shipped_dir("scenarios").glob("*.yaml"))
