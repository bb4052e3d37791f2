"""Who a memory belongs to. Every read and write carries a validated Scope; there is no default user."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from concierge.errors import FieldError

MAX_ID_LENGTH = 64
_EXTRA_ID_CHARS = frozenset("_-.@")
_EXAMPLES = {"project_id": "default", "run_id": "s1", "org_id": "local"}  # any other kind of id: a user's


def validate_id(kind: str, value: object) -> str:
    """Return the NFC form of an id, or raise a ``FieldError`` naming ``kind``, the rule it broke and the fix.

    Letters and digits of any script plus ``_ - . @`` are allowed, so ``zoë`` and ``zoe`` are
    two users; case is kept, so ``alice`` and ``Alice`` are two users. An id needs at least one
    letter or digit (``-``, ``.`` and ``..`` are refused).
    """
    example = _EXAMPLES.get(kind, "alice")
    if not isinstance(value, str):
        raise FieldError(kind, f"is required (got {type(value).__name__}); give one such as {example!r}")
    normalized = unicodedata.normalize("NFC", value)
    if not normalized.strip():
        raise FieldError(kind, f"must not be empty; use letters, digits, '_', '-', '.' or '@' (e.g. {example})")
    if len(normalized) > MAX_ID_LENGTH:
        raise FieldError(kind, f"is {len(normalized)} characters long; the limit is {MAX_ID_LENGTH}: use a shorter id")
    bad = sorted({ch for ch in normalized if not (ch.isalnum() or ch in _EXTRA_ID_CHARS)})
    if bad:
        shown = ", ".join(repr(ch) for ch in bad[:5])
        raise FieldError(
            kind,
            f"{value!r} contains characters that are not allowed ({shown}); use letters, digits, '_', '-', '.' or '@'",
        )
    if not any(ch.isalnum() for ch in normalized):
        # '-' is the long-term marker in stored rows, '.' and '..' are paths: ids without a letter or digit
        # are sentinels or typos, never a real user, project or session.
        raise FieldError(
            kind,
            f"{value!r} has no letter or digit ('-', '.' and the like are reserved); use a real id such as {example!r}",
        )
    if normalized.startswith(".") or ".." in normalized:
        raise FieldError(kind, f"{value!r} must not start with '.' or contain '..'")
    return normalized


@dataclass(frozen=True, slots=True)
class Scope:
    """Tenant (org), environment (project), user, and optionally one chat session (run)."""

    org_id: str
    project_id: str
    user_id: str
    run_id: str | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "org_id", validate_id("org_id", self.org_id))
        object.__setattr__(self, "project_id", validate_id("project_id", self.project_id))
        object.__setattr__(self, "user_id", validate_id("user_id", self.user_id))
        if self.run_id is not None:
            object.__setattr__(self, "run_id", validate_id("run_id", self.run_id))

    def with_run(self, run_id: str | None) -> Scope:
        """The same user in another (or no) session."""
        return Scope(self.org_id, self.project_id, self.user_id, run_id)
