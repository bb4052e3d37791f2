"""Whose need it is, read from the parse where the words say it outright (issue 21 whose_need, attack11 H2).

- A person the relations list does not know, said with more words: "my maths teacher" (the parser hangs "my" on
  "maths"), "my personal trainer", "my date tonight", "our guide tomorrow", "User's date on 2026-12-06". The owner
  word may sit on a modifier of the noun, and a time said beside it is no part of who it is; the person is the
  noun, never the user.
- A need owned by a predicate: "the nut allergy isn't mine", "the allergy is my son's", "the peanut allergy is
  User's girlfriend's". The possessive after "be" says whose it is; said with "not", it is nobody's here (a
  denial that names the user is no retraction of anything stored).
- A denial beside someone else's need in one message: "a kosher dinner for 3, it's for my in-laws, I'm not kosher
  myself". The user said they do not hold it; a requirement in the same message ("a kosher dinner") is the party's,
  held by the other person, not the user's.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING

from concierge.needs.person_or_thing import names_another_person, owns_no_need

if TYPE_CHECKING:
    from spacy.tokens import Token

    from concierge.needs.detect import DetectedNeed

USER = "user"  # concierge.needs.detect.USER (not imported: detect imports this module)
_OWNER_WORDS = frozenset({"my", "our", "user"})
_MINE = frozenset({"mine", "ours"})
_SUBJECTS = frozenset({"nsubj", "nsubjpass"})
_NOT_WHO = frozenset({"new", "same", "other", "only"})  # "the new intern": the intern
_TIME_WORDS = frozenset({"npadvmod", "nmod"})  # "my date tonight", "our guide tomorrow"


def _owned_by_the_user(noun: Token) -> bool:
    """ "my teacher", "our guide", "User's date", and "my maths teacher" where the parser hangs "my" on "maths"."""
    for child in noun.children:
        if child.dep_ == "poss" and child.norm_ in _OWNER_WORDS:
            return True
        modifier = child.dep_ == "compound" and child.i < noun.i  # "my maths teacher": "my" hangs on "maths"
        if modifier and any(g.dep_ == "poss" and g.norm_ in _OWNER_WORDS for g in child.children):
            return True
    return False


def _as_said(noun: Token) -> str:
    """The person's noun with the words that say which one ("personal trainer", "maths teacher"), without the
    owner and without a time ("tonight", "on 2026-12-06"), for asking the model whether it names a person."""
    words = [
        t.lower_
        for t in noun.lefts
        if t.dep_ in ("compound", "amod") and not any(g.dep_ == "poss" for g in t.children) and t.is_alpha
    ]
    return " ".join([*words, noun.lemma_.lower()])


def someone_of_mine(subject: Token) -> bool:
    """A person of the user's the relations list does not know ("my teacher", "my maths teacher", "my date
    tonight"), said alone as the subject ("my teacher and I are vegan" is both of them)."""
    if subject.pos_ != "NOUN" or any(c.dep_ == "conj" for c in subject.children):
        return False
    return _owned_by_the_user(subject) and names_another_person(_as_said(subject))


def someone_unlisted(subject: Token, person: Callable[[Token], list[str] | None]) -> str | None:
    """The holder a person the relations list does not know is (attack12 H2, H3), or None: "my teacher" ->
    "teacher"; the last person of a chain, "my mother's carer" -> "mother's carer" (never the mother: a role is a
    person, not a modifier); "the bride", "the birthday boy", "the new intern who's joining us": someone of the
    user's party. An object or an animal is nobody (``owns_no_need``; "my son's hamster" is read before this)."""
    if someone_of_mine(subject):
        return subject.lower_
    if subject.pos_ != "NOUN" or any(c.dep_ == "conj" for c in subject.children):
        return None
    said = _as_said(subject)
    if not names_another_person(said) or owns_no_need(subject.lemma_):  # "the best man": a man
        return None
    owner = next((c for c in subject.children if c.dep_ == "poss" and _possessive(c)), None)
    if owner is not None:
        who = person(owner)
        ending = "'" if who and who[0].endswith("s") else "'s"  # "the kids' nanny"
        return f"{who[0]}{ending} {subject.lower_}" if who and who != [USER] else None
    definite = any(c.dep_ == "det" and c.norm_ == "the" for c in subject.children)
    return " ".join(w for w in said.split() if w not in _NOT_WHO) if definite else None


