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
from concierge.settings import EnvironmentSettings, load_settings

_PROJECT_PREFIXES = ("CONCIERGE_", "MEM0_", "QDRANT_", "LLM_", "OPENAI_", "DATABASE_")


class _RecordingEnviron(dict[str, str]):
    """``os.environ`` stand-in that records every name looked up one by one (not whole-environment reads)."""

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


def _declared_variables() -> set[str]:
    """The variables ``EnvironmentSettings`` declares: pydantic-settings reads the environment as a whole."""
    names = {str(field.validation_alias) for field in EnvironmentSettings.model_fields.values()}
    assert {"DATABASE_URL", "MEM0_API_KEY", "LLM_BASE_URL", "CONCIERGE_CONFIG_DIR"} <= names
    return names


@pytest.fixture
def recorded(monkeypatch: pytest.MonkeyPatch) -> Iterator[_RecordingEnviron]:
    """The environment without any project variable, recording what is looked up by name."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith(_PROJECT_PREFIXES)}
    environ = _RecordingEnviron(clean)
    monkeypatch.setattr(os, "environ", environ)
    yield environ


def _read_variables(recorded: _RecordingEnviron) -> set[str]:
    load_settings()
    from ui.access import PASSWORD_ENV

    by_name = {name for name in recorded.read if name.startswith(_PROJECT_PREFIXES)}
    assert "CONCIERGE_DATA_DIR" in by_name  # read by name (runtime_env.data_dir): a real record, not an empty one
    return by_name | _declared_variables() | {PASSWORD_ENV}


def test_every_variable_the_settings_read_is_in_env_example(recorded: _RecordingEnviron) -> None:
    missing = sorted(_read_variables(recorded) - _example_variables())
    assert not missing, f"read by the code but not in .env.example: {missing}"


def test_env_example_names_only_variables_something_reads(recorded: _RecordingEnviron) -> None:
    from concierge.logs import requested_level
    from concierge.memory.pg_connect import connect_timeout

    requested_level(), connect_timeout()  # read by the entry points and the store, not settings
    from concierge.api.config import ApiSettings  # the HTTP API's own settings, read as a whole like these

    api = {f"{ApiSettings.model_config['env_prefix']}{name.upper()}" for name in ApiSettings.model_fields}
    known = _read_variables(recorded) | set(OFFLINE_DEFAULTS) | {"MEM0_DIR", "CREWAI_STORAGE_DIR"} | api
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


def _readme_commands() -> list[str]:
    """Every command line in the README's bash blocks, comments removed."""
    readme = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```bash\n(.*?)```", readme, flags=re.DOTALL)
    lines = [line.split("  #")[0].strip() for block in blocks for line in block.splitlines()]
    return [line for line in lines if line and not line.startswith("#")]


def _concierge_examples() -> list[str]:
    examples = [line for line in _readme_commands() if line.startswith("concierge ")]
    assert len(examples) >= 10  # a real list: chat, ask, eval, memory ...
    return examples


def test_readme_setup_puts_concierge_on_path_before_calling_it_bare() -> None:
    commands = _readme_commands()
    first_bare = next(i for i, line in enumerate(commands) if line.startswith("concierge "))
    assert "source .venv/bin/activate" in commands[:first_bare]
    assert any(line.startswith(".venv/bin/pip install -e") for line in commands[:first_bare])


@pytest.mark.parametrize("line", _concierge_examples())
def test_every_readme_example_parses_and_names_files_that_exist(line: str, monkeypatch: pytest.MonkeyPatch) -> None:
    import glob
    import shlex

    from concierge.cli import build_parser

    monkeypatch.chdir(PROJECT_ROOT)  # the README's working directory
    line = line.replace("<memory-id>", "00000000-0000-4000-8000-000000000001")  # parsed as a UUID
    shortest = re.sub(r"\s\[[^\]]*\]", "", line)  # without the [optional] parts, then with all of them
    for variant in (shortest, line.replace("[", "").replace("]", "")):
        expanded: list[str] = []
        for word in shlex.split(variant)[1:]:
            if "/" in word and word.endswith((".yaml", ".json")):
                matches = sorted(glob.glob(word))
                assert matches, f"{word} (in `{line}`) names no file of the repository"
                expanded += matches
            else:
                expanded.append(word)
        build_parser().parse_args(expanded)  # argparse exits (a failure here) on an unknown option or command
