"""Load on the HTTP API: N clients over M ``concierge serve`` processes sharing one PostgreSQL, then the same with
one process killed by SIGKILL mid-run.

    .venv/bin/python -m bench.api_load [--clients 50] [--processes 2] [--requests 20] [--duration 60]
                                       [--think-seconds 0]

Localhost only. Each client is its own end user under one of two tenants' keys (the same user ids under both
keys), and sends mixed traffic: statements (POST memories, with an Idempotency-Key), chat turns that run the
crew, memory reads and searches, exports. Every statement carries a token of its client ("island number 3
of lu07 at t1"), so afterwards every acknowledged statement must be in that user's memory (lost writes) and
no response may carry another client's token (foreign results). Bounded by count (--requests per client)
and time (--duration per phase). With DATABASE_URL set, the processes share that server; else an embedded
one in a temp data dir.

``--think-seconds 0`` (the default) is the closed-loop capacity run: every client sends its next request the
moment it has the answer, so the processes are saturated and latency is mostly queueing. ``--think-seconds T``
is the user-paced run: like people reading a reply and typing the next message, each client pauses a random
0.5 T to 1.5 T before each request (the first pause spread over 0 to T, so users do not all arrive at once).
"""

from __future__ import annotations

import argparse
import os
import random
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from collections import Counter, defaultdict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench.common import emit, isolated_data_dir, percentiles

ROOT = Path(__file__).resolve().parent.parent
TOKEN = re.compile(r"island number \d+ of (\w+) at (\w+)")
CITIES = ("Lisbon", "Rome", "Kyoto", "Lyon")
_DOWN = ("ConnectError", "RemoteProtocolError", "ReadError", "WriteError", "ConnectTimeout")


@dataclass
class Tally:
    """What every client saw, merged under a lock."""

    lock: threading.Lock = field(default_factory=threading.Lock)
    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    statuses: Counter[str] = field(default_factory=Counter)
    foreign: int = 0
    retried_elsewhere: int = 0
    acknowledged: list[tuple[str, str, str]] = field(default_factory=list)  # (user, tenant, statement)
    done: int = 0

    def record(self, endpoint: str, status: str, ms: float) -> None:
        with self.lock:
            self.latencies[endpoint].append(ms)
            self.statuses[status] += 1
            self.done += 1


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _start(port: int, log: Path, rate_limit: int) -> subprocess.Popen[bytes]:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "CONCIERGE_API_RATE_LIMIT": str(rate_limit)}
    with open(log, "ab") as out:
        return subprocess.Popen(
            [sys.executable, "-m", "concierge.cli", "serve", "--host", "127.0.0.1", "--port", str(port)],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )


