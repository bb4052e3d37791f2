"""Import mem0 and crewAI without the optional vector-store clients this app never uses.

Both libraries pull a Qdrant client in at import time for code paths the product does not take, and
``qdrant_client`` builds ~340 pydantic models: ~0.6 s of every command that imports either.

- mem0: ``mem0.memory.main`` builds a default ``MemoryConfig()`` at import time (a default argument)
  whose vector store is Qdrant. While mem0 imports, a placeholder stands in for mem0's Qdrant *config*
  module; it is removed right after, so a real Qdrant store (``QDRANT_URL`` / ``QDRANT_PATH``) later
  imports the real module as usual. Only that never-used default argument ever holds a placeholder.
- crewAI: ``crewai.rag.config.types`` imports its Qdrant RAG config only to offer it as a choice, and
  falls back to its own ``MissingQdrantConfig`` when that import fails (crewAI's path for "qdrant-client
  not installed"). With the qdrant-client installed here (1.20) that import fails anyway, after paying
  for the client (``crewai.rag.qdrant.types`` wants ``InitFrom``, which 1.20 does not have). While
  crewAI imports, that one module is not importable, so crewAI takes the same fallback at no cost. The
  app's memory (a Qdrant store too, through mem0) never goes through crewAI's RAG.

Each function is a no-op once its library is imported; call it before the first import of that library. Each
is safe to call from several threads at once: a second caller waits until the first has imported the whole
library (a thread that found crewAI half-imported went on to import its submodules beside the first one and
Python's import locks stopped them both with a deadlock error).
"""

from __future__ import annotations

import contextlib
import importlib.abc
import importlib.machinery
import sys
import threading
import types
from collections.abc import Iterator, Sequence

from pydantic import BaseModel, ConfigDict

_MEM0_QDRANT_CONFIG = "mem0.configs.vector_stores.qdrant"
_importing = threading.RLock()  # one library import at a time (re-entrant: mem0's import may need crewAI's)
_CREWAI_QDRANT_RAG_CONFIG = "crewai.rag.qdrant.config"


class _DefaultArgumentOnly(BaseModel):
    """Stands in for ``QdrantConfig`` in mem0's import-time default config, which this app never uses."""

    model_config = ConfigDict(extra="allow")


def _imported(name: str) -> bool:
    """``name`` is in ``sys.modules`` and its code has run to the end (not a module still being imported)."""
    module = sys.modules.get(name)
    return module is not None and not getattr(getattr(module, "__spec__", None), "_initializing", False)


def import_mem0() -> None:
    """Import mem0 (once per process); a no-op when it is already imported."""
    if _imported("mem0.memory.main"):
        return
    from concierge.data_faults import prepare_data_dir  # this app's modules before the lock: only mem0 under it
    from concierge.runtime_env import data_dir

    prepare_data_dir(data_dir())  # mem0 creates its folder in it at import: a fault is one line, not a traceback
    with _importing:
        if not _imported("mem0.memory.main"):
            _import_mem0()


def _import_mem0() -> None:
    placeholder = None
    if _MEM0_QDRANT_CONFIG not in sys.modules:
        placeholder = types.ModuleType(_MEM0_QDRANT_CONFIG)
        placeholder.QdrantConfig = _DefaultArgumentOnly  # type: ignore[attr-defined]
        sys.modules[_MEM0_QDRANT_CONFIG] = placeholder
    try:
        import mem0.memory.main  # noqa: F401
    finally:
        if placeholder is not None and sys.modules.get(_MEM0_QDRANT_CONFIG) is placeholder:
            del sys.modules[_MEM0_QDRANT_CONFIG]
            parent = sys.modules.get("mem0.configs.vector_stores")
            if parent is not None and getattr(parent, "qdrant", None) is placeholder:
                delattr(parent, "qdrant")


class _Unavailable(importlib.abc.MetaPathFinder):
    """Makes the named modules raise ImportError, as if their optional dependency were not installed."""

    def __init__(self, names: frozenset[str]) -> None:
        self.names = names

    def find_spec(
        self, fullname: str, path: Sequence[str] | None, target: types.ModuleType | None = None
    ) -> importlib.machinery.ModuleSpec | None:
        if fullname in self.names:
            raise ImportError(f"{fullname} is not used by this app", name=fullname)
        return None


@contextlib.contextmanager
def _unavailable(*names: str) -> Iterator[None]:
    finder = _Unavailable(frozenset(names))
    sys.meta_path.insert(0, finder)
    try:
        yield
    finally:
        sys.meta_path.remove(finder)


def import_crewai() -> None:
    """Import crewAI (once per process) without its optional Qdrant RAG config; a no-op when already imported."""
    if _imported("crewai"):
        return
    from concierge.data_faults import prepare_data_dir
    from concierge.runtime_env import data_dir

    with _importing:
        if _imported("crewai"):
            return
        prepare_data_dir(data_dir())  # crewAI creates its folder in it at import: a fault is one line, not a traceback
        with _unavailable(_CREWAI_QDRANT_RAG_CONFIG):
            import crewai  # noqa: F401
