"""One typed settings object: environment / .env for deployment and secrets, config/memory.yaml for policy.

The variables are declared fields of ``EnvironmentSettings`` (pydantic-settings). Invalid values fail at
start with one line naming the variable, the bad value (URLs redacted) and what is allowed. Importing
this module changes nothing; ``load_settings`` does the work.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal, get_args

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    SecretStr,
    StrictBool,
    StrictFloat,
    StrictInt,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic_settings import BaseSettings, SettingsConfigDict

from concierge import env_names, runtime_env, safe_yaml
from concierge.config_keys import unknown_key_problem
from concierge.errors import ConfigError, ConfigFileError, MissingSettingError
from concierge.redact import redact_url
from concierge.scope import validate_id
from concierge.shipped import shipped_dir

BackendName = str  # a name in the backend registry (``REGISTRY`` in concierge/memory/backends/__init__.py)
LlmName = Literal["offline", "openai", "openai_compatible"]
_AUTO = "auto"


NeedKind = Literal["diet", "religious", "allergy", "accessibility"]  # the kinds of config/needs.yaml


class CategorySpec(BaseModel):
    """A memory category: the description drives both the LLM prompt and the offline classifier."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(pattern=r"^[a-z][a-z0-9_]{1,48}$")
    description: str = Field(min_length=3)
    examples: tuple[str, ...] = ()
    always_recall: bool = False  # recalled every turn whatever the message (needs a venue must be told about)
    # A fact stating a need of these kinds (config/needs.yaml) always carries this category, whatever its
    # wording resembles: "User is vegan" must be recalled as a diet, not filed under personal details.
    need_kinds: tuple[NeedKind, ...] = ()
    # The kinds of request a plan notes this category's memories for ("budget" for a dinner, a stay, a trip).
    relevant_for: tuple[Literal["dine", "stay", "trip"], ...] = ()


class MemoryPolicy(BaseModel):
    """What config/memory.yaml declares: categories, what to keep and drop, defaults."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    backend: str = "auto"  # "auto" or a name in the backend registry
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

    @field_validator("backend")
    @classmethod
    def _registered_backend(cls, value: str) -> str:
        if value not in (_AUTO, *backend_names()):
            raise ValueError(f"allowed values are {', '.join((_AUTO, *backend_names()))}")
        return value

    def always_recall_categories(self) -> tuple[str, ...]:
        """Categories recalled on every turn (``always_recall: true``), among those that may be stored."""
        kept = set(self.kept_category_names())
        return tuple(c.name for c in self.categories if c.always_recall and c.name in kept)

    def relevant_categories(self) -> dict[str, frozenset[str]]:
        """Kind of request -> the categories whose memories a plan notes for it (``relevant_for``)."""
        relevant: dict[str, set[str]] = {}
        for category in self.categories:
            for kind in category.relevant_for:
                relevant.setdefault(kind, set()).add(category.name)
        return {kind: frozenset(names) for kind, names in relevant.items()}

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
    db_timeout_seconds: float = 10.0  # how long a call waits for a database connection before a clear error
    db_pool_size: int = 10  # PostgreSQL connections one process may hold per pool (CONCIERGE_DB_POOL_SIZE)

    def describe(self) -> dict[str, str]:
        """What is in use, safe to show anywhere: no secret ever appears here."""
        store = {
            "embedded": f"embedded PostgreSQL+pgvector in {self.data_dir / 'pg'}",
            "postgres": "external PostgreSQL+pgvector (DATABASE_URL)",
            "qdrant": f"Qdrant server {redact_url(self.qdrant_url)}"
            if self.qdrant_url
            else f"Qdrant local path {self.qdrant_path}",
            "cloud": "Mem0 Cloud (MEM0_API_KEY)",
        }.get(self.backend) or backend_description(self)
        model = {
            "offline": "offline model (no network; MiniLM embeddings)",
            "openai": f"OpenAI {self.llm_model}" + (f" at {redact_url(self.llm_base_url)}" * bool(self.llm_base_url)),
            "openai_compatible": f"{self.llm_model} at {redact_url(self.llm_base_url)}",
        }[self.llm]
        return {"store": store, "model": model, "org": self.org_id, "project": self.project_id}


def backend_names() -> tuple[str, ...]:
    """The memory backends a setting may name: the registry's, nothing written twice."""
    from concierge.memory.backends import REGISTRY

    return tuple(REGISTRY)


