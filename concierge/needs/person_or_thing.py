"""Is a word a person or a thing? Questions the parse cannot answer, each asked of MiniLM with examples.

- A capitalised word that opens a sentence: "Sara is vegan" names a person; "Brunch is vegan for me" and "Sushi
  with Ken tomorrow" name a meal (both are a proper-noun subject to the parse; a list of meals would miss the next
  dish). A thing only when clearly closer to the meals and dishes than to names ("Grace", "Will" stay people).
- Something someone owns that a need is said of: "my wife's cookbook is vegan", "my cat is vegan", "our kitchen is
  kosher"? A need is a person's, so a need said of an object or an animal is nobody's; said of the person's body,
  diet or household ("my stomach can't handle dairy", "my diet is vegan") it is theirs, as is a person the
  relations list does not know ("my godmother", "my carer"). An object only when clearly closer to objects and
  animals than to people and to what is part of a person's life.
- What a food word qualifies: "peanut sauce" is eaten, "peanut-butter jokes" are not (``names_a_food``).

numpy and the model load on the first word asked about, never at import (``ask`` reads most messages without
asking).
"""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np

PEOPLE = ("Sara", "Tom", "Raj", "Marco", "Ines", "Anna", "my friend", "my husband")
THINGS = ("brunch", "dinner", "lunch", "sushi", "tapas", "pizza", "drinks", "coffee", "breakfast", "a meal", "food")
_MARGIN = 0.15  # how much closer to the things than to the people a word must be to count as a thing

# Whom "my <noun>" names when the relations list does not know it: another person ("my teacher", "my carer") or
# part of the user's own life ("my stomach", "my diet", "my household"), whose need is the user's.
PERSONS = (
    "my mother", "my friend", "my son", "my husband", "my colleague", "my neighbour",
    "my doctor", "my physiotherapist", "my coach", "my boss", "my nurse", "my carer",
    "my guest", "my companion",  # whom one meets or is shown around by: "my date tonight", "our guide tomorrow"
)  # fmt: skip
SELF = (
    "my stomach", "my diet", "my body", "my health", "my eyes", "my household",
    "my skin", "my gut", "my palate", "my lifestyle", "my religion", "my home",
)  # fmt: skip
# What a need said of "my <noun>" belongs to: a person or the user's own life (above), or no one (objects, pets).
OWNERS = (*PERSONS, "my teacher", "my cook", "my cleaner", "my trainer", *SELF)
OBJECTS = (
    "my book", "my car", "my phone", "my chair", "my shirt", "my cream", "my plant", "my dog", "my cat",
    "my computer", "my shop", "my pen", "my bag", "my bed", "my restaurant", "my blog", "my lotion", "my shoes",
)  # fmt: skip
# An object when not clearly closer to the people and the user's life than to the objects: "my toothpaste" scores
# -0.016, "my cookbook" -0.006, "my shampoo" 0.009; the people the relations list does not know stay below ("my
# physio" -0.038, "my chef" -0.079), and the relations it knows ("my godmother") never get here.
_OBJECT_MARGIN = -0.02
# What a food word qualifies: a food ("peanut sauce", "egg noodles") or a thing one cannot eat ("peanut-butter jokes").
FOODS = ("sauce", "bread", "cake", "soup", "oil", "cookies", "noodles", "curry", "snack", "salad", "flour", "butter")
NOT_FOODS = ("jokes", "stories", "songs", "films", "posters", "costume", "gallery", "puns", "shirt", "memes")
_TOP = 2  # each side scores the mean of its two closest examples


@cache
def _examples(examples: tuple[str, ...]) -> np.ndarray:
    from concierge.embeddings import embed

    return embed(list(examples))


def _lead(text: str, these: tuple[str, ...], those: tuple[str, ...]) -> float:
    """How much closer ``text`` is to ``these`` examples than to ``those`` (mean of each side's two closest)."""
    import numpy as np

    from concierge.embeddings import query_vector

    vector = query_vector(text)
    near = float(np.sort(_examples(these) @ vector)[-_TOP:].mean())
    far = float(np.sort(_examples(those) @ vector)[-_TOP:].mean())
    return near - far


def names_a_thing(word: str) -> bool:
    """True when ``word`` reads as a meal or a dish rather than a person's name."""
    return _lead(word, THINGS, PEOPLE) >= _MARGIN


def owns_no_need(noun: str) -> bool:
    """True when "my <noun>" is an object or an animal ("cookbook", "cat", "car"), which holds no need; False for a
    person, a body part, a diet or a household ("godmother", "stomach", "diet")."""
    return _lead(f"my {noun.lower()}", OBJECTS, OWNERS) >= _OBJECT_MARGIN


def names_another_person(noun: str) -> bool:
    """True when "my <noun>" is someone else ("teacher", "dentist", "carer"), so a need said of it is theirs, not
    the user's; False for the user's own body, diet or household ("stomach", "diet", "household")."""
    return _lead(f"my {noun.lower()}", PERSONS, SELF) > 0


def names_a_food(noun: str) -> bool:
    """True when ``noun`` is something eaten ("sauce", "brittle", "noodles"); False for "jokes", "costume", "memes"."""
    return _lead(noun.lower(), FOODS, NOT_FOODS) >= 0
