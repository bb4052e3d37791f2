"""The crew's tools by name: ``config/agents.yaml`` gives each agent a list of these names.

A tool is registered with ``@register("name")`` on a function ``(catalog, turn) -> BaseTool`` (the turn gives
a search tool the user's needs and the typed request). Every module of this package is imported when the crew
asks for the registry, so a new module here that registers a tool is all a new tool needs besides its name in
``agents.yaml``.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from crewai.tools import BaseTool

    from concierge.catalog.search import CatalogSearch
    from concierge.crew.turn import TurnContext

ToolFactory = Callable[["CatalogSearch", "TurnContext"], "BaseTool"]
TOOLS: dict[str, ToolFactory] = {}


def register(name: str) -> Callable[[ToolFactory], ToolFactory]:
    """Add a tool factory under ``name`` (the name agents.yaml uses)."""

    def add(factory: ToolFactory) -> ToolFactory:
        if TOOLS.get(name, factory) is not factory:
            raise ValueError(f"two tools are registered as {name!r}; rename one")
        TOOLS[name] = factory
        return factory

    return add


def tool_registry() -> dict[str, ToolFactory]:
    """Every registered tool, after importing each module of ``concierge/crew/tools/``."""
    package = __name__.rsplit(".", 1)[0]
    for module in pkgutil.iter_modules(importlib.import_module(package).__path__):
        importlib.import_module(f"{package}.{module.name}")
    return dict(TOOLS)
