"""The package's public surface: what ``from concierge import ...`` offers, and that it costs nothing to import."""

from __future__ import annotations

import ast
import importlib
import inspect
import subprocess
import sys
from pathlib import Path

import concierge
from concierge.runtime_env import PROJECT_ROOT

EXPECTED = {
    "__version__",
    "ConciergeService",
    "Reply",
    "Scope",
    "Settings",
    "load_settings",
    "MemoryRecord",
    "AddResult",
    "Dropped",
    "Retraction",
    "ConciergeError",
    "ConfigError",
    "ConfigFileError",
    "MissingSettingError",
    "InvalidInputError",
    "FieldError",
    "StoreUnavailableError",
    "ModelError",
    "render_outputs",
    "Plan",
    "Option",
    "Draft",
    "Itinerary",
    "SessionState",
    "DRAFT_STATUS_WORDS",
    "TranscriptTurn",
    "counted",
    "party_words",
    "version_chain",
    "validate_id",
    "Scenario",
    "load_scenario",
    "ScenarioReport",
    "evaluate",
    "DemoScript",
    "load_demo",
    "demo_files",
    "prepare_environment",
    "configure_logging",
    "shipped_dir",
}


def test_every_exported_name_resolves_to_its_definition() -> None:
    assert set(concierge.__all__) == EXPECTED == set(concierge._EXPORTS) | {"__version__"}
    for name in EXPECTED - {"__version__"}:
        value = getattr(concierge, name)
        assert value is getattr(importlib.import_module(concierge._EXPORTS[name]), name)
        if inspect.isclass(value) or inspect.isfunction(value):  # not a constant (DRAFT_STATUS_WORDS)
            assert value.__name__ == name and inspect.getmodule(value).__name__.startswith("concierge.")
    assert issubclass(concierge.ModelError, concierge.ConciergeError)
    assert issubclass(concierge.FieldError, concierge.InvalidInputError)


def test_an_unknown_name_is_an_attribute_error() -> None:
    try:
        concierge.CatalogSearch  # noqa: B018 - internal, not exported
    except AttributeError as exc:
        assert "CatalogSearch" in str(exc)
    else:
        raise AssertionError("an internal name must not be exported")


def test_importing_the_package_imports_nothing_heavy() -> None:
    heavy = "('crewai', 'mem0', 'torch', 'concierge')"
    code = f"import sys, concierge; print(sorted(m for m in sys.modules if m.split('.')[0] in {heavy}))"
    out = subprocess.run([sys.executable, "-c", code], cwd=PROJECT_ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "['concierge']"


def test_the_cli_imports_the_service_and_reply_through_the_public_surface() -> None:
    source = (PROJECT_ROOT / "concierge" / "cli.py").read_text(encoding="utf-8")
    for internal in ("concierge.service import", "concierge.reply import", "concierge.errors import"):
        assert internal not in source, internal


def _concierge_imports(path: Path) -> set[str]:
    """The ``concierge`` modules a file imports from (``from concierge.x import ...``, ``import concierge.x``)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return {name for name in found if name.split(".")[0] == "concierge"}


def test_the_ui_imports_only_the_public_surface_and_settings() -> None:
    files = sorted((PROJECT_ROOT / "ui").rglob("*.py"))
    assert files
    allowed = {"concierge", "concierge.settings"}
    internal = {str(f.relative_to(PROJECT_ROOT)): _concierge_imports(f) - allowed for f in files}
    assert not {file: names for file, names in internal.items() if names}
