"""A need word used in another sense, read from the parse: it then states no need, whoever says it.

- it qualifies another word it is glued to or followed by ("vegan-friendly", "kosher-curious", "deaf-initely",
  "blind drunk"): that word is what is said of the person; a word of the needs vocabulary after it ("nut-free",
  "lactose-intolerant", "deaf and blind") keeps the need, and so does a compound describing a thing ("a
  wheelchair-accessible room", "a vegan-friendly place"), which the detector reads as a request;
- a sense word with a "to" complement is figurative ("deaf to my complaints", "blind to my faults"): a sense is
  lost in an ear or an eye ("deaf in one ear"), not towards someone;
- it is the subject matter of a verb of teaching, studying or trade ("teaches sign language", "repairs
  wheelchairs");
- it is part of a title ("'The Vegan Cookbook'", "The Blind Side"): quoted words in title case, or a run of
  capitalised words that a capitalised "The" opens mid-sentence;
- a food someone owns is a nickname or a thing, not a food eaten ("our peanut is allergic to eggs").
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.tokens import Token

Known = Callable[[str], bool]  # a word of the needs vocabulary (a need, a food or a cue)
IsPerson = Callable[["Token"], bool]  # a subject that names a person ("I", "my wife", "Tom")

_HYPHENS = frozenset({"-", "\u2013", "\u2010"})
_QUOTES = frozenset({"'", '"', "\u2018", "\u2019", "\u201c", "\u201d"})
_QUALIFIED = frozenset({"JJ", "JJR", "JJS"})  # "blind drunk": an adjective said of the person instead
_SAID_OF = frozenset({"acomp", "attr", "advmod", "advcl", "oprd", "xcomp"})  # links from a predicate to its verb
_LINKING = frozenset({"be", "become", "go", "get", "seem", "look", "feel", "stay", "remain", "turn", "sound", "act"})
_TITLE_OPENERS = frozenset({"The", "A", "An"})
_OWNERS = frozenset({"my", "our", "his", "her", "their", "your", "user"})  # "User's peanut": the stored form
_TOPIC = re.compile(  # verbs whose object is a subject matter or goods: "teaches sign language", "sells wheelchairs"
    r"teach(?:es|ing)?|taught|learn(?:s|t|ed|ing)?|stud(?:y|ies|ied|ying)|research(?:es|ed|ing)?|interpret(?:s|ed|ing)?"
    r"|translat(?:e|es|ed|ing)|sell(?:s|ing)?|sold|repair(?:s|ed|ing)?|fix(?:es|ed|ing)?|design(?:s|ed|ing)?"
    r"|review(?:s|ed|ing)?|manufactur(?:e|es|ed|ing)"
)


def qualifies_another_word(last: Token, known: Known, is_person: IsPerson) -> bool:
    """ "vegan-friendly", "deaf-initely", "blind drunk": said of a person, the need word is glued by a hyphen to, or
    is an adjective right before, a word outside the vocabulary, which is what is said of them. Said of a place
    ("the restaurant has to be wheelchair-friendly", "a vegan-friendly place") the compound asks for the need."""
    doc = last.doc
    glued = (
        last.i + 2 < len(doc)
        and doc[last.i + 1].text in _HYPHENS
        and not last.whitespace_
        and not doc[last.i + 1].whitespace_
    )
    nxt = doc[last.i + 2] if glued else (doc[last.i + 1] if last.i + 1 < len(doc) else None)
    if nxt is None or not nxt.is_alpha or known(nxt.lower_):
        return False
    if not glued and (nxt.tag_ not in _QUALIFIED or last.pos_ != "ADJ"):
        return False
    subject = _predicate_subject(nxt)
    return subject is not None and is_person(subject)


def _predicate_subject(word: Token) -> Token | None:
    """The subject ``word`` is said of: "my wife is vegan-friendly" -> wife, "I'm a kosher-curious carnivore" -> I,
    "my dad went blind drunk" -> dad; None when it describes a thing ("somewhere wheelchair friendly")."""
    node = word.head if word.dep_ == "amod" and word.head.dep_ in ("attr", "acomp") else word
    for _ in range(3):
        if node.dep_ not in _SAID_OF or node.head.i == node.i:
            return None
        node = node.head
        subject = next((c for c in node.children if c.dep_ in ("nsubj", "nsubjpass")), None)
        if subject is not None:
            return subject if node.lemma_.lower() in _LINKING else None  # "can u find somewhere vegan-friendly"
    return None


def figurative(last: Token) -> bool:
    """ "deaf to my complaints", "blind to my faults": a sense word with a "to" complement."""
    return any(c.dep_ == "prep" and c.lower_ == "to" for c in last.children)


def a_topic(tokens: list[Token]) -> bool:
    """ "my wife teaches sign language", "my mum sells hearing aids": the need is what someone teaches, studies or
    sells, not theirs. The verb is read from the parse, or as the word right before the need words (the small
    parser reads "studies" in "my son studies sign language" as a noun)."""
    inside = {t.i for t in tokens}
    node = tokens[-1]
    while node.head.i != node.i and (node.head.i in inside or node.dep_ in ("compound", "amod", "nmod", "conj")):
        node = node.head
    verb = node.head if node.dep_ in ("dobj", "pobj", "xcomp") else None
    if verb is not None and verb.dep_ == "prep":
        verb = verb.head
    before = next((t for t in reversed(tokens[0].doc[: tokens[0].i]) if t.dep_ != "det" and t.pos_ != "DET"), None)
    return any(w is not None and bool(_TOPIC.fullmatch(w.lower_)) for w in (verb, before))


def in_a_title(tokens: list[Token]) -> bool:
    """ "I read 'The Vegan Cookbook'", "we watched The Blind Side": the need word names a work, not a person."""
    first, doc = tokens[0], tokens[0].doc
    run = first.i
    while run > 0 and doc[run - 1].text[:1].isupper() and doc[run - 1].is_alpha:
        run -= 1
    opened = doc[run].text in _TITLE_OPENERS and not doc[run].is_sent_start and run < first.i
    quoted = run > 0 and doc[run - 1].text in _QUOTES and first.text[:1].isupper()
    return opened or quoted


def a_nickname(tokens: list[Token]) -> bool:
    """ "our peanut is allergic to eggs", "my little peanut is vegan": a food owned and said of is a nickname."""
    head = tokens[-1]
    owned = any(c.dep_ == "poss" and c.lower_ in _OWNERS for c in head.children)
    return owned and head.dep_ in ("nsubj", "nsubjpass")


def other_sense(tokens: list[Token], known: Known, is_person: IsPerson, *, sense: bool, food: bool) -> bool:
    """Whether the need words ``tokens`` are used in another sense (see the module doc). ``sense``: a word of a
    sense (deaf, blind); ``food``: a food word, which needs a cue to be a need."""
    last = tokens[-1]
    if food:
        return a_nickname(tokens) or in_a_title(tokens)
    return (
        qualifies_another_word(last, known, is_person)
        or (sense and figurative(last))
        or a_topic(tokens)
        or in_a_title(tokens)
    )
