"""The package's public surface: what ``from concierge import ...`` offers, and that it costs nothing to import."""

from __future__ import annotations

import inspect
import subprocess
import sys

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
}


def test_every_exported_name_resolves_to_its_definition() -> None:
    assert set(concierge.__all__) == EXPECTED == set(concierge._EXPORTS) | {"__version__"}
    for name in EXPECTED - {"__version__"}:
        value = getattr(concierge, name)
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
