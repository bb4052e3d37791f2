"""The vocabulary word a typo stands for, by edit distance, letters left out and how much words are used.

A typo is read as a vocabulary word only when it is close to that word and to no other as close and as used:
within an edit distance that grows with its length (one edit up to five letters, two up to eight, three from nine;
two letters swapped count as one, a letter typed for one that neither sounds like it nor sits beside it on the
keyboard as one and a half: "uber" is no "user"), or the word with letters left out ("dinr", "husbnd", "glutn"),
its first letter kept. An ordinary English word closer, or as close and much more used, wins ("adress" is
"address", never "access").
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
_KEYS = {c: (r, i) for r, row in enumerate(("qwertyuiop", "asdfghjkl", "zxcvbnm")) for i, c in enumerate(row)}
_VOWELS = "aeiouy"
_SOUNDS = (_VOWELS, "cksq", "sz", "mn", "fv", "gj")  # letters people swap by sound ("vegitarian", "coeliak")
_FIRSTS = {"c": "cks", "k": "kcs", "s": "sck"}  # a first letter said alike ("selery" is "celery")
_FAR = 0.5  # a letter typed for one that neither sounds like it nor is next to it on the keyboard: less likely


@dataclass(frozen=True, slots=True)
class _Candidate:
    word: str
    cost: float
    within: bool  # the typo is the word with letters left out


def _within(short: str, word: str) -> bool:
    """``short`` is ``word`` with letters left out, its first letter kept."""
    letters = iter(word)
    return len(short) < len(word) and short[:1] == word[:1] and all(c in letters for c in short)


def _left_out_cost(short: str, word: str) -> float:
    """What leaving letters of ``word`` out costs: half an edit for a vowel or one of a double letter, the
    likeliest slips of all ("dinr", "husbnd", "alergic"), a whole edit for another letter ("prefere" is far from
    "preferred")."""
    cost, i = 0.0, 0
    for j, letter in enumerate(word):
        if i < len(short) and short[i] == letter:
            i += 1
            continue
        doubled = letter in word[max(0, j - 1) : j] + word[j + 1 : j + 2]
        cost += 0.5 if letter in _VOWELS or doubled else 1.0
    return cost


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
            return None  # two words as close and as used: either may be meant
        ordinary = self._ordinary(word)
        if ordinary and best.cost > 1:
            return None  # an ordinary word is closer ("adress" is "address", not "access")
        if best.cost == 1 and any(n > _MORE_USED * self._prior(best.word) for n in ordinary.values()):
            return None  # an ordinary word as close and much more used: the typo may as well be that
        return None if best.word in self._elsewhere else best.word

    def compound(self, word: str) -> tuple[str, str] | None:
        """Two vocabulary words run together ("glutenfree", "treenuts"), or None."""
        for cut in range(3, len(word) - 2):
            head, tail = word[:cut], word[cut:]
            if head in self.known and tail in self.known and head not in self._elsewhere:
                return head, tail
        return None

    def _candidates(self, word: str) -> list[_Candidate]:
        pool = [w for first in _FIRSTS.get(word[0], word[0]) for w in self._by_initial.get(first, [])]
        limit = _limit(len(word))
        found = {}
        for w, _, _ in _close(word, pool, limit):
            cost = _slip_cost(word, w)
            if cost <= limit:
                found[w] = _Candidate(w, cost, False)
        for w in pool:
            missing = len(w) - len(word)
            if len(word) >= 4 and 0 < missing <= max(2, len(w) // 3) and _within(word, w):
                left_out = _left_out_cost(word, w)
                if w not in found or left_out <= found[w].cost:
                    found[w] = _Candidate(w, left_out, True)
        return list(found.values())

    def _ordinary(self, word: str) -> dict[str, int]:
        return {w: n for w, n in english.one_edit_away(word).items() if w not in self.known}

    @staticmethod
    def _prior(word: str) -> int:
        return max(english.count(word), _COMMON)


def _rank(candidate: _Candidate, word: str) -> tuple[float, bool, bool, int, int]:
    """Nearest first; on a tie the word the typo leaves letters out of, then the one it doubles a letter of
    ("vegann" -> "vegan", not "vegans"), then the more used ("eggz" -> "eggs", "prefere" -> "prefer"), then the
    one of its length."""
    doubled = any(word[:i] + word[i + 1 :] == candidate.word for i in range(1, len(word)) if word[i] == word[i - 1])
    used = -english.count(candidate.word)
    return candidate.cost, not _within(word, candidate.word), not doubled, used, abs(len(candidate.word) - len(word))


def _next_to(a: str, b: str) -> bool:
    """Keys side by side or one row apart on a QWERTY keyboard."""
    if a not in _KEYS or b not in _KEYS:
        return False
    (ra, ia), (rb, ib) = _KEYS[a], _KEYS[b]
    return (
        (ra == rb and abs(ia - ib) == 1)
        or (rb == ra + 1 and ib in (ia - 1, ia))
        or (rb == ra - 1 and ib in (ia, ia + 1))
    )


def _slip_cost(typo: str, word: str) -> float:
    """The edit distance of a typing slip, letters swapped counted once, a letter typed for another costing more
    when it neither sounds like it, nor sits beside it on the keyboard, nor repeats its neighbour ("egss")."""
    prev: list[float] = [float(j) for j in range(len(word) + 1)]
    before: list[float] = prev
    for i, a in enumerate(typo, 1):
        row = [float(i)] + [0.0] * len(word)
        for j, b in enumerate(word, 1):
            swap = (
                0.0
                if a == b
                else 1.0
                if _alike(a, b) or a in typo[max(0, i - 2) : i - 1] + typo[i : i + 1]
                else 1 + _FAR
            )
            row[j] = min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + swap)
            if i > 1 and j > 1 and a == word[j - 2] and typo[i - 2] == b:
                row[j] = min(row[j], before[j - 2] + 1)
        before, prev = prev, row
    return prev[-1]


def _alike(a: str, b: str) -> bool:
    return _next_to(a, b) or any(a in s and b in s for s in _SOUNDS)


def _close(word: str, pool: list[str], limit: int) -> list[tuple[str, float, int]]:
    return process.extract(word, pool, scorer=OSA.distance, score_cutoff=limit, limit=None)


def _variants(a: str, b: str) -> bool:
    """One word in two numbers ("hotel", "hotels"): not a choice between two words."""
    return a.rstrip("s") == b.rstrip("s")
