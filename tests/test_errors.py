"""Each expected failure is exactly one ``error: ...`` line on stderr, naming the variable and the fix.

Every endpoint here is a loopback port (refused, or silent): no test touches the network.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.cli_process import free_port, run_cli, silent_port, stderr_lines
from tests.local_http import JsonHandler, LocalHttpServer

SECRET = "s3cr3t-pw"


def _one_error_line(result: object, *needles: str) -> str:
    lines = stderr_lines(result)  # type: ignore[arg-type]
    assert result.returncode == 2, result.stderr  # type: ignore[attr-defined]
    assert len(lines) == 1, result.stderr  # type: ignore[attr-defined]
    line = lines[0]
    assert line.startswith("error: ") and SECRET not in line
    for needle in needles:
        assert needle in line, line
    return line


def test_refused_database_is_named_and_fails_fast(tmp_path: Path) -> None:
    port = free_port()
    url = f"postgresql://app:{SECRET}@127.0.0.1:{port}/concierge"
    result = run_cli(["memory", "list", "--user", "alice"], tmp_path, {"DATABASE_URL": url})
    _one_error_line(result, "DATABASE_URL=", f"127.0.0.1:{port}", "refused")


def test_silent_database_times_out_and_says_so(tmp_path: Path) -> None:
    with silent_port() as port:
        url = f"postgresql://app:{SECRET}@127.0.0.1:{port}/concierge"
        env = {"DATABASE_URL": url, "CONCIERGE_DB_CONNECT_TIMEOUT": "2"}
        result = run_cli(["memory", "list", "--user", "alice"], tmp_path, env)
    line = _one_error_line(result, "DATABASE_URL=", "did not answer within 2 s", "CONCIERGE_DB_CONNECT_TIMEOUT")
    assert "refused" not in line


def test_unreachable_model_endpoint_is_named_for_memory_add(tmp_path: Path) -> None:
    port = free_port()
    env = {"LLM_BASE_URL": f"http://user:{SECRET}@127.0.0.1:{port}/v1", "LLM_MODEL": "some-model"}
    result = run_cli(["memory", "add", "--user", "alice", "I am vegan"], tmp_path, env)
    _one_error_line(result, "LLM_BASE_URL", f"127.0.0.1:{port}/v1")


def test_an_unreachable_openai_base_url_names_the_variable_set(tmp_path: Path) -> None:
    port = free_port()
    env = {"OPENAI_BASE_URL": f"http://127.0.0.1:{port}/v1", "OPENAI_API_KEY": SECRET}
    result = run_cli(["memory", "add", "--user", "alice", "I am vegan"], tmp_path, env)
    line = _one_error_line(result, "OPENAI_BASE_URL", f"127.0.0.1:{port}/v1")
    assert "LLM_BASE_URL" not in line


def test_unreachable_qdrant_is_named(tmp_path: Path) -> None:
    port = free_port()
    result = run_cli(["memory", "list", "--user", "alice"], tmp_path, {"QDRANT_URL": f"http://127.0.0.1:{port}"})
    _one_error_line(result, f"QDRANT_URL=http://127.0.0.1:{port}", "unreachable")


def _answering(status: int, body: object) -> type[JsonHandler]:
    class Answer(JsonHandler):
        """A FAKE remote service at QDRANT_URL: every request gets ``status`` and ``body``."""

        def do_GET(self) -> None:
            self.send_json(status, body)

        do_PUT = do_POST = do_DELETE = do_GET

    return Answer


@pytest.mark.parametrize(
    ("status", "body", "needle"),
    [(401, {"status": "error"}, "HTTP 401"), (500, {"status": "error"}, "HTTP 500"), (200, {"weird": 1}, "not Qdrant")],
)
def test_a_qdrant_server_answering_an_error_is_one_line(tmp_path: Path, status: int, body: object, needle: str) -> None:
    with LocalHttpServer(_answering(status, body)) as server:
        url = server.origin.replace("http://", f"http://u:{SECRET}@", 1)
        result = run_cli(["memory", "list", "--user", "alice"], tmp_path, {"QDRANT_URL": url})
    _one_error_line(result, f"QDRANT_URL=http://***@{server.origin.removeprefix('http://')}", needle, "QDRANT_API_KEY")


def test_unreachable_mem0_cloud_is_one_line(tmp_path: Path) -> None:
    port = free_port()
    env = {"MEM0_API_KEY": SECRET, "MEM0_HOST": f"http://127.0.0.1:{port}"}
    result = run_cli(["memory", "list", "--user", "alice"], tmp_path, env)
    _one_error_line(result)


@pytest.mark.parametrize(
    ("argv", "flag"),
    [
        (["eval", "--backend", "crewai-defualt"], "--backend"),
        (["memory", "search", "--user", "alice", "--top-k", "ten", "nuts"], "--top-k"),
        (["memory", "history", "--user", "alice", "not-a-uuid"], "id"),
    ],
)
def test_bad_argument_is_one_line_naming_the_flag_without_a_usage_block(
    tmp_path: Path, argv: list[str], flag: str
) -> None:
    """As the console script prints it: argparse's own usage block and prefix are gone."""
    line = _one_error_line(run_cli(argv, tmp_path), f"argument {flag}: ", "--help`")
    assert "usage:" not in line


@pytest.mark.parametrize(
    ("variable", "value"), [("CONCIERGE_LOG_LEVEL", "LOUD"), ("CONCIERGE_DB_CONNECT_TIMEOUT", "soon")]
)
def test_bad_setting_is_one_line_naming_it(tmp_path: Path, variable: str, value: str) -> None:
    env = {variable: value}
    if variable == "CONCIERGE_DB_CONNECT_TIMEOUT":
        env["DATABASE_URL"] = f"postgresql://app:{SECRET}@127.0.0.1:{free_port()}/concierge"
    result = run_cli(["memory", "list", "--user", "alice"], tmp_path, env)
    _one_error_line(result, variable)


def test_verbose_shows_the_library_records_the_default_hides(tmp_path: Path) -> None:
    port = free_port()
    env = {"LLM_BASE_URL": f"http://127.0.0.1:{port}/v1", "LLM_MODEL": "some-model", "CONCIERGE_LOG_LEVEL": "INFO"}
    result = run_cli(["memory", "add", "--user", "alice", "I am vegan"], tmp_path, env)
    lines = stderr_lines(result)
    assert result.returncode == 2 and lines[-1].startswith("error: ") and "LLM_BASE_URL" in lines[-1]
    assert len(lines) > 1  # the retries and library records are there when asked for
