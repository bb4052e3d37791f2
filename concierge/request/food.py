"""Whether a message asks about food: where or what to eat, not a place's weather or sights. Read by the offline
reader (a question about what there is to eat) and by the answer to a place question alike."""

from __future__ import annotations

import re

_ABOUT_FOOD = re.compile(
    r"\b(?:eat|eating|food|restaurants?|options?|dishes|menu|kitchens?|cuisine|dinner|lunch|breakfast|brunch|"
    r"cafes?|bars?)\b",
    re.IGNORECASE,
)


def asks_about_food(text: str, cuisine: str | None = None) -> bool:
    """``text`` is about where or what to eat (a venue, a dish, a kind of food ``cuisine`` read in it)."""
    return cuisine is not None or bool(_ABOUT_FOOD.search(text))
