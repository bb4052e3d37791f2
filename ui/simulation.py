"""Scripted conversations (the scenario files' steps) replayed as chat turns, one thread per user.

Each user's turns run in order; different users run at the same time, which is what a live demo
wants to show. Progress is reported through a queue so a UI thread can display it.
"""

from __future__ import annotations

import queue
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from concierge import ConciergeError, ConciergeService, Reply, Scenario


@dataclass(frozen=True, slots=True)
class SimulatedTurn:
    user: str
    message: str
    reply: Reply | None
    error: str | None
    elapsed_ms: float


def simulate(
    service: ConciergeService, scenario: Scenario, users: list[str] | None = None, max_workers: int = 4
) -> Iterator[SimulatedTurn]:
    """Yield each turn as it completes (in completion order); all users run concurrently."""
    done: queue.Queue[SimulatedTurn | None] = queue.Queue()
    chosen = [user for user in dict.fromkeys(s.user for s in scenario.steps) if users is None or user in users]

    def run_user(user: str) -> None:
        session = service.new_session_id()
        try:
            for step in (s for s in scenario.steps if s.user == user):
                scope = service.scope(user, project_id=step.project, run_id=step.session or session)
                started = time.perf_counter()
                try:
                    reply, error = service.chat(scope, step.say), None
                except ConciergeError as exc:
                    reply, error = None, str(exc)
                done.put(SimulatedTurn(user, step.say, reply, error, (time.perf_counter() - started) * 1000))
        finally:
            done.put(None)  # this user is finished, even if a bug stopped it

    with ThreadPoolExecutor(max_workers=max(1, min(max_workers, len(chosen) or 1))) as pool:
        futures = [pool.submit(run_user, user) for user in chosen]
        finished = 0
        while finished < len(futures):
            item = done.get()
            if item is None:
                finished += 1
            else:
                yield item
        for future in futures:
            future.result()  # surface a bug in a worker instead of hiding it
