"""The crew is built from config/agents.yaml and config/tasks.yaml: what the YAML declares is what runs.

Copies of the shipped YAML are edited in a temp folder; the crew is built (not kicked off) from them.
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
import yaml
from pydantic import BaseModel, Field

from concierge.crew.crew import ConciergeCrew
from concierge.crew.memory import ScopedCrewMemory
from concierge.crew.turn import TurnContext
from concierge.errors import ConfigError
from concierge.llm.factory import crew_llm
from concierge.offline.parse import parse_request
from concierge.offline.placeholder import plain_instance
from concierge.service import ConciergeService

# The shipped tasks and their output models (a team's added tasks come after them).
BUILT_IN = {"research_task": "Findings", "plan_task": "Plan", "outreach_task": "Draft"}


class Verdict(BaseModel):
    """A test task's output model (named in tasks.yaml by its import path)."""

    ok: bool
    score: int
    reasons: list[str] = Field(default_factory=list)
    mood: str = "calm"


@pytest.fixture
def config_dir(tmp_path: Path, service: ConciergeService) -> Path:
    for name in ("agents.yaml", "tasks.yaml"):
        shutil.copy(service.settings.config_dir / name, tmp_path / name)
    return tmp_path


def _crew(service: ConciergeService, config_dir: Path) -> ConciergeCrew:
    now = dt.datetime(2026, 12, 1, 10, 0)
    request = parse_request("Dinner in Lyon tomorrow", now=now, places=service.places())
    turn = TurnContext(user="hana", request=request, now=now, places=service.places(), read_needs=list)
    memory = ScopedCrewMemory.bind(service.memory, service.scope("hana"))
    return ConciergeCrew(crew_llm(service.settings), service.crew_parts()[0], memory, turn, config_dir)


def test_the_shipped_crew_is_the_yaml_with_guardrails_on_the_built_in_tasks(
    service: ConciergeService, config_dir: Path
) -> None:
    """Every task of tasks.yaml runs, in its order; the built-in ones answer their models and are guarded; each
    agent has the tools agents.yaml lists (read from the YAML: a team adds tasks, agents and tools there)."""
    tasks = yaml.safe_load((config_dir / "tasks.yaml").read_text(encoding="utf-8"))
    agents = yaml.safe_load((config_dir / "agents.yaml").read_text(encoding="utf-8"))
    crew = _crew(service, config_dir).crew()
    assert [t.name for t in crew.tasks] == list(tasks)
    built_in = {t.name: t for t in crew.tasks if t.name in BUILT_IN}
    assert {name: t.output_pydantic.__name__ for name, t in built_in.items()} == BUILT_IN  # type: ignore[union-attr]
    assert len(built_in) == len(BUILT_IN) and all(t.guardrail is not None for t in built_in.values())
    for task in crew.tasks:
        spec = agents[tasks[task.name]["agent"]]
        assert task.agent is not None and task.agent.role == spec["role"].strip()
        assert [tool.name for tool in task.agent.tools] == spec.get("tools", []), task.name
    research = agents[tasks["research_task"]["agent"]]
    assert {"search_restaurants", "search_stays", "find_destinations"} <= set(research["tools"])


def test_an_agent_and_task_added_in_yaml_join_the_crew_with_their_output_model(
    service: ConciergeService, config_dir: Path
) -> None:
    with (config_dir / "agents.yaml").open("a", encoding="utf-8") as agents:
        agents.write("\njudge:\n  role: Judge\n  goal: Judge the plan.\n  backstory: You judge.\n")
    with (config_dir / "tasks.yaml").open("a", encoding="utf-8") as tasks:
        tasks.write(
            "\njudge_task:\n  description: Judge the plan for {user}.\n  expected_output: A Verdict.\n"
            f"  agent: judge\n  output_model: {__name__}:Verdict\n  context: [plan_task]\n"
        )
    crew = _crew(service, config_dir).crew()
    judge = crew.tasks[-1]
    assert judge.name == "judge_task" and judge.output_pydantic is Verdict and judge.guardrail is None
    assert judge.agent is not None and judge.agent.role == "Judge" and [c.name for c in judge.context] == ["plan_task"]


def test_the_yaml_is_read_again_when_edited_and_each_crew_gets_its_own_copy(
    service: ConciergeService, config_dir: Path
) -> None:
    """The parsed files are kept per content (a crew is built every turn): an edit between two turns of one
    process is read, a key written twice is refused on every build, and one crew's tools never reach another's."""
    first, second = _crew(service, config_dir).crew(), _crew(service, config_dir).crew()
    assert first.agents[0].tools and first.agents[0].tools[0] is not second.agents[0].tools[0]
    path = config_dir / "agents.yaml"
    agents = yaml.safe_load(path.read_text(encoding="utf-8"))
    agents["research"]["role"] = "Scout"
    path.write_text(yaml.safe_dump(agents, sort_keys=False), encoding="utf-8")
    assert _crew(service, config_dir).crew().agents[0].role == "Scout"
    path.write_text(path.read_text(encoding="utf-8") + "\nresearch:\n  role: Again\n", encoding="utf-8")
    for _ in range(2):
        with pytest.raises(ConfigError, match=r"agents\.yaml.*written twice"):
            _crew(service, config_dir)


def test_an_unknown_tool_name_is_one_clear_config_error(service: ConciergeService, config_dir: Path) -> None:
    path = config_dir / "agents.yaml"
    agents = yaml.safe_load(path.read_text(encoding="utf-8"))
    agents["research"]["tools"].append("find_flights")
    path.write_text(yaml.safe_dump(agents), encoding="utf-8")
    with pytest.raises(ConfigError, match=r"agents\.yaml:research\.tools.*find_flights.*search_restaurants"):
        _crew(service, config_dir)


def test_an_unknown_output_model_is_one_clear_config_error(service: ConciergeService, config_dir: Path) -> None:
    path = config_dir / "tasks.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("output_model: Draft", "output_model: Drafts"))
    with pytest.raises(ConfigError, match=r"tasks\.yaml:outreach_task\.output_model.*Drafts"):
        _crew(service, config_dir).crew()


def test_the_offline_model_answers_any_output_model_with_a_valid_empty_instance() -> None:
    verdict = plain_instance(Verdict)
    assert verdict == Verdict(ok=False, score=0, reasons=[], mood="calm")


def test_any_output_model_is_rendered_field_by_field_and_built_in_ones_are_left_to_their_views() -> None:
    from concierge import render_outputs
    from concierge.crew.outputs import Plan

    verdict = Verdict(ok=True, score=7, reasons=["quiet room", "near the station"])
    text = render_outputs({"plan_task": Plan(), "judge_task": verdict})
    lines = text.splitlines()
    assert lines[0] == "judge_task:" and "plan_task" not in text
    assert "  ok: True" in lines and "  score: 7" in lines and "  mood: calm" in lines
    assert lines[lines.index("  reasons:") + 1 :][:2] == ["    - quiet room", "    - near the station"]
