"""First person to third person with spaCy's parse and lemminflect's English tables.

"I'm not vegetarian any more" -> "User is not vegetarian any more"; "My husband and I love hiking" ->
"User's husband and User love hiking"; "I moved to Lyon" -> "User moved to Lyon" (a past form is left as
it is; only a present verb whose subject is "I" takes the third person: "I fly" -> "User flies"). The
verb is found by the dependency parse, not by position, so adverbs, negations and contractions ("I
don't", "I've never", "I'd") need no list of their own. Pronouns that point back ("those", "he") are
resolved to a noun phrase said earlier in the same message, or reported as unresolved.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

SUBJECT = "User"
# The third-person form of the verbs lemminflect's VBZ does not give as said after a contraction.
_AGREE = {"'m": "is", "am": "is", "'ve": "has", "have": "has", "do": "does", "'re": "are", "'s": "is"}
_CONTRACTED = {"'d": "would", "'ll": "will", "'m": "is", "'ve": "has", "'re": "are"}
_PLURAL_BACK = frozenset({"those", "these", "them", "they"})
_SINGULAR_BACK = frozenset({"it", "that", "this"})
_PERSON_BACK = frozenset({"he", "she", "him", "her"})


@dataclass(frozen=True, slots=True)
class Rewrite:
    """A clause in the third person; ``unresolved`` names a pronoun nothing said earlier explains."""

    text: str
    unresolved: str | None = None


def _is_i(token: Token) -> bool:
    return token.lower_ == "i" and token.tag_ == "PRP"


def _verb_of(subject: Token) -> Token | None:
    """The finite word that agrees with ``subject``: its first auxiliary, else its verb."""
    head = subject.head
    if subject.dep_ == "conj":  # "my husband and I love": the verb agrees with the whole subject
        return None
    if subject.dep_ not in ("nsubj", "nsubjpass") or head.i == subject.i:
        return None
    auxiliaries = [c for c in head.children if c.dep_ in ("aux", "auxpass") and c.i > subject.i]
    return auxiliaries[0] if auxiliaries else head


def third_person_verb(word: str, tag: str) -> str:
    """ "love" -> "loves", "fly" -> "flies", "am" -> "is"; a past form or a modal is returned as said."""
    from lemminflect import getInflection, getLemma

    lower = word.lower()
    if lower in _AGREE:
        return _AGREE[lower]
    if lower in _CONTRACTED:  # "I'd", "I'll"
        return "had" if tag == "VBD" else _CONTRACTED[lower]
    lemmas = getLemma(lower, upos="VERB")
    lemma = lemmas[0] if lemmas else lower
    if tag not in ("VBP", "VB") and not (tag == "VBD" and _base_misread_as_past(lower, lemma)):
        return word
    inflected = getInflection(lemma, tag="VBZ")
    return inflected[0] if inflected else word


def _base_misread_as_past(word: str, lemma: str) -> bool:
    """ "I always book": the small tagger reads a bare present after an adverb as past (VBD) or base (VB);
    a word that is its own lemma and not one of its past forms is the present ("put", "read" stay as said)."""
    from lemminflect import getInflection

    return word == lemma and word not in getInflection(lemma, tag="VBD")


_TIME_UNITS = frozenset(
    {"day", "week", "month", "year", "time", "hour", "minute", "night", "weekend", "morning", "evening", "afternoon"}
)


def _antecedent(token: Token, before: list[Token]) -> str | None:
    """The noun phrase a pronoun points back to, among the tokens said before it in the message."""
    wanted = _pointed_at(token.lower_, _said_nouns(before))
    return _noun_phrase(wanted[-1]) if wanted else None


def _said_nouns(before: list[Token]) -> list[Token]:
    """The nouns a pronoun may stand for: heads of noun phrases, not time words used as adverbs."""
    return [
        t
        for t in before
        if t.pos_ in ("NOUN", "PROPN")
        and t.dep_ not in ("compound", "appos")
        and not (t.dep_ == "npadvmod" and t.lemma_.lower() in _TIME_UNITS)  # "these days", not "no mushrooms, ..."
    ]


def _pointed_at(pronoun: str, nouns: list[Token]) -> list[Token]:
    """The nouns ``pronoun`` can mean, last the likeliest: someone's people for "he"/"she" (and "they" when
    the user named people: "my kids are 4 and 7 and they love pools"), else things of the pronoun's number."""
    if pronoun in _PERSON_BACK:
        return [_person_of(t) for t in nouns if _has_owner(t)]
    people = [t for t in nouns if _has_owner(t) and t.tag_ in ("NNS", "NNPS")]
    if pronoun == "they" and people:
        return people
    return _things(pronoun, nouns)


