"""What a need word in a request describes: the meal, venue, stay or person the need is for, or another thing.

"a halal dinner", "a vegan restaurant", "a nut-free lunch", "a deaf-friendly venue" ask the venue for the need; "a
blind wine-tasting dinner", "a blind football match", "a vegan leather shop" do not: there the word is said of a
thing that is neither eaten nor a place to eat or stay (a tasting done blind, leather made without animals). Read
from the parse, then, for a diet or food word, by asking MiniLM whether the word it qualifies is eaten or a place
(``person_or_thing``):

- a sense adjective ("blind", "deaf") said right before a noun that is no person describes the thing, not anyone's
  sight or hearing (a place asks with a compound: "deaf-friendly", "wheelchair-accessible");
- a diet or food word right before a noun that is neither food nor a meal, a venue, a stay or a person ("vegan
  leather", "gluten-free shampoo") describes that thing;
- a message that states the need of a thing asks nothing either (``stated_of_a_thing``): a property of an object
  ("My wallet is gluten-free."), a verb the parser read as a noun ("Dairy-free ice cream rocks."), a trade ("I cook
  vegetarian for my customers.").
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.tokens import Token

_HYPHENS = frozenset({"-", "\u2013", "\u2010"})
_PEOPLE = frozenset(
    {"guest", "guests", "person", "people", "customer", "customers", "friend", "friends", "traveller", "traveler",
     "diner", "diners", "colleague", "colleagues", "relative", "relatives", "member", "members", "user", "users"}
)  # fmt: skip
# glued after a need word, these ask for it ("deaf-friendly", "wheelchair-accessible", "nut-free", "halal-certified")
_SUFFIXES = frozenset({"friendly", "accessible", "free", "safe", "certified", "approved", "only", "aware", "compliant"})
# what a request's diet word may describe (eaten, or where one eats or stays) and what it may not
SERVED = ("dinner", "lunch", "restaurant", "menu", "food", "meal", "hotel", "cafe", "wine", "bakery", "options")
# clearly closer to the things than to what is served: "leather" 0.39, "sneaker" 0.26; a venue the examples do not
# name stays below ("trattoria" 0.02, "bodega" 0.04, "osteria" -0.04)
_MARGIN = 0.15
NOT_SERVED = ("leather", "shoes", "shampoo", "cosmetics", "jacket", "clothing", "soap", "furniture", "match", "game")


def _qualified(last: Token) -> Token | None:
    """The word right after the need words that they qualify ("leather" in "vegan leather shop", "tasting" in "blind
    wine-tasting"), None when glued to a suffix ("deaf-friendly", "nut-free") or followed by no noun."""
    doc = last.doc
    if last.i + 1 >= len(doc):
        return None
    word = doc[last.i + 1]
    if word.text in _HYPHENS:  # "deaf-friendly", "nut-free" ask for the need; "blind-tasting" names a tasting
        glued = last.i + 2 < len(doc) and not last.whitespace_ and not word.whitespace_
        if not glued or doc[last.i + 2].lower_ in _SUFFIXES:
            return None
        word = doc[last.i + 2]
    while word.i + 2 < len(doc) and doc[word.i + 1].text in _HYPHENS and not word.whitespace_:
        word = doc[word.i + 2]  # "wine-tasting": the compound's last word
    return word if word.pos_ in ("NOUN", "PROPN", "VERB") else None  # "tasting" may be tagged a verb


def describes_another_thing(tokens: list[Token], *, sense: bool, known: frozenset[str]) -> bool:
    """Whether the need words ``tokens`` of a request describe a thing that asks nothing of the venue (see the
    module doc); ``sense``: a word of a sense (blind, deaf); ``known``: person words (relations) the parse may miss."""
    last = tokens[-1]
    thing = _qualified(last)
    if thing is None or thing.lower_ in _PEOPLE or thing.lower_ in known:
        return False
    if sense:
        return last.pos_ == "ADJ" or thing.i == last.i + 2  # "a blind tasting", "a blind-tasting"
    from concierge.needs.person_or_thing import _lead

    return _lead(thing.lemma_.lower(), NOT_SERVED, SERVED) >= _MARGIN


_PRONOUNS = frozenset({"i", "we", "he", "she", "they", "me", "us", "him", "her", "them", "you"})
_OWNERS = frozenset({"my", "our", "his", "her", "their"})


def stated_of_a_thing(tokens: list[Token], known: frozenset[str]) -> bool:
    """Whether the message states the need words ``tokens`` of a thing rather than asking for them (module doc)."""
    from concierge.needs.other_sense import made_for_others
    from concierge.needs.said_of_no_one import _noun_qualified, a_verb_read_as_a_noun

    is_person = lambda t: t.lower_ in _PRONOUNS or t.lower_ in known  # noqa: E731 (the party: not "customers")
    if a_verb_read_as_a_noun(_noun_qualified(tokens[-1])) or made_for_others(tokens, is_person):
        return True
    return _of_an_owned_object(tokens[0])


def _of_an_owned_object(first: Token) -> bool:
    """ "My wallet is gluten-free", "My code is gluten-free": the need words after the verb, said of the subject, an
    object someone owns (``person_or_thing.owns_no_need``)."""
    from concierge.needs.person_or_thing import owns_no_need

    subject = next((t for t in first.sent if t.dep_ in ("nsubj", "nsubjpass") and t.i < first.i), None)
    if subject is None or subject.pos_ != "NOUN" or not any(c.lower_ in _OWNERS for c in subject.children):
        return False
    verbs = [t for t in first.doc[subject.i + 1 : first.i] if t.pos_ in ("AUX", "VERB")]
    return any(v.lemma_ == "be" for v in verbs) and owns_no_need(subject.lower_)
