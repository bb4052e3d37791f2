"""A need word said of no one, read from the parse: a need is a person's, so these state none (issue 24 M3).

- a property of a thing: the need words qualify, or are, a noun that is no person and is the subject of a statement
  ("Nut-free granola is bland", "Fish allergy stories scare me", "Egg-free cakes never rise"). A request keeps the
  need: the noun is no subject ("a nut-free lunch for 2", "gluten-free options please"), or the statement asks for
  it ("gluten-free pasta is a must", "nut-free snacks would be great"); whose the thing is decides nothing here;
- people in general: the need is attached to a bare plural or to "anyone" ("People with nut allergies should be
  careful", "Anyone with a peanut allergy ...", "Folks who are vegan ..."), not to someone of the party;
- a frame that states it of no one now: imagined, wished away, attempted once or said of being so in general
  ("Imagine being allergic to eggs", "I'd hate to be coeliac", "I tried being vegan once", "Being kosher must be
  hard"), and a state limited by a "when" clause ("My teenager is deaf when I call him for chores").
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.tokens import Token

IsPerson = Callable[["Token"], bool]
Known = Callable[["Token"], bool]  # a word of the needs vocabulary ("allergy", "intolerance", "diet")

_MODIFIERS = frozenset({"compound", "amod", "nmod", "npadvmod"})
_SUBJECTS = frozenset({"nsubj", "nsubjpass"})
_WISHING = frozenset({"would", "'d", "could", "might"})  # "I'd hate to be coeliac", "I'd never survive being vegan"
_ASKING = frozenset({"would", "'d", "could", "must", "should", "need"})  # "nut-free snacks would be great"
_NECESSARY = frozenset(
    {"must", "essential", "necessary", "important", "vital", "crucial", "mandatory", "requirement", "priority"}
)  # fmt: skip
_IMAGINING = frozenset({"imagine", "pretend", "picture", "envisage", "envision", "suppose", "fancy", "consider"})
_TRYING = frozenset({"try", "attempt"})
_ANYONE = frozenset({"anyone", "anybody", "everyone", "everybody", "whoever", "those", "nobody"})
_FIRST_PERSON = frozenset({"i", "me", "my", "we", "us", "our", "myself", "user"})
_WHEN = frozenset({"when", "whenever"})


def _noun_qualified(last: Token) -> Token:
    """The noun the need words qualify ("granola" in "Nut-free granola", "stories" in "Fish allergy stories")."""
    node = last
    while node.dep_ in _MODIFIERS and node.head.i != node.i and node.head.pos_ in ("NOUN", "PROPN", "ADJ"):
        node = node.head
    return node


def a_property_of_a_thing(tokens: list[Token], is_person: IsPerson, known: Known) -> bool:
    """ "Nut-free granola is bland", "Fish allergy stories scare me", "Lactose-free milk is expensive" (the food is
    the thing, free of another): see the module doc."""
    noun = _noun_qualified(tokens[-1])
    free_of = any(c.dep_ == "amod" and any(g.lower_ == "free" for g in c.subtree) for c in noun.children)
    if a_verb_read_as_a_noun(noun):
        return not (known(noun) or is_person(noun))  # "Dairy-free ice cream rocks."
    if (
        (noun.i in {t.i for t in tokens} and not free_of)
        or noun.pos_ not in ("NOUN", "PROPN")
        or noun.dep_ not in _SUBJECTS
    ):
        return False
    if known(noun) or is_person(noun):
        return False  # "My peanut allergy is severe", "a vegan friend is coming"
    verb = noun.head
    if verb.pos_ not in ("VERB", "AUX"):
        return False  # "gluten-free options please"
    asks = any(c.dep_ == "aux" and c.lower_ in _ASKING for c in verb.children)
    needed = any(c.lemma_.lower() in _NECESSARY for c in (verb, *verb.children) if c.dep_ in ("acomp", "attr", "ROOT"))
    return not (asks or needed)


def a_verb_read_as_a_noun(noun: Token) -> bool:
    """ "Dairy-free ice cream rocks.", "Wheat-free pizza crust crumbles.": a statement with no verb whose last word,
    a plural after a noun it compounds, is the verb the parser missed (said of the thing before it). A request keeps
    more around its noun ("gluten-free pasta dishes in Rome", "nut-free snacks for 2 please")."""
    sentence = noun.sent
    words = [t for t in sentence if not t.is_punct]
    if noun.dep_ != "ROOT" or noun.tag_ != "NNS" or not words or words[-1] != noun:
        return False
    if any(t.pos_ in ("VERB", "AUX") for t in sentence) or sentence[-1].text not in (".", "!"):
        return False
    children = list(noun.children)
    compound = any(c.dep_ == "compound" and c.pos_ == "NOUN" for c in children)
    return compound and all(c.dep_ in ("compound", "amod", "det", "punct") for c in children)


def in_an_object(tokens: list[Token], is_person: IsPerson) -> bool:
    """ "My code is gluten-free, no wheat in it": a food said to be absent from an object someone owns (read as it
    is, or as "it" after such an object is the subject), not from anyone's plate ("no nuts in my salad" is a need)."""
    from concierge.needs.person_or_thing import names_a_food, owns_no_need

    food = tokens[-1]
    where = [g for c in food.children if c.dep_ == "prep" and c.lower_ == "in" for g in c.children if g.dep_ == "pobj"]
    if not where:
        return False
    place = where[0]
    if place.lower_ in ("it", "this", "that"):
        place = next((t for t in food.sent if t.i < food.i and t.dep_ in _SUBJECTS and t.pos_ == "NOUN"), place)
    owned = any(c.dep_ == "poss" for c in place.children)
    return owned and not is_person(place) and owns_no_need(place.lower_) and not names_a_food(place.lemma_)


