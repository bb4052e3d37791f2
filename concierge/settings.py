"""One typed settings object: environment / .env for deployment and secrets, config/memory.yaml for policy.

Invalid values fail at start with the key, the bad value and what is allowed.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Literal, get_args

import yaml
from pydantic import BaseModel, ConfigDict, Field, SecretStr, StrictBool, StrictFloat, StrictInt, ValidationError

from concierge import runtime_env, safe_yaml
from concierge.errors import ConfigError, ConfigFileError
from concierge.redact import redact_url
from concierge.runtime_env import PROJECT_ROOT, default_data_dir
from concierge.scope import validate_id

BackendName = Literal["embedded", "postgres", "qdrant", "cloud"]
LlmName = Literal["offline", "openai", "openai_compatible"]
_AUTO = "auto"


class CategorySpec(BaseModel):
    """A memory category: the description drives both the LLM prompt and the offline classifier."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(pattern=r"^[a-z][a-z0-9_]{1,48}$")
    description: str = Field(min_length=3)
    examples: tuple[str, ...] = ()
    always_recall: bool = False  # recalled every turn whatever the message (needs a venue must be told about)


class MemoryPolicy(BaseModel):
    """What config/memory.yaml declares: categories, what to keep and drop, defaults."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    backend: Literal["auto", "embedded", "postgres", "qdrant", "cloud"] = "auto"
    default_project: str = "production"
    # Strict: YAML's `true` is not 1 minute, and `1` is not `true`.
    infer: StrictBool = True
    session_ttl_minutes: StrictInt = Field(default=120, ge=1, le=60 * 24 * 30)
    categories: tuple[CategorySpec, ...] = Field(min_length=1)
    excludes: tuple[CategorySpec, ...] = ()
    includes: tuple[str, ...] = ()
    # Search drops memories scoring below this (cosine similarity with MiniLM; 0 keeps everything). Strict:
    # YAML's `true` or "0.3" is not a score.
    min_score: StrictFloat = Field(default=0.1, ge=0.0, lt=1.0)

    def always_recall_categories(self) -> tuple[str, ...]:
        """Categories recalled on every turn (``always_recall: true``), among those that may be stored."""
        kept = set(self.kept_category_names())
        return tuple(c.name for c in self.categories if c.always_recall and c.name in kept)

    def kept_category_names(self) -> tuple[str, ...]:
        """Categories a memory may be stored under: the includes, or all categories when empty."""
        return self.includes or tuple(c.name for c in self.categories)

    def check(self, source: Path) -> None:
        names = {c.name for c in self.categories}
        unknown = [name for name in self.includes if name not in names]
        if unknown:
            raise ConfigError(f"{source.name}:includes", unknown, f"names from categories: {sorted(names)}")
        clash = names & {c.name for c in self.excludes}
        if clash:
            raise ConfigError(f"{source.name}:excludes", sorted(clash), "names not also listed as categories")


class Settings(BaseModel):
    """Everything the process needs to build its providers; built once by ``load_settings``."""

    model_config = ConfigDict(frozen=True)

    data_dir: Path
    config_dir: Path
    catalog_dir: Path
    policy: MemoryPolicy
    backend: BackendName
    org_id: str
    project_id: str
    database_url: SecretStr | None = None
    # URLs may carry `user:password@`: kept out of repr (describe() shows them redacted).
    qdrant_url: str | None = Field(default=None, repr=False)
    qdrant_path: Path | None = None
    qdrant_api_key: SecretStr | None = None
    mem0_api_key: SecretStr | None = None
    mem0_host: str | None = Field(default=None, repr=False)
    llm: LlmName
    llm_model: str
    llm_base_url: str | None = Field(default=None, repr=False)
    llm_api_key: SecretStr | None = None
    llm_timeout_seconds: float = 60.0

    def describe(self) -> dict[str, str]:
        """What is in use, safe to show anywhere: no secret ever appears here."""
        store = {
            "embedded": f"embedded PostgreSQL+pgvector in {self.data_dir / 'pg'}",
            "postgres": "external PostgreSQL+pgvector (DATABASE_URL)",
            "qdrant": f"Qdrant server {redact_url(self.qdrant_url)}"
            if self.qdrant_url
            else f"Qdrant local path {self.qdrant_path}",
            "cloud": "Mem0 Cloud (MEM0_API_KEY)",
        }[self.backend]
        model = {
            "offline": "offline model (no network; MiniLM embeddings)",
            "openai": f"OpenAI {self.llm_model}",
            "openai_compatible": f"{self.llm_model} at {redact_url(self.llm_base_url)}",
        }[self.llm]
        return {"store": store, "model": model, "org": self.org_id, "project": self.project_id}


def _env(name: str) -> str | None:
    value = os.environ.get(name, "").strip()
    return value or None


def _choice(key: str, value: str, allowed: tuple[str, ...]) -> str:
    if value not in allowed:
        raise ConfigError(key, value, ", ".join(allowed))
    return value


def load_policy(path: Path) -> MemoryPolicy:
    """Read and validate config/memory.yaml; errors name the file and the key."""
    try:
        raw = safe_yaml.load(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise ConfigError("CONCIERGE_CONFIG_DIR", str(path.parent), "a folder holding memory.yaml") from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigFileError(str(path), f"cannot be read as UTF-8 text ({exc}); restore the file") from exc
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{path.name}: line {mark.line + 1}" if mark else path.name
        raise ConfigFileError(where, f"not valid YAML ({getattr(exc, 'problem', None) or exc})") from exc
    try:
        policy = MemoryPolicy.model_validate(raw)
    except ValidationError as exc:
        errors = exc.errors()
        first = next((e for e in errors if e["type"] == "extra_forbidden"), errors[0])  # a typo explains the rest
        key = ".".join(str(part) for part in first["loc"])
        raise ConfigError(f"{path.name}:{key}", first.get("input"), first["msg"]) from exc
    policy.check(path)
    return policy


def _resolve_backend(policy: MemoryPolicy) -> BackendName:
    wanted = _choice(
        "CONCIERGE_MEMORY_BACKEND",
        _env("CONCIERGE_MEMORY_BACKEND") or policy.backend,
        (_AUTO, *get_args(BackendName)),
    )
    if wanted != _AUTO:
        return wanted  # type: ignore[return-value]
    if _env("MEM0_API_KEY"):
        return "cloud"
    if _env("DATABASE_URL"):
        return "postgres"
    if _env("QDRANT_URL") or _env("QDRANT_PATH"):
        return "qdrant"
    return "embedded"


def _resolve_llm() -> LlmName:
    wanted = _choice("CONCIERGE_LLM", _env("CONCIERGE_LLM") or _AUTO, (_AUTO, *get_args(LlmName)))
    if wanted != _AUTO:
        return wanted  # type: ignore[return-value]
    if _env("LLM_BASE_URL"):
        return "openai_compatible"
    if _env("OPENAI_API_KEY"):
        return "openai"
    return "offline"


def _valid_id(key: str, value: str) -> str:
    try:
        return validate_id(key, value)
    except ValueError as exc:
        raise ConfigError(key, value, "an id of letters, digits, '_', '-', '.' or '@', at most 64 long") from exc


def _secret(name: str) -> SecretStr | None:
    value = _env(name)
    return SecretStr(value) if value else None


_PG_EXAMPLE = "postgresql://user:password@host:5432/database"


def _postgres_url_problem(url: str) -> str | None:
    """What is wrong with a PostgreSQL URL, in words that never quote it (it holds a password)."""
    from psycopg import ProgrammingError
    from psycopg.conninfo import conninfo_to_dict

    scheme, separator, _ = url.partition("://")
    if not separator or scheme not in ("postgresql", "postgres"):
        return "it must start with postgresql:// or postgres://"
    try:
        parts = conninfo_to_dict(url)
    except ProgrammingError:
        return "libpq cannot parse it: percent-encode special characters in the password; use only libpq ?parameters"
    ports = [p for p in str(parts.get("port") or "").split(",") if p]
    if not all(p.isascii() and p.isdigit() and 1 <= int(p) <= 65535 for p in ports):
        return "the port is not a number from 1 to 65535; a ':' or '/' in the password must be percent-encoded"
    if not (parts.get("host") or parts.get("hostaddr")):
        return "it names no host (...@localhost) or socket folder (?host=/var/run/postgresql)"
    dbname = str(parts.get("dbname") or "")
    if not dbname or "@" in dbname or "/" in dbname:
        return "it names no database (.../concierge); a '/' or '@' in the password must be percent-encoded"
    return None


def _database_url() -> SecretStr | None:
    """DATABASE_URL, checked before any connection: libpq echoes a malformed URL, password included, into errors."""
    url = _env("DATABASE_URL")
    if url is None:
        return None
    problem = _postgres_url_problem(url)
    if problem:
        shown = redact_url(url) if "://" in url or "@" in url else "(not shown)"
        raise ConfigError("DATABASE_URL", shown, f"{_PG_EXAMPLE} ({problem})")
    return SecretStr(url)


def load_settings() -> Settings:
    """Build Settings from the environment (already merged with .env) and config/memory.yaml."""
    env_problem = runtime_env.env_file_problem()
    if env_problem:
        raise ConfigFileError(str(runtime_env.env_file()), env_problem)
    config_dir = Path(_env("CONCIERGE_CONFIG_DIR") or PROJECT_ROOT / "config")
    policy = load_policy(config_dir / "memory.yaml")
    backend = _resolve_backend(policy)
    llm = _resolve_llm()
    requirements = {
        ("postgres", "DATABASE_URL"): backend == "postgres",
        ("cloud", "MEM0_API_KEY"): backend == "cloud",
        ("openai", "OPENAI_API_KEY"): llm == "openai",
        ("openai_compatible", "LLM_BASE_URL"): llm == "openai_compatible",
    }
    for (choice, variable), needed in requirements.items():
        if needed and not _env(variable):
            raise ConfigError(variable, None, f"a value: '{choice}' was chosen and needs {variable}")
    if backend == "qdrant" and not (_env("QDRANT_URL") or _env("QDRANT_PATH")):
        raise ConfigError("QDRANT_URL", None, "a Qdrant server URL, or QDRANT_PATH for local mode")
    ttl_raw = _env("CONCIERGE_SESSION_TTL_MINUTES")
    if ttl_raw is not None:
        if not (ttl_raw.isascii() and ttl_raw.isdigit()) or not 1 <= int(ttl_raw) <= 60 * 24 * 30:
            raise ConfigError("CONCIERGE_SESSION_TTL_MINUTES", ttl_raw, "a whole number of minutes, 1 to 43200")
        policy = policy.model_copy(update={"session_ttl_minutes": int(ttl_raw)})
    default_model = "gpt-4o-mini" if llm == "openai" else ("offline" if llm == "offline" else "")
    llm_model = _env("LLM_MODEL") or _env("OPENAI_MODEL") or default_model
    if not llm_model:
        raise ConfigError("LLM_MODEL", None, "the model name your LLM_BASE_URL endpoint serves")
    base_url = _env("LLM_BASE_URL")
    if base_url is not None and not re.match(r"^https?://[^\s/]+", base_url):
        raise ConfigError("LLM_BASE_URL", redact_url(base_url), "an http(s) URL such as http://localhost:11434/v1")
    timeout_raw = _env("CONCIERGE_LLM_TIMEOUT_SECONDS") or "60"
    try:
        timeout = float(timeout_raw)
    except ValueError:
        timeout = -1.0
    if not 1 <= timeout <= 600:
        raise ConfigError("CONCIERGE_LLM_TIMEOUT_SECONDS", timeout_raw, "a number of seconds from 1 to 600")
    org_id = _valid_id("CONCIERGE_ORG_ID", _env("CONCIERGE_ORG_ID") or "local")
    project_id = _valid_id("CONCIERGE_PROJECT_ID", _env("CONCIERGE_PROJECT_ID") or policy.default_project)
    qdrant_path = _env("QDRANT_PATH")
    return Settings(
        data_dir=default_data_dir(),
        config_dir=config_dir,
        catalog_dir=Path(_env("CONCIERGE_CATALOG_DIR") or PROJECT_ROOT / "data" / "catalog"),
        policy=policy,
        backend=backend,
        org_id=org_id,
        project_id=project_id,
        database_url=_database_url(),
        qdrant_url=_env("QDRANT_URL"),
        qdrant_path=Path(qdrant_path) if qdrant_path else None,
        qdrant_api_key=_secret("QDRANT_API_KEY"),
        mem0_api_key=_secret("MEM0_API_KEY"),
        mem0_host=_env("MEM0_HOST"),
        llm=llm,
        llm_model=llm_model,
        llm_base_url=base_url,
        llm_api_key=_secret("LLM_API_KEY") or _secret("OPENAI_API_KEY"),
        llm_timeout_seconds=timeout,
    )
