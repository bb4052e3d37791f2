"""ConciergeMemory: the one memory interface the service, CLI, UI and eval use.

It validates input, applies session expiry and refuses bad calls before anything reaches a
backend, so every backend gets the same guarantees.
"""

from __future__ import annotations

import dataclasses
import json
import re
import unicodedata
import uuid
from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from concierge.errors import FieldError, InvalidInputError
from concierge.memory.records import (
    RECORD_KINDS,
    AddResult,
    MemoryBackend,
    MemoryRecord,
    PreparedFact,
    Retraction,
    version_chain,
)
from concierge.scope import Scope
from concierge.settings import MemoryPolicy

MAX_TEXT_CHARS = 8_000
MAX_TOP_K = 100
_ALLOWED_CONTROL = frozenset("\n\t")
_SURROGATE = re.compile("[\ud800-\udfff]")


def validate_text(kind: str, text: object, limit: int = MAX_TEXT_CHARS) -> str:
    """Return the NFC text, or raise naming the problem (invalid UTF-8, empty, too long, control characters)."""
    if not isinstance(text, str):
        raise InvalidInputError(f"{kind} must be text, got {type(text).__name__}")
    if _SURROGATE.search(text):
        # Lone surrogates are how Python carries bytes that were not UTF-8 (argv, surrogateescape'd input).
        raise InvalidInputError(f"{kind} contains bytes that are not valid UTF-8; re-type it as UTF-8 text and retry")
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n")
    if not text.strip():
        raise InvalidInputError(f"{kind} is empty: send at least one word")
    if len(text) > limit:
        raise InvalidInputError(
            f"{kind} is {len(text):,} characters; the limit is {limit:,}: split it into shorter messages"
        )
    bad = sorted({f"U+{ord(ch):04X}" for ch in text if unicodedata.category(ch) == "Cc" and ch not in _ALLOWED_CONTROL})
    if bad:
        raise InvalidInputError(f"{kind} contains control characters ({', '.join(bad[:5])}); remove them and retry")
    return text.strip()


def check_search(policy: MemoryPolicy, query: object, top_k: object, category: str | None) -> str:
    """The validated query; raise naming the problem (bad text, top_k out of range, unknown category)."""
    query = validate_text("query", query)
    check_top_k(top_k)
    known = {c.name for c in policy.categories}
    if category is not None and category not in known:
        raise InvalidInputError(f"unknown category {category!r}; known: {', '.join(sorted(known))}")
    return query


def check_top_k(top_k: object) -> int:
    """How many memories a search returns, or raise a ``FieldError`` (``top_k``) saying the allowed range."""
    if not isinstance(top_k, int) or isinstance(top_k, bool) or not 1 <= top_k <= MAX_TOP_K:
        raise FieldError("top_k", f"must be a whole number from 1 to {MAX_TOP_K}, got {top_k!r}")
    return top_k


def check_memory_id(memory_id: object, source: str = "the user's memory list") -> str:
    """The canonical memory id (a UUID), or raise a ``FieldError`` telling the user to copy one from ``source``."""
    try:
        return str(uuid.UUID(str(memory_id)))
    except ValueError as exc:
        raise FieldError("memory id", f"{memory_id!r} is not a memory id (a UUID); copy one from {source}") from exc


