"""Crew kickoff and full chat-turn latency with the offline model (issue 3's "well under a second").

.venv/bin/python -m bench.crew_turn [--turns 30]
"""

from __future__ import annotations

import argparse
import time

from bench.common import emit, isolated_data_dir, percentiles


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--turns", type=int, default=30)
    args = parser.parse_args()
    data_dir = isolated_data_dir("crew")

    started = time.perf_counter()
    from concierge.crew import ConciergeCrew
    from concierge.crew_memory import ScopedCrewMemory
    from concierge.service import ConciergeService

    service = ConciergeService.from_settings()
    catalog, llm = service.crew_parts()
    cold_start_ms = (time.perf_counter() - started) * 1000
    try:
        alice = service.scope("alice", project_id="bench-crew", run_id="s1")
        service.remember(alice, "I am allergic to nuts and I love Lyon")
        service.chat(alice, "Plan a dinner for me")  # warm-up

        kickoffs, totals = [], []
        stages: dict[str, list[float]] = {"recall": [], "crew": [], "store": []}
        for i in range(args.turns):
            scope = alice.with_run(f"bench-{i}")
            memory = ScopedCrewMemory.bind(service.memory, scope, service.turn_context(scope, "Plan a dinner for me"))
            start = time.perf_counter()
            ConciergeCrew(llm, catalog, memory).crew().kickoff(inputs={"user": "alice", "request": "Plan a dinner"})
            kickoffs.append((time.perf_counter() - start) * 1000)
            reply = service.chat(scope, f"Plan a dinner for me tomorrow for two, table {i}")  # distinct text
            totals.append(reply.timings_ms["total"])
            for stage in stages:
                stages[stage].append(reply.timings_ms[stage])
    finally:
        service.close()
    emit(
        {
            "benchmark": "crew_turn",
            "model": "offline",
            "data_dir": data_dir,
            "cold_start_ms": round(cold_start_ms, 1),
            "kickoff": percentiles(kickoffs),
            "chat_turn_total": percentiles(totals),
            "chat_turn_stages": {k: percentiles(v) for k, v in stages.items()},
        }
    )


if __name__ == "__main__":
    main()
