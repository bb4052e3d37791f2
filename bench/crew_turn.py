"""Chat-turn latency with the offline model, by kind of request (issue 10: p50 under 500 ms).

.venv/bin/python -m bench.crew_turn [--turns 30]
"""

from __future__ import annotations

import argparse
import time

from bench.common import emit, isolated_data_dir, percentiles

# One of each kind the crew answers, plus one that needs no crew; each turn's texts differ ({n} runs 2-19),
# so the query-vector cache does not flatter the numbers.
REQUESTS = {
    "dinner": "Plan a dinner for me tomorrow at 8pm for {n} people in Lyon",
    "brunch": "Brunch on Sunday in Paris for {n} please",
    "stay": "Find me an apartment in Madrid for {n} nights",
    "trip": "Plan a trip to Tokyo in April for {n} days",
    "memory_question": "What do you remember about me? ({n})",
}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--turns", type=int, default=30)
    args = parser.parse_args()
    data_dir = isolated_data_dir("crew")

    started = time.perf_counter()
    from concierge.service import ConciergeService

    service = ConciergeService.from_settings()
    service.crew_parts()
    cold_start_ms = (time.perf_counter() - started) * 1000
    try:
        alice = service.scope("alice", project_id="bench-crew", run_id="s1")
        service.remember(alice, "I am allergic to sesame and I'm vegan. I love Lyon. I prefer a window seat.")
        for text in REQUESTS.values():  # warm-up: models, spaCy, dateparser
            service.chat(alice, text.format(n=20))
        totals: dict[str, list[float]] = {kind: [] for kind in REQUESTS}
        stages: dict[str, list[float]] = {"understand": [], "answer": [], "store": []}
        for i in range(args.turns):
            for kind, text in REQUESTS.items():
                reply = service.chat(alice.with_run(f"bench-{i}"), text.format(n=2 + i % 18))
                totals[kind].append(reply.timings_ms["total"])
                for stage in stages:
                    stages[stage].append(reply.timings_ms[stage])
    finally:
        service.close()
    everything = [t for samples in totals.values() for t in samples]
    emit(
        {
            "benchmark": "crew_turn",
            "model": "offline",
            "data_dir": data_dir,
            "cold_start_ms": round(cold_start_ms, 1),
            "chat_turn_total": percentiles(everything),
            "by_request": {kind: percentiles(samples) for kind, samples in totals.items()},
            "chat_turn_stages": {k: percentiles(v) for k, v in stages.items()},
        }
    )


if __name__ == "__main__":
    main()
