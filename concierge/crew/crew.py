"""The concierge crew, built from YAML in crewAI's project layout (``@CrewBase``).

``config/agents.yaml`` declares each agent and the tools it gets (names from ``concierge/crew/tools/``);
``config/tasks.yaml`` declares each task, its agent, its context and its output model (``output_model:``, see
``concierge.crew.outputs.output_model``). Adding an agent and a task there adds them to the crew: they run in
file order, and their typed output comes back by task name (``CrewResult.outputs``, ``Reply.outputs``).
Built-in output models get task guardrails (``concierge/crew/guardrails.py``). One crew is built per chat turn,
bound to that user's memory and turn context, so no state from one user's turn can reach another's.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from concierge import safe_yaml
from concierge.catalog.search import CatalogSearch
from concierge.crew.checks import checked_plan
from concierge.crew.executor_state import build_executor_state_once
from concierge.crew.guardrails import DEFAULT_RETRIES, TurnGuards
from concierge.crew.memory import RecalledMemoryCrew, ScopedCrewMemory
from concierge.crew.outputs import Draft, Findings, Plan, output_model
from concierge.crew.tool_descriptions import cache_tool_descriptions
from concierge.crew.tools import search_as_asked, tool_registry
from concierge.crew.turn import TurnContext
from concierge.errors import ConfigError
from concierge.lean_imports import import_crewai
from concierge.model_retry import AGENT_RETRIES
from concierge.runtime_env import quiet_crewai_deprecations

import_crewai()  # before crewAI's first import: without the parts this app never uses
from crewai import Agent, Crew, Process, Task, TaskOutput  # noqa: E402
from crewai.llms.base_llm import BaseLLM  # noqa: E402
from crewai.project import CrewBase, crew  # noqa: E402

quiet_crewai_deprecations()
build_executor_state_once()
cache_tool_descriptions()

MAX_TOOL_ITERATIONS = 6


class _Made:
    """A per-crew factory that crewAI's @CrewBase finds by name, as it finds ``@agent``/``@task``/``@tool``
    methods, so the names in the YAML resolve without one method per agent, task or tool."""

    def __init__(self, kind: str, build: Callable[[], Any]) -> None:
        setattr(self, f"is_{kind}", True)
        self._build, self._made = build, None

    def __call__(self) -> Any:
        if self._made is None:
            self._made = self._build()
        return self._made


@CrewBase
class ConciergeCrew:
    """Builds the crew for one turn from the YAML config, an LLM, the catalog and a user-scoped memory."""

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
        message: str = "",
    ) -> None:
        self.llm, self.catalog, self.memory, self.turn, self.progress = llm, catalog, memory, turn, progress
        self.guards = TurnGuards(turn, catalog, message, search_as_asked)
        # @CrewBase loads these after __init__; absolute paths work from a checkout and an installed package.
        self.original_agents_config_path = str(config_dir / "agents.yaml")
        self.original_tasks_config_path = str(config_dir / "tasks.yaml")
        agents = config_file(config_dir / "agents.yaml")
        self._agent_names = list(agents)
        self._task_names = list(config_file(config_dir / "tasks.yaml"))
        tools = tool_registry()
        for name, declared in agents.items():
            unknown = sorted(set((declared or {}).get("tools") or []) - set(tools))
            if unknown:
                raise ConfigError(f"agents.yaml:{name}.tools", unknown, f"registered tool names: {sorted(tools)}")
        for name, factory in tools.items():
            self._install(name, "tool", lambda factory=factory: factory(self.catalog, self.turn), "a tool")
        for name in self._agent_names:
            self._install(name, "agent", lambda name=name: self._agent(name), "agents.yaml")
        for name in self._task_names:
            self._install(name, "task", lambda name=name: self._task(name), "tasks.yaml")

    def _install(self, name: str, kind: str, build: Callable[[], Any], where: str) -> None:
        if name in vars(self) or hasattr(type(self), name):
            raise ConfigError(f"{where}:{name}", name, "a name the crew does not use for something else")
        setattr(self, name, _Made(kind, build))

    def _task_done(self, output: TaskOutput) -> None:
        """Per-task progress (crewai 1.15 never calls ``Crew.task_callback``; ``Task.callback`` works)."""
        if self.progress is not None:
            self.progress(f"{output.agent.strip()} finished")

    def _agent(self, name: str) -> Agent:
        config = dict(self.agents_config[name])  # type: ignore[index]  # tools: mapped to instances by @CrewBase
        return Agent(
            config=config,
            llm=self.llm,
            allow_delegation=False,
            max_iter=MAX_TOOL_ITERATIONS,
            max_retry_limit=AGENT_RETRIES,  # the one retry policy is the model client's (concierge/model_retry.py)
            verbose=False,
        )

    def _task(self, name: str) -> Task:
        config = dict(self.tasks_config[name])  # type: ignore[index]
        try:
            model = output_model(str(config.get("output_model") or ""))
        except (ValueError, ImportError) as exc:
            raise ConfigError(f"tasks.yaml:{name}.output_model", config.get("output_model"), str(exc)) from exc
        retries = int(config.get("guardrail_max_retries", DEFAULT_RETRIES))
        guardrail = self.guards.for_task(name, model, retries)
        # response_model: the schema goes as the call's structured output (compact), not as indented prompt text.
        task = Task(
            config=config,
            name=name,
            output_pydantic=model,
            response_model=model,
            guardrail=guardrail.check if guardrail else None,
            guardrail_max_retries=retries,
            callback=self._task_done,
        )
        if guardrail is not None:
            guardrail.task = task
        return task

    @crew
    def crew(self) -> Crew:
        return RecalledMemoryCrew(
            agents=[getattr(self, name)() for name in self._agent_names],
            tasks=[getattr(self, name)() for name in self._task_names],
            process=Process.sequential,
            memory=self.memory,
            verbose=False,
        )


def config_file(path: Path) -> dict[str, Any]:
    """agents.yaml or tasks.yaml as ``safe_yaml`` reads it (crewAI's own loader keeps a repeated key's last
    value), parsed once per content: a crew is built every turn, and its two files were parsed six times (~15 ms).
    A copy each time, as crewAI replaces the tool names in it with the turn's tools."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        text = None  # ``safe_yaml`` says what is wrong, in one line
    loaded = _parsed(path, text) if text is not None else safe_yaml.load_file(path)
    return copy.deepcopy(loaded) if isinstance(loaded, dict) else {}


