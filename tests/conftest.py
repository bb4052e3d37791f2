"""Shared fixtures: a clean environment for every test, one embedded PostgreSQL per test session, a fresh
project (table) per test.

Nothing a test run writes lands in the checkout: the data dir (embedded database, mem0's and crewAI's
folders, the catalog cache) is a temp folder, set before anything imports crewai or mem0.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import freezegun
import hypothesis
import pydantic.v1  # noqa: F401 - spaCy imports it lazily; its date subclasses cannot be defined under freeze_time
import pytest
import srsly  # noqa: F401 - spaCy's msgpack checks datetime's C size at import: wrong under freeze_time

from concierge.runtime_env import prepare_environment

if TYPE_CHECKING:
    from concierge.service import ConciergeService
    from concierge.settings import Settings

# Variables of this project and of the libraries it configures: whatever the developer's shell sets (a
# DATABASE_URL, an OPENAI_API_KEY, a CONCIERGE_PROJECT_ID) must not change what a test sees.
_CLEANED_PREFIXES = ("CONCIERGE_", "DATABASE_URL", "QDRANT_", "MEM0_", "OPENAI_", "LLM_", "CREWAI_", "OTEL_")

for _name in [name for name in os.environ if name.startswith(_CLEANED_PREFIXES)]:
    del os.environ[_name]
_STATE_DIR = Path(tempfile.mkdtemp(prefix="concierge-test-state-"))
os.environ["CONCIERGE_DATA_DIR"] = str(_STATE_DIR)
prepare_environment()  # the entry points' defaults, pointing mem0 and crewAI into the temp data dir
_BASELINE = {name: value for name, value in os.environ.items() if name.startswith(_CLEANED_PREFIXES)}

# Hypothesis keeps no example database and its caches in the temp data dir, not .hypothesis/ in the checkout.
os.environ["HYPOTHESIS_STORAGE_DIRECTORY"] = str(_STATE_DIR / "hypothesis")
hypothesis.settings.register_profile("concierge", database=None)
hypothesis.settings.load_profile("concierge")

# freezegun walks every loaded module's attributes; transformers' lazy modules import heavy code
# (and crash) when touched that way. They never read the clock we freeze.
freezegun.configure(extend_ignore_list=["transformers", "torch", "sklearn", "scipy", "pandas", "pyarrow"])


def pytest_configure(config: pytest.Config) -> None:
    if config.pluginmanager.hasplugin("xdist"):  # the suite's split over workers (tests/parallel.py)
        from tests.parallel import Scheduler

        config.pluginmanager.register(Scheduler(), "concierge-scheduler")


def pytest_unconfigure(config: pytest.Config) -> None:
    from concierge.memory.embedded_postgres import release_all

    release_all()  # first: a server whose folder is gone can no longer be proven ours, so nobody could stop it
    shutil.rmtree(_STATE_DIR, ignore_errors=True)


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Every test starts from the baseline environment: no project variable beyond the session's own."""
    for name in [n for n in os.environ if n.startswith(_CLEANED_PREFIXES) and n not in _BASELINE]:
        monkeypatch.delenv(name)
    for name, value in _BASELINE.items():
        if os.environ.get(name) != value:
            monkeypatch.setenv(name, value)
    yield


@pytest.fixture(scope="session")
def state_dir() -> Path:
    return _STATE_DIR


@pytest.fixture(scope="session")
def settings(state_dir: Path) -> Settings:
    from concierge.settings import load_settings

    return load_settings()


@pytest.fixture(scope="session")
def service(settings: Settings) -> Iterator[ConciergeService]:
    from concierge.service import ConciergeService

    svc = ConciergeService.from_settings(settings)
    yield svc
    svc.close()


@pytest.fixture
def project() -> str:
    """A project id of its own: its own table, so tests never see each other's data."""
    return f"test-{uuid.uuid4().hex[:10]}"
