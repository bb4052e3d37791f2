"""Secrets and configuration hardening (issue 12, items 16-23): bad config is one clear line, never a secret.

Every test sets or removes only the variables it needs (monkeypatch) and writes only under tmp_path.
"""

from __future__ import annotations

import io
import json
import logging
import os
from collections.abc import Iterator
from pathlib import Path

import httpx
import openai
import pytest

from concierge import runtime_env
from concierge.catalog.loader import CatalogError, load_catalog
from concierge.cli import main
from concierge.errors import ConfigError, InvalidInputError, ModelError
from concierge.eval.runner import ScenarioReport, evaluate
from concierge.eval.scenario import Scenario, ScenarioError, Step, load_scenario
from concierge.llm.factory import explain_model_failure
from concierge.memory.layer import MAX_TEXT_CHARS, validate_text
from concierge.runtime_env import PROJECT_ROOT
from concierge.scope import validate_id
from concierge.service import ConciergeService
from concierge.settings import Settings, load_settings
from tests.model_server import ModelServer, remote_settings

SECRET = "SECRETPW-9e1c"
CATALOG_DIR = PROJECT_ROOT / "data" / "catalog"


def _no_secret(*texts: str) -> None:
    for text in texts:
        assert SECRET not in text


def _categories(settings: Settings) -> frozenset[str]:
    return frozenset(c.name for c in settings.policy.categories)


# -- 16. a malformed DATABASE_URL is refused at load, its password never printed --
@pytest.mark.parametrize(
    "url",
    [
        f"app:{SECRET}@localhost/db",  # no scheme: libpq reads it as a key=value string and echoes it
        f"mysql://app:{SECRET}@localhost/db",
        f"postgresql://app:{SECRET}@/db",  # no host, no socket
        f"postgresql://app:{SECRET}@localhost",  # no database
        f"postgresql://app:{SECRET}@localhost/db?colour=red",  # libpq refuses the parameter
        f"postgresql://app:{SECRET}@localhost:99999/db",
        f"postgresql://app:{SECRET}/x@localhost/db",  # a '/' in the password, not percent-encoded
    ],
)
def test_malformed_database_url_is_refused_at_load_without_the_password(
    monkeypatch: pytest.MonkeyPatch, url: str
) -> None:
    monkeypatch.setenv("DATABASE_URL", url)
    with pytest.raises(ConfigError) as failure:
        load_settings()
    assert failure.value.key == "DATABASE_URL" and "DATABASE_URL" in str(failure.value)
    _no_secret(str(failure.value))


@pytest.mark.parametrize(
    "url",
    [
        f"postgresql://app:{SECRET}@db.example.internal:5432/concierge",
        "postgres://app@localhost/concierge?sslmode=require",
        "postgresql:///concierge?host=/var/run/postgresql",
        f"postgresql://app:{SECRET}@h1:5432,h2:5433/concierge",
    ],
)
def test_wellformed_database_urls_are_accepted(monkeypatch: pytest.MonkeyPatch, url: str) -> None:
    monkeypatch.setenv("DATABASE_URL", url)
    settings = load_settings()
    assert settings.backend == "postgres" and settings.database_url is not None
    assert settings.database_url.get_secret_value() == url
    _no_secret(str(settings.describe()), repr(settings))


def test_malformed_database_url_cli_is_one_line_without_the_password(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    caplog: pytest.LogCaptureFixture,
    state_dir: Path,
) -> None:
    caplog.set_level(logging.DEBUG)
    monkeypatch.setenv("DATABASE_URL", f"app:{SECRET}@localhost/db")
    assert main(["memory", "list", "--user", "a"]) == 2
    out, err = capsys.readouterr()
    assert err.startswith("error: invalid config DATABASE_URL") and err.count("\n") == 1
    _no_secret(out, err, caplog.text)


@pytest.mark.parametrize(
    ("url", "shown", "problem"),
    [
        ("localhost:5432/concierge", "localhost:5432/concierge", "postgresql://"),  # no credentials: shown as is
        (f"host=h password={SECRET}", "(not shown)", "postgresql://"),  # a libpq key=value string: never shown
        (f"postgresql://app:{SECRET}@localhost/db x", "postgresql://***@localhost/db x", "space in the database name"),
        (f"postgresql://app:{SECRET} x@localhost/db", "postgresql://***@localhost/db", "space in the user name or"),
        (f"postgresql://app:{SECRET}@local host/db", "postgresql://***@local host/db", "space in the host"),
    ],
)
def test_database_url_error_shows_what_is_safe_and_names_the_part_at_fault(
    monkeypatch: pytest.MonkeyPatch, url: str, shown: str, problem: str
) -> None:
    monkeypatch.setenv("DATABASE_URL", url)
    with pytest.raises(ConfigError) as failure:
        load_settings()
    message = str(failure.value)
    assert f"DATABASE_URL={shown!r}" in message and problem in message, message
    _no_secret(message)


