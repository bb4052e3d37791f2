"""Run the ``concierge`` CLI in a fresh process, as a user would, with a controlled environment."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Everything that picks a store, a model or a log level: a test sets only what it means to.
CHOICES = (
    "MEM0_API_KEY",
    "MEM0_HOST",
    "DATABASE_URL",
    "QDRANT_URL",
    "QDRANT_PATH",
    "QDRANT_API_KEY",
    "OPENAI_API_KEY",
    "OPENAI_BASE_URL",
    "OPENAI_API_BASE",
    "LLM_BASE_URL",
    "LLM_MODEL",
    "LLM_API_KEY",
    "CONCIERGE_MEMORY_BACKEND",
    "CONCIERGE_LLM",
    "CONCIERGE_PROJECT_ID",
    "CONCIERGE_LOG_LEVEL",
    "PYTHONWARNINGS",
)


def run_cli(
    args: list[str], data_dir: Path, env: dict[str, str] | None = None, timeout: float = 240
) -> subprocess.CompletedProcess[str]:
    """``python -m concierge.cli ARGS`` with the checkout first on the path and only ``env`` chosen."""
    return run_python(["-m", "concierge.cli", *args], data_dir, env, timeout)


def run_python(
    args: list[str], data_dir: Path, env: dict[str, str] | None = None, timeout: float = 240
) -> subprocess.CompletedProcess[str]:
    """``python ARGS`` in the environment ``run_cli`` uses."""
    environ = {k: v for k, v in os.environ.items() if k not in CHOICES}
    environ |= {"PYTHONPATH": str(ROOT), "CONCIERGE_DATA_DIR": str(data_dir), **(env or {})}
    return subprocess.run(
        [sys.executable, *args],
        cwd=ROOT,
        env=environ,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def free_port() -> int:
    """A loopback port nothing listens on (connections to it are refused)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def silent_port() -> Iterator[int]:
    """A loopback port that accepts TCP connections and never answers: a client can only time out."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen(16)  # the kernel completes handshakes; nothing ever reads or replies
        yield int(sock.getsockname()[1])


def stderr_lines(result: subprocess.CompletedProcess[str]) -> list[str]:
    return [line for line in result.stderr.splitlines() if line.strip()]
