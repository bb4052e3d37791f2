"""Which needs hold now: one rule for what a later statement takes back, used by supersession and by the plan.

A stored need is removed only by a statement of the same person that takes it back plainly (the detector
reads mood: a wish, a question or reported speech takes nothing back, see ``concierge.needs.mood``):

- the same need, said not to hold ("I'm not allergic to peanuts any more", "my son has outgrown his egg allergy");
- another diet of the same person ("User is vegan" after "User is vegetarian"), a diet it implies taken back
  ("no longer vegetarian" ends vegan), or eating a food the diet excludes ("User eats fish now" ends vegetarian).

The same person: relation, name and qualifier agree where both say them ("my older daughter" is not "my younger
daughter"; "my son Tom" is not "my husband Tom"). A statement that says less ("my daughter") means the one known
person it fits; when it fits several, it cannot tell which, and takes nothing back (``unclear_people`` names
them so the concierge can ask).

``replay`` gives the needs that hold after texts said in order (the current memories, then this session's
messages); ``may_supersede`` is what a supersession decision (the offline model's or a remote model's) must pass
before it hides a memory that states a need: the plan and ``memory list`` follow the same rule.

What takes a need back is recognised positively (``concierge.needs.retraction``) and on what the user said, not
on the memory layer's third-person rewrite: ``said_plainly`` keeps a retraction fact only when the user's own
words take the same need back plainly, and ``may_supersede`` checks those words when it has them. Words that
name a held need in a form that takes something back, but not plainly ("We're not allergic", "not severely
allergic", "Tom's dog isn't"), change nothing, and ``which_person`` asks (``unplain_question``).
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from concierge.needs.detect_names import TITLES
from concierge.needs.qualifiers import OWN, qualifiers, shown

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

    from concierge.needs.detect import DetectedNeed
    from concierge.needs.vocabulary import NeedVocabulary

USER = "user"
# Animal foods each diet excludes: eating one of them now ends the diet.
DIET_EXCLUDES: dict[str, frozenset[str]] = {
    "vegetarian": frozenset({"fish", "crustaceans", "molluscs"}),
    "pescatarian": frozenset(),
    "vegan": frozenset({"fish", "crustaceans", "molluscs", "eggs", "milk"}),
}
# Diets each diet implies: not keeping one of them ends the diet ("not vegetarian any more" ends vegan).
_IMPLIED: dict[str, frozenset[str]] = {"vegan": frozenset({"vegetarian"})}
Likeness = Literal["same", "compatible", "different"]


@dataclass(frozen=True, slots=True)
class Person:
    """Whom a need belongs to: the user, or a companion by relation, name and qualifiers ("older", "little")."""

    relation: str | None
    name: str | None = None
    qualifiers: frozenset[str] = frozenset()

    @property
    def is_user(self) -> bool:
        return self.relation == USER

    def describe(self) -> str:
        if self.is_user:
            return "you"
        owners = [f"{q.removeprefix(OWNER).title()}'s" for q in sorted(self.qualifiers) if q.startswith(OWNER)]
        others = sorted(q for q in self.qualifiers if not q.startswith(OWNER) and shown(q) and q != SEVERAL)
        words = [*owners, *others, self.relation or "", (self.name or "").title()]
        several = " (one of several)" if SEVERAL in self.qualifiers else ""  # "my sons": never "several son"
        return (" ".join(w for w in words if w) or "someone") + several


THE_USER = Person(USER)


@dataclass(frozen=True, slots=True)
class Stated:
    """One need a text states (or takes back), and whose it is."""

    need: DetectedNeed
    person: Person


def _person(doc: Doc, holder: str) -> Person:
    """The person the detector's ``holder`` ("user", "daughter", "Tom", "companion") is in this text."""
    if holder.casefold() == USER:
        return THE_USER
    if (owned := _owned(doc, holder)) is not None:
        return owned
    words = holder.split()
    first = words[0].casefold() if words else ""
    if "-" in first and not holder[:1].isupper():
        return Person(first)  # "mother-in-law", "half-brother": one relation, never the "mother" or "brother" in it
    named = holder if holder[:1].isupper() else None  # "Tom", "Ann Lee": the whole name, read at its last word
    last = words[-1].casefold() if named else first
    token = next((t for t in doc if t.lower_ == last), None)
    if token is None:
        return Person(None)  # "he" / "she" with nobody named
    if token.pos_ == "PROPN" and token.dep_ == "appos" and token.head.pos_ == "NOUN":
        return _companion(token.head, named or token.text)  # "User's son Tom", "User's friend Tom Lee"
    if token.pos_ == "PROPN":
        # "my daughter Zoe": the parser hangs the relation on the name as an apposition or a compound
        relation = next((c for c in token.children if c.dep_ in ("appos", "compound") and c.pos_ == "NOUN"), None)
        if relation is not None:
            return _companion(relation, named or token.text)
        where = frozenset(" ".join(w.lower_ for w in c.subtree) for c in token.children if c.dep_ == "prep")
        said = where | _described(token) | _another(token) | _titles(token) | qualifiers(token)
        return Person(None, fold_name(named or token.text), said)  # "Tom from work", "Mrs. Lee", "Little Tom"
    name = next((c.text for c in token.children if c.dep_ in ("appos", "compound") and c.pos_ == "PROPN"), None)
    return _companion(token, name, holder)