def backend_description(settings: Settings) -> str:
    """A registered backend's own one-line description of its store (``BackendSpec.description``)."""
    from concierge.memory.backends import REGISTRY

    return REGISTRY[settings.backend].description.format(data_dir=settings.data_dir) or settings.backend


def load_policy(path: Path) -> MemoryPolicy:
    """Read and validate config/memory.yaml; errors name the file and the key."""
    raw = safe_yaml.load_file(path)
    try:
        policy = MemoryPolicy.model_validate(raw)
    except ValidationError as exc:
        errors = exc.errors()
        first = next((e for e in errors if e["type"] == "extra_forbidden"), errors[0])  # a typo explains the rest
        key = ".".join(str(part) for part in first["loc"])
        if unknown := unknown_key_problem(first, MemoryPolicy):
            raise ConfigFileError(str(path), unknown) from exc
        raise ConfigError(f"{path.name}:{key}", first.get("input"), first["msg"]) from exc
    policy.check(path)
    return policy


_PG_EXAMPLE = "postgresql://user:password@host:5432/database"
_URL_VARIABLES = frozenset(
    {"DATABASE_URL", "LLM_BASE_URL", "QDRANT_URL", "MEM0_HOST", "OPENAI_BASE_URL", "OPENAI_API_BASE"}
)


def _spaced_part(rest: str) -> str | None:
    """Which part of a URL (after ``scheme://``) holds a space, and the fix: named, never quoted (a password)."""
    if not any(ch.isspace() for ch in rest):
        return None
    userinfo, _, hosts = rest.rpartition("@")
    if any(ch.isspace() for ch in userinfo):
        return "the user name or password; percent-encode it as %20"
    address, _, tail = hosts.partition("/")
    if any(ch.isspace() for ch in address):
        return "the host or port; remove it"
    name = tail.partition("?")[0]
    if any(ch.isspace() for ch in name):
        return "the database name (or after it); remove it, or write %20 if the name has one"
    return "the ?parameters; remove it"


def _postgres_url_problem(url: str) -> str | None:
    """What is wrong with a PostgreSQL URL, in words that never quote it (it holds a password)."""
    from psycopg import ProgrammingError
    from psycopg.conninfo import conninfo_to_dict

    scheme, separator, _ = url.partition("://")
    if not separator or scheme not in ("postgresql", "postgres"):
        return "malformed: it must start with postgresql:// or postgres://"
    if spaced := _spaced_part(url.partition("://")[2]):
        return f"malformed: a space in {spaced}"
    try:
        parts = conninfo_to_dict(url)
    except ProgrammingError:
        return "malformed: percent-encode special characters in the password; use only libpq ?parameters"
    ports = [p for p in str(parts.get("port") or "").split(",") if p]
    if not all(p.isascii() and p.isdigit() and 1 <= int(p) <= 65535 for p in ports):
        return "malformed: the port is not a number from 1 to 65535 (percent-encode a ':' or '/' in the password)"
    if not (parts.get("host") or parts.get("hostaddr")):
        return "missing the host: name one (...@localhost) or a socket folder (?host=/var/run/postgresql)"
    dbname = str(parts.get("dbname") or "")
    if not dbname or "@" in dbname or "/" in dbname:
        return "missing the database name (.../concierge; a '/' or '@' in the password must be percent-encoded)"
    return None


_HTTP_EXAMPLES = {
    "LLM_BASE_URL": "an http(s) URL such as http://localhost:11434/v1",
    "QDRANT_URL": "an http(s) URL such as http://localhost:6333",
    "MEM0_HOST": "an http(s) URL such as https://api.mem0.ai",
    "OPENAI_BASE_URL": "an http(s) URL such as https://api.openai.com/v1",
    "OPENAI_API_BASE": "an http(s) URL such as https://api.openai.com/v1",
}