@lru_cache(maxsize=16)
def _parsed(path: Path, text: str) -> Any:
    return safe_yaml.load_file(path)


ConciergeCrew.load_yaml = staticmethod(config_file)  # type: ignore[attr-defined]  # @CrewBase's loader, per turn


@dataclass
class CrewResult:
    """What the crew answered for one turn: every task's typed output by task name (the built-in tasks' outputs
    as their guardrails settled them), the checked plan and draft, and what the guardrails did."""

    outputs: dict[str, BaseModel]
    plan: Plan
    draft: Draft | None
    findings: Findings
    reasons: dict[str, list[str]] = field(default_factory=dict)  # task -> reasons sent back to the model
    composed: list[str] = field(default_factory=list)  # tasks whose answer code composed after retries ran out


def run_crew(crew_parts: ConciergeCrew, inputs: dict[str, str]) -> CrewResult:
    """Kick the crew off and collect its typed outputs; the plan and draft are the guardrails' (checked) ones.
    ``asked`` (the words the search ranks by) defaults to the message itself."""
    output = crew_parts.crew().kickoff(inputs={"asked": inputs.get("request", ""), **inputs})
    outputs = {t.name or "": t.pydantic for t in output.tasks_output if isinstance(t.pydantic, BaseModel)}
    guards = crew_parts.guards
    return CrewResult(
        outputs=outputs,
        plan=guards.plan or checked_plan(None, crew_parts.turn),  # a crew configured without a plan task
        draft=guards.draft,
        findings=crew_parts.turn.findings(),
        reasons=dict(guards.reasons),
        composed=list(guards.composed),
    )
