"""Memory search latency and add throughput at 1k, 10k and 100k memories over 1k users (pgvector: embedded, or
DATABASE_URL when set).

    .venv/bin/python -m bench.memory_scale [--sizes 1000,10000,100000] [--users 1000] [--queries 300]

Rows are bulk-loaded with ``ConciergeMemory.load_prepared`` (through the storage boundary: the same
insert mem0 makes, scope checked, categories assigned), so 100k rows do not take hours of extraction.
To keep loading affordable, 5,000 distinct sentences are embedded with MiniLM and further rows reuse
them with a small random perturbation (sigma 0.02, re-normalised): realistic clusters for HNSW, no
identical vectors. Searches are the real path: ``ConciergeMemory.search`` = embed the query + filtered
HNSW search + boundary checks. Adds are the real path too: offline extraction, embedding, insert.
"""

from __future__ import annotations

import argparse
import random
import time
from concurrent.futures import ThreadPoolExecutor

import numpy as np

from bench.common import emit, isolated_data_dir, percentiles
from bench.data import QUERIES, distinct_facts

PROJECT = "bench-scale"
BASE_SENTENCES = 5_000


def _bulk_load(service, users: list[str], start: int, stop: int, base_texts, base_vectors, rng) -> float:
    from concierge.memory.records import PreparedFact

    scopes = [service.scope(user, project_id=PROJECT) for user in users]
    started = time.perf_counter()
    for chunk in range(start, stop, 2_000):
        facts = []
        for i in range(chunk, min(chunk + 2_000, stop)):
            b = i % len(base_texts)
            vec = base_vectors[b] + (rng.normal(0, 0.02, base_vectors.shape[1]) if i >= len(base_texts) else 0)
            text = base_texts[b] if i < len(base_texts) else f"{base_texts[b]} [{i}]"
            facts.append(PreparedFact(scopes[i % len(users)], text, (vec / np.linalg.norm(vec)).astype(np.float32)))
        service.memory.load_prepared(facts)
    return time.perf_counter() - started


def _plan(service, user: str) -> str:
    """Which index PostgreSQL picks for a user-filtered similarity search at this size."""
    import psycopg

    from concierge.memory.backends import backend_config
    from concierge.memory.backends.pgvector import app_connection_url
    from concierge.memory.mem0_oss import collection_name

    scope = service.scope(user, project_id=PROJECT)
    table = collection_name(scope.org_id, PROJECT)
    vec = "[" + ",".join(["0.05"] * 384) + "]"
    config = backend_config(service.settings)  # the server the service uses: DATABASE_URL when it is set
    try:
        with psycopg.connect(app_connection_url(config)) as conn:
            rows = conn.execute(
                f"EXPLAIN SELECT id FROM {table} WHERE payload->>'user_id' = %s AND NOT (payload ? 'superseded_by') "
                "ORDER BY vector <=> %s::vector LIMIT 5",
                (user, vec),
            ).fetchall()
    finally:
        config.release()
    text = " ".join(r[0] for r in rows)
    return "hnsw" if "hnsw" in text.lower() else ("user_id btree" if "user_idx" in text else text[:120])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--users", type=int, default=1000)
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--adds", type=int, default=60)
    parser.add_argument("--keep", action="store_true", help="keep the loaded table (to profile it afterwards)")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    data_dir = isolated_data_dir("scale")

    from concierge import embeddings
    from concierge.service import ConciergeService

    rng = np.random.default_rng(11)
    pick = random.Random(5)
    service = ConciergeService.from_settings()
    users = [f"u{i:04d}" for i in range(args.users)]
    t = time.perf_counter()
    base_texts = distinct_facts(BASE_SENTENCES)
    base_vectors = embeddings.embed(base_texts)
    embed_s = time.perf_counter() - t
    results = []
    loaded = 0
    try:
        for size in sizes:
            load_s = _bulk_load(service, users, loaded, size, base_texts, base_vectors, rng)
            loaded = size
            latencies, embed_only, leaks = [], [], 0
            for i in range(args.queries):
                user = pick.choice(users)
                scope = service.scope(user, project_id=PROJECT)
                query = f"{pick.choice(QUERIES)} ({i})"
                start = time.perf_counter()
                embeddings.embed_one(query)
                embed_only.append((time.perf_counter() - start) * 1000)
                embeddings.forget_cached_queries()  # measure the full path: the query is embedded again
                start = time.perf_counter()
                found = service.recall(scope, query, top_k=5)
                latencies.append((time.perf_counter() - start) * 1000)
                leaks += sum(1 for r in found if r.user_id != user)
            add_ms = []
            for i in range(args.adds):
                scope = service.scope(pick.choice(users), project_id=PROJECT)
                start = time.perf_counter()
                service.remember(
                    scope, f"I love {pick.choice(['Lyon', 'Kyoto', 'Porto'])} and I am allergic to sesame {i}"
                )
                add_ms.append((time.perf_counter() - start) * 1000)
            loaded += args.adds
            start = time.perf_counter()
            with ThreadPoolExecutor(4) as pool:
                list(
                    pool.map(
                        lambda i: service.remember(
                            service.scope(users[i], project_id=PROJECT), f"I prefer a window seat {i}"
                        ),
                        range(args.adds),
                    )
                )
            concurrent_s = time.perf_counter() - start
            loaded += args.adds
            results.append(
                {
                    "memories": size,
                    "users": args.users,
                    "bulk_load_s": round(load_s, 1),
                    "index_chosen": _plan(service, users[0]),
                    "search": percentiles(latencies),
                    "of_which_query_embedding": percentiles(embed_only),
                    "search_isolation_errors": leaks,
                    "add_sequential": {**percentiles(add_ms), "per_s": round(1000 / (sum(add_ms) / len(add_ms)), 2)},
                    "add_4_threads_per_s": round(args.adds / concurrent_s, 2),
                }
            )
    finally:
        service.memory.drop_project(service.settings.org_id, PROJECT)
        service.close()
    emit(
        {
            "benchmark": "memory_scale",
            "data_dir": data_dir,
            "base_sentences_embed_s": round(embed_s, 1),
            "results": results,
        }
    )


if __name__ == "__main__":
    main()
