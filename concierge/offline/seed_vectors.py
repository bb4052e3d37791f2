"""Write the shipped seed of vectors (``concierge/catalog/seed-vectors.npz``) from the shipped texts, as a first
offline run would embed them (catalog, memory categories and the offline reader's kinds of turn).

``python -m concierge.offline.seed_vectors`` after editing the catalog, ``config/turn_kinds.yaml`` or the
categories of ``config/memory.yaml``: it embeds what they hold now, as a first run would, and keeps exactly
those rows. A stale seed is never wrong (rows are keyed by model and text); it only leaves more to embed.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import numpy as np

from concierge.catalog import index_cache


def shipped_texts_cache(cache_dir: Path) -> None:
    """Fill ``cache_dir`` with the per-data-dir caches a first run writes for the shipped defaults."""
    from concierge.catalog.loader import load_catalog
    from concierge.catalog.search import CatalogSearch
    from concierge.memory.categories import CategoryClassifier
    from concierge.memory.forget_topics import embed_examples
    from concierge.needs.company import embed_reason_examples
    from concierge.offline.kinds import turn_kinds
    from concierge.offline.worth import states_a_fact
    from concierge.settings import load_policy
    from concierge.shipped import shipped_dir

    CatalogSearch(load_catalog(shipped_dir("catalog")), cache_dir)
    turn_kinds(shipped_dir("config"), cache_dir)
    turn_kinds(shipped_dir("config"), cache_dir, "retraction_replies.yaml")  # the turn after a retraction
    embed_examples(cache_dir)  # forget requests by topic
    embed_reason_examples(cache_dir)  # a reason beside a retraction
    policy = load_policy(shipped_dir("config") / "memory.yaml")
    _ = CategoryClassifier(policy, cache_dir, states_a_fact=states_a_fact)._prototypes


def write_seed(path: Path = index_cache.SEED_FILE) -> int:
    """Write the seed; returns its number of rows."""
    with tempfile.TemporaryDirectory(prefix="concierge-seed-") as folder:
        shipped_texts_cache(Path(folder))
        rows: dict[str, np.ndarray] = {}
        for cache_file in sorted(Path(folder).glob("*.npz")):
            rows.update(index_cache._read(cache_file))
    keys = sorted(rows)
    index_cache._write(path, keys, np.stack([rows[k] for k in keys]).astype(np.float32))
    return len(keys)


if __name__ == "__main__":
    print(f"{write_seed()} vectors in {index_cache.SEED_FILE}")
