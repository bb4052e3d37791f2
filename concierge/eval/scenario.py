"""The scenario file format (see docs/SCENARIOS.md): strict pydantic models, errors with file and line."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, ValidationInfo, field_validator, model_validator

from concierge import safe_yaml
from concierge.errors import ConciergeError
from concierge.eval.dialogue import ReplyFields
from concierge.memory.layer import validate_text
from concierge.scope import validate_id


class ScenarioError(ConciergeError):
    """A scenario file is malformed; the message names the file and the line."""


def _id(value: str | None, info: ValidationInfo) -> str | None:
    return None if value is None else validate_id(str(info.field_name), value)


def _text(value: str | None, info: ValidationInfo) -> str | None:
    """What the memory layer would refuse mid-run (too long, control characters) fails at load instead."""
    if value is not None:
        validate_text(str(info.field_name), value)
    return value


class Step(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    user: str
    say: str = Field(min_length=1)
    session: str | None = None
    project: str | None = None
    chat: bool = False  # a chat turn even without --crew (a forget request is carried out, not stored)
    restart: bool = False  # a new service instance (a process restart) before this step
    reply: ReplyFields | None = None  # typed fields of this step's reply (a dialogue step: runs the crew)
    reply_expect: tuple[str, ...] = ()  # each must appear in this step's reply text
    reply_forbid: tuple[str, ...] = ()  # none may appear in this step's reply text

    _ids = field_validator("user", "session", "project")(_id)
    _say = field_validator("say")(_text)

    @property
    def checks_reply(self) -> bool:
        return self.reply is not None or bool(self.reply_expect or self.reply_forbid)


class Check(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    user: str
    query: str | None = None
    expect: tuple[str, ...] = ()
    forbid: tuple[str, ...] = ()
    top_k: int = Field(default=5, ge=1, le=100)
    project: str | None = None
    category: str | None = None
    stored_none: tuple[str, ...] = ()
    reply_forbid: tuple[str, ...] = ()
    superseded: tuple[str, ...] = ()
    reply_forbid_superseded: bool = False

    _ids = field_validator("user", "project")(_id)
    _query = field_validator("query")(_text)

    @model_validator(mode="after")
    def _has_something_to_check(self) -> Check:
        if self.query is None and (self.expect or self.forbid or self.category):
            raise ValueError("expect, forbid and category need a query")
        if self.query is None and not (
            self.stored_none or self.reply_forbid or self.superseded or self.reply_forbid_superseded
        ):
            raise ValueError("a check needs a query, stored_none, reply_forbid, superseded or reply_forbid_superseded")
        if self.query is not None and not (self.expect or self.forbid or self.category or self.superseded):
            raise ValueError("a query check needs expect, forbid, category or superseded")
        return self


class Scenario(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(min_length=1)
    description: str = ""
    steps: tuple[Step, ...] = Field(min_length=1)
    checks: tuple[Check, ...] = ()

    @property
    def is_dialogue(self) -> bool:
        """A scenario with per-step reply checks runs every step through the crew (a chat turn)."""
        return any(step.checks_reply for step in self.steps)

    @model_validator(mode="after")
    def _checks_something(self) -> Scenario:
        if not self.checks and not self.is_dialogue:
            raise ValueError("a scenario needs checks, or steps with reply, reply_expect or reply_forbid")
        return self


def _line_of(node: yaml.Node | None, loc: tuple[Any, ...]) -> int:
    """1-based line of the YAML node at ``loc`` (the deepest node that exists on the way)."""
    line = (node.start_mark.line + 1) if node is not None else 1
    for part in loc:
        if isinstance(node, yaml.MappingNode):
            match = next(((k, v) for k, v in node.value if k.value == part), None)
            if match is None:
                break
            key, node = match
            line = key.start_mark.line + 1
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value):
            node = node.value[part]
            line = node.start_mark.line + 1
        else:
            break
    return line


def load_scenario(path: Path, known_categories: frozenset[str]) -> Scenario:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ScenarioError(f"{path}: cannot read ({exc.strerror})") from exc
    except UnicodeDecodeError as exc:
        raise ScenarioError(f"{path}: not valid UTF-8 (byte {exc.start}); save it as UTF-8") from exc
    try:
        root = safe_yaml.compose(text)
        raw = safe_yaml.load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}" if mark else "somewhere"
        raise ScenarioError(f"{path}:{where}: not valid YAML ({getattr(exc, 'problem', exc)})") from exc
    if not isinstance(raw, dict):
        raise ScenarioError(f"{path}:1: a scenario is a mapping with name, steps and checks")
    try:
        scenario = Scenario.model_validate(raw)
    except ValidationError as exc:
        errors = exc.errors()
        first = next((e for e in errors if e["type"] == "extra_forbidden"), errors[0])  # typos explain the rest
        loc = tuple(first["loc"])
        field = ".".join(str(p) for p in loc) or "scenario"
        message = first["msg"].removeprefix("Value error, ")
        if first["type"] == "extra_forbidden":
            message = f"unknown key {loc[-1]!r} (allowed keys are in docs/SCENARIOS.md)"
        raise ScenarioError(f"{path}:line {_line_of(root, loc)}: {field}: {message}") from exc
    for index, check in enumerate(scenario.checks):
        if check.category is not None and check.category not in known_categories:
            line = _line_of(root, ("checks", index, "category"))
            raise ScenarioError(
                f"{path}:line {line}: checks.{index}.category: unknown category {check.category!r}; "
                f"known: {', '.join(sorted(known_categories))}"
            )
    return scenario
