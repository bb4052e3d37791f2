"""How the ``concierge`` console script runs a command: a process that does one thing and then ends.

Start-up imports (crewAI, mem0, spaCy) create a few million objects that live until the process ends.
At CPython's default young-generation threshold (700 allocations) the collector walks them again and
again while they are created (~0.7 s of a cold ``ask``); a larger threshold skips that work, and cycles
made while the command runs are still collected. And once the command has returned, the interpreter's
teardown (its last collections over everything imported, then every module's objects freed one by one)
took ~1.2 s more after ``ask``: ``end_process`` ends the process without it.

``gc.freeze()`` before exit saves the same second but is not safe: with a Qdrant client loaded, one exit
in four to eight crashed (SIGSEGV/SIGABRT) after the command had printed its answer. Measured in
BENCHMARKS.md (start-up).
"""

from __future__ import annotations

import contextlib
import gc
import logging
import os
import sys
from collections.abc import Iterator
from typing import NoReturn

YOUNG_GENERATION_THRESHOLD = 10_000  # allocations between young collections (CPython's default: 700)


@contextlib.contextmanager
def collect_less() -> Iterator[None]:
    """Collect less often while the command runs (restored afterwards, for a caller that goes on)."""
    previous = gc.get_threshold()
    gc.set_threshold(YOUNG_GENERATION_THRESHOLD, *previous[1:])
    try:
        yield
    finally:
        gc.set_threshold(*previous)


def end_process(code: int) -> NoReturn:
    """End the process with ``code`` now: logs and output flushed, the interpreter's teardown skipped.

    Safe because a command closes what it opened before it returns (the service releases its store and
    its handle on the embedded database; the kernel drops the handle's lock in any case) and has written
    everything it prints. Other libraries' exit hooks are skipped with the teardown: crewAI's event bus
    (its events were shown while the command ran), mem0's telemetry (off), blis' memory release.
    """
    logging.shutdown()
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):  # a closed pipe ("concierge ... | head")
            stream.flush()
    os._exit(code)
