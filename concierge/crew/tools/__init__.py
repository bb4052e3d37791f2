"""The crew's tools (crewAI's template keeps them in ``tools/``): catalog search for the research agent."""

from concierge.crew.tools.catalog import research_tools

__all__ = ["research_tools"]
