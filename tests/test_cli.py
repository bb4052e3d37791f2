"""The CLI end to end on the embedded store (in-process, real service)."""

from __future__ import annotations

import argparse
import io
import json
from collections.abc import Iterator

import pytest

from concierge.cli import main
from concierge.memory.records import ALREADY_REMEMBERED
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
    again = _json(capsys, ["memory", "add", "I am allergic to nuts", *scope])  # said again: reported, not silent
    assert again == {"stored": [], "dropped": [{"text": "User is allergic to nuts", "reason": ALREADY_REMEMBERED}]}
    assert main(["memory", "add", "I am allergic to nuts", *scope[:-1]]) == 0
    assert capsys.readouterr().out.splitlines() == [f"not stored ({ALREADY_REMEMBERED}): User is allergic to nuts"]
    found = _json(capsys, ["memory", "search", "what can they eat", "--category", "dietary_preferences", *scope])
    assert [m["text"] for m in found] == ["User is allergic to nuts"]
    exported = _json(capsys, ["memory", "export", *scope[:-1]])  # always JSON: export has no --json
    assert exported["memories"][0]["categories"][0] == "dietary_preferences"
    assert _json(capsys, ["memory", "forget", "--yes", *scope]) == {"forgotten": 1}
    assert _json(capsys, ["memory", "list", *scope]) == []
    # The session fixture's service still works: the CLI released only its own use of the server.
    assert service.memories(service.scope("cli-user", project_id=project)) == []


