"""A warning, once per process, for ``CONCIERGE_*`` names nothing reads (a typo such as ``CONCIERGE_DATA_DRI``).

Why: a misspelt variable is silently ignored and its default used instead (the production project, the
repository's ``data/state``). Names are checked in the environment and in ``.env``; the closest known name
is suggested (``difflib``). Every variable read outside ``EnvironmentSettings`` is listed in
``OTHER_VARIABLES``: a new reader of a ``CONCIERGE_*`` variable adds its name there.
"""

from __future__ import annotations

import difflib
import logging
import os
from collections.abc import Collection, Iterable
from pathlib import Path

from dotenv import dotenv_values

logger = logging.getLogger(__name__)

PREFIX = "CONCIERGE_"
OTHER_VARIABLES = frozenset(
    {
        "CONCIERGE_DATA_DIR",  # runtime_env.data_dir
        "CONCIERGE_LOG_LEVEL",  # logs.py
        "CONCIERGE_UI_PASSWORD",  # ui/access.py
        "CONCIERGE_DB_CONNECT_TIMEOUT",  # memory/pg_connect.py
        "CONCIERGE_REQUIRE_BROWSER",  # tests/test_browser.py: fail instead of skipping without Chromium
    }
)
_warned: set[str] = set()


def unknown_names(names: Iterable[str], known: Collection[str]) -> list[tuple[str, str | None]]:
    """Each ``CONCIERGE_*`` name not in ``known``, with the closest known name (or None)."""
    found = []
    for name in sorted(set(names)):
        if name.startswith(PREFIX) and name not in known:
            # Compared without the shared prefix, which would make every name look alike.
            suffixes = {k.removeprefix(PREFIX): k for k in known if k.startswith(PREFIX)}
            close = difflib.get_close_matches(name.removeprefix(PREFIX), sorted(suffixes), n=1, cutoff=0.7)
            found.append((name, suffixes[close[0]] if close else None))
    return found


def warn_unknown(known: Collection[str], env_file: Path) -> None:
    """Log one warning per unknown ``CONCIERGE_*`` name in the environment or ``env_file`` (once per process)."""
    in_file = {str(k) for k in dotenv_values(env_file)} if env_file.is_file() else set()
    for name, close in unknown_names([*os.environ, *in_file], known):
        if name in _warned:
            continue
        _warned.add(name)
        where = f" (in {env_file})" if name in in_file else ""
        hint = f"; did you mean {close}?" if close else "; see the README's Configuration section"
        logger.warning("unknown variable %s%s is ignored%s", name, where, hint)
