"""Concierge: a CrewAI crew with per-user, per-project Mem0 memory.

The public surface is below (``__all__``): the service, the scope, the reply, the memory records and the
errors. Importing the package has no side effects and loads none of them: each is imported on first use, so
the entry points can apply the environment defaults (``concierge.runtime_env.prepare_environment``) before
crewai or mem0 is imported.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

_EXPORTS = {
    "ConciergeService": "concierge.service",
    "Scope": "concierge.scope",
    "Reply": "concierge.reply",
    "Settings": "concierge.settings",
    "load_settings": "concierge.settings",
    "MemoryRecord": "concierge.memory.records",
    "AddResult": "concierge.memory.records",
    "Dropped": "concierge.memory.records",
    "Retraction": "concierge.memory.records",
    "ConciergeError": "concierge.errors",
    "ConfigError": "concierge.errors",
    "InvalidInputError": "concierge.errors",
    "StoreUnavailableError": "concierge.errors",
    "ModelError": "concierge.errors",
}
__all__ = [
    "AddResult",
    "ConciergeError",
    "ConciergeService",
    "ConfigError",
    "Dropped",
    "InvalidInputError",
    "MemoryRecord",
    "ModelError",
    "Reply",
    "Retraction",
    "Scope",
    "Settings",
    "StoreUnavailableError",
    "__version__",
    "load_settings",
]

if TYPE_CHECKING:
    from concierge.errors import ConciergeError, ConfigError, InvalidInputError, ModelError, StoreUnavailableError
    from concierge.memory.records import AddResult, Dropped, MemoryRecord, Retraction
    from concierge.reply import Reply
    from concierge.scope import Scope
    from concierge.service import ConciergeService
    from concierge.settings import Settings, load_settings


def __getattr__(name: str) -> Any:
    if name not in _EXPORTS:
        raise AttributeError(f"module 'concierge' has no attribute {name!r}")
    value = getattr(importlib.import_module(_EXPORTS[name]), name)
    globals()[name] = value  # imported once
    return value
