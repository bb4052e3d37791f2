"""What a command loads, and what it prints besides its answer, in a fresh process as a user runs it."""

from __future__ import annotations

import json
import uuid
from pathlib import Path

import pytest

from tests.cli_process import free_port, run_cli, run_python, stderr_lines

HEAVY = ("mem0", "crewai", "torch", "transformers", "psycopg", "spacy")

# Runs the CLI in-process and reports which heavy modules it imported and whether the model loaded.
_PROBE = """
import json, sys
from concierge.cli import main
codes = [main(argv) for argv in json.loads(sys.argv[1])]
embeddings = sys.modules.get("concierge.embeddings")
print(json.dumps({
    "codes": codes,
    "imported": sorted(m for m in json.loads(sys.argv[2]) if m in sys.modules),
    "model_loaded": embeddings is not None and embeddings._model.cache_info().currsize > 0,
}))
"""


def _probe(runs: list[list[str]], data_dir: Path) -> tuple[dict[str, object], str]:
    result = run_python(["-c", _PROBE, json.dumps(runs), json.dumps(HEAVY)], data_dir)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1]), result.stderr


@pytest.mark.parametrize(
    "argv",
    [
        ["memory", "search", "--user", "alice", "--category", "dietary", "nuts"],
        ["memory", "search", "--user", "alice", "--top-k", "0", "nuts"],
        ["memory", "delete", "--user", "alice", "not-an-id"],
        ["memory", "history", "--user", "alice", "not-an-id"],
        ["memory", "list", "--user", "alice", "--project", ""],
        ["memory", "list", "--user", "a' OR 1=1"],
        ["ask", "--user", "alice", "   "],
    ],
)
def test_bad_arguments_fail_before_any_heavy_import(tmp_path: Path, argv: list[str]) -> None:
    report, stderr = _probe([argv], tmp_path)
    assert report["codes"] == [2]
    assert report["imported"] == [] and report["model_loaded"] is False
    lines = [line for line in stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("error: ")


def test_list_export_forget_delete_never_load_the_model(state_dir: Path) -> None:
    scope = ["--user", "startup-user", "--project", f"test-{uuid.uuid4().hex[:8]}"]
    missing = str(uuid.uuid4())
    runs = [
        ["memory", "list", *scope],
        ["memory", "export", *scope],
        ["memory", "delete", *scope, missing],
        ["memory", "forget", "--yes", *scope],
    ]
    report, stderr = _probe(runs, state_dir)
    assert report["codes"] == [0, 0, 1, 0]  # delete of an id the user does not have: 1
    assert report["model_loaded"] is False
    assert "torch" not in report["imported"] and "transformers" not in report["imported"]
    assert "crewai" not in report["imported"] and "spacy" not in report["imported"]
    lines = [line for line in stderr.splitlines() if line.strip()]  # only the delete's line: no such memory
    assert len(lines) == 1 and lines[0].startswith(f"error: no memory {missing} for user 'startup-user'"), stderr
    assert "memory list" in lines[0]


def test_ask_parses_with_spacy_but_never_imports_torch(state_dir: Path) -> None:
    """thinc imports torch (~1.3 s) when spaCy is imported plainly; the pipeline is loaded without it
    (``concierge.needs.nlp``), and no module may import spaCy at module level around that."""
    scope = ["--user", "torchless-user", "--project", f"test-{uuid.uuid4().hex[:8]}"]
    report, stderr = _probe([["ask", *scope, "Plan a dinner in Paris tomorrow for two"]], state_dir)
    assert report["codes"] == [0], stderr
    assert "spacy" in report["imported"] and "crewai" in report["imported"]
    assert "torch" not in report["imported"] and "transformers" not in report["imported"]


def test_common_commands_print_no_warnings(state_dir: Path) -> None:
    """What users see: no warnings, no library log lines; ``ask`` prints only its progress lines."""
    scope = ["--user", "quiet-user", "--project", f"test-{uuid.uuid4().hex[:8]}"]
    for argv in (
        ["memory", "add", *scope, "I am allergic to nuts, by the way, it is raining here today"],
        ["memory", "search", *scope, "what can she eat?"],
        ["memory", "list", *scope],
        ["memory", "export", *scope],
        ["ask", *scope, "Plan a dinner in Paris tomorrow for two"],
        ["memory", "forget", "--yes", *scope],
    ):
        result = run_cli(argv, state_dir)
        assert result.returncode == 0, result.stderr
        lines = stderr_lines(result)
        if argv[0] == "ask":
            assert lines and all(line.startswith("  ... ") for line in lines), result.stderr
        else:
            assert lines == [], result.stderr


def test_local_qdrant_prints_no_warnings(tmp_path: Path) -> None:
    env = {"QDRANT_PATH": str(tmp_path / "qdrant")}
    for argv in (["memory", "add", "--user", "q", "I am vegan"], ["memory", "search", "--user", "q", "food"]):
        result = run_cli(argv, tmp_path, env)
        assert result.returncode == 0 and stderr_lines(result) == [], result.stderr


# Which Qdrant config crewAI offers, and what is imported, with the crew's lean import or a plain one.
_CREWAI_QDRANT = """
import json, sys
if sys.argv[1] == "lean":
    import concierge.crew.crew
import crewai
from crewai.rag.config.types import QdrantConfig
print(json.dumps({
    "qdrant_config": QdrantConfig.__name__,
    "qdrant_client_imported": "qdrant_client" in sys.modules,
    "finders_left": [type(f).__name__ for f in sys.meta_path if type(f).__module__.startswith("concierge")],
}))
"""


def _crewai_qdrant(tmp_path: Path, how: str) -> dict[str, object]:
    result = run_python(["-c", _CREWAI_QDRANT, how], tmp_path)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_the_crew_imports_crewai_without_its_optional_qdrant_rag_and_crewai_offers_the_same(tmp_path: Path) -> None:
    lean, plain = _crewai_qdrant(tmp_path, "lean"), _crewai_qdrant(tmp_path, "plain")
    assert lean == {"qdrant_config": "MissingQdrantConfig", "qdrant_client_imported": False, "finders_left": []}
    # A plain import pays for qdrant_client and still ends on crewAI's fallback with the installed client.
    assert plain["qdrant_config"] == lean["qdrant_config"] and plain["qdrant_client_imported"] is True


_SHORT_LIVED = """
import gc, json
from concierge.short_lived import YOUNG_GENERATION_THRESHOLD, collect_less
before = gc.get_threshold()
with collect_less():
    inside = gc.get_threshold()
after = gc.get_threshold()
print(json.dumps({"before": before, "inside": inside, "after": after, "young": YOUNG_GENERATION_THRESHOLD}))
"""

# Ends through end_process with output still buffered (a pipe), a log record pending, and an exit hook.
_ENDS_NOW = """
import atexit, logging, sys
from concierge.short_lived import end_process
atexit.register(lambda: print("teardown ran"))
logging.basicConfig(stream=sys.stderr, format="%(message)s")
logging.getLogger("probe").warning("logged before the end")
print("answer printed", end="")
end_process(3)
"""


def test_console_script_collects_less_while_the_command_runs(tmp_path: Path) -> None:
    result = run_python(["-c", _SHORT_LIVED], tmp_path)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["inside"] == [report["young"], *report["before"][1:]]
    assert report["before"][0] < report["young"] and report["after"] == report["before"]


def test_the_process_ends_with_its_code_and_output_but_without_the_teardown(tmp_path: Path) -> None:
    result = run_python(["-c", _ENDS_NOW], tmp_path)
    assert result.returncode == 3
    assert result.stdout == "answer printed"  # flushed, and no exit hook ran after it
    assert result.stderr.strip() == "logged before the end"


def test_an_unreachable_qdrant_ends_with_one_error_line_every_time(tmp_path: Path) -> None:
    """The interpreter's teardown with a Qdrant client loaded crashed now and then after the error line
    (gc.freeze() before exit; SIGSEGV in about one run in eight): the console script skips the teardown."""

    env = {"QDRANT_URL": f"http://127.0.0.1:{free_port()}"}
    for _ in range(12):
        result = run_cli(["memory", "list", "--user", "alice"], tmp_path, env)
        assert result.returncode == 2, (result.returncode, result.stderr[-500:])
        lines = stderr_lines(result)
        assert len(lines) == 1 and lines[0].startswith("error: ") and "QDRANT_URL" in lines[0], result.stderr


def test_the_crewai_default_comparison_prints_no_library_warnings(tmp_path: Path) -> None:
    result = run_cli(["eval", "data/scenarios/france_vs_spain.yaml", "--backend", "crewai-default"], tmp_path)
    assert result.returncode == 1 and "FAIL" in result.stdout  # CrewAI's shared memory leaks, as documented
    assert stderr_lines(result) == [], result.stderr


# Several threads importing the app's crewAI modules at once, as the UI's and the API's first turns can.
_CONCURRENT_IMPORTS = """
import json, sys, threading
from concierge.runtime_env import prepare_environment
prepare_environment()
errors = []
def load(name):
    try:
        __import__(name)
    except Exception as exc:
        errors.append(repr(exc)[:300])
names = ["concierge.turn.flow", "concierge.crew.crew", "concierge.offline.crew_model", "concierge.turn.flow"]
threads = [threading.Thread(target=load, args=(name,)) for name in names]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
print(json.dumps({"errors": errors, "qdrant_client_imported": "qdrant_client" in sys.modules}))
"""


def test_threads_importing_crewai_at_once_wait_for_one_import(tmp_path: Path) -> None:
    """A thread that found crewAI half-imported used to import its submodules beside the first thread: Python's
    import locks then failed both ("deadlock detected", "partially initialized module")."""
    result = run_python(["-c", _CONCURRENT_IMPORTS], tmp_path)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert report == {"errors": [], "qdrant_client_imported": False}
