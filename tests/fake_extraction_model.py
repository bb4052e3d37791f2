"""A FAKE mem0 extraction model for tests (unit level), not a product component.

It returns the offline extractor's facts and adds a scripted supersession decision, the way a real
model answers mem0: ``"supersedes"`` lists ids from the "## Existing Memories" section of the prompt.
The test sets ``SCRIPT``: ``rules`` (new fact containing A supersedes each shown memory containing B) or
``raw_ids`` (ids to send as they are, to test that bad ones are refused) and ``key`` (the JSON key used).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from concierge.memory.layer import ConciergeMemory
from concierge.offline.extraction import OfflineExtractionLLM, OfflineExtractorConfig
from concierge.settings import Settings

PROVIDER = "fake_superseding_model"


@dataclass
class Script:
    rules: list[tuple[str, str]] = field(default_factory=list)
    raw_ids: list[Any] | None = None
    key: str = "supersedes"
    prompts: list[str] = field(default_factory=list)


SCRIPT = Script()


def existing_memories(prompt: str) -> list[dict[str, Any]]:
    header = "## Existing Memories\n"
    if header not in prompt:
        return []
    listed, _ = json.JSONDecoder().raw_decode(prompt, prompt.index(header) + len(header))
    return listed


class FakeSupersedingModel(OfflineExtractionLLM):
    def generate_response(self, messages: list[dict[str, str]], response_format: Any = None, **kwargs: Any) -> str:
        answer = json.loads(super().generate_response(messages, response_format, **kwargs))
        prompt = messages[-1]["content"]
        SCRIPT.prompts.append(prompt)
        shown = existing_memories(prompt)
        for item in answer["memory"]:
            item.pop("supersedes", None)  # the script alone decides, not the offline extractor underneath
            if SCRIPT.raw_ids is not None:
                item[SCRIPT.key] = SCRIPT.raw_ids
                continue
            ids = [e["id"] for new, old in SCRIPT.rules if new in item["text"] for e in shown if old in e["text"]]
            if ids:
                item[SCRIPT.key] = ids
        return json.dumps(answer)


def register() -> str:
    from mem0.utils.factory import LlmFactory

    LlmFactory.register_provider(PROVIDER, f"{__name__}.FakeSupersedingModel", OfflineExtractorConfig)
    return PROVIDER


def memory_with_fake_model(settings: Settings, kind: str, tmp_path: Path) -> ConciergeMemory:
    """The real backend code ("embedded" PostgreSQL or local "qdrant") with this FAKE model as mem0's extractor."""
    from pydantic import SecretStr

    from concierge.llm.factory import states_a_fact
    from concierge.memory.backends import pgvector, qdrant
    from concierge.memory.categories import CategoryClassifier
    from concierge.memory.mem0_oss import Mem0OssBackend

    classifier = CategoryClassifier(settings.policy, states_a_fact=states_a_fact)
    common: dict[str, Any] = {
        "llm": (register(), {"classifier": classifier}),
        "classifier": classifier,
        "custom_instructions": None,
    }
    if kind == "embedded":
        from concierge.memory.embedded_postgres import ensure_server, with_session_options

        url = with_session_options(ensure_server(settings.data_dir / "pg"))
        pg = pgvector.PgvectorStoreConfig(connection_string=SecretStr(url))
        backend = Mem0OssBackend(
            name="embedded",
            vector_store=pg.mem0_config,
            ops=pgvector.OPS,
            prepare_collection=pgvector.prepare_pg_collection,
            close_store=pg.close,
            **common,
        )
    else:
        config = qdrant.QdrantStoreConfig(path=tmp_path / "qdrant")
        client = qdrant.local_client(tmp_path / "qdrant")
        backend = Mem0OssBackend(
            name="qdrant",
            vector_store=lambda c: config.mem0_config(c, client),
            ops=qdrant.OPS,
            serialize=True,
            **common,
        )
    return ConciergeMemory(backend, settings.policy)
