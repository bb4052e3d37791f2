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
    lower = token.lower_
    nouns = [
        t
        for t in before
        if t.pos_ in ("NOUN", "PROPN")
        and t.dep_ not in ("compound", "appos")
        and not (t.dep_ == "npadvmod" and t.lemma_.lower() in _TIME_UNITS)  # "these days", not "no mushrooms, ..."
    ]
    if lower in _PERSON_BACK:
        wanted = [t for t in nouns if _has_owner(t)]
    elif lower == "they" and (people := [t for t in nouns if _has_owner(t) and t.tag_ in ("NNS", "NNPS")]):
        wanted = people  # "my kids are 4 and 7 and they love pools"
    else:
        at_place = ("in", "at", "to", "from", "near", "around")
        owned = [t for t in nouns if not _has_owner(t) and t.lower_ != "user"]
        places = [t for t in owned if t.dep_ == "pobj" and t.head.lower_ in at_place]
        things = [t for t in owned if t not in places]
        number = ("NNS", "NNPS") if lower in _PLURAL_BACK else ("NN", "NNP")
        wanted = [t for t in things if t.tag_ in number] or things
        if not wanted and lower in _SINGULAR_BACK:
            wanted = places  # "We went to Kyoto and loved it"
    if not wanted:
        return None
    noun = wanted[-1]
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
SUBORDINATORS = frozenset({"when", "whenever", "where", "wherever", "while", "if"})  # open an adverbial clause


def _possessed_by_user(token: Token) -> bool:
    """ "my husband", "our kids": a subject that is someone of the user's."""
    return any(c.dep_ == "poss" and c.lower_ in ("my", "our") for c in token.children)


def _user_first(tokens: list[Token]) -> tuple[list[Token], list[Token]]:
    """The clause with an adverbial said before the user moved to its end, so a fact starts with the user:
    "These days I'm based in Madrid" -> "I'm based in Madrid these days"; and the moved tokens."""
    inside = {t.i for t in tokens}
    verb = next((t for t in tokens if t.head.i == t.i or t.head.i not in inside), None)  # the clause's main verb
    if verb is None:
        return tokens, []
    found = next((t for t in tokens if t.dep_ in ("nsubj", "nsubjpass") and t.head.i == verb.i), None)
    if found is None or not (_is_i(found) or _possessed_by_user(found)):
        return tokens, []
    subject = found.left_edge.i - tokens[0].i  # "my husband": the subject's first word
    lead = tokens[:subject]
    clause = bool(lead) and lead[0].lower_ in SUBORDINATORS  # "When I travel, I book ..." -> "... when I travel"
    deps = _FRONTED_DEPS | {"advcl"} if clause else _FRONTED_DEPS
    heads = [t for t in lead if t.head.i == verb.i and t.dep_ in deps and t.tag_ != "WRB"]
    covered = {d.i for h in heads for d in h.subtree}
    verbs = not clause and any(t.pos_ == "VERB" for t in lead)
    if not heads or any(t.i not in covered and not t.is_punct for t in lead) or verbs:
        return tokens, []
    moved = [t for t in lead if not t.is_punct]
    rest = tokens[subject:]
    tail = 0
    while tail < len(rest) and rest[-1 - tail].is_punct:
        tail += 1
    body, ending = rest[: len(rest) - tail], rest[len(rest) - tail :]
    return [*body, *moved, *ending], moved


def rewrite(doc: Doc, start: int = 0, end: int | None = None) -> Rewrite:
    """The tokens ``doc[start:end]`` in the third person, starting with the user when they are the subject;
    earlier tokens of ``doc`` resolve pronouns."""
    end = len(doc) if end is None else end
    tokens, moved = _user_first(list(doc[start:end]))
    agree = {verb.i for t in tokens if _is_i(t) and (verb := _verb_of(t)) is not None}
    user_named = False
    pieces: list[str] = []
    unresolved = None
    replaced = False
    for token in tokens:
        lower = token.lower_
        word = token.text
        if _is_i(token):
            word = SUBJECT
            user_named = True
        elif lower == "'d" and token.head.tag_ == "VBN":
            word = "had"  # "I'd been there"
        elif token.i in agree:
            word = third_person_verb(token.text, token.tag_)
        elif lower in _CONTRACTED and token.tag_ in ("MD", "VBP", "VBZ", "VBD"):
            word = "had" if token.tag_ == "VBD" else _CONTRACTED[lower]
        elif lower in ("me",):
            word = SUBJECT
        elif lower == "myself":
            word = "themselves"
        elif lower == "mine":
            word = f"{SUBJECT}'s"
        elif lower in ("my", "our"):
            word = "their" if user_named else f"{SUBJECT}'s"
            user_named = True
        elif lower == "we":
            word = f"{SUBJECT} and their party"
            user_named = True
        elif lower == "us":
            word = "them"
        elif lower == "there" and token.dep_ == "advmod":
            place = _place_before([t for t in doc[: token.i]])
            word = f"in {place}" if place else word  # "I lived there" -> "User lived in Lyon"
        elif _needs_resolving(token):
            found = _antecedent(token, [t for t in doc[: token.i]])
            if found is None:
                unresolved = unresolved or token.text
            else:
                word = found
        if lower == "'s" and token.pos_ == "AUX" and replaced:
            word = "is"  # "he's" -> "User's husband is"
        if pieces and lower in (*_CONTRACTED, "'s") and not pieces[-1].endswith(" ") and word != token.text:
            pieces[-1] += " "  # "I'm" -> "User is"
        if token.i == tokens[0].i and word[:1].islower():
            word = word[0].upper() + word[1:]
        if moved and token.i == moved[0].i:
            word = word if token.pos_ == "PROPN" or word == SUBJECT else word[:1].lower() + word[1:]
            if pieces and not pieces[-1].endswith(" "):
                pieces[-1] += " "
        replaced = word != token.text
        pieces.append(word + ("" if moved and token.i == moved[-1].i else token.whitespace_))
    text = "".join(pieces).strip(" ,;:-")
    return Rewrite(text, unresolved)
