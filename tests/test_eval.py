"""``concierge eval``: shipped scenarios pass on Mem0, CrewAI's default store leaks, bad files name file and line."""

from __future__ import annotations

import json
from pathlib import Path

import psycopg
import pytest

from concierge.cli import main
from concierge.errors import InvalidInputError
from concierge.eval.runner import CheckResult, ScenarioReport, evaluate, format_table
from concierge.eval.scenario import ScenarioError, load_scenario
from concierge.runtime_env import PROJECT_ROOT
from concierge.service import ConciergeService
from concierge.settings import Settings

SCENARIOS = sorted((PROJECT_ROOT / "data" / "scenarios").glob("*.yaml"))


def _load(settings: Settings, *paths: Path) -> list:
    categories = frozenset(c.name for c in settings.policy.categories)
    return [(str(p), load_scenario(p, categories)) for p in paths]


def _eval_tables(settings: Settings) -> set[str]:
    from concierge.memory.embedded_postgres import ensure_server

    with psycopg.connect(ensure_server(settings.data_dir / "pg")) as conn:
        rows = conn.execute("SELECT tablename FROM pg_tables WHERE tablename LIKE 'concierge_eval_%'").fetchall()
    return {r[0] for r in rows}


def test_every_shipped_scenario_passes_on_mem0_and_leaves_nothing_behind(
    service: ConciergeService, settings: Settings
) -> None:
    assert len(SCENARIOS) >= 8
    loaded = _load(settings, *SCENARIOS)
    reports = evaluate(loaded, service)
    failed = [c for r in reports for c in r.checks if c.status == "failed"]
    assert not failed, format_table(reports)
    assert all(r.result == "PASS" for r in reports), format_table(reports)
    assert sum(r.leaks for r in reports) == 0
    memory_only = [r for r, (_, scenario) in zip(reports, loaded, strict=True) if not scenario.is_dialogue]
    assert memory_only and all(r.recalled == r.expected > 0 for r in memory_only)  # dialogues check replies
    assert _eval_tables(settings) == set()  # each run's namespace was dropped


def test_crewai_default_memory_leaks_across_users(service: ConciergeService, settings: Settings) -> None:
    scenario = _load(settings, PROJECT_ROOT / "data" / "scenarios" / "france_vs_spain.yaml")
    (report,) = evaluate(scenario, service, backend="crewai-default")
    assert not report.passed and report.leaks > 0
    alice = report.checks[0]
    assert alice.user == "alice" and "Spain" in alice.leaked
    assert any("apartment in Spain" in m for m in alice.memories)  # bob's wish, returned to alice


def test_crew_mode_checks_replies(service: ConciergeService, settings: Settings) -> None:
    scenario = _load(settings, PROJECT_ROOT / "data" / "scenarios" / "france_vs_spain.yaml")
    (report,) = evaluate(scenario, service, crew=True)
    replies = [c for c in report.checks if c.kind == "reply_forbid"]
    assert replies and all(c.passed and not c.skipped and c.memories for c in replies)
    with pytest.raises(InvalidInputError, match="--backend mem0"):
        evaluate(scenario, service, backend="crewai-default", crew=True)


def test_json_output_and_exit_code(service: ConciergeService, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["eval", str(PROJECT_ROOT / "data" / "scenarios" / "nut_allergy_rain.yaml"), "--json"]) == 0
    (line,) = capsys.readouterr().out.strip().splitlines()
    report = json.loads(line)
    assert report["scenario"] == "nut-allergy-rain" and report["backend"] == "mem0" and report["passed"] is True
    assert report["leaks"] == 0 and report["expected"] == report["recalled"] == 1
    assert {"user", "query", "passed", "memories", "missing", "leaked"} <= set(report["checks"][0])
    assert report["checks"][0]["memories"] == ["User is allergic to nuts"]


def test_failing_checks_give_exit_code_1(tmp_path: Path, service: ConciergeService) -> None:
    path = tmp_path / "wrong.yaml"
    path.write_text(
        "name: wrong\nsteps:\n  - {user: a, say: I love Rome}\nchecks:\n"
        '  - {user: a, query: "Which city?", expect: [Lisbon]}\n'
    )
    assert main(["eval", str(path)]) == 1


_ONE_STEP = "name: x\nsteps:\n  - {user: a, say: hi}\nchecks:\n"
_MALFORMED = {
    "unknown key": (
        "name: x\nsteps:\n  - user: a\n    sya: hi\nchecks:\n  - {user: a, stored_none: [b]}\n",
        r":line 4: steps\.0\.sya: unknown key 'sya'",
    ),
    "broken yaml": ("name: x\nsteps:\n  - user: a\n    say: [unclosed\nchecks: []\n", r":line \d+: not valid YAML"),
    "unknown category": (
        _ONE_STEP + "  - {user: a, query: q, expect: [b], category: mood}\n",
        r":line 5: checks\.0\.category: unknown category 'mood'",
    ),
    "expect without query": (
        _ONE_STEP + "  - {user: a, expect: [b]}\n",
        r":line 5: checks\.0: expect, forbid and category need a query",
    ),
    "bad user id": (
        'name: x\nsteps:\n  - {user: "a\'b", say: hi}\nchecks:\n  - {user: a, stored_none: [b]}\n',
        r":line 3: steps\.0\.user: user .* not allowed",
    ),
}


