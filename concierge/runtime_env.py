"""Process environment set before crewai / mem0 are imported: offline, no telemetry, no writes to ~.

Both libraries read these variables at import time, so the entry points (``concierge.cli.main``,
``ui/app.py``) call ``prepare_environment`` first; ``load_settings`` calls it too (it is idempotent).
Importing this module changes nothing. Values already in the environment (or in ``.env``) win; we
only fill in defaults.

The working directory is the instance: ``.env`` and, unless ``CONCIERGE_DATA_DIR`` says otherwise,
``data/state`` are read there (in a checkout, run from the repository root).
"""

from __future__ import annotations

import io
import logging
import os
import re
import sys
import warnings
from pathlib import Path

from dotenv import load_dotenv
from dotenv.parser import parse_stream

from concierge.redact import install_log_redaction

# The source checkout, for tests and benchmarks only: the package itself never reads it (see shipped.py).
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
    # The numpy MiniLM embeds one short text per call: OpenBLAS's thread pool only adds hand-offs, and on a
    # busy 2-core machine a 2-thread product took 0.2-1.2 s where one thread takes 0.03 s.
    "OPENBLAS_NUM_THREADS": "1",
}


def data_dir() -> Path:
    """Where runtime state lives: the one reader of CONCIERGE_DATA_DIR (default ``data/state`` here).

    Called after ``.env`` is loaded into the environment, so a value set there counts.
    """
    raw = os.environ.get("CONCIERGE_DATA_DIR", "").strip()
    return (Path(raw).expanduser() if raw else Path("data") / "state").absolute()


def env_file() -> Path:
    """The ``.env`` file read at start: the one in the working directory."""
    return Path.cwd() / ".env"


def env_file_problem(path: Path | None = None) -> str | None:
    """Why ``.env`` cannot be used (naming the line, never its content), or None when it is fine or absent.

    python-dotenv skips a line it cannot parse without a word, so a typo would silently fall back to
    defaults (the production project, the embedded store); a name set twice silently keeps the last value (writes
    went to the second project), as YAML would, so it is refused too. The file is checked before it is loaded.
    """
    path = path or env_file()
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as exc:
        return f"cannot be read ({exc.strerror}); fix or remove it"
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        return f"line {line} is not valid UTF-8; save the file as UTF-8. Nothing from this file was used"
    first_line: dict[str, int] = {}
    for binding in parse_stream(io.StringIO(text)):
        original = binding.original.string
        line = binding.original.line + original[: len(original) - len(original.lstrip())].count("\n")
        if binding.error:
            name = re.match(r"\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_.]*)\s*=", original)
            what = f" ({name[1]})" if name else ""
            return (
                f"line {line}{what} cannot be parsed (a quote left open, or not NAME=value); fix it. "
                "Nothing from this file was used"
            )
        if binding.key is not None and binding.key in first_line:  # python-dotenv keeps the last one silently
            return (
                f"line {line} ({binding.key}) sets a variable already set on line {first_line[binding.key]}: "
                "keep one. Nothing from this file was used"
            )
        if binding.key is not None:
            first_line[binding.key] = line
    return None


def prepare_environment() -> None:
    """Load ``.env`` (never overriding the real environment) and fill in offline defaults.

    A ``.env`` with a bad line is not loaded at all; ``load_settings`` then reports it (raising here,
    at import time, would be a traceback instead of one clear line).
    """
    install_log_redaction()
    if env_file_problem() is None:
        load_dotenv(env_file(), override=False)
    for key, value in OFFLINE_DEFAULTS.items():
        os.environ.setdefault(key, value)
    state = data_dir()
    os.environ.setdefault("MEM0_DIR", str(state / "mem0"))
    # crewai uses this both as a folder and as an appdirs name; an absolute path keeps it out of ~.
    os.environ.setdefault("CREWAI_STORAGE_DIR", str(state / "crewai"))
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
    quiet_crewai_event_pairing()


def quiet_crewai_event_pairing() -> None:
    """crewai 1.15 prints "[CrewAIEventsBus] Warning: Event pairing mismatch" on STDOUT when a model call fails
    (its failure event closes scopes it never opened), which broke ``ask --json``; the failure itself reaches
    the user as one error line on stderr. A no-op until crewai's event module is loaded."""
    event_context = sys.modules.get("crewai.events.event_context")
    if event_context is None:
        return
    silent = event_context.MismatchBehavior.SILENT
    event_context._default_config.mismatch_behavior = silent
    event_context._default_config.empty_pop_behavior = silent
