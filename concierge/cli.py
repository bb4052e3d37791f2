"""``concierge`` command line: a thin shell over ConciergeService (no business logic here)."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, NoReturn

from concierge import ConciergeError, FieldError, MemoryRecord, Reply
from concierge.logs import configure_logging
from concierge.terminal_text import escape_line as _line


def _print_records(records: list[MemoryRecord], as_json: bool) -> None:
    if as_json:
        print(json.dumps([r.to_dict() for r in records], ensure_ascii=False, indent=2))
        return
    if not records:
        print("(no memories)")
    for r in records:
        cats = ",".join(r.categories) or "-"
        score = f" score={r.score:.2f}" if r.score is not None else ""
        session = f" session={r.run_id}" if r.run_id else ""
        replaced = f" (superseded on {r.superseded_at} by {r.superseded_by})" if r.superseded_by else ""
        print(_line(f"{r.id}  [{cats}]{session}{score}  {r.text}{replaced}"))  # one memory, one line


def _print_history(records: list[MemoryRecord], as_json: bool) -> None:
    """A memory's version chain, oldest first: when each was said and what replaced it."""
    if as_json:
        print(json.dumps([r.to_dict() for r in records], ensure_ascii=False, indent=2))
        return
    for r in records:
        print(_line(f"{r.id}  {r.created_at or '?'}  {r.text}"))
        print(f"    superseded on {r.superseded_at} by {r.superseded_by}" if r.superseded_by else "    current")


def _print_reply(reply: Reply, as_json: bool) -> None:
    from concierge import render_outputs
    from concierge.conversation.state import DRAFT_STATUS_WORDS

    if as_json:
        print(json.dumps(reply.to_dict(), ensure_ascii=False, indent=2))
        return
    quoted = _quoted_texts(reply)
    print(_lines(reply.answer, quoted))
    if extra := render_outputs(reply.outputs):  # your own agents' outputs, field by field
        print(f"\n{_lines(extra, quoted)}")
    if reply.draft is not None:
        status = reply.session.draft_status if reply.session is not None else "draft"
        heading = DRAFT_STATUS_WORDS[status]
        print(f"\n{heading[0].upper()}{heading[1:]}:\n{_lines(reply.draft.text(), quoted)}")
    if reply.session is not None:
        print(f"\n[this session's plan: {_line(reply.session.summary)}]")
    used = _line(", ".join(m.text for m in reply.memories_used) or "none")
    stored = _line(", ".join(m.text for m in reply.memories_stored) or "nothing new")
    timings = " ".join(f"{k}={v:.0f}ms" for k, v in reply.timings_ms.items())
    print(f"\n[memories used: {used}]\n[remembered: {stored}]\n[session {reply.run_id}; {timings}]")


def _quoted_texts(reply: Reply) -> list[str]:
    """The user's words a reply may quote (memories used, stored, dropped or forgotten) that hold a line break or
    another character ``escape_line`` shows escaped; longest first, so a text inside another is not split."""
    records = [*reply.memories_used, *reply.memories_stored]
    if reply.forgotten is not None:
        records += [*reply.forgotten.deleted, *reply.forgotten.candidates, *reply.forgotten.restored]
    texts = {r.text for r in records} | {d.text for d in reply.dropped}
    return sorted((t for t in texts if _line(t) != t), key=len, reverse=True)


def _lines(text: str, quoted: Sequence[str] = ()) -> str:
    """Multi-line text we composed (an answer, a draft): its own line breaks kept, every other control escaped.

    A quoted text of the user's is escaped whole first: its own line breaks would forge lines of ours
    ("[remembered: ...]") under the answer.
    """
    for words in quoted:
        text = text.replace(words, _line(words))
    return "\n".join(_line(line) for line in text.split("\n"))


def _stage_printer(enabled: bool) -> Callable[[str], None] | None:
    if not enabled:
        return None
    return lambda stage: print(f"  ... {stage}", file=sys.stderr, flush=True)


