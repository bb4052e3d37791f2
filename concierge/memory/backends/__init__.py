"""One registry of memory backends, in mem0's shape: name -> (its pydantic config, its builder).

Each backend lives in its own module with its own config class; ``build_memory`` looks the name up
here instead of branching. Modules are imported only when their backend is built (no heavy imports
at start-up).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from concierge.memory.extractor import Extractor
    from concierge.memory.records import MemoryBackend
    from concierge.settings import Settings


@dataclass(frozen=True, slots=True)
class BackendSpec:
    """Where a backend's config class and builder live (``module:attribute``), resolved on first use."""

    config: str
    builder: str
    description: str = ""  # what `concierge` shows as the store ("{data_dir}" is the data dir); "" = the name

    @staticmethod
    def _load(target: str) -> Any:
        module, _, attribute = target.partition(":")
        return getattr(importlib.import_module(module), attribute)

    def config_class(self) -> Any:
        return self._load(self.config)

    def build_function(self) -> Callable[[Any, Settings, Extractor], MemoryBackend]:
        return self._load(self.builder)


_HERE = __name__
REGISTRY: dict[str, BackendSpec] = {
    "embedded": BackendSpec(f"{_HERE}.pgvector:EmbeddedPgConfig", f"{_HERE}.pgvector:build"),
    "postgres": BackendSpec(f"{_HERE}.pgvector:ExternalPgConfig", f"{_HERE}.pgvector:build"),
    "qdrant": BackendSpec(f"{_HERE}.qdrant:QdrantStoreConfig", f"{_HERE}.qdrant:build"),
    "cloud": BackendSpec(f"{_HERE}.cloud:CloudStoreConfig", f"{_HERE}.cloud:build"),
}


def backend_config(settings: Settings) -> Any:
    """The chosen backend's own config, read from the settings (raises for an unknown name)."""
    spec = REGISTRY.get(settings.backend)
    if spec is None:
        raise KeyError(f"no memory backend named {settings.backend!r}; known: {', '.join(sorted(REGISTRY))}")
    return spec.config_class().from_settings(settings)


def build_backend(settings: Settings, extractor: Extractor) -> tuple[MemoryBackend, Any]:
    """(backend, its config) for the settings' backend name."""
    config = backend_config(settings)
    return REGISTRY[settings.backend].build_function()(config, settings, extractor), config
