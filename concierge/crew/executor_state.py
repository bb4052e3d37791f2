"""crewAI's agent executor is a Flow whose state model has no ``id``; for such a state crewAI 1.15 defines a new
pydantic class (``FlowState`` + the model) in every executor it builds (``Flow._create_initial_state``), and a
chat turn builds one executor per task: ~5 ms of schema building each, every turn. Here that class is built
once, with the same bases and fields, and crewAI's own ``FlowState`` branch instantiates it.
"""

from __future__ import annotations

from concierge.lean_imports import import_crewai

import_crewai()  # before crewAI's first import: without the parts this app never uses
from crewai.agents.agent_executor import AgentExecutor, AgentExecutorState  # noqa: E402
from crewai.flow.flow import FlowState  # noqa: E402


class AgentExecutorStateWithId(FlowState, AgentExecutorState):
    """What crewAI's per-executor ``StateWithId`` is (the same bases, in the same order), defined once."""


def build_executor_state_once() -> None:
    """Point crewAI's agent executor at the class above (idempotent)."""
    AgentExecutor._initial_state_t = AgentExecutorStateWithId  # type: ignore[attr-defined]