def _ask_command(args: argparse.Namespace) -> int:
    from concierge import ConciergeService

    service = ConciergeService.from_settings()
    try:
        scope = service.scope(args.user, project_id=args.project, run_id=args.session)
        _print_reply(service.chat(scope, args.text, progress=_stage_printer(not args.json)), args.json)
    finally:
        service.close()
    return 0


def _tolerate_invalid_utf8(stream: object) -> None:
    """Bytes that are not UTF-8 arrive as lone surrogates (refused per line) instead of ending the chat."""
    reconfigure = getattr(stream, "reconfigure", None)
    if reconfigure is not None:
        reconfigure(errors="surrogateescape")


def _chat_command(args: argparse.Namespace) -> int:
    from concierge import ConciergeService

    print("starting the concierge (loading models and the catalog) ...", file=sys.stderr, flush=True)
    service = ConciergeService.from_settings()
    try:
        session = args.session if args.session is not None else service.new_session_id()
        scope = service.scope(args.user, project_id=args.project, run_id=session)
        _tolerate_invalid_utf8(sys.stdin)
        service.crew_parts()
        print(f"{scope.user_id}, session {scope.run_id}. Type a message; empty line or Ctrl-D to quit.", flush=True)
        while True:
            try:
                message = input(f"{scope.user_id}> ").strip()
            except EOFError:
                break
            if not message:
                break
            try:
                _print_reply(service.chat(scope, message, progress=_stage_printer(True)), args.json)
            except ConciergeError as exc:  # one bad turn does not end the chat
                print(f"error: {_line(str(exc))}", file=sys.stderr)
    finally:
        service.close()
    return 0


def _needs_eval(paths: list[Path], as_json: bool) -> int:
    """Precision / recall of need detection on needs sets; exit 1 below the targets."""
    from concierge.needs.evaluate import evaluate_needs

    reports = [evaluate_needs(path) for path in paths]
    for report in reports:
        print(json.dumps(report.to_dict(), ensure_ascii=False) if as_json else report.format())
    return 0 if all(r.passed for r in reports) else 1


def _eval_command(args: argparse.Namespace) -> int:
    from concierge.needs.evaluate import is_needs_set

    needs_sets = [*args.needs, *(p for p in args.files if is_needs_set(p))]
    files = [p for p in args.files if p not in needs_sets]
    if not needs_sets and not files:
        raise ConciergeError("eval: give scenario files (data/scenarios/*.yaml) or --needs data/needs/needs_set.yaml")
    code = _needs_eval(needs_sets, args.json) if needs_sets else 0
    return max(code, _scenario_eval(args, files)) if files else code


def _scenario_eval(args: argparse.Namespace, files: list[Path]) -> int:
    from concierge import ConciergeService, load_settings
    from concierge.eval.runner import ScenarioReport, evaluate, format_table
    from concierge.eval.scenario import load_scenario

    settings = load_settings()
    categories = frozenset(c.name for c in settings.policy.categories)
    scenarios = [(str(path), load_scenario(path, categories)) for path in files]  # all checked before any run
    service = ConciergeService.from_settings(settings)
    reports: list[ScenarioReport] = []

    def finished(report: ScenarioReport) -> None:
        reports.append(report)
        if args.json:  # one line per scenario as it finishes
            print(json.dumps(report.to_dict(), ensure_ascii=False), flush=True)

    try:
        evaluate(scenarios, service, backend=args.backend, crew=args.crew, on_report=finished)
    finally:  # also when a later scenario crashed: the finished reports are printed, never lost
        service.close()
        if reports and not args.json:
            print(format_table(reports), flush=True)
    return 0 if all(r.passed for r in reports) else 1


