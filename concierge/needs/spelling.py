"""Needs kept in their canonical words: "im alergic to penuts" is stored as "i'm allergic to peanuts".

The needs reader already tolerates typos (``Lexicon.canonical``: one edit on words of six letters, two from
nine); a memory written with the typo would still be read, but people, exports and searches see the words as
typed. This rewrites each misspelt vocabulary word to the word it stands for, and leaves every other word as said.
The detector reads the respelt text too: a misspelt word ("sesmae", "glutten") misleads the parse (it is tagged a
verb), and with it whose need it is, even though the word itself is read.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from concierge.needs import nlp
from concierge.needs.lexicon import Lexicon, is_word, lexicon_for
from concierge.needs.vocabulary import NeedVocabulary, load_vocabulary

if TYPE_CHECKING:
    from spacy.tokens import Doc


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
    """``text`` with misspelt need and cue words replaced by the vocabulary's own words."""
    lexicon = lexicon_for(vocabulary or load_vocabulary())
    return respelt(nlp.parse([text])[0], lexicon) or text
