"""Assigns categories to a fact by embedding similarity to the category descriptions and examples.

One classifier serves every OSS backend at the storage boundary, and the offline extractor
uses it to drop excluded clauses (small talk) before they become memories.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import numpy as np

from concierge import embeddings
from concierge.settings import CategorySpec, MemoryPolicy

# Cosine similarity a fact needs with a category's nearest description/example to carry it.
MIN_SIMILARITY = 0.25
# Secondary categories must come this close to the best one.
SECONDARY_MARGIN = 0.04
_KINDS_SEEN = 1024  # texts whose stated need kinds are remembered (cleared when full)
CACHE_FILE = "categories-index.npz"  # beside the catalog's index: the same per-text cache


@dataclass(frozen=True, slots=True)
class Classification:
    """Categories a fact carries (best first); ``excluded`` names the exclude it matched, if any."""

    categories: tuple[str, ...]
    excluded: str | None
    best_score: float

    @property
    def keep(self) -> bool:
        return self.excluded is None


class CategoryClassifier:
    """Nearest-prototype classifier over the policy's category and exclude texts."""

    def __init__(
        self, policy: MemoryPolicy, cache_dir: Path | None = None, *, states_a_fact: Callable[[str], bool]
    ) -> None:
        self._cache_dir = cache_dir  # where the prototypes' vectors are kept between processes (None: nowhere)
        self._states_a_fact = states_a_fact  # given by the model registry (concierge.llm.factory.states_a_fact)
        self._kept = set(policy.kept_category_names())
        self._restricted = bool(policy.includes)
        specs: list[tuple[CategorySpec, bool]] = [(c, False) for c in policy.categories]
        specs += [(c, True) for c in policy.excludes]
        texts: list[str] = []
        owners: list[int] = []
        for index, (spec, _) in enumerate(specs):
            for text in (spec.description, *spec.examples):
                texts.append(text)
                owners.append(index)
        self._specs = specs
        self._owners = np.array(owners)
        self._texts = texts
        self._kinds_seen: dict[str, frozenset[str]] = {}
        self._by_need_kind: dict[str, list[str]] = {}
        for category in policy.categories:
            for kind in category.need_kinds if category.name in self._kept else ():
                self._by_need_kind.setdefault(kind, []).append(category.name)

    @cached_property
    def _prototypes(self) -> np.ndarray:
        """Embedded on the first classification, so a command that only lists or deletes never loads the model;
        read from the cache when one is given (embedding the policy's ~40 texts took ~0.3 s of every add)."""
        from concierge.catalog.index_cache import entry_vectors

        return entry_vectors(self._texts, self._cache_dir, CACHE_FILE)

    def classify_vector(self, vector: np.ndarray | list[float], text: str | None = None) -> Classification:
        """Classify an already-embedded fact (the storage boundary reuses mem0's vector).

        With ``text``, an exclude never drops a statement about the user's life ("I painted that lake
        sunrise last year" resembles chit-chat about the weather, but it is a fact): excludes are for
        greetings, thanks, moods and filler, read from the parse (``worth.states_a_fact``). And a fact
        stating a need carries the categories declared for its kind first (``need_kinds``): "User is
        vegan" resembles "User is a nurse", but it is a diet, recalled on every turn.
        """
        found = self._nearest(vector, text)
        declared = self._need_categories(text) if text is not None else ()
        if not declared:
            return found
        return Classification((*declared, *(c for c in found.categories if c not in declared)), None, found.best_score)

    def _nearest(self, vector: np.ndarray | list[float], text: str | None) -> Classification:
        sims = self._prototypes @ np.asarray(vector, dtype=np.float32)
        per_spec = np.full(len(self._specs), -1.0)
        np.maximum.at(per_spec, self._owners, sims)
        order = np.argsort(-per_spec)
        best = int(order[0])
        best_score = float(per_spec[best])
        if best_score < MIN_SIMILARITY:
            # A fact that fits no category is kept uncategorised, unless includes restrict storage.
            excluded = "matches no included category" if self._restricted else None
            return Classification((), excluded, best_score)
        best_spec, best_is_exclude = self._specs[best]
        if best_is_exclude and text is not None and self._states_a_fact(text):
            per_spec = np.where([is_exclude for _, is_exclude in self._specs], -1.0, per_spec)
            order = np.argsort(-per_spec)
            best_score = float(per_spec[order[0]])
            if best_score < MIN_SIMILARITY:
                return Classification((), "matches no included category" if self._restricted else None, best_score)
        elif best_is_exclude:
            return Classification((), best_spec.name, best_score)
        chosen = tuple(
            self._specs[i][0].name
            for i in order
            if not self._specs[i][1] and per_spec[i] >= max(MIN_SIMILARITY, best_score - SECONDARY_MARGIN)
        )
        kept = tuple(name for name in chosen if name in self._kept)
        if not kept:
            return Classification(chosen, f"not in includes: {chosen[0]}", best_score)
        return Classification(kept, None, best_score)

    def classify(self, text: str) -> Classification:
        return self.classify_vector(embeddings.embed_one(text), text)

    def _need_categories(self, text: str) -> tuple[str, ...]:
        """The kept categories declared for the kinds of need ``text`` states (``need_kinds``), in policy order."""
        if not self._by_need_kind:
            return ()
        kinds = self._stated_kinds(text)
        return tuple(dict.fromkeys(name for kind in sorted(kinds) for name in self._by_need_kind.get(kind, ())))

    def _stated_kinds(self, text: str) -> frozenset[str]:
        """The kinds of need ``text`` states, active or not. Remembered for recent texts: one add classifies each
        fact twice (the offline extractor, then the storage boundary)."""
        kinds = self._kinds_seen.get(text)
        if kinds is None:
            from concierge.needs import detect_needs, load_vocabulary

            kind_of = {spec.id: spec.kind for spec in load_vocabulary().specs}
            kinds = frozenset(kind_of[n.need_id] for n in detect_needs(text) if n.need_id in kind_of)
            if len(self._kinds_seen) >= _KINDS_SEEN:
                self._kinds_seen.clear()
            self._kinds_seen[text] = kinds
        return kinds