def _ui_command(args: argparse.Namespace) -> int:
    """Replace this process with the Streamlit server running ui/app.py."""
    import os
    from importlib.resources import files

    from ui.access import exposure_warning

    argv = [sys.executable, "-m", "streamlit", "run", str(files("ui").joinpath("app.py"))]
    argv += ["--server.port", str(args.port), "--server.address", args.address, "--server.headless", "true"]
    argv += ["--browser.gatherUsageStats", "false", "--client.toolbarMode", "minimal"]
    # Streamlit's welcome lines look the machine's external IP up on the internet when it listens beyond
    # localhost; the line above says where the UI is instead.
    argv += ["--logger.hideWelcomeMessage", "true", "--logger.level", "info" if args.verbose else "warning"]
    print(f"Concierge UI on http://{args.address}:{args.port} (Ctrl-C to stop)", file=sys.stderr, flush=True)
    if warning := exposure_warning(args.address, args.port):
        print(f"warning: {warning}", file=sys.stderr, flush=True)
    os.execv(sys.executable, argv)
    return 0  # pragma: no cover (execv does not return)


def _serve_command(args: argparse.Namespace) -> int:
    from concierge.api.admin import serve

    return serve(args.host, args.port, args.workers, args.verbose)


def _api_key_command(args: argparse.Namespace) -> int:
    from concierge.api.admin import format_keys, key_store

    with key_store() as keys:
        if args.action == "create":
            org = args.org or _default_org()
            key = keys.create(args.name, org_id=org, project_id=args.project)
            print(f"API key {args.name!r} for org {org!r}, project {args.project!r}; shown once, store it now:")
            print(key)
        elif args.action == "list":
            print(format_keys(keys.list_keys()))
        elif not keys.revoke(args.name):
            print(f"error: no live API key named {args.name!r}; see `concierge api-key list`", file=sys.stderr)
            return 1
        else:
            print(f"revoked {args.name!r}: every process refuses it from now on")
    return 0


def _default_org() -> str:
    from concierge import load_settings

    return load_settings().org_id


def _memory_command(args: argparse.Namespace) -> int:
    from concierge import ConciergeService

    service = ConciergeService.from_settings()
    try:
        scope = service.scope(args.user, project_id=args.project, run_id=args.session)
        if args.action == "add":
            result = service.remember(scope, args.text, session_only=args.session is not None)
            if args.json:
                stored = [r.to_dict() for r in result.stored]
                print(json.dumps({"stored": stored, "dropped": [d._asdict() for d in result.dropped]}, indent=2))
            else:
                if result.stored or not result.dropped:
                    _print_records(result.stored, False)
                for dropped in result.dropped:  # e.g. "not stored (already remembered): User is allergic to nuts"
                    print(_line(f"not stored ({dropped.reason}): {dropped.text}"))
        elif args.action == "search":
            _print_records(service.recall(scope, args.text, top_k=args.top_k, category=args.category), args.json)
        elif args.action == "list":
            _print_records(service.memories(scope, latest_only=not args.all_versions), args.json)
        elif args.action == "history":
            _print_history(service.history(scope, args.id), args.json)
        elif args.action == "delete":
            done = service.retract_memory(scope, args.id)
            if args.json:
                print(json.dumps({"deleted": done.deleted is not None, "restored": done.to_dict()["restored"]}))
            elif done.deleted:
                print("deleted")
                for record in done.restored:
                    print(_line(f"current again: {record.id}  {record.text}"))
            if not done.deleted:  # exit 1, not 2: the id was well formed, the user just has no such memory
                print(
                    f"error: no memory {args.id} for user {scope.user_id!r} in project {scope.project_id!r}; "
                    f"copy an id from {_ID_SOURCES['delete']}",
                    file=sys.stderr,
                )
                return 1
        elif args.action == "forget":
            return _forget(service, scope, args)
        elif args.action == "export":
            print(json.dumps(service.export(scope, latest_only=not args.all_versions), ensure_ascii=False, indent=2))
    finally:
        service.close()
    return 0


# Refused, not narrowed: erasing one session's memories is `memory delete ID` per memory; a flag that reads as
# "only this session" must never erase the long-term ones too.
_FORGET_SESSION = (
    "memory forget erases every memory of the user, in every session: it takes no --session; drop --session, "
    "or erase one memory with `concierge memory delete ID`"
)


