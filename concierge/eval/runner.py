"""Replay a scenario against one memory and run its checks; the report counts leaks and recall honestly."""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Literal

from concierge.errors import ConciergeError
from concierge.eval.backends import EvalMemory, Version
from concierge.eval.dialogue import mismatches
from concierge.eval.scenario import Check, Scenario, Step
from concierge.terminal_text import escape_line

Status = Literal["passed", "failed", "skipped"]


@dataclass(slots=True)
class CheckResult:
    user: str
    kind: str  # query | stored_none | reply_forbid | superseded | reply_superseded | reply | reply_expect
    query: str | None
    passed: bool  # ran and passed; a skipped check is never passed
    memories: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)  # expected strings no memory contained
    leaked: list[str] = field(default_factory=list)  # forbidden strings that were found
    category: str | None = None
    category_found: bool | None = None
    skipped: str | None = None  # why the check could not run: neither passed nor failed

    @property
    def status(self) -> Status:
        return "skipped" if self.skipped else ("passed" if self.passed else "failed")

    def leaked_memories(self) -> list[str]:
        """The memories shown that hold a forbidden string: each is one leak a person can point at."""
        return [text for text in self.memories if any(_contains([text], word) for word in self.leaked)]

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "user": self.user,
            "query": self.query,
            "status": self.status,
            "passed": self.passed,
            "memories": self.memories,
            "missing": self.missing,
            "leaked": self.leaked,
            "kind": self.kind,
        }
        if self.category is not None:
            data["category"], data["category_found"] = self.category, self.category_found
        if self.skipped:
            data["skipped"] = self.skipped
        return data


@dataclass(slots=True)
class ScenarioReport:
    scenario: str
    backend: str
    source: str
    checks: list[CheckResult]
    timings_ms: dict[str, float]
    steps: int
    expected: int  # strings the query checks expect
    recalled: int  # of those, found in a returned memory
    error: str | None = None  # why the scenario stopped before its checks ran (then it did not pass)
    store: str = ""  # which store the memory ran on (settings.describe(): never a secret)
    model: str = ""  # which model extracted the facts (and ran the crew)

    @classmethod
    def aborted(cls, scenario: Scenario, memory: EvalMemory, source: str, error: str) -> ScenarioReport:
        """The report of a scenario that stopped mid-run: failed, with the reason, and no checks."""
        timings = {"steps": 0.0, "per_step": 0.0, "checks": 0.0}
        expected = sum(len(c.expect) for c in scenario.checks)
        steps = len(scenario.steps)
        args = (scenario.name, memory.name, source, [], timings, steps, expected, 0, error)
        return cls(*args, store=memory.store, model=memory.model)

    def counts(self) -> dict[Status, int]:
        """Checks by status; skipped ones are counted apart, never as passed."""
        counts: dict[Status, int] = {"passed": 0, "failed": 0, "skipped": 0}
        for check in self.checks:
            counts[check.status] += 1
        return counts

    @property
    def result(self) -> Literal["PASS", "FAIL", "SKIPPED", "ABORTED"]:
        """PASS needs at least one check that ran and none that failed; only skipped checks is SKIPPED."""
        counts = self.counts()
        if self.error:
            return "ABORTED"
        if counts["failed"]:
            return "FAIL"
        return "PASS" if counts["passed"] else "SKIPPED"

    @property
    def passed(self) -> bool:
        return self.result == "PASS"

    @property
    def leaks(self) -> int:
        return sum(len(c.leaked) for c in self.checks)

    def to_dict(self) -> dict[str, Any]:
        return {
            "scenario": self.scenario,
            "backend": self.backend,
            "store": self.store,
            "model": self.model,
            "result": self.result,
            "passed": self.passed,
            "counts": self.counts(),
            "leaks": self.leaks,
            "expected": self.expected,
            "recalled": self.recalled,
            "checks": [c.to_dict() for c in self.checks],
            "file": self.source,
            "timings_ms": {k: round(v, 1) for k, v in self.timings_ms.items()},
        } | ({"error": self.error} if self.error else {})


