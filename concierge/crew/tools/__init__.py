"""The crew's tools (crewAI's template keeps them in ``tools/``), registered by name (``registry.py``)."""

from concierge.crew.tools.catalog import research_tools, search_as_asked
from concierge.crew.tools.registry import register, tool_registry

__all__ = ["register", "research_tools", "search_as_asked", "tool_registry"]
