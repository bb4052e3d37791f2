"""Garbage-collector settings for a command that runs once and exits (the ``concierge`` console script).

Start-up imports (crewAI, mem0, spaCy) create a few million objects that live until the process ends.
At CPython's default young-generation threshold (700 allocations) the collector walks them again and
again while they are created (~0.7 s of a cold ``ask``), and the interpreter's last collections at exit
walk them once more (~1.2 s). A larger threshold and freezing everything once the command is done skip
that work; cycles made while a command runs are still collected. Measured in BENCHMARKS.md (start-up).
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator

YOUNG_GENERATION_THRESHOLD = 10_000  # allocations between young collections (CPython's default: 700)


@contextlib.contextmanager
def short_lived_process() -> Iterator[None]:
    """Collect less often while the command runs; skip the final walk over what it imported when it ends."""
    _young, *older = gc.get_threshold()
    gc.set_threshold(YOUNG_GENERATION_THRESHOLD, *older)
    try:
        yield
    finally:
        gc.freeze()  # nothing the finished command holds needs collecting; the process exits next