def _contains(haystack: list[str], needle: str) -> bool:
    needle = needle.casefold()
    return any(needle in text.casefold() for text in haystack)


Reply = tuple[str, str]  # (when the turn started, ISO 8601 UTC; the crew's reply)
_WORD = re.compile(r"[^\W\d_]{3,}")


def superseded_words(versions: list[Version]) -> list[str]:
    """Words that only superseded versions say: what the crew must no longer state (``reply_forbid_superseded``).

    "User is vegetarian" replaced by "User is vegan" gives ["vegetarian"]; stop words and "user" never count.
    """
    from spacy.lang.en.stop_words import STOP_WORDS

    current = {w for v in versions if v.superseded_at is None for w in _WORD.findall(v.text.casefold())}
    ignored = current | STOP_WORDS | {"user"}
    old = [w for v in versions if v.superseded_at for w in _WORD.findall(v.text.casefold())]
    return list(dict.fromkeys(w for w in old if w not in ignored))


def _superseded_check(memory: EvalMemory, check: Check, searched: list[str]) -> CheckResult:
    """Each text is in a superseded version (history) and in no current memory, nor in the check's search."""
    versions = memory.versions(check.user, check.project)
    old = [v.text for v in versions if v.superseded_at]
    current = [v.text for v in versions if v.superseded_at is None]
    missing = [s for s in check.superseded if not _contains(old, s)]
    leaked = [s for s in check.superseded if _contains(current, s) or _contains(searched, s)]
    return CheckResult(
        check.user, "superseded", check.query, not missing and not leaked, memories=old, missing=missing, leaked=leaked
    )


def _lines_about(user: str, replies: list[str]) -> list[str]:
    """The reply lines that speak of the user (their id, "you"/"your", "User"): where a stale fact would be stated.

    A venue's own description ("Racines Soleil (Vegetarian, ...)") is not a statement about the user.
    """
    about = re.compile(rf"(?<!\w)(?:{re.escape(user)}|you|your|user)(?!\w)", re.IGNORECASE)
    return [line for reply in replies for line in reply.splitlines() if about.search(line)]


def _reply_superseded_check(memory: EvalMemory, check: Check, replies: list[Reply]) -> CheckResult:
    """No reply to a turn that started after a version was superseded repeats it, or states a word only it
    said in a line about the user ("Needs applied: alice: vegetarian", "Plan for alice in Lyon")."""
    versions = memory.versions(check.user, check.project)
    current = [v for v in versions if v.superseded_at is None]
    leaked: list[str] = []
    for version in (v for v in versions if v.superseded_at):
        since = datetime.fromisoformat(str(version.superseded_at))
        later = [text for when, text in replies if datetime.fromisoformat(when) >= since]
        found = [version.text] if _contains(later, version.text) else []
        lines = _lines_about(check.user, later)
        found += [
            w
            for w in superseded_words([version, *current])
            if re.search(rf"(?<!\w){w}(?!\w)", " ".join(lines), re.IGNORECASE)
        ]
        leaked += [w for w in found if w not in leaked]
    said = [text for _, text in replies]
    return CheckResult(check.user, "reply_superseded", None, not leaked, memories=said, leaked=leaked)


def _run_check(memory: EvalMemory, check: Check, replies: dict[str, list[Reply]], crew: bool) -> list[CheckResult]:
    """Each kind of check the entry names, in a fixed order; a check of replies is skipped without the crew (no
    replies were made), never passed."""
    results: list[CheckResult] = []
    searched: list[str] = []  # what the query returned: a superseded text must not be among it
    if check.query is not None:
        results.append(_query_check(memory, check, check.query))
        searched = results[-1].memories
    if check.stored_none:
        stored = memory.stored(check.user, check.project)
        leaked = [s for s in check.stored_none if _contains(stored, s)]
        results.append(CheckResult(check.user, "stored_none", None, not leaked, memories=stored, leaked=leaked))
    said = replies.get(check.user, [])
    if check.reply_forbid:
        results.append(_reply_forbid_check(check, said) if crew else _needs_crew(check, "reply_forbid"))
    if check.superseded:
        results.append(_superseded_check(memory, check, searched))
    if check.reply_forbid_superseded:
        results.append(_reply_superseded_check(memory, check, said) if crew else _needs_crew(check, "reply_superseded"))
    return results