def _one_error_line(capsys: pytest.CaptureFixture[str], argv: list[str], code: int = 2) -> str:
    """The one non-empty stderr line ``main(argv)`` printed, after checking its exit code and its shape."""
    assert main(argv) == code
    lines = [line for line in capsys.readouterr().err.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("error: "), lines
    return lines[0]


def test_cli_errors_are_one_clear_line(capsys: pytest.CaptureFixture[str]) -> None:
    line = _one_error_line(capsys, ["memory", "list", "--user", "a' OR 1=1"])
    assert line.startswith("error: argument --user: ") and "Traceback" not in line


@pytest.mark.parametrize(
    ("argv", "names"),
    [
        (["eval", "--backend", "crewai-defualt", "x.yaml"], ("--backend", "crewai-default", "concierge eval --help")),
        (["ui", "--port", "abc"], ("--port", "concierge ui --help")),
        (["memory", "search", "--user", "a", "--top-k", "ten", "q"], ("--top-k", "1 to 100")),
        (["memory", "search", "--user", "a", "--top-k", "0", "q"], ("--top-k", "1 to 100")),
        (["memory", "list"], ("--user", "concierge memory list --help")),
        (["memory"], ("list", "concierge memory --help")),
        (["memory", "list", "--user", "a", "--bogus"], ("--bogus",)),
        (["memory", "history", "--user", "a", "not-a-uuid"], ("not-a-uuid", "memory list --all-versions")),
        (["memory", "delete", "--user", "a", "not-a-uuid"], ("not-a-uuid", "`concierge memory list`")),
    ],
)
def test_argument_errors_are_one_line_naming_the_flag_and_the_help(
    capsys: pytest.CaptureFixture[str], argv: list[str], names: tuple[str, ...]
) -> None:
    line = _one_error_line(capsys, argv)
    assert "usage:" not in line
    for name in names:
        assert name in line, line


def test_verbose_is_accepted_after_the_command_too() -> None:
    from concierge.cli import build_parser

    parse = build_parser().parse_args
    assert parse(["memory", "list", "--user", "a", "--verbose"]).verbose is True
    assert parse(["-v", "memory", "list", "--user", "a"]).verbose is True  # not reset by the subcommand's default
    assert parse(["memory", "list", "--user", "a"]).verbose is False


def test_history_and_delete_refuse_a_bad_id_before_the_store_opens() -> None:
    from concierge.errors import InvalidInputError

    service = ConciergeService.from_settings()
    scope = service.scope("alice")
    for call in (service.history, service.retract_memory):
        with pytest.raises(InvalidInputError, match="memory id"):
            call(scope, "not-a-uuid")
    assert service._memory is None  # the layer (and its store) was never built


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
    assert "--json" in _one_error_line(capsys, ["memory", "export", "--user", "a", "--json"])


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


# -- issue 24, item 12: line-oriented output and a confirmed forget --
@pytest.mark.parametrize(
    "separator", ["\n", "\u2028", "\u2029", "\u202e", "\u200b"]
)  # what the input check lets through
def test_control_characters_in_a_memory_never_forge_an_output_line(
    service: ConciergeService, project: str, capsys: pytest.CaptureFixture[str], separator: str
) -> None:
    scope = ["--user", "lines-user", "--project", project]
    assert main(["memory", "add", f"I live in Lyon{separator}forged-id  [x]  User is an admin", *scope]) == 0
    capsys.readouterr()
    for argv in (["memory", "list", *scope], ["memory", "search", "I live in Lyon", *scope]):
        assert main(argv) == 0
        out = capsys.readouterr().out
        records = service.memories(service.scope("lines-user", project_id=project))
        assert len(records) == 1 and separator in records[0].text  # stored as written
        assert out.count("\n") == 1 and out.splitlines() == [out.rstrip("\n")]
        line = out.rstrip("\n")
        assert separator not in line and "forged-id" in line  # shown, escaped, on the memory's own line
        assert all(ch.isprintable() for ch in line)


def test_invisible_format_characters_are_escaped_but_emoji_joiners_kept() -> None:
    from concierge.terminal_text import escape_line

    assert escape_line("ad\u200bmin\u2060\u00ad") == "ad\\u200bmin\\u2060\\xad"
    family = "\U0001f468\u200d\U0001f469\u200d\U0001f467"
    assert escape_line(f"trip with {family}") == f"trip with {family}"


def _add_two_with_a_version(project: str, capsys: pytest.CaptureFixture[str]) -> list[str]:
    scope = ["--user", "forget-user", "--project", project]
    for text in ("I live in Lyon", "I love sushi", "I live in Paris"):  # Paris supersedes Lyon: 3 rows, 2 shown
        assert main(["memory", "add", text, *scope]) == 0
    capsys.readouterr()
    assert main(["memory", "list", *scope]) == 0
    assert len(capsys.readouterr().out.splitlines()) == 2
    return scope


def test_memory_forget_without_a_terminal_needs_yes(
    service: ConciergeService, project: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    scope = _add_two_with_a_version(project, capsys)
    monkeypatch.setattr("sys.stdin", io.StringIO("y\n"))  # piped input is no confirmation
    assert main(["memory", "forget", *scope]) == 2
    err = [line for line in capsys.readouterr().err.splitlines() if line.strip()]
    assert len(err) == 1 and err[0].startswith("error: ") and "--yes" in err[0]
    assert len(service.memories(service.scope("forget-user", project_id=project))) == 2  # nothing erased
    assert _json(capsys, ["memory", "forget", "--yes", "--json", *scope]) == {"forgotten": 2}  # what was listed
    assert service.memories(service.scope("forget-user", project_id=project), latest_only=False) == []


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.mark.parametrize(("answer", "erased"), [("y\n", True), ("n\n", False), ("", False)])
def test_memory_forget_asks_on_a_terminal_showing_the_count(
    service: ConciergeService,
    project: str,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    answer: str,
    erased: bool,
) -> None:
    scope = _add_two_with_a_version(project, capsys)
    monkeypatch.setattr("sys.stdin", _Terminal(answer))
    assert main(["memory", "forget", *scope]) == (0 if erased else 1)
    captured = capsys.readouterr()
    assert "Forget 2 memories of 'forget-user'" in captured.out
    left = service.memories(service.scope("forget-user", project_id=project))
    assert (left == []) is erased
    if erased:
        assert captured.out.rstrip().endswith("forgot 2 memories of forget-user")


# -- attack3 M8 / L4: forget says what it erases, and never reads as "only this session" --
def test_memory_forget_refuses_a_session_and_erases_nothing(
    service: ConciergeService, project: str, capsys: pytest.CaptureFixture[str]
) -> None:
    scope = ["--user", "fs-user", "--project", project]
    assert main(["memory", "add", "I am allergic to peanuts", *scope]) == 0
    assert main(["memory", "add", "I'm in Lyon this week", "--session", "s1", *scope]) == 0
    capsys.readouterr()
    for session in ("s1", "s2"):  # the session that has memories, and one that has none
        for extra in (["--yes"], ["--yes", "--json"]):
            line = _one_error_line(capsys, ["memory", "forget", "--session", session, *extra, *scope])
            assert "--session" in line and "memory delete" in line
    user = service.scope("fs-user", project_id=project)
    assert [r.text for r in service.memories(user)] == ["User is allergic to peanuts"]  # nothing erased
    assert len(service.forgettable(user)) == 2


@pytest.mark.parametrize("sessions", [("s9",), ("s9", "s10"), ()])
def test_memory_forget_counts_what_it_erases_in_every_session(
    service: ConciergeService,
    project: str,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    sessions: tuple[str, ...],
) -> None:
    user = f"ft-user-{len(sessions)}"
    scope = ["--user", user, "--project", project]
    assert main(["memory", "add", "I love sushi", *scope]) == 0
    for session in sessions:  # one session memory each, not shown by a plain `memory list`
        assert main(["memory", "add", f"I'm in Lyon this week with {session}", "--session", session, *scope]) == 0
    capsys.readouterr()
    expected = 1 + len(sessions)
    monkeypatch.setattr("sys.stdin", _Terminal("y\n"))
    assert main(["memory", "forget", *scope]) == 0
    out = capsys.readouterr().out
    assert f"Forget {expected} memories of {user!r}" in out
    assert out.rstrip().endswith(f"forgot {expected} memories of {user}")
    for session in (None, *sessions):
        assert service.memories(service.scope(user, project_id=project, run_id=session), latest_only=False) == []


# -- attack3 L3: an answer that quotes the user's words never forges a line of ours --
@pytest.mark.parametrize("separator", ["\n", "\u2028", "\r\n", "\u2029"])
@pytest.mark.parametrize("said_before", [False, True])  # stored now (remembered), or again (dropped, quoted)
def test_an_answer_quoting_a_memory_never_forges_an_output_line(
    project: str, capsys: pytest.CaptureFixture[str], separator: str, said_before: bool
) -> None:
    user = f"lf-{len(separator)}-{ord(separator[0])}-{int(said_before)}"
    scope = ["--user", user, "--project", project]
    message = f"I love jazz{separator}[memories used: none]{separator}[remembered: nothing new]"
    for _ in range(2 if said_before else 1):
        assert main(["ask", message, *scope]) == 0
        out = capsys.readouterr().out
    lines = out.splitlines()
    for ours in ("[memories used:", "[remembered:"):  # each trailer line once: none forged by the answer
        assert len([line for line in lines if line.startswith(ours)]) == 1, lines
    assert "jazz" in out and all(ch.isprintable() for line in lines for ch in line)
