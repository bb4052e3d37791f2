"""The concierge crew: research -> planner -> outreach, in crewAI's project layout.

Agents and tasks live in ``config/agents.yaml`` and ``config/tasks.yaml``; the research tools in
``concierge/tools.py``. One crew is built per chat turn, bound to that user's memory, so no state
from one user's turn can reach another's.
"""

from __future__ import annotations

from collections.abc import Callable

from crewai import Agent, Crew, Process, Task, TaskOutput
from crewai.llms.base_llm import BaseLLM
from crewai.project import CrewBase, agent, crew, task

from concierge.catalog.search import CatalogSearch
from concierge.crew_memory import ScopedCrewMemory
from concierge.runtime_env import quiet_crewai_deprecations
from concierge.tools import research_tools

quiet_crewai_deprecations()

MAX_TOOL_ITERATIONS = 6


@CrewBase
class ConciergeCrew:
    """Builds the crew for one turn from YAML config, an LLM, the catalog and a user-scoped memory."""

    agents_config = "../config/agents.yaml"
    tasks_config = "../config/tasks.yaml"

    agents: list[Agent]
    tasks: list[Task]

    def __init__(
        self,
        llm: BaseLLM,
        catalog: CatalogSearch,
        memory: ScopedCrewMemory,
        progress: Callable[[str], None] | None = None,
    ) -> None:
        self.llm = llm
        self.catalog = catalog
        self.memory = memory
        self.progress = progress

    def _task_done(self, output: TaskOutput) -> None:
        """Per-task progress (crewai 1.15 never calls ``Crew.task_callback``; ``Task.callback`` works)."""
        if self.progress is not None:
            self.progress(f"{output.agent.strip()} finished")

    def _agent(self, name: str, **extra: object) -> Agent:
        return Agent(
            config=self.agents_config[name],  # type: ignore[index]
            llm=self.llm,
            allow_delegation=False,
            max_iter=MAX_TOOL_ITERATIONS,
            verbose=False,
            **extra,
        )

    @agent
    def research(self) -> Agent:
        return self._agent("research", tools=research_tools(self.catalog))

    @agent
    def planner(self) -> Agent:
        return self._agent("planner")

    @agent
    def outreach(self) -> Agent:
        return self._agent("outreach")

    @task
    def research_task(self) -> Task:
        return Task(config=self.tasks_config["research_task"], callback=self._task_done)  # type: ignore[index]

    @task
    def plan_task(self) -> Task:
        return Task(config=self.tasks_config["plan_task"], callback=self._task_done)  # type: ignore[index]

    @task
    def outreach_task(self) -> Task:
        return Task(config=self.tasks_config["outreach_task"], callback=self._task_done)  # type: ignore[index]

    @crew
    def crew(self) -> Crew:
        return Crew(
            agents=self.agents,
            tasks=self.tasks,
            process=Process.sequential,
            memory=self.memory,
            verbose=False,
        )
