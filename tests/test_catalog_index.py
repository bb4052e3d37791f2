"""The on-disk vector caches (the catalog's index, the memory categories' prototypes): reused across processes,
and an edit re-embeds only what changed."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pytest

from concierge import embeddings
from concierge.catalog import index_cache
from concierge.llm.factory import states_a_fact
from concierge.memory import categories
from concierge.memory.categories import CategoryClassifier

if TYPE_CHECKING:
    from concierge.settings import Settings


@pytest.fixture
def embedded(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every text the cache asked the model to embed (the real model still runs)."""
    calls: list[str] = []
    real = embeddings.embed

    def counting(texts: list[str]) -> np.ndarray:
        calls.extend(texts)
        return real(texts)

    monkeypatch.setattr(embeddings, "embed", counting)
    return calls


TEXTS = ["A quiet trattoria with fresh pasta.", "Rooftop bar over the harbour.", "Vegan bistro near the station."]


def test_second_load_embeds_nothing_and_gives_the_same_vectors(tmp_path: Path, embedded: list[str]) -> None:
    first = index_cache.entry_vectors(TEXTS, tmp_path)
    assert embedded == TEXTS and (tmp_path / index_cache.CACHE_FILE).exists()
    embedded.clear()
    second = index_cache.entry_vectors(TEXTS, tmp_path)
    assert embedded == []
    np.testing.assert_array_equal(first, second)
    np.testing.assert_allclose(second, embeddings.embed(TEXTS), atol=1e-6)


def test_an_edited_entry_is_the_only_one_embedded_again(tmp_path: Path, embedded: list[str]) -> None:
    index_cache.entry_vectors(TEXTS, tmp_path)
    edited = [TEXTS[0], "Rooftop bar over the harbour, now with tapas.", TEXTS[2]]
    embedded.clear()
    vectors = index_cache.entry_vectors(edited, tmp_path)
    assert embedded == [edited[1]]
    np.testing.assert_allclose(vectors, embeddings.embed(edited), atol=1e-6)
    embedded.clear()
    index_cache.entry_vectors(edited, tmp_path)  # the removed text's row was pruned, the new one kept
    assert embedded == []
    with np.load(tmp_path / index_cache.CACHE_FILE) as data:
        assert sorted(data["keys"]) == sorted(index_cache.entry_key(t) for t in edited)


def test_a_corrupt_cache_file_is_rebuilt(tmp_path: Path, embedded: list[str]) -> None:
    (tmp_path / index_cache.CACHE_FILE).write_bytes(b"not an npz file")
    vectors = index_cache.entry_vectors(TEXTS, tmp_path)
    assert embedded == TEXTS and vectors.shape == (3, embeddings.EMBEDDING_DIMS)
    embedded.clear()
    index_cache.entry_vectors(TEXTS, tmp_path)
    assert embedded == []


def test_memory_category_prototypes_are_embedded_once_across_processes(
    tmp_path: Path, embedded: list[str], settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The storage boundary's classifier keeps its prototypes' vectors beside the catalog's (every ``memory add``
    embedded the policy's texts again); a classifier built later reads them and decides the same."""
    monkeypatch.setattr(index_cache, "_seed", dict)  # as without the shipped seed: the first classifier embeds
    fact = "User is allergic to peanuts"
    first = CategoryClassifier(settings.policy, tmp_path, states_a_fact=states_a_fact)
    verdict = first.classify(fact)
    assert set(first._texts) <= set(embedded) and (tmp_path / categories.CACHE_FILE).exists()
    embedded.clear()
    second = CategoryClassifier(settings.policy, tmp_path, states_a_fact=states_a_fact)
    assert second.classify(fact) == verdict and verdict.categories
    assert embedded == [fact]  # only the fact: no prototype embedded again
    np.testing.assert_array_equal(first._prototypes, second._prototypes)
    np.testing.assert_allclose(second._prototypes, embeddings.embed(second._texts), atol=1e-6)


def _shipped_catalog_texts() -> list[str]:
    from concierge.catalog.loader import load_catalog
    from concierge.catalog.search import _entry_text
    from concierge.shipped import shipped_dir

    catalog = load_catalog(shipped_dir("catalog"))
    return [_entry_text(e) for e in (*catalog.restaurants, *catalog.stays, *catalog.destinations)]


def test_a_new_data_dir_takes_the_shipped_catalog_vectors_from_the_seed(tmp_path: Path, embedded: list[str]) -> None:
    """A first run embeds nothing of the shipped catalog; the seed's rows are the model's vectors for those texts.
    After editing data/catalog, run ``python -m concierge.offline.seed_vectors`` (this test names what is missing)."""
    texts = _shipped_catalog_texts()
    vectors = index_cache.entry_vectors(texts, tmp_path)
    assert embedded == [], f"not in the seed (run python -m concierge.offline.seed_vectors): {embedded[:3]}"
    sample = texts[:: max(1, len(texts) // 12)]
    np.testing.assert_allclose(vectors[:: max(1, len(texts) // 12)], embeddings.embed(sample), atol=1e-5)
    embedded.clear()
    edited = [*texts[:2], texts[2] + " Now with a terrace."]
    index_cache.entry_vectors(edited, tmp_path)
    assert embedded == [edited[2]]  # an edited entry misses the seed as it misses the cache
