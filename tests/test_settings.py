"""Invalid configuration fails at start, naming the key, the value and what is allowed."""

from __future__ import annotations

from pathlib import Path

import pytest

from concierge.errors import ConfigError
from concierge.settings import load_settings


@pytest.mark.parametrize(
    ("variable", "value", "expected"),
    [
        ("CONCIERGE_MEMORY_BACKEND", "mongo", "allowed values are auto, embedded, postgres, qdrant, cloud"),
        ("CONCIERGE_LLM", "gpt", "allowed values are auto, offline, openai, openai_compatible"),
        ("CONCIERGE_SESSION_TTL_MINUTES", "-5", "whole number of minutes"),
        ("CONCIERGE_PROJECT_ID", "../prod", "letters, digits"),
    ],
)
def test_bad_environment_values(monkeypatch: pytest.MonkeyPatch, variable: str, value: str, expected: str) -> None:
    monkeypatch.setenv(variable, value)
    with pytest.raises(ConfigError) as excinfo:
        load_settings()
    assert variable in str(excinfo.value) and value in str(excinfo.value)
    assert expected in str(excinfo.value)


def test_chosen_backend_without_its_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CONCIERGE_MEMORY_BACKEND", "postgres")
    with pytest.raises(ConfigError, match="DATABASE_URL"):
        load_settings()


def test_auto_backend_and_model_follow_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    assert (load_settings().backend, load_settings().llm) == ("embedded", "offline")
    monkeypatch.setenv("DATABASE_URL", "postgresql://u:secretpw@db/x")
    monkeypatch.setenv("LLM_BASE_URL", "http://127.0.0.1:1/v1")
    monkeypatch.setenv("LLM_MODEL", "llama")
    settings = load_settings()
    assert (settings.backend, settings.llm) == ("postgres", "openai_compatible")
    assert "secretpw" not in repr(settings) and "secretpw" not in str(settings.describe())


def test_bad_memory_yaml_names_file_and_key(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    (tmp_path / "memory.yaml").write_text("categories:\n  - name: Bad Name\n    description: x y z\n")
    monkeypatch.setenv("CONCIERGE_CONFIG_DIR", str(tmp_path))
    with pytest.raises(ConfigError) as excinfo:
        load_settings()
    assert "memory.yaml:categories.0.name" in str(excinfo.value) and "Bad Name" in str(excinfo.value)
    (tmp_path / "memory.yaml").write_text("categories: []\nincludes: [nope]\ncolour: red\n")
    with pytest.raises(ConfigError, match="colour"):
        load_settings()


@pytest.mark.parametrize("value", ["true", "1.5", "-0.1", '"0.3"'])
def test_min_score_must_be_a_number_below_one(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, value: str) -> None:
    from concierge.runtime_env import PROJECT_ROOT

    shipped = (PROJECT_ROOT / "config" / "memory.yaml").read_text(encoding="utf-8")
    assert "\nmin_score: " in shipped
    text = "\n".join(f"min_score: {value}" if line.startswith("min_score:") else line for line in shipped.splitlines())
    (tmp_path / "memory.yaml").write_text(text)
    monkeypatch.setenv("CONCIERGE_CONFIG_DIR", str(tmp_path))
    with pytest.raises(ConfigError, match=r"memory\.yaml:min_score"):
        load_settings()
    (tmp_path / "memory.yaml").write_text(shipped.replace("\nmin_score: ", "\nmin_score: 0.0 #"))
    assert load_settings().policy.min_score == 0.0
