"""crewAI 1.15 composes a tool's prompt block (its name, argument JSON schema and description) each time an agent
executor is built: ~10 times per chat turn, 1-2 ms of pydantic schema generation each, for the same three tools.
The block depends on those three values only (a schema is a class, never changed once defined), so it is composed
once per process and kept."""

from __future__ import annotations

from functools import lru_cache

from concierge.lean_imports import import_crewai

import_crewai()  # before crewAI's first import: without the parts this app never uses
from crewai.tools import base_tool, structured_tool  # noqa: E402


def cache_tool_descriptions() -> None:
    """Point crewAI's two callers of ``format_description_for_llm`` at a kept copy (idempotent)."""
    compose = structured_tool.format_description_for_llm
    if not hasattr(compose, "cache_info"):
        compose = lru_cache(maxsize=128)(compose)
    structured_tool.format_description_for_llm = compose  # type: ignore[assignment]  # CrewStructuredTool's
    base_tool.format_description_for_llm = compose  # type: ignore[assignment]  # BaseTool's (imported by name)
