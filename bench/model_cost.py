"""Model cost per kind of turn on the real-model path: calls and prompt/completion tokens (issue 20).

The app is pointed at the SCRIPTED OpenAI-compatible server of the tests (``tests/model_server.py``; no real
model can be installed here), which records every request and estimates tokens (four characters a token over
the messages, tools and output schema sent). Each kind of turn runs on a user who already told us a need, in
a fresh session (the follow-up right after a dinner plan, in its session; only the follow-up is counted). Every
call of the turn is counted, the turn's reading by the model reader included.

.venv/bin/python -m bench.model_cost
"""

from __future__ import annotations

import contextlib
import time
from collections import Counter
from typing import Any

from bench.common import emit, isolated_data_dir

PROFILE = "I am allergic to sesame."
TURNS = {
    "dinner": "Book dinner in Lyon tomorrow for 2",
    "stay": "Find me a hotel in Lisbon for 3 nights",
    "trip": "Plan a trip to Porto for 3 days",
    "follow_up": "make it lunch",  # after the dinner, in its session
    "memory_question": "What do you remember about me?",
    "statement": "I prefer a window seat.",
    "forget": "Forget that I prefer a window seat",
}


def _cost(server: Any, since: int) -> dict[str, Any]:
    calls = server.calls[since:]
    return {
        "calls": len(calls),
        "prompt_tokens": sum(c.usage.get("prompt_tokens", 0) for c in calls),
        "completion_tokens": sum(c.usage.get("completion_tokens", 0) for c in calls),
        "by_kind": dict(Counter(c.kind for c in calls)),
        "max_prompt_tokens_one_call": max((c.usage.get("prompt_tokens", 0) for c in calls), default=0),
    }


def _failures(service: Any, server: Any) -> dict[str, Any]:
    """Requests and seconds one failing model call costs: the crew's first call failing every time."""
    from concierge.errors import ModelError
    from tests.model_server import Fault

    found: dict[str, Any] = {}
    for name, fault in {"http_500": Fault("http_500"), "http_429_retry_after_1s": Fault("http_429", 1.0)}.items():
        server.fail("research", *[fault] * 20)
        since, started = len(server.calls), time.perf_counter()
        with contextlib.suppress(ModelError):
            service.chat(service.scope("f", project_id="bench-model-cost"), TURNS["dinner"])
        server.faults.clear()
        found[name] = {"requests": len(server.calls) - since, "seconds": round(time.perf_counter() - started, 1)}
    return found


def main() -> None:
    isolated_data_dir("model-cost")
    from pydantic import SecretStr

    from concierge.service import ConciergeService
    from concierge.settings import load_settings
    from tests.model_server import ModelServer

    results: dict[str, Any] = {}
    started = time.perf_counter()
    with ModelServer(api_key="bench-key") as server:
        settings = load_settings().model_copy(
            update={
                "llm": "openai_compatible",
                "llm_base_url": server.base_url,
                "llm_model": "scripted",
                "llm_api_key": SecretStr("bench-key"),
            }
        )
        service = ConciergeService.from_settings(settings)
        try:
            for n, (kind, text) in enumerate(TURNS.items()):
                user = service.scope(f"u{n}", project_id="bench-model-cost", run_id=f"s{n}")
                service.remember(user, PROFILE)
                if kind == "follow_up":
                    service.chat(user, TURNS["dinner"])
                elif kind == "forget":
                    service.remember(user, TURNS["statement"])
                since = len(server.calls)
                service.chat(user, text)
                results[kind] = _cost(server, since)
            failures = _failures(service, server)
        finally:
            service.close()
    emit(
        {
            "bench": "model_cost",
            "token_estimate": "ceil(characters sent / 4) per request (messages, tools, response_format)",
            "turns": results,
            "failed_turn": failures,
            "wall_s": round(time.perf_counter() - started, 1),
        }
    )


if __name__ == "__main__":
    main()
