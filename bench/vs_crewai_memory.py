"""This memory layer vs CrewAI 1.15's built-in Memory (LanceDB), same data, same MiniLM embedder.

    .venv/bin/python -m bench.vs_crewai_memory [--users 100] [--facts 10] [--queries 300]

Three stores get the same users' facts (each fact carries its owner's reference so ownership of a
result is known): Mem0 layer (per-user scope enforced at the storage boundary); CrewAI default
(one shared store, what ``Crew(memory=True)`` gives an app); CrewAI with a per-user scope path
(``/users/<id>``), isolation by convention that the app must get right on every call. Recall is
CrewAI's ``depth="shallow"`` (vector search, no LLM), the fair counterpart of ours.
"""

from __future__ import annotations

import argparse
import random
import shutil
import tempfile
import time

from bench.common import emit, isolated_data_dir, percentiles
from bench.data import QUERIES, fact_templates

PROJECT = "bench-vs-crewai"


def _owner(text: str) -> str:
    return text.rsplit("(ref ", 1)[1].split(".", 1)[0]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--users", type=int, default=100)
    parser.add_argument("--facts", type=int, default=10)
    parser.add_argument("--queries", type=int, default=300)
    args = parser.parse_args()
    isolated_data_dir("vs-crewai")

    from crewai.events.event_listener import event_listener
    from crewai.memory.storage.lancedb_storage import LanceDBStorage
    from crewai.memory.unified_memory import Memory

    from concierge import embeddings
    from concierge.offline.crew_model import OfflineCrewModel
    from concierge.service import ConciergeService

    event_listener.formatter.verbose = False
    rng = random.Random(3)
    templates = fact_templates()
    users = [f"user{i:03d}" for i in range(args.users)]
    facts = {u: [f"{rng.choice(templates)} (ref {u}.{k})" for k in range(args.facts)] for u in users}

    service = ConciergeService.from_settings()
    folder = tempfile.mkdtemp(prefix="concierge-bench-lancedb-")

    def crewai_memory(name: str) -> Memory:
        return Memory(
            storage=LanceDBStorage(path=f"{folder}/{name}"),
            embedder=lambda texts: embeddings.embed(list(texts)).tolist(),
            llm=OfflineCrewModel(model="offline"),
        )

    shared, scoped = crewai_memory("shared"), crewai_memory("scoped")
    load = {}
    try:
        start = time.perf_counter()
        for u in users:
            for fact in facts[u]:
                service.remember(service.scope(u, project_id=PROJECT), fact, infer=False)
        load["mem0_s"] = time.perf_counter() - start
        start = time.perf_counter()
        for u in users:
            shared.remember_many(facts[u], scope="/", categories=[], importance=0.5, metadata={})
        shared.drain_writes()
        load["crewai_default_s"] = time.perf_counter() - start
        start = time.perf_counter()
        for u in users:
            scoped.remember_many(facts[u], scope=f"/users/{u}", categories=[], importance=0.5, metadata={})
        scoped.drain_writes()
        load["crewai_scoped_s"] = time.perf_counter() - start

        samples = {"mem0": [], "crewai_default": [], "crewai_scoped": []}
        foreign = dict.fromkeys(samples, 0)
        returned = dict.fromkeys(samples, 0)
        workload = [(rng.choice(users), rng.choice(QUERIES)) for _ in range(args.queries)]
        for name in samples:
            for user, query in workload:
                embeddings.forget_cached_queries()  # no cached query vectors: every store embeds every query
                start = time.perf_counter()
                if name == "mem0":
                    texts = [r.text for r in service.recall(service.scope(user, project_id=PROJECT), query, top_k=5)]
                elif name == "crewai_default":
                    texts = [m.record.content for m in shared.recall(query, limit=5, depth="shallow")]
                else:
                    found = scoped.recall(query, scope=f"/users/{user}", limit=5, depth="shallow")
                    texts = [m.record.content for m in found]
                samples[name].append((time.perf_counter() - start) * 1000)
                returned[name] += len(texts)
                foreign[name] += sum(1 for t in texts if _owner(t) != user)
    finally:
        service.memory.drop_project(service.settings.org_id, PROJECT)
        service.close()
        shared.close()
        scoped.close()
        shutil.rmtree(folder, ignore_errors=True)

    stats = {name: percentiles(values) for name, values in samples.items()}
    emit(
        {
            "benchmark": "vs_crewai_memory",
            "users": args.users,
            "memories": args.users * args.facts,
            "queries": args.queries,
            "load_s": {k: round(v, 1) for k, v in load.items()},
            "recall": stats,
            "isolation_errors": {name: {"foreign_results": foreign[name], "of": returned[name]} for name in samples},
            "ratios_vs_mem0": {
                name: {
                    "p50": round(stats[name]["p50_ms"] / stats["mem0"]["p50_ms"], 2),
                    "p95": round(stats[name]["p95_ms"] / stats["mem0"]["p95_ms"], 2),
                }
                for name in samples
                if name != "mem0"
            },
        }
    )


if __name__ == "__main__":
    main()
