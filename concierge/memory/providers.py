"""The one factory that builds the memory layer; each backend's config and builder are in ``backends``."""

from __future__ import annotations

from concierge.memory.backends import build_backend
from concierge.memory.categories import CategoryClassifier
from concierge.memory.layer import ConciergeMemory
from concierge.settings import Settings


def build_memory(settings: Settings) -> ConciergeMemory:
    """Build the memory layer the settings ask for (looked up in ``backends.REGISTRY``)."""
    backend, config = build_backend(settings, CategoryClassifier(settings.policy, settings.data_dir / "cache"))
    return ConciergeMemory(backend, settings.policy, release=config.release)


def close_memory(memory: ConciergeMemory, settings: Settings) -> None:
    """Close pools, then release what the backend's config holds (the embedded server handle)."""
    memory.close()
    memory.release()
