"""API keys: one per tenant (org) and project; the store keeps only a hash of each.

A key reads ``ck_<id>_<secret>``: the id (public, 12 hex digits) finds the row, the secret (256 random
bits) is checked against its SHA-256 in constant time. SHA-256 without a slow KDF is enough here: the
secret is random, not a password a person chose, so there is nothing to guess from a leaked hash.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import re
import secrets
import time
from dataclasses import dataclass
from typing import Any

from concierge.api.database import ApiDatabase
from concierge.errors import InvalidInputError
from concierge.scope import validate_id

PREFIX = "ck"
_KEY = re.compile(r"ck_(?P<key_id>[0-9a-f]{12})_(?P<secret>[A-Za-z0-9_-]{43})")


@dataclass(frozen=True, slots=True)
class ApiKey:
    """Who is calling: the key decides the org and project of every request it makes."""

    key_id: str
    name: str
    org_id: str
    project_id: str


@dataclass(frozen=True, slots=True)
class KeyInfo:
    """What ``api-key list`` shows: never the key, nor its hash."""

    name: str
    org_id: str
    project_id: str
    created_at: dt.datetime
    last_used_at: dt.datetime | None
    revoked_at: dt.datetime | None


def _digest(secret: str) -> bytes:
    return hashlib.sha256(secret.encode()).digest()


_TOUCH_EVERY_SECONDS = 60.0


class KeyStore:
    def __init__(self, db: ApiDatabase) -> None:
        self._db = db
        self._touched: dict[str, float] = {}  # key id -> when this process last recorded its use

    def create(self, name: str, *, org_id: str, project_id: str) -> str:
        """A new key for (org, project), returned once; only its hash is stored."""
        import psycopg

        name = validate_id("name", name)
        org_id, project_id = validate_id("org_id", org_id), validate_id("project_id", project_id)
        key_id, secret = secrets.token_hex(6), secrets.token_urlsafe(32)
        insert = (
            "INSERT INTO concierge_api_keys (key_id, name, org_id, project_id, secret_sha256) "
            "VALUES (%s, %s, %s, %s, %s)"
        )
        try:
            self._db.run(lambda conn: conn.execute(insert, (key_id, name, org_id, project_id, _digest(secret))))
        except psycopg.errors.UniqueViolation:
            raise InvalidInputError(
                f"a key named {name!r} already exists; revoke it (concierge api-key revoke {name}) or choose "
                "another name"
            ) from None
        return f"{PREFIX}_{key_id}_{secret}"

    def list_keys(self) -> list[KeyInfo]:
        query = (
            "SELECT name, org_id, project_id, created_at, last_used_at, revoked_at FROM concierge_api_keys "
            "ORDER BY created_at"
        )
        rows = self._db.run(lambda conn: conn.execute(query).fetchall())
        return [KeyInfo(*row) for row in rows]

    def revoke(self, name: str) -> bool:
        """Revoke the live key of that name (at once, for every process); False when there is none."""
        query = "UPDATE concierge_api_keys SET revoked_at = now() WHERE name = %s AND revoked_at IS NULL"
        return self._db.run(lambda conn: conn.execute(query, (name,)).rowcount) == 1

    def authenticate(self, authorization: str | None) -> ApiKey | None:
        """The live key a ``Bearer`` header carries, or None (missing, malformed, unknown, revoked, wrong)."""
        scheme, _, token = (authorization or "").partition(" ")
        found = _KEY.fullmatch(token.strip()) if scheme.lower() == "bearer" else None
        if found is None:
            return None
        key_id, secret = found["key_id"], found["secret"]
        query = (
            "SELECT name, org_id, project_id, secret_sha256 FROM concierge_api_keys "
            "WHERE key_id = %s AND revoked_at IS NULL"
        )
        row: Any = self._db.run(lambda conn: conn.execute(query, (key_id,)).fetchone())
        if row is None or not hmac.compare_digest(bytes(row[3]), _digest(secret)):
            return None
        self._touch(key_id)
        return ApiKey(key_id, row[0], row[1], row[2])

    def _touch(self, key_id: str) -> None:
        """Record the last use, at most once a minute per key and process: no write (nor round trip) on every
        request. The time is a minute's precision either way; revocation does not depend on it."""
        now = time.monotonic()
        if now - self._touched.get(key_id, -_TOUCH_EVERY_SECONDS) < _TOUCH_EVERY_SECONDS:
            return
        self._touched[key_id] = now
        query = (
            "UPDATE concierge_api_keys SET last_used_at = now() WHERE key_id = %s "
            "AND (last_used_at IS NULL OR last_used_at < now() - interval '1 minute')"
        )
        self._db.run(lambda conn: conn.execute(query, (key_id,)))
