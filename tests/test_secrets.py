"""Secrets (API keys, database passwords) never appear in logs, errors, the UI or exports."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest
from pydantic import SecretStr
from streamlit.testing.v1 import AppTest

from concierge.cli import main
from concierge.errors import ModelError
from concierge.memory.embedded_postgres import ensure_server, stop_server
from concierge.runtime_env import PROJECT_ROOT
from concierge.service import ConciergeService
from concierge.settings import Settings
from tests.model_server import ModelServer, remote_settings

API_KEY = "sk-test-SECRET-4f9a1c"
DB_PASSWORD = "pw-SECRET-77d2"
SECRETS = (API_KEY, DB_PASSWORD)


def _clean(text: str) -> None:
    for secret in SECRETS:
        assert secret not in text


@pytest.fixture
def secret_service(settings: Settings) -> Iterator[tuple[ConciergeService, ModelServer]]:
    pgdata = settings.data_dir / "pg"
    uri = ensure_server(pgdata)  # trust auth: any password works, so it can be a real secret-bearing URL
    url = uri.replace("postgresql://postgres:@", f"postgresql://postgres:{DB_PASSWORD}@", 1)
    assert DB_PASSWORD in url
    with ModelServer(api_key=API_KEY) as server:
        configured = remote_settings(
            settings, server.base_url, API_KEY, backend="postgres", database_url=SecretStr(url)
        )
        service = ConciergeService.from_settings(configured)
        try:
            yield service, server
        finally:
            service.close()
            stop_server(pgdata)


def test_no_secret_in_logs_replies_exports_or_settings(
    secret_service: tuple[ConciergeService, ModelServer], caplog: pytest.LogCaptureFixture, project: str
) -> None:
    service, server = secret_service
    caplog.set_level(logging.DEBUG)  # everything every library logs, at its most talkative
    scope = service.scope("alice", project_id=project, run_id="s1")
    reply = service.chat(scope, "I am allergic to nuts and I love Lyon")
    assert server.calls and all(c.headers["Authorization"] == f"Bearer {API_KEY}" for c in server.calls)  # used
    _clean(caplog.text)
    _clean(str(reply.to_dict()))
    _clean(service.memory.export_json(scope))
    _clean(str(service.describe()))
    _clean(repr(service.settings))
    _clean(str(service.settings.model_dump()))


def test_no_secret_in_model_errors(settings: Settings, caplog: pytest.LogCaptureFixture, project: str) -> None:
    caplog.set_level(logging.DEBUG)
    with ModelServer(api_key="the-right-key") as server:
        service = ConciergeService.from_settings(remote_settings(settings, server.base_url, API_KEY))
        try:
            with pytest.raises(ModelError) as failure:
                service.chat(service.scope("alice", project_id=project), "Plan a dinner in Lyon")
        finally:
            service.close()
    _clean(str(failure.value))
    _clean(caplog.text)


def test_no_secret_in_cli_errors(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], state_dir: object
) -> None:
    monkeypatch.setenv("DATABASE_URL", f"postgresql://app:{DB_PASSWORD}@127.0.0.1:9/concierge?connect_timeout=2")
    monkeypatch.setenv("CONCIERGE_DB_TIMEOUT_SECONDS", "1")  # the pool gives up after 1 s, not the default 10
    assert main(["memory", "list", "--user", "alice"]) == 2
    captured = capsys.readouterr()
    assert captured.err.startswith("error: ") and "DATABASE_URL=postgresql://***@127.0.0.1:9/" in captured.err
    assert captured.err.count("\n") == 1  # one line
    _clean(captured.out + captured.err)


def test_no_secret_in_the_ui(
    secret_service: tuple[ConciergeService, ModelServer], monkeypatch: pytest.MonkeyPatch
) -> None:
    service, _ = secret_service
    monkeypatch.setattr("ui.resources.get_service", lambda: service)
    at = AppTest.from_file(str(PROJECT_ROOT / "ui" / "app.py"), default_timeout=180)
    at.run()
    assert not at.exception
    at.chat_input(key="chat-alice").set_value("I love Porto").run()
    shown = " ".join(str(node.value) for node in [*at.markdown, *at.caption, *at.sidebar.markdown, *at.code])
    assert "openai_compatible" not in shown and "scripted at http://127.0.0.1" in shown  # the model is named
    _clean(shown)
    _clean(repr(at.session_state))


def test_a_key_in_a_url_query_is_hidden_in_the_sidebar(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    """Issue 24, item 9: any query parameter may carry a key (``?key=``), not only the ones named like one."""
    configured = remote_settings(settings, f"http://127.0.0.1:9/v1?key={API_KEY}", "k")
    service = ConciergeService.from_settings(configured)
    monkeypatch.setattr("ui.resources.get_service", lambda: service)
    try:
        at = AppTest.from_file(str(PROJECT_ROOT / "ui" / "app.py"), default_timeout=180)
        at.run()
        assert not at.exception
        shown = " ".join(str(node.value) for node in [*at.sidebar.markdown, *at.sidebar.caption])
    finally:
        service.close()
    assert "scripted at http://127.0.0.1:9/v1?key=***" in shown
    _clean(shown)
