"""Misspelt request words read as meant: "dinnr tommorow", "an apartmnt for 4 nihgts", "hotell", "fri nite".

The request rules match words ("dinner", "nights", "tomorrow"); a typo hides the whole request behind them. A word
that is no English word and is one edit (two from eight letters) from exactly one of the words the rules read is
replaced by it before the rules run. Capitalised words inside a sentence are names and places: left alone (the
gazetteer reads misspelt catalog cities, ``CatalogPlaces.misspelt_in``).
"""

from __future__ import annotations

import calendar
import re
from functools import cache

_REQUEST_WORDS = [
    "dinner",
    "lunch",
    "brunch",
    "breakfast",
    "supper",
    "restaurant",
    "restaurants",
    "table",
    "reservation",
    "hotel",
    "hotels",
    "apartment",
    "apartments",
    "guesthouse",
    "hostel",
    "accommodation",
    "night",
    "nights",
    "tomorrow",
    "tonight",
    "today",
    "weekend",
    "week",
    "trip",
    "holiday",
    "vacation",
    "itinerary",
    "people",
    "weather",
    "allergic",
    # the people a party is counted from ("me and my wief")
    "wife",
    "husband",
    "partner",
    "friend",
    "friends",
    "family",
    "kids",
    "children",
    "daughter",
    "parents",
    "colleagues",
    # the words a follow-up edits the plan with ("somewhere cheeper", "insted", "anothr optoin", "cancle")
    "cheaper",
    "cheapest",
    "pricier",
    "fancier",
    "expensive",
    "instead",
    "option",
    "options",
    "another",
    "different",
    "something",
    "somewhere",
    "earlier",
    "later",
    "cancel",
    "confirm",
    "request",
    "booking",
    "please",
]
# Chat shorthand for request words, too far from the word by letters to be read as a typo of it.
_SHORTHAND = {
    "nite": "night",
    "nites": "nights",
    "nyt": "night",
    "tonite": "tonight",
    "tonyt": "tonight",
    "htl": "hotel",
    "htls": "hotels",
    "ppl": "people",
    "resto": "restaurant",
    "brekky": "breakfast",
    "bfast": "breakfast",
    "accom": "accommodation",
    "pls": "please",
    "plz": "please",
}
_WORD = re.compile(r"[A-Za-z]+")


@cache
def _vocabulary() -> tuple[str, ...]:
    days = [d.lower() for d in calendar.day_name]
    months = [m.lower() for m in calendar.month_name if m]
    return (*_REQUEST_WORDS, *days, *months)


_ENDINGS = (
    ("s", ""),
    ("es", ""),
    ("ies", "y"),
    ("ed", ""),
    ("d", ""),
    ("ing", ""),
    ("er", ""),
    ("ers", ""),
    ("ly", ""),
)


def _a_word(word: str, english: frozenset[str]) -> bool:
    """An English word, or an inflection of one ("dinners", "allergies", "hosted"): never "corrected"."""
    return word in english or any(word.endswith(end) and word[: -len(end)] + base in english for end, base in _ENDINGS)


_COMPARATIVES = ("cheaper", "pricier", "fancier", "earlier")


def _comparative(word: str) -> str | None:
    """The comparative a follow-up asks with, misspelt by one letter ("cheeper", "fancyer" is two: left alone)."""
    from rapidfuzz.distance import OSA

    if not word.endswith("er"):
        return None
    close = [c for c in _COMPARATIVES if OSA.distance(word, c) == 1]
    return close[0] if len(close) == 1 else None


def _meant(word: str, sentence_start: bool) -> str | None:
    from rapidfuzz import process
    from rapidfuzz.distance import OSA

    from concierge.needs.nlp import english_words

    lower = word.lower()
    if lower in _SHORTHAND and not (word[:1].isupper() and not sentence_start):
        return _SHORTHAND[lower]
    if len(word) < 4 or lower in _vocabulary() or (word[:1].isupper() and not sentence_start):
        return None
    if lower not in english_words() and (comparative := _comparative(lower)):
        return comparative  # "cheeper" reads as "cheep" + "er" to the inflection check below, but means cheaper
    if _a_word(lower, english_words()):
        return None
    limit = 1 if len(word) < 8 else 2
    found = process.extract(lower, _vocabulary(), scorer=OSA.distance, score_cutoff=limit, limit=2)
    if not found:
        return None
    best = found[0][0]
    if len(found) > 1 and found[1][1] == found[0][1] and found[1][0].rstrip("s") != best.rstrip("s"):
        return None  # two different words as close: left as said ("hotell": hotel or hotels is one word)
    return best


def corrected(text: str) -> str:
    """``text`` with misspelt request words written out; everything else as said."""
    out, last = [], 0
    for m in _WORD.finditer(text):
        start = not text[: m.start()].strip() or text[: m.start()].rstrip()[-1:] in ".!?"
        meant = _meant(m.group(0), start)
        if meant is not None:
            out += [text[last : m.start()], meant]
            last = m.end()
    return "".join([*out, text[last:]]) if out else text
