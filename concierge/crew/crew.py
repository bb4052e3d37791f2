"""The concierge crew: research -> planner -> outreach, in crewAI's project layout.

Agents and tasks live in ``config/agents.yaml`` and ``config/tasks.yaml`` (the settings' config dir,
so an installed package finds them too); the research tools in ``concierge/crew/tools/``. One crew is
built per chat turn, bound to that user's memory and turn context, so no state from one user's turn
can reach another's. Each task answers with a typed object (``concierge/crew/outputs.py``).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from concierge import safe_yaml
from concierge.catalog.search import CatalogSearch
from concierge.crew.memory import RecalledMemoryCrew, ScopedCrewMemory
from concierge.crew.outputs import Draft, Findings, Plan
from concierge.crew.tools import research_tools
from concierge.crew.turn import TurnContext
from concierge.lean_imports import import_crewai
from concierge.llm.retry import AGENT_RETRIES
from concierge.runtime_env import quiet_crewai_deprecations

import_crewai()  # before crewAI's first import: without the parts this app never uses
from crewai import Agent, Crew, Process, Task, TaskOutput  # noqa: E402
from crewai.llms.base_llm import BaseLLM  # noqa: E402
from crewai.project import CrewBase, agent, crew, task  # noqa: E402

quiet_crewai_deprecations()

MAX_TOOL_ITERATIONS = 6


@CrewBase
class ConciergeCrew:
    """Builds the crew for one turn from YAML config, an LLM, the catalog and a user-scoped memory."""

    agents_config = "agents.yaml"  # replaced per instance by the settings' config dir (see __init__)
    tasks_config = "tasks.yaml"

    agents: list[Agent]
    tasks: list[Task]

    def __init__(
        self,
        llm: BaseLLM,
        catalog: CatalogSearch,
        memory: ScopedCrewMemory,
        turn: TurnContext,
        config_dir: Path,
        progress: Callable[[str], None] | None = None,
    ) -> None:
        self.llm = llm
        self.catalog = catalog
        self.memory = memory
        self.turn = turn
        self.progress = progress
        # @CrewBase loads these after __init__; absolute paths work from a checkout and an installed package.
        self.original_agents_config_path = str(config_dir / "agents.yaml")
        self.original_tasks_config_path = str(config_dir / "tasks.yaml")
        for name in ("agents.yaml", "tasks.yaml"):  # crewAI's own loader keeps a repeated key's last value
            safe_yaml.check_file(config_dir / name)

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
            max_retry_limit=AGENT_RETRIES,  # the one retry policy is the model client's (concierge/llm/retry.py)
            verbose=False,
            **extra,
        )

    def _task(self, name: str, output: type[Findings | Plan | Draft]) -> Task:
        # response_model: the schema goes as the call's structured output (compact), not as indented prompt text.
        return Task(
            config=self.tasks_config[name],  # type: ignore[index]
            output_pydantic=output,
            response_model=output,
            callback=self._task_done,
        )

    @agent
    def research(self) -> Agent:
        return self._agent("research", tools=research_tools(self.catalog, self.turn))

    @agent
    def planner(self) -> Agent:
        return self._agent("planner")

    @agent
    def outreach(self) -> Agent:
        return self._agent("outreach")

    @task
    def research_task(self) -> Task:
        return self._task("research_task", Findings)

    @task
    def plan_task(self) -> Task:
        return self._task("plan_task", Plan)

    @task
    def outreach_task(self) -> Task:
        return self._task("outreach_task", Draft)

    @crew
    def crew(self) -> Crew:
        return RecalledMemoryCrew(
            agents=self.agents,
            tasks=self.tasks,
            process=Process.sequential,
            memory=self.memory,
            verbose=False,
        )
