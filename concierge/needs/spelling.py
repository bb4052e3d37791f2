"""Needs kept in their canonical words: "im alergic to penuts" is stored as "i'm allergic to peanuts".

The needs reader already tolerates typos (``Lexicon.canonical``: one edit on words of six letters, two from
nine); a memory written with the typo would still be read, but people, exports and searches see the words as
typed. This rewrites each misspelt vocabulary word to the word it stands for, and leaves every other word as said.
"""

from __future__ import annotations

from concierge.needs import nlp
from concierge.needs.lexicon import is_word, lexicon_for
from concierge.needs.vocabulary import NeedVocabulary, load_vocabulary


def spelled_out(text: str, vocabulary: NeedVocabulary | None = None) -> str:
    """``text`` with misspelt need and cue words replaced by the vocabulary's own words."""
    lexicon = lexicon_for(vocabulary or load_vocabulary())
    doc = nlp.parse([text])[0]
    out: list[str] = []
    changed = False
    for tok in doc:
        word = lexicon.canonical(tok) if is_word(tok) else tok.norm_
        if is_word(tok) and word != tok.norm_ and lexicon.is_known(word):
            out.append(word + tok.whitespace_)
            changed = True
        else:
            out.append(tok.text_with_ws)
    return "".join(out) if changed else text
