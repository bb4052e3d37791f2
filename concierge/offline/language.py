"""Small, general English rules the offline model needs: clauses, questions, requests.

These are grammar rules, not a phrase book: they apply to sentences never seen before.
"""

from __future__ import annotations

import re

_CLAUSE_BREAK = re.compile(
    r"[.!?;\n]+(?=\s|$)\s*"  # sentence ends ("7.30pm" and "e.g" are not)
    r"|,\s*"  # commas ("..., by the way, ...")
    r"|\s+[-\u2013\u2014]{1,2}\s+"  # dashes ("I'm vegan - dinner in Rome")
    r"|\s+(?:and|but|also|plus|so)\s+(?=(?:i|i'm|i've|i'd|i'll|my|we|we're|our)\b)",  # "... and I love Lyon"
    re.IGNORECASE,
)
_QUESTION_START = re.compile(
    r"^(?:what|where|when|which|who|whom|whose|why|how|can|could|would|will|should|shall|do|does|did|is|are|"
    r"am|any|please|tell|show|find|plan|book|recommend|suggest|give|help)\b(?!['\u2019])",  # "can't eat" states
    re.IGNORECASE,
)
_FIRST_PERSON = re.compile(r"\b(?:i|i'm|i've|i'd|i'll|me|my|mine|myself|we|we're|we've|our|us)\b", re.IGNORECASE)
# "no" and "yes" are fillers only as a reply ("No, I ..."): "No peanuts for me" keeps its "No".
_FILLER = re.compile(
    r"^(?:(?:oh|well|so|also|and|but|btw|anyway|actually|honestly|ok|okay|lol|tbh|ngl|omg|haha|hmm|ugh|fyi|imo"
    r"|by\s+the\s+way|to\s+be\s+honest|in\s+any\s+case|correction|sorry|i\s+mean|wait)\b"
    r"|(?:yes|no)\s*,)[\s,]*",
    re.IGNORECASE,
)
_TRAILING_FILLER = re.compile(r"[\s,]+(?:lol|tbh|ngl|haha|btw|fyi|imo|xx|woo|lmao)[\s!.]*$", re.IGNORECASE)


_SENTENCE_END = re.compile(r"(?<=[.!?;\n])\s+")


def split_sentences(text: str) -> list[str]:
    """Sentences, split only where one ends ("7.30pm" does not end one)."""
    return [s.strip() for s in _SENTENCE_END.split(text) if s.strip()]


def split_clauses(text: str) -> list[str]:
    """Break a message into clauses, dropping empty pieces and leading fillers."""
    pieces = []
    for raw in _CLAUSE_BREAK.split(text):
        piece = raw.strip(" \t\"'“”")
        while True:
            stripped = _TRAILING_FILLER.sub("", _FILLER.sub("", piece)).strip()
            if stripped == piece:
                break
            piece = stripped
        if piece:
            pieces.append(piece)
    return pieces


def is_question_or_request(clause: str, original_text: str, *, subordinate: bool = False) -> bool:
    """Questions and instructions ask for something; they are not facts about the user. ``subordinate``: the
    clause opens with a subordinate clause ("When I travel I ..."), so only a question mark makes it a question."""
    if _QUESTION_START.match(clause) and not subordinate:
        return True
    end = original_text.find(clause)
    tail = original_text[end + len(clause) : end + len(clause) + 2] if end >= 0 else ""
    return tail.startswith("?")


_WISH = re.compile(
    r"\b(?:i'?d|i would|we'?d|we would)\s+(?:like|love)\b|\b(?:i|we)\s+(?:want|need|fancy)\b"
    r"|\b(?:looking for|after)\b",
    re.IGNORECASE,
)
_SOON = re.compile(
    r"\b(?:tonight|tomorrow|today|this\s+(?:morning|afternoon|evening|weekend)|next\s+(?:week|weekend)"
    r"|(?:on\s+)?(?:mon|tues|wednes|thurs|fri|satur|sun)day|at\s+\d|for\s+(?:\d+|two|three|four|five|six)\b)",
    re.IGNORECASE,
)


# A wish about the user's own travels ("I want to visit Atlantis next week", "we hope to go to Japan"): a plan for
# the future is a fact worth keeping even with a date, unless it asks for a meal or a booking.
_TRAVEL_WISH = re.compile(
    r"\b(?:want|wants|wanna|'d\s+love|would\s+love|hope|hoping|plan|planning|dream\s+of)\s+(?:to\s+)?"
    r"(?:visit|see|travel|go\s+(?:to|back\s+to)|move\s+to|live\s+in|explore|tour)\b",
    re.IGNORECASE,
)
_BOOKING_WORDS = re.compile(
    r"\b(?:dinner|lunch|brunch|breakfast|table|hotel|room|book|reserve|restaurant)\b", re.IGNORECASE
)


