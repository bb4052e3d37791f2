"""Is a capitalised word that opens a sentence someone's name or a thing? "Sara is vegan" names a person; "Brunch
is vegan for me" and "Sushi with Ken tomorrow" name a meal. The parse cannot tell (both are a proper-noun subject),
and a list of meals would miss the next dish, so the word is compared by MiniLM with examples of each: a thing only
when clearly closer to the meals and dishes than to names (a name that is also a word, "Grace", "Will", stays a
person). numpy and the model load on the first word asked about, never at import (``ask`` reads most messages
without asking)."""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np

PEOPLE = ("Sara", "Tom", "Raj", "Marco", "Ines", "Anna", "my friend", "my husband")
THINGS = ("brunch", "dinner", "lunch", "sushi", "tapas", "pizza", "drinks", "coffee", "breakfast", "a meal", "food")
_MARGIN = 0.15  # how much closer to the things than to the people a word must be to count as a thing
_TOP = 2  # each side scores the mean of its two closest examples


@lru_cache(maxsize=1)
def _examples() -> tuple[np.ndarray, np.ndarray]:
    from concierge.embeddings import embed

    return embed(list(PEOPLE)), embed(list(THINGS))


def names_a_thing(word: str) -> bool:
    """True when ``word`` reads as a meal or a dish rather than a person's name."""
    import numpy as np

    from concierge.embeddings import query_vector

    people, things = _examples()
    vector = query_vector(word)
    person = float(np.sort(people @ vector)[-_TOP:].mean())
    thing = float(np.sort(things @ vector)[-_TOP:].mean())
    return thing - person >= _MARGIN
