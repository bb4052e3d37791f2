"""Errors a caller can act on: each names the problem and the fix."""

from __future__ import annotations


class ConciergeError(Exception):
    """Base class: the message is safe to show to a user (never contains secrets)."""


class ConfigError(ConciergeError):
    """Invalid configuration detected at start-up."""

    def __init__(self, key: str, value: object, allowed: str) -> None:
        super().__init__(f"invalid config {key}={value!r}: allowed values are {allowed}")
        self.key = key


class InvalidInputError(ConciergeError, ValueError):
    """A caller passed an id or text we refuse to store or query with."""


class StoreUnavailableError(ConciergeError):
    """The memory store cannot be reached; nothing was written."""


class ModelError(ConciergeError):
    """The configured LLM provider failed (bad key, unreachable endpoint, bad reply)."""