def tied_to_a_moment(clause: str) -> bool:
    """The clause names a day, a time or a party ("tonight", "on Friday", "for 4"), as a booking does."""
    return bool(_SOON.search(clause))


def is_one_off_request(clause: str) -> bool:
    """A wish tied to a day, a time or a party ("I'd love a dinner in Paris tonight"): a request, not a fact."""
    if _TRAVEL_WISH.search(clause) and not _BOOKING_WORDS.search(clause):
        return False
    return bool(_WISH.search(clause) and _SOON.search(clause))


# Chat drops the "I": "off to barcelona friday", "big fan of street food", "luv tapas", "cant do spicy".
# A clause opening with one of these says something of the speaker; it is read with the subject put back.
_SPEAKER_STATE = re.compile(
    r"^(?:off\s+to|(?:a\s+)?(?:big|huge|massive)\s+fan\s+of|not\s+(?:a\s+|really\s+a\s+)?(?:big\s+)?fan\s+of"
    r"|obsessed\s+with|(?:really\s+)?into|addicted\s+to|crazy\s+about|mad\s+about|allergic\s+to"
    r"|(?:planning|heading\s+to|going\s+to|travelling\s+to|traveling\s+to|flying\s+to|moving\s+to|visiting)"
    r"|(?:based|living|staying|working)\s+(?:in|at)|in\s+(?-i:(?=[A-Z]))"
    r"|not\s+(?:veggie|vegetarian|vegan|pescatarian)\s+any\s*more)\b",
    re.IGNORECASE,
)
_SPEAKER_VERB = re.compile(
    r"^(?:(?:really|totally|absolutely|kinda)\s+)?(?:love|like|hate|prefer|adore|enjoy|dislike|loathe|detest"
    r"|can't\s+(?:do|eat|stand|have)|don't\s+(?:do|eat|like))\b"
    r"(?!\s+(?:is|are|was|were|isn't|aren't|wasn't|can|will|would|has|had)\b)",  # "Love is blind": a subject
    re.IGNORECASE,
)
_CALL_ME = re.compile(
    r"^(?i:(?:please\s+)?(?:just\s+)?(?:call\s+me|you\s+can\s+call\s+me))\s+(?P<name>[A-Z][\w'-]*)\W*$"
)
_ASKING = re.compile(r"\b(?:please|pls|plz)\b|\?\s*$", re.IGNORECASE)


def with_speaker(clause: str) -> str | None:
    """The clause with the speaker put back when chat left it out ("big fan of tapas" -> "I'm a big fan of
    tapas", "luv tapas" -> "I love tapas"); None when it names someone or opens otherwise."""
    if named := _CALL_ME.match(clause):  # "call me Sam": a name given
        return f"my name is {named.group('name')}"
    if mentions_user(clause) or _ASKING.search(clause):  # "avoid the tourist traps please" asks
        return None
    if _SPEAKER_STATE.match(clause):
        article = "a " if re.match(r"(?:big|huge|massive)\s+fan\b", clause, re.IGNORECASE) else ""
        return f"I'm {article}{clause[:1].lower()}{clause[1:]}"
    if _SPEAKER_VERB.match(clause):
        return f"I {clause[:1].lower()}{clause[1:]}"
    return None


def mentions_user(clause: str) -> bool:
    return bool(_FIRST_PERSON.search(clause))


def has_verb(clause: str) -> bool:
    """A statement has a verb; fragments of a request ("6 of us", "for me and my two kids") do not.

    Read with spaCy's tagger (the same pipeline the needs detector loads once per process).
    """
    from concierge.needs.nlp import parse

    return any(token.pos_ in ("VERB", "AUX") for token in parse([clause])[0])


def to_third_person(clause: str) -> str:
    """Rewrite a first-person clause about the user: "I'm allergic to nuts" -> "User is allergic to nuts".

    spaCy's parse finds the verb that agrees with "I" and lemminflect inflects it (see ``wording``).
    """
    from concierge.needs.nlp import parse
    from concierge.offline.wording import rewrite

    return rewrite(parse([clause.replace("\u2019", "'")])[0]).text
