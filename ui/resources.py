"""Process-wide resources: one ConciergeService shared by every browser tab (st.cache_resource)."""

from __future__ import annotations

import contextlib
import threading
from pathlib import Path

import streamlit as st

from concierge.errors import ConciergeError
from concierge.logs import configure_logging
from concierge.service import ConciergeService
from concierge.shipped import shipped_dir


@st.cache_resource(show_spinner="Starting the concierge: loading models, the catalog and the memory store ...")
def get_service() -> ConciergeService:
    configure_logging()  # library log noise stays out of the server's terminal unless CONCIERGE_LOG_LEVEL asks
    service = ConciergeService.from_settings()
    service.catalog()  # a catalog that cannot be read stops the page here, with its one line
    # The crew's parts (crewAI's import, ~2 s, and the catalog index) load beside the first page, not before it
    # and not in the first user's turn: a turn sent sooner waits for them under crew_parts' lock.
    threading.Thread(target=_warm_up, args=(service,), name="concierge-warm-up", daemon=True).start()
    return service


def _warm_up(service: ConciergeService) -> None:
    """The memory store first (the page's session picker waits for it under its lock, rather than importing mem0
    beside crewAI), then the crew's parts. An error here is the page's or the first turn's to show: they build
    the same part again and show its one line."""
    with contextlib.suppress(ConciergeError):
        _ = service.memory
        service.crew_parts()


def scenario_files() -> list[Path]:
    return sorted(shipped_dir("scenarios").glob("*.yaml"))