def of_people_in_general(tokens: list[Token], is_person: IsPerson) -> bool:
    """ "People with nut allergies ...", "Anyone with a peanut allergy ...", "Folks who are vegan ...": see the module
    doc. "My kids with egg allergies" and "kids with nut allergies are coming" are someone's."""
    node = tokens[-1]
    for _ in range(6):
        if node.head.i == node.i:
            return False
        via = node
        node = node.head
        attached = (via.dep_ == "prep" and via.lower_ == "with") or via.dep_ == "relcl"
        if attached and node.pos_ in ("NOUN", "PROPN", "PRON"):
            return _in_general(node, is_person)
        if node.pos_ in ("VERB", "AUX") and via.dep_ != "relcl" and node.dep_ != "relcl":
            return False
    return False


def _in_general(noun: Token, is_person: IsPerson) -> bool:
    if noun.lower_ in _ANYONE:
        return True
    bare = not any(c.dep_ in ("det", "poss", "nummod") for c in noun.children)
    return noun.tag_ in ("NNS", "NNPS") and bare and not is_person(noun)


def _predicate(tokens: list[Token], known: Known) -> Token | None:
    """The verb the need words are said with ("be" in "to be coeliac", "being" in "being allergic to eggs"), None
    when they hang from another noun first ("somewhere vegan"). The small parser reads some need words as verbs
    ("being gluten-free": gluten/VERB with "being" as its auxiliary): their auxiliary "be" is the verb then."""
    last, inside = tokens[-1], {t.i for t in tokens}
    node = last
    for _ in range(6):
        if node is last and node.pos_ == "VERB":
            be = next((c for c in node.children if c.dep_ in ("aux", "auxpass") and c.lemma_ == "be"), None)
            if be is None and node.head.pos_ == "VERB" and node.head.lemma_ != "be" and _non_finite(node):
                return node  # "would hate to be allergic to soy": soy/VERB under "hate", as "be" would be
            node = be or node.head
            continue
        if node.pos_ in ("VERB", "AUX"):
            return node
        if node.i not in inside and node.pos_ in ("NOUN", "PROPN", "PRON") and not known(node):
            return None
        if node.head.i == node.i:
            return None
        node = node.head
    return None


def _attached(verb: Token) -> Token:
    """The word whose arc says what governs ``verb``: the verb, or the need word the parser made its head."""
    return verb.head if verb.dep_ in ("aux", "auxpass") and verb.head.pos_ == "VERB" else verb


def _non_finite(verb: Token) -> bool:
    """ "being", "to be", "going" with no subject of their own."""
    to_infinitive = verb.tag_ == "VB" and any(c.dep_ == "aux" and c.lower_ == "to" for c in verb.children)
    subject = any(c.dep_ in _SUBJECTS for c in verb.children)
    return (verb.tag_ == "VBG" or to_infinitive) and not subject


def not_said_of_anyone_now(tokens: list[Token], known: Known) -> bool:
    """ "Imagine being allergic to eggs", "I'd hate to be coeliac", "I tried being vegan once", "Being kosher must be
    hard" (but "Being vegan is important to me", "I love being vegan", "I need to be gluten-free" state it)."""
    verb = _predicate(tokens, known)
    if verb is None or not _non_finite(verb):
        return False
    attached = _attached(verb)
    if attached.dep_ in ("csubj", "csubjpass", *_SUBJECTS):  # "Being kosher must be hard": being so, in general
        return not any(t.lower_ in _FIRST_PERSON for t in verb.sent)
    governor = attached.head
    lemma = governor.lemma_.lower()
    if lemma in _IMAGINING or governor.lower_ in _IMAGINING:
        return True
    if any(c.dep_ in ("aux", "neg") and c.lower_ in _WISHING for c in governor.children):
        return True
    once = any(t.lower_ == "once" for t in verb.sent) or governor.tag_ == "VBD"
    return lemma in _TRYING and once


def only_at_times(tokens: list[Token], known: Known) -> bool:
    """ "My teenager is deaf when I call him for chores": a state limited by a "when" clause is no standing need."""
    verb = _predicate(tokens, known)
    if verb is None:
        return False
    clauses = [c for c in verb.children if c.dep_ == "advcl" and c.lemma_ != "come"]  # not "when it comes to food"
    return any(g.lower_ in _WHEN for c in clauses for g in c.children if g.dep_ in ("advmod", "mark"))
