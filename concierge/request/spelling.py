"""Misspelt words read as meant: "dinnr tommorow", "an apartmnt for 4 nihgts", "hotell", "somewhere cheeper".

The request rules match words ("dinner", "nights", "tomorrow"); a typo hides the whole request behind them. The
message is respelt once against every word the readers know (``concierge.needs.spelling``): these request words,
the days and months, the needs vocabulary's words (needs, cues, people) and the English words of the examples of
the kinds of turn (``config/turn_kinds.yaml``: "forget", "cheaper", "option"), so a team that adds examples adds
their words. Catalog places are read by the gazetteer (``CatalogPlaces.misspelt_in``, which asks back when in
doubt): a typo nearest to one is left as said.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterable
from functools import cache

from concierge import safe_yaml
from concierge.needs import english
from concierge.needs.lexicon import lexicon_for
from concierge.needs.spelling import Words, need_words, respelled
from concierge.needs.vocabulary import default_config_dir, load_vocabulary
from concierge.request.numbers import OTHER_NUMBER_WORDS

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
    "book",
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
    "please",
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
]


_KINDS_FILE = "turn_kinds.yaml"


def _example_words() -> set[str]:
    """The English words of the kinds of turn's examples (their typos, "dinnr", are examples too: left out)."""
    path = default_config_dir() / _KINDS_FILE
    if not path.is_file():
        return set()
    kinds = (safe_yaml.load(path.read_text(encoding="utf-8")) or {}).get("kinds") or {}
    said = " ".join(e for kind in kinds.values() for e in (kind.get("examples") or []) if isinstance(e, str))
    return {w for w in re.findall(r"[a-z]{4,}", said.lower()) if english.is_english(w)}


@cache
def _words(places: frozenset[str]) -> Words:
    days = [d.lower() for d in calendar.day_name]
    months = [m.lower() for m in calendar.month_name if m]
    extra = (*_REQUEST_WORDS, *days, *months, *_example_words())
    return need_words(lexicon_for(load_vocabulary()), extra, read_elsewhere=places | set(OTHER_NUMBER_WORDS))


def corrected(text: str, places: Iterable[str] = ()) -> str:
    """``text`` with shorthand written out and misspelt words of the readers written as meant; ``places``: the
    catalog's place names, read by the gazetteer."""
    names = frozenset(w for place in places for w in place.lower().split() if w.isalpha())
    return respelled(text, _words(names))
