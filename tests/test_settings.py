"""Invalid configuration fails at start, naming the key, the value and what is allowed."""

from __future__ import annotations

from pathlib import Path

import pytest

from concierge.errors import ConfigError
from concierge.memory.backends import REGISTRY
from concierge.settings import load_settings


@pytest.mark.parametrize(
    ("variable", "value", "expected"),
    [
        ("CONCIERGE_MEMORY_BACKEND", "mongo", f"allowed values are auto, {', '.join(REGISTRY)}"),
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


def test_the_backend_names_are_the_registrys_own() -> None:
    assert list(REGISTRY)[:4] == ["embedded", "postgres", "qdrant", "cloud"]  # the built-in stores, first


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


def test_importing_the_package_changes_nothing_in_the_environment() -> None:
    import os
    import subprocess
    import sys

    code = (
        "import os; before = dict(os.environ); "
        "import concierge, concierge.settings, concierge.service, concierge.cli, concierge.runtime_env; "
        "changed = sorted(k for k in set(before) | set(os.environ) if before.get(k) != os.environ.get(k)); "
        "print(changed)"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CREWAI_", "MEM0_", "OTEL_", "HF_"))}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env)
    assert out.stdout.strip() == "[]"


def test_the_data_dir_has_one_reader(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from concierge.runtime_env import data_dir

    monkeypatch.setenv("CONCIERGE_DATA_DIR", str(tmp_path / "state"))
    assert load_settings().data_dir == data_dir() == tmp_path / "state"
    monkeypatch.delenv("CONCIERGE_DATA_DIR")
    monkeypatch.chdir(tmp_path)  # the default is relative to the working directory, beside its .env
    assert data_dir() == tmp_path / "data" / "state"


def test_the_shipped_defaults_are_found_through_the_package(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.chdir(tmp_path)  # not the checkout: the defaults come from the package, not the working directory
    settings = load_settings()
    assert (settings.config_dir / "memory.yaml").is_file() and (settings.catalog_dir / "restaurants.json").is_file()
    assert settings.config_dir.parent.name == "_defaults" and settings.config_dir.parent.parent.name == "concierge"


@pytest.mark.parametrize(
    ("url", "problem"),
    [
        ("mysql://app:pw-7f3@db.internal/x", "malformed: it must start with postgresql://"),
        ("postgresql://app:pw-7f3@db.internal:99999/x", "malformed: the port"),
        ("postgresql://app:pw-7f3@/x", "missing the host"),
        ("postgresql://app:pw-7f3@db.internal", "missing the database name"),
    ],
)
def test_database_url_error_says_malformed_or_what_is_missing(
    monkeypatch: pytest.MonkeyPatch, url: str, problem: str
) -> None:
    monkeypatch.setenv("DATABASE_URL", url)
    with pytest.raises(ConfigError) as failure:
        load_settings()
    message = str(failure.value)
    assert message.startswith("invalid config DATABASE_URL=") and problem in message
    assert "***@" in message and "pw-7f3" not in message  # the URL, redacted
    assert "expected postgresql://user:password@host:5432/database" in message  # the fix


def test_a_chosen_store_without_its_variable_names_it_and_an_example(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CONCIERGE_MEMORY_BACKEND", "postgres")
    with pytest.raises(ConfigError) as failure:
        load_settings()
    message = str(failure.value)
    assert message.startswith("invalid config DATABASE_URL: not set") and "=None" not in message
    assert "DATABASE_URL=postgresql://" in message


def test_a_library_caller_gets_telemetry_off_before_mem0_or_crewai_loads(tmp_path: Path) -> None:
    """Without an entry point: ``ConciergeService.from_settings()`` applies the defaults before mem0 is imported."""
    import os
    import subprocess
    import sys

    code = (
        "from concierge.service import ConciergeService\n"
        "service = ConciergeService.from_settings()\n"
        "import crewai, mem0.memory.telemetry as telemetry\n"
        "print(telemetry.MEM0_TELEMETRY)\n"
        "service.close()\n"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CREWAI_", "MEM0_", "OTEL_"))}
    env |= {"CONCIERGE_DATA_DIR": str(tmp_path), "QDRANT_PATH": str(tmp_path / "qdrant")}  # no database to start
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=300)
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.strip().splitlines()[-1] == "False"
