"""How the suite is spread over pytest-xdist's workers (pyproject: ``-n 2 --dist loadscope``).

Each test is a unit of its own, handed to whichever worker is free, except the tests of a module that defines a
module-scoped fixture (a server, a built wheel, a copy of the repository, an index): those stay together on one
worker, so the fixture is built once and not once per worker. xdist's ``loadgroup`` would do this with marks, but
it renames node ids to carry the group, which pytest 9 ignores (pytest-xdist issue 1386): the controller, which
collects nothing, reads the module's source instead.
"""

from __future__ import annotations

import functools
from pathlib import Path

import pytest
from xdist.scheduler import LoadScopeScheduling

_MODULE_FIXTURE = 'scope="module"'


@functools.cache
def _has_module_fixture(path: Path) -> bool:
    try:
        return _MODULE_FIXTURE in path.read_text(encoding="utf-8")
    except OSError:  # not a file of ours (a plugin's item): a unit of its own
        return False


def scope_of(nodeid: str, root: Path) -> str:
    """The unit a test is scheduled in: its module when that defines a module-scoped fixture, else the test."""
    module = nodeid.split("::", 1)[0]
    return module if _has_module_fixture(root / module) else nodeid


class ModuleFixtureScheduling(LoadScopeScheduling):
    """xdist's loadscope, with ``scope_of`` as the scope."""

    def __init__(self, config: pytest.Config, log: object | None = None) -> None:
        super().__init__(config, log)  # type: ignore[arg-type]
        self._root = config.rootpath

    def _split_scope(self, nodeid: str) -> str:
        return scope_of(nodeid, self._root)


class Scheduler:
    """The plugin that gives xdist the scheduler above when the run asks for ``--dist loadscope``."""

    @pytest.hookimpl(tryfirst=True)
    def pytest_xdist_make_scheduler(self, config: pytest.Config, log: object) -> ModuleFixtureScheduling | None:
        return ModuleFixtureScheduling(config, log) if config.getvalue("dist") == "loadscope" else None