@pytest.mark.parametrize(("text", "message"), _MALFORMED.values(), ids=_MALFORMED.keys())
def test_malformed_scenarios_name_file_and_line(tmp_path: Path, settings: Settings, text: str, message: str) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(text)
    with pytest.raises(ScenarioError, match=f"bad.yaml{message}"):
        _load(settings, path)


def _report(*checks: CheckResult) -> ScenarioReport:
    timings = {"steps": 1.0, "per_step": 1.0, "checks": 1.0}
    return ScenarioReport("s", "mem0", "s.yaml", list(checks), timings, 1, 0, 0, store="a store", model="a model")


def test_skipped_checks_are_counted_apart_and_never_passed() -> None:
    ran = CheckResult("a", "stored_none", None, True)
    skipped = CheckResult("a", "reply_forbid", None, False, skipped="needs --crew")
    failed = CheckResult("a", "query", "q", False, missing=["x"])
    assert (ran.status, skipped.status, failed.status) == ("passed", "skipped", "failed")
    mixed = _report(ran, skipped)
    assert mixed.counts() == {"passed": 1, "failed": 0, "skipped": 1} and mixed.result == "PASS" and mixed.passed
    only_skipped = _report(skipped, skipped)
    assert only_skipped.result == "SKIPPED" and not only_skipped.passed
    assert only_skipped.to_dict()["counts"] == {"passed": 0, "failed": 0, "skipped": 2}
    assert _report(ran, skipped, failed).result == "FAIL"
    (row,) = [line for line in format_table([only_skipped]).splitlines() if line.startswith("s ")]
    assert row.split()[2:6] == ["SKIPPED", "0", "0", "2"]


@pytest.mark.parametrize("odd", ["\u2028", "\u202e", "\n", "\x1b[2J", "\u2029"])
def test_the_eval_table_keeps_a_scenario_name_or_query_to_one_line(odd: str) -> None:
    """Item 12 of issue 24: a name, user or query read from a scenario file never forges or reorders a line."""
    failed = CheckResult(f"a{odd}b", "query", f"q{odd}", False, missing=["x"])
    timings = {"steps": 1.0, "per_step": 1.0, "checks": 1.0}
    report = ScenarioReport(f"s{odd}t", "mem0", "s.yaml", [failed], timings, 1, 0, 0, store="a store", model="a model")
    lines = format_table([report]).splitlines()
    assert len(lines) == 5  # runs-on, header, rule, the row, the failed check
    assert not any(ch in line for line in lines for ch in (odd, "\u2028", "\u202e", "\x1b"))


def test_without_crew_reply_checks_are_skipped_and_the_json_names_store_and_model(
    service: ConciergeService, settings: Settings, capsys: pytest.CaptureFixture[str]
) -> None:
    path = PROJECT_ROOT / "data" / "scenarios" / "france_vs_spain.yaml"
    assert main(["eval", str(path), "--json"]) == 0
    (line,) = capsys.readouterr().out.strip().splitlines()
    report = json.loads(line)
    replies = [c for c in report["checks"] if c["kind"] == "reply_forbid"]
    assert len(replies) == 2
    assert all(c["status"] == "skipped" and c["passed"] is False and c["skipped"] for c in replies)
    assert report["counts"]["skipped"] == 2 and report["counts"]["failed"] == 0
    assert report["counts"]["passed"] == len(report["checks"]) - 2 > 0
    assert report["result"] == "PASS" and report["passed"] is True
    described = settings.describe()
    assert report["store"] == described["store"] and "PostgreSQL" in report["store"]
    assert report["model"] == described["model"]


def test_a_scenario_of_only_skipped_checks_is_not_a_pass(
    tmp_path: Path, service: ConciergeService, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "replies.yaml"
    path.write_text(_ONE_STEP + "  - {user: a, reply_forbid: [Oslo]}\n")
    assert main(["eval", str(path)]) == 1
    table = capsys.readouterr().out
    (row,) = [line for line in table.splitlines() if line.startswith("x ")]
    assert row.split()[2:6] == ["SKIPPED", "0", "0", "1"]
    assert "skipped (needs --crew)" in table and service.settings.describe()["store"] in table


def test_the_crewai_default_report_names_its_store(service: ConciergeService, settings: Settings) -> None:
    scenario = _load(settings, PROJECT_ROOT / "data" / "scenarios" / "nut_allergy_rain.yaml")
    (report,) = evaluate(scenario, service, backend="crewai-default")
    assert report.store.startswith("crewai-default") and report.model
    assert report.store in format_table([report])
