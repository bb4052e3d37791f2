"""The one factory that builds the memory layer; each backend's config and builder are in ``backends``."""

from __future__ import annotations

from collections.abc import Callable

from concierge.memory.backends import build_backend
from concierge.memory.extractor import Extractor
from concierge.memory.layer import ConciergeMemory
from concierge.settings import Settings


def build_memory(settings: Settings, extractor: Callable[[Settings], Extractor]) -> ConciergeMemory:
    """Build the memory layer the settings ask for (looked up in ``backends.REGISTRY``); ``extractor`` is the
    model registry's (``concierge.llm.factory.extractor``): memory never imports the model packages."""
    backend, config = build_backend(settings, extractor(settings))
    return ConciergeMemory(backend, settings.policy, release=config.release)


def close_memory(memory: ConciergeMemory, settings: Settings) -> None:
    """Close pools, then release what the backend's config holds (the embedded server handle)."""
    memory.close()
    memory.release()