def _wait_ready(base: str, process: subprocess.Popen[bytes], seconds: float = 300) -> None:
    import httpx

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"the API process on {base} exited with {process.returncode}; see its log")
        try:
            if httpx.get(f"{base}/readyz", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    raise SystemExit(f"the API process on {base} was not ready within {seconds:g} s")


class Client:
    """One end user under one tenant's key, sending to its process and moving on when that one is down."""

    def __init__(
        self, index: int, user: str, tenant: str, key: str, bases: list[str], tally: Tally, think: float = 0.0
    ) -> None:
        import httpx

        self.index, self.user, self.tenant, self.tally = index, user, tenant, tally
        self.bases, self.think = bases, think
        self.pauses = random.Random(index)  # the same pauses on every run
        self.http = httpx.Client(headers={"Authorization": f"Bearer {key}"}, timeout=120)
        self.dead: set[str] = set()

    def _bases(self) -> list[str]:
        start = self.index % len(self.bases)
        ordered = self.bases[start:] + self.bases[:start]
        return [b for b in ordered if b not in self.dead] or ordered

    def call(self, endpoint: str, method: str, path: str, **options: Any) -> Any:
        """The response, after moving to another process when one is down and waiting out 429s."""
        headers = {"Idempotency-Key": str(uuid.uuid4())} if method == "POST" else {}
        for _attempt in range(6):
            for base in self._bases():
                start = time.perf_counter()
                try:
                    response = self.http.request(method, base + path, headers=headers, **options)
                except Exception as exc:
                    if type(exc).__name__ not in _DOWN:
                        raise
                    self.dead.add(base)
                    with self.tally.lock:
                        self.tally.retried_elsewhere += 1
                    continue
                self.tally.record(endpoint, str(response.status_code), (time.perf_counter() - start) * 1000)
                if response.status_code == 429:
                    time.sleep(float(response.headers.get("retry-after", "1")))
                    break
                self._check_foreign(response)
                return response
        return None

    def _check_foreign(self, response: Any) -> None:
        theirs = [m for m in TOKEN.findall(response.text) if m != (self.user, self.tenant)]
        if theirs:
            with self.tally.lock:
                self.tally.foreign += len(theirs)

    def pause(self, first: bool) -> None:
        """The user's pause before a request (none in the closed-loop run)."""
        if self.think > 0:
            time.sleep(self.think * (self.pauses.uniform(0, 1) if first else self.pauses.uniform(0.5, 1.5)))

    def run(self, requests: int, deadline: float) -> None:
        base = f"/v1/users/{self.user}"
        for k in range(requests):
            self.pause(first=k == 0)
            if time.monotonic() > deadline:
                return
            kind = k % 5
            if kind in (0, 3):
                text = f"I love the island number {k} of {self.user} at {self.tenant}"
                response = self.call("POST memories", "POST", f"{base}/memories", json={"text": text})
                if response is not None and response.status_code == 201:
                    with self.tally.lock:
                        self.tally.acknowledged.append((self.user, self.tenant, f"island number {k} of"))
            elif kind == 1:
                city = CITIES[(self.index + k) % len(CITIES)]
                self.call("POST messages", "POST", f"{base}/messages", json={"text": f"Plan a dinner for me in {city}"})
            elif kind == 2:
                self.call("GET memories", "GET", f"{base}/memories")
            else:
                self.call("GET export", "GET", f"{base}/export")


def _lost_writes(tally: Tally, bases: list[str], keys: dict[str, str]) -> int:
    """Acknowledged statements missing from the user's memory afterwards (read through a live process)."""
    import httpx

    lost = 0
    users = {(user, tenant) for user, tenant, _ in tally.acknowledged}
    texts: dict[tuple[str, str], str] = {}
    for user, tenant in users:
        for base in bases:
            try:
                response = httpx.get(
                    f"{base}/v1/users/{user}/export", headers={"Authorization": f"Bearer {keys[tenant]}"}, timeout=60
                )
            except httpx.HTTPError:
                continue
            texts[(user, tenant)] = " | ".join(m["text"] for m in response.json()["memories"])
            break
    for user, tenant, statement in tally.acknowledged:
        if f"{statement} {user} at {tenant}" not in texts.get((user, tenant), ""):
            lost += 1
    return lost


def run_phase(
    name: str, bases: list[str], keys: dict[str, str], args: argparse.Namespace, kill: subprocess.Popen[bytes] | None
) -> dict[str, Any]:
    tally = Tally()
    half = max(1, args.clients // 2)
    clients = [
        Client(i, f"{name[0]}u{i % half:02d}", *_tenant(i // half, keys), bases, tally, args.think_seconds)
        for i in range(args.clients)
    ]
    planned = args.clients * args.requests
    killed_at: float | None = None
    start = time.perf_counter()
    deadline = time.monotonic() + args.duration
    with ThreadPoolExecutor(args.clients) as pool:
        futures = [pool.submit(c.run, args.requests, deadline) for c in clients]
        while kill is not None and killed_at is None and not all(f.done() for f in futures):
            elapsed = time.perf_counter() - start
            if tally.done >= planned * args.kill_at or elapsed >= args.duration * args.kill_at:
                kill.send_signal(signal.SIGKILL)
                killed_at = time.perf_counter() - start
            time.sleep(0.05)
        for future in futures:
            future.result()
    wall = time.perf_counter() - start
    live = [b for b in bases if kill is None or not b.endswith(f":{kill.args[-1]}")]
    errors = {s: n for s, n in sorted(tally.statuses.items()) if not s.startswith("2")}
    result: dict[str, Any] = {
        "requests": sum(tally.statuses.values()),
        "errors_by_status": errors,
        "latency_by_endpoint": {e: percentiles(v) for e, v in sorted(tally.latencies.items())},
        "throughput_rps": round(sum(tally.statuses.values()) / wall, 1),
        "wall_s": round(wall, 1),
        "foreign_results": tally.foreign,
        "acknowledged_writes": len(tally.acknowledged),
        "lost_writes": _lost_writes(tally, live, keys),
    }
    if kill is not None:
        moved = tally.retried_elsewhere
        result |= {"killed_after_s": round(killed_at or -1, 1), "requests_moved_to_the_other_process": moved}
    for client in clients:
        client.http.close()
    return result


def _tenant(index: int, keys: dict[str, str]) -> tuple[str, str]:
    """The tenant (and its key) of the ``index``-th half of the clients: the same user ids under both."""
    tenant = sorted(keys)[index % 2]
    return tenant, keys[tenant]


def _keys(project: str) -> dict[str, str]:
    from concierge.api.admin import key_store

    with key_store() as store:
        suffix = uuid.uuid4().hex[:6]
        return {t: store.create(f"bench-{t}-{suffix}", org_id=f"bench-{t}", project_id=project) for t in ("t0", "t1")}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--processes", type=int, default=2)
    parser.add_argument("--requests", type=int, default=20, help="requests per client and phase (at most)")
    parser.add_argument("--duration", type=float, default=60.0, help="seconds per phase (at most)")
    parser.add_argument("--rate-limit", type=int, default=200, help="CONCIERGE_API_RATE_LIMIT per key per second")
    parser.add_argument(
        "--kill-at", type=float, default=0.3, help="SIGKILL after this share of the planned requests or of --duration"
    )
    parser.add_argument(
        "--think-seconds",
        type=float,
        default=0.0,
        help="each user's mean pause before a request (0.5x to 1.5x, random); 0: closed loop, the capacity run",
    )
    args = parser.parse_args()
    data_dir = Path(isolated_data_dir("api-load"))
    from concierge.api.admin import key_store

    with key_store():  # holds the embedded server up (and the API's tables created) across process kills
        keys = _keys("bench-api")
        ports = [_free_port() for _ in range(max(2, args.processes))]
        processes: list[subprocess.Popen[bytes]] = []
        try:
            for port in ports:  # one after the other: the second finds the catalog index the first built
                processes.append(_start(port, data_dir / f"api-{port}.log", args.rate_limit))
                _wait_ready(f"http://127.0.0.1:{port}", processes[-1])
            bases = [f"http://127.0.0.1:{p}" for p in ports]
            steady = run_phase("load", bases, keys, args, kill=None)
            killed = run_phase("kill", bases, keys, args, kill=processes[0])
        finally:
            for process in processes:
                if process.poll() is None:
                    process.terminate()
            for process in processes:
                process.wait(60)
    emit(
        {
            "benchmark": "api_load",
            "conditions": {
                "clients": args.clients,
                "processes": len(ports),
                "requests_per_client_max": args.requests,
                "duration_s_max": args.duration,
                "think_seconds": args.think_seconds,
                "clients_pace": "user-paced" if args.think_seconds > 0 else "closed loop (no think time): capacity",
                "rate_limit_per_key_per_s": args.rate_limit,
                "store": "DATABASE_URL" if os.environ.get("DATABASE_URL") else "embedded PostgreSQL",
                "cpus": os.cpu_count(),
                "load_average_at_end": [round(x, 1) for x in os.getloadavg()],
            },
            "steady": steady,
            "one_process_sigkilled": killed,
        }
    )


if __name__ == "__main__":
    main()
