"""The words said of a person that may tell them from another person of the same relation or name.

Why: "my foster son", "my 8-year-old son", "my big sister", "my first wife", "Little Tom" and "a son" may each be
someone else than "my son", "my sister", "my wife", "my friend Tom" (attack9 H2). The parse says which words
modify the relation noun or the name (amod, nummod, compound, npadvmod, a determiner); every one of them is a
qualifier, kept whole ("8-year-old", not "old"), except words of affection that never tell people apart ("my
lovely wife", "my dear mum") and the owner words ("my", "our", "User's"). A determiner counts only on a subject
said without an owner ("A son isn't allergic", "The son ..."): that is not plainly the user's own son.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.tokens import Token

OWN = frozenset({"my", "our", "user", "'s", "-", "the", "a", "an"})
# Words of affection or emphasis: said of the one person the user means, they tell nobody apart.
AFFECTION = frozenset(
    {"dear", "dearest", "lovely", "beloved", "darling", "sweet", "poor", "wonderful", "amazing", "beautiful",
     "gorgeous", "handsome", "own", "precious", "awesome", "fantastic", "sweetest", "loving", "very"}
)  # fmt: skip
DETERMINER = "det:"  # the qualifier of a subject said with "a" / "the" and no owner
_DETERMINERS = frozenset({"a", "an", "the", "this", "that", "some", "any"})
_MODIFIERS = frozenset({"amod", "nummod", "compound", "npadvmod", "nmod", "poss"})
_SUBJECTS = frozenset({"nsubj", "nsubjpass"})


def phrase(word: Token) -> str:
    """A modifier with its own modifiers, as one word: "8-year-old", "12 year old" -> "12-year-old"."""
    words = [t.lower_ for t in word.subtree if not t.is_punct and t.lower_ not in OWN]
    return "-".join(words) or word.lower_


def qualifier(child: Token) -> str | None:
    """What a word before a relation or a name says of the person ("older", "foster", "8-year-old", "ex", "friend" in
    "my friend's son"), or None for an owner word, a name, or a word of affection."""
    if child.dep_ not in _MODIFIERS or child.pos_ == "PROPN" or child.lower_ in OWN:
        return None
    whole = child.dep_ in ("amod", "nummod") and child.pos_ in ("ADJ", "NUM")
    said = phrase(child) if whole else child.lower_  # "8-year-old" whole; "foster", "friend" (friend's son) alone
    return None if said in AFFECTION else said


def qualifiers(noun: Token) -> frozenset[str]:
    """Every qualifier of ``noun`` (a relation or a name), with its determiner when it is an unowned subject."""
    found = {q for c in noun.children if (q := qualifier(c)) is not None}
    return frozenset(found) | determiner(noun)


def determiner(noun: Token) -> frozenset[str]:
    """ "A son isn't allergic", "The son isn't ...": a subject with no owner is not plainly the user's own."""
    if noun.dep_ not in _SUBJECTS or any(c.dep_ == "poss" for c in noun.children):
        return frozenset()
    det = next((c.lower_ for c in noun.children if c.dep_ == "det" and c.lower_ in _DETERMINERS), None)
    return frozenset({DETERMINER + det}) if det else frozenset()


def shown(qualifier: str) -> bool:
    """Whether a qualifier is said when naming the person back ("your big sister", never "your the son")."""
    return not qualifier.startswith(DETERMINER)


__all__ = ["AFFECTION", "DETERMINER", "OWN", "determiner", "phrase", "qualifier", "qualifiers", "shown"]
