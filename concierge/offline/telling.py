"""Whether a clause tells or asks, read from its parse (its grammatical mood), not from its words.

A request asks: a question, an imperative ("book a table"), a modal aimed at the concierge ("could you ...") or a
wish for something to book ("we'd like a table", "I want to book ..."). News tells: a subject says something of
itself in any tense ("I'll be in Berlin from the 3rd to the 7th", "Next summer we're doing a road trip through
Portugal", "Our anniversary is March 14"), and a wish to do something other than book is news too ("we'd like to
spend it in Paris", "next spring we want to see the Netherlands"). The offline reader keeps a request that every
clause of tells as a statement: it is stored and acknowledged, and nothing is planned until the user asks.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.tokens import Span, Token

_LISTENER = frozenset({"you", "u", "ya"})
_SPEAKER = frozenset({"i", "we"})
_QUESTION_TAGS = frozenset({"WDT", "WP", "WP$", "WRB", "MD"})
# Wanting these is asking the concierge for them ("I'd like to book a table"); wanting anything else is a wish.
_BOOKING_VERBS = frozenset(
    {"book", "reserve", "find", "get", "have", "eat", "dine", "grab", "stay", "plan", "organise", "organize", "arrange"}
)
_WISHING = frozenset({"want", "like", "love", "hope", "wish"})
# The words of a wish that also ask when they want a thing ("we'd like a table"): dropped once a wish is told.
WISH_WORDS = re.compile(
    r"\b(?:i|we)(?:'d|\s+would)\s+(?:really\s+)?(?:like|love)\s+to\b|\b(?:i|we)\s+(?:want|wanna)\s+to\b", re.I
)


def _subject(verb: Token) -> Token | None:
    return next((c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass", "expl")), None)


def _sentences(clause: str) -> list[Span]:
    from concierge.needs.nlp import parse

    return list(parse([clause])[0].sents)


def _opening(sentence: Span) -> str | None:
    root = sentence.root
    subject = _subject(root)
    if subject is None or subject.lower_ in _LISTENER:
        return None
    first = next((t for t in sentence if not t.is_punct), None)
    if first is not None and first.i < subject.i and (first.tag_ in _QUESTION_TAGS or first.pos_ == "AUX"):
        return None  # "can we ...", "where are we ...": a question
    start = min(t.i for t in subject.subtree)
    return sentence.doc[sentence.start : start].text


def declared_after(clause: str) -> str | None:
    """What is said before the subject when the clause is said as news ("Next summer" in "Next summer we're doing a
    road trip", "" in "Kyoto is my favourite"); None when it is not: no subject but the listener, a question mark,
    or a question word or auxiliary before the subject. The caller judges the opening ("Lunch in Bordeaux on
    Tuesday for 2 I'm allergic to mustard" opens with a request)."""
    if "?" in clause:
        return None
    return next((o for o in map(_opening, _sentences(clause)) if o is not None), None)


def _wish(sentence: Span) -> bool:
    root = sentence.root
    subject = _subject(root)
    if root.lemma_ not in _WISHING or subject is None or subject.lower_ not in _SPEAKER:
        return False
    wanted = [c for c in root.children if c.dep_ == "xcomp" and c.pos_ in ("VERB", "AUX")]
    return bool(wanted) and all(v.lemma_.lower() not in _BOOKING_VERBS for v in wanted)


def wishes(clause: str) -> bool:
    """The speaker wants to do something that is not booking ("we'd like to spend it in Paris", "I want to see
    Kyoto one day"), as opposed to wanting a thing or a booking ("we'd like a table", "I want to book a hotel")."""
    return "?" not in clause and any(_wish(s) for s in _sentences(clause))


_WANTING = frozenset({"want", "need", "like", "love", "fancy"})
_LIKING = frozenset({"like", "love"})  # wanting only with "would": "I'd like", "we would love"


def _asks_for(sentence: Span) -> bool:
    root = sentence.root
    subject = _subject(root)
    if root.lemma_ not in _WANTING or subject is None or subject.lower_ not in _SPEAKER:
        return False
    if root.lemma_ in _LIKING and not any(c.tag_ == "MD" for c in root.children):
        return False  # "I like breakfast places that open at 7" is a taste; "I'd like a table at 7" asks
    thing = any(c.dep_ == "dobj" for c in root.children)
    booking = any(c.dep_ == "xcomp" and c.lemma_.lower() in _BOOKING_VERBS for c in root.children)
    return thing or booking


def asks_for_something(clause: str) -> bool:
    """The speaker wants a thing or a booking, whatever adverb sits between ("I also need a hotel in Porto", "we
    also want lunch in Seville", "I'd like to book a table"), as opposed to wanting to do something ("I want to
    see Kyoto one day")."""
    return any(_asks_for(s) for s in _sentences(clause))


_NOT_OTHERS = _LISTENER | _SPEAKER | frozenset({"there", "me", "us", "it", "this", "that", "which", "what", "who"})


def _about_others(sentence: Span) -> bool:
    root = sentence.root
    subject = _subject(root)
    first = next((t for t in sentence if not t.is_punct), None)
    if subject is None or first is None or subject.lower_ in _NOT_OTHERS or subject.tag_ in _QUESTION_TAGS:
        return False
    if any(c.tag_ in ("WDT", "WP", "WP$", "PRP$") or c.lower_ in _SPEAKER for c in subject.subtree):
        return False  # "which restaurants serve dinner late?" asks for venues; "could my wife and I get ..." asks
    venue = subject.pos_ == "PROPN" and subject.tag_ != "NNPS" and subject.ent_type_ != "NORP"  # not "Spaniards"
    if venue or (root.lemma_ == "be" and first.tag_ in ("WP", "WDT")):
        return False  # "is Casa Paco good for ...?", "what are some good places ...?": about venues, not customs
    return first.i < subject.i and (first.tag_ in _QUESTION_TAGS or first.pos_ == "AUX") and first.lower_ != "where"


def asks_about_others(clause: str) -> bool:
    """A question whose subject is neither the speaker nor the listener ("what time do Spaniards eat lunch?", "do
    restaurants in Rome close in August?", "is tipping expected in Lisbon?"): it asks how things are done there,
    not for a table, a room or a trip."""
    return "?" in clause and any(_about_others(s) for s in _sentences(clause))


# Booking, said as a verb ("book", "reserve", "get a table") or a noun ("reservations", "booking").
_BOOK_VERBS = frozenset({"book", "reserve", "prebook", "pre-book"})
_BOOK_NOUNS = frozenset({"reservation", "booking", "table"})
# What is asked of booking: whether it is needed, wise, hard or how early ("Do I need to book ahead?", "Is it hard to
# get a table?", "Are reservations necessary?", "How far ahead should we reserve?").
_NEEDING = frozenset({"need", "have"})
_JUDGING = frozenset(
    {"hard", "easy", "difficult", "tough", "necessary", "possible", "worth", "essential", "wise", "better", "smart",
     "advisable", "needed", "required", "recommended", "mandatory", "important", "busy"}
)  # fmt: skip
_ADVISING = frozenset({"should", "must", "ought"})
_EARLY = frozenset({"ahead", "advance", "early", "beforehand", "soon", "far"})


def _booking(token: Token) -> bool:
    """ "book", "reserve", "reservations", "booking", "get a table"."""
    lemma = token.lemma_.lower()
    if lemma in _BOOK_VERBS | _BOOK_NOUNS:
        return True
    return lemma == "get" and any(c.dep_ == "dobj" and c.lemma_.lower() == "table" for c in token.children)


_ASKING_FIRST = frozenset({"do", "does", "did", "is", "are", "should", "must", "will", "would"})


def _asks_of_booking(token: Token) -> bool:
    """One booking word of a question, asked about rather than asked for (see ``asks_whether_to_book``)."""
    if not _booking(token):
        return False
    head, lemma = token.head, token.lemma_.lower()
    judged = {head.lemma_.lower(), head.lower_} | {c.lower_ for c in (*token.children, *head.children)}
    if judged & _JUDGING:  # "is it hard to get a table", "are reservations necessary", "is booking required"
        return True
    first = token.sent[0].lower_ in _ASKING_FIRST or token.sent[0].tag_ == "WRB"  # "how early do I need to ..."
    needed = head.lemma_.lower() in (*_NEEDING, "take") and token.dep_ in ("xcomp", "dobj") and lemma != "table"
    if first and needed:  # "do I need to book", "do you need a reservation", "do restaurants take reservations"
        return True
    advised = any(c.dep_ == "aux" and c.lower_ in _ADVISING for c in token.children)
    early = bool({c.lower_ for c in token.subtree} & _EARLY) or any(t.tag_ == "WRB" for t in token.sent)
    subject = _subject(token)
    others = subject is not None and subject.lower_ not in _LISTENER | _SPEAKER  # "do people book ahead?"
    return (advised or (first and others)) and early


def asks_whether_to_book(clause: str) -> bool:
    """A question about booking itself, not a request to book: whether it is needed or hard, how early to do it
    ("Do I need to book ahead for dinner in Amsterdam?", "Is it hard to get a table in Rome?", "How far in advance
    should we reserve in Lisbon?", "Are reservations necessary in Porto?"). It is answered, nothing is booked."""
    return "?" in clause and any(_asks_of_booking(t) for s in _sentences(clause) for t in s)


# Verbs of taste and habit: "I love cooking at home" tells what the speaker likes, not what they do instead of the plan.
_TASTE = frozenset({"love", "like", "enjoy", "prefer", "hate", "adore", "dislike", "miss"})


def _tells_a_taste(sentence: Span) -> bool:
    root = sentence.root
    subject = _subject(root)
    return root.lemma_.lower() in _TASTE and subject is not None and subject.lower_ in _SPEAKER


def tells_a_taste(clause: str) -> bool:
    """The speaker tells a taste or a habit ("I love cooking at home", "we enjoy eating in"): never news that gives up
    the session's plan, however close its words are to "we'll cook at home instead"."""
    return any(_tells_a_taste(s) for s in _sentences(clause))


# What a venue or a booking is called: "what's the best restaurant in Rome?" asks for one, not about the place.
_VENUE_NOUNS = frozenset(
    {"restaurant", "hotel", "place", "spot", "table", "room", "cafe", "café", "bar", "bistro", "trattoria", "apartment",
     "guesthouse", "hostel", "option", "venue", "eatery", "brasserie", "suite"}
)  # fmt: skip


def _judged(sentence: Span) -> Token | None:
    """The thing a copular question judges: its subject, or its attribute when the subject is a question word
    ("what's the best area ...": the area)."""
    root = sentence.root
    subject = _subject(root)
    if subject is not None and subject.tag_ in _QUESTION_TAGS:
        return next((c for c in root.children if c.dep_ in ("attr", "acomp")), subject)
    return subject


def _judges(sentence: Span) -> bool:
    root = sentence.root
    if root.lemma_ != "be" or any(_booking(t) for t in sentence):
        return False
    subject, first = _subject(root), next((t for t in sentence if not t.is_punct and t.pos_ != "ADV"), None)
    if subject is None or first is None or subject.dep_ == "expl" or subject.lower_ in _LISTENER | {"there"}:
        return False  # "is there a vegan place open tonight?" asks for venues; "are you able to ...?" asks us
    asked = first.i <= subject.i and (first.tag_ in _QUESTION_TAGS or first.pos_ == "AUX")
    judged = _judged(sentence)
    nouns = {t.lemma_.lower() for t in (judged.subtree if judged is not None else ())}
    return asked and not nouns & _VENUE_NOUNS


def asks_about_a_place(clause: str) -> bool:
    """A yes/no or wh- question that judges a place, a day or an idea and asks the concierge for nothing ("Is Rome
    safe at night?", "Is it a good idea to visit Lisbon in January?", "Is Christmas Day a bad day to eat out in Rome?",
    "what's the best area to stay in Barcelona?"): answered, never booked. A question about a venue ("what's the best
    restaurant in Rome?"), about what there is ("is there ...?") or about booking is not one, nor is a message with a
    sentence that is no such question."""
    said = [s for s in _sentences(clause) if any(t.pos_ not in ("INTJ", "PUNCT", "SPACE") for t in s)]
    return "?" in clause and bool(said) and all(_judges(s) for s in said)  # "Dinner for 2. Is Rome safe?" asks
