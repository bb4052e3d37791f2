"""The docs in the repo describe what the code reads: scenario keys and environment variables."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator, Mapping
from pathlib import Path

import pytest
from pydantic import BaseModel

from concierge.eval.dialogue import ReplyFields
from concierge.eval.scenario import Check, Scenario, Step
from concierge.runtime_env import OFFLINE_DEFAULTS, PROJECT_ROOT
from concierge.settings import load_settings

_PROJECT_PREFIXES = ("CONCIERGE_", "MEM0_", "QDRANT_", "LLM_", "OPENAI_", "DATABASE_")


class _RecordingEnviron(dict[str, str]):
    """``os.environ`` stand-in that records every name looked up."""

    def __init__(self, data: Mapping[str, str]) -> None:
        super().__init__(data)
        self.read: set[str] = set()

    def get(self, key: str, default: object = None) -> object:  # type: ignore[override]
        self.read.add(key)
        return super().get(key, default)

    def __getitem__(self, key: str) -> str:
        self.read.add(key)
        return super().__getitem__(key)

    def __contains__(self, key: object) -> bool:
        if isinstance(key, str):
            self.read.add(key)
        return super().__contains__(key)


def _example_variables() -> set[str]:
    text = (PROJECT_ROOT / ".env.example").read_text(encoding="utf-8")
    return set(re.findall(r"^#?\s*([A-Z][A-Z0-9_]+)=", text, flags=re.MULTILINE))


@pytest.fixture
def recorded(monkeypatch: pytest.MonkeyPatch) -> Iterator[_RecordingEnviron]:
    """The environment without any project variable, recording what is looked up."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith(_PROJECT_PREFIXES)}
    environ = _RecordingEnviron(clean)
    monkeypatch.setattr(os, "environ", environ)
    yield environ


def test_every_variable_the_settings_read_is_in_env_example(recorded: _RecordingEnviron) -> None:
    load_settings()
    from ui.access import PASSWORD_ENV

    read = {name for name in recorded.read if name.startswith(_PROJECT_PREFIXES)} | {PASSWORD_ENV}
    # The auto choices alone read the store's and the model's variables: a real record, not an empty one.
    assert {"DATABASE_URL", "MEM0_API_KEY", "LLM_BASE_URL", "CONCIERGE_DATA_DIR"} <= read
    missing = sorted(read - _example_variables())
    assert not missing, f"read by the code but not in .env.example: {missing}"


def test_env_example_names_only_variables_something_reads(recorded: _RecordingEnviron) -> None:
    load_settings()
    from ui.access import PASSWORD_ENV

    known = recorded.read | set(OFFLINE_DEFAULTS) | {PASSWORD_ENV, "MEM0_DIR", "CREWAI_STORAGE_DIR"}
    stale = sorted(_example_variables() - known)
    assert not stale, f"in .env.example but read by nothing: {stale}"


@pytest.mark.parametrize("model", [Scenario, Step, Check, ReplyFields], ids=lambda m: m.__name__)
def test_scenarios_doc_names_every_key(model: type[BaseModel]) -> None:
    doc = (PROJECT_ROOT / "docs" / "SCENARIOS.md").read_text(encoding="utf-8")
    assert model.model_fields
    undocumented = [name for name in model.model_fields if f"`{name}`" not in doc]
    assert not undocumented, f"{model.__name__} keys missing from docs/SCENARIOS.md: {undocumented}"


def test_the_docs_the_code_points_to_exist() -> None:
    import concierge.eval.scenario as scenario

    source = Path(scenario.__file__).read_text(encoding="utf-8") + (PROJECT_ROOT / "README.md").read_text()
    referenced = set(re.findall(r"docs/[A-Za-z_]+\.md", source))
    assert "docs/SCENARIOS.md" in referenced
    assert all((PROJECT_ROOT / path).is_file() for path in referenced)
