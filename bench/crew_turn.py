"""Chat-turn latency with the offline model, by kind of request (issue 10: p50 under 500 ms), and of follow-up
turns that refine the dinner plan in the same session (issue 14: p50 under 500 ms).

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
# Follow-ups said right after the dinner plan, in its session: each resolves against the session's state.
FOLLOW_UPS = {
    "follow_up_party_time": "make it for {n} at 8pm",
    "follow_up_pick": "the second one",
    "follow_up_date": "Saturday instead",
    "follow_up_unresolvable": "the fifth one",
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
        for text in [*REQUESTS.values(), *FOLLOW_UPS.values()]:  # warm-up: models, spaCy, dateparser
            service.chat(alice, text.format(n=20))
        totals: dict[str, list[float]] = {kind: [] for kind in [*REQUESTS, *FOLLOW_UPS]}
        stages: dict[str, list[float]] = {"understand": [], "answer": [], "store": []}
        for i in range(args.turns):
            session = alice.with_run(f"bench-{i}")
            turns = [("dinner", REQUESTS["dinner"]), *FOLLOW_UPS.items()]
            turns += [(kind, text) for kind, text in REQUESTS.items() if kind != "dinner"]
            for kind, text in turns:
                reply = service.chat(session, text.format(n=2 + i % 18))
                totals[kind].append(reply.timings_ms["total"])
                for stage in stages:
                    stages[stage].append(reply.timings_ms[stage])
    finally:
        service.close()
    everything = [t for kind in REQUESTS for t in totals[kind]]
    follow_ups = [t for kind in FOLLOW_UPS for t in totals[kind]]
    emit(
        {
            "benchmark": "crew_turn",
            "model": "offline",
            "data_dir": data_dir,
            "cold_start_ms": round(cold_start_ms, 1),
            "chat_turn_total": percentiles(everything),
            "follow_up_turn_total": percentiles(follow_ups),
            "by_request": {kind: percentiles(samples) for kind, samples in totals.items()},
            "chat_turn_stages": {k: percentiles(v) for k, v in stages.items()},
        }
    )


if __name__ == "__main__":
    main()