def _person_of(noun: Token) -> Token:
    """The person an owned noun speaks of: "my partner's name is Jonas and he ..." -> the partner, not the name."""
    from concierge.offline.people import is_relation

    if is_relation(noun.lemma_):
        return noun
    owner = next((c for c in noun.children if c.dep_ == "poss" and c.pos_ == "NOUN" and is_relation(c.lemma_)), None)
    return owner if owner is not None else noun


def _things(pronoun: str, nouns: list[Token]) -> list[Token]:
    """The unowned nouns a thing pronoun can mean: those of its number, else any thing; a place ("We went
    to Kyoto and loved it") only when no thing fits a singular pronoun."""
    at_place = ("in", "at", "to", "from", "near", "around")
    owned = [t for t in nouns if not _has_owner(t) and t.lower_ != "user"]
    places = [t for t in owned if t.dep_ == "pobj" and t.head.lower_ in at_place]
    things = [t for t in owned if t not in places]
    number = ("NNS", "NNPS") if pronoun in _PLURAL_BACK else ("NN", "NNP")
    wanted = [t for t in things if t.tag_ in number] or things
    if not wanted and pronoun in _SINGULAR_BACK:
        return places
    return wanted


def _noun_phrase(noun: Token) -> str:
    """The noun with its modifiers said before it and a name in apposition ("my friend Sam"), articles left out."""
    names = [c for c in noun.children if c.dep_ == "appos" and (c.pos_ == "PROPN" or c.text[:1].isupper())]
    words = [t for t in noun.subtree if t.i <= noun.i and t.dep_ not in ("det", "predet")] + names
    return " ".join(_said(t) for t in words)


def _place_before(before: list[Token]) -> str | None:
    """The last place named ("in Lyon", "to Kyoto", "I love Lyon"): a proper noun, with its compounds."""
    places = [t for t in before if t.pos_ == "PROPN" and t.dep_ != "compound" and t.lower_ != "user"]
    if not places:
        return None
    place = places[-1]
    return " ".join(t.text for t in place.subtree if (t.i <= place.i and t.dep_ == "compound") or t.i == place.i)


def _has_owner(token: Token) -> bool:
    return any(c.dep_ == "poss" for c in token.children)


def _said(token: Token) -> str:
    if token.lower_ in ("my", "our"):
        return f"{SUBJECT}'s"
    return token.text


def _needs_resolving(token: Token) -> bool:
    """A pronoun standing for a thing or person said before ("obsessed with those", "he can't"), not a
    determiner ("those shoes") nor a dummy subject ("it is raining")."""
    lower = token.lower_
    if lower not in _PLURAL_BACK | _SINGULAR_BACK | _PERSON_BACK or token.dep_ in ("det", "expl"):
        return False
    if lower in ("it", "that", "this") and token.dep_ == "nsubj":
        return False  # "it's a long flight", "that sounds great": about the situation, not a fact's object
    return lower != "her" or token.dep_ != "poss"


_FRONTED_DEPS = frozenset({"advmod", "npadvmod", "prep", "obl"})
from concierge.worth import SUBORDINATORS  # noqa: E402  (one set: what opens an adverbial clause)


def _possessed_by_user(token: Token) -> bool:
    """ "my husband", "our kids": a subject that is someone of the user's."""
    return any(c.dep_ == "poss" and c.lower_ in ("my", "our") for c in token.children)


