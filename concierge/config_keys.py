"""An unknown key in a config file, named with the key it most likely misspells.

Why: pydantic's own words for a key it does not know ("Extra inputs are not permitted") read, after our
"allowed values are", as nonsense, and do not say what was meant. ``default_projet`` in memory.yaml is
reported as "unknown key default_projet; did you mean default_project?" (``difflib``).
"""

from __future__ import annotations

import difflib
import typing
from collections.abc import Sequence

from pydantic import BaseModel
from pydantic_core import ErrorDetails


def _model_in(annotation: object) -> type[BaseModel] | None:
    """The model a field holds (itself, or the items of a tuple/list/optional of it), or None."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    return next((m for arg in typing.get_args(annotation) if (m := _model_in(arg)) is not None), None)


def _model_at(model: type[BaseModel], path: Sequence[int | str]) -> type[BaseModel] | None:
    """The model found by following ``path`` (field names; list indexes are skipped) from ``model``."""
    found: type[BaseModel] | None = model
    for part in path:
        if isinstance(part, int) or found is None:
            continue
        field = found.model_fields.get(part)
        found = _model_in(field.annotation) if field is not None else None
    return found


def unknown_key_problem(error: ErrorDetails, model: type[BaseModel]) -> str | None:
    """For pydantic's "extra_forbidden" error: "unknown key X (under Y); did you mean Z?"; None for other errors."""
    if error["type"] != "extra_forbidden" or not error["loc"]:
        return None
    *parents, key = error["loc"]
    owner = _model_at(model, parents)
    names = sorted(owner.model_fields) if owner is not None else []
    close = difflib.get_close_matches(str(key), names, n=1, cutoff=0.6)
    under = f" (under {'.'.join(map(str, parents))})" if parents else ""
    hint = f"did you mean {close[0]}?" if close else f"the keys allowed there are {', '.join(names)}"
    return f"unknown key {key}{under}; {hint}"
