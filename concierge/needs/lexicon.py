"""Phrase look-up over spaCy token norms, with typo correction toward the vocabulary's own words.

Text and vocabulary phrases go through the same tokenizer and norms ("can't" -> "can not",
"favourite" -> "favorite"), so a phrase written once in YAML matches however it is typed. A word
that is not English and surely a typo of a vocabulary word (``concierge.needs.speller``) is read as
that word ("penuts", "vegitarian", "alergic", "egs"); real words ("almost", "blinds") are never corrected.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from concierge.needs import english, nlp
from concierge.needs.speller import Speller
from concierge.needs.vocabulary import NeedVocabulary

if TYPE_CHECKING:
    from spacy.tokens import Token

Phrase = tuple[str, ...]
_HYPHENS = frozenset({"-", "–", "‐"})  # noqa: RUF001 (the en dash and hyphen are what people type)
_MIN_TYPO_LENGTH = 3  # "egs", "fsh": the speller weighs short words against the English ones as close


@dataclass(frozen=True, slots=True)
class Span:
    """Words ``start`` .. ``end`` (exclusive) of a word list matched ``phrase``."""

    start: int
    end: int
    phrase: Phrase


def is_word(token: Token) -> bool:
    """Tokens phrases are matched over: everything but hyphens and spaces ("gluten-free" == "gluten free")."""
    return token.text not in _HYPHENS and not token.is_space


def _tokens(text: str) -> Phrase:
    return tuple(t.norm_ for t in nlp.pipeline().tokenizer(text) if is_word(t))


class Lexicon:
    """Every phrase of one vocabulary, indexed for longest-first matching."""

    def __init__(self, vocabulary: NeedVocabulary) -> None:
        self.need_phrases: dict[Phrase, list[tuple[str, str]]] = defaultdict(list)  # phrase -> [(need id, role)]
        for spec in vocabulary.specs:
            for role, phrases in (("says", spec.says), ("foods", spec.foods), ("causes", spec.causes)):
                for phrase in phrases:
                    self.need_phrases[_tokens(phrase)].append((spec.id, role))
        self.own: dict[str, frozenset[Phrase]] = {
            s.id: frozenset(_tokens(p) for p in s.own_words) for s in vocabulary.specs
        }
        self.exceptions: dict[str, frozenset[Phrase]] = {
            s.id: frozenset(_tokens(p) for p in s.except_) for s in vocabulary.specs
        }
        self.cues: dict[str, frozenset[Phrase]] = {
            name: frozenset(_tokens(p) for p in phrases) for name, phrases in vocabulary.cues
        }
        known = {w for p in self.need_phrases for w in p} | {w for ps in self.cues.values() for p in ps for w in p}
        self._known = frozenset(known)
        self.speller = Speller(known)  # the vocabulary's words, typos are read as
        # Words that are a phrase by themselves ("lactose"): "glutens" is their plural, not a typo
        phrases = (*self.need_phrases, *(p for ps in self.cues.values() for p in ps))
        self._whole = frozenset(p[0] for p in phrases if len(p) == 1)
        self._max_len = max(len(p) for p in phrases)

    def canonical(self, token: Token) -> str:
        """The token's norm, or the vocabulary word it is a typo of (``Speller``)."""
        word = token.norm_
        if word in self._known or len(word) < _MIN_TYPO_LENGTH or not word.isalpha():
            return word
        if english.is_english(word) or token.lemma_.lower() in nlp.english_words() or self._plural_of_word(word):
            return word  # a real word, or a plural the vocabulary spells differently
        if token.text[:1].isupper() and not token.is_sent_start:
            return word  # a name
        return self.speller.meant(word) or word

    def _plural_of_word(self, word: str) -> bool:
        """ "glutens": a vocabulary word with an "s"; not a letter doubled ("vegann", "peanutss")."""
        return word.endswith("s") and word[:-1] in self._whole and not word[:-1].endswith("s")

    def is_known(self, word: str) -> bool:
        return word in self._known

    def find(
        self,
        words: Sequence[str],
        phrases: Iterable[Phrase] | dict[Phrase, object],
        breaks: frozenset[int] = frozenset(),
    ) -> list[Span]:
        """Non-overlapping matches of ``phrases`` in ``words``, longest first, in text order. A phrase does not
        run across a word in ``breaks`` (punctuation before it: "dairy, intolerance" is not "dairy intolerance")."""
        wanted = phrases if isinstance(phrases, dict | frozenset | set) else frozenset(phrases)
        found: list[Span] = []
        i = 0
        while i < len(words):
            for size in range(min(self._max_len, len(words) - i), 0, -1):
                candidate = tuple(words[i : i + size])
                if size > 1 and any(j in breaks for j in range(i + 1, i + size)):
                    continue
                if candidate in wanted:
                    found.append(Span(i, i + size, candidate))
                    i += size
                    break
            else:
                i += 1
        return found

    def cue(self, words: Sequence[str], name: str, breaks: frozenset[int] = frozenset()) -> list[Span]:
        return self.find(words, self.cues[name], breaks)


_lexicons: dict[int, tuple[NeedVocabulary, Lexicon]] = {}


def lexicon_for(vocabulary: NeedVocabulary) -> Lexicon:
    """One lexicon per vocabulary object (built on first use; needs the tokenizer)."""
    entry = _lexicons.get(id(vocabulary))
    if entry is None or entry[0] is not vocabulary:
        entry = (vocabulary, Lexicon(vocabulary))
        _lexicons[id(vocabulary)] = entry
    return entry[1]
