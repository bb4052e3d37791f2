"""The memory layer: one interface (``ConciergeMemory``) over Mem0 OSS, external stores and Mem0 Cloud."""

from concierge.memory.layer import ConciergeMemory
from concierge.memory.records import MemoryRecord

__all__ = ["ConciergeMemory", "MemoryRecord"]
