"""The catalog's embedding index, cached on disk per entry: an edit re-embeds only the entries it changed.

Each row is keyed by a hash of the model id and the entry's text, so a changed entry (or a new
model) misses the cache and every other row is reused. The file is replaced atomically, so two
processes starting at once at worst both embed the same few entries.

A text missing from a data dir's cache is looked up in the seed shipped with the package
(``seed-vectors.npz``: the shipped catalog's entries, kinds-of-turn examples and memory categories,
written by ``python -m concierge.offline.seed_vectors``) before it is embedded: a first run in a new
data dir (every test's, every new install's) embedded ~700 texts, ~2/3 of its time. The seed is keyed
the same way, so an edited text or another model simply misses it.
"""

from __future__ import annotations

import hashlib
import logging
import os
from functools import cache
from pathlib import Path

import numpy as np

from concierge import embeddings

logger = logging.getLogger(__name__)
CACHE_FILE = "catalog-index.npz"
SEED_FILE = Path(__file__).with_name("seed-vectors.npz")


def entry_key(text: str) -> str:
    """The cache key of one entry's text under the current model."""
    return hashlib.sha256(f"{embeddings.MODEL_ID}\x00{text}".encode()).hexdigest()[:32]


def _read(path: Path) -> dict[str, np.ndarray]:
    try:
        with np.load(path, allow_pickle=False) as data:
            keys, vectors = data["keys"], data["vectors"]
    except FileNotFoundError:
        return {}
    except (OSError, ValueError, KeyError) as exc:  # a truncated or foreign file: rebuilt below
        logger.info("catalog index cache %s unreadable (%s); rebuilding it", path, exc)
        return {}
    if vectors.ndim != 2 or vectors.shape != (len(keys), embeddings.EMBEDDING_DIMS):
        return {}
    return {str(k): v for k, v in zip(keys, vectors, strict=True)}


def _write(path: Path, keys: list[str], vectors: np.ndarray) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        with tmp.open("wb") as handle:
            np.savez(handle, keys=np.array(keys), vectors=vectors)
        tmp.replace(path)
    except OSError as exc:  # a read-only data dir only costs start-up time
        logger.warning("could not cache catalog embeddings in %s: %s", path.parent, exc)


@cache
def _seed() -> dict[str, np.ndarray]:
    """The shipped vectors, read once per process (empty when the file is absent or unreadable)."""
    return _read(SEED_FILE)


def entry_vectors(texts: list[str], cache_dir: Path | None, file_name: str = CACHE_FILE) -> np.ndarray:
    """One unit vector per text, embedding only the texts the cache does not hold; ``None`` means no cache.
    ``file_name`` keeps other indexes (the kinds of turn's examples) beside the catalog's."""
    if cache_dir is None:
        return embeddings.embed(texts).astype(np.float32)
    path = cache_dir / file_name
    cached = _read(path)
    keys = [entry_key(t) for t in texts]
    seeded = {k: _seed()[k] for k in keys if k not in cached and k in _seed()}
    cached.update(seeded)
    missing = [i for i, k in enumerate(keys) if k not in cached]
    fresh = embeddings.embed([texts[i] for i in missing]) if missing else np.zeros((0, embeddings.EMBEDDING_DIMS))
    cached.update({keys[i]: row for i, row in zip(missing, fresh, strict=True)})
    vectors = np.stack([cached[k] for k in keys]).astype(np.float32) if keys else fresh.astype(np.float32)
    if missing or seeded or len(cached) != len(set(keys)):  # new rows, or rows of entries no longer in the catalog
        _write(path, keys, vectors)
    if missing:
        logger.info("index %s: embedded %d of %d entries", path, len(missing), len(keys))
    return vectors
