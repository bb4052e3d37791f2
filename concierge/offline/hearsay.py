"""Facts the rewrite garbles: reported speech, a speaker tag, words to the assistant (attack4 L2).

Why: "My son's teacher says he's not allergic to peanuts" was stored as "User's son's teacher says User's son 's
teacher is not allergic to peanuts", "I'm no longer allergic to peanuts, said my brother" left "Said User's
brother", and "you can't forget my peanut allergy" became "You can't forget User's peanut allergy". A garbled
fact is worse than none: it is read back into answers and plans. So, on the facts of one message:

- what a third party says or thinks that denies something of another person and states no need ("my friend
  thinks I'm not vegan") is not stored: it is hearsay, and it supersedes nothing either (the retraction rules
  never see it); the holder's own words reported ("my wife says she's not vegan any more") are kept;
- a speaker tag with no content ("said my brother") is not stored, nor a clause that says nothing of its subject
  (attack5 L3: "User wishes", "User is kidding", "Well, I'm not.", "Or is User");
- words to the assistant ("you can't forget my peanut allergy") are stored as the needs they state, composed from
  the vocabulary ("User has a peanut allergy"), or not at all;
- a rewrite that split a possessive from its noun ("User's son 's teacher") is replaced by the needs the message
  states, composed the same way (the detector reads the message itself right: "he" is the son), or dropped;
- a rewrite that doubled a word or an owner ("It isn't the case case User ...", "User's their son Tom", "My my son
  Tom", attack6 L3) or left a hedge of the sentence's start at its end ("User is still allergic to fish Chance",
  "... shellfish possibly") is cleaned to one sentence (``clean_wording``), and a copy of a kept fact in the
  user's own words ("My son Tom ..." beside "User's son Tom ...") is not stored twice.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from concierge.needs import DetectedNeed, detect_needs

if TYPE_CHECKING:
    from spacy.tokens import Token

REPORTED_SPEECH = "reported speech (someone else's words, not the user's)"
SPEAKER_TAG = "a speaker tag with nothing said"
TO_THE_ASSISTANT = "said to the assistant"
GARBLED = "a garbled rewrite"
NOTHING_SAID = "a clause that says nothing of anyone (an aside, or a verb with no complement)"
# Verbs of the conversation itself: with no complement they say nothing of the person ("I wish.", "I'm kidding").
_ASIDES = frozenset(
    {"wish", "kid", "joke", "mean", "think", "guess", "suppose", "hope", "hop", "know", "say", "bet", "wonder"}
    | {"reckon", "believe", "see", "agree", "mind", "do"}
)
_KEEPS_ON = frozenset({"keep", "start", "go", "continue"})
_COMPLEMENTS = frozenset(
    {"attr", "acomp", "prep", "dobj", "xcomp", "ccomp", "advmod", "npadvmod", "oprd", "agent", "dative", "advcl"}
)
_SPEECH = frozenset({"say", "tell", "think", "claim", "believe", "reckon", "insist", "suggest", "argue", "swear"})
_TAGS = frozenset({"said", "says", "told", "asked", "added", "claimed", "insisted", "replied", "wrote", "according"})


def _why_junk(fact: str) -> str | None:
    """Why ``fact`` is not kept as worded (see the module), else None."""
    from concierge.needs.nlp import parse

    words = fact.split()
    if words and words[0].lower() in _TAGS:
        return SPEAKER_TAG
    if " 's " in fact or fact.count('"') % 2 or fact.count("\u201c") != fact.count("\u201d"):
        return GARBLED  # a possessive split from its noun, or a quotation cut open ('keeps saying "User is not')
    doc = parse([fact])[0]
    root = next((t for t in doc if t.dep_ == "ROOT"), None)
    if root is None:
        return None
    subjects = [t for t in root.children if t.dep_ in ("nsubj", "nsubjpass")]
    if any(t.lower_ == "you" for t in subjects):
        return TO_THE_ASSISTANT
    if _says_nothing(root) and not any(n.active for n in detect_needs(fact)):
        return NOTHING_SAID
    said = next((t for t in root.children if t.dep_ == "ccomp"), None) if root.lemma_ in _SPEECH else None
    if said is None or not subjects or subjects[0].text == "User" or any(n.active for n in detect_needs(fact)):
        return None
    if not any(t.dep_ == "neg" or t.lower_ in ("longer", "never") for t in said.subtree):
        return None  # "my wife says the hotel was lovely": what they said, kept; only a denial is hearsay here
    about = [t for t in said.children if t.dep_ in ("nsubj", "nsubjpass")]
    # "User's wife says User's wife is not vegan any more": the holder's own words, reported; kept
    return None if about and _phrase(about[0]) == _phrase(subjects[0]) else REPORTED_SPEECH


_DOUBLED = re.compile(r"\b(\w+)(?:\s+\1\b)+", re.IGNORECASE)
_KEEPS_DOUBLE = frozenset({"had", "that"})  # "what he had had", "he said that that was fine"
_OWNER_TWICE = re.compile(r"\bUser's\s+(?:their|his|her|my|our|the)\s+")
_TRAILING_HEDGE = re.compile(
    r"^(?P<body>.+?)[\s,]+(?P<hedge>possibly|maybe|perhaps|probably|apparently|supposedly|chance|reckon)\W*$",
    re.IGNORECASE,
)
_HEDGES = frozenset({"possibly", "maybe", "perhaps", "probably", "apparently", "supposedly"})


def clean_wording(fact: str) -> str:
    """One clean sentence: a doubled word said once, "User's their son" as "User's son", a hedge left at the end
    put back in front ("Possibly, User is ..."), a lead-in word left at the end ("Chance", "Reckon") dropped."""
    fact = _DOUBLED.sub(_once, fact)
    fact = _OWNER_TWICE.sub("User's ", fact)
    found = _TRAILING_HEDGE.match(fact)
    if found is None:
        return fact
    hedge, body = found.group("hedge").lower(), found.group("body")
    return f"{hedge.capitalize()}, {body}" if hedge in _HEDGES else body


def _once(doubled: re.Match[str]) -> str:
    """A word said twice, once; but a name made of one word twice ("Bora Bora") or "had had" stays."""
    words = doubled.group(0).split()
    name = all(w[:1].isupper() for w in words)
    return doubled.group(0) if name or doubled.group(1).lower() in _KEEPS_DOUBLE else doubled.group(1)


def _as_said_copy(fact: str, kept: Sequence[str]) -> bool:
    """ "My son Tom is ..." kept as said beside "User's son Tom is ...": the same fact twice."""
    return fact[:3].lower() == "my " and f"User's {fact[3:]}" in kept


def _says_nothing(root: Token) -> bool:
    """A clause that predicates nothing of its subject: an aside to the conversation ("User wishes", "User is
    kidding", "User's nephew User means", "User thinks so") or a copula with no complement ("Well, I'm not.",
    "Or is User", "User wishes User wasn't"). "User smokes" or "User is a nurse" says something; kept."""
    complements = [t for t in root.children if t.dep_ in _COMPLEMENTS and t.lower_ != "so"]
    if root.lemma_ in _KEEPS_ON and len(complements) == 1 and complements[0].dep_ == "xcomp":
        return complements[0].lemma_ in _ASIDES and _says_nothing(complements[0])  # "User's son keeps saying"
    if root.lemma_ in _ASIDES:
        said = [t for t in complements if t.dep_ in ("ccomp", "xcomp")]
        return not complements or (len(complements) == len(said) and all(_says_nothing(t) for t in said))
    return root.pos_ == "AUX" and not complements


def _phrase(token: Token) -> str:
    return " ".join(t.text for t in token.subtree).casefold()


def without_junk(
    facts: list[str], known: Mapping[str, str], said: Sequence[DetectedNeed] = ()
) -> tuple[list[str], list[tuple[str, str]]]:
    """``facts`` without the garbled ones (each dropped with its reason). Words to the assistant become the needs
    they state, and a garbled rewrite the needs the message states (``said``) that no kept fact states, composed."""
    from concierge.needs.sentences import compose_needs

    kept: list[str] = []
    dropped: list[tuple[str, str]] = []
    cleaned = list(dict.fromkeys(clean_wording(f) for f in facts))
    for fact in [f for f in cleaned if not _as_said_copy(f, cleaned)]:
        why = _why_junk(fact)
        if why is None:
            kept.append(fact)
            continue
        needs = detect_needs(fact) if why == TO_THE_ASSISTANT else (said if why == GARBLED else [])
        composed = compose_needs([n for n in needs if n.active and not _stated(n, kept)], known)
        kept += [c for c in composed if c not in kept]
        dropped += [] if composed else [(fact, why)]
    return kept, dropped


def _stated(need: DetectedNeed, facts: list[str]) -> bool:
    return any((n.need_id, n.holder) == (need.need_id, need.holder) for f in facts for n in detect_needs(f))
