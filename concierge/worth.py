"""What is worth remembering: a clause's kind, read from its parse.

Stored: lasting preferences, needs, plans and personal facts, in any tense ("I painted that lake sunrise
last year" is a fact about the user's life). Not stored: questions and requests (the chat answers them),
greetings and thanks, passing moods ("I'm bored", "I'm having a lovely morning"), one-off filler
("surprise me", "I don't mind", "I guess"). The reader looks at the clause's subject and verb, so a
statement about the user is never dropped because its words resemble chit-chat.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

SUBORDINATORS = frozenset({"when", "whenever", "where", "wherever", "while", "if"})  # open an adverbial clause

if TYPE_CHECKING:
    from spacy.tokens import Span, Token

SMALL_TALK = "small_talk"  # the policy's exclude name: what the reply reports as the reason
# Passing states: said of the user now, gone tomorrow. A state with a complement ("tired of crowded
# beaches", "excited about Kyoto") says something lasting and is kept.
_MOODS = frozenset(
    [
        "bored",
        "tired",
        "exhausted",
        "sleepy",
        "hungry",
        "thirsty",
        "starving",
        "full",
        "sick",
        "ill",
        "unwell",
        "cold",
        "hot",
        "freezing",
        "excited",
        "happy",
        "glad",
        "sad",
        "upset",
        "stressed",
        "anxious",
        "nervous",
        "annoyed",
        "angry",
        "grumpy",
        "cranky",
        "busy",
        "free",
        "fine",
        "good",
        "great",
        "ok",
        "okay",
        "alright",
        "well",
        "ready",
        "back",
        "here",
        "home",
        "done",
        "curious",
        "confused",
        "lost",
        "jetlagged",
        "jet-lagged",
        "sorry",
        "thrilled",
        "delighted",
        "pleased",
        "relieved",
        "bummed",
        "gutted",
        "knackered",
        "shattered",
    ]
)
# Verbs that, without an object, only react to the conversation ("I see", "I don't mind", "I guess so").
_REACTIONS = frozenset(
    [
        "mind",
        "care",
        "know",
        "think",
        "guess",
        "see",
        "agree",
        "suppose",
        "understand",
        "wonder",
        "mean",
        "bet",
        "reckon",
        "hope",
    ]
)
_TIME_OF_DAY = frozenset(["morning", "afternoon", "evening", "day", "night", "week", "weekend", "time"])
_COMPLEMENTS = frozenset(("dobj", "attr", "prep", "xcomp", "ccomp", "pobj", "dative", "oprd", "advcl", "acomp"))
_FIRST_PERSON_SUBJECTS = frozenset({"i", "we", "user"})  # "user": a fact already in the third person


def _subject_of(verb: Token) -> Token | None:
    return next((c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass", "expl")), None)


def _root(span: Span) -> Token | None:
    inside = {t.i for t in span}
    return next((t for t in span if t.head.i == t.i or t.head.i not in inside), None)


def first_person_subject(span: Span) -> bool:
    """The clause's subject is the user ("I ...", "we ...", "my husband and I ...") or someone of theirs
    ("my son ...", "our kids ...")."""
    root = _root(span)
    subject = _subject_of(root) if root is not None else None
    if subject is None:
        return False
    people = [subject, *(c for c in subject.children if c.dep_ in ("conj", "poss"))]
    return any(p.lower_ in _FIRST_PERSON_SUBJECTS or p.lower_ in ("my", "our") for p in people)


def opens_with_subordinate_clause(span: Span) -> bool:
    """ "When I travel I book the aisle": a wh-word opening a clause that modifies the main one, not a question."""
    first = next((t for t in span if not t.is_punct), None)
    if first is None or first.lower_ not in SUBORDINATORS:
        return False
    clause = first.head  # "travel" (when -> travel), an adverbial clause of the main verb
    return clause.dep_ == "advcl" and clause.head.i != clause.i and clause.head.i in {t.i for t in span}


def is_imperative(span: Span) -> bool:
    """ "surprise me", "book it", "just pick one": a bare verb first, with no subject."""
    root = _root(span)
    if root is None or root.tag_ != "VB" or _subject_of(root) is not None:
        return False
    first = next((t for t in span if not t.is_punct and t.pos_ not in ("INTJ", "ADV", "CCONJ")), None)
    return first is not None and (first.i == root.i or first.lower_ in ("please", "just", "pls"))


def to_the_assistant(span: Span) -> bool:
    """Said to the assistant rather than about the user's life: "I hope you're well", "I'll let you know"."""
    thanks = any(t.lower_ in ("thanks", "thank", "thx", "cheers", "ty") for t in span)
    return thanks or any(t.lower_ in ("you", "ya", "u") and t.dep_ in ("nsubj", "dobj", "dative", "pobj") for t in span)