def _user_first(tokens: list[Token]) -> tuple[list[Token], list[Token]]:
    """The clause with an adverbial said before the user moved to its end, so a fact starts with the user:
    "These days I'm based in Madrid" -> "I'm based in Madrid these days"; and the moved tokens."""
    found = _user_subject(tokens)
    if found is None:
        return tokens, []
    verb, subject = found
    lead = tokens[:subject]
    if not _movable(lead, verb):
        return tokens, []
    moved = [t for t in lead if not t.is_punct]
    rest = tokens[subject:]
    tail = len(rest)
    while tail > 0 and rest[tail - 1].is_punct:
        tail -= 1
    return [*rest[:tail], *moved, *rest[tail:]], moved


def _user_subject(tokens: list[Token]) -> tuple[Token, int] | None:
    """The clause's main verb and where its subject starts, when that subject is the user or someone of theirs
    ("my husband": its first word); None otherwise (nothing to move for a fact about someone else)."""
    inside = {t.i for t in tokens}
    verb = next((t for t in tokens if t.head.i == t.i or t.head.i not in inside), None)  # the clause's main verb
    if verb is None:
        return None
    found = next((t for t in tokens if t.dep_ in ("nsubj", "nsubjpass") and t.head.i == verb.i), None)
    if found is None or not (_is_i(found) or _possessed_by_user(found)):
        return None
    return verb, found.left_edge.i - tokens[0].i


def _movable(lead: list[Token], verb: Token) -> bool:
    """Whether the words before the subject are only adverbials of ``verb`` (with their own words and
    punctuation), so moving them keeps the meaning; a clause opened by "when"/"if" counts as one
    ("When I travel, I book ..." -> "... when I travel"), another verb before the subject does not."""
    clause = bool(lead) and lead[0].lower_ in SUBORDINATORS
    deps = _FRONTED_DEPS | {"advcl"} if clause else _FRONTED_DEPS
    heads = [t for t in lead if t.head.i == verb.i and t.dep_ in deps and t.tag_ != "WRB"]
    covered = {d.i for h in heads for d in h.subtree}
    verbs = not clause and any(t.pos_ == "VERB" for t in lead)
    return bool(heads) and all(t.i in covered or t.is_punct for t in lead) and not verbs


# Object and reflexive forms of the first person, in the third.
_OBJECT_FORMS = {"me": SUBJECT, "myself": "themselves", "mine": f"{SUBJECT}'s", "us": "them"}


@dataclass(slots=True)
class _Said:
    """What the words rewritten so far decide for the next ones: whether the user was the subject ("I": a later
    "my" is "their"), the first pronoun nothing explains, and whether the last word was replaced ("he's" ->
    "... is")."""

    user_subject: bool = False  # "I" was said: a later "my" is "their" ("User loves their son")
    unresolved: str | None = None
    replaced: bool = False


def rewrite(doc: Doc, start: int = 0, end: int | None = None) -> Rewrite:
    """The tokens ``doc[start:end]`` in the third person, starting with the user when they are the subject;
    earlier tokens of ``doc`` resolve pronouns."""
    end = len(doc) if end is None else end
    tokens, moved = _user_first(list(doc[start:end]))
    agree = {verb.i for t in tokens if _is_i(t) and (verb := _verb_of(t)) is not None}
    said = _Said()
    pieces: list[str] = []
    for token in tokens:
        word = _third_person(token, doc, agree, said)
        if token.lower_ == "'s" and ((token.pos_ == "AUX" and said.replaced) or _copula_misread(token)):
            word = "is"  # "he's" -> "User's husband is"; "my partner's coeliac" -> "User's partner is coeliac"
        word = _placed(token, word, tokens[0], moved, pieces)
        said.replaced = word != token.text
        pieces.append(word + ("" if moved and token.i == moved[-1].i else token.whitespace_))
    return Rewrite("".join(pieces).strip(" ,;:-"), said.unresolved)


