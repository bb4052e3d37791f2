"""People added to or leaving the party of the session's plan: "add my sister", "my brother is joining us too", "one
more person", "bring two friends", "one of us dropped out", "my sister can't come" change the party relative to the
plan's, which a head count ("for four") does not need.

Who joins is counted by the request reader of a party (``read_people`` on "me and <who>"), so "my parents" is two,
"two colleagues" two and "my kids" cannot be counted (None: the plan's party is kept and nothing is guessed).
"""

from __future__ import annotations

import re

from concierge.offline.party import read_people
from concierge.request.numbers import NUMBER_WORDS
from concierge.request.when import When

_I = re.IGNORECASE
_NUMBER = r"(?:\d+|" + "|".join(NUMBER_WORDS) + ")"
_WHO = r"(?P<who>(?:my|our|" + _NUMBER + r")\b[^,.!?;]{0,40}?)"
_ADDED = (
    re.compile(
        r"\b(?:add|adding|bring|bringing|plus|invite|include|including)\s+"
        + _WHO
        + r"(?=\s*(?:[,.!?;]|$|\s+(?:too|as\s+well|please|to)\b))",
        _I,
    ),
    re.compile(_WHO + r"\s+(?:is|are|'s|'re|will\s+be|)\s*(?:joining|coming|tagging\s+along|coming\s+along)\b", _I),
)
_GONE = (
    r"(?:dropped\s+out|dropping\s+out|(?:can't|cannot|can\s+no\s+longer|won't|isn't|aren't)\s+"
    r"(?:come|coming|make\s+it))"
)
_LEFT = (
    re.compile(r"\b(?P<n>" + _NUMBER + r")\s+of\s+us\s+(?:has\s+|have\s+)?" + _GONE, _I),
    re.compile(_WHO + r"\s+(?:has\s+|have\s+)?" + _GONE, _I),
)
_MORE = re.compile(
    r"\b(?P<n>" + _NUMBER + r")\s+more\b(?:\s+(?:people|persons?|guests?|of\s+us|adults?))?",
    _I,
)


def _count(words: str) -> int | None:
    return int(words) if words.isdigit() else NUMBER_WORDS.get(words.lower())


def joined(text: str, party: int | None) -> int | None:
    """The party once the people ``text`` adds have joined ``party`` (the plan's), or None when none is added,
    the plan has no party, or who joins cannot be counted."""
    if party is None:
        return None
    more = _MORE.search(text)
    if more is not None and (n := _count(more.group("n"))):
        return party + n
    for pattern in _ADDED:
        said = pattern.search(text)
        if said is None or said.group("who").lower().startswith(("me", "us")):
            continue
        counted = read_people(f"for me and {said.group('who')}", When()).party_size
        return party + counted - 1 if counted else None
    return None


def left(text: str, party: int | None) -> int | None:
    """The party once the people ``text`` says cannot come have left ``party`` (the plan's), or None when nobody
    leaves, the plan has no party, or who leaves cannot be counted."""
    if party is None:
        return None
    for pattern in _LEFT:
        said = pattern.search(text)
        if said is None:
            continue
        if "n" in said.groupdict() and said.group("n"):
            gone = _count(said.group("n"))
        else:
            counted = read_people(f"for me and {said.group('who')}", When()).party_size
            gone = counted - 1 if counted else None
        return party - gone if gone and party - gone >= 1 else None
    return None


# "for me" alone names who the plan is for in a booking's words ("book it for me"), not a party of one.
_FOR_ME = re.compile(r"(?<!just\s)(?<!only\s)\bfor\s+(?:me|myself)\b", _I)


def solo(text: str, counted: int | None) -> bool:
    """The user says they go alone ("just me", "only me now", "actually it's just me"): the party reader's count of
    one, unless all that said it was "for me" ("can you book it for me?" changes nobody)."""
    if counted != 1:
        return False
    return read_people(_FOR_ME.sub(" ", text), When()).party_size == 1
