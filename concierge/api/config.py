"""The API's own limits, read from the environment (and ``.env``) like every other setting."""

from __future__ import annotations

from pydantic import Field, ValidationError
from pydantic_settings import BaseSettings, SettingsConfigDict

from concierge import runtime_env
from concierge.errors import ConfigError

MAX_BODY_BYTES = 64 * 1024  # a request body beyond this is refused (413) before it is read to the end


class ApiSettings(BaseSettings):
    """``CONCIERGE_API_*``: per-key rate, turn timeout, and how many requests one process works on at once.

    Turns and statements are CPU work in Python: one process runs Python on one core at a time (the GIL), so
    running many at once only makes each wait for the others, and starves the event loop and the reads of the
    interpreter. They get a few threads of their own (``turn_threads``, queued past that); reads, exports,
    deletes and the Idempotency-Key bookkeeping, which mostly wait on the database, get ``threads``."""

    model_config = SettingsConfigDict(env_file=".env", env_prefix="CONCIERGE_API_", extra="ignore", frozen=True)

    rate_limit: int = Field(20, ge=1, le=100_000, description="requests per second per key")
    turn_timeout_seconds: float = Field(60.0, ge=1, le=600, description="a request's answer after this: 504")
    threads: int = Field(16, ge=1, le=256, description="reads, exports and deletes one process serves at once")
    turn_threads: int = Field(2, ge=1, le=64, description="chat turns and statements one process runs at once")


def load_api_settings() -> ApiSettings:
    """The settings, or a ConfigError naming the variable and the allowed range."""
    try:
        return ApiSettings(_env_file=runtime_env.env_file())  # type: ignore[call-arg]
    except ValidationError as exc:
        error = exc.errors()[0]
        name = f"CONCIERGE_API_{str(error['loc'][0]).upper()}"
        raise ConfigError(name, error.get("input"), error["msg"]) from None


def api_variables() -> frozenset[str]:
    """The variables ``ApiSettings`` reads, so a misspelt one (``CONCIERGE_API_RATE_LIMT``) is warned about."""
    prefix = str(ApiSettings.model_config.get("env_prefix", ""))
    return frozenset(f"{prefix}{name}".upper() for name in ApiSettings.model_fields)