def _forget(service: Any, scope: Any, args: argparse.Namespace) -> int:
    """``memory forget``: refused with ``--session``, confirmed on a terminal, then every memory of the user goes."""
    if args.session is not None:
        raise ConciergeError(_FORGET_SESSION)
    if not _forget_confirmed(service, scope, args.yes):
        print("nothing was forgotten", file=sys.stderr)
        return 1
    count = service.forget(scope)
    print(json.dumps({"forgotten": count}) if args.json else f"forgot {count} memories of {scope.user_id}")
    return 0


def _forget_confirmed(service: Any, scope: Any, yes: bool) -> bool:
    """``--yes``, or a "y" typed at a terminal after seeing how many memories go; refused without a terminal.

    The count is what will go: long-term memories and every session's (``forgettable``), not only those listed.
    """
    if yes:
        return True
    where = f"{scope.user_id!r} in project {scope.project_id!r}"
    if not sys.stdin.isatty():
        raise ConciergeError(f"memory forget erases every memory of {where} for good: pass --yes to confirm")
    count = len(service.forgettable(scope))
    prompt = (
        f"Forget {count} memories of {where} (long-term and of every session), with their earlier versions and "
        "session plans? This cannot be undone. [y/N] "
    )
    try:
        return input(prompt).strip().casefold() in ("y", "yes")
    except EOFError:
        return False


def _demo_reset_command(args: argparse.Namespace) -> int:
    from concierge import ConciergeService

    service = ConciergeService.from_settings()
    try:
        forgotten = service.reset_demo_users(args.project)
    finally:
        service.close()
    lines = [f"forgot {count} {'memory' if count == 1 else 'memories'} of {user}" for user, count in forgotten.items()]
    print(json.dumps({"forgotten": forgotten}) if args.json else "\n".join(lines))
    return 0


_MEMORY_ACTIONS = {
    "add": "remember what a message says about the user",
    "search": "the user's memories closest to a query",
    "list": "all of the user's live memories",
    "history": "one memory's versions: what it replaced and what replaced it",
    "delete": "delete one memory by id; the earlier versions it had replaced become current again",
    "forget": "erase every memory of the user in this project",
    "export": "the user's memories as JSON, with categories and timestamps",
}

_POSITIONAL = {"add": ("text", "the message to remember"), "search": ("text", "the query")}
# Where the user finds a memory id for each command that takes one (delete and history accept older versions too).
_ID_SOURCES = {
    "delete": "`concierge memory list` (older versions: `concierge memory list --all-versions`)",
    "history": "`concierge memory list --all-versions`",
}
_VERBOSE_HELP = "show the libraries' log records too (or set CONCIERGE_LOG_LEVEL)"


class _Parser(argparse.ArgumentParser):
    """argparse with its errors as the one ``error: ...`` line every expected failure prints (exit 2)."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"error: {message}; see `{self.prog} --help`\n")


def _checked(check: Callable[[str], Any], name: str) -> Callable[[str], Any]:
    """An argparse ``type`` running the layers' own validator: argparse names the flag, the validator the fix."""

    def parse(text: str) -> Any:
        try:
            return check(text)
        except FieldError as exc:
            raise argparse.ArgumentTypeError(exc.problem) from None

    parse.__name__ = name  # what argparse calls the value in a message of its own
    return parse


def _id_of(kind: str) -> Callable[[str], Any]:
    from concierge.scope import validate_id

    return _checked(lambda text: validate_id(kind, text), "id")


def _top_k(text: str) -> int:
    from concierge.memory.layer import check_top_k

    return check_top_k(int(text) if text.strip().lstrip("+-").isdigit() else text)


def _memory_id_for(action: str) -> Callable[[str], Any]:
    def check(text: str) -> str:
        from concierge.memory.layer import check_memory_id

        return check_memory_id(text, _ID_SOURCES[action])

    return _checked(check, "memory id")