def _http_url_problem(url: str) -> str | None:
    """What is wrong with an http(s) URL, in words that never quote it (it may hold a password or a key).

    Checked at start, so a bad port or host is one line here instead of a library's traceback later.
    """
    from urllib.parse import urlsplit

    if any(ch.isspace() or not ch.isprintable() for ch in url):
        return "malformed: it holds a space or a control character; remove it (write %20 in a path)"
    try:
        parts = urlsplit(url)
        port = parts.port  # ValueError: not a number, or out of range
    except ValueError as exc:
        if "port" in str(exc).lower():
            return "malformed: the port is not a number from 1 to 65535 (percent-encode a ':' in the password)"
        return "malformed: the host cannot be read (a '[' left open?)"
    if parts.scheme not in ("http", "https"):
        return "malformed: it must start with http:// or https://"
    if not parts.hostname:
        return "missing the host: name one (http://localhost:...)"
    if port == 0:
        return "malformed: the port is not a number from 1 to 65535"
    return None


_MODEL_KEYS = {"LLM_BASE_URL": "LLM_API_KEY", "OPENAI_BASE_URL": "OPENAI_API_KEY", "OPENAI_API_BASE": "OPENAI_API_KEY"}


def _model_url_problem(variable: str, url: str) -> str | None:
    """A model endpoint with a ``?query``: the client appends ``/chat/completions`` after it, so a key
    there is mangled and sent in the path (and logged by servers); the key has its own variable."""
    if variable in _MODEL_KEYS and ("?" in url or "#" in url):
        fix = f"remove it and put a key in {_MODEL_KEYS[variable]}"
        return f"it holds a ?query or #fragment, which the client breaks; {fix}"
    return None


class _Problem(ValueError):
    """A validator's complaint: what is wrong and, apart, what would be right (the error line shows both)."""

    def __init__(self, allowed: str, problem: str | None = None) -> None:
        super().__init__(allowed)
        self.allowed, self.problem = allowed, problem


def _one_of(value: str | None, allowed: tuple[str, ...]) -> str | None:
    if value is not None and value not in allowed:
        raise _Problem(", ".join(allowed))
    return value


def _env(name: str, default: object = None, **kwargs: Any) -> Any:
    """A field read from the environment variable ``name`` (exactly that name, no prefix)."""
    return Field(default, validation_alias=name, **kwargs)


