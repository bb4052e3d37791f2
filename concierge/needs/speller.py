"""The vocabulary word a typo stands for, by edit distance, letters left out and how much words are used.

A typo is read as a vocabulary word only when it is close to that word and to no other as close and as used:
within an edit distance that grows with its length (one edit up to five letters, two up to eight, three from nine;
two letters swapped count as one), or the word with letters left out ("dinr", "husbnd", "glutn"), its first letter
kept. An ordinary English word as close and much more used wins ("mussles" may be "muscles": left as said).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from rapidfuzz import process
from rapidfuzz.distance import OSA

from concierge.needs import english

_COMMON = 5000  # a vocabulary word is at least this common in a concierge's chat, whatever subtitles say
_MORE_USED = 3  # an English word this many times more used than the vocabulary word, as close, wins over it


@dataclass(frozen=True, slots=True)
class _Candidate:
    word: str
    cost: float
    within: bool  # the typo is the word with letters left out


def _within(short: str, word: str) -> bool:
    """``short`` is ``word`` with letters left out, its first letter kept."""
    letters = iter(word)
    return len(short) < len(word) and short[:1] == word[:1] and all(c in letters for c in short)


def _limit(length: int) -> int:
    return 1 if length <= 5 else 2 if length <= 8 else 3


class Speller:
    """The vocabulary word a typo stands for: length-aware edit distance, letters left out, a frequency prior."""

    def __init__(self, words: Iterable[str], *, read_elsewhere: Iterable[str] = ()) -> None:
        """``read_elsewhere``: words another reader respells itself (catalog cities): a typo nearest to one is
        left as said."""
        self._elsewhere = frozenset(read_elsewhere)
        self.known = frozenset(w for w in (*words, *self._elsewhere) if w.isalpha())
        self._by_initial: dict[str, list[str]] = defaultdict(list)
        for word in sorted(self.known):
            if len(word) >= 3:
                self._by_initial[word[0]].append(word)

    def meant(self, word: str) -> str | None:
        """The vocabulary word ``word`` (lower case, no English word) is a typo of, or None if none surely is."""
        if len(word) < 3 or not word.isalpha() or word in self.known:
            return None
        found = self._candidates(word)
        if not found:
            return None
        best = min(found, key=lambda c: _rank(c, word))
        rivals = [c for c in found if c.cost == best.cost and not _variants(c.word, best.word)]
        if any(self._prior(c.word) * _MORE_USED > self._prior(best.word) for c in rivals if c.within == best.within):
            return None  # two words as close and as used ("tabl": table or tables is one; "bred": ?)
        if best.cost >= 1 and any(n > _MORE_USED * self._prior(best.word) for n in self._ordinary(word).values()):
            return None  # an ordinary word one edit away and much more used: the typo may as well be that
        return None if best.word in self._elsewhere else best.word

    def compound(self, word: str) -> tuple[str, str] | None:
        """Two vocabulary words run together ("glutenfree", "treenuts"), or None."""
        for cut in range(3, len(word) - 2):
            head, tail = word[:cut], word[cut:]
            if head in self.known and tail in self.known and head not in self._elsewhere:
                return head, tail
        return None

    def _candidates(self, word: str) -> list[_Candidate]:
        pool = self._by_initial.get(word[0], [])
        limit = _limit(len(word))
        found = {w: _Candidate(w, float(d), False) for w, d, _ in _close(word, pool, limit)}
        for w in pool:
            missing = len(w) - len(word)
            if len(word) >= 4 and 0 < missing <= max(2, len(w) // 3) and _within(word, w):
                left_out = 0.75 * missing  # a letter left out is the likeliest slip of all ("dinr", "husbnd")
                if w not in found or left_out <= found[w].cost:
                    found[w] = _Candidate(w, left_out, True)
        return list(found.values())

    def _ordinary(self, word: str) -> dict[str, int]:
        return {w: n for w, n in english.one_edit_away(word).items() if w not in self.known}

    @staticmethod
    def _prior(word: str) -> int:
        return max(english.count(word), _COMMON)


def _rank(candidate: _Candidate, word: str) -> tuple[float, bool, bool, int]:
    """Nearest first; on a tie the word the typo leaves letters out of, then the one it doubles a letter of
    ("vegann" -> "vegan", not "vegans"), then the one of its length ("eggz" -> "eggs", not "egg")."""
    doubled = any(word[:i] + word[i + 1 :] == candidate.word for i in range(1, len(word)) if word[i] == word[i - 1])
    return candidate.cost, not _within(word, candidate.word), not doubled, abs(len(candidate.word) - len(word))


def _close(word: str, pool: list[str], limit: int) -> list[tuple[str, float, int]]:
    return process.extract(word, pool, scorer=OSA.distance, score_cutoff=limit, limit=None)


def _variants(a: str, b: str) -> bool:
    """One word in two numbers ("hotel", "hotels"): not a choice between two words."""
    return a.rstrip("s") == b.rstrip("s")
