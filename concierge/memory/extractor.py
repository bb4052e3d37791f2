"""What the memory layer is given of the model: the category classifier, mem0's model and its instructions.

The model packages (``concierge.llm``, ``concierge.offline``) read and write memories, so memory never imports
them: the composition root's ``concierge.llm.factory.extractor`` builds this from the settings, and
``build_memory`` hands it to the backend that runs mem0.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from concierge.memory.categories import CategoryClassifier


@dataclass(frozen=True, slots=True)
class Extractor:
    """How facts are extracted (mem0's model) and categorised (the classifier at the storage boundary)."""

    classifier: CategoryClassifier
    mem0_llm: Callable[[], tuple[str, dict[str, Any]]]  # (provider, config) for mem0's LlmConfig, when a store is built
    instructions: str | None  # the category policy for a real model; None: the offline model applies it itself
