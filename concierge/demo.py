"""Guided demo scripts (``data/demo/*.yaml``): what the Chat page's "Play" types into the panes, step by step.

A script names its users, then steps: each types one message per user at the same time (``say``), may first
start a new session for some users (``new_session``), carries a caption telling the audience what to notice,
and the last may run the isolation audit (``audit``). The users the scripts name are the "demo users" that
``concierge demo reset`` and the UI's "Reset demo users" forget.
"""

from __future__ import annotations

from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from concierge import safe_yaml
from concierge.errors import InvalidInputError
from concierge.memory.layer import validate_text
from concierge.scope import validate_id
from concierge.shipped import shipped_dir


class DemoStep(BaseModel):
    """One step: captions say what to notice; every message of a step is sent at once, one per pane."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    caption: str = Field(min_length=1)
    new_session: tuple[str, ...] = ()
    say: dict[str, str] = Field(default_factory=dict)
    audit: bool = False

    @field_validator("say")
    @classmethod
    def _messages(cls, say: dict[str, str]) -> dict[str, str]:
        return {validate_id("user_id", user): validate_text("message", text) for user, text in say.items()}


class DemoScript(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str = Field(min_length=1)
    title: str = Field(min_length=1)
    description: str = ""
    users: tuple[str, ...] = Field(min_length=1)
    pause_seconds: float = Field(default=2.5, ge=0, le=30)  # after a step's replies, before the next step
    steps: tuple[DemoStep, ...] = Field(min_length=1)

    @field_validator("users")
    @classmethod
    def _ids(cls, users: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(dict.fromkeys(validate_id("user_id", u) for u in users))

    @model_validator(mode="after")
    def _known_users(self) -> DemoScript:
        for number, step in enumerate(self.steps, start=1):
            unknown = sorted({*step.say, *step.new_session} - set(self.users))
            if unknown:
                raise ValueError(f"step {number} names {', '.join(unknown)}, not in users: add them to users")
        return self


def load_demo(path: Path) -> DemoScript:
    """One script; an unreadable or invalid file raises one line naming the file, the problem and the fix."""
    try:
        raw = safe_yaml.load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise InvalidInputError(f"{path}: cannot read the demo script ({exc}); fix the file and retry") from exc
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}: " if mark else ""
        problem = getattr(exc, "problem", None) or type(exc).__name__
        raise InvalidInputError(f"{path}: cannot read the demo script ({where}{problem}); fix the YAML") from exc
    if not isinstance(raw, dict):
        raise InvalidInputError(f"{path}: a demo script is a mapping with name, title, users and steps")
    try:
        return DemoScript.model_validate(raw)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "script"
        message = first["msg"].removeprefix("Value error, ")
        raise InvalidInputError(f"{path}: {where}: {message}") from exc


def demo_files(folder: Path | None = None) -> list[Path]:
    """The demo scripts shipped with the package (``data/demo/`` in a checkout), by name."""
    return sorted((folder or shipped_dir("demo")).glob("*.yaml"))


def demo_users(folder: Path | None = None) -> list[str]:
    """Every user a demo script names, in order of first mention."""
    return list(dict.fromkeys(user for path in demo_files(folder) for user in load_demo(path).users))
