"""Destinations for a vague wish ("somewhere warm in December") from the catalog's monthly climate data.

Each destination lists its average daily high (°C) per month. The catalog has temperatures only, so
"sunny" reads as mild-to-warm weather (the months a city is usually dry and bright in our catalog's
Mediterranean, Mexican and Japanese destinations are its warm ones); "cool" is pleasant, not cold.

========  ===================  ======================
wish      average daily high   order
========  ===================  ======================
warm      >= 20 °C             warmest first
sunny     >= 16 °C             warmest first
cool      12 - 23 °C           coolest first
========  ===================  ======================
"""

from __future__ import annotations

from concierge.catalog.loader import Catalog
from concierge.catalog.schema import Climate, Destination

WARM_C = 20
SUNNY_C = 16
COOL_RANGE_C = (12, 23)


def matches(destination: Destination, climate: Climate, month: int) -> bool:
    """Does the destination's average high in ``month`` (1-12) fit the wish?"""
    high = destination.climate[month - 1]
    if climate == "warm":
        return high >= WARM_C
    if climate == "sunny":
        return high >= SUNNY_C
    return COOL_RANGE_C[0] <= high <= COOL_RANGE_C[1]


def destinations_for(catalog: Catalog, climate: Climate, month: int) -> list[Destination]:
    """Catalog destinations whose weather in ``month`` fits ``climate``, best match first (may be empty)."""
    if not 1 <= month <= 12:
        raise ValueError(f"month must be 1-12, got {month}")
    found = [d for d in catalog.destinations if matches(d, climate, month)]
    coolest_first = climate == "cool"
    return sorted(found, key=lambda d: (d.climate[month - 1] if coolest_first else -d.climate[month - 1], d.name))


def closest_destinations(catalog: Catalog, climate: Climate, month: int, at_least: int = 3) -> list[Destination]:
    """Those that fit, then, to offer a choice, the nearest to fitting (the warmest for "warm" and "sunny", the
    coolest for "cool") until there are ``at_least``: "somewhere warm in February" names several places."""
    fitting = destinations_for(catalog, climate, month)
    if len(fitting) >= at_least:
        return fitting
    coolest_first = climate == "cool"
    rest = sorted(
        (d for d in catalog.destinations if d not in fitting),
        key=lambda d: (d.climate[month - 1] if coolest_first else -d.climate[month - 1], d.name),
    )
    return fitting + rest[: at_least - len(fitting)]
