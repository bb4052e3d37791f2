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

from concierge.errors import ConciergeError
from concierge.eval.scenario import Scenario, Step
from concierge.reply import Reply
from concierge.service import ConciergeService


@dataclass(frozen=True, slots=True)
class SimulatedTurn:
    user: str
    message: str
    reply: Reply | None
    error: str | None
    elapsed_ms: float


def _turns_by_user(scenario: Scenario, users: list[str] | None) -> dict[str, list[Step]]:
    by_user: dict[str, list[Step]] = {}
    for step in scenario.steps:
        if users is None or step.user in users:
            by_user.setdefault(step.user, []).append(step)
    return by_user


def simulate(
    service: ConciergeService, scenario: Scenario, users: list[str] | None = None, max_workers: int = 4
) -> Iterator[SimulatedTurn]:
    """Yield each turn as it completes (in completion order); all users run concurrently."""
    done: queue.Queue[SimulatedTurn | None] = queue.Queue()
    by_user = _turns_by_user(scenario, users)

    def run_user(user: str, steps: list[Step]) -> None:
        session = service.new_session_id()
        try:
            for step in steps:
                scope = service.scope(user, project_id=step.project, run_id=step.session or session)
                started = time.perf_counter()
                try:
                    reply, error = service.chat(scope, step.say), None
                except ConciergeError as exc:
                    reply, error = None, str(exc)
                done.put(SimulatedTurn(user, step.say, reply, error, (time.perf_counter() - started) * 1000))
        finally:
            done.put(None)  # this user is finished, even if a bug stopped it

    with ThreadPoolExecutor(max_workers=max(1, min(max_workers, len(by_user) or 1))) as pool:
        futures = [pool.submit(run_user, user, steps) for user, steps in by_user.items()]
        finished = 0
        while finished < len(futures):
            item = done.get()
            if item is None:
                finished += 1
            else:
                yield item
        for future in futures:
            future.result()  # surface a bug in a worker instead of hiding it