def _query_check(memory: EvalMemory, check: Check, query: str) -> CheckResult:
    """A search as the user: every expected text among the memories found, no forbidden one, and (if named) a
    memory of the expected category."""
    found = memory.search(check.user, query, check.top_k, check.project, None)
    texts = [f.text for f in found]
    missing = [s for s in check.expect if not _contains(texts, s)]
    leaked = [s for s in check.forbid if _contains(texts, s)]
    category_found = None if check.category is None else any(check.category in f.categories for f in found)
    return CheckResult(
        check.user,
        "query",
        query,
        passed=not missing and not leaked and category_found is not False,
        memories=texts,
        missing=missing,
        leaked=leaked,
        category=check.category,
        category_found=category_found,
    )


def _reply_forbid_check(check: Check, replies: list[Reply]) -> CheckResult:
    """No reply the crew made to the user holds a forbidden text."""
    said = [text for _, text in replies]
    leaked = [s for s in check.reply_forbid if _contains(said, s)]
    return CheckResult(check.user, "reply_forbid", None, not leaked, memories=said, leaked=leaked)


def _needs_crew(check: Check, kind: str) -> CheckResult:
    """A check of the crew's replies in a run without the crew: skipped, with the flag that runs it."""
    return CheckResult(check.user, kind, None, False, skipped="needs --crew")


def _step_checks(index: int, step: Step, reply: Any, previous: Any) -> list[CheckResult]:
    """A dialogue step's own checks: typed reply fields, then text that must (not) appear in the reply."""
    what = f"step {index + 1}: {step.say}"
    if reply is None:
        return [CheckResult(step.user, "reply", what, False, skipped="needs the crew (the mem0 backend)")]
    results = []
    if step.reply is not None:
        wrong = mismatches(step.reply, reply, previous)
        results.append(CheckResult(step.user, "reply", what, not wrong, memories=[reply.answer], missing=wrong))
    if step.reply_expect:
        missing = [s for s in step.reply_expect if not _contains([reply.answer], s)]
        results.append(CheckResult(step.user, "reply_expect", what, not missing, [reply.answer], missing=missing))
    if step.reply_forbid:
        leaked = [s for s in step.reply_forbid if _contains([reply.answer], s)]
        results.append(CheckResult(step.user, "reply_forbid", what, not leaked, [reply.answer], leaked=leaked))
    return results


def run_scenario(scenario: Scenario, memory: EvalMemory, *, source: str, crew: bool = False) -> ScenarioReport:
    crew = crew or scenario.is_dialogue
    replies: dict[str, list[Reply]] = {}
    last: dict[tuple[str, str | None], Any] = {}  # each user's and session's previous reply
    step_results: list[CheckResult] = []
    started = time.perf_counter()
    for index, step in enumerate(scenario.steps):
        if step.restart:
            memory.restart()
        turn_started = datetime.now(UTC).isoformat()
        reply = memory.say(step.user, step.say, step.project, step.session, chat=step.chat)
        if reply is not None:
            replies.setdefault(step.user, []).append((turn_started, reply.answer))
        if step.checks_reply:
            step_results += _step_checks(index, step, reply, last.get((step.user, step.session)))
        last[(step.user, step.session)] = reply
    steps_ms = (time.perf_counter() - started) * 1000
    mark = time.perf_counter()
    checks = step_results + [r for check in scenario.checks for r in _run_check(memory, check, replies, crew)]
    checks_ms = (time.perf_counter() - mark) * 1000
    expected = sum(len(c.expect) for c in scenario.checks)
    return ScenarioReport(
        scenario=scenario.name,
        backend=memory.name,
        source=source,
        checks=checks,
        timings_ms={"steps": steps_ms, "per_step": steps_ms / len(scenario.steps), "checks": checks_ms},
        steps=len(scenario.steps),
        expected=expected,
        recalled=expected - sum(len(r.missing) for r in checks),
        store=memory.store,
        model=memory.model,
    )


