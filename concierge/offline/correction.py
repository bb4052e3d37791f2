"""A correction said as "not X, Y" ("not Monday, Tuesday", "Tuesday, not Monday", "not 8, 9", "not two, three"): Y
replaces the plan's X. The value after "not" is the one being dropped, so it is never read as the new one; a bare
number after it ("not 8, 9") takes the field of the value it replaces (the plan's time, or its party).
"""

from __future__ import annotations

import datetime as dt
import re
from typing import TYPE_CHECKING

from concierge.request.numbers import NUMBER_WORDS
from concierge.request.when import parse_time_text

if TYPE_CHECKING:
    from concierge.offline.follow_up import PlanNow

_I = re.IGNORECASE
_LEAD = r"(?:on\s+|at\s+|for\s+|the\s+|a\s+)*"
_UNIT = r"(?:\s*(?:pm|am|p\.m\.|a\.m\.|o'?clock|people|persons?|adults?|guests?|of\s+us))?"
_VALUE = rf"{_LEAD}[\w:.']+{_UNIT}"
_DROPPED = re.compile(rf"\b(?:not|rather\s+than|instead\s+of)\s+(?P<old>{_VALUE})", _I)
_NOT_THEN = re.compile(
    rf"\bnot\s+(?P<old>{_VALUE})\s*(?:[,;:\u2013\u2014-]|\bbut\b)+\s*(?:but\s+|rather\s+|instead\s+|make\s+it\s+)*"
    rf"(?P<new>{_LEAD}(?P<num>\d{{1,2}}(?:[:.]\d{{2}})?|[a-z]+)(?P<unit>{_UNIT}))\s*\W*$",
    _I,
)


def _number(words: str) -> int | None:
    said = words.strip().lower()
    return int(said) if said.isdigit() else NUMBER_WORDS.get(said)


def _field_of(old: str, plan: PlanNow) -> str | None:
    """The plan's field the dropped value names: its time ("8", "8pm") or its party ("2", "two", "2 adults")."""
    said = re.sub(rf"^{_LEAD}", "", old.strip(), flags=_I)
    number = re.match(r"(\d{1,2}|[a-z]+)(?:[:.](\d{2}))?\s*(.*)$", said, _I)
    if number is None or (count := _number(number.group(1))) is None:
        return None
    unit = number.group(3).lower()
    if unit:  # "8pm", "8 o'clock": a time; "2 adults", "2 of us": a party
        return "party" if unit.startswith(("people", "person", "adult", "guest", "of")) else "time"
    at_plans_hour = plan.time is not None and plan.time.hour % 12 == count % 12
    if plan.party == count and not at_plans_hour:
        return "party"
    return "time" if at_plans_hour else None


def _time_in_plan(said: str, unit: str, plan: PlanNow) -> dt.time | None:
    evening = (plan.time is not None and plan.time.hour >= 16) or plan.meal == "dinner"
    text = f"{said}{unit}" if unit.strip() else (f"{said}pm" if evening else said)
    lunch = plan.time is not None and 11 <= plan.time.hour < 16
    return parse_time_text(text, lunch=lunch)[0]


def corrected_value(text: str, plan: PlanNow) -> tuple[str, dict[str, object]]:
    """(the text with every dropped value blanked, the field a bare new number sets): "not 8, 9" -> ({"time": 21:00})
    for a dinner at 20:00; "not two, three" -> ({"party_size": 3}) for a party of two."""
    fixed: dict[str, object] = {}
    said = _NOT_THEN.search(text)
    if said is not None and (field := _field_of(said.group("old"), plan)) is not None:
        if field == "time":
            at = _time_in_plan(said.group("num"), said.group("unit") or "", plan)
            fixed = {"time": at} if at is not None else {}
        elif (count := _number(said.group("num"))) is not None:
            fixed = {"party_size": count}
        if fixed:
            text = text[: said.start()] + " " * (said.end() - said.start()) + text[said.end() :]
    return _DROPPED.sub(lambda m: " " * len(m.group(0)), text), fixed
