"""Places said as one stand-in: a text is told by how it is said, not by where.

The offline reader's kinds of turn and the forget topics read a message against examples; every place in both reads
as the same city, so "Could you recommend a vegan place in Lisbon?" is not a statement for sharing its city with
"vegan, heading to Lisbon next month".
"""

from __future__ import annotations

import re
from functools import cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from concierge.request.places import CatalogPlaces

# Every place reads as this one, in the examples and in the message alike: a kind is told by how a message is
# said, not by where ("Could you recommend a vegan place in Lisbon?" is not a statement for sharing its city with
# "vegan, heading to Lisbon next month").
STAND_IN = "Paris"
_MARK = "\u2063"  # masked places, before they become the stand-in (so the gazetteer never finds one twice)
_MOST_PLACES = 3


def framed(text: str) -> str:
    """``text`` with every place it names (a misspelt catalog city too) said as ``STAND_IN``."""
    places = _places()
    for _ in range(_MOST_PLACES):
        found = places.find_in(text) or places.misspelt_in(text)
        if found is None:
            break
        masked = re.sub(rf"(?<!\w){re.escape(found.said)}(?!\w)", _MARK, text, flags=re.IGNORECASE)
        if masked == text:
            break
        text = masked
    return text.replace(_MARK, STAND_IN)


@cache
def _places() -> CatalogPlaces:
    """The shipped catalog's places and the world gazetteer: what the examples and messages name."""
    from concierge.catalog.loader import load_catalog
    from concierge.request.places import CatalogPlaces
    from concierge.shipped import shipped_dir

    return CatalogPlaces(load_catalog(shipped_dir("catalog")))
