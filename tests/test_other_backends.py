"""External PostgreSQL (DATABASE_URL) and Qdrant local mode through the same memory layer."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from pydantic import SecretStr

from concierge.llm.factory import extractor
from concierge.memory.providers import build_memory
from concierge.scope import Scope
from concierge.service import ConciergeService
from concierge.settings import Settings


def test_external_postgres_via_database_url(service: ConciergeService, settings: Settings, project: str) -> None:
    # The embedded server stands in for a managed PostgreSQL: the "postgres" backend only gets a URL.
    from concierge.memory.embedded_postgres import ensure_server

    url = ensure_server(settings.data_dir / "pg")
    external = build_memory(
        settings.model_copy(update={"backend": "postgres", "database_url": SecretStr(url)}), extractor
    )
    try:
        scope = Scope("local", project, "alice")
        external.add(scope, "I'm looking for a house in France")
        assert [r.text for r in external.search(scope, "where to live")] == ["User is looking for a house in France"]
        # Same database, same table: the embedded backend sees it too.
        assert [r.text for r in service.memories(service.scope("alice", project_id=project))] == [
            "User is looking for a house in France"
        ]
    finally:
        external.close()


def test_qdrant_local_mode_threads_are_serialised(settings: Settings, tmp_path: Path) -> None:
    memory = build_memory(
        settings.model_copy(update={"backend": "qdrant", "qdrant_path": tmp_path / "qdrant"}), extractor
    )
    try:
        users = [f"q{i}" for i in range(6)]

        def write(user: str) -> None:
            for turn in range(5):
                memory.add(Scope("local", "production", user), f"I love the island number {turn} of {user}")

        with ThreadPoolExecutor(6) as pool:
            list(pool.map(write, users))
        for user in users:
            texts = [r.text for r in memory.list(Scope("local", "production", user))]
            assert len(texts) == 5 and all(user in t for t in texts)
        staging = [r.text for r in memory.list(Scope("local", "staging", "q0"))]
        assert staging == []
    finally:
        memory.close()


def test_qdrant_local_folder_in_use_is_a_clear_error(settings: Settings, tmp_path: Path) -> None:
    from concierge.errors import StoreUnavailableError

    first = build_memory(settings.model_copy(update={"backend": "qdrant", "qdrant_path": tmp_path / "q"}), extractor)
    try:
        with pytest.raises(StoreUnavailableError, match="QDRANT_URL"):
            build_memory(settings.model_copy(update={"backend": "qdrant", "qdrant_path": tmp_path / "q"}), extractor)
    finally:
        first.close()
