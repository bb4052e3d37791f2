"""The answer to a question about what there is to eat: "are there halal options in Osaka?", "do kosher restaurants
in Paris close on Friday evenings?", "would a pescatarian be ok at a sushi place?". The catalog's restaurants of
the place asked about (all of them when none is named), of the kind of food named, that meet every need the
question names, with their hours. Nothing is booked, nothing is stored (the need may be anyone's).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from concierge.catalog.loader import Catalog
from concierge.catalog.requirements import Requirements
from concierge.catalog.schema import Destination, Restaurant

_SHOWN = 8
# A national kitchen is the food of its country: "Japanese food" is what the catalog's restaurants in Japan serve.
_KITCHEN_OF = {
    "japanese": "Japan",
    "italian": "Italy",
    "spanish": "Spain",
    "french": "France",
    "portuguese": "Portugal",
    "mexican": "Mexico",
    "greek": "Greece",
    "german": "Germany",
    "british": "United Kingdom",
    "dutch": "Netherlands",
    "american": "United States",
}


def _serves(restaurant: Restaurant, cuisine: str) -> bool:
    """The restaurant serves ``cuisine`` ("sushi", "tapas", "pizza", or a national kitchen): its kind, description
    or dishes name it ("pizza" in "Pizzeria: pizza margherita", "gelato" as "Gelateria"; "deli" only as a word)."""
    if _KITCHEN_OF.get(cuisine) == restaurant.country:
        return True
    said = " ".join((restaurant.cuisine, restaurant.description, *restaurant.signature_dishes))
    word = rf"\b{re.escape(cuisine[:5])}" + (r"\b" if len(cuisine) <= 4 else "")
    return re.search(word, said, re.IGNORECASE) is not None


def _venue(restaurant: Restaurant) -> str:
    return f"{restaurant.name} ({restaurant.cuisine}, {restaurant.city}, open {restaurant.opening_hours})"


def answer_venues_question(
    places: Sequence[Destination] | None, needs: Requirements, cuisine: str | None, catalog: Catalog
) -> str:
    """Which restaurants of ``places`` (None: every place we cover) serving ``cuisine`` meet ``needs``."""
    from concierge.needs.vocabulary import load_vocabulary

    cities = {d.name for d in places} if places is not None else set(catalog.cities())
    local = [r for r in catalog.restaurants if r.city in cities]
    kind = [r for r in local if _serves(r, cuisine)] if cuisine else local
    where = " and ".join(sorted(cities)) if places is not None else "the places we cover"
    kitchen = cuisine.capitalize() if cuisine in _KITCHEN_OF else cuisine  # "Japanese restaurants"
    what = f"{kitchen} restaurants" if kitchen else "restaurants"
    if not kind:
        return f"I know no {what} in {where}, so I cannot say; ask me about another kind of food or place."
    vocabulary = load_vocabulary()
    fit = [r for r in kind if not needs.unmet(vocabulary.offered(r.dietary_options), frozenset(r.accessibility))]
    more = f"; and {len(fit) - _SHOWN} more" if len(fit) > _SHOWN else ""
    names = "; ".join(_venue(r) for r in fit[:_SHOWN]) + more
    if not needs:
        first = f"The {what} I know in {where}: {names}."
    elif not fit:
        first = f"None of the {len(kind)} {what} I know in {where} can meet {', '.join(needs.labels())}."
    else:
        first = f"{len(fit)} of the {len(kind)} {what} I know in {where} meet {', '.join(needs.labels())}: {names}."
    return "\n".join([first, "Nothing was booked or stored; ask me to book one."])
