"""The CLI end to end on the embedded store (in-process, real service)."""

from __future__ import annotations

import argparse
import io
import json
from collections.abc import Iterator

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
    dropped = [d["text"] for d in added["dropped"]]
    assert "it is raining here today" in dropped and len(dropped) == len(set(dropped))
    assert all(d["reason"] for d in added["dropped"])
    found = _json(capsys, ["memory", "search", "what can they eat", "--category", "dietary_preferences", *scope])
    assert [m["text"] for m in found] == ["User is allergic to nuts"]
    exported = _json(capsys, ["memory", "export", *scope[:-1]])  # always JSON: export has no --json
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


def _helps(parser: argparse.ArgumentParser, path: str = "concierge") -> Iterator[tuple[str, str | None]]:
    """(command and option, its help) for every subcommand and option below ``parser``."""
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            helps = {choice.dest: choice.help for choice in action._choices_actions}
            for name, sub in action.choices.items():
                yield f"{path} {name}", helps.get(name)
                yield from _helps(sub, f"{path} {name}")
        elif not isinstance(action, argparse._HelpAction):
            yield f"{path} {'/'.join(action.option_strings) or action.dest}", action.help


def test_every_command_and_option_has_help() -> None:
    from concierge.cli import build_parser

    helps = dict(_helps(build_parser()))
    assert len(helps) > 30 and "concierge memory search --top-k" in helps
    missing = [where for where, text in helps.items() if not (text or "").strip()]
    assert not missing, f"no help text: {missing}"


def test_export_has_no_no_op_json_flag(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as excinfo:
        main(["memory", "export", "--user", "a", "--json"])
    assert excinfo.value.code == 2 and "--json" in capsys.readouterr().err


def test_a_draft_is_ready_to_send_only_after_the_user_confirms(
    service: ConciergeService, project: str, capsys: pytest.CaptureFixture[str]
) -> None:
    from concierge.conversation.state import DRAFT_STATUS_WORDS

    scope = ["--user", "cli-draft", "--project", project, "--session", "cli-d1"]
    assert main(["ask", "Book a dinner for me in Paris tomorrow at 8pm", *scope]) == 0
    planned = capsys.readouterr().out
    waiting = DRAFT_STATUS_WORDS["draft"]
    assert f"\n{waiting[0].upper()}{waiting[1:]}:\n" in planned and DRAFT_STATUS_WORDS["ready"] not in planned
    assert "Table for 1" in planned  # "for me": a party of one, not an assumed two
    assert main(["ask", "yes, send it", *scope]) == 0
    assert DRAFT_STATUS_WORDS["ready"] in capsys.readouterr().out


def test_a_named_companions_need_is_said_with_their_name() -> None:
    from concierge.crew.outputs import NeedNote

    assert NeedNote(need_id="vegan", label="vegan", holder="Raj").phrase("alice") == "Raj: vegan"
    assert NeedNote(need_id="vegan", label="vegan", holder="husband").phrase("alice") == "alice's husband: vegan"
    assert NeedNote(need_id="vegan", label="vegan").phrase("alice") == "alice: vegan"


def test_counts_are_said_with_their_singular() -> None:
    from concierge.crew.outputs import counted, party_words

    assert (counted(1, "night", "nights"), counted(2, "night", "nights")) == ("1 night", "2 nights")
    assert (party_words(1), party_words(4)) == ("1 person", "4 people")
