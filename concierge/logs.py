"""Logging for the entry points: our own warnings by default, library chatter only when asked for.

An expected failure (an unreachable model endpoint or database) reaches the user as one
``error: ...`` line naming the variable and the fix. Without this, litellm/crewai, psycopg's
pool, httpx and mem0 print their own retries first (a refused database gave ~10 pool lines).
``--verbose`` (INFO) or ``CONCIERGE_LOG_LEVEL=DEBUG|INFO|WARNING|ERROR`` shows every library's
records at that level.
"""

from __future__ import annotations

import logging
import os

from concierge.errors import ConfigError

LEVEL_VARIABLE = "CONCIERGE_LOG_LEVEL"
_OWN = "concierge"
_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")


class _OwnRecordsOnly(logging.Filter):
    """Pass our own loggers' records; drop the libraries' (they surface as our one-line errors)."""

    def filter(self, record: logging.LogRecord) -> bool:
        return record.name == _OWN or record.name.startswith(f"{_OWN}.")


def requested_level(verbose: bool = False) -> int | None:
    """The level asked for by ``--verbose`` or the environment, or None for the quiet default."""
    raw = os.environ.get(LEVEL_VARIABLE, "").strip().upper()
    if raw and raw not in _LEVELS:
        raise ConfigError(LEVEL_VARIABLE, raw, ", ".join(_LEVELS))
    if raw:
        return int(getattr(logging, raw))
    return logging.INFO if verbose else None


def configure_logging(verbose: bool = False) -> None:
    """One stderr handler on the root logger: quiet by default (our WARNINGs only), everything when asked."""
    level = requested_level(verbose)
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    for old in [h for h in root.handlers if getattr(h, "_concierge", False)]:
        root.removeHandler(old)
    handler._concierge = True  # type: ignore[attr-defined]
    if level is None:
        handler.addFilter(_OwnRecordsOnly())
        handler.setLevel(logging.WARNING)
        root.setLevel(logging.WARNING)
    else:
        handler.setLevel(level)
        root.setLevel(level)
    # A root handler also stops ``logging.error()`` (crewai calls it) from installing its own via basicConfig.
    root.addHandler(handler)
