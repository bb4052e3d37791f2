"""One word said two ways: a forget request's words against a memory's ("hating" / "hates", "prefrence" /
"preference"). Shared by the request's plainness check and the memory it chooses."""

from __future__ import annotations

MIN_STEM = 5  # letters two words share at the start to be one word ("preference" / "prefers")
_FUZZY_RATIO = 85  # rapidfuzz ratio above which two long words are one misspelt


def same_word(a: str, b: str) -> bool:
    """One word said two ways: the same stem ("preference"/"prefers"), lemma ("hating"/"hates") or a typo."""
    from rapidfuzz import fuzz

    if a == b or _lemma(a) == _lemma(b):
        return True
    shorter = min(len(a), len(b))
    prefix = len(_common_prefix(a, b))
    if prefix >= MIN_STEM or (shorter >= 4 and prefix == shorter):  # "preference"/"prefers", "live"/"lives"
        return True
    return shorter >= 5 and fuzz.ratio(a, b) >= _FUZZY_RATIO  # "budgt"/"budget"


def _common_prefix(a: str, b: str) -> str:
    size = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        size += 1
    return a[:size]


def _lemma(word: str) -> str:
    from lemminflect import getLemma

    return getLemma(word, upos="VERB")[0]