def _titles(name: Token) -> frozenset[str]:
    """The title said with a name ("Mrs. Lee", "Dr Kim"): Mr. Lee and Mrs. Lee are two people."""
    near = [name.doc[name.i - 1]] if name.i > 0 else []
    return frozenset(t.lower_.rstrip(".") for t in [*name.children, *near] if t.lower_.rstrip(".") in TITLES)


OWNER = "of:"  # the qualifier naming whose relative a person is ("Ana's mother": "of:ana")


def _owned(doc: Doc, holder: str) -> Person | None:
    """Someone else's relative ("Ana's mother", "friend's mother"): the relation said last, with its owner kept as
    a qualifier, so only that person is told apart from the user's own mother and from Ana herself."""
    owner, _, relation = holder.casefold().rpartition("'s ")
    if not owner or not relation:
        return None
    last = relation.split()[-1]
    token = next((t for t in doc if t.lower_ == last and any(c.dep_ == "poss" for c in t.children)), None)
    token = token or next((t for t in doc if t.lower_ == last), None)
    if token is None:
        return None
    person = _companion(token, None)
    return Person(person.relation, None, person.qualifiers | {OWNER + owner.split()[-1]})


def _described(noun: Token) -> frozenset[str]:
    """What an apposition says of the person ("my daughter, the younger one,", "my son (the little one)", "my
    daughter - the one in Rome -"): its words, so a person described so is told from one described otherwise or
    not at all (a name is no description: "my son Tom")."""
    found: set[str] = set()
    for child in noun.children:
        if child.dep_ == "appos" and child.pos_ != "PROPN":
            words = [t.lower_ for t in child.subtree if not t.is_punct and t.lower_ not in OWN | _PLAIN_ONE]
            found |= set(words) or {child.lower_}
    return frozenset(found)


_PLAIN_ONE = frozenset({"one", "his", "her", "their", "our", "is", "who"})
# Words that say a person is one of several of a relation or name ("my other son", "another Sam", "my twin sons").
_OTHER = frozenset({"other", "another", "different"})
_SEVERAL = _OTHER | frozenset({"second", "third", "twin", "twins", "both", "two", "three", "four", "several"})
SEVERAL = "several"  # the qualifier of a plural relation ("my daughters Mia and Zoe")


def _another(name: Token) -> frozenset[str]:
    """ "the other Sam", "another Sam", "some other Sam", "a different Sam": another person of that name."""
    before = {t.lower_ for t in name.doc[max(0, name.i - 2) : name.i]}
    return frozenset({"other"}) if before & _OTHER else frozenset()