def _name_choices(subcommands: argparse._SubParsersAction[Any]) -> None:
    """A missing subcommand is reported by its choices ("required: {add,search,...}"), not by its ``dest``."""
    subcommands.metavar = "{" + ",".join(subcommands.choices) + "}"


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="concierge", description="Travel and dining concierge with per-user memory.")
    parser.add_argument("--verbose", "-v", action="store_true", help=_VERBOSE_HELP)
    commands = parser.add_subparsers(dest="command", required=True)  # subparsers are _Parser too (type(parser))

    # Also after the command (`concierge memory list -v`); SUPPRESS keeps a top-level -v when it is not repeated.
    verbose = argparse.ArgumentParser(add_help=False)
    verbose.add_argument("--verbose", "-v", action="store_true", default=argparse.SUPPRESS, help=_VERBOSE_HELP)
    scoped = argparse.ArgumentParser(add_help=False, parents=[verbose])
    scoped.add_argument("--user", required=True, type=_id_of("user_id"), help="user id, e.g. alice")
    scoped.add_argument(
        "--project", type=_id_of("project_id"), help="project id (default: config/memory.yaml default_project)"
    )
    scoped.add_argument(
        "--session",
        type=_id_of("run_id"),
        help="session (run) id; with add, stores a session-only memory that expires; with ask, continues that "
        "session's plan (follow-ups such as 'make it 8pm')",
    )
    as_json = argparse.ArgumentParser(add_help=False)
    as_json.add_argument("--json", action="store_true", help="machine-readable output")

    memory = commands.add_parser("memory", parents=[verbose], help="inspect and manage one user's memories")
    actions = memory.add_subparsers(dest="action", required=True)
    for action, what in _MEMORY_ACTIONS.items():  # export always prints JSON: it has no --json
        parents = [scoped] if action == "export" else [scoped, as_json]
        sub = actions.add_parser(action, parents=parents, help=what, description=what)
        if action in _POSITIONAL:
            name, what = _POSITIONAL[action]
            sub.add_argument(name, help=what)
        if action in _ID_SOURCES:
            sub.add_argument("id", type=_memory_id_for(action), help=f"the memory id (from {_ID_SOURCES[action]})")
        if action == "search":
            sub.add_argument("--category", help="only memories of this category")
            sub.add_argument(
                "--top-k",
                type=_checked(_top_k, "number"),
                default=5,
                help="how many memories at most (1-100; default 5)",
            )
        if action == "forget":
            sub.add_argument("--yes", action="store_true", help="skip the confirmation (required without a terminal)")
        if action in ("list", "export"):
            sub.add_argument("--all-versions", action="store_true", help="include superseded versions (history)")
        sub.set_defaults(handler=_memory_command)
    _name_choices(actions)

    ask = commands.add_parser("ask", parents=[scoped, as_json], help="one message to the crew; prints the reply")
    ask.add_argument("text", help="the message")
    ask.set_defaults(handler=_ask_command)
    chat = commands.add_parser("chat", parents=[scoped, as_json], help="interactive chat with the crew in one session")
    chat.set_defaults(handler=_chat_command)

    evaluation = commands.add_parser(
        "eval", parents=[verbose], help="replay scenario files and check isolation and recall"
    )
    evaluation.add_argument("files", nargs="*", type=Path, help="scenario YAML files (see data/scenarios/)")
    evaluation.add_argument(
        "--needs", action="append", type=Path, default=[], help="a needs set: precision/recall of need detection"
    )
    evaluation.add_argument(
        "--backend",
        choices=("mem0", "crewai-default"),
        default="mem0",
        help="mem0: this project's memory (default); crewai-default: CrewAI's default shared Memory, to compare",
    )
    evaluation.add_argument("--crew", action="store_true", help="also run the crew on every step (reply_forbid)")
    evaluation.add_argument("--json", action="store_true", help="one JSON object per scenario, one per line")
    evaluation.set_defaults(handler=_eval_command)

    demo = commands.add_parser("demo", parents=[verbose], help="the guided demo's users (data/demo/*.yaml)")
    demo_actions = demo.add_subparsers(dest="action", required=True)
    reset = demo_actions.add_parser(
        "reset",
        parents=[verbose, as_json],
        help="forget every demo user in the project, so the next demo starts fresh",
        description="forget every user the demo scripts name (memories, sessions, transcripts) in the project",
    )
    reset.add_argument(
        "--project", type=_id_of("project_id"), help="project id (default: config/memory.yaml default_project)"
    )
    reset.set_defaults(handler=_demo_reset_command)
    _name_choices(demo_actions)

    ui = commands.add_parser("ui", parents=[verbose], help="start the Streamlit demo app")
    ui.add_argument("--port", type=int, default=8501, help="port to serve on (default 8501)")
    ui.add_argument("--address", default="localhost", help="interface to listen on (0.0.0.0 for all)")
    ui.set_defaults(handler=_ui_command)

    serve = commands.add_parser("serve", parents=[verbose], help="serve the authenticated HTTP API (FastAPI)")
    serve.add_argument("--host", default="127.0.0.1", help="interface to listen on (default 127.0.0.1)")
    serve.add_argument("--port", type=int, default=8000, help="port to serve on (default 8000)")
    serve.add_argument("--workers", type=_checked(_workers, "number"), default=1, help="processes (default 1)")
    serve.set_defaults(handler=_serve_command)
    api_key = commands.add_parser("api-key", parents=[verbose], help="create, list and revoke the API's keys")
    key_actions = api_key.add_subparsers(dest="action", required=True)
    create = key_actions.add_parser("create", help="a new key for one org and project; printed once, last line")
    create.add_argument("--name", required=True, type=_id_of("name"), help="a name to list and revoke it by")
    create.add_argument("--project", required=True, type=_id_of("project_id"), help="the project its requests use")
    create.add_argument("--org", type=_id_of("org_id"), help="the org (tenant); default CONCIERGE_ORG_ID or 'local'")
    key_actions.add_parser("list", help="names, scopes, created, last used (never the keys)")
    revoke = key_actions.add_parser("revoke", help="refuse a key from now on, in every process")
    revoke.add_argument("name", type=_id_of("name"), help="the key's name")
    for sub in key_actions.choices.values():
        sub.set_defaults(handler=_api_key_command)
    _name_choices(key_actions)
    _name_choices(commands)
    return parser


