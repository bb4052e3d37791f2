"""The library versions this app's workarounds target, and where each workaround lives.

Each workaround reaches into a library's internals (a private module, a default built at import time, a
class attribute replaced), so it is only known to work on the version named here. ``tests/test_vendor.py``
fails loudly when an installed version differs: re-check each workaround listed for that library, then
update the version here.
"""

from __future__ import annotations

from importlib.metadata import version
from typing import NamedTuple


class Workaround(NamedTuple):
    library: str  # the distribution name on the package registry
    where: str  # module:function of this app that holds it
    why: str


TARGETED: dict[str, str] = {"crewai": "1.15.30", "mem0ai": "2.2.1", "streamlit": "1.67.0"}

WORKAROUNDS: tuple[Workaround, ...] = (
    Workaround("mem0ai", "concierge.lean_imports:import_mem0", "no Qdrant client for mem0's import-time default"),
    Workaround("crewai", "concierge.lean_imports:import_crewai", "no Qdrant client for crewAI's RAG config"),
    Workaround("crewai", "concierge.runtime_env:quiet_crewai_deprecations", "its own deprecated fields warn"),
    Workaround("crewai", "concierge.erasure:keep_crew_task_outputs_in_memory", "no task-output SQLite file"),
    Workaround("crewai", "concierge.crew.memory:ScopedCrewMemory", "unified Memory subclass, scoped storage"),
    Workaround("crewai", "concierge.crew.crew:ConciergeCrew", "@CrewBase finds per-crew factories by name"),
    Workaround("crewai", "concierge.crew.crew:ConciergeCrew.load_yaml", "@CrewBase's YAML loader, parsed once"),
    Workaround("crewai", "concierge.crew.guardrails:TurnGuards.for_task", "guardrail is a method (source read)"),
    Workaround("crewai", "concierge.crew.executor_state:build_executor_state_once", "executor state class once"),
    Workaround("crewai", "concierge.crew.tool_descriptions:cache_tool_descriptions", "tool prompt block once"),
    Workaround("crewai", "concierge.crew.guardrails:typed", "no pydantic output under a guardrail: convert_to_model"),
    Workaround("mem0ai", "concierge.memory.mem0_oss:Mem0OssBackend", "LlmConfig.model_construct for our model"),
    Workaround("mem0ai", "concierge.offline.extraction:register_with_mem0", "LlmFactory.register_provider"),
    Workaround("mem0ai", "concierge.needs.nlp", "hands mem0 the spaCy pipeline it would download"),
    Workaround("mem0ai", "concierge.memory.guarded_store", "explicit delegation of mem0's store methods"),
    Workaround("streamlit", "ui.streamlit_events:keep_taken_events", "a taken browser event runs its callbacks"),
)


def version_drift() -> dict[str, tuple[str, str]]:
    """Library -> (targeted, installed) for every library whose installed version is not the targeted one."""
    installed = {library: version(library) for library in TARGETED}
    return {lib: (TARGETED[lib], installed[lib]) for lib in TARGETED if installed[lib] != TARGETED[lib]}
