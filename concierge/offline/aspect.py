"""Whether a message tells of something done, something usual, or gives notice, read from its parse.

A request asks for something now. A sentence whose main verb is in the past tense tells of something done ("Just
booked our flights to Lisbon for March!", "We got back from Rome last night"); a habit tells how things usually are
("I often book business dinners in Milan for my team"); a heads-up tells of a need to come without asking for it yet
("We might want a table in Madrid in spring, no rush, just a heads up"). Each is news: stored, acknowledged, and
nothing is planned until the user asks. A clause that asks (a question, "can you", "please", an imperative) keeps
the message a request; the caller checks that.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.tokens import Span, Token

# Adverbs of frequency: the verb they modify says what the speaker usually does.
_HABITUAL = frozenset({"often", "usually", "always", "normally", "generally", "typically", "regularly", "sometimes"})
# A notice given ahead: the thing named is not asked for yet.
_NOTICE = re.compile(  # not "fyi": "Lactose intolerant fyi: lunch in Madrid for 5" tells a need beside a request
    r"\b(?:just\s+)?(?:a\s+)?heads[\s-]?up\b|\bjust\s+letting\s+you\s+know\b|\bno\s+rush\b|\bnot\s+yet\b|"
    r"\bnothing\s+to\s+book\s+yet\b",
    re.I,
)
# A verb of asking in the present beside the news asks after all ("I just landed in Paris and need dinner for 2").
_ASKING = frozenset({"need", "want", "book", "reserve", "find", "get", "look", "plan", "organise", "organize", "like"})
_NOW_TAGS = frozenset({"VB", "VBP", "VBZ", "VBG"})
_DONE_TAGS = frozenset({"VBD", "VBN"})  # "booked", "got back"; "Just booked ..." parses the verb as VBN


def _main_verbs(sentence: Span) -> list[Token]:
    root = sentence.root
    return [root, *(c for c in root.children if c.dep_ == "conj" and c.pos_ in ("VERB", "AUX"))]


def _past_form(word: str) -> bool:
    """A form in -ed of an English verb ("booked", "landed", "stopped", "loved"): the tagger reads a sentence's first
    word as an imperative ("Booked a hotel in Rome ..." tagged like "Book a hotel ..."), its ending says otherwise."""
    from concierge.needs.nlp import english_words

    if not word.endswith("ed") or len(word) < 5:
        return False
    stem = word[:-2]
    stems = {stem, word[:-1], stem[:-1] if len(stem) > 2 and stem[-1] == stem[-2] else stem}
    return bool(stems & english_words())


def _done(verb: Token) -> bool:
    """The verb tells of a past event: past tense, with no auxiliary of the future or a wish beside it."""
    if verb.pos_ != "VERB" or (verb.tag_ not in _DONE_TAGS and not _past_form(verb.lower_)):
        return False
    helpers = [c for c in verb.children if c.dep_ in ("aux", "auxpass")]
    if not (helpers or _said_by_someone(verb)):
        return False  # a participle that describes ("a hotel with breakfast included"), not a verb that tells
    return all(h.tag_ in ("VBD", "VBZ", "VBP") and h.lower_ not in ("will", "'ll", "would", "'d") for h in helpers)


def _said_by_someone(verb: Token) -> bool:
    """The verb has a person for its subject ("we", "my sister", "Anna"), or opens its sentence with the subject
    left out as chat does ("Just booked ..."); "A hotel with breakfast included" has no one who did anything."""
    subject = next((c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    if subject is not None:
        owned = any(c.dep_ == "poss" for c in subject.children)
        return subject.tag_ == "PRP" or subject.pos_ == "PROPN" or owned
    return all(t.pos_ in ("ADV", "INTJ", "PUNCT", "CCONJ") for t in verb.doc[verb.sent.start : verb.i])


def _usual(verb: Token) -> bool:
    return any(c.lower_ in _HABITUAL for c in verb.children if c.dep_ == "advmod")


def tells_done_or_usual(text: str) -> bool:
    """A sentence's main verb tells of something done or usual, or the message gives notice ahead."""
    from concierge.needs.nlp import parse

    if _NOTICE.search(text):
        return True
    doc = parse([text])[0]
    asking = any(t.lemma_.lower() in _ASKING and t.tag_ in _NOW_TAGS and not _usual(t) for t in doc)
    return not asking and any(_done(v) or _usual(v) for s in doc.sents for v in _main_verbs(s))
