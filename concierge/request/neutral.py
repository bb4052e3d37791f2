"""Neutral company: the greetings, thanks and courtesy that may come with a request without changing what it asks.

A whitelist, not a list of jests: whatever is not listed here (a "not really", a "Sike.", "I think.", "my wife
says", a second statement) is content, and content beside a forget request of a need makes the concierge ask
first (``concierge.request.plain_forget``). Words are compared lower-cased, one at a time, so "thank you so
much", "many thanks", "good morning, concierge" and "hi there" are neutral, and so is the punctuation between
them; a question mark, brackets, quotes or an emoji are not.
"""

from __future__ import annotations

import re

NEUTRAL_WORDS = frozenset(
    {
        # greetings and leave-taking
        "hi", "hello", "hey", "hiya", "there", "good", "morning", "afternoon", "evening", "day", "dear",
        "concierge", "bye", "goodbye",
        # thanks
        "thanks", "thank", "you", "thx", "ty", "cheers", "ta", "many", "much", "so", "very", "a", "lot",
        "appreciated", "appreciate", "it", "kind", "of",
        # courtesy and a request's own small words
        "please", "pls", "plz", "kindly", "ok", "okay", "oh", "and", "also", "actually", "sorry",
    }
)  # fmt: skip
_NEUTRAL_MARKS = frozenset(".,!;:-\u2013\u2014")  # dashes between greetings are punctuation
_TOKEN = re.compile(r"[^\W_]+|[^\w\s]", re.UNICODE)


def tokens(text: str) -> list[str]:
    """Lower-cased words (letters and digits) and single marks, in order; an apostrophe is a mark of its own."""
    return [t.casefold() for t in _TOKEN.findall(text)]


def only_neutral(text: str) -> bool:
    """Nothing but neutral company (or nothing at all): "Thanks!", "hi there,", "Good morning." """
    return all(t in NEUTRAL_WORDS or t in _NEUTRAL_MARKS for t in tokens(text))


_CLOSING = frozenset({"please", "pls", "plz", "thanks", "thank", "thx", "ty", "cheers", "ta", "kindly", "many"})


def without_neutral_end(text: str) -> str:
    """``text`` without the thanks or "please" it ends with ("my son's sesame allergy, cheers" -> "my son's sesame
    allergy,", "... thank you so much" -> "...")."""
    words = text.split()
    for i, word in enumerate(words):
        first = [t for t in tokens(word) if t not in _NEUTRAL_MARKS][:1]
        if first and first[0] in _CLOSING and only_neutral(" ".join(words[i:])):
            return " ".join(words[:i])
    return text