class EnvironmentSettings(BaseSettings):
    """Every variable the concierge reads, as declared fields: the real environment first, then ``.env``.

    Raw values, checked one by one; ``load_settings`` then makes the auto choices (store, model) and checks
    what a choice needs. The data dir is not here: ``runtime_env.data_dir`` is its one reader, because the
    libraries' folders must be set from it before they are imported.
    """

    model_config = SettingsConfigDict(
        env_file=".env", env_file_encoding="utf-8", case_sensitive=True, extra="ignore", frozen=True
    )

    config_dir: Path | None = _env("CONCIERGE_CONFIG_DIR")
    catalog_dir: Path | None = _env("CONCIERGE_CATALOG_DIR")
    memory_backend: str | None = _env("CONCIERGE_MEMORY_BACKEND")
    llm: str | None = _env("CONCIERGE_LLM")
    org_id: str = _env("CONCIERGE_ORG_ID", "local")
    project_id: str | None = _env("CONCIERGE_PROJECT_ID")
    session_ttl_minutes: int | None = _env("CONCIERGE_SESSION_TTL_MINUTES")
    llm_timeout_seconds: float = _env("CONCIERGE_LLM_TIMEOUT_SECONDS", 60.0)
    db_timeout_seconds: float = _env("CONCIERGE_DB_TIMEOUT_SECONDS", 10.0)
    # Read by memory/lock_wait.py (the embedded server's processes have no Settings); validated here.
    lock_timeout_seconds: float = _env("CONCIERGE_LOCK_TIMEOUT_SECONDS", 15.0)
    db_pool_size: int = _env("CONCIERGE_DB_POOL_SIZE", 10)
    database_url: SecretStr | None = _env("DATABASE_URL")
    qdrant_url: str | None = _env("QDRANT_URL", repr=False)
    qdrant_path: Path | None = _env("QDRANT_PATH")
    qdrant_api_key: SecretStr | None = _env("QDRANT_API_KEY")
    mem0_api_key: SecretStr | None = _env("MEM0_API_KEY")
    mem0_host: str | None = _env("MEM0_HOST", repr=False)
    openai_api_key: SecretStr | None = _env("OPENAI_API_KEY")
    openai_model: str | None = _env("OPENAI_MODEL")
    # The OpenAI SDK's own variable: honoured for the openai model (a proxy, a regional endpoint), so a key set
    # beside it is never sent to the public endpoint instead.
    openai_base_url: str | None = _env("OPENAI_BASE_URL", repr=False)
    # Its old name (openai SDK < 1.0), still read by crewAI (after OPENAI_BASE_URL) and mem0's embedder: honoured
    # the same way, so a key set beside it never goes to the public endpoint while crewAI's calls go to the URL.
    openai_api_base: str | None = _env("OPENAI_API_BASE", repr=False)
    llm_base_url: str | None = _env("LLM_BASE_URL", repr=False)
    llm_model: str | None = _env("LLM_MODEL")
    llm_api_key: SecretStr | None = _env("LLM_API_KEY")

    @model_validator(mode="before")
    @classmethod
    def _blank_is_unset(cls, data: Any) -> Any:
        """Surrounding spaces are trimmed, and an empty variable counts as not set."""
        if not isinstance(data, dict):
            return data
        stripped = {k: v.strip() if isinstance(v, str) else v for k, v in data.items()}
        return {k: v for k, v in stripped.items() if v != ""}

    @field_validator("memory_backend")
    @classmethod
    def _backend(cls, value: str | None) -> str | None:
        return _one_of(value, (_AUTO, *backend_names()))

    @field_validator("llm")
    @classmethod
    def _llm(cls, value: str | None) -> str | None:
        return _one_of(value, (_AUTO, *get_args(LlmName)))

    @field_validator("org_id", "project_id")
    @classmethod
    def _id(cls, value: str | None) -> str | None:
        return None if value is None else _checked_id(value)

    @field_validator("session_ttl_minutes", mode="before")
    @classmethod
    def _ttl(cls, value: object) -> object:
        if value is None:
            return None
        text = str(value)
        if not (text.isascii() and text.isdigit()) or not 1 <= int(text) <= 60 * 24 * 30:
            raise _Problem("a whole number of minutes, 1 to 43200")
        return int(text)

    @field_validator("llm_timeout_seconds", "db_timeout_seconds", "lock_timeout_seconds", mode="before")
    @classmethod
    def _seconds(cls, value: object) -> float:
        try:
            seconds = float(str(value))
        except ValueError:
            seconds = -1.0
        if not 1 <= seconds <= 600:
            raise _Problem("a number of seconds from 1 to 600")
        return seconds

    @field_validator("db_pool_size", mode="before")
    @classmethod
    def _pool_size(cls, value: object) -> int:
        text = str(value)
        if not (text.isascii() and text.isdigit()) or not 1 <= int(text) <= 1000:
            raise _Problem("a whole number of connections, 1 to 1000 (each process may hold this many per pool)")
        return int(text)

    @field_validator("database_url")
    @classmethod
    def _database_url(cls, value: SecretStr | None) -> SecretStr | None:
        """Checked before any connection: libpq echoes a malformed URL, password included, into errors."""
        if value is not None and (problem := _postgres_url_problem(value.get_secret_value())):
            raise _Problem(_PG_EXAMPLE, problem)
        return value

    @field_validator("llm_base_url", "qdrant_url", "mem0_host", "openai_base_url", "openai_api_base")
    @classmethod
    def _http_url(cls, value: str | None, info: ValidationInfo) -> str | None:
        variable = cls.model_fields[info.field_name or ""].validation_alias
        if value is not None and (problem := _http_url_problem(value) or _model_url_problem(str(variable), value)):
            raise _Problem(_HTTP_EXAMPLES[str(variable)], problem)
        return value


