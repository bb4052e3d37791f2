"""Names typed in lower case after a relation: "my nephew tom is allergic to peanuts" is Tom's need.

The small tagger reads a capitalised word after a relation as a name in apposition ("my nephew Tom"), but a lower
case one as a noun it cannot place, and the need fell to the user. A word right after "my / our <relation>" is a
name when the parser calls it a singular noun, it is no stop word, vocabulary word, day, time of year or word for
a group ("my friend group is vegan"), and the clause goes on with a verb or a break ("my son leo, who is 5, ...").
The detector re-reads the text with those names capitalised, as the memory layer keeps them.
"""

from __future__ import annotations

import calendar
from typing import TYPE_CHECKING

from concierge.needs import nlp

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

    from concierge.needs.lexicon import Lexicon

_OWNERS = frozenset({"my", "our", "his", "her", "their", "'s"})
_GROUPS = frozenset({"group", "groups", "party", "team", "circle", "club", "crew", "gang", "family", "members"})
_NOT_NAMES = _GROUPS | {
    *(n.lower() for names in (calendar.day_name, calendar.day_abbr, calendar.month_name) for n in names if n),
    *("lol", "btw", "tbh", "pls", "plz", "tho", "nowadays", "today", "tonight", "tomorrow", "yesterday"),
}
_SINGULAR_NOUNS = frozenset({"NN", "NNP"})
_BREAKS = frozenset({",", ";", ":", "(", "-", "–", "—", ".", "!", "?"})  # noqa: RUF001


def _goes_on(tok: Token) -> bool:
    """The word after the candidate name: a verb ("tom is", "sam can't"), a break or "and" / "who"."""
    doc = tok.doc
    if tok.i + 1 == len(doc):
        return True
    after = doc[tok.i + 1]
    return after.pos_ in ("AUX", "VERB") or after.text in _BREAKS or after.norm_ in ("and", "who", "too")


def _noun_of_no_word(tok: Token) -> bool:
    """A singular noun, or a "plural" or "adverb" that is no English word ("ines", "lucas", "priya")."""
    if tok.tag_ in _SINGULAR_NOUNS:
        return True
    english = nlp.english_words()
    return tok.tag_ in ("NNS", "RB") and tok.lower_ not in english and tok.lemma_.lower() not in english


def _is_lower_name(tok: Token, lexicon: Lexicon) -> bool:
    if tok.i < 2 or not tok.is_alpha or not tok.text.islower() or len(tok.text) < 2:
        return False
    relation, owner = tok.doc[tok.i - 1], tok.doc[tok.i - 2]
    if owner.norm_ not in _OWNERS or relation.tag_ != "NN" or (relation.norm_,) not in lexicon.cues["companions"]:
        return False
    if not _noun_of_no_word(tok) or tok.is_stop or tok.lower_ in _NOT_NAMES or tok.lower_.endswith("ly"):
        return False
    known = lexicon.is_known(lexicon.canonical(tok)) or (tok.norm_,) in lexicon.cues["times"]
    return not known and (tok.norm_,) not in lexicon.cues["companions"] and _goes_on(tok)


def capitalised_names(doc: Doc, lexicon: Lexicon) -> str | None:
    """The text with lower-case names after a relation capitalised ("my son leo" -> "my son Leo"), None if none."""
    found = {tok.i for tok in doc if _is_lower_name(tok, lexicon)}
    if not found:
        return None
    return "".join((t.text.capitalize() if t.i in found else t.text) + t.whitespace_ for t in doc)


TITLES = frozenset({"mr", "mrs", "ms", "miss", "dr", "prof", "sir", "madam", "mx", "st", "saint", "rev", "fr"})


def full_name(tok: Token) -> str:
    """ "Ann Lee", "my friend Tom Lee": a name with the given names the parser hangs on it as compounds, so the
    holder is "Ann Lee", never "Lee" (attack9 LOW); a title or a word before them ("Dr", "Little") is no name."""
    start = tok.i
    while start > 0 and _given_name(tok.doc[start - 1], tok):
        start -= 1
    return " ".join(t.text for t in tok.doc[start : tok.i + 1])


def _given_name(word: Token, name: Token) -> bool:
    return (
        word.dep_ == "compound"
        and word.head.i == name.i
        and word.pos_ == "PROPN"
        and word.text[:1].isupper()
        and word.lower_.rstrip(".") not in TITLES
    )
