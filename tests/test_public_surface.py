"""The package's public surface: what the UI, the CLI and a team's own code import from ``concierge``."""

from __future__ import annotations

import subprocess
import sys

import concierge


def test_every_export_is_the_object_its_module_defines() -> None:
    from concierge import errors, memory, reply, scope, service, settings

    modules = [errors, memory.records, reply, scope, service, settings]
    for name in concierge.__all__:
        exported = getattr(concierge, name)
        if name != "__version__":
            assert any(getattr(m, name, None) is exported for m in modules), name
    assert {"ConciergeService", "Scope", "Reply", "MemoryRecord", "ConciergeError", "ModelError"} <= set(
        concierge.__all__
    )


def test_an_unknown_name_is_an_attribute_error() -> None:
    try:
        concierge.NotAThing  # type: ignore[attr-defined]  # noqa: B018
    except AttributeError as exc:
        assert "NotAThing" in str(exc)
    else:
        raise AssertionError("concierge.NotAThing resolved")


def test_importing_the_package_loads_neither_crewai_nor_mem0() -> None:
    code = (
        "import sys, concierge; print(sorted(m for m in ('crewai', 'mem0', 'concierge.service') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
