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
    "STREAMLIT_BROWSER_GATHER_USAGE_STATS": "false",
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
    # crewai uses this both as a folder and as an appdirs name; an absolute path keeps it out of ~.
    os.environ.setdefault("CREWAI_STORAGE_DIR", str(data_dir / "crewai"))
    # mem0 works without spaCy (BM25 lemmas and entity boosts are skipped); say so once, not per call.
    logging.getLogger("mem0.utils.spacy_models").setLevel(logging.ERROR)
    warnings.filterwarnings("ignore", message=".*XDG_RUNTIME_DIR.*")
    quiet_crewai_deprecations()
    # crewai logs this on every call to a model it has no tokenizer for (any custom endpoint); say nothing.
    logging.getLogger("crewai.llms.base_llm").addFilter(
        lambda record: "approximate input token count" not in record.getMessage()
    )


def quiet_crewai_deprecations() -> None:
    """crewai 1.15 warns about its own deprecated fields on every Agent it builds; nothing a user can act on.

    mem0's client module installs a global "default" DeprecationWarning filter on import, so this
    runs again once crewai and mem0 are loaded (from ``concierge.crew``).
    """
    warnings.filterwarnings("ignore", category=DeprecationWarning, module=r"crewai(\.|$)")
    # A bound-method task callback (our progress hook) only matters for crewai checkpointing, unused here.
    warnings.filterwarnings("ignore", message=".*callbacks cannot be serialized.*", category=UserWarning)
