"""Qdrant through mem0: a server (QDRANT_URL) or a local folder (QDRANT_PATH; one client per process, serialised).

Everything Qdrant-specific at the storage boundary lives here: the local client, insert-once by a
key-derived point id, the "current versions only" filter and the payload merge.
"""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ConfigDict, SecretStr

from concierge import embeddings
from concierge.errors import StoreUnavailableError
from concierge.memory.dedupe import Row, fact_key, key_filters, listed_rows
from concierge.memory.versions import SUPERSEDED_AT, SUPERSEDED_BY, StoreOps
from concierge.redact import redact_url

if TYPE_CHECKING:
    from concierge.memory.extractor import Extractor
    from concierge.settings import Settings

_ID_NAMESPACE = uuid.UUID("5b0a8f6e-3c51-4bb8-9a53-0f0c7f9d2e41")
_EPOCH = "1970-01-01T00:00:00+00:00"


class QdrantStoreConfig(BaseModel):
    """Qdrant server (url) or local folder (path; single client per process, serialized)."""

    model_config = ConfigDict(frozen=True)
    url: str | None = None
    path: Path | None = None
    api_key: SecretStr | None = None

    @classmethod
    def from_settings(cls, settings: Settings) -> QdrantStoreConfig:
        return cls(url=settings.qdrant_url, path=settings.qdrant_path, api_key=settings.qdrant_api_key)

    @property
    def is_local(self) -> bool:
        return self.url is None

    def mem0_config(self, collection: str, client: Any = None) -> tuple[str, dict[str, Any]]:
        config: dict[str, Any] = {"collection_name": collection, "embedding_model_dims": embeddings.EMBEDDING_DIMS}
        if client is not None:
            config["client"] = client
        else:
            config["url"] = self.url
            config["api_key"] = self.api_key.get_secret_value() if self.api_key else None
        return "qdrant", config

    def release(self) -> None:
        return None


def local_client(path: Path) -> Any:
    from qdrant_client import QdrantClient

    class LocalQdrantClient(QdrantClient):
        """mem0 asks for keyword payload indexes, which local mode ignores (with a UserWarning each): skip them."""

        def create_payload_index(self, *args: Any, **kwargs: Any) -> Any:
            return None

    path.mkdir(parents=True, exist_ok=True)
    try:
        return LocalQdrantClient(path=str(path))
    except RuntimeError as exc:
        raise StoreUnavailableError(
            f"Qdrant local folder {path} is in use by another process ({exc}). Local mode allows one process: "
            "run a Qdrant server and set QDRANT_URL, or use the embedded PostgreSQL (unset QDRANT_PATH)."
        ) from exc


def current_only(filters: dict[str, Any]) -> dict[str, Any]:
    """mem0's Qdrant dialect has no "field exists": a superseded row is one whose ``superseded_at`` is a date."""
    return {**filters, "NOT": [*filters.get("NOT", []), {SUPERSEDED_AT: {"gte": _EPOCH}}]}


def insert_once_by_key(inner: Any, rows: list[Row]) -> list[str | None]:
    """No transactions or locks in Qdrant: look up the key among current rows, then upsert under an id derived
    from the key and the ids of its superseded versions, so racing writers upsert one point and a fact said
    again after it changed gets a new point instead of overwriting its history."""
    stored_as: list[str | None] = []
    fresh: list[Row] = []
    for row in rows:
        key = fact_key(row.payload)
        found = listed_rows(inner.list(filters=current_only(key_filters(key)), top_k=1))
        point_id = None
        if not found:
            older = sorted(str(r.id) for r in listed_rows(inner.list(filters=key_filters(key), top_k=1_000)))
            point_id = str(uuid.uuid5(_ID_NAMESPACE, "\x00".join((inner.collection_name, *key, *older))))
        stored_as.append(point_id)
        if point_id is not None:
            fresh.append(Row(point_id, row.vector, row.payload))
    if fresh:
        inner.insert(vectors=[r.vector for r in fresh], payloads=[r.payload for r in fresh], ids=[r.id for r in fresh])
    return stored_as


def merge_payload(inner: Any, vector_id: str, user_id: str, fields: dict[str, Any]) -> bool:
    """Qdrant's ``set_payload`` merges keys; the ownership and not-yet-superseded checks are done first."""
    row = inner.get(vector_id=vector_id)
    payload = getattr(row, "payload", None) or {}
    if row is None or payload.get("user_id") != user_id or (SUPERSEDED_BY in fields and SUPERSEDED_BY in payload):
        return False
    inner.update(vector_id=vector_id, payload=fields)
    return True


def semantic_search_only(memory: Any) -> None:
    """mem0's Qdrant store adds BM25 keyword scores when fastembed is installed; fastembed downloads its BM25
    model at run time, which this offline app never does. Say "not available" up front, so mem0 does not
    try the import and warn "fastembed not installed" on every process."""
    if hasattr(memory.vector_store, "_bm25_encoder"):
        memory.vector_store._bm25_encoder = False  # mem0's own "tried, unavailable" sentinel


def relink(inner: Any, vector_id: str, user_id: str, was: str, now: str | None) -> bool:
    """Checked first like ``merge_payload``, then ``set_payload`` (re-point) or ``delete_payload`` (current again:
    ``current_only`` tests ``superseded_at``, and a point without the key passes it)."""
    row = inner.get(vector_id=vector_id)
    payload = getattr(row, "payload", None) or {}
    if row is None or payload.get("user_id") != user_id or payload.get(SUPERSEDED_BY) != was:
        return False
    if now is not None:
        inner.update(vector_id=vector_id, payload={SUPERSEDED_BY: now})
    else:
        inner.client.delete_payload(
            collection_name=inner.collection_name, keys=[SUPERSEDED_BY, SUPERSEDED_AT], points=[vector_id]
        )
    return True


OPS = StoreOps(insert_once=insert_once_by_key, current_only=current_only, merge_payload=merge_payload, relink=relink)


def build(config: QdrantStoreConfig, settings: Settings, extractor: Extractor) -> Any:
    """A mem0 OSS backend on Qdrant: one collection per project; local mode behind one process-wide lock."""
    from concierge.memory.mem0_oss import Mem0OssBackend

    client = local_client(config.path) if config.is_local and config.path else None

    def store(collection: str) -> tuple[str, dict[str, Any]]:
        return config.mem0_config(collection, client)

    where = f"QDRANT_URL={redact_url(config.url)}" if config.url else f"QDRANT_PATH={config.path}"
    return Mem0OssBackend.from_settings(
        settings,
        extractor,
        vector_store=store,
        ops=OPS,
        serialize=config.is_local,
        setting=where,
        prepare_collection=semantic_search_only,
        explain_failure=lambda exc: server_answer_line(where, exc),
    )


def server_answer_line(where: str, exc: BaseException) -> str | None:
    """One line for a Qdrant server that answered with an error status (401: a wrong QDRANT_API_KEY) or with
    a body that is not Qdrant's (another service at that port); None for anything else."""
    if isinstance(exc, AssertionError):
        answer = "with a body that is not Qdrant's (another service at that address?)"
    else:
        status = getattr(exc, "status_code", None)
        if status is None:
            return None
        answer = f"with HTTP {status} {getattr(exc, 'reason_phrase', '') or ''}".rstrip()
    return f"the Qdrant memory store at {where} answered {answer}; check QDRANT_URL and QDRANT_API_KEY, then retry"