def _copula_misread(token: Token) -> bool:
    """ "'s" that the small parser read as a possessive though it is "is": before a word of the needs vocabulary
    that names no thing after it ("my partner's coeliac", "she's allergic to eggs", not "my wife's vegan burger");
    kept as written, the fact would read "User's partner's coeliac"."""
    from concierge.needs import load_vocabulary
    from concierge.needs.lexicon import lexicon_for

    doc = token.doc
    if token.tag_ != "POS" or token.i + 1 >= len(doc):
        return False
    word, after = doc[token.i + 1], (doc[token.i + 2] if token.i + 2 < len(doc) else None)
    if after is not None and after.pos_ in ("NOUN", "PROPN", "AUX", "VERB"):
        return False  # "my son's peanut allergy", "my husband's allergy is severe": a possessive
    return lexicon_for(load_vocabulary()).is_known(word.norm_) and word.pos_ in ("ADJ", "NOUN")


def _third_person(token: Token, doc: Doc, agree: set[int], said: _Said) -> str:
    """One token in the third person: the user's "I", a verb agreeing with it, a person word, or a pronoun
    pointing back; any other word as said."""
    if _is_i(token):
        said.user_subject = True
        return SUBJECT
    verb = _verb_word(token, agree)
    if verb is not None:
        return verb
    person = _person_word(token, said)
    if person is not None:
        return person
    return _pointing_word(token, doc, said)


def _verb_word(token: Token, agree: set[int]) -> str | None:
    """A verb in the third person: one whose subject is "I" (``agree``: their indexes), or a contraction
    ("'d been" -> "had been", "'ll" -> "will"); None for any other token."""
    lower = token.lower_
    if lower == "'d" and token.head.tag_ == "VBN":
        return "had"  # "I'd been there"
    if token.i in agree:
        return third_person_verb(token.text, token.tag_)
    if lower in _CONTRACTED and token.tag_ in ("MD", "VBP", "VBZ", "VBD"):
        return "had" if token.tag_ == "VBD" else _CONTRACTED[lower]
    return None


def _person_word(token: Token, said: _Said) -> str | None:
    """The first person's other forms ("me", "my", "we", ...) in the third; None for any other token."""
    lower = token.lower_
    if lower in _OBJECT_FORMS:
        return _OBJECT_FORMS[lower]
    if lower in ("my", "our"):
        # "their" after "User's friend asked ..." would be the friend's: only after "I" is it the user's
        word = "their" if said.user_subject else f"{SUBJECT}'s"
    elif lower == "we":
        word = f"{SUBJECT} and their party"
    else:
        return None
    return word


def _pointing_word(token: Token, doc: Doc, said: _Said) -> str:
    """A word that points back, replaced by what it points to ("there" -> "in Lyon", "those" -> "oysters");
    an unexplained pronoun stays as said and is recorded in ``said``."""
    if token.lower_ == "there" and token.dep_ == "advmod":
        place = _place_before(list(doc[: token.i]))
        return f"in {place}" if place else token.text  # "I lived there" -> "User lived in Lyon"
    if not _needs_resolving(token):
        return token.text
    found = _antecedent(token, list(doc[: token.i]))
    if found is None:
        said.unresolved = said.unresolved or token.text
        return token.text
    return found


def _placed(token: Token, word: str, first: Token, moved: list[Token], pieces: list[str]) -> str:
    """``word`` cased and spaced for where it now stands: a space after the word before a split contraction
    ("I'm" -> "User is") or a moved adverbial, a capital at the start, the moved adverbial's first word in
    lower case (a name keeps its capital). Adds the space to ``pieces``' last word."""
    lower = token.lower_
    if pieces and lower in (*_CONTRACTED, "'s") and not pieces[-1].endswith(" ") and word != token.text:
        pieces[-1] += " "  # "I'm" -> "User is"
    if token.i == first.i and word[:1].islower():
        word = word[0].upper() + word[1:]
    if moved and token.i == moved[0].i:
        word = word if token.pos_ == "PROPN" or word == SUBJECT else word[:1].lower() + word[1:]
        if pieces and not pieces[-1].endswith(" "):
            pieces[-1] += " "
    return word
