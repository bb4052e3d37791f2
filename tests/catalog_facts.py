"""Facts tests read from the shipped catalog instead of assuming them (a team adds cities and countries)."""

from __future__ import annotations

from functools import cache

from concierge.catalog.loader import load_catalog
from concierge.runtime_env import PROJECT_ROOT


@cache
def _covered() -> frozenset[str]:
    cities = load_catalog(PROJECT_ROOT / "data" / "catalog").cities()
    return frozenset({*cities, *cities.values()})


def uncovered(*candidates: str) -> str:
    """The first of these real places (cities or countries) the catalog does not cover."""
    return next(place for place in candidates if place not in _covered())
