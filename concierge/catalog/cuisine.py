"""Does a venue serve the cuisine a user asked for? Catalog cuisines are specific ("Soba and udon",
"Osteria"), requests are often broad ("something Japanese"): a broad cuisine covers its family of
catalog styles, a specific one matches its own word. Used as a hard filter: a user who asks for
Japanese is never silently shown something else.
"""

from __future__ import annotations

from collections.abc import Mapping

from concierge.catalog.search import fold

# A broad cuisine -> words of the catalog styles it covers (folded: no accents, lower case).
_FAMILIES: Mapping[str, tuple[str, ...]] = {
    "japanese": (
        "japanese",
        "izakaya",
        "kaiseki",
        "okonomiyaki",
        "ramen",
        "shojin",
        "soba",
        "udon",
        "sushi",
        "tempura",
    ),
    "italian": ("italian", "enoteca", "gelateria", "osteria", "pasta", "pizza", "pizzeria", "trattoria"),
    "french": ("french", "bistro", "brasserie", "bouchon", "creperie", "provencal"),
    "spanish": ("spanish", "andalusian", "basque", "catalan", "churros", "paella", "tapas"),
    "portuguese": ("portuguese", "francesinha", "pastelaria", "tasca"),
    "mexican": ("mexican", "taqueria"),
    "greek": ("greek", "meze", "taverna"),
    "noodles": ("noodle", "ramen", "soba", "udon"),
}
# A specific cuisine whose catalog style is spelt differently.
_SPELLINGS: Mapping[str, tuple[str, ...]] = {
    "pizza": ("pizza", "pizzeria"),
    "tacos": ("taqueria",),
    "crepes": ("creperie",),
    "gelato": ("gelateria",),
    "pintxos": ("pintxos",),
    "meze": ("meze",),
}


def cuisine_words(cuisine: str) -> tuple[str, ...]:
    """The folded words a venue's cuisine must contain one of to serve ``cuisine`` (a request's canonical name)."""
    key = fold(cuisine).strip()
    return _FAMILIES.get(key) or _SPELLINGS.get(key) or (key,)


def serves_cuisine(venue_cuisine: str, cuisine: str) -> bool:
    """True when a venue of style ``venue_cuisine`` serves the requested ``cuisine``."""
    style = fold(venue_cuisine)
    return any(word in style for word in cuisine_words(cuisine))


# Kinds of venue that are no place for a meal whatever their opening hours say: nobody books dinner at a pastry
# shop, a churros café, an ice-cream parlour or a deli (folded words of the catalog styles).
_NOT_FOR_MEAL: Mapping[str, tuple[str, ...]] = {
    "dinner": ("pastelaria", "churros", "gelateria", "deli"),
}


def suits_meal(venue_cuisine: str, meal: str, asked_cuisine: str | None = None) -> bool:
    """False for a venue whose kind does not serve ``meal`` (a pastelaria for dinner), unless the user asked for
    that kind by name ("churros tonight")."""
    if asked_cuisine and serves_cuisine(venue_cuisine, asked_cuisine):
        return True
    style = fold(venue_cuisine)
    return not any(word in style for word in _NOT_FOR_MEAL.get(meal, ()))