class ConciergeMemory:
    """Scoped, categorised memory over one backend."""

    def __init__(
        self, backend: MemoryBackend, policy: MemoryPolicy, *, release: Callable[[], None] | None = None
    ) -> None:
        self.backend = backend
        self.policy = policy
        self._release = release  # what the backend's config holds beyond ``close`` (the embedded server)
        self._categories = {c.name for c in policy.categories}
        self._always_recall = set(policy.always_recall_categories())

    def add(
        self, scope: Scope, text: str, *, infer: bool | None = None, session_only: bool = False, kind: str | None = None
    ) -> AddResult:
        """Store what ``text`` says about the user. ``session_only`` memories need a run_id and expire.

        A ``kind`` (``records.SESSION_STATE``) stores ``text`` verbatim as a session-only record that is not a
        fact: it never shows in ``list``/``search``/``export``, only in ``list(scope, kind=...)``.
        """
        text = validate_text("message", text)
        if kind is not None:
            if kind not in RECORD_KINDS:
                raise InvalidInputError(f"unknown record kind {kind!r}; known: {', '.join(sorted(RECORD_KINDS))}")
            session_only, infer = True, False
        if session_only and not scope.run_id:
            raise InvalidInputError("a session-only memory needs a session (run_id); pass --session / run_id")
        expires_at = None
        if session_only:
            expires_at = (datetime.now(UTC) + timedelta(minutes=self.policy.session_ttl_minutes)).isoformat()
        infer = self.policy.infer if infer is None else infer
        if kind is not None:
            return self.backend.add(scope, text, infer=False, session_only=True, expires_at=expires_at, kind=kind)
        return self.backend.add(scope, text, infer=infer, session_only=session_only, expires_at=expires_at)

    def search(
        self,
        scope: Scope,
        query: str,
        *,
        top_k: int = 5,
        category: str | None = None,
        latest_only: bool = True,
    ) -> list[MemoryRecord]:
        """Up to ``top_k`` live memories of the scope, best first, none scoring below the policy's ``min_score``.

        Superseded versions are left out unless ``latest_only=False``.

        The floor (which the crew's recall gets too, searching through here) keeps unrelated memories out of
        answers and prompts; a search within an ``always_recall`` category keeps its best matches whatever the
        score, since those (allergies) must reach every turn. A store that gives no score keeps its order.
        """
        query = check_search(self.policy, query, top_k, category)
        now = datetime.now(UTC)
        found = self.backend.search(scope, query, top_k=top_k, category=category, latest_only=latest_only)
        found = [r for r in found if not r.is_expired(now) and r.kind is None and (r.is_current or not latest_only)]
        if category in self._always_recall:  # recalled whatever the message: no relevance floor
            return found
        floor = self.policy.min_score
        return [r for r in found if r.score is None or r.score >= floor]

    def list(self, scope: Scope, *, latest_only: bool = True, kind: str | None = None) -> list[MemoryRecord]:
        """All live memories of the user (long-term, plus the scope's session if it has one).

        With ``kind``: only that session's live records of the kind (oldest first), e.g. its session state; a scope
        without a session gets every session's (a picker of earlier sessions).
        Expired ones are left out here; the backends delete them (Mem0 OSS on a schedule, Cloud when listed).
        Superseded versions are left out unless ``latest_only=False``.
        """
        now = datetime.now(UTC)
        if kind is None:
            found = self.backend.list(scope, latest_only=latest_only)
            return [r for r in found if not r.is_expired(now) and r.kind is None and (r.is_current or not latest_only)]
        if kind not in RECORD_KINDS:
            raise InvalidInputError(f"unknown record kind {kind!r}; known: {', '.join(sorted(RECORD_KINDS))}")
        return [r for r in self.backend.list(scope, kind=kind) if not r.is_expired(now) and r.kind == kind]

    def history(self, scope: Scope, memory_id: str) -> list[MemoryRecord]:
        """Every version linked to ``memory_id`` (what it replaced and what replaced it), oldest first.

        Raises for an id that is not a UUID or not one of this user's memories in this project.
        """
        memory_id = check_memory_id(memory_id)
        chain = version_chain(self.list(scope, latest_only=False), memory_id)
        if not chain:
            raise InvalidInputError(
                f"no memory {memory_id} for user {scope.user_id!r} in project {scope.project_id!r}; "
                "copy an id from `concierge memory list --all-versions`"
            )
        return chain

    def delete(self, scope: Scope, memory_id: str) -> bool:
        """Delete one row only; the versions it replaced stay hidden (``retract`` makes them current again)."""
        return self.backend.delete(scope, check_memory_id(memory_id))

    def retract(self, scope: Scope, memory_id: str) -> Retraction:
        """Delete one memory as if it had never been said: the versions it replaced are current again.

        Why: a memory that superseded others is usually a correction ("I'm vegan now"); deleting it alone would
        leave its earlier versions hidden for good, and "scratch that" would leave the user with no diet at all.
        Only rows of this user in this project that the memory itself superseded are touched (through the
        guarded store, like the supersession that hid them). Retracting a superseded (middle) version
        re-points what it replaced to its successor, so the current version stays the only current one.
        """
        memory_id = check_memory_id(memory_id)
        versions = {r.id: r for r in self.list(scope, latest_only=False)}
        memory = versions.get(memory_id)
        if memory is None:
            return Retraction(None)
        replaced = [r for r in versions.values() if r.superseded_by == memory_id]
        moved = self.backend.retract(scope, memory, replaced)
        if moved is None:
            return Retraction(None)
        if memory.superseded_by:
            return Retraction(memory)
        now_current = (dataclasses.replace(r, superseded_by=None, superseded_at=None) for r in replaced)
        return Retraction(memory, tuple(r for r in now_current if r.id in moved))

    def load_prepared(self, facts: Sequence[PreparedFact]) -> None:
        """Store facts already worded and embedded (a migration, a benchmark's bulk load), all in one project.

        Why: extracting 100k facts one by one takes hours; these skip extraction and the duplicate and
        supersession decisions, but not the checks: each fact's scope and text are validated here, and the
        storage boundary applies the scope and the category policy as for any add.
        """
        projects = {(f.scope.org_id, f.scope.project_id) for f in facts}
        if len(projects) > 1:
            raise InvalidInputError("load prepared facts one project at a time")
        for fact in facts:
            validate_text("fact", fact.text)
        if facts:
            self.backend.load_prepared(facts)

    def forget(self, scope: Scope) -> int:
        """Delete every memory of one user in one project; other users and projects are untouched."""
        return self.backend.forget(scope)

    def every_session(self, scope: Scope) -> list[MemoryRecord]:
        """The user's live facts, long-term and of every session (not expired): what ``forget`` erases that they
        can see. Why: ``list`` shows one session's, so "forget 0" was asked while a session's memories went too."""
        now = datetime.now(UTC)
        return [r for r in self.backend.every_session(scope) if not r.is_expired(now)]

    def drop_project(self, org_id: str, project_id: str) -> None:
        """Remove a whole (org, project) namespace; only for throw-away namespaces such as eval runs."""
        self.backend.drop_project(org_id, project_id)

    def export(self, scope: Scope, *, latest_only: bool = True) -> dict[str, Any]:
        """The user's memories as a dict; ``latest_only=False`` includes superseded versions."""
        return {
            "org_id": scope.org_id,
            "project_id": scope.project_id,
            "user_id": scope.user_id,
            "exported_at": datetime.now(UTC).isoformat(),
            "memories": [r.to_dict() for r in self.list(scope, latest_only=latest_only)],
        }

    def export_json(self, scope: Scope, *, latest_only: bool = True) -> str:
        return json.dumps(self.export(scope, latest_only=latest_only), ensure_ascii=False, indent=2)

    def close(self) -> None:
        self.backend.close()

    def release(self) -> None:
        """After ``close``: let go of what the backend's config holds (the embedded server handle)."""
        if self._release is not None:
            self._release()