def _checked_id(value: str) -> str:
    try:
        return validate_id("id", value)
    except ValueError as exc:
        raise _Problem("an id of letters, digits, '_', '-', '.' or '@', at most 64 long") from exc


def _shown(key: str, value: object) -> object:
    """The bad value as the error line may show it: URLs redacted, a URL-less secret not at all."""
    if isinstance(value, SecretStr):
        value = value.get_secret_value()
    if key == "DATABASE_URL" and isinstance(value, str) and "://" not in value and "=" in value:
        return "(not shown)"  # a libpq key=value string may hold password=... anywhere, quoted or escaped
    if key in _URL_VARIABLES and isinstance(value, str):
        return redact_url(value)
    return value


def _config_error(exc: ValidationError) -> ConfigError:
    """The first invalid variable as one line: its name, its value (redacted) and what is allowed."""
    first = exc.errors()[0]
    key = str(first["loc"][0]) if first["loc"] else "environment"
    cause = (first.get("ctx") or {}).get("error")
    if isinstance(cause, _Problem):
        return ConfigError(key, _shown(key, first.get("input")), cause.allowed, problem=cause.problem)
    return ConfigError(key, _shown(key, first.get("input")), first["msg"])


def _resolve_backend(env: EnvironmentSettings, policy: MemoryPolicy) -> BackendName:
    wanted = env.memory_backend or policy.backend
    if wanted != _AUTO:
        return wanted  # type: ignore[return-value]
    if env.mem0_api_key:
        return "cloud"
    if env.database_url:
        return "postgres"
    if env.qdrant_url or env.qdrant_path:
        return "qdrant"
    return "embedded"


def _resolve_llm(env: EnvironmentSettings) -> LlmName:
    wanted = env.llm or _AUTO
    if wanted != _AUTO:
        return wanted  # type: ignore[return-value]
    if env.llm_base_url:
        return "openai_compatible"
    if env.openai_api_key:
        return "openai"
    return "offline"


def _openai_base_url(env: EnvironmentSettings) -> str | None:
    """OPENAI_BASE_URL, or its old name OPENAI_API_BASE; the two naming different endpoints is refused."""
    if env.openai_base_url and env.openai_api_base and env.openai_base_url != env.openai_api_base:
        raise MissingSettingError(
            "OPENAI_API_BASE",
            "names another endpoint than OPENAI_BASE_URL (its newer name); set only OPENAI_BASE_URL",
        )
    return env.openai_base_url or env.openai_api_base


def _base_url(env: EnvironmentSettings, llm: LlmName) -> str | None:
    """The model endpoint: LLM_BASE_URL, or OPENAI_BASE_URL for the openai model; both naming two is refused."""
    openai_url = _openai_base_url(env)
    if env.llm_base_url and openai_url and env.llm_base_url != openai_url:
        variable = "OPENAI_BASE_URL" if env.openai_base_url else "OPENAI_API_BASE"
        raise MissingSettingError(
            variable, "names another endpoint than LLM_BASE_URL; set only one of them (or the same URL)"
        )
    return (openai_url or env.llm_base_url) if llm == "openai" else env.llm_base_url


def _check_choices(env: EnvironmentSettings, backend: BackendName, llm: LlmName) -> None:
    """A store or model chosen by name needs its variable: say which, and how to fix it."""
    needs = [
        (
            backend == "postgres" and not env.database_url,
            "DATABASE_URL",
            "the postgres store",
            _PG_EXAMPLE,
        ),
        (backend == "cloud" and not env.mem0_api_key, "MEM0_API_KEY", "the cloud store", "your key"),
        (
            backend == "qdrant" and not (env.qdrant_url or env.qdrant_path),
            "QDRANT_URL",
            "the qdrant store",
            "a Qdrant server URL (or QDRANT_PATH=/a/folder for local mode)",
        ),
        (llm == "openai" and not env.openai_api_key, "OPENAI_API_KEY", "the openai model", "your key"),
        (
            llm == "openai_compatible" and not env.llm_base_url,
            "LLM_BASE_URL",
            "the openai_compatible model",
            "http://localhost:11434/v1",
        ),
    ]
    for missing, variable, chosen_by, example in needs:
        if missing:
            raise MissingSettingError(
                variable, f"not set, but {chosen_by} was chosen and needs it; set {variable}={example}"
            )
    _check_unused_endpoint(env, llm)


