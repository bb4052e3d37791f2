"""Shared benchmark helpers: an isolated data dir, percentiles, JSON output."""

from __future__ import annotations

import json
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any


def isolated_data_dir(prefix: str) -> str:
    """Benchmarks never touch real data: their own embedded database in a temp folder (unless set)."""
    path = os.environ.get("CONCIERGE_DATA_DIR") or tempfile.mkdtemp(prefix=f"concierge-{prefix}-")
    os.environ["CONCIERGE_DATA_DIR"] = path
    from concierge.runtime_env import prepare_environment

    prepare_environment()  # the entry points' defaults (offline, no telemetry), before crewai or mem0 is imported
    return path


def percentiles(samples_ms: list[float]) -> dict[str, float]:
    ordered = sorted(samples_ms)

    def pick(q: float) -> float:
        return round(ordered[min(len(ordered) - 1, int(q * len(ordered)))], 1)

    return {
        "n": len(ordered),
        "p50_ms": pick(0.50),
        "p95_ms": pick(0.95),
        "p99_ms": pick(0.99),
        "mean_ms": round(statistics.fmean(ordered), 1),
    }


@contextmanager
def timed(into: list[float]) -> Iterator[None]:
    start = time.perf_counter()
    yield
    into.append((time.perf_counter() - start) * 1000)


def repeat(times: int, fn: Callable[[int], Any]) -> list[float]:
    samples: list[float] = []
    for i in range(times):
        with timed(samples):
            fn(i)
    return samples


def emit(result: dict[str, Any]) -> None:
    json.dump(result, sys.stdout, indent=2, ensure_ascii=False)
    print()
