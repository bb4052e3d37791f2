"""Import mem0 without paying for qdrant_client when the store is not Qdrant.

``mem0.memory.main`` builds a default ``MemoryConfig()`` at import time (a default argument), whose
default vector store is Qdrant, so importing mem0 imports ``qdrant_client`` and builds its ~340
pydantic models: ~0.7 s of every ``memory list`` on an idle machine, about a third of the command.
While mem0 imports, a placeholder stands in for mem0's Qdrant *config* module; it is removed right
after, so a real Qdrant config (``QDRANT_URL`` / ``QDRANT_PATH``) later imports the real module as
usual. Only that never-used default argument ever holds a placeholder.
"""

from __future__ import annotations

import sys
import types

from pydantic import BaseModel, ConfigDict

_QDRANT_CONFIG = "mem0.configs.vector_stores.qdrant"


class _DefaultArgumentOnly(BaseModel):
    """Stands in for ``QdrantConfig`` in mem0's import-time default config, which this app never uses."""

    model_config = ConfigDict(extra="allow")


def import_mem0() -> None:
    """Import mem0 (once per process); a no-op when it is already imported."""
    if "mem0.memory.main" in sys.modules:
        return
    placeholder = None
    if _QDRANT_CONFIG not in sys.modules:
        placeholder = types.ModuleType(_QDRANT_CONFIG)
        placeholder.QdrantConfig = _DefaultArgumentOnly  # type: ignore[attr-defined]
        sys.modules[_QDRANT_CONFIG] = placeholder
    try:
        import mem0.memory.main  # noqa: F401
    finally:
        if placeholder is not None and sys.modules.get(_QDRANT_CONFIG) is placeholder:
            del sys.modules[_QDRANT_CONFIG]
            parent = sys.modules.get("mem0.configs.vector_stores")
            if parent is not None and getattr(parent, "qdrant", None) is placeholder:
                delattr(parent, "qdrant")
