"""Ranked catalog search: hard filters (place, dietary needs, access) first, then MiniLM similarity to the request."""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Generic, TypeVar

from concierge import embeddings
from concierge.catalog.index_cache import entry_vectors
from concierge.catalog.loader import Catalog
from concierge.catalog.requirements import Requirements
from concierge.catalog.schema import Destination, Restaurant, Stay, StayKind
from concierge.needs import NeedVocabulary, load_vocabulary

EntryT = TypeVar("EntryT", Restaurant, Stay, Destination)
_RATING_WEIGHT = 0.05  # similarity decides; rating only breaks near-ties


def fold(text: str) -> str:
    """Lower-case, accent-free text for matching place names ("Sevilla" stays distinct, "séville" == "seville")."""
    return "".join(c for c in unicodedata.normalize("NFKD", text.casefold()) if not unicodedata.combining(c))


@dataclass(frozen=True, slots=True)
class Place:
    """A resolved location: a catalog city, or a whole country."""

    city: str | None
    country: str

    def label(self) -> str:
        return f"{self.city}, {self.country}" if self.city else self.country


@dataclass(frozen=True, slots=True)
class Ranked(Generic[EntryT]):
    entry: EntryT
    score: float


@dataclass(frozen=True, slots=True)
class SearchResult(Generic[EntryT]):
    place: Place | None
    requirements: Requirements
    ranked: list[Ranked[EntryT]]
    considered: int
    excluded: list[tuple[EntryT, str]]  # entries in the place that fail a hard need, with every unmet need


def _entry_text(entry: Restaurant | Stay | Destination) -> str:
    if isinstance(entry, Restaurant):
        return f"{entry.name}. {entry.description} Dishes: {', '.join(entry.signature_dishes)}."
    if isinstance(entry, Stay):
        return f"{entry.name}. {entry.description} Amenities: {', '.join(entry.amenities)}."
    return f"{entry.name}, {entry.region}, {entry.country}. {entry.summary} Highlights: {', '.join(entry.highlights)}."


class CatalogSearch:
    """Search over one loaded catalog. Entry embeddings are cached on disk per entry (``index_cache``)."""

    def __init__(
        self, catalog: Catalog, cache_dir: Path | None = None, vocabulary: NeedVocabulary | None = None
    ) -> None:
        self.catalog = catalog
        self._vocabulary = vocabulary or load_vocabulary()  # which options imply others (vegan -> vegetarian)
        entries = [*catalog.restaurants, *catalog.stays, *catalog.destinations]
        texts = [_entry_text(e) for e in entries]
        self._vectors = entry_vectors(texts, cache_dir)
        self._row = {e.id: i for i, e in enumerate(entries)}

    # -- search ---------------------------------------------------------------------------------
    def _rank(self, entries: Sequence[EntryT], query: str, limit: int) -> list[Ranked[EntryT]]:
        if not entries:
            return []
        q = embeddings.query_vector(query)  # the memory search of the same turn embedded it already
        rows = self._vectors[[self._row[e.id] for e in entries]]
        sims = rows @ q
        scored = [
            Ranked(e, float(s) + _RATING_WEIGHT * getattr(e, "rating", 0.0) / 5)
            for e, s in zip(entries, sims, strict=True)
        ]
        return sorted(scored, key=lambda r: r.score, reverse=True)[:limit]

    @staticmethod
    def _in_place(entry: Restaurant | Stay | Destination, place: Place | None) -> bool:
        if place is None:
            return True
        city = entry.name if isinstance(entry, Destination) else entry.city
        return entry.country == place.country and (place.city is None or city == place.city)

    def restaurants(
        self, query: str, place: Place | None, requirements: Requirements, limit: int = 5
    ) -> SearchResult[Restaurant]:
        local = [r for r in self.catalog.restaurants if self._in_place(r, place)]
        kept, excluded = [], []
        for r in local:
            unmet = requirements.unmet(self._vocabulary.offered(r.dietary_options), frozenset(r.accessibility))
            (excluded.append((r, "; ".join(unmet))) if unmet else kept.append(r))
        return SearchResult(place, requirements, self._rank(kept, query, limit), len(local), excluded)

    def stays(
        self,
        query: str,
        place: Place | None,
        requirements: Requirements,
        kinds: frozenset[StayKind] = frozenset(),
        limit: int = 5,
    ) -> SearchResult[Stay]:
        local = [s for s in self.catalog.stays if self._in_place(s, place)]
        kept, excluded = [], []
        for s in local:
            if kinds and s.kind not in kinds:
                continue
            unmet = requirements.unmet(None, frozenset(s.accessibility))  # food needs do not filter stays
            (excluded.append((s, "; ".join(unmet))) if unmet else kept.append(s))
        return SearchResult(place, requirements, self._rank(kept, query, limit), len(local), excluded)

    def destinations(self, query: str, place: Place | None, limit: int = 5) -> SearchResult[Destination]:
        local = [d for d in self.catalog.destinations if self._in_place(d, place)]
        return SearchResult(place, Requirements(), self._rank(local, query, limit), len(local), [])
