"""Start-up benchmark: wall time of each common command in a fresh process, as a user runs it.

Usage: ``python -m bench.startup [--repeat 3] [--no-ui]``. Prints JSON (median and min seconds per
command, with the machine's load average before and after); nothing here is a test. Every run
uses its own data dir and a temporary copy of the catalog (``CONCIERGE_CATALOG_DIR``), so an edited
entry never touches the checkout.

Measured: a refused argument (``--category`` typo), ``memory list`` / ``search`` / ``add``, ``ask``
in a fresh process (catalog index cached by an earlier process) and on the very first run (index
built), the first ``ask`` after editing one catalog entry, and the UI's first page (``concierge
ui`` started, then Debian chromium via Playwright until the chat input is on the page).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.common import emit

ROOT = Path(__file__).resolve().parent.parent
TARGETS_S = {
    "validation_error": 0.5,
    "memory_list": 1.5,
    "memory_search": 4.0,
    "memory_add": 4.0,
    "ask_cold": 5.0,
    "ui_first_page": 8.0,
    "ask_after_catalog_edit": 6.0,
}
DINNER = "Plan a dinner in Paris tomorrow for two"
CHROMIUM = Path("/usr/bin/chromium")


def _env(data_dir: Path, catalog_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CONCIERGE_", "QDRANT_", "LLM_", "MEM0_"))}
    env.pop("OPENAI_API_KEY", None)  # DATABASE_URL is kept: with it set, every command uses that server
    return env | {
        "PYTHONPATH": str(ROOT),
        "CONCIERGE_DATA_DIR": str(data_dir),
        "CONCIERGE_CATALOG_DIR": str(catalog_dir),
    }


CPU_S: dict[str, list[float]] = {}  # CPU seconds (user + sys) per command: less sensitive to a busy machine


def _cpu_children() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _cli(env: dict[str, str], *args: str, expect: int = 0, name: str = "") -> float:
    """Seconds from starting ``python -m concierge.cli ARGS`` to its exit (CPU seconds go to ``CPU_S[name]``)."""
    cpu, start = _cpu_children(), time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-m", "concierge.cli", *args], env=env, cwd=ROOT, capture_output=True, text=True, check=False
    )
    elapsed = time.perf_counter() - start
    CPU_S.setdefault(name or args[0], []).append(_cpu_children() - cpu)
    if result.returncode != expect:
        raise SystemExit(f"concierge {' '.join(args)} exited {result.returncode}: {result.stderr[-2000:]}")
    return elapsed


def _edit_one_entry(catalog_dir: Path, n: int) -> None:
    """Change one restaurant's description, as someone curating the catalog would."""
    path = catalog_dir / "restaurants.json"
    entries = json.loads(path.read_text(encoding="utf-8"))
    entries[n % len(entries)]["description"] += f" Now with a new seasonal menu ({n})."
    path.write_text(json.dumps(entries, ensure_ascii=False, indent=1), encoding="utf-8")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _ui_first_page(env: dict[str, str]) -> float | None:
    """Seconds from ``concierge ui`` to the first page with its chat input, in headless chromium."""
    if not CHROMIUM.exists():
        return None
    from playwright.sync_api import sync_playwright

    port = _free_port()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=["--no-sandbox", "--disable-gpu", "--no-first-run"]
        )
        start = time.perf_counter()
        server = subprocess.Popen(
            [sys.executable, "-m", "concierge.cli", "ui", "--port", str(port), "--address", "127.0.0.1"],
            env=env,
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            page = browser.new_page()
            while True:  # the server is up when the page loads at all
                try:
                    page.goto(f"http://127.0.0.1:{port}", timeout=2_000)
                    break
                except Exception:
                    if server.poll() is not None or time.perf_counter() - start > 180:
                        raise SystemExit("the UI server did not start") from None
                    time.sleep(0.1)
            page.get_by_placeholder("Message as alice").wait_for(timeout=180_000)
            return time.perf_counter() - start
        finally:
            browser.close()
            server.terminate()
            server.wait(timeout=30)


def _summary(samples: list[float], target: float, cpu: list[float]) -> dict[str, Any]:
    median = statistics.median(samples)
    return {
        "median_s": round(median, 2),
        "cpu_median_s": round(statistics.median(cpu), 2) if cpu else None,
        "min_s": round(min(samples), 2),
        "samples_s": [round(s, 2) for s in samples],
        "target_s": target,
        "meets_target": median < target,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="fresh processes per command (default 3)")
    parser.add_argument("--no-ui", action="store_true", help="skip the UI measurement")
    args = parser.parse_args()
    load_before = os.getloadavg()
    work = Path(tempfile.mkdtemp(prefix="concierge-bench-startup-"))
    try:
        catalog = work / "catalog"
        shutil.copytree(ROOT / "data" / "catalog", catalog)
        env = _env(work / "state", catalog)
        user = ["--user", "bench-user"]
        first = {"memory_add": _cli(env, "memory", "add", *user, "I am allergic to nuts", name="first")}  # new database
        first["ask"] = _cli(env, "ask", *user, DINNER, name="first")  # builds the catalog index
        samples: dict[str, list[float]] = {name: [] for name in TARGETS_S}
        for i in range(args.repeat):
            typo = ["memory", "search", *user, "--category", "dietry", "nuts"]
            samples["validation_error"].append(_cli(env, *typo, expect=2, name="validation_error"))
            samples["memory_list"].append(_cli(env, "memory", "list", *user, name="memory_list"))
            samples["memory_search"].append(
                _cli(env, "memory", "search", *user, "what can I eat?", name="memory_search")
            )
            add = ["memory", "add", *user, f"I prefer window seats ({i})"]
            samples["memory_add"].append(_cli(env, *add, name="memory_add"))
            samples["ask_cold"].append(_cli(env, "ask", *user, DINNER, name="ask_cold"))
            _edit_one_entry(catalog, i)
            samples["ask_after_catalog_edit"].append(_cli(env, "ask", *user, DINNER, name="ask_after_catalog_edit"))
            if not args.no_ui and (ui := _ui_first_page(env)) is not None:
                samples["ui_first_page"].append(ui)
        results = {name: _summary(s, TARGETS_S[name], CPU_S.get(name, [])) for name, s in samples.items() if s}
        emit(
            {
                "benchmark": "startup",
                "cpus": os.cpu_count(),
                "load_avg_1_5_15_before": [round(x, 2) for x in load_before],
                "load_avg_1_5_15_after": [round(x, 2) for x in os.getloadavg()],
                "first_run_s": {k: round(v, 2) for k, v in first.items()},
                "results": results,
            }
        )
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