_HEADER = ("scenario", "backend", "result", "passed", "failed", "skipped", "leaks", "recall", "ms/step", "checks ms")


def format_table(reports: list[ScenarioReport]) -> str:
    """The human report: which store and model, one row per scenario run, then any failed or skipped check."""
    rows = [_HEADER, *(tuple(map(escape_line, _table_row(r))) for r in reports)]
    widths = [max(len(row[i]) for row in rows) for i in range(len(_HEADER))]
    lines = ["  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)) for row in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    runs_on = dict.fromkeys(f"{r.backend}: store {r.store}; model {r.model}" for r in reports)
    # A scenario's name, a user id or a query from the file may hold U+2028 or a bidi override: one line each.
    return "\n".join([*runs_on, *lines, *(escape_line(line) for r in reports for line in _not_passed(r))])


def _table_row(report: ScenarioReport) -> tuple[str, ...]:
    """One scenario run's cells, in the order of ``_HEADER``."""
    counts = report.counts()
    return (
        report.scenario,
        report.backend,
        report.result,
        str(counts["passed"]),
        str(counts["failed"]),
        str(counts["skipped"]),
        str(report.leaks),
        f"{report.recalled}/{report.expected}" if report.expected else "-",
        f"{report.timings_ms['per_step']:.0f}",
        f"{report.timings_ms['checks']:.0f}",
    )


def _not_passed(report: ScenarioReport) -> list[str]:
    """A line for an aborted run, and one for each check that failed or was skipped, saying why."""
    where = f"  {report.scenario} [{report.backend}]"
    lines = [f"{where}: aborted: {report.error}"] if report.error else []
    for c in report.checks:
        if not c.passed or c.skipped:
            what = f"query {c.query!r}" if c.query else c.kind
            lines.append(f"{where} {c.user}: {what}: {_why_not_passed(c)}")
    return lines


def _why_not_passed(check: CheckResult) -> str:
    """What was missing, leaked, of no expected category, or why the check was skipped."""
    problems = [f"missing {check.missing}" if check.missing else "", f"leaked {check.leaked}" if check.leaked else ""]
    if check.category_found is False:
        problems.append(f"no memory in category {check.category}")
    if check.skipped:
        problems.append(f"skipped ({check.skipped})")
    return "; ".join(p for p in problems if p)


def evaluate(
    scenarios: list[tuple[str, Scenario]],
    service: Any,
    *,
    backend: str = "mem0",
    crew: bool = False,
    on_report: Callable[[ScenarioReport], None] | None = None,
) -> list[ScenarioReport]:
    """Run each (source, scenario) in a fresh namespace of its own, which is removed afterwards.

    A scenario that stops with a ConciergeError (a refused message, an unreachable store or model)
    gets an aborted report and the next one runs; ``on_report`` sees each report as soon as it is
    finished, so a crash later on never loses the ones before it.
    """
    from concierge.errors import InvalidInputError
    from concierge.eval.backends import CrewAIDefaultEval, Mem0Eval

    if crew and backend != "mem0":
        raise InvalidInputError(
            "--crew runs the concierge crew, whose memory is the Mem0 layer; use it with --backend mem0"
        )
    reports = []
    for source, scenario in scenarios:
        with_crew = crew or scenario.is_dialogue  # a dialogue's steps are chat turns
        memory: EvalMemory = Mem0Eval(service, crew=with_crew) if backend == "mem0" else CrewAIDefaultEval(service)
        try:
            report = run_scenario(scenario, memory, source=source, crew=crew)
        except ConciergeError as exc:
            report = ScenarioReport.aborted(scenario, memory, source, str(exc))
        finally:
            memory.close()
        reports.append(report)
        if on_report is not None:
            on_report(report)
    return reports
