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
    # what a reply, a session and a transcript hold (typed), and the words the CLI and UI say them with
    "Plan": "concierge.crew.outputs",
    "Option": "concierge.crew.outputs",
    "Draft": "concierge.crew.outputs",
    "Itinerary": "concierge.crew.itinerary_models",
    "SessionState": "concierge.conversation.state",
    "DRAFT_STATUS_WORDS": "concierge.conversation.state",
    "TranscriptTurn": "concierge.conversation.transcript",
    "counted": "concierge.crew.outputs",
    "party_words": "concierge.crew.outputs",
    "version_chain": "concierge.memory.records",
    "validate_id": "concierge.scope",
    # scripted conversations: evaluation scenarios and the guided demo's scripts
    "Scenario": "concierge.eval.scenario",
    "load_scenario": "concierge.eval.scenario",
    "ScenarioReport": "concierge.eval.runner",
    "evaluate": "concierge.eval.runner",
    "DemoScript": "concierge.demo",
    "load_demo": "concierge.demo",
    "demo_files": "concierge.demo",
    # for an entry point of your own (the UI is one): environment defaults, quiet logs, the shipped data
    "prepare_environment": "concierge.runtime_env",
    "configure_logging": "concierge.logs",
    "shipped_dir": "concierge.shipped",
}

__all__ = [
    "DRAFT_STATUS_WORDS",
    "AddResult",
    "ConciergeError",
    "ConciergeService",
    "ConfigError",
    "ConfigFileError",
    "DemoScript",
    "Draft",
    "Dropped",
    "FieldError",
    "InvalidInputError",
    "Itinerary",
    "MemoryRecord",
    "MissingSettingError",
    "ModelError",
    "Option",
    "Plan",
    "Reply",
    "Retraction",
    "Scenario",
    "ScenarioReport",
    "Scope",
    "SessionState",
    "Settings",
    "StoreUnavailableError",
    "TranscriptTurn",
    "__version__",
    "configure_logging",
    "counted",
    "demo_files",
    "evaluate",
    "load_demo",
    "load_scenario",
    "load_settings",
    "party_words",
    "prepare_environment",
    "render_outputs",
    "shipped_dir",
    "validate_id",
    "version_chain",
]

if TYPE_CHECKING:
    from concierge.conversation.state import DRAFT_STATUS_WORDS, SessionState
    from concierge.conversation.transcript import TranscriptTurn
    from concierge.crew.itinerary_models import Itinerary
    from concierge.crew.outputs import Draft, Option, Plan, counted, party_words
    from concierge.crew.render import render_outputs
    from concierge.demo import DemoScript, demo_files, load_demo
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
    from concierge.eval.runner import ScenarioReport, evaluate
    from concierge.eval.scenario import Scenario, load_scenario
    from concierge.logs import configure_logging
    from concierge.memory.records import AddResult, Dropped, MemoryRecord, Retraction, version_chain
    from concierge.reply import Reply
    from concierge.runtime_env import prepare_environment
    from concierge.scope import Scope, validate_id
    from concierge.service import ConciergeService
    from concierge.settings import Settings, load_settings
    from concierge.shipped import shipped_dir


def __getattr__(name: str) -> Any:
    if name not in _EXPORTS:
        raise AttributeError(f"module 'concierge' has no attribute {name!r}")
    value = getattr(importlib.import_module(_EXPORTS[name]), name)
    globals()[name] = value  # once: later lookups skip this function
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
