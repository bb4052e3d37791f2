"""A value said relative to the session's plan, read as (field, signed delta): "one fewer" (party, -1), "add another 2"
(party, +2), "push it back a day" (date, +1), "a week later" (date, +7), "back it up by an hour" (time, -60 minutes),
"an hour and a half later" (time, +90). Only the plan knows what they are relative to, so they are applied to its
party, date and time; without them nothing is read (never a guess from today).

One small parse for every such edit: an amount with its unit (days, weeks, hours, minutes; people, seats) and a
direction (later/earlier, more/fewer), wherever the words put them ("push it back a week", "a week later",
"delay it by a day", "take one off", "two fewer", "minus one").
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Literal

from concierge.request.numbers import NUMBER_WORDS

_I = re.IGNORECASE
_N = r"(?:\d{1,3}|" + "|".join(sorted(NUMBER_WORDS, key=len, reverse=True)) + r")"
# An amount of time: "a day", "two weeks", "an hour and a half", "half an hour", "90 minutes", "1.5 hours".
_SPAN = re.compile(
    rf"\b(?:(?P<half>half\s+an\s+hour|a\s+half\s+hour)"
    rf"|(?P<n>{_N}|\d\.5)\s+(?P<unit>days?|weeks?|hours?|hrs?|minutes?|mins?)(?P<and_half>\s+and\s+a\s+half)?)\b",
    _I,
)
_MINUTES = {"day": 24 * 60, "week": 7 * 24 * 60, "hour": 60, "hr": 60, "minute": 1, "min": 1}
# Which way: earlier words first ("back it up" and "move it up" are earlier, though "back" alone is later).
_EARLIER = re.compile(
    r"\b(?:earlier|sooner|before|forward|ahead|back\s+(?:it\s+|this\s+|that\s+)?up|(?:move|bring|pull|bump)\s+(?:it\s+|this\s+|that\s+)?up)\b",
    _I,
)
_LATER = re.compile(r"\b(?:later|after|back|behind|delay\w*|postpone\w*|push(?:ed)?|bump|shift|move\s+it\s+on)\b", _I)
_NEXT_WEEK = re.compile(r"\bsame\s+(?:time|day|place)\s+(?:the\s+)?(?:next|following)\s+week\b", _I)
_DAY_NEXT = re.compile(
    r"^\W*(?:the\s+)?(?P<after>day\s+after|next\s+day|following\s+day)\b(?!\s+tomorrow)"
    r"|\bthe\s+(?:(?P<after2>day\s+after|next\s+day|following\s+day)(?!\s+tomorrow)|(?P<before>day\s+before|previous\s+day))\b",
    _I,
)

# People: "one fewer", "two less people", "take one off", "drop one seat", "minus one", "we lost one", "add another
# 2", "one extra", "plus one", "an extra seat", "reduce it by one", "increase it by two".
_SEATS = r"(?:people|persons?|guests?|seats?|places?|covers?|chairs?|adults?|diners?|of\s+us)"
_JOINERS = r"(?:friends?|kids?|children|colleagues?|relatives?|cousins?|people|folks?|more\s+\w+)"
_WHO = rf"(?:\s+(?:more\s+|extra\s+|additional\s+)?{_SEATS})?"
_END = r"(?=\s*(?:[,.;!?]|$)|\s+(?:please|then|now|after\s+all|this\s+time|at\s+the\s+table)\b)"
_NOT_TIME = r"(?!\s*(?:days?|nights?|weeks?|hours?|min|%))"
_FEWER = (
    re.compile(rf"\b(?P<n>{_N}){_WHO}\s+(?:fewer|less){_WHO}{_END}", _I),
    re.compile(rf"\b(?:take|knock|cross|strike)\s+(?P<n>{_N}){_WHO}\s+off\b", _I),
    re.compile(
        rf"\b(?:drop|remove|cancel|lose|take\s+away|subtract)\s+(?P<n>{_N}){_WHO[:-1]}\b{_NOT_TIME}",
        _I,
    ),
    re.compile(
        r"\b(?:drop|remove|cancel|lose)\s+(?P<n>a|an|one)\s+(?:person|guest|seat|place|cover|chair|diner)\b", _I
    ),
    re.compile(rf"\bminus\s+(?P<n>{_N})\b{_WHO}{_NOT_TIME}", _I),
    re.compile(rf"\b(?:we|i)\s+(?:lost|lose|are\s+losing|'re\s+losing)\s+(?P<n>{_N})\b{_NOT_TIME}", _I),
    re.compile(rf"\b(?:we'?re|we\s+are)\s+(?P<n>{_N})\s+(?:down|short)\b", _I),
    re.compile(rf"\b(?P<n>{_N})\s+(?:person\s+|guest\s+)?(?:can'?t|cannot|won'?t)\s+(?:make\s+it|come)\b", _I),
    re.compile(
        rf"\b(?:reduce|decrease|cut|lower)\s+(?:it\s+|the\s+(?:party|table|group|booking)\s+)?by\s+(?P<n>{_N})\b{_WHO}{_NOT_TIME}",
        _I,
    ),
)
_MORE = (
    re.compile(
        rf"\badd\s+(?:another|an\s+extra|one\s+more)(?:\s+(?P<n>{_N}))?{_WHO}(?=\s*(?:[,.!?;]|$|\s+(?:please|then|too|to)\b))",
        _I,
    ),
    re.compile(rf"\badd\s+(?P<n>{_N})\s+more\b", _I),
    # "add two people", "add a couple of guests", "add 3 friends": "add" a number of people adds them to the party
    re.compile(rf"\badd(?:\s+on)?\s+(?:(?:just|another|an\s+extra)\s+)?(?P<n>{_N})\s+(?:{_SEATS}|{_JOINERS})\b", _I),
    re.compile(r"\badd\s+(?P<n>a|an|one)\s+(?:person|guest|seat|place|cover|chair|diner)\b", _I),
    re.compile(rf"\b(?P<n>{_N})\s+(?:extra|additional)\b{_WHO}{_NOT_TIME}", _I),
    re.compile(rf"\bplus\s+(?P<n>{_N})\b{_WHO}{_NOT_TIME}", _I),
    re.compile(rf"\b(?:we|i)\s+(?:gained|gain|picked\s+up)\s+(?P<n>{_N})\b", _I),
    re.compile(rf"\bmake\s+it\s+(?P<n>{_N})\s+more\b", _I),
    re.compile(
        rf"\b(?:increase|raise|up)\s+(?:it\s+|the\s+(?:party|table|group|booking)\s+)?by\s+(?P<n>{_N})\b{_WHO}{_NOT_TIME}",
        _I,
    ),
)


@dataclass(frozen=True, slots=True)
class Delta:
    """A change of one field of the plan by a signed amount: people, or minutes (a day is 1440)."""

    field: Literal["party", "when"]
    amount: int


def _count(words: str | None) -> int | None:
    if words is None:
        return 1  # "add another", "an extra seat"
    return int(words) if words.isdigit() else NUMBER_WORDS.get(words.lower())


def _minutes(span: re.Match[str]) -> int | None:
    if span.group("half"):
        return 30
    said = span.group("n").lower()
    count = float(said) if said[0].isdigit() else NUMBER_WORDS.get(said)
    if count is None:
        return None
    count += 0.5 if span.group("and_half") else 0
    return round(count * _MINUTES[span.group("unit").lower().rstrip("s")])


def read_time_delta(text: str) -> int | None:
    """Minutes the words move the plan by ("push it back a day" -> +1440, "back it up an hour" -> -60), or None."""
    if _NEXT_WEEK.search(text):
        return 7 * 24 * 60
    span = _SPAN.search(text)
    if span is None and (next_day := _DAY_NEXT.search(text)):
        return -24 * 60 if next_day.group("before") else 24 * 60
    if span is None or (minutes := _minutes(span)) is None:
        return None
    if _EARLIER.search(text):
        return -minutes
    return minutes if _LATER.search(text) else None


def read_party_delta(text: str) -> int | None:
    """People the words add or take off ("one fewer" -> -1, "add another 2" -> +2), or None."""
    for sign, patterns in ((-1, _FEWER), (1, _MORE)):
        for pattern in patterns:
            said = pattern.search(text)
            if said is not None and (count := _count(said.groupdict().get("n"))):
                return sign * count
    return None


def shifted_date(text: str, plan_date: dt.date | None) -> dt.date | None:
    """The plan's date moved by the whole days ``text`` says ("a week later" -> 7 days on), or None."""
    minutes = read_time_delta(text) if plan_date is not None else None
    if plan_date is None or minutes is None or minutes % (24 * 60):
        return None
    return plan_date + dt.timedelta(minutes=minutes)


def shifted_time(text: str, plan_time: dt.time | None) -> dt.time | None:
    """The plan's time moved by the hours or minutes ``text`` says ("an hour later" -> 21:00 from 20:00), or None
    (also when the move leaves the day)."""
    minutes = read_time_delta(text) if plan_time is not None else None
    if plan_time is None or minutes is None or not minutes % (24 * 60):
        return None
    moved = dt.datetime.combine(dt.date(2000, 1, 1), plan_time) + dt.timedelta(minutes=minutes)
    return moved.time() if moved.date() == dt.date(2000, 1, 1) else None


def shifted_party(text: str, plan_party: int | None) -> int | None:
    """The plan's party with the people ``text`` adds or takes off ("one fewer" -> 1 from 2), or None; a party of
    none or less is returned as is (0, -1), for the reader to ask about."""
    delta = read_party_delta(text) if plan_party is not None else None
    return None if plan_party is None or delta is None else plan_party + delta
