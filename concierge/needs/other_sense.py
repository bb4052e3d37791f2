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
- a food someone owns is a nickname or a thing, not a food eaten ("our peanut is allergic to eggs"), and so is a
  food beside a noun in apposition ("Peanut, my little boy, is ...", "Sesame, my cat, is vegan");
- it is compared ("as blind as a bat", "deaf as a post"): a simile says how much, not that;
- a food that only qualifies something else one cannot eat ("allergic to peanut-butter jokes").
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
# verbs whose "about" object is a subject matter: "I write about coeliac disease", "she blogs about vegan food"
_ABOUT = frozenset(
    {"write", "blog", "talk", "read", "post", "tweet", "speak", "lecture", "podcast", "learn", "research", "teach",
     "study", "publish", "report", "film", "joke", "rant", "present"}
)  # fmt: skip
# verbs of making for others: "I cook halal for my customers", "I bake nut-free cakes for a living" is a trade
_MAKING = frozenset({"cook", "bake", "make", "prepare", "cater", "produce", "brew", "serve", "sell"})


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
    while node.head.i != node.i and (
        node.head.i in inside or node.dep_ in ("compound", "amod", "nmod", "conj", "npadvmod")
    ):
        node = node.head
    verb = node.head if node.dep_ in ("dobj", "pobj", "xcomp") else None
    if verb is not None and verb.dep_ == "prep":
        verb = verb.head
    before = next((t for t in reversed(tokens[0].doc[: tokens[0].i]) if t.dep_ != "det" and t.pos_ != "DET"), None)
    if any(w is not None and bool(_TOPIC.fullmatch(w.lower_)) for w in (verb, before)):
        return True
    owned = any(c.dep_ == "poss" for c in node.children)  # "I told you about my peanut allergy" is the user's
    about = node.dep_ == "pobj" and node.head.lower_ == "about" and node.head.head.lemma_.lower() in _ABOUT
    return not owned and about


def made_for_others(tokens: list[Token], is_person: IsPerson) -> bool:
    """ "I cook halal for my customers", "I bake nut-free cakes for a living": the need is of what is made for people
    outside the party (or for a living); "I cook vegan for my son" is the son's."""
    if _made_as_misread(tokens, is_person):
        return True
    node = tokens[-1]
    while node.head.i != node.i and node.pos_ not in ("VERB", "AUX"):
        node = node.head
    subject = next((c for c in node.children if c.dep_ == "nsubj"), None)
    if (
        node.lemma_.lower() not in _MAKING
        or subject is None
        or subject.lower_ in ("you", "u")
        or not is_person(subject)
    ):
        return False  # "can you make it vegan for my son" asks for the need
    objects = [c for c in node.children if c.dep_ == "dobj"]  # "for" may hang from the object: "cook vegan for ..."
    fors = [
        g for h in (node, *objects) for c in h.children if c.lower_ == "for" for g in c.children if g.dep_ == "pobj"
    ]
    counted = any(g.like_num or any(c.dep_ == "nummod" for c in g.children) for g in fors)  # "for 4 people"
    return bool(fors) and not counted and not any(is_person(g) for g in fors)


def _made_as_misread(tokens: list[Token], is_person: IsPerson) -> bool:
    """ "User cooks vegetarian for their customers" (a stored fact the small parser reads as a noun "User cooks"): a
    verb of making right before the need words, a person before it, and "for" people outside the party after."""
    doc, first = tokens[0].doc, tokens[0]
    if first.i < 2 or not any(doc[first.i - 1].lower_ in (m, m + "s", m + "es") for m in _MAKING):
        return False
    if not is_person(doc[first.i - 2]):
        return False
    after = doc[tokens[-1].i + 1 : tokens[-1].i + 2]
    fors = [g for t in after if t.lower_ == "for" for g in t.children if g.dep_ == "pobj"]
    counted = any(g.like_num or any(c.dep_ == "nummod" for c in g.children) for g in fors)
    return bool(fors) and not counted and not any(is_person(g) for g in fors)


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


def a_name(tokens: list[Token]) -> bool:
    """ "Peanut, my little boy, is ...", "my cat, Sesame, is vegan": a capitalised food beside someone's noun in
    apposition is a name ("eggs, allergy" and "No nuts, no shellfish" are foods: lower case, or owned by no one)."""
    head = tokens[-1]
    if not head.text[:1].isupper() or head.tag_ not in ("NN", "NNP"):
        return False
    beside = [c for c in head.children if c.dep_ == "appos" and any(g.dep_ == "poss" for g in c.children)]
    return bool(beside) or (head.dep_ == "appos" and head.head.pos_ == "NOUN") or _set_off_before(head)


def _set_off_before(name: Token) -> bool:
    """ "Almond, my dog, is ...": a capitalised word in the singular opening the sentence, then the subject between
    commas (the parser may not link them); "Peanuts, my son can't have them" has no second comma."""
    doc = name.doc
    if not name.is_sent_start:
        return False
    if name.i + 1 >= len(doc) or doc[name.i + 1].text != ",":
        return False
    subject = next((t for t in doc[name.i + 2 :] if t.dep_ in ("nsubj", "nsubjpass")), None)
    if subject is None:
        return False
    end = max(t.i for t in subject.subtree if not t.is_punct) + 1
    return end + 1 < len(doc) and doc[end].text == "," and doc[end + 1] == subject.head


def a_simile(last: Token, sense: bool) -> bool:
    """ "as blind as a bat", "deaf as a post": a comparison with a thing ("as vegan as they come" is a need: no
    thing compared); without the first "as" only for a sense ("vegan as a rule" is a need)."""
    said = [last, last.head] if last.dep_ in ("acomp", "attr") else [last]  # "is blind as a bat": "as" on "is"
    compared = any(
        c.dep_ == "prep" and c.lower_ == "as" and any(g.dep_ == "pobj" and g.pos_ == "NOUN" for g in c.children)
        for word in said
        for c in word.children
    )
    opened = any(c.dep_ == "advmod" and c.lower_ == "as" and c.i < last.i for c in last.children)
    return compared and (opened or sense)


def qualifies_a_non_food(tokens: list[Token], known: Known) -> bool:
    """ "allergic to peanut-butter jokes": the food only qualifies a noun that is no food and no word of the needs
    vocabulary ("peanut sauce", "egg noodles", "egg allergy" are foods or needs)."""
    from concierge.needs.person_or_thing import names_a_food

    node = tokens[-1]
    while node.dep_ in ("compound", "amod", "nmod") and node.head.i > node.i and node.head.pos_ == "NOUN":
        node = node.head
    if node is tokens[-1] or node.dep_ not in ("pobj", "dobj", "conj") or known(node.lower_):
        return False
    return not names_a_food(node.lemma_)


def other_sense(tokens: list[Token], known: Known, is_person: IsPerson, *, sense: bool, food: bool) -> bool:
    """Whether the need words ``tokens`` are used in another sense (see the module doc). ``sense``: a word of a
    sense (deaf, blind); ``food``: a food word, which needs a cue to be a need."""
    last = tokens[-1]
    if food:
        return (
            a_nickname(tokens)
            or a_name(tokens)
            or in_a_title(tokens)
            or a_topic(tokens)
            or made_for_others(tokens, is_person)
            or qualifies_a_non_food(tokens, known)
        )
    return (
        qualifies_another_word(last, known, is_person)
        or (sense and figurative(last))
        or a_simile(last, sense)
        or a_topic(tokens)
        or made_for_others(tokens, is_person)
        or in_a_title(tokens)
    )
