"""Typos read as the words the reader knows: "dinr in Rome tmrw, my husbnd and i r vegitarian, im alergic to egs".

One respeller for every reader of a message. A word is respelt only when it is no English word (``needs.english``:
"legs", "fist" and "Sony" stay as said), not a name (capitalised inside a sentence: places are read by the
gazetteer), and surely a typo of one word of the reader's vocabulary (``needs.speller``). Chat shorthand and dropped
apostrophes are written out first (``needs.shorthand``), and a person's "is" with its apostrophe dropped ("my
wifes allergic") gets it back. Needs are so stored in their canonical words: "im alergic to penuts" is stored as
"I'm allergic to peanuts".
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from concierge.needs import english, nlp
from concierge.needs.lexicon import Lexicon, is_word, lexicon_for
from concierge.needs.shorthand import DAY_SHORTHAND, day_written_out, written_out
from concierge.needs.speller import Speller
from concierge.needs.vocabulary import NeedVocabulary, load_vocabulary

if TYPE_CHECKING:
    from spacy.tokens import Doc

_WORD = re.compile("[^\\W_]+(?:['\u2019][^\\W\\d_]+)?")
_OWNERS = frozenset({"my", "our", "his", "her", "their"})
_ADJECTIVE = ("ic", "ant", "ive")  # the cues said of a person ("allergic", "intolerant", "sensitive"), not verbs


@dataclass(frozen=True, slots=True)
class Words:
    """What a respeller knows: its ``speller``, the ``people`` a need can belong to ("wife", "husband"), the
    ``states`` that follow "is" in a need ("allergic", "vegan"), and the words that name a need or a food (``needs``:
    an English word is never respelt into one of them, "vegetating" is no "vegetarian")."""

    speller: Speller
    people: frozenset[str]
    states: frozenset[str]
    needs: frozenset[str] = frozenset()


def respelled(text: str, words: Words) -> str:
    """``text`` with shorthand written out and typos of the vocabulary's words respelt; everything else as said."""
    found = list(_WORD.finditer(text))
    out, last = [], 0
    for i, m in enumerate(found):
        before = found[i - 1].group(0).lower() if i else ""
        after = found[i + 1].group(0).lower() if i + 1 < len(found) else ""
        start = not text[: m.start()].strip() or text[: m.start()].rstrip()[-1:] in ".!?"
        meant = _meant(m.group(0), words, start=start, around=(before, after))
        if meant is not None and meant != m.group(0):
            out += [text[last : m.start()], meant]
            last = m.end() + _abbreviation_dot(text, m.end(), meant)
    return "".join([*out, text[last:]]) if out else text


def _abbreviation_dot(text: str, end: int, meant: str) -> int:
    """1 when a day written out was an abbreviation with its dot ("on Fri. 12 Dec"): the dot goes with it."""
    return 1 if meant in DAY_SHORTHAND.values() and text[end : end + 1] == "." else 0


def _meant(said: str, words: Words, *, start: bool, around: tuple[str, str]) -> str | None:
    inside = said[:1].isupper() and not start
    if (short := written_out(said, beside_words=any(around), capitalised_inside=inside)) is not None:
        return short
    lower = said.lower()
    if (day := day_written_out(lower, *around)) is not None:
        return day  # "lunch on sat": the parse reads a verb "sat" and loses the clause around it
    if inside or not lower.isalpha():
        return None  # a name, a place, a word with its apostrophe, a number
    if (owned := _possessive(lower, words, *around)) is not None:
        return owned
    if english.is_english(lower) and not english.rare(lower):
        return None
    meant = words.speller.meant(lower)
    if meant is None and (parts := words.speller.compound(lower)) is not None:
        meant = " ".join(parts)
    if (
        meant is not None
        and english.word_form(lower)
        and set(meant.split()) & words.needs
        and not _plural(lower, meant)
    ):
        return None  # a rare word as said ("vegetating"): never made a need by respelling it ("sesames" is "sesame")
    return meant.capitalize() if meant and said[:1].isupper() else meant


def _plural(said: str, word: str) -> bool:
    """``said`` is ``word`` in the other number ("tunas", "sesames"): the same word, respelt to the vocabulary's."""
    return said in (word + "s", word + "es") or word in (said + "s", said + "es")


def _possessive(lower: str, words: Words, before: str, after: str) -> str | None:
    """A person's "is" with its apostrophe dropped: "my wifes allergic" is "my wife is allergic" (said in full: the
    parse reads "husband's allergic" as the husband's allergy, whose is not said), "my wifes birthday" is "my
    wife's birthday". A plural that is a word ("husbands") only between "my" and a need's word."""
    person = lower[:-1]
    if not lower.endswith("s") or person not in words.people:
        return None
    if after in words.states and (before in _OWNERS or not english.is_english(lower)):
        return f"{person} is"
    return None if english.is_english(lower) else f"{person}'s"


def need_words(lexicon: Lexicon, extra: Iterable[str] = (), *, read_elsewhere: Iterable[str] = ()) -> Words:
    """The needs vocabulary's words (need words, cues, people), with ``extra`` words another reader knows. A need's
    state is a word that states one after "is" ("vegan", "gluten" of "gluten free", "allergic", "coeliac")."""
    people = frozenset(p[0] for p in lexicon.cues["companions"] if len(p) == 1)
    says = {p for p, uses in lexicon.need_phrases.items() if any(role == "says" for _, role in uses)}
    alone = {p[0] for p in (*lexicon.need_phrases, *lexicon.cues["avoid"]) if len(p) == 1}
    said_of = {p[0] for p in lexicon.cues["avoid"] if len(p) == 1 and p[0].endswith(_ADJECTIVE)}  # "allergic"
    states = {p[0] for p in says if p[0] in alone} | said_of
    extra, elsewhere = tuple(extra), tuple(read_elsewhere)
    speller = (
        Speller([*lexicon.speller.known, *extra], read_elsewhere=elsewhere) if extra or elsewhere else lexicon.speller
    )
    needs = frozenset(w for p in lexicon.need_phrases for w in p if w.isalpha())
    return Words(speller, people, frozenset(w for w in states if w.isalpha()), needs)


_words: dict[int, tuple[Lexicon, Words]] = {}


def words_for(lexicon: Lexicon) -> Words:
    """One needs respeller per lexicon (built on first use)."""
    entry = _words.get(id(lexicon))
    if entry is None or entry[0] is not lexicon:
        entry = _words[id(lexicon)] = (lexicon, need_words(lexicon))
    return entry[1]


def respelt(doc: Doc, lexicon: Lexicon) -> str | None:
    """The parsed text with its misspelt need and cue words replaced by the vocabulary's own, or None if none is."""
    out: list[str] = []
    changed = False
    for tok in doc:
        word = lexicon.canonical(tok) if is_word(tok) else tok.norm_
        if is_word(tok) and word != tok.norm_ and lexicon.is_known(word):
            out.append(word + tok.whitespace_)
            changed = True
        else:
            out.append(tok.text_with_ws)
    return "".join(out) if changed else None


def spelled_out(text: str, vocabulary: NeedVocabulary | None = None) -> str:
    """``text`` with shorthand written out and misspelt need and cue words replaced by the vocabulary's own."""
    lexicon = lexicon_for(vocabulary or load_vocabulary())
    text = respelled(text, words_for(lexicon))
    return respelt(nlp.parse([text])[0], lexicon) or text
