"""Process-wide resources: one ConciergeService shared by every browser tab (st.cache_resource).

The first page needs only the memory store (each pane's inspector); the catalog index and the crew's model
(crewAI, ~10 s to import and load on a busy machine) are needed from the first message on. They load on a
thread of their own once the Chat page is drawn (``warm_up``), so the page is up first; a message sent before
they are ready waits for them in its turn ("the crew is working").
"""

from __future__ import annotations

import logging
import threading
from pathlib import Path

import streamlit as st

from concierge import ConciergeError, ConciergeService, configure_logging, shipped_dir

logger = logging.getLogger(__name__)


@st.cache_resource(show_spinner="Starting the concierge: opening the memory store ...")
def get_service() -> ConciergeService:
    configure_logging()  # library log noise stays out of the server's terminal unless CONCIERGE_LOG_LEVEL asks
    return ConciergeService.from_settings()


def _load_crew_parts(service: ConciergeService) -> None:
    try:
        service.crew_parts()
    except ConciergeError as exc:  # the first turn meets it again and shows it in its pane
        logger.debug("crew parts not loaded ahead of the first turn: %s", exc)
    except Exception:  # a bug: the server log says so
        logger.exception("loading the crew's catalog and model failed")


@st.cache_resource(show_spinner=False)
def _warm_up_started(service_id: int, _service: ConciergeService) -> threading.Thread:
    """One thread per service (the app has one per process: ``get_service``); keyed by ``id``, as a service
    is not hashable."""
    thread = threading.Thread(target=_load_crew_parts, args=(_service,), name="crew-warm-up", daemon=True)
    thread.start()
    return thread


def warm_up(service: ConciergeService) -> None:
    """Start loading the catalog index and the crew's model beside the page, once per process."""
    _warm_up_started(id(service), service)


def scenario_files() -> list[Path]:
    return sorted(shipped_dir("scenarios").glob("*.yaml"))