def _companion(noun: Token, name: str | None, said: str | None = None) -> Person:
    said_of = qualifiers(noun) | _described(noun)  # "foster", "8-year-old", "big", "first", "the younger one"
    doc = noun.doc
    if noun.i >= 2 and doc[noun.i - 1].text == "-":
        said_of |= {doc[noun.i - 2].lower_}  # "ex-wife", "step-son"
    if noun.i + 1 < len(doc) and doc[noun.i + 1].text == "-":
        said_of |= {"-".join(t.lower_ for t in doc[noun.i + 2 : noun.i + 4] if t.text != "-")}  # "son-in-law"
    relation = said.casefold() if said and " " in said.strip() else noun.lemma_.lower()
    if noun.tag_ in ("NNS", "NNPS"):
        said_of |= {SEVERAL}  # "my twin sons", "my daughters Mia and Zoe": more than one person
    return Person(relation, fold_name(name) if name else None, said_of)


def fold_name(name: str) -> str:
    """A name as kept: "TOM" and "tom" are one name (a shout, a lower-case chat); the relation ("my son Tom", "my
    nephew TOM") tells such people apart, and a name alone that fits several asks (attack7 H7)."""
    return unicodedata.normalize("NFC", name.casefold())


def bare_name(name: str) -> str:
    """A name without its accents: "Tóm" may be Tom typed with a stray accent, or someone else ("Zoë" and "Zoe"
    may be two friends). Names equal only so fit each other: neither takes the other's need back, and a name alone
    that fits both asks (``names_fit``)."""
    decomposed = unicodedata.normalize("NFKD", name.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def names_fit(a: str, b: str) -> bool:
    return a == b or bare_name(a) == bare_name(b)


def _name_covers(full: str, short: str) -> bool:
    """ "ann lee" says more than "ann": the shorter name is the start of the longer one (a first name alone)."""
    said, given = bare_name(full).split(), bare_name(short).split()
    return len(said) > len(given) and said[: len(given)] == given


def _names_agree(a: str, b: str) -> bool:
    """Maybe one person's names: equal, or one a first name of the other ("Ann" and "Ann Lee")."""
    return names_fit(a, b) or _name_covers(a, b) or _name_covers(b, a)


def statements(text: str, vocabulary: NeedVocabulary | None = None) -> tuple[Stated, ...]:
    """Every need ``text`` states or takes back, in order, with its person."""
    return _statements(text) if vocabulary is None else _read(text, vocabulary)


@functools.lru_cache(maxsize=4096)
def _statements(text: str) -> tuple[Stated, ...]:
    """With the shipped vocabulary, cached: the same memories are read on every add and every plan."""
    return _read(text, None)


def _read(text: str, vocabulary: NeedVocabulary | None) -> tuple[Stated, ...]:
    from concierge.needs.detect import detect_needs, normalise
    from concierge.needs.nlp import parse

    found = detect_needs(text, vocabulary)
    if not found:
        return ()
    doc = parse([normalise(text)])[0]
    return tuple(Stated(need, _person(doc, need.holder)) for need in found)


def likeness(a: Person, b: Person) -> Likeness:
    """Same person, maybe the same (one says less), or certainly different people."""
    if _owners(a) != _owners(b):
        return "different"  # "Ana's mother" is neither the user's own mother nor Ana
    if a == b:
        return "same"
    if a.is_user or b.is_user:
        return "different"
    if a.relation is not None and b.relation is not None and a.relation != b.relation:
        return "different"
    if a.name is not None and b.name is not None and not _names_agree(a.name, b.name):
        return "different"
    if a.qualifiers and b.qualifiers and a.qualifiers != b.qualifiers:
        return "different"
    return "compatible"


def _owners(person: Person) -> frozenset[str]:
    return frozenset(q for q in person.qualifiers if q.startswith(OWNER))


def _says_more(a: Person, b: Person) -> bool:
    """``a`` names ``b`` and more ("husband Tom" says more than "husband")."""
    return (
        a != b
        and (b.relation is None or a.relation == b.relation)
        and (b.name is None or (a.name is not None and (names_fit(a.name, b.name) or _name_covers(a.name, b.name))))
        and b.qualifiers <= a.qualifiers
    )


def resolve(person: Person, known: Iterable[Person]) -> Person | None:
    """The known person ``person`` refers to: itself when nobody known says more about it, the one that says more
    only by a name when only one does ("my son" is "my son Tom"); None when several known people fit, or one is told
    apart by a qualifier the message does not say ("my son" and "my foster son"): the message cannot tell which."""
    fits = {k for k in known if k != person and likeness(person, k) != "different" and _says_more(k, person)}
    if any(k.qualifiers & _SEVERAL for k in fits):
        return None  # "my son" when "my other son" or "my twin sons" is known: there are several
    if any(k.qualifiers - person.qualifiers for k in fits):
        return None  # "my sister" when "my big sister" is known: maybe her, maybe another sister (attack9 H2)
    fullest = {k for k in fits if not any(_says_more(other, k) for other in fits)}
    if not fullest:
        return person
    return next(iter(fullest)) if len(fullest) == 1 else None


def people(texts: Iterable[str], vocabulary: NeedVocabulary | None = None) -> frozenset[Person]:
    """Everyone the texts name: whose needs they state, and every companion said of anything ("my younger
    daughter loves pasta" makes "my daughter" unclear)."""
    texts = list(texts)
    stated = {s.person for text in texts for s in statements(text, vocabulary)}
    return frozenset(stated | {p for text in texts for p in _named(text)})


@functools.lru_cache(maxsize=4096)
def _named(text: str) -> frozenset[Person]:
    """The companions a text names (relation, name, qualifiers), whatever it says of them."""
    from concierge.needs import load_vocabulary
    from concierge.needs.detect import normalise
    from concierge.needs.detect_names import full_name
    from concierge.needs.lexicon import lexicon_for
    from concierge.needs.nlp import parse

    companions = lexicon_for(load_vocabulary()).cues["companions"]
    found = set()
    for token in parse([normalise(text)])[0]:
        if token.pos_ == "NOUN" and ((token.lower_,) in companions or (token.lemma_.lower(),) in companions):
            name = next((c for c in token.children if c.dep_ in ("appos", "compound") and c.pos_ == "PROPN"), None)
            found.add(_companion(token, full_name(name) if name is not None else None))
    return frozenset(found)


def told_apart(said: str, stored: str) -> bool:
    """``said`` names a companion of the same relation as one whose need ``stored`` states, but with other
    qualifiers ("my son's peanut allergy" and "User's foster son is allergic to peanuts"): maybe someone else."""
    named = _named(said)
    held = [s.person for s in statements(stored) if s.need.active and not s.person.is_user]
    return any(p.relation == h.relation and _shown(p.qualifiers) != _shown(h.qualifiers) for p in named for h in held)


def _shown(said: frozenset[str]) -> frozenset[str]:
    return frozenset(q for q in said if q != SEVERAL)


def same_holder(a: Person, b: Person, known: Iterable[Person]) -> bool:
    """True only when ``a`` and ``b`` are certainly one person among the ``known`` ones."""
    match likeness(a, b):
        case "same":
            return resolve(a, known) is not None or a.is_user
        case "different":
            return False
    known = frozenset(known) | {a, b}
    first = resolve(a, known)
    return first is not None and first == resolve(b, known)


def removes(new: Stated, old: Stated, known: Iterable[Person]) -> bool:
    """Whether the statement ``new`` takes back the active need ``old`` states (see the module docstring)."""
    if not old.need.active or not same_holder(new.person, old.person, known) or _says_other(new.person, old.person):
        return False
    if new.need.need_id == old.need.need_id:
        return not new.need.active and not another_kind(new.need.evidence, old.need.evidence)
    if old.need.kind != "diet":
        return False
    if new.need.active:
        return new.need.kind == "diet"  # another diet of the same person replaces it
    if new.need.kind == "diet":  # "Tom eats meat again" (not vegetarian) ends "Tom is vegan"
        return new.need.need_id in _IMPLIED.get(old.need.need_id, frozenset())
    return new.need.need_id in DIET_EXCLUDES.get(old.need.need_id, frozenset())  # "eats fish now"


# The kind of condition a sentence names: an intolerance or a sensitivity is not an allergy (one need in
# config/needs.yaml, but "I'm not lactose intolerant" says nothing of a milk allergy, attack7 H6; a request to
# forget the milder one never deletes the other without asking).
_KINDS = {
    "allergy": frozenset({"allergy", "allergies", "allergic", "anaphylactic", "anaphylaxis"}),
    "intolerance": frozenset({"intolerance", "intolerances", "intolerant"}),
    "sensitivity": frozenset({"sensitive", "sensitivity", "sensitivities"}),
    "coeliac": frozenset({"coeliac", "celiac"}),  # a disease, not a sensitivity to gluten
    "deafness": frozenset({"deaf", "deafness"}),
    "hard of hearing": frozenset({"hard"}),
    "blindness": frozenset({"blind", "blindness"}),
    "low vision": frozenset({"partially", "impaired", "sighted"}),
}


def _kinds(text: str) -> frozenset[str]:
    words = set(re.findall(r"[a-z]+", text.casefold()))
    return frozenset(kind for kind, names in _KINDS.items() if words & names)


def another_kind(said: str, stored: str) -> bool:
    """``said`` names a kind of condition ``stored`` does not state in its own words (both name one)."""
    new, old = _kinds(said), _kinds(stored)
    return bool(new and old) and not new & old


def _says_other(new: Person, old: Person) -> bool:
    """``new`` names nobody, or says of its person what ``old`` does not ("my other son", "my ex-wife", "Tom from
    work" after "my son", "my wife", "my son Tom"): it may be someone else, so it takes nothing of ``old``'s back."""
    if new.relation is None and new.name is None:
        return True
    return bool(new.qualifiers - old.qualifiers)


def taken_back(new_text: str, old_text: str, known_texts: Sequence[str] = ()) -> bool:
    """True when ``new_text`` takes back every active need ``old_text`` states (and it states one)."""
    old = [s for s in statements(old_text) if s.need.active]
    new = statements(new_text)
    known = people([new_text, old_text, *known_texts])
    return bool(old) and all(any(removes(n, o, known) for n in new) for o in old)


def plainly_taken_back(said: Sequence[str]) -> frozenset[tuple[str, bool]]:
    """(need id, whether it is the user's) of every need the user's own words take back plainly and leave taken
    back ("I'm not allergic to gluten, I have coeliac disease" leaves it held): the grammar of
    ``concierge.needs.retraction``, read on what the user said, never on a rewritten third-person text."""
    final: dict[tuple[str, bool], bool] = {}
    for text in said:
        for stated in statements(text):
            final[(stated.need.need_id, stated.person.is_user)] = stated.need.active
    return frozenset(key for key, active in final.items() if not active)


def said_plainly(said: Sequence[str], fact: str) -> bool:
    """A fact that only takes needs back stands for the user's words only when those words take the same needs
    back plainly: "User is not allergic to peanuts" is not what "I'm not allergic to peanuts, am I?" says."""
    stated = statements(fact)
    if not stated or any(s.need.active for s in stated):
        return True
    taken = plainly_taken_back(said)
    return all((s.need.need_id, s.person.is_user) in taken for s in stated)


def states_needs(text: str) -> bool:
    return any(s.need.active for s in statements(text))


def may_supersede(
    new_text: str, old_text: str, known_texts: Sequence[str] = (), said: Sequence[str] | None = None
) -> bool:
    """A memory that states a need may be hidden by a newer one only when the newer takes all of it back, and,
    when the user's own words (``said``) are known, they take it back plainly too (``said_plainly``)."""
    if not states_needs(old_text):
        return True
    if not taken_back(new_text, old_text, known_texts):
        return False
    return said is None or not said or _said_takes_back(said, old_text, known_texts)


def _said_takes_back(said: Sequence[str], old_text: str, known_texts: Sequence[str] = ()) -> bool:
    """The user's words, replayed after the old memory, leave none of its needs held (by the same kind of holder);
    among every known person, so "Tom" with a son Tom and a friend Tom known takes nothing back."""
    old = {(s.need.need_id, s.person.is_user) for s in statements(old_text) if s.need.active}
    left = {(n.need_id, n.holder.casefold() == USER) for n in replay([old_text, *said], also=known_texts)}
    return not old & left


def unclear_people(text: str, known_texts: Sequence[str]) -> list[tuple[Stated, list[Person]]]:
    """The retractions in ``text`` whose person fits several known people, or says more than the one who holds the
    need ("my foster son" when "my son" holds it: maybe him): (statement, the people it could be)."""
    known = people([text, *known_texts])
    unclear = []
    for stated in statements(text):
        if stated.need.active:
            continue
        if resolve(stated.person, known) is None:
            fits = (k for k in known if k != stated.person and _says_more(k, stated.person))
        else:
            fits = (k for k in _holders(stated.need.need_id, known_texts) if _maybe_more_of(stated.person, k))
        if found := sorted(set(fits), key=lambda p: p.describe()):
            unclear.append((stated, found))
    return unclear


def _holders(need_id: str, texts: Sequence[str]) -> set[Person]:
    """Who holds ``need_id`` now, after ``texts``."""
    stated = {s.need: s.person for text in texts for s in statements(text)}
    return {stated[n] for n in replay(list(texts)) if n.need_id == need_id and n in stated}


def _maybe_more_of(said: Person, holder: Person) -> bool:
    """``said`` is ``holder`` told with a qualifier more ("my foster son", "a son" for "my son"), not said to be
    another one ("my other son", "my second son")."""
    extra = said.qualifiers - holder.qualifiers
    return bool(extra) and not extra & _SEVERAL and likeness(said, holder) == "compatible" and _says_more(said, holder)


def replay(
    texts: Sequence[str], vocabulary: NeedVocabulary | None = None, also: Sequence[str] = ()
) -> list[DetectedNeed]:
    """The needs that hold after ``texts`` (oldest first): each active statement adds its need, each statement that
    takes one back (``removes``) removes it; a restatement of the same need of the same person replaces it. The
    people ``also`` names count when deciding who a statement is about."""
    known = people([*texts, *also], vocabulary)
    held: list[Stated] = []
    for text in texts:
        for stated in statements(text, vocabulary):
            held = [h for h in held if not removes(stated, h, known)]
            if stated.need.active:
                held = [
                    h
                    for h in held
                    if not (h.need.need_id == stated.need.need_id and same_holder(h.person, stated.person, known))
                ]
                held.append(stated)
    return [h.need for h in held]


_TAKING_BACK = re.compile(
    r"\b(?:not|n't|no|never|nobody|longer|any\s*more|outgr[eo]wn?|outgrew|stopped|quit|gave up|over it|gone|cured"
    r"|disappeared|went\s+away)\b|n't\b",
    re.IGNORECASE,
)


def may_take_back(message: str) -> bool:
    """Cheap: ``message`` has a word that takes something back ("not", "no longer", "outgrown"), so it is worth
    reading the user's memories to see whether it names a held need (``unplain_need``)."""
    return bool(_TAKING_BACK.search(message))


def unplain_need(message: str, held: Sequence[DetectedNeed]) -> DetectedNeed | None:
    """The ``held`` need ``message`` names in words that take something back, but not plainly ("We're not allergic
    to peanuts", "I'm not severely allergic", "I'm not allergic to peanuts anymore. Did that work?"), or None; None
    too when its holder's name fits several people who hold it (two Toms: ``unplain_question`` asks which)."""
    need = _unplain(message, held)
    return None if need is None or _shared(need, held) else need


def _unplain(message: str, held: Sequence[DetectedNeed]) -> DetectedNeed | None:
    if not held or not _TAKING_BACK.search(message):
        return None
    stated = statements(message)
    said = {s.need.need_id for s in stated} | _named_needs(message)
    taken = {need_id for need_id, _ in plainly_taken_back([message])} | {
        s.need.need_id for s in stated if s.need.active
    }
    named = set(re.findall(r"[a-z]+", message.casefold()))
    for need in sorted(held, key=lambda n: n.holder.casefold() not in named):  # the person named first
        if need.need_id in said and need.need_id not in taken:
            return need
    return None


def _shared(need: DetectedNeed, held: Sequence[DetectedNeed]) -> bool:
    """Several held needs of this kind under one holder's name ("User's son Tom" and "User's nephew Tom")."""
    key = (need.need_id, need.holder.casefold())
    return sum(1 for n in held if (n.need_id, n.holder.casefold()) == key) > 1


def unplain_question(message: str, held: Sequence[DetectedNeed]) -> str | None:
    """The question to ask when ``message`` names a need that is ``held`` in words that take something back, but
    not plainly: nothing changed; "yes" then takes it back (``concierge.conversation.confirm``). When the name fits
    several people who hold it, the question asks which one, and no "yes" can answer it (attack8 M3)."""
    need = _unplain(message, held)
    if need is None:
        return None
    whom = "you" if need.holder.casefold() == USER else _companion_name(need.holder)
    if _shared(need, held):
        return (
            f"Which {need.holder} do you mean? More than one person called {need.holder} has {need.label}; I changed "
            'nothing. Tell me plainly who, for example "my son Tom has outgrown his egg allergy".'
        )
    return (
        f"Do you mean that {need.label} no longer applies to {whom}? I changed nothing: say yes and I will take it "
        'back, or tell me plainly, for example "I\'m not allergic to peanuts any more" or "my son has outgrown his '
        'egg allergy".'
    )


def _companion_name(holder: str) -> str:
    return holder if holder[:1].isupper() else f"your {holder}"  # "Tom", "your son"


def _named_needs(text: str) -> set[str]:
    """The needs whose words ``text`` says, whatever it says of them (the vocabulary's phrases)."""
    from concierge.needs import load_vocabulary
    from concierge.needs.detect import normalise
    from concierge.needs.lexicon import is_word, lexicon_for
    from concierge.needs.nlp import parse

    lexicon = lexicon_for(load_vocabulary())
    words = [lexicon.canonical(t) for t in parse([normalise(text)])[0] if is_word(t)]
    return {need for span in lexicon.find(words, lexicon.need_phrases) for need, _ in lexicon.need_phrases[span.phrase]}


def which_person(said: Sequence[str], known: Callable[[], Sequence[str]], message: str | None = None) -> str | None:
    """The question to ask when something said takes a need back from someone it cannot name among several
    ("my daughter is not allergic to eggs" with an older and a younger daughter known), or when ``message`` (the
    user's words) names a held need in words that take it back but not plainly (``unplain_question``); None
    when clear. ``known`` (the user's current memories) is read only then."""
    retracts = any(not s.need.active for text in said for s in statements(text))
    vague = bool(message and _TAKING_BACK.search(message) and _condition_kinds(message) and not _named_needs(message))
    if not retracts and not vague and not (message and _TAKING_BACK.search(message) and _named_needs(message)):
        return None
    texts = list(known())
    if message and (asked := another_writer(message, [t for t in texts if t not in said])):
        return asked
    if message and vague and (asked := vague_question(message, texts)):
        return asked
    if message and (asked := unplain_question(message, replay(texts))):
        return asked
    for text in said:
        for stated, fits in unclear_people(text, texts):
            who = " or ".join(_whom(p) for p in fits) + (", or someone else" if len(fits) == 1 else "")
            return (
                f"Which one do you mean, {who}? I changed nothing about {stated.need.label}: "
                "tell me again with their name or which one."
            )
    return None


def another_writer(message: str, texts: Sequence[str]) -> str | None:
    """The question to ask when ``message`` takes a need back and gives a name that is not the one the user gave
    before ("Hi, I'm Anna. I'm not allergic to peanuts anymore." on Bob's account): someone else may be typing, so
    nothing changes and no "yes" can take it back (the question is no "Do you mean ...?")."""
    from concierge.needs.company import names_given

    given = names_given(message)
    own = frozenset(n for text in texts for n in names_given(text))
    if not given or not own or any(_names_agree(g, o) for g in given for o in own):
        return None
    return (
        f"Who is writing? You told me your name is {_listed(own)}, and this message says {_listed(given)}. I changed "
        "nothing: a need is taken back only by the person it belongs to, plainly."
    )


def _listed(names: Iterable[str]) -> str:
    return " or ".join(sorted(n.title() for n in names))


def _whom(person: Person) -> str:
    """How a question names a person: "you", "your big sister", "Ann Lee" (a name alone is nobody's "your")."""
    if person.is_user:
        return "you"
    return person.describe() if person.relation is None else f"your {person.describe()}"


# Words that name a kind of need without naming which ("Tom isn't allergic any more", "my diet has changed").
_CONDITION_KINDS: dict[str, frozenset[str]] = {
    "allergic": frozenset({"allergy"}),
    "allergy": frozenset({"allergy"}),
    "allergies": frozenset({"allergy"}),
    "intolerant": frozenset({"allergy"}),
    "intolerance": frozenset({"allergy"}),
    "diet": frozenset({"diet", "religious"}),
}


def _condition_kinds(message: str) -> frozenset[str]:
    words = set(re.findall(r"[a-z]+", message.casefold()))
    return frozenset(kind for word in words & _CONDITION_KINDS.keys() for kind in _CONDITION_KINDS[word])


def _mentioned(message: str) -> set[Person]:
    """Who ``message`` speaks of: the user ("I", "my allergy"), companions by relation, people by name."""
    from concierge.needs.detect import normalise
    from concierge.needs.nlp import parse

    doc = parse([normalise(message)])[0]
    found = set(_named(message))
    found |= {Person(None, fold_name(t.text)) for t in doc if t.pos_ == "PROPN" and t.ent_type_ not in _PLACES}
    if not found and any(t.lower_ in ("i", "my", "me", "myself") for t in doc):
        found.add(THE_USER)
    return found


_PLACES = frozenset({"GPE", "LOC", "FAC", "ORG"})


def vague_question(message: str, texts: Sequence[str]) -> str | None:
    """The question to ask when ``message`` takes back a kind of need without naming it ("Tom isn't allergic any
    more"): which person, when it fits several who hold one ("your husband Tom or your son Tom"); else which of
    their needs. Nothing is changed either way: a need goes only when its holder names it plainly."""
    kinds = _condition_kinds(message)
    held = {s.need: s.person for text in texts for s in statements(text)}
    current = [(need, held[need]) for need in replay(list(texts)) if need in held and need.kind in kinds]
    mentioned = _mentioned(message)
    fits = sorted(
        {p for _, p in current if any(likeness(m, p) != "different" for m in mentioned)}, key=lambda p: p.describe()
    )
    if len(fits) > 1:
        who = " or ".join(_whom(p) for p in fits)
        return (
            f"Which one do you mean, {who}? I changed nothing: tell me again with their name or which one, and "
            "which need no longer applies."
        )
    needs = [need.label for need, person in current if fits and person == fits[0]]
    if not needs:
        return None
    whom = _whom(fits[0])
    return (
        f"Which do you mean no longer applies to {whom}: {' or '.join(sorted(needs))}? I changed nothing: I keep a "
        'need until it is taken back plainly, for example "I\'m not allergic to peanuts any more".'
    )
