"""Concurrency soak: 20 simulated users x 10 turns through ConciergeService, in threads and from 2 processes.

    .venv/bin/python -m bench.soak [--users 20] [--turns 10] [--threads 8]

Every user alternates statements that carry a token of their own ("... island number 3 of soak-u07")
with requests that run the full crew. Afterwards each user's memory must hold every fact they
stated (lost writes), and nothing carrying another user's token (leaks). Errors are any exception.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor

from bench.common import emit, isolated_data_dir, percentiles

PROJECT = "bench-soak"


def _turns(user: str, count: int) -> list[str]:
    out = []
    for k in range(count):
        if k % 2 == 0:
            out.append(f"I love the island number {k} of {user}")
        else:
            out.append(f"Plan a dinner for me in {['Lyon', 'Lisbon', 'Kyoto', 'Rome'][k % 4]}")
    return out


def run_users(users: list[str], turns: int, threads: int) -> dict:
    from concierge.service import ConciergeService

    service = ConciergeService.from_settings()
    service.crew_parts()
    latencies: list[float] = []
    errors: list[str] = []

    def one_user(user: str) -> None:
        scope = service.scope(user, project_id=PROJECT, run_id=f"soak-{user}")
        for message in _turns(user, turns):
            start = time.perf_counter()
            try:
                service.chat(scope, message)
            except Exception as exc:  # counted, not hidden
                errors.append(f"{user}: {type(exc).__name__}: {exc}")
            latencies.append((time.perf_counter() - start) * 1000)

    start = time.perf_counter()
    try:
        with ThreadPoolExecutor(threads) as pool:
            list(pool.map(one_user, users))
    finally:
        wall = time.perf_counter() - start
        service.close()
    return {"latencies": latencies, "errors": errors, "wall_s": wall}


def verify(users: list[str], turns: int) -> dict:
    from concierge.service import ConciergeService

    service = ConciergeService.from_settings()
    lost, leaks = 0, 0
    try:
        for user in users:
            texts = [m.text for m in service.memories(service.scope(user, project_id=PROJECT))]
            expected = [f"island number {k} of {user}" for k in range(0, turns, 2)]
            lost += sum(1 for e in expected if not any(e in t for t in texts))
            leaks += sum(1 for t in texts if " of soak-" in t and not t.endswith(f" of {user}"))
        service.memory.drop_project(service.settings.org_id, PROJECT)
    finally:
        service.close()
    return {"lost_writes": lost, "leaks": leaks}


def summary(runs: list[dict], users: int, turns: int) -> dict:
    latencies = [x for r in runs for x in r["latencies"]]
    errors = [e for r in runs for e in r["errors"]]
    wall = max(r["wall_s"] for r in runs)
    return {
        "users": users,
        "turns": users * turns,
        "errors": len(errors),
        "error_samples": errors[:3],
        "turn_latency": percentiles(latencies),
        "throughput_turns_per_s": round(len(latencies) / wall, 2),
        "wall_s": round(wall, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--turns", type=int, default=10)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--worker", help=argparse.SUPPRESS)  # comma-separated users, run and print JSON
    args = parser.parse_args()
    if args.worker:
        print(json.dumps(run_users(args.worker.split(","), args.turns, args.threads)))
        return
    data_dir = isolated_data_dir("soak")
    users = [f"soak-u{i:02d}" for i in range(args.users)]

    threads = summary([run_users(users, args.turns, args.threads)], args.users, args.turns)
    threads.update(verify(users, args.turns))

    halves = [users[: len(users) // 2], users[len(users) // 2 :]]
    workers = [
        subprocess.Popen(
            [sys.executable, "-m", "bench.soak", "--worker", ",".join(h), "--turns", str(args.turns),
             "--threads", str(max(1, args.threads // 2))],
            stdout=subprocess.PIPE,
            text=True,
        )
        for h in halves
    ]  # fmt: skip
    runs = [json.loads(w.communicate()[0].strip().splitlines()[-1]) for w in workers]
    processes = summary(runs, args.users, args.turns)
    processes.update(verify(users, args.turns))
    emit({"benchmark": "soak", "data_dir": data_dir, "threads_one_process": threads, "two_processes": processes})


if __name__ == "__main__":
    main()
