"""crewAI's agent executor state: one class for every executor (crewAI 1.15 defined a new one per executor)."""

from __future__ import annotations

import concierge.crew.crew  # noqa: F401 - sets the workaround up (crewAI imported the app's way), as a turn does


def test_every_agent_executor_starts_from_one_state_class_with_its_own_id() -> None:
    from crewai.agents.agent_executor import AgentExecutor, AgentExecutorState
    from crewai.flow.flow import FlowState

    first, second = (AgentExecutor.model_construct()._create_initial_state() for _ in range(2))
    assert type(first) is type(second)
    assert isinstance(first, AgentExecutorState) and isinstance(first, FlowState)
    assert first.id and second.id and first.id != second.id
    fresh = AgentExecutorState().model_dump(exclude={"id"})
    assert first.model_dump(exclude={"id"}) == fresh and second.model_dump(exclude={"id"}) == fresh
