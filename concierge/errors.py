"""Errors a caller can act on: each names the problem and the fix."""

from __future__ import annotations

import reprlib

# A bad value is shown so the user can find it, but never at any size: a YAML alias bomb or a
# 100 kB variable must not turn one error line into megabytes.
_SHOWN = reprlib.Repr()
_SHOWN.maxstring, _SHOWN.maxother, _SHOWN.maxlevel = 120, 120, 3
_SHOWN.maxlist = _SHOWN.maxtuple = _SHOWN.maxdict = _SHOWN.maxset = 8
MAX_ALLOWED_CHARS = 600


def _capped(text: str, limit: int) -> str:
    return text if len(text) <= limit else f"{text[:limit]}... ({len(text):,} characters)"


class ConciergeError(Exception):
    """Base class: the message is safe to show to a user (never contains secrets)."""


class ConfigError(ConciergeError):
    """Invalid configuration detected at start-up."""

    def __init__(self, key: str, value: object, allowed: str, problem: str | None = None) -> None:
        shown = _SHOWN.repr(value)
        allowed = _capped(allowed, MAX_ALLOWED_CHARS)
        what = f"{problem}; expected {allowed}" if problem else f"allowed values are {allowed}"
        super().__init__(f"invalid config {key}={shown}: {what}")
        self.key = key


class ConfigFileError(ConfigError):
    """A config file that cannot be read or parsed at all: the message names the file, the line and the fix."""

    def __init__(self, key: str, problem: str) -> None:
        ConciergeError.__init__(self, f"invalid config {key}: {_capped(problem, MAX_ALLOWED_CHARS)}")
        self.key = key


class MissingSettingError(ConfigError):
    """A variable the chosen store or model needs is not set: the message names it and an example value."""

    def __init__(self, key: str, problem: str) -> None:
        ConciergeError.__init__(self, f"invalid config {key}: {problem}")
        self.key = key


class InvalidInputError(ConciergeError, ValueError):
    """A caller passed an id or text we refuse to store or query with."""


class FieldError(InvalidInputError):
    """One named value refused: ``problem`` says what is wrong and the fix without naming the value, so a caller
    with its own name for it (the CLI's ``--user`` for ``user_id``) can phrase the line its user reads."""

    def __init__(self, field: str, problem: str) -> None:
        super().__init__(f"{field} {problem}")
        self.field, self.problem = field, problem


class StoreUnavailableError(ConciergeError):
    """The memory store cannot be reached; nothing was written."""


class ModelError(ConciergeError):
    """The configured LLM provider failed (bad key, unreachable endpoint, bad reply)."""