def test_database_url_with_a_space_in_env_file_is_one_line_naming_it(
    env_root: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("DATABASE_URL", "placeholder")
    monkeypatch.delenv("DATABASE_URL")  # restored (absent) after the test, also once .env has set it
    (env_root / ".env").write_text(f"DATABASE_URL=postgresql://app:{SECRET}@localhost/db x\n")
    assert main(["memory", "list", "--user", "a"]) == 2
    lines = [line for line in capsys.readouterr().err.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("error: invalid config DATABASE_URL="), lines
    assert "space in the database name" in lines[0] and "percent-encode special" not in lines[0]
    _no_secret(lines[0])


# -- 17. credentials inside LLM_BASE_URL / QDRANT_URL / MEM0_HOST never shown --
def test_redact_url_hides_userinfo_and_secret_parameters() -> None:
    from concierge.redact import redact_text, redact_url

    assert redact_url(f"http://user:{SECRET}@host:8080/v1") == "http://***@host:8080/v1"
    assert redact_url(f"https://{SECRET}@host/v1") == "https://***@host/v1"
    assert redact_url(f"http://host/v1?api_key={SECRET}&model=x") == "http://host/v1?api_key=***&model=***"
    assert redact_url(f"app:{SECRET}@localhost/db") == "***@localhost/db"
    assert redact_url(f"postgresql://u:pa/ss{SECRET}@h/db") == "postgresql://***@h/db"
    assert redact_url("http://localhost:11434/v1") == "http://localhost:11434/v1"  # nothing to hide
    text = f"Client error '401' for url 'http://user:{SECRET}@127.0.0.1:9/v1/ping/' (password={SECRET})"
    assert redact_text(text) == "Client error '401' for url 'http://***@127.0.0.1:9/v1/ping/' (password=***)"


def test_redact_text_hides_library_echoed_queries_and_auth_values() -> None:
    """A server echoing the request (path with ``?key=``, ``Authorization: Basic <base64>``) in an error
    a library logs: the key and the base64 user:password are hidden, plain words are kept."""
    import base64

    from concierge.redact import redact_text

    basic = base64.b64encode(f"u:{SECRET}".encode()).decode()
    text = f"LLM extraction failed: 401 /v1?key={SECRET}/chat/completions with auth Basic {basic}, Bearer sk-{SECRET}"
    cleaned = redact_text(text)
    _no_secret(cleaned)
    assert basic not in cleaned and "LLM extraction failed: 401 /v1?key=***" in cleaned
    assert redact_text("a basic plan, Token usage: 5") == "a basic plan, Token usage: 5"


@pytest.mark.parametrize("variable", ["LLM_BASE_URL", "OPENAI_BASE_URL"])
def test_a_query_in_the_model_url_is_refused_naming_the_key_variable(
    monkeypatch: pytest.MonkeyPatch, variable: str
) -> None:
    monkeypatch.setenv(variable, f"http://127.0.0.1:9/v1?key={SECRET}")
    monkeypatch.setenv("LLM_MODEL", "llama")
    monkeypatch.setenv("OPENAI_API_KEY", "k")
    with pytest.raises(ConfigError, match=variable) as failure:
        load_settings()
    assert variable.replace("BASE_URL", "API_KEY") in str(failure.value)
    _no_secret(str(failure.value))


def test_describe_hides_credentials_in_urls(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LLM_BASE_URL", f"http://user:{SECRET}@llm.example:8000/v1")
    monkeypatch.setenv("LLM_MODEL", "llama")
    monkeypatch.setenv("QDRANT_URL", f"https://user:{SECRET}@qdrant.example:6333")
    monkeypatch.setenv("CONCIERGE_MEMORY_BACKEND", "qdrant")
    settings = load_settings()
    described = settings.describe()
    assert "llm.example:8000/v1" in described["model"] and "qdrant.example:6333" in described["store"]
    _no_secret(str(described), repr(settings))


def test_url_config_errors_hide_credentials(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LLM_BASE_URL", f"ftp://user:{SECRET}@llm.example/v1")
    monkeypatch.setenv("LLM_MODEL", "llama")
    with pytest.raises(ConfigError, match="LLM_BASE_URL") as failure:
        load_settings()
    _no_secret(str(failure.value))


def test_model_errors_hide_credentials_in_the_endpoint(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LLM_BASE_URL", f"http://user:{SECRET}@127.0.0.1:9/v1")
    monkeypatch.setenv("LLM_MODEL", "llama")
    settings = load_settings()
    request = openai.APIConnectionError(request=httpx.Request("POST", "http://127.0.0.1:9/v1"))
    error = explain_model_failure(settings, request)
    assert isinstance(error, ModelError) and "127.0.0.1:9" in str(error)
    _no_secret(str(error))


def test_credentials_in_the_model_url_never_reach_logs_errors_or_the_ui(
    settings: Settings, caplog: pytest.LogCaptureFixture, project: str
) -> None:
    caplog.set_level(logging.DEBUG)  # httpx logs every request URL at INFO
    with ModelServer(api_key="k") as server:
        with_userinfo = server.base_url.replace("http://", f"http://user:{SECRET}@", 1)
        service = ConciergeService.from_settings(remote_settings(settings, with_userinfo, "k"))
        shown: list[str] = [str(service.describe())]
        try:
            service.chat(service.scope("alice", project_id=project), "Plan a dinner in Lyon")
        except ModelError as exc:  # the userinfo may turn into a Basic auth header the fake refuses
            shown.append(str(exc))
        finally:
            service.close()
        assert server.calls  # the endpoint was really called
    assert "HTTP Request" in caplog.text  # the URL was logged, redacted
    _no_secret(caplog.text, *shown)


def test_cloud_errors_hide_credentials_in_mem0_host(monkeypatch: pytest.MonkeyPatch, state_dir: Path) -> None:
    from concierge.errors import StoreUnavailableError
    from concierge.llm.factory import extractor
    from concierge.memory.providers import build_memory

    monkeypatch.setenv("MEM0_API_KEY", "m0-key")
    monkeypatch.setenv("MEM0_HOST", f"http://user:{SECRET}@127.0.0.1:9")
    settings = load_settings()
    _no_secret(str(settings.describe()), repr(settings))
    with pytest.raises(StoreUnavailableError, match=r"127\.0\.0\.1:9") as failure:
        build_memory(settings, extractor)
    _no_secret(str(failure.value))


# -- 18. a malformed .env line is an error naming the file and line --
@pytest.fixture
def env_root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A working directory of its own whose .env the test writes (the checkout's .env is never touched); what
    loading that .env puts into the process environment is taken out again, so no later test inherits it."""
    monkeypatch.chdir(tmp_path)
    before = dict(os.environ)
    yield tmp_path
    os.environ.clear()
    os.environ.update(before)


@pytest.mark.parametrize(
    ("content", "line", "key"),
    [
        ('CONCIERGE_PROJECT_ID="staging\n', 1, "CONCIERGE_PROJECT_ID"),
        (f'# external store\n\nLLM_MODEL=x\nDATABASE_URL="postgresql://u:{SECRET}@h/db\n', 4, "DATABASE_URL"),
        ("LLM_MODEL=x\n\n  \nthis is not a setting\n", 4, None),
    ],
)
def test_malformed_env_line_names_file_and_line(
    env_root: Path, monkeypatch: pytest.MonkeyPatch, content: str, line: int, key: str | None
) -> None:
    (env_root / ".env").write_text(content)
    with pytest.raises(ConfigError) as failure:
        load_settings()
    message = str(failure.value)
    assert str(env_root / ".env") in message and f"line {line}" in message
    if key:
        assert key in message
    _no_secret(message)


def test_malformed_env_file_is_not_loaded_at_all(env_root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CONCIERGE_TEST_DOTENV_A", "placeholder")
    monkeypatch.delenv("CONCIERGE_TEST_DOTENV_A")  # restored (absent) after the test even if loaded
    (env_root / ".env").write_text('CONCIERGE_TEST_DOTENV_A=1\nCONCIERGE_PROJECT_ID="staging\n')
    runtime_env.prepare_environment()
    assert "CONCIERGE_TEST_DOTENV_A" not in os.environ


def test_env_file_that_is_not_utf8_names_the_file(env_root: Path) -> None:
    (env_root / ".env").write_bytes(b"CONCIERGE_PROJECT_ID=st\xffging\n")
    runtime_env.prepare_environment()  # must not raise at import time
    with pytest.raises(ConfigError, match=r"\.env"):
        load_settings()


def test_malformed_env_cli_is_one_clear_line(
    env_root: Path, capsys: pytest.CaptureFixture[str], state_dir: Path
) -> None:
    (env_root / ".env").write_text('CONCIERGE_PROJECT_ID="staging\n')
    assert main(["memory", "list", "--user", "a"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and ".env" in err and "line 1" in err and err.count("\n") == 1


# -- 19. empty and sentinel-like ids are refused --
@pytest.mark.parametrize("value", ["", " ", "-", ".", "..", "--", "_", "@"])
def test_sentinel_like_ids_are_refused(value: str) -> None:
    with pytest.raises(InvalidInputError, match="run_id"):
        validate_id("run_id", value)


def test_ids_with_a_letter_or_digit_still_pass() -> None:
    assert [validate_id("user_id", v) for v in ("a", "-a", "a.b", "1", "zoë", "x@y")] == [
        "a",
        "-a",
        "a.b",
        "1",
        "zoë",
        "x@y",
    ]


def test_empty_project_is_refused_not_production(service: ConciergeService) -> None:
    with pytest.raises(InvalidInputError, match="project_id"):
        service.scope("alice", project_id="")


@pytest.mark.parametrize(
    ("argv", "flag"),
    [
        (["memory", "list", "--user", "alice", "--project", ""], "--project"),
        (["memory", "list", "--user", "", "--project", "p"], "--user"),
        (["memory", "add", "--user", "alice", "--session", "-", "I love Lyon"], "--session"),
        (["memory", "list", "--user", "alice", "--session", ".."], "--session"),
        (["chat", "--user", "alice", "--session", ""], "--session"),
    ],
)
def test_cli_refuses_empty_and_sentinel_ids_naming_the_flag(
    capsys: pytest.CaptureFixture[str], argv: list[str], flag: str
) -> None:
    """The CLI's line names its flag, not the service's field (``project_id``) nor Python syntax (``x='...'``)."""
    assert main(argv) == 2
    lines = [line for line in capsys.readouterr().err.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith(f"error: argument {flag}: "), lines
    assert "_id" not in lines[0] and "='" not in lines[0]


def test_id_errors_name_a_fitting_example_without_python_syntax() -> None:
    """Shared with the UI and the service: the field is named, the fix is an example of its own kind."""
    with pytest.raises(InvalidInputError) as empty_project:
        validate_id("project_id", "")
    assert "project_id" in str(empty_project.value) and "alice" not in str(empty_project.value)
    assert "='" not in str(empty_project.value)


# -- 20. config/memory.yaml is validated strictly --
def _policy_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, text: str) -> None:
    (tmp_path / "memory.yaml").write_text(text)
    monkeypatch.setenv("CONCIERGE_CONFIG_DIR", str(tmp_path))


_ONE_CATEGORY = "categories:\n  - {name: travel, description: trips and places}\n"


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("categories: []\n", "memory.yaml:categories"),
        (_ONE_CATEGORY + "session_ttl_minutes: true\n", "memory.yaml:session_ttl_minutes"),
        (_ONE_CATEGORY + "session_ttl_minutes: '30'\n", "memory.yaml:session_ttl_minutes"),
        (_ONE_CATEGORY + "infer: 1\n", "memory.yaml:infer"),
    ],
)
def test_memory_yaml_is_validated_strictly(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, text: str, key: str
) -> None:
    _policy_file(tmp_path, monkeypatch, text)
    with pytest.raises(ConfigError) as failure:
        load_settings()
    assert failure.value.key == key


def _config_copy(tmp_path: Path, name: str) -> Path:
    """The shipped config folder with the first top-level key of ``name`` written twice."""
    import shutil

    folder = tmp_path / "config"
    shutil.copytree(PROJECT_ROOT / "config", folder)
    text = (folder / name).read_text(encoding="utf-8")
    first = next(line for line in text.splitlines() if line and not line[0].isspace() and not line.startswith("#"))
    (folder / name).write_text(f"{text}\n{first} {{}}\n" if first.endswith(":") else f"{text}\n{first}\n")
    return folder


@pytest.mark.parametrize("name", ["agents.yaml", "tasks.yaml"])
def test_a_key_written_twice_in_any_config_yaml_is_refused(
    settings: Settings, tmp_path: Path, project: str, name: str
) -> None:
    """crewAI reads agents.yaml and tasks.yaml itself (keeping a repeated key's last value): checked first."""
    configured = settings.model_copy(update={"config_dir": _config_copy(tmp_path, name)})
    service = ConciergeService.from_settings(configured)
    try:
        with pytest.raises(ConfigError) as failure:
            service.chat(service.scope("alice", project_id=project), "Plan a dinner in Lyon tomorrow")
    finally:
        service.close()
    assert name in str(failure.value) and "twice" in str(failure.value)


def test_a_key_written_twice_in_the_turn_kinds_yaml_is_refused(tmp_path: Path) -> None:
    from concierge.offline.kinds import turn_kinds

    with pytest.raises(ConfigError) as failure:
        turn_kinds(_config_copy(tmp_path, "turn_kinds.yaml"), tmp_path)
    assert "turn_kinds.yaml" in str(failure.value) and "twice" in str(failure.value)


def test_memory_yaml_alias_bomb_is_refused_with_a_short_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    levels = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    levels += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]" for i in range(1, 5)]
    _policy_file(tmp_path, monkeypatch, "\n".join(levels) + "\n" + _ONE_CATEGORY + "includes: *a4\n")
    with pytest.raises(ConfigError, match=r"memory\.yaml") as failure:
        load_settings()
    assert "alias" in str(failure.value) or "anchor" in str(failure.value)
    assert len(str(failure.value)) < 1000


def test_config_errors_are_capped_in_size(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CONCIERGE_PROJECT_ID", "x/" * 50_000)
    with pytest.raises(ConfigError, match="CONCIERGE_PROJECT_ID") as failure:
        load_settings()
    assert len(str(failure.value)) < 1000


@pytest.mark.parametrize("value", ["²", "٣", "1e3", "30 "])
def test_session_ttl_from_the_environment_must_be_ascii_digits(monkeypatch: pytest.MonkeyPatch, value: str) -> None:
    monkeypatch.setenv("CONCIERGE_SESSION_TTL_MINUTES", value)
    if value.strip().isascii() and value.strip().isdigit():  # surrounding spaces are trimmed like every variable
        assert load_settings().policy.session_ttl_minutes == int(value)
        return
    with pytest.raises(ConfigError, match="CONCIERGE_SESSION_TTL_MINUTES"):
        load_settings()


# -- 21. invalid UTF-8 in arguments or chat input --
def test_lone_surrogates_are_refused_as_invalid_utf8() -> None:
    with pytest.raises(InvalidInputError, match="UTF-8"):
        validate_text("message", "I love Lyon \udcff")  # what Python makes of the byte 0xff in argv


def test_cli_argument_with_invalid_utf8_is_one_clear_line(
    service: ConciergeService, project: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["memory", "add", "--user", "a", "--project", project, "I love Lyon \udcff"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: message") and "UTF-8" in err and err.count("\n") == 1
    assert service.memories(service.scope("a", project_id=project)) == []


def test_invalid_utf8_chat_line_does_not_end_the_chat(
    service: ConciergeService, project: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    stdin = io.TextIOWrapper(io.BytesIO(b"I love Lyon \xff\nI am vegetarian\n\n"), encoding="utf-8")
    monkeypatch.setattr("sys.stdin", stdin)
    assert main(["chat", "--user", "utf8", "--project", project, "--session", "s1"]) == 0
    out, err = capsys.readouterr()
    assert "UTF-8" in err and "remembered: User is vegetarian" in out  # the next line still ran


# -- 22. a corrupted catalog gives the loader's error, never a traceback --
@pytest.fixture
def catalog_copy(tmp_path: Path) -> Path:
    import shutil

    copy = tmp_path / "catalog"
    shutil.copytree(CATALOG_DIR, copy)
    return copy


def test_catalog_file_with_invalid_utf8_names_file_and_line(catalog_copy: Path) -> None:
    path = catalog_copy / "stays.json"
    path.write_bytes(path.read_bytes().replace(b'"name"', b'"n\xffame"', 1))
    with pytest.raises(CatalogError, match=r"stays\.json: line \d+: not valid UTF-8"):
        load_catalog(catalog_copy)


def test_catalog_folder_where_a_file_should_be(catalog_copy: Path) -> None:
    (catalog_copy / "restaurants.json").unlink()
    (catalog_copy / "restaurants.json").mkdir()
    with pytest.raises(CatalogError, match=r"restaurants\.json is a folder"):
        load_catalog(catalog_copy)


@pytest.mark.parametrize("nested", ["[" * 100_000, '[{"id": "r-x", "name": ' + "[" * 100_000 + "]"])
def test_deeply_nested_catalog_json(catalog_copy: Path, nested: str) -> None:
    (catalog_copy / "destinations.json").write_text(nested)
    with pytest.raises(CatalogError, match=r"destinations\.json: .*nested too deeply"):
        load_catalog(catalog_copy)


# -- 23. scenarios: long `say` fails at load; finished reports are never lost --
def test_scenario_say_over_the_limit_fails_at_load_with_file_and_line(tmp_path: Path, settings: Settings) -> None:
    path = tmp_path / "long.yaml"
    long = "I love Lyon. " * (MAX_TEXT_CHARS // 13 + 1)
    path.write_text(
        "name: long\nsteps:\n  - {user: a, say: hi}\n"
        f"  - user: a\n    say: {json.dumps(long)}\nchecks:\n  - {{user: a, stored_none: [x]}}\n"
    )
    with pytest.raises(ScenarioError, match=r"long\.yaml:line 5: steps\.1\.say: .*limit is 8,000"):
        load_scenario(path, _categories(settings))


def _scenario(tmp_path: Path, settings: Settings, name: str) -> tuple[str, Scenario]:
    path = tmp_path / f"{name}.yaml"
    path.write_text(
        f"name: {name}\nsteps:\n  - {{user: a, say: I love Rome}}\nchecks:\n"
        '  - {user: a, query: "Which city?", expect: [Rome]}\n'
    )
    return str(path), load_scenario(path, _categories(settings))


def test_a_scenario_that_aborts_mid_run_loses_no_report(
    tmp_path: Path, settings: Settings, service: ConciergeService
) -> None:
    first, last = _scenario(tmp_path, settings, "first"), _scenario(tmp_path, settings, "last")
    # Built without validation: what a file that slipped past the load check would do at run time.
    too_long = Step.model_construct(user="a", say="x" * (MAX_TEXT_CHARS + 1), session=None, project=None)
    aborting = ("aborting.yaml", first[1].model_copy(update={"name": "aborting", "steps": (too_long,)}))
    reports = evaluate([first, aborting, last], service)
    assert [r.scenario for r in reports] == ["first", "aborting", "last"]
    assert reports[0].passed and reports[2].passed
    assert not reports[1].passed and reports[1].error is not None and "8,000" in reports[1].error
    assert reports[1].to_dict()["error"] == reports[1].error


def test_cli_eval_prints_finished_reports_when_a_later_scenario_crashes(
    tmp_path: Path,
    settings: Settings,
    service: ConciergeService,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    import concierge.eval.runner as runner

    paths = [_scenario(tmp_path, settings, name)[0] for name in ("first", "second")]
    real_run = runner.run_scenario

    def crash_on_second(scenario: Scenario, *args: object, **kwargs: object) -> ScenarioReport:
        if scenario.name == "second":
            raise RuntimeError("the machine caught fire")
        return real_run(scenario, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(runner, "run_scenario", crash_on_second)
    with pytest.raises(RuntimeError):
        main(["eval", *paths, "--json"])
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines() if line.strip()]
    assert [line["scenario"] for line in lines] == ["first"] and lines[0]["passed"] is True


# -- issue 24, item 9: one redaction for every URL; every bad URL is one line --
def test_every_url_query_value_and_userinfo_is_redacted() -> None:
    from concierge.redact import redact_text, redact_url

    assert redact_url(f"http://127.0.0.1:9/v1?key={SECRET}") == "http://127.0.0.1:9/v1?key=***"
    assert redact_url(f"http://h/v1?{SECRET}") == "http://h/v1?***"  # a bare value is a value too
    assert redact_url(f"http://h/v1#token={SECRET}") == "http://h/v1#***"
    assert redact_url(f"http://u:{SECRET}@h:1/p?sig={SECRET}&x=1") == "http://***@h:1/p?sig=***&x=***"
    logged = f"HTTP Request: POST http://127.0.0.1:9/v1/chat/completions?key={SECRET} 'HTTP/1.1 200 OK'"
    assert redact_text(logged) == "HTTP Request: POST http://127.0.0.1:9/v1/chat/completions?key=*** 'HTTP/1.1 200 OK'"


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        (f"http://127.0.0.1:9/v1/sk-{SECRET}", "http://127.0.0.1:9/v1/***"),
        (f"http://127.0.0.1:9/v1/key-{SECRET}/chat", "http://127.0.0.1:9/v1/***/chat"),
        (f"http://h/v1/token_{SECRET}", "http://h/v1/***"),
        ("http://h/v1/ghp_ABCDEFGHIJ0123456789", "http://h/v1/***"),
        ("http://h/v1/AKIAIOSFODNN7EXAMPLE", "http://h/v1/***"),
        ("http://h/v1/a1b2c3d4e5f6a7b8c9d0e1f2a3b4", "http://h/v1/***"),  # a long hex run
        ("http://h/v1/eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0In0.c2lnbmF0dXJl99", "http://h/v1/***"),  # a JWT
        (f"http://127.0.0.1:9/v1;jsessionid={SECRET}", "http://127.0.0.1:9/v1;jsessionid=***"),
        (f"http://h/v1;a={SECRET};{SECRET}/chat", "http://h/v1;a=***;***/chat"),
        (f"http://h;{SECRET}/v1", "http://h;***/v1"),
        (f"http://127.0.0.1:9/v1/key={SECRET}/x", "http://127.0.0.1:9/v1/key=***/x"),  # attack5 L1: name=value
        (f"http://h/v1/api_key%3D{SECRET}/x", "http://h/v1/api_key%3D***/x"),
        # names stay readable: what the URL says is where, not who
        ("http://h/openai/deployments/gpt-4o-mini-2024-07-18/chat", None),
        ("http://h/v1/chat/completions", None),
        ("http://h/v1/skeleton-crew/llama-3.1-8b-instruct", None),
        ("http://h/x/123e4567-e89b-12d3-a456-426614174000", None),
        ("http://h/v1/auth-callback/session_manager", None),
    ],
)
def test_url_path_secrets_redacted(url: str, shown: str | None) -> None:
    """attack4 L1: a key in a path segment or in a ``;parameter`` is hidden by the one redaction, as a query is."""
    from concierge.redact import redact_text, redact_url

    assert redact_url(url) == (shown or url)
    assert redact_text(f"cannot reach the model endpoint {url} (refused)") == (
        f"cannot reach the model endpoint {shown or url} (refused)"
    )


def test_a_path_secret_in_the_model_url_is_hidden_in_the_sidebar_and_errors(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LLM_BASE_URL", f"http://127.0.0.1:9/v1/sk-{SECRET};jsessionid={SECRET}")
    monkeypatch.setenv("LLM_MODEL", "llama")
    settings = load_settings()
    error = explain_model_failure(settings, openai.APIConnectionError(request=httpx.Request("POST", "http://x")))
    assert error is not None and "127.0.0.1:9/v1/***;jsessionid=***" in str(error)
    _no_secret(str(settings.describe()), repr(settings), str(error))


def test_a_key_in_a_store_url_is_hidden_in_the_sidebar_and_errors(monkeypatch: pytest.MonkeyPatch) -> None:
    """A ?key= in the model URL is now refused at load (see the test above); a store URL may still hold one."""
    monkeypatch.setenv("QDRANT_URL", f"http://127.0.0.1:9/?key={SECRET}")
    monkeypatch.setenv("CONCIERGE_MEMORY_BACKEND", "qdrant")
    monkeypatch.setenv("LLM_BASE_URL", "http://127.0.0.1:9/v1")
    monkeypatch.setenv("LLM_MODEL", "llama")
    settings = load_settings()
    assert "127.0.0.1:9/?key=***" in settings.describe()["store"]  # what ui/sidebar.py shows
    error = explain_model_failure(settings, openai.APIConnectionError(request=httpx.Request("POST", "http://x")))
    _no_secret(str(settings.describe()), repr(settings), str(error))


@pytest.mark.parametrize(
    ("variable", "value", "problem"),
    [
        ("QDRANT_URL", f"http://u:{SECRET}@127.0.0.1:99999", "port"),
        ("LLM_BASE_URL", f"http://u:{SECRET}@127.0.0.1:abc/v1", "port"),
        ("MEM0_HOST", f"https://u:{SECRET}@[::1", "host"),
        ("QDRANT_URL", f"http://u:{SECRET}@:6333", "missing the host"),
        ("LLM_BASE_URL", f"ftp://u:{SECRET}@h/v1", "http://"),
        ("MEM0_HOST", f"https://h/v1?key=\n{SECRET}", "control character"),
    ],
)
def test_a_bad_url_in_any_variable_is_one_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], variable: str, value: str, problem: str
) -> None:
    monkeypatch.setenv(variable, value)
    monkeypatch.setenv("LLM_MODEL", "llama")
    monkeypatch.setenv("MEM0_API_KEY", "m0-key")
    assert main(["memory", "list", "--user", "alice"]) == 2
    lines = [line for line in capsys.readouterr().err.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith(f"error: invalid config {variable}="), lines
    assert problem in lines[0]
    _no_secret(lines[0])


# -- issue 24, item 11: configuration that would be silently ignored --
def test_an_unknown_concierge_variable_is_warned_once_with_a_suggestion(
    env_root: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    from concierge import env_names

    monkeypatch.setattr(env_names, "_warned", set())
    (env_root / ".env").write_text("CONCIERGE_DATA_DRI=/tmp/elsewhere\n")
    monkeypatch.setenv("CONCIERGE_PROJCT_ID", "staging")
    monkeypatch.setenv("CONCIERGE_ZZQX", "1")
    with caplog.at_level(logging.WARNING, logger="concierge.env_names"):
        load_settings()
        load_settings()  # once per process, not per load
    warned = {record.args[0]: record.getMessage() for record in caplog.records}  # type: ignore[index]
    assert len(caplog.records) == 3 and set(warned) == {"CONCIERGE_DATA_DRI", "CONCIERGE_PROJCT_ID", "CONCIERGE_ZZQX"}
    assert "did you mean CONCIERGE_DATA_DIR?" in warned["CONCIERGE_DATA_DRI"] and ".env" in warned["CONCIERGE_DATA_DRI"]
    assert "did you mean CONCIERGE_PROJECT_ID?" in warned["CONCIERGE_PROJCT_ID"]
    assert "did you mean" not in warned["CONCIERGE_ZZQX"]


def test_every_variable_the_code_reads_is_known() -> None:
    """A reader of a CONCIERGE_* variable that is not registered would be warned about as a typo."""
    import re

    from concierge.settings import known_variables

    read = set()
    for path in [*(PROJECT_ROOT / "concierge").rglob("*.py"), *(PROJECT_ROOT / "ui").rglob("*.py")]:
        read |= set(re.findall(r"\"(CONCIERGE_[A-Z_]+)\"", path.read_text(encoding="utf-8")))
    assert read and read - {"CONCIERGE_API_"} <= known_variables()  # the API settings' env_prefix itself


def test_a_misspelt_api_variable_is_warned_about(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    from concierge import env_names

    monkeypatch.setattr(env_names, "_warned", set())
    monkeypatch.setenv("CONCIERGE_API_RATE_LIMT", "5")
    monkeypatch.setenv("CONCIERGE_API_RATE_LIMIT", "5")
    with caplog.at_level(logging.WARNING, logger="concierge.env_names"):
        load_settings()
    warned = {record.args[0]: record.getMessage() for record in caplog.records}  # type: ignore[index]
    assert set(warned) == {"CONCIERGE_API_RATE_LIMT"}
    assert "did you mean CONCIERGE_API_RATE_LIMIT?" in warned["CONCIERGE_API_RATE_LIMT"]


@pytest.mark.parametrize(
    "text",
    [
        _ONE_CATEGORY + "default_project: production\ndefault_project: staging\n",
        "categories:\n  - {name: travel, description: trips, description: places}\n",
    ],
)
def test_a_key_written_twice_in_yaml_config_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, text: str
) -> None:
    _policy_file(tmp_path, monkeypatch, text)
    with pytest.raises(ConfigError, match=r"memory\.yaml: line \d") as failure:
        load_settings()
    assert "written twice" in str(failure.value)


# -- attack3 M4: .env keys set twice, and near-misses of every variable the app reads --
@pytest.mark.parametrize(
    ("content", "line", "key"),
    [
        ("CONCIERGE_PROJECT_ID=staging\nCONCIERGE_PROJECT_ID=production\n", 2, "CONCIERGE_PROJECT_ID"),
        ("# store\nDATABASE_URL=postgresql://u:p@h/a\n\nexport DATABASE_URL=postgresql://u:p@h/b\n", 4, "DATABASE_URL"),
        ("OPENAI_API_KEY=k1\nLLM_MODEL=x\nOPENAI_API_KEY=k1\n", 3, "OPENAI_API_KEY"),  # even the same value
    ],
)
def test_a_variable_set_twice_in_env_is_refused_and_nothing_loaded(
    env_root: Path, monkeypatch: pytest.MonkeyPatch, content: str, line: int, key: str
) -> None:
    (env_root / ".env").write_text(content)
    runtime_env.prepare_environment()
    assert key not in os.environ  # nothing from the file was used
    with pytest.raises(ConfigError) as failure:
        load_settings()
    message = str(failure.value)
    assert f"line {line} ({key})" in message and str(env_root / ".env") in message and "\n" not in message
    assert "k1" not in message and "postgresql" not in message  # values never shown


@pytest.mark.parametrize(
    ("name", "meant"),
    [
        ("DATABSE_URL", "DATABASE_URL"),
        ("OPENAI_API_KY", "OPENAI_API_KEY"),
        ("concierge_data_dir", "CONCIERGE_DATA_DIR"),
        ("database_url", "DATABASE_URL"),
        ("QDRANT_URI", "QDRANT_URL"),
        ("LLM_MODLE", "LLM_MODEL"),
        ("Concierge_Project_Id", "CONCIERGE_PROJECT_ID"),
    ],
)
@pytest.mark.parametrize("where", ["env", ".env"])
def test_a_near_miss_of_any_known_variable_is_warned_once(
    env_root: Path,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
    name: str,
    meant: str,
    where: str,
) -> None:
    from concierge import env_names

    monkeypatch.setattr(env_names, "_warned", set())
    if where == ".env":
        (env_root / ".env").write_text(f"{name}=x\n")
    else:
        monkeypatch.setenv(name, "x")
    with caplog.at_level(logging.WARNING, logger="concierge.env_names"):
        load_settings()
        load_settings()
    warned = [r.getMessage() for r in caplog.records if r.args and r.args[0] == name]  # type: ignore[index]
    assert len(warned) == 1 and f"did you mean {meant}?" in warned[0]


@pytest.mark.parametrize(
    "name", ["OPENAI_API_TYPE", "AZURE_OPENAI_API_KEY", "OPENAI_ORGANIZATION", "HTTP_PROXY", "MEM0_DIR", "PGDATA"]
)
def test_other_tools_variables_are_not_warned_about(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture, name: str
) -> None:
    from concierge import env_names

    monkeypatch.setattr(env_names, "_warned", set())
    monkeypatch.setenv(name, "x")
    with caplog.at_level(logging.WARNING, logger="concierge.env_names"):
        load_settings()
    assert not [r for r in caplog.records if r.args and r.args[0] == name]  # type: ignore[index]


# -- attack3 M5: OPENAI_API_BASE, the old name crewAI and mem0 still read, is honoured like OPENAI_BASE_URL --
def test_the_legacy_openai_api_base_is_honoured_like_openai_base_url(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", "k")
    monkeypatch.setenv("OPENAI_API_BASE", "http://127.0.0.1:18401/v1")
    settings = load_settings()
    assert settings.llm == "openai" and settings.llm_base_url == "http://127.0.0.1:18401/v1"
    assert "127.0.0.1:18401" in settings.describe()["model"]
    monkeypatch.setenv("OPENAI_BASE_URL", "http://127.0.0.1:18401/v1")  # both, naming the same endpoint
    assert load_settings().llm_base_url == "http://127.0.0.1:18401/v1"


@pytest.mark.parametrize(
    ("other", "value"),
    [
        ("OPENAI_BASE_URL", "http://127.0.0.1:2/v1"),
        ("LLM_BASE_URL", "http://127.0.0.1:2/v1"),
    ],
)
def test_the_legacy_openai_api_base_naming_another_endpoint_is_one_line(
    monkeypatch: pytest.MonkeyPatch, other: str, value: str
) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", "k")
    monkeypatch.setenv("LLM_MODEL", "m")
    monkeypatch.setenv("OPENAI_API_BASE", f"http://u:{SECRET}@127.0.0.1:1/v1")
    monkeypatch.setenv(other, value)
    with pytest.raises(ConfigError, match="OPENAI_API_BASE") as failure:
        load_settings()
    assert "\n" not in str(failure.value) and other in str(failure.value)
    _no_secret(str(failure.value))


def test_a_bad_legacy_openai_api_base_is_one_line_without_the_secret(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", "k")
    monkeypatch.setenv("OPENAI_API_BASE", f"http://u:{SECRET}@127.0.0.1:abc/v1")
    with pytest.raises(ConfigError, match=r"OPENAI_API_BASE=.*port") as failure:
        load_settings()
    _no_secret(str(failure.value))


# -- attack3 L6: an unknown key in memory.yaml names the key it misspells --
@pytest.mark.parametrize(
    ("extra", "meant"),
    [
        ("default_projet: staging\n", "default_project"),
        ("sesion_ttl_minutes: 30\n", "session_ttl_minutes"),
        ("min_scor: 0.2\n", "min_score"),
        ("categories:\n  - {name: travel, descripton: trips}\n", "description"),
    ],
)
def test_an_unknown_yaml_key_is_named_with_what_was_meant(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, extra: str, meant: str
) -> None:
    text = extra if extra.startswith("categories") else _ONE_CATEGORY + extra
    _policy_file(tmp_path, monkeypatch, text)
    with pytest.raises(ConfigError) as failure:
        load_settings()
    message = str(failure.value)
    typo = extra.split(":")[0] if not extra.startswith("categories") else "descripton"
    assert f"unknown key {typo}" in message and f"did you mean {meant}?" in message
    assert "memory.yaml" in message and "Extra inputs" not in message and "\n" not in message
