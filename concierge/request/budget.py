"""Amounts of money in a request: the most a night may cost, read right or refused with one sentence.

Why: the budget patterns read digits only, so "under -50 euros" was read as no budget at all, "-50 euros per
night" as 50, "under 1 000 000 euros a night" as 0 (a traceback), "120,50" as 50 and "1e309" as 309: a plan
was made that the user did not ask for. Every number next to a currency is read whole (``read_digits``:
thousand separators, a decimal comma) and an amount no plan can keep (signed, zero, not a number, more than
``MAX_BUDGET_EUR`` a night) is one problem sentence instead, whichever reader read the message.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from decimal import Decimal

from concierge.request.model import MAX_BUDGET_EUR
from concierge.request.numbers import DIGITS, WORDS, read_digits, words_value

_I = re.IGNORECASE
_MINUS = r"[-\u2212\u2013]"
_CURRENCY = r"(?:€|\$|£|eur\b|euros?\b|dollars?\b|pounds?\b)"
_SIGNED = rf"(?:(?:minus|negative)\s+|{_MINUS}\s?)?"
# Any amount of money: a number beside a currency, either side ("-50 euros", "€0", "under 1e309 euros").
_MONEY = re.compile(
    rf"(?<![\w.,]){_SIGNED}(?P<a>{DIGITS})\s*{_CURRENCY}|{_CURRENCY}\s*{_SIGNED}(?P<b>{DIGITS})",
    _I,
)
_PREFIX = (
    r"(?:(?:under|below|max(?:imum)?|up\s+to|less\s+than|no\s+more\s+than|at\s+most|around|about|"
    r"budget\s+(?:of|is)|within)\s+)?"
)
# The most a night may cost: "under 120 euros a night", "€80-120 per night", "1 000 € a night".
_PER_NIGHT = re.compile(
    rf"{_PREFIX}(?P<before>[$£€]|eur\s*|euros?\s*)?(?<![-\u2212\u2013\d_])(?P<low>{DIGITS}|{WORDS})"
    rf"(?:\s*(?:-|\u2013|to)\s*€?\s*(?P<high>{DIGITS}|{WORDS}))?\s*"
    r"(?P<after>€|eur\b|euros?|\$|£|dollars?|pounds?)?\s*(?:a|per|/|each|every)\s*night",
    _I,
)


@dataclass(frozen=True)
class Budget:
    """The most a night may cost in whole euros (None: not said, or not in euros), or why it was refused."""

    per_night_eur: int | None = None
    problem: str | None = None


def unreadable_amount(said: str) -> str:
    return f'"{said}" is not an amount I can read; write it in digits, like "under 120 euros".'


def budget_not_positive(said: str) -> str:
    return f'A budget of {said} is not something I can plan with; say an amount above zero, like "under 60 euros".'


def budget_too_high(said: str) -> str:
    most = f"{MAX_BUDGET_EUR:,}".replace(",", " ")
    return (
        f"A budget of {said} a night is more than I can plan with; say at most {most} euros a night, or leave it out."
    )


def _money_problem(m: re.Match[str]) -> str | None:
    """Why one amount of money cannot be planned with (not a number, signed, zero), else None."""
    said, number = m.group(0).strip(), m.group("a") or m.group("b")
    value = read_digits(number)
    if value is None:
        return unreadable_amount(number)
    signed = re.search(rf"{_MINUS}|minus|negative", said[: said.find(number)], _I)
    return budget_not_positive(said) if signed or value <= 0 else None


def _in_words(number: str) -> Decimal | None:
    """ "two hundred" -> 200: a budget said in words is read like one in digits."""
    value = words_value(number)
    return None if value is None else Decimal(value)


def whole_euros(value: Decimal) -> int:
    """The most a night may cost in whole euros: "under 120,50" allows 120, never 121."""
    return math.floor(value)


def read_budget(text: str) -> Budget:
    """The per-night budget ``text`` names, or the one problem sentence of any amount of money in it."""
    for m in _MONEY.finditer(text):
        if problem := _money_problem(m):
            return Budget(problem=problem)
    m = _PER_NIGHT.search(text)
    if m is None:
        return Budget()
    currency = (m.group("before") or m.group("after") or "").strip().lower()
    if currency and currency not in {"€", "eur", "euro", "euros"}:
        return Budget()  # not converted: dollars and pounds are left to the user to restate
    number = m.group("high") or m.group("low")
    value = read_digits(number) if number[:1].isdigit() or number.lower() in {"nan", "inf", "infinity"} else None
    value = value if value is not None else _in_words(number)
    if value is None:
        return Budget(problem=unreadable_amount(number))
    said = f"{number} {currency or 'euros'}"
    if value > MAX_BUDGET_EUR:
        return Budget(problem=budget_too_high(said))
    if value < 1:
        return Budget(problem=budget_not_positive(said))
    return Budget(per_night_eur=whole_euros(value))


def budget_problem(text: str) -> str | None:
    """The problem sentence when ``text`` names an amount of money no plan can keep, else None."""
    return read_budget(text).problem


def per_night_budget(text: str) -> int | None:
    """The most a night may cost in whole euros, when ``text`` says it in euros and it can be planned with."""
    return read_budget(text).per_night_eur