def _check_unused_endpoint(env: EnvironmentSettings, llm: LlmName) -> None:
    """An endpoint set for a model that is not used is refused (attack7 L3): OPENAI_BASE_URL without OPENAI_API_KEY
    left the offline model answering without a word; CONCIERGE_DB_CONNECT_TIMEOUT is checked whichever store."""
    from concierge.memory.pg_connect import connect_timeout

    connect_timeout()  # one line for -1 or nan, even when the embedded store never reads it
    variable = "OPENAI_BASE_URL" if env.openai_base_url else "OPENAI_API_BASE"
    if llm == "offline" and _openai_base_url(env) and not env.openai_api_key:
        raise MissingSettingError(
            "OPENAI_API_KEY",
            f"not set, but {variable} is: set OPENAI_API_KEY to use that endpoint, or unset {variable} for the "
            "offline model",
        )


def known_variables() -> frozenset[str]:
    """Every ``CONCIERGE_*`` (and other) variable something reads: the declared fields and the other readers."""
    from concierge.api.config import api_variables

    declared = {str(field.validation_alias) for field in EnvironmentSettings.model_fields.values()}
    return frozenset(declared) | env_names.OTHER_VARIABLES | api_variables()


def load_settings() -> Settings:
    """Build Settings from the environment, ``.env`` (checked first) and config/memory.yaml.

    Also applies the process defaults (``runtime_env.prepare_environment``, idempotent), so a caller
    that is not one of our entry points gets the same environment.
    """
    env_problem = runtime_env.env_file_problem()
    if env_problem:
        raise ConfigFileError(str(runtime_env.env_file()), env_problem)
    runtime_env.prepare_environment()
    env_names.warn_unknown(known_variables(), runtime_env.env_file())
    try:
        env = EnvironmentSettings(_env_file=runtime_env.env_file())  # type: ignore[call-arg]
    except ValidationError as exc:
        raise _config_error(exc) from None
    config_dir = env.config_dir or shipped_dir("config")
    policy = load_policy(config_dir / "memory.yaml")
    backend, llm = _resolve_backend(env, policy), _resolve_llm(env)
    _check_choices(env, backend, llm)
    if env.session_ttl_minutes is not None:
        policy = policy.model_copy(update={"session_ttl_minutes": env.session_ttl_minutes})
    default_model = "gpt-4o-mini" if llm == "openai" else ("offline" if llm == "offline" else "")
    llm_model = env.llm_model or env.openai_model or default_model
    if not llm_model:
        raise MissingSettingError("LLM_MODEL", "not set; set it to the model name your LLM_BASE_URL endpoint serves")
    try:
        project_id = env.project_id or _checked_id(policy.default_project)
    except _Problem as exc:
        raise ConfigError("memory.yaml:default_project", policy.default_project, exc.allowed) from None
    return Settings(
        data_dir=runtime_env.data_dir(),
        config_dir=config_dir,
        catalog_dir=env.catalog_dir or shipped_dir("catalog"),
        policy=policy,
        backend=backend,
        org_id=env.org_id,
        project_id=project_id,
        database_url=env.database_url,
        qdrant_url=env.qdrant_url,
        qdrant_path=env.qdrant_path,
        qdrant_api_key=env.qdrant_api_key,
        mem0_api_key=env.mem0_api_key,
        mem0_host=env.mem0_host,
        llm=llm,
        llm_model=llm_model,
        llm_base_url=_base_url(env, llm),
        llm_api_key=env.llm_api_key or env.openai_api_key,
        llm_timeout_seconds=env.llm_timeout_seconds,
        db_timeout_seconds=env.db_timeout_seconds,
        db_pool_size=env.db_pool_size,
    )