def _workers(text: str) -> int:
    if not (text.isascii() and text.isdigit()) or not 1 <= int(text) <= 64:
        raise FieldError("workers", f"must be a whole number from 1 to 64, got {text!r}")
    return int(text)


class _SigtermExits:
    """While a command runs, SIGTERM ends it like ``sys.exit(143)``: its ``finally`` blocks run, so the
    service is closed and the embedded database released as on a normal exit (the database's supervisor
    stops it anyway when a process dies without that, e.g. by SIGKILL). Main thread only; restored after.
    """

    def __enter__(self) -> None:
        import signal
        import threading

        self._previous: object = None
        if threading.current_thread() is threading.main_thread():
            self._previous = signal.signal(signal.SIGTERM, self._exit) or signal.SIG_DFL

    def __exit__(self, *_exc: object) -> None:
        import signal

        if self._previous is not None:
            signal.signal(signal.SIGTERM, self._previous)  # type: ignore[arg-type]

    @staticmethod
    def _exit(signum: int, _frame: object) -> None:
        raise SystemExit(128 + signum)


def main(argv: Sequence[str] | None = None) -> int:
    try:
        args = build_parser().parse_args(argv)
    except SystemExit as exc:  # --help (0), or argparse's one error line (2): a code, like every other outcome
        return exc.code if isinstance(exc.code, int) else 2
    handler: Callable[[argparse.Namespace], int] = args.handler
    from concierge.runtime_env import prepare_environment

    prepare_environment()  # before any command imports crewai or mem0 (they read it at import)
    try:
        configure_logging(verbose=args.verbose)
        with _SigtermExits():
            return handler(args)
    except ConciergeError as exc:
        print(f"error: {_line(str(exc))}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


def run() -> None:
    """The console script: ``main`` in a process that ends when it returns (see ``short_lived``)."""
    from concierge.short_lived import collect_less, end_process

    with collect_less():
        code = main()
    end_process(code)


if __name__ == "__main__":  # pragma: no cover
    run()
