"""Mem0 Cloud backend: scoping, categories, includes/excludes and infer are passed natively.

The platform scopes by the API key's org/project; we also send ``org_id``/``project_id`` and check
every returned memory against the requested user before handing it on (fail closed). By-id calls
(``get``/``delete``) carry only the id, so a delete first finds the id among the memories listed for
the scope's org, project and user, and is refused otherwise.

Versions are the platform's own: it decides supersession itself, chaining a new memory to the ones it
replaces with ``linked_memory_ids``, and search/list send ``latest_only``. A memory's
``superseded_by``/``superseded_at`` are read from the newer memory of the same user that links it.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, SecretStr

from concierge.errors import InvalidInputError, StoreUnavailableError
from concierge.memory.records import AddResult, MemoryRecord, PreparedFact
from concierge.redact import redact_text, redact_url
from concierge.scope import Scope
from concierge.settings import MemoryPolicy, Settings

logger = logging.getLogger(__name__)
_PAGE_SIZE = 200


class CloudStoreConfig(BaseModel):
    """Mem0 Cloud: an API key (MEM0_API_KEY) and optionally another host (MEM0_HOST)."""

    model_config = ConfigDict(frozen=True)
    api_key: SecretStr
    host: str | None = None

    @classmethod
    def from_settings(cls, settings: Settings) -> CloudStoreConfig:
        if settings.mem0_api_key is None:
            raise StoreUnavailableError("the cloud memory backend needs MEM0_API_KEY; set it or use embedded")
        return cls(api_key=settings.mem0_api_key, host=settings.mem0_host)

    def release(self) -> None:
        return None


def build(config: CloudStoreConfig, settings: Settings, extractor: Any = None) -> CloudBackend:
    """The platform does its own extraction and categories: the local extractor is not used."""
    return CloudBackend.from_config(config, settings.policy)


def _record(item: dict[str, Any], scope: Scope, newer: dict[str, dict[str, Any]] | None = None) -> MemoryRecord:
    """The record mapper of this backend; ``newer`` maps an id to the memory that links (supersedes) it."""
    meta = item.get("metadata") or {}
    successor = (newer or {}).get(str(item["id"]))
    return MemoryRecord(
        id=str(item["id"]),
        text=item.get("memory", ""),
        user_id=item.get("user_id", ""),
        project_id=scope.project_id,
        categories=tuple(item.get("categories") or ()),
        created_at=item.get("created_at"),
        run_id=item.get("run_id"),
        source_run_id=meta.get("source_run_id"),
        expires_at=meta.get("expires_at"),
        score=item.get("score"),
        supersedes=tuple(str(i) for i in item.get("linked_memory_ids") or ()),
        superseded_by=str(successor["id"]) if successor else None,
        superseded_at=successor.get("created_at") if successor else None,
        kind=meta.get("kind"),
    )


class CloudBackend:
    name = "cloud"

    def __init__(self, client: Any, policy: MemoryPolicy) -> None:
        self._client = client
        self._custom_categories = [{c.name: c.description} for c in policy.categories]
        self._includes = ", ".join(policy.includes) or None
        self._excludes = ", ".join(f"{c.name} ({c.description})" for c in policy.excludes) or None

    @classmethod
    def from_settings(cls, settings: Settings) -> CloudBackend:
        return cls.from_config(CloudStoreConfig.from_settings(settings), settings.policy)

    @classmethod
    def from_config(cls, config: CloudStoreConfig, policy: MemoryPolicy) -> CloudBackend:
        from mem0 import MemoryClient

        try:
            client = MemoryClient(api_key=config.api_key.get_secret_value(), host=config.host)
        except Exception as exc:
            raise StoreUnavailableError(
                f"Mem0 Cloud at {redact_url(config.host) or 'https://api.mem0.ai'} refused or could not be reached "
                f"({type(exc).__name__}); check MEM0_API_KEY and MEM0_HOST"
            ) from exc
        return cls(client, policy)

    def _call(self, method: str, *args: Any, **kwargs: Any) -> Any:
        try:
            return getattr(self._client, method)(*args, **kwargs)
        except Exception as exc:
            raise StoreUnavailableError(
                f"Mem0 Cloud {method} failed ({type(exc).__name__}: {redact_text(str(exc))}); "
                "check MEM0_API_KEY / MEM0_HOST and retry"
            ) from exc

    @staticmethod
    def _scope_fields(scope: Scope) -> dict[str, str]:
        return {"org_id": scope.org_id, "project_id": scope.project_id}

    def _own(self, items: list[dict[str, Any]], scope: Scope, kind: str | None = None) -> list[MemoryRecord]:
        """The scope's rows only: this user's long-term memories plus its own session's (of ``kind``: None = facts)."""
        mine = []
        for item in items:
            if item.get("user_id") != scope.user_id:
                logger.error("Mem0 Cloud returned a memory outside the requested user; dropped it")
            elif (item.get("metadata") or {}).get("kind") != kind:
                continue
            elif item.get("run_id") in (None, scope.run_id) or (kind and scope.run_id is None):  # every session's
                mine.append(item)
        newer = {str(old): item for item in mine for old in item.get("linked_memory_ids") or ()}
        return [_record(item, scope, newer) for item in mine]

    def add(
        self,
        scope: Scope,
        text: str,
        *,
        infer: bool,
        session_only: bool,
        expires_at: str | None,
        kind: str | None = None,
    ) -> AddResult:
        filters: dict[str, str] = {"user_id": scope.user_id}
        if session_only and scope.run_id:
            filters["run_id"] = scope.run_id
        metadata: dict[str, str] = {}
        if scope.run_id:
            metadata["source_run_id"] = scope.run_id
        if session_only and expires_at:
            metadata["expires_at"] = expires_at
        if kind:
            metadata["kind"] = kind
        response = self._call(
            "add",
            [{"role": "user", "content": text}],
            filters=filters,
            metadata=metadata or None,
            infer=infer,
            custom_categories=self._custom_categories,
            includes=self._includes,
            excludes=self._excludes,
            **self._scope_fields(scope),
        )
        items = response.get("results", []) if isinstance(response, dict) else response
        run = {"run_id": filters.get("run_id"), "metadata": metadata}
        stored = [
            _record({**i, "user_id": scope.user_id, **run}, scope) for i in items if i.get("event", "ADD") == "ADD"
        ]
        return AddResult(stored=stored)

    def search(
        self, scope: Scope, query: str, *, top_k: int, category: str | None, latest_only: bool = True
    ) -> list[MemoryRecord]:
        filters: dict[str, Any] = {"user_id": scope.user_id}
        if category:
            filters["categories"] = {"contains": category}
        response = self._call(
            "search", query, filters=filters, top_k=top_k, latest_only=latest_only, **self._scope_fields(scope)
        )
        return self._own(response.get("results", []), scope)

    def _all_items(self, scope: Scope, latest_only: bool = False) -> list[dict[str, Any]]:
        items: list[dict[str, Any]] = []
        page = 1
        while True:
            response = self._call(
                "get_all",
                filters={"user_id": scope.user_id},
                page=page,
                page_size=_PAGE_SIZE,
                latest_only=latest_only,
                **self._scope_fields(scope),
            )
            items += response.get("results", [])
            if not response.get("next"):
                break
            page += 1
        return items

    def list(self, scope: Scope, *, latest_only: bool = True, kind: str | None = None) -> list[MemoryRecord]:
        """The scope's memories; expired session memories among them are deleted on the platform."""
        records = self._own(self._all_items(scope, latest_only), scope, kind)
        now = datetime.now(UTC)
        for record in (r for r in records if r.is_expired(now)):
            try:
                self._client.delete(record.id)
            except (
                Exception
            ) as exc:  # already deleted by a concurrent reader, or the platform is busy: retried next list
                logger.info("could not delete an expired memory yet (%s)", type(exc).__name__)
        return records

    def _owns(self, scope: Scope, memory_id: str) -> bool:
        """Whether the id is among the memories listed for this org, project and user."""
        return any(
            str(item.get("id")) == memory_id and item.get("user_id") == scope.user_id for item in self._all_items(scope)
        )

    def delete(self, scope: Scope, memory_id: str) -> bool:
        if not self._owns(scope, memory_id):
            return False  # absent, or another user's, project's or org's: indistinguishable by design
        self._call("delete", memory_id)
        return True

    def load_prepared(self, facts: Sequence[PreparedFact]) -> None:
        """The platform embeds and extracts on its side: it takes text, never vectors."""
        raise InvalidInputError("Mem0 Cloud embeds on the platform: add these facts as text (memory add) instead")

    def retract(self, scope: Scope, memory: MemoryRecord, replaced: Sequence[MemoryRecord]) -> list[str] | None:
        """The platform keeps a version's link on the newer memory (``linked_memory_ids``) and offers no call to
        change it. Deleting a current memory takes its links with it, so what it replaced is listed as current
        again: reported only if the platform's ``latest_only`` list now shows it. Deleting a middle version
        would make the older ones current next to the newest, so that is refused and nothing is deleted."""
        if replaced and memory.superseded_by:
            raise InvalidInputError(
                "Mem0 Cloud links versions itself and cannot re-point them: deleting this earlier version would make "
                "the ones it replaced current again; nothing was deleted. Delete the current version instead."
            )
        if not self.delete(scope, memory.id):
            return None
        current = {r.id for r in self.list(scope)} if replaced else set()
        hidden = [r.id for r in replaced if r.id not in current]
        if hidden:
            logger.warning("Mem0 Cloud still hides %d version(s) the deleted memory had replaced", len(hidden))
        return [r.id for r in replaced if r.id in current]

    def every_session(self, scope: Scope) -> list[MemoryRecord]:
        mine = [i for i in self._all_items(scope, latest_only=True) if i.get("user_id") == scope.user_id]
        return [_record(i, scope) for i in mine if not (i.get("metadata") or {}).get("kind")]

    def forget(self, scope: Scope) -> int:
        count = sum(1 for item in self._all_items(scope) if item.get("user_id") == scope.user_id)
        self._call("delete_all", user_id=scope.user_id, **self._scope_fields(scope))
        return count

    def drop_project(self, org_id: str, project_id: str) -> None:
        raise InvalidInputError(
            "Mem0 Cloud projects are managed on the platform; use a local backend for throw-away namespaces"
        )

    def close(self) -> None:
        self._client.client.close()
