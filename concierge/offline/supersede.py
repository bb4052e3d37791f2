"""Which stored facts a new fact replaces: the offline model's supersession decision.

A new fact supersedes an existing one when both say something about the same person (the user, or
the same companion: "User's husband Tom" and "User's husband" are one person) and the same attribute,
with a different value:

- a diet (vegan, vegetarian, pescatarian) or eating an animal food a diet excludes ("User eats fish
  now" ends "User is vegetarian"); an allergy, religious rule or access need, said again with the
  opposite state ("User is no longer allergic to eggs"). The needs detector reads them.
- home ("lives in", "moved to", "relocated to", "is based in"), seat preference (aisle / window /
  middle), budget (amounts or price level), name.
- otherwise, a fact marked as a change ("now", "no longer", "any more", "instead") that says nearly
  the same thing as an existing one with the opposite polarity ("User no longer likes sushi" after
  "User loves sushi"): lemma overlap within the list, not across it.

A fact that only adds (a second allergy, a new city the user loves) supersedes nothing. The function is
pure: it reads texts and returns ids from the list it was given, never anything else.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from concierge.needs.current import DIET_EXCLUDES, Person, people, same_holder, statements, states_needs, taken_back

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

USER = "user"
_DIET = "diet"
_DIET_EXCLUDES = DIET_EXCLUDES
_HOME_VERBS = frozenset({"live", "move", "relocate", "settle", "base", "reside"})
_SEATS = frozenset({"aisle", "window", "middle"})
_PRICE_WORDS = frozenset({"cheap", "budget", "affordable", "luxury", "luxurious", "splurge", "expensive", "mid-range"})
_BUDGET_WORDS = frozenset({"budget", "spend", "afford", "price", "cost"})
_CHANGE_MARKERS = frozenset({"now", "anymore", "longer", "instead", "again", "nowadays", "lately"})
_LIKE = {"love": "like", "enjoy": "like", "adore": "like", "prefer": "like", "like": "like", "hate": "dislike"}
_DISLIKE = frozenset({"hate", "avoid", "dislike", "loathe", "detest"})
_NEGATORS = frozenset({"not", "n't", "no", "never", "longer", "anymore"})
_IGNORED = frozenset({"user", "'s", "now", "any", "more", "anymore", "longer", "instead", "again", "really", "still"})
_GENERIC_OVERLAP = 0.6
_VALUED = frozenset({"home", "budget", "name"})  # attributes whose negation names the old value ("not in Paris")


@dataclass(frozen=True, slots=True)
class Slot:
    """One thing a fact says: about whom (every name they go by), which attribute, which value."""

    holder: frozenset[str]
    attribute: str
    value: str
    person: Person | None = None  # for a need: whose, compared by ``concierge.needs.current.same_holder``


def _subject(doc: Doc) -> frozenset[str]:
    """Who a stored fact is about: "User" -> {"user"}; "User's husband Tom" -> {"husband", "tom"}."""
    words = [t for t in doc if not t.is_punct]
    if len(words) >= 3 and words[0].lower_ == "user" and words[1].lower_ == "'s" and _is_companion(words[2]):
        names = {words[2].lower_}
        if len(words) > 3 and words[3].pos_ == "PROPN" and words[3].text[:1].isupper():
            names.add(words[3].lower_)
        return frozenset(names)
    if words and words[0].lower_ == "user":
        return frozenset({USER})
    root = next((t for t in doc if t.dep_ == "ROOT"), None)
    subject = next((c for c in root.children if c.dep_ in ("nsubj", "nsubjpass")), None) if root else None
    return frozenset({subject.lower_}) if subject is not None else frozenset({USER})


def _is_companion(token: Token) -> bool:
    """ "husband", "kids", "mother": a person word of the needs vocabulary ("budget", "name" are the user's own)."""
    from concierge.needs import load_vocabulary
    from concierge.needs.lexicon import lexicon_for

    companions = lexicon_for(load_vocabulary()).cues["companions"]
    return (token.lower_,) in companions or (token.lemma_.lower(),) in companions


def _verb_lemma(token: Token) -> str:
    """The base form by lemminflect's tables: spaCy's small model reads "hates" as "hat"."""
    from lemminflect import getLemma

    if token.pos_ in ("VERB", "AUX"):
        lemmas = getLemma(token.lower_, upos="VERB")
        if lemmas:
            return lemmas[0]
    return token.lemma_.lower()


def _holder(said: str, subject: frozenset[str]) -> frozenset[str]:
    """The detector's holder ("user", "husband", "Tom") as the names of that person in this fact."""
    said = said.casefold()
    if said == USER:
        return frozenset({USER})
    return subject if said in subject else frozenset({said})


def _negated(token: Token) -> bool:
    """ "not a window seat", "no longer wants window seats", "hates window seats"."""
    heads = [token, *token.ancestors][:3]
    disliked = any(_verb_lemma(h) in _DISLIKE for h in heads)
    return disliked or any(c.dep_ == "neg" or c.lower_ in ("longer", "anymore") for h in heads for c in h.children)


def _need_slots(text: str, subject: frozenset[str]) -> list[Slot]:
    slots = []
    for stated in statements(text):
        need, person = stated.need, stated.person
        holder = _holder(need.holder, subject)
        if need.kind == "diet":
            slots.append(Slot(holder, _DIET, f"{need.need_id}:{need.active}", person))
        elif not need.active and any(need.need_id in foods for foods in _DIET_EXCLUDES.values()):
            slots.append(Slot(holder, _DIET, f"eats:{need.need_id}", person))  # "User eats fish now"
            slots.append(Slot(holder, need.need_id, str(need.active), person))
        else:
            slots.append(Slot(holder, need.need_id, str(need.active), person))
    return slots


def _place(token: Token) -> str | None:
    """The place after "in" / "to" under a home verb ("moved to New York" -> "new york")."""
    for prep in (c for c in token.children if c.dep_ == "prep" and c.lower_ in ("in", "to")):
        for obj in (c for c in prep.children if c.dep_ == "pobj"):
            words = [t.lower_ for t in obj.subtree if t.pos_ in ("PROPN", "NOUN") or t.dep_ == "compound"]
            if words:
                return " ".join(words)
    return None


def _other_slots(doc: Doc, subject: frozenset[str]) -> list[Slot]:
    """What a fact says besides needs: home, seat, budget and name, in that order."""
    lemmas = {t.lemma_.lower() for t in doc}
    slots = [slot for token in doc for slot in _token_slots(token, subject, lemmas)]
    return slots + _budget_slots(doc, subject, lemmas) + _name_slots(doc, subject)


def _token_slots(token: Token, subject: frozenset[str], lemmas: set[str]) -> list[Slot]:
    """A home verb with its place ("moved to Lyon"), and a seat word ("aisle", "window seat"; negated: "-")."""
    slots = []
    if _verb_lemma(token) in _HOME_VERBS and token.pos_ in ("VERB", "AUX") and (place := _place(token)):
        slots.append(Slot(subject, "home", place))
    if token.lower_ in _SEATS and ("seat" in lemmas or token.lower_ == "aisle"):
        slots.append(Slot(subject, "seat", token.lower_ + ("-" if _negated(token) else "")))
    return slots


def _budget_slots(doc: Doc, subject: frozenset[str], lemmas: set[str]) -> list[Slot]:
    """A budget: the amounts and price levels of a fact about spending ("budget of 200", "something cheap")."""
    if not (lemmas & _BUDGET_WORDS or lemmas & _PRICE_WORDS):
        return []
    amounts = sorted(t.text for t in doc if t.like_num)
    levels = sorted(lemmas & _PRICE_WORDS - {"budget"})
    return [Slot(subject, "budget", " ".join(amounts + levels))] if amounts or levels else []


def _name_slots(doc: Doc, subject: frozenset[str]) -> list[Slot]:
    """A name: the attribute of "name" as a subject ("User's name is Sam" -> "sam")."""
    slots = []
    for token in (t for t in doc if t.lower_ == "name" and t.dep_ == "nsubj"):
        value = next((c for c in token.head.children if c.dep_ == "attr"), None)
        if value is not None:
            slots.append(Slot(subject, "name", value.lower_))
    return slots


@functools.lru_cache(maxsize=4096)
def _read(text: str) -> tuple[Doc, tuple[Slot, ...]]:
    """The parse of a fact and what it says (cached: the same stored facts come back on every add)."""
    from concierge.needs.nlp import parse

    doc = parse([text])[0]
    subject = _subject(doc)
    return doc, tuple(_need_slots(text, subject) + _other_slots(doc, subject))


def _conflict(new: Slot, old: Slot, known: frozenset[Person] = frozenset()) -> bool:
    if new.attribute != old.attribute or new.value == old.value:
        return False
    if new.person is not None and old.person is not None:
        if not same_holder(new.person, old.person, known):
            return False  # "my younger daughter" does not speak for "my older daughter"
    elif not new.holder & old.holder:
        return False
    if new.attribute != _DIET:
        return True
    old_need, _, old_state = old.value.partition(":")
    new_need, _, food = new.value.partition(":")
    if new_need == "eats":  # eating fish ends a diet without fish, not one with it
        return old_state == "True" and food in _DIET_EXCLUDES.get(old_need, frozenset())
    return True  # a diet said later replaces any earlier diet statement of the same person


def _content(doc: Doc) -> tuple[frozenset[str], bool]:
    """Content lemmas (likes folded together) and whether the fact is negated."""
    negated = any(t.dep_ == "neg" or t.lower_ in _NEGATORS for t in doc)
    words = frozenset(
        _LIKE.get(_verb_lemma(t), _verb_lemma(t))
        for t in doc
        if not (t.is_punct or t.is_stop or t.lower_ in _IGNORED or t.lower_ in _NEGATORS or t.dep_ == "neg")
    )
    return words, negated


def _flips(new: Doc, old: Doc) -> bool:
    """A change ("no longer", "now") that says nearly the same as ``old`` with the opposite polarity."""
    if not any(t.lower_ in _CHANGE_MARKERS for t in new) or _subject(new) != _subject(old):
        return False
    new_words, new_negated = _content(new)
    old_words, old_negated = _content(old)
    if not new_words or not old_words:
        return False
    overlap = len(new_words & old_words) / len(new_words | old_words)
    likes_flip = bool({"like", "dislike"} <= (new_words | old_words))
    return overlap >= _GENERIC_OVERLAP and (new_negated != old_negated or likes_flip)


def decide_supersedes(new_fact: str, existing: Sequence[tuple[str, str]]) -> list[str]:
    """Ids (from ``existing``, as given) of the facts that ``new_fact`` replaces; [] when it only adds."""
    new_fact = new_fact.strip()
    if not new_fact or not existing:
        return []
    new_doc, new_slots = _read(new_fact)
    texts = [text.strip() for _, text in existing if text and text.strip()]
    known = people([new_fact, *texts])
    chosen = []
    for memory_id, text in existing:
        if not text or not text.strip() or text.strip() == new_fact:
            continue
        if states_needs(text.strip()):  # a need goes only when taken back, all of it, by the same person
            if taken_back(new_fact, text.strip(), texts):
                chosen.append(memory_id)
            continue
        old_doc, old_slots = _read(text.strip())
        if any(_conflict(n, o, known) for n in new_slots for o in old_slots) or (
            not new_slots and not old_slots and _flips(new_doc, old_doc)
        ):
            chosen.append(memory_id)
    return chosen


def _affirmed(slot: Slot) -> Slot:
    """What a retraction takes back: "not vegetarian" (vegetarian:False) -> vegetarian:True; "aisle-" -> "aisle"."""
    value = slot.value
    if value.endswith(":False"):
        value = value.removesuffix(":False") + ":True"
    elif value == "False":
        value = "True"
    return Slot(slot.holder, slot.attribute, value.removesuffix("-"), slot.person)


def replaces_retraction(retraction: str, new_fact: str) -> bool:
    """True when ``retraction`` only takes a value back ("User is not vegetarian any more") and ``new_fact``,
    said with it, states the new value of the same person's same attribute ("User eats fish now"): the new fact
    supersedes everything the retraction would, so the retraction need not be stored beside it."""
    old_doc, old_slots = _read(retraction.strip())
    new_doc, new_slots = _read(new_fact.strip())
    if not old_slots or not new_slots or not _content(old_doc)[1] or _content(new_doc)[1]:
        return False  # a retraction is negated; the new value is not
    taken_back = [o for o in old_slots if _affirmed(o) != o or o.attribute in _VALUED]  # not "no longer eats meat"
    if len(taken_back) != len(old_slots):
        return False
    return all(any(_conflict(n, _affirmed(o)) for n in new_slots) for o in old_slots)


def corrects(later: str, earlier: str) -> bool:
    """True when ``later``, said after ``earlier`` in the same message, replaces the value ``earlier`` affirms for
    the same person ("User is vegetarian" ... "User is vegan"; "User lives in Paris" ... "User lives in Lyon"): a
    correction, stored as the later value only. A negated earlier fact ("User no longer eats meat") says
    something of its own and stays."""
    if _content(_read(earlier.strip())[0])[1] or _content(_read(later.strip())[0])[1]:
        return False
    return bool(decide_supersedes(later, [("earlier", earlier)]))