def passing_state(span: Span) -> bool:
    """A mood or a moment ("I'm bored", "we're so tired", "I'm having a lovely morning"), or a reaction to
    the chat with nothing after it ("I don't mind", "I see", "I guess")."""
    root = _root(span)
    if root is None or not first_person_subject(span):
        return False
    children = list(root.children)
    adjective = _state_adjective(root)
    if adjective is not None:
        complement = any(c.dep_ in _COMPLEMENTS for c in adjective.children) or (
            adjective.i != root.i and any(c.dep_ in _COMPLEMENTS - {"acomp"} for c in children)
        )
        return adjective.lower_ in _MOODS and not complement
    if root.lemma_ == "be" and children and all(c.dep_ in ("nsubj", "advmod", "neg", "punct") for c in children):
        return any(c.lower_ in _MOODS for c in children)  # "we're back", "I'm home"
    if root.lemma_ == "have" and any(c.dep_ == "dobj" and c.lemma_ in _TIME_OF_DAY for c in children):
        return True  # "having a lovely morning"
    return root.lemma_ in _REACTIONS and not any(c.dep_ in _COMPLEMENTS for c in children)


def _state_adjective(root: Token) -> Token | None:
    """The word saying how the subject is: the root adjective or passive participle ("is bored", "got
    stressed"), or the complement of "be" ("I'm tired")."""
    participle = root.tag_ == "VBN" and any(c.dep_ == "auxpass" for c in root.children)
    if root.pos_ == "ADJ" or participle:
        return root
    if root.lemma_ == "be":
        return next((c for c in root.children if c.dep_ == "acomp"), None)
    return None


def states_a_fact(text: str) -> bool:
    """A statement about the user or theirs ("I painted ...", "User moved ...", "My son is ..."), not a mood,
    not said to the assistant, not a question: what an exclude for chit-chat must never drop."""
    from concierge.needs.nlp import parse

    if text.rstrip().endswith("?"):
        return False
    for sentence in parse([text])[0].sents:
        root = _root(sentence)
        subject = _subject_of(root) if root is not None else None
        about_user = first_person_subject(sentence) or (
            subject is not None and any(t.lower_ == "user" for t in subject.subtree)
        )
        if about_user and not passing_state(sentence) and not to_the_assistant(sentence):
            return True
    return False


def elliptical(span: Span) -> bool:
    """ "I'm not", "I do", "we have": an auxiliary with nothing said after it (the rest is in another clause)."""
    root = _root(span)
    if root is None or (root.pos_ != "AUX" and root.lemma_ not in ("do", "have")):  # "only my father does"
        return False
    # every word of the clause is the auxiliary, its subject, a negation or an adverb ("only my husband is"); the
    # clause before ("I'm not vegan, ...") may hang from the same root and is not this clause's
    said = {root.i} | {
        t.i for c in root.children if c.dep_ in ("nsubj", "neg", "advmod", "punct", "cc", "intj") for t in c.subtree
    }
    return all(t.i in said or t.is_punct for t in span)