def owner_of_a_thing(tok: Token) -> bool:
    """ "my son's hamster", "my wife's car": the possessor of an object or an animal, who holds nothing a sentence
    says of it; "my son's stomach" is his. The owned noun is the first after the "'s" (the parser may read "my
    son's hamster diarrhoea" as the son's diarrhoea, with "hamster" its compound)."""
    if tok.dep_ != "poss" or tok.head.i <= tok.i:
        return False
    owned = next((t for t in tok.doc[tok.i + 1 : tok.head.i + 1] if t.pos_ == "NOUN"), tok.head)
    return owns_no_need(owned.lemma_)


def befalls_a_thing(tokens: Iterable[Token]) -> bool:
    """A reaction said of someone's animal or object ("eggs give my son's hamster diarrhoea"): nobody's need."""
    return any(owner_of_a_thing(t) for t in tokens)


def subject_through_aux(node: Token) -> Token | None:
    """The subject the parser hung on an auxiliary of ``node``: "my trainer is gluten-free" parses "gluten" as the
    verb with "is" as its auxiliary, and "trainer" as the subject of "is"."""
    for aux in (c for c in node.children if c.dep_ in ("aux", "auxpass")):
        subject = next((c for c in aux.children if c.dep_ in _SUBJECTS), None)
        if subject is not None:
            return subject
    return None


def _need_noun(tok: Token) -> Token:
    """The noun a need word qualifies: "nut" -> "allergy" in "the nut allergy"."""
    node = tok
    while node.dep_ in ("compound", "amod") and node.head.i != node.i:
        node = node.head
    return node


def predicate_owner(tok: Token, person: Callable[[Token], list[str] | None]) -> list[str] | None:
    """Whose a need is by a possessive after "be": "the nut allergy isn't mine" -> nobody here ([]), "the allergy
    is my son's" -> the son; None when the need is not the subject of such a predicate."""
    noun = _need_noun(tok)
    if noun.dep_ not in _SUBJECTS or noun.head.lemma_ != "be":
        return None
    verb = noun.head
    owner = next((c for c in verb.children if c.dep_ in ("attr", "acomp") and _possessive(c)), None)
    if owner is None:
        return None
    # "is my son's, not mine": the parser may hang the son on "mine"; the first possessive said is the owner
    if owner.norm_ in _MINE:
        owner = min([owner, *(c for c in owner.children if c.dep_ == "poss" and _possessive(c))], key=lambda t: t.i)
    if any(c.dep_ == "neg" and c.i < owner.i for c in verb.children):  # "is mine, not my son's" is the user's
        return []  # "isn't mine", "isn't my son's": said of nobody here; whose it is comes in its own clause
    if owner.norm_ in _MINE:
        return [USER]
    return person(owner)


def _possessive(word: Token) -> bool:
    """ "mine", "ours", or a noun with its "'s" ("my girlfriend's", "User's girlfriend's")."""
    return word.norm_ in _MINE or any(c.dep_ == "case" and c.norm_ in ("'s", "'") for c in word.children)


def denied_by_the_user(found: Sequence[DetectedNeed], denied: Iterable[str]) -> list[DetectedNeed]:
    """``found`` without the user's active statement of a need that the same text ``denied`` of the user while
    someone else holds it ("a kosher dinner ..., it's for my in-laws, I'm not kosher myself"): the party needs it,
    through them. ``denied`` is read before the mood settles a clause (an emphatic "myself" is no plain
    retraction, but it still says the need is not the user's)."""
    gone = set(denied) & {d.need_id for d in found if d.holder != USER and d.active}
    return [d for d in found if not (d.holder == USER and d.active and d.need_id in gone)]


__all__ = [
    "befalls_a_thing",
    "denied_by_the_user",
    "owner_of_a_thing",
    "predicate_owner",
    "someone_of_mine",
    "someone_unlisted",
    "subject_through_aux",
]
