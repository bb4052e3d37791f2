"""English words and how often they are used: what the respeller never "corrects", and its prior between words.

Two lists, both shipped by installed packages (nothing is downloaded): pyspellchecker's English word frequencies
(160,000 words counted in subtitles: inflections, function words, "legs", "fist", "sony") and the WordNet lemma
index of the spaCy model (base forms: "coeliac", "lupin"). A word in either is a word as said. Loaded once per
process, on first use.
"""

from __future__ import annotations

import threading
from functools import cache

_lock = threading.Lock()
# A typo keeps its first letter nearly always ("egs" is "eggs", hardly "legs"): competitors start with it too.
_ALPHABET = "abcdefghijklmnopqrstuvwxyz"
_RARE = 50  # the fewest uses pyspellchecker counts: a word seen that rarely may be a common typo ("cheeper")


@cache
def _counts() -> dict[str, int]:
    with _lock:
        from spellchecker import SpellChecker

        return dict(SpellChecker(language="en", case_sensitive=False).word_frequency.dictionary)


def count(word: str) -> int:
    """How often ``word`` (lower case) is used in pyspellchecker's English counts; 0 if never."""
    return _counts().get(word, 0)


def is_english(word: str) -> bool:
    """A word as said: counted in English use, or a base form the lemmatizer knows ("coeliac")."""
    from concierge.needs.nlp import english_words

    return word in _counts() or word in english_words()


def rare(word: str) -> bool:
    """Counted so rarely ("cheeper", 50 times) that it is likelier a typo than the word, and no base form."""
    from concierge.needs.nlp import english_words

    return count(word) <= _RARE and word not in english_words()


def one_edit_away(word: str) -> dict[str, int]:
    """English words one edit from ``word`` with its first letter (a letter dropped, added, changed or two
    swapped), with their counts: the ordinary words a typo might stand for instead of a vocabulary word."""
    first, rest = word[:1], word[1:]
    splits = [(rest[:i], rest[i:]) for i in range(len(rest) + 1)]
    edits = {first + a + b[1:] for a, b in splits if b}
    edits |= {first + a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1}
    edits |= {first + a + c + b[1:] for a, b in splits if b for c in _ALPHABET}
    edits |= {first + a + c + b for a, b in splits for c in _ALPHABET}
    counts = _counts()
    return {e: counts[e] for e in edits - {word} if e in counts}


_ENDINGS = (("ing", ("", "e")), ("ed", ("", "e")), ("es", ("", "e")), ("s", ("",)), ("er", ("", "e")), ("ly", ("",)))


def word_form(word: str) -> bool:
    """A base form the lemmatizer knows, or one with an English ending ("vegetating" is "vegetate" + "ing"): a real
    word, even one too rare to be counted much; "vegges" and "penuts" are no such word."""
    from concierge.needs.nlp import english_words

    base = english_words()
    if word in base:
        return True
    for ending, restores in _ENDINGS:
        stem = word.removesuffix(ending)
        if stem != word and len(stem) >= 3 and any(stem + r in base for r in restores):
            return True
    return False
