"""Concierge: a CrewAI crew with per-user, per-project Mem0 memory.

The public surface is ``__all__``: the UI, the CLI, the HTTP API and your own code import from here
(``from concierge import ConciergeService, Scope``), never from the modules behind it, which may move.
Importing the package has no side effects and stays cheap: each name is imported on first use (PEP 562),
and the entry points apply the environment defaults (``concierge.runtime_env.prepare_environment``)
before crewai or mem0 is imported.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

# name -> the module that defines it
_EXPORTS: dict[str, str] = {
    "ConciergeService": "concierge.service",
    "Reply": "concierge.reply",
    "Scope": "concierge.scope",
    "Settings": "concierge.settings",
    "load_settings": "concierge.settings",
    "MemoryRecord": "concierge.memory.records",
    "AddResult": "concierge.memory.records",
    "Dropped": "concierge.memory.records",
    "Retraction": "concierge.memory.records",
    "ConciergeError": "concierge.errors",
    "ConfigError": "concierge.errors",
    "ConfigFileError": "concierge.errors",
    "MissingSettingError": "concierge.errors",
    "InvalidInputError": "concierge.errors",
    "FieldError": "concierge.errors",
    "StoreUnavailableError": "concierge.errors",
    "ModelError": "concierge.errors",
    "render_outputs": "concierge.crew.render",
}

__all__ = [
    "AddResult",
    "ConciergeError",
    "ConciergeService",
    "ConfigError",
    "ConfigFileError",
    "Dropped",
    "FieldError",
    "InvalidInputError",
    "MemoryRecord",
    "MissingSettingError",
    "ModelError",
    "Reply",
    "Retraction",
    "Scope",
    "Settings",
    "StoreUnavailableError",
    "__version__",
    "load_settings",
    "render_outputs",
]

if TYPE_CHECKING:
    from concierge.crew.render import render_outputs
    from concierge.errors import (
        ConciergeError,
        ConfigError,
        ConfigFileError,
        FieldError,
        InvalidInputError,
        MissingSettingError,
        ModelError,
        StoreUnavailableError,
    )
    from concierge.memory.records import AddResult, Dropped, MemoryRecord, Retraction
    from concierge.reply import Reply
    from concierge.scope import Scope
    from concierge.service import ConciergeService
    from concierge.settings import Settings, load_settings


def __getattr__(name: str) -> Any:
    if name not in _EXPORTS:
        raise AttributeError(f"module 'concierge' has no attribute {name!r}")
    value = getattr(importlib.import_module(_EXPORTS[name]), name)
    globals()[name] = value  # once: later lookups skip this function
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
