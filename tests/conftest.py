"""Shared fixtures: one embedded PostgreSQL per test session, a fresh project (table) per test."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import freezegun
import pydantic.v1  # noqa: F401 - spaCy imports it lazily; its date subclasses cannot be defined under freeze_time
import pytest

from concierge.service import ConciergeService
from concierge.settings import Settings, load_settings

# freezegun walks every loaded module's attributes; transformers' lazy modules import heavy code
# (and crash) when touched that way. They never read the clock we freeze.
freezegun.configure(extend_ignore_list=["transformers", "torch", "sklearn", "scipy", "pandas", "pyarrow"])


@pytest.fixture(scope="session")
def state_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("state")
    os.environ["CONCIERGE_DATA_DIR"] = str(path)
    for key in (
        "MEM0_API_KEY",
        "DATABASE_URL",
        "QDRANT_URL",
        "QDRANT_PATH",
        "OPENAI_API_KEY",
        "LLM_BASE_URL",
        "CONCIERGE_MEMORY_BACKEND",
        "CONCIERGE_LLM",
        "CONCIERGE_PROJECT_ID",
    ):
        os.environ.pop(key, None)
    return path


@pytest.fixture(scope="session")
def settings(state_dir: Path) -> Settings:
    return load_settings()


@pytest.fixture(scope="session")
def service(settings: Settings) -> Iterator[ConciergeService]:
    svc = ConciergeService.from_settings(settings)
    yield svc
    svc.close()


@pytest.fixture
def project() -> str:
    """A project id of its own: its own table, so tests never see each other's data."""
    return f"test-{uuid.uuid4().hex[:10]}"
