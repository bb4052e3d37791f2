"""The CLI end to end on the embedded store (in-process, real service)."""

from __future__ import annotations

import io
import json

import pytest

from concierge.cli import main
from concierge.service import ConciergeService


def _json(capsys: pytest.CaptureFixture[str], argv: list[str]) -> object:
    assert main(argv) == 0
    return json.loads(capsys.readouterr().out)


def test_memory_commands(service: ConciergeService, project: str, capsys: pytest.CaptureFixture[str]) -> None:
    scope = ["--user", "cli-user", "--project", project, "--json"]
    added = _json(capsys, ["memory", "add", "I am allergic to nuts, by the way, it is raining here today", *scope])
    assert [m["text"] for m in added["stored"]] == ["User is allergic to nuts"]
    found = _json(capsys, ["memory", "search", "what can they eat", "--category", "dietary_preferences", *scope])
    assert [m["text"] for m in found] == ["User is allergic to nuts"]
    exported = _json(capsys, ["memory", "export", *scope])
    assert exported["memories"][0]["categories"][0] == "dietary_preferences"
    assert _json(capsys, ["memory", "forget", *scope]) == {"forgotten": 1}
    assert _json(capsys, ["memory", "list", *scope]) == []
    # The session fixture's service still works: the CLI released only its own use of the server.
    assert service.memories(service.scope("cli-user", project_id=project)) == []


def test_cli_errors_are_one_clear_line(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["memory", "list", "--user", "a' OR 1=1"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: user_id") and "Traceback" not in err


def test_ask_json_and_interactive_chat(
    service: ConciergeService, project: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    scope = ["--user", "cli-chat", "--project", project]
    reply = _json(capsys, ["ask", "I am vegetarian and I love Lisbon", *scope, "--json"])
    assert {m["text"] for m in reply["memories_stored"]} == {"User is vegetarian", "User loves Lisbon"}
    assert set(reply["timings_ms"]) == {"understand", "answer", "store", "total"}
    assert reply["request"]["intent"] == "statement" and reply["plan"] is None and reply["draft"] is None

    monkeypatch.setattr("sys.stdin", io.StringIO("Find me a dinner for tonight\n\n"))
    assert main(["chat", *scope, "--session", "cli-s1"]) == 0
    out, err = capsys.readouterr()
    assert "cli-chat, session cli-s1" in out and "First choice:" in out and "Lisbon" in out
    assert "memories used: " in out and "User is vegetarian" in out
    assert "... Travel and dining researcher finished" in err  # progress while the crew works
