"""Labelled examples read by nearest neighbours over the bundled MiniLM vectors: what a short text is like.

Why: a rule list misses paraphrases ("my travel dates", "the tests came back fine"); a few examples per label
cover them, and a team adds a phrasing by adding an example to the YAML file that holds them. A label scores the
mean of its two closest examples; the best label counts only when it reaches ``min_score`` and beats the
runner-up by ``margin`` (else nothing is read, and the caller keeps to its safe default). The vectors are embedded
once and cached on disk beside the catalog's index.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import numpy as np

_TOP = 2  # a label's score: the mean of its closest examples (one stray example does not decide)
_lock = threading.Lock()
_loaded: dict[tuple[str, Path], Examples] = {}


@dataclass(frozen=True, slots=True)
class Examples:
    """The example vectors of every label, and the reading of one text against them."""

    vectors: np.ndarray
    labels: tuple[str, ...]

    def scores(self, text: str) -> dict[str, float]:
        """Every label's score for ``text``: the mean cosine similarity of its closest examples."""
        from concierge.embeddings import query_vector

        similarities = self.vectors @ query_vector(" ".join(text.split())[:500])
        names = np.array(self.labels)
        return {name: float(np.sort(similarities[names == name])[-_TOP:].mean()) for name in dict.fromkeys(self.labels)}

    def read(self, text: str, min_score: float, margin: float) -> str | None:
        """The label ``text`` surely reads as, or None when the best is too far or too close to the runner-up."""
        scores = self.scores(text)
        ranked = sorted(scores, key=scores.__getitem__, reverse=True)
        best = ranked[0]
        second = scores[ranked[1]] if len(ranked) > 1 else 0.0
        return best if scores[best] >= min_score and scores[best] - second >= margin else None


def examples(
    source: Path, labelled: Mapping[str, Sequence[str]], cache_file: str, cache_dir: Path | None = None
) -> Examples:
    """The vectors of ``labelled`` (label -> example texts), embedded once per file and process (cached on disk in
    ``cache_dir``, by default the data folder's; the shipped seed passes its own)."""
    from concierge.catalog.index_cache import entry_vectors

    key = (cache_file, source.resolve())
    with _lock:
        if key not in _loaded:
            labels = tuple(name for name, said in labelled.items() for _ in said)
            texts = [text for said in labelled.values() for text in said]
            _loaded[key] = Examples(entry_vectors(texts, cache_dir or _cache_dir(), cache_file), labels)
        return _loaded[key]


def _cache_dir() -> Path | None:
    from concierge import runtime_env

    try:
        return runtime_env.data_dir() / "cache"
    except Exception:
        return None


class KindRead(Protocol):
    """What one reading of a text against labelled kinds says (``concierge.offline.kinds.KindReading``)."""

    kind: str
    score: float
    margin: float
    sure: bool


class KindsReader(Protocol):
    """Reads a text, whole and clause by clause, against labelled kinds (``concierge.offline.kinds.TurnKinds``)."""

    def read(self, text: str) -> KindRead: ...

    def read_pieces(self, text: str) -> list[KindRead]: ...
