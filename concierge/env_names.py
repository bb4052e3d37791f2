"""A warning, once per process, for a variable name nothing reads but meant for us (a typo such as ``DATABSE_URL``).

Why: a misspelt variable is silently ignored and its default used instead (the production project, the
repository's ``data/state``, the public OpenAI endpoint). Names are checked in the environment and in
``.env``, and warned about when they are:

- ``CONCIERGE_*`` in any case (``concierge_data_dir``: the names are case-sensitive) and not known;
- any other name close to a known one (``OPENAI_API_KY``, ``DATABSE_URL``, ``database_url``): the
  environment holds many other tools' names, so only a near-miss is ours.

The closest known name is suggested (``difflib``). Every variable read outside ``EnvironmentSettings`` is
listed in ``OTHER_VARIABLES``: a new reader of a ``CONCIERGE_*`` variable adds its name there.
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


# Another name must be this close to a known one to count as its typo: DATABSE_URL (0.96) and QDRANT_URI (0.9) do,
# OPENAI_API_TYPE vs OPENAI_API_BASE (0.8) and AZURE_OPENAI_API_KEY vs OPENAI_API_KEY (0.82), real names, do not.
_NEAR = 0.88


def _closest(name: str, known: Collection[str]) -> str | None:
    """The known name ``name`` most likely misspells, or None."""
    upper = name.upper()
    if upper.startswith(PREFIX):  # compared without the shared prefix, which would make every name look alike
        suffixes = {k.removeprefix(PREFIX): k for k in known if k.startswith(PREFIX)}
        close = difflib.get_close_matches(upper.removeprefix(PREFIX), sorted(suffixes), n=1, cutoff=0.7)
        return suffixes[close[0]] if close else None
    close = difflib.get_close_matches(upper, sorted(k for k in known if not k.startswith(PREFIX)), n=1, cutoff=_NEAR)
    return close[0] if close else None


def unknown_names(names: Iterable[str], known: Collection[str]) -> list[tuple[str, str | None]]:
    """Each name meant for us but not in ``known`` (see the module's rules), with the closest known name (or None)."""
    found = []
    for name in sorted(set(names) - set(known)):
        close = _closest(name, known)
        if close is not None or name.upper().startswith(PREFIX):
            found.append((name, close))
    return found


def warn_unknown(known: Collection[str], env_file: Path) -> None:
    """Log one warning per name meant for us but unknown, in the environment or ``env_file`` (once per process)."""
    in_file = {str(k) for k in dotenv_values(env_file)} if env_file.is_file() else set()
    for name, close in unknown_names([*os.environ, *in_file], known):
        if name in _warned:
            continue
        _warned.add(name)
        where = f" (in {env_file})" if name in in_file else ""
        hint = f"; did you mean {close}?" if close else "; see the README's Configuration section"
        logger.warning("unknown variable %s%s is ignored%s", name, where, hint)
