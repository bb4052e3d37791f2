"""Amounts of money in a request: the most a night may cost, read right or refused with one sentence.

Why: the budget patterns read digits only, so "under -50 euros" was read as no budget at all, "-50 euros per
night" as 50, "under 1 000 000 euros a night" as 0 (a traceback), "120,50" as 50 and "1e309" as 309: a plan
was made that the user did not ask for. Every number next to a currency is read whole (``read_digits``:
thousand separators, a decimal comma) and an amount no plan can keep (signed, zero, not a number, more than
``MAX_BUDGET_EUR`` a night) is one problem sentence instead, whichever reader read the message.

A limit said without "a night" for a place to stay ("a hotel in Lyon under 1,5 euros", attack6 M2: dropped
without a word) is the most a night may cost, as hotel prices are quoted; said of the whole stay ("300 euros
in total") it is shared by the nights when they are known (400 in total for 4 nights: 100 a night, attack12 M5),
else one line asking for the price of a night. An amount under one euro is too low to plan with. "Budget 400" is
an amount in euros though no currency is named, so "budget -50 a night" is refused in one line, never dropped.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from decimal import Decimal
from functools import cache

from concierge.request.model import MAX_BUDGET_EUR
from concierge.request.numbers import DIGITS, WORDS, read_digits, words_value

_I = re.IGNORECASE
_MINUS = r"[-\u2212\u2013]"
_CURRENCY = r"(?:€|\$|£|eur\b|euros?\b|dollars?\b|pounds?\b)"
_SIGNED = rf"(?:(?:minus|negative)\s+|{_MINUS}\s?)?"
# Any amount of money: a number beside a currency, either side ("-50 euros", "€0", "under 1e309 euros").
_BUDGET_WORD = r"\bbudget(?:\s+(?:of|is))?\s*:?\s*"
_MONEY = re.compile(
    rf"(?<![\w.,]){_SIGNED}(?P<a>{DIGITS})\s*{_CURRENCY}|{_CURRENCY}\s*{_SIGNED}(?P<b>{DIGITS})"
    rf"|{_BUDGET_WORD}(?P<c>{_SIGNED}{DIGITS})",  # "budget -50 a night": euros, though none is named
    _I,
)
_PREFIX = (
    r"(?:(?:under|below|max(?:imum)?\.?|up\s+to|less\s+than|no\s+more\s+than|at\s+most|around|about|"
    r"budget(?:\s+(?:of|is))?:?|within)\s+)?"
)
# A limit said after the amount: "80 euros max per night", "€90 a night tops", "100 euros or less".
_LIMIT_AFTER = r"(?:max(?:imum)?\.?|tops|top|at\s+(?:the\s+)?most|or\s+(?:less|under|below)|limit|cap)"
_A_NIGHT_SAID = r"(?:(?:a|per|/|each|every)\s*night|nightly)"
# The most a night may cost: "under 120 euros a night", "€80-120 per night", "1 000 € a night", "80 euros max per
# night", "90 EUR nightly".
_PER_NIGHT = re.compile(
    rf"{_PREFIX}(?P<before>[$£€]|eur\s*|euros?\s*)?(?<![-\u2212\u2013\d_])(?P<low>{DIGITS}|{WORDS})"
    rf"(?:\s*(?:-|\u2013|to)\s*€?\s*(?P<high>{DIGITS}|{WORDS}))?\s*"
    rf"(?P<after>€|eur\b|euros?|\$|£|dollars?|pounds?)?\s*(?:{_LIMIT_AFTER}\s*)?{_A_NIGHT_SAID}",
    _I,
)


_LIMIT = (
    r"(?:under|below|max(?:imum)?\.?|up\s+to|less\s+than|(?:no|not)\s+more\s+than|at\s+most|cheaper\s+than|"
    r"not\s+over|within|budget(?:\s+(?:of|is))?)\s*:?\s*"
)
# An amount in euros, the currency either side: "€90", "1,5 euros", "two hundred euros".
_EUROS = (
    rf"(?:(?P<before>€|eur\b|euros?\b)\s*(?P<a>{DIGITS})"
    rf"|(?<![\w.,])(?P<b>{DIGITS}|{WORDS})\s*(?P<after>€|eur\b|euros?\b))"
)
# A limit on money with no "a night" after it: "under 1,5 euros", "max €90", "budget of 0,80 €".
_LIMITED = re.compile(
    rf"\b{_LIMIT}{_EUROS}"
    r"(?!\s*(?:a|per|/|each|every)\s*night)",
    _I,
)
# The same limit said after the amount: "a hotel in Lyon, 90 euros max", "€100 tops".
_LIMITED_AFTER = re.compile(
    rf"{_EUROS}"
    rf"\s*,?\s*{_LIMIT_AFTER}\b(?!\s*(?:a|per|/|each|every)\s*(?:night|head|person))",
    _I,
)
# "budget 400 total", "budget: 120": a budget said with no currency is in euros.
_BUDGET_BARE = re.compile(
    rf"{_BUDGET_WORD}(?P<a>)(?P<b>{DIGITS})(?!\s*(?:nights?|people|persons?|guests|stars?|days?|weeks?)\b)"
    rf"(?P<before>)(?P<after>)(?:\s*,?\s*{_LIMIT_AFTER}\b)?",
    _I,
)
_LODGING = re.compile(
    r"\b(?:hotels?|apartments?|flat|airbnb|villa|cottage|chalet|guest\s*house|b&b|hostel|inn|rooms?|"
    r"accommodation|lodging|place\s+to\s+stay|stay)\b",
    _I,
)
_WHOLE_STAY = re.compile(
    r"\b(?:in\s+total|total|altogether|all\s+in|overall|for\s+(?:the\s+)?(?:whole|entire)\s+(?:stay|trip|thing)|"
    r"for\s+(?:all|both|the)\s+(?:\w+\s+)?nights|for\s+everything)\b",
    _I,
)
# An amount said of the whole stay with no limit word: "300 euros in total", "€500 for the whole stay".
_STAY_TOTAL = re.compile(rf"{_EUROS}(?=\s*,?\s*{_WHOLE_STAY.pattern})", _I)


# Other currencies: never read as euros nor dropped without a word; we plan in euros and say so (attack7 M5).
# Named ones here; the signs and codes beside an amount ("900 SEK", "150 kr", "150 zł") are price-parser's
# (``_foreign_sign``).
_OTHER_CURRENCY = (
    r"(?:us\$|\$|£|¥|￥|₹|₩|₽|₺|usd\b|gbp\b|jpy\b|chf\b|cad\b|aud\b|cny\b|dollars?\b|pounds?\b|quid\b|bucks?\b|"
    r"yen\b|yuan\b|francs?\b|rupees?\b|kron(?:or|er|a|e)\b|z[lł]ot(?:y|ys|ych|e)\b|forint\b|kor[uo]n(?:a|y)?\b|"
    r"baht\b|lir(?:a|e|as)\b|rand\b|reais\b|pesos?\b|r[ou]?ubles?\b|dirhams?\b|shekels?\b|dinars?\b|ringgit\b|"
    r"rupiah\b|hryvnias?\b|lev\b|leva\b)"
)
_FOREIGN = re.compile(
    rf"(?<![\w.,]){_SIGNED}(?:{DIGITS}|{WORDS})\s*{_OTHER_CURRENCY}(?!\s+of\b)|{_OTHER_CURRENCY}\s*{_SIGNED}{DIGITS}",
    _I,
)


# An amount said as a budget: after a limit ("under 900 SEK", "max kr 150") or before "a night" / "a head".
_SIGN = r"[^\s\d,;!?]{1,8}?"
_PRICED = re.compile(
    rf"\b{_LIMIT}(?:(?P<before>{_SIGN})\s*)?(?P<a>{DIGITS})(?:\s*(?P<after>{_SIGN}))?(?=[\s,;.!?)]|$)"
    rf"|(?<![\w.,])(?P<b>{DIGITS})\s*(?P<unit>{_SIGN})\s*(?:a|per|/|each|every)\s*(?:night|head|person|day|meal)\b",
    _I,
)
_EURO_SIGNS = frozenset({"€", "EUR", "eur", "euro", "Euro", "EURO"})


@cache
def _currency_signs() -> frozenset[str]:
    """Every currency sign and code price-parser knows ("SEK", "NOK", "kr", "zł", "Kč", "Ft", "lei"), but the euro.

    Why price-parser: it keeps the world's currency codes and national signs; we only refuse them, so a budget in
    another currency is one line naming it, never dropped nor read as euros."""
    from price_parser import parser

    return frozenset(set(parser.SAFE_CURRENCY_SYMBOLS) | parser.OTHER_CURRENCY_SYMBOLS_SET) - _EURO_SIGNS


def _foreign_sign(text: str) -> str | None:
    """The amount as said ("900 SEK", "kr 150") when a budget names a currency other than the euro by its sign or
    code; a code in lower case ("900 sek") only where it is no English word and ends the amount ("150 all in",
    "100 top" are no Albanian lek nor Tongan pa'anga)."""
    for m in _PRICED.finditer(text):
        number = m.group("a") or m.group("b")
        for sign, first in ((m.group("before"), True), (m.group("after"), False), (m.group("unit"), False)):
            sign = (sign or "").rstrip(".")
            if sign in _currency_signs() or (sign and _lower_case_code(sign) and _ENDS_AMOUNT.match(text, m.end())):
                return f"{sign} {number}" if first else f"{number} {sign}"
    return None


def _lower_case_code(sign: str) -> bool:
    from concierge.needs.nlp import english_words

    return len(sign) == 3 and sign.upper() in _currency_signs() and sign.lower() not in english_words()


_ENDS_AMOUNT = re.compile(r"\s*(?:$|[,;.!?)/]|(?:a|per|for|each|every)\b)", _I)


def not_in_euros(said: str) -> str:
    return (
        f'I plan budgets in euros and do not convert "{said}"; say the most a night may cost in euros, like "under '
        '150 euros a night".'
    )


@dataclass(frozen=True)
class Budget:
    """The most a night may cost in whole euros (None: not said, or not in euros), or why it was refused."""

    per_night_eur: int | None = None
    problem: str | None = None
    total_eur: int | None = None  # said for the whole stay, shared by its nights into ``per_night_eur``


def unreadable_amount(said: str) -> str:
    return f'"{said}" is not an amount I can read; write it in digits, like "under 120 euros".'


def budget_not_positive(said: str) -> str:
    return f'A budget of {said} is not something I can plan with; say an amount above zero, like "under 60 euros".'


def budget_too_low(said: str) -> str:
    return f'A budget of {said} is below any price I can plan with; say at least 1 euro, like "under 60 euros".'


def budget_for_the_stay(said: str) -> str:
    return f'Is {said} for the whole stay? Say the most a night may cost, like "under 150 euros a night".'


def budget_too_high(said: str) -> str:
    most = f"{MAX_BUDGET_EUR:,}".replace(",", " ")
    return (
        f"A budget of {said} a night is more than I can plan with; say at most {most} euros a night, or leave it out."
    )


def _money_problem(m: re.Match[str]) -> str | None:
    """Why one amount of money cannot be planned with (not a number, signed, zero), else None."""
    said, number = m.group(0).strip(), m.group("a") or m.group("b")
    if m.group("c"):  # "budget -50": the amount as said, its sign apart from its number
        said, number = m.group("c").strip(), re.sub(rf"^{_SIGNED}", "", m.group("c"), flags=_I)
    value = read_digits(number)
    if value is None:
        return unreadable_amount(number)
    signed = re.search(rf"{_MINUS}|minus|negative", said[: said.find(number)], _I)
    if signed or value <= 0:
        return budget_not_positive(said)
    return budget_too_low(said) if value < 1 else None


def _in_words(number: str) -> Decimal | None:
    """ "two hundred" -> 200: a budget said in words is read like one in digits."""
    value = words_value(number)
    return None if value is None else Decimal(value)


def whole_euros(value: Decimal) -> int:
    """The most a night may cost in whole euros: "under 120,50" allows 120, never 121."""
    return math.floor(value)


def read_budget(text: str, *, stay: bool = False, nights: int | None = None) -> Budget:
    """The per-night budget ``text`` names, or the one problem sentence of any amount of money in it (``stay``: the
    text is about a place to stay though it names none, as a follow-up to a hotel's plan: "under 150 euros";
    ``nights``: the stay's, which share a budget said for the whole stay)."""
    if foreign := _FOREIGN.search(text):
        return Budget(problem=not_in_euros(foreign.group(0).strip()))
    if sign := _foreign_sign(text):
        return Budget(problem=not_in_euros(sign))
    for m in _MONEY.finditer(text):
        if problem := _money_problem(m):
            return Budget(problem=problem)
    m = _PER_NIGHT.search(text)
    if m is None:
        return _limit_for_a_stay(text, stay, nights)
    currency = (m.group("before") or m.group("after") or "").strip().lower()
    number = m.group("high") or m.group("low")
    value = read_digits(number) if number[:1].isdigit() or number.lower() in {"nan", "inf", "infinity"} else None
    value = value if value is not None else _in_words(number)
    if value is None:
        return Budget(problem=unreadable_amount(number))
    said = f"{number} {currency or 'euros'}"
    if value > MAX_BUDGET_EUR:
        return Budget(problem=budget_too_high(said))
    if value < 1:
        return Budget(problem=budget_too_low(said))
    return Budget(per_night_eur=whole_euros(value))


def _limit_for_a_stay(text: str, stay: bool = False, nights: int | None = None) -> Budget:
    """A limit with no "a night" in a request for a place to stay: the most a night may cost ("a hotel under 1,5
    euros" cannot be planned: nothing costs so little); said of the whole stay, shared by its nights when they are
    known, else one line asking for the price of a night."""
    m = _LIMITED.search(text) or _LIMITED_AFTER.search(text) or _STAY_TOTAL.search(text) or _BUDGET_BARE.search(text)
    if m is None or not (stay or _LODGING.search(text)):
        return Budget()
    number, currency = m.group("a") or m.group("b"), m.group("before") or m.group("after") or "euros"
    value = read_digits(number) if number[:1].isdigit() else _in_words(number)
    said = f"{number} {'euros' if currency.lower().startswith('eur') else currency}"
    if value is None:
        return Budget(problem=unreadable_amount(number))
    if _WHOLE_STAY.search(text, m.end()):
        return _shared_by_the_nights(value, said, nights)
    if value > MAX_BUDGET_EUR:
        return Budget(problem=budget_too_high(said))
    return Budget(per_night_eur=whole_euros(value))


def _shared_by_the_nights(total: Decimal, said: str, nights: int | None) -> Budget:
    """A budget for the whole stay: the most each of its nights may cost (400 for 4 nights: 100), or the line asking
    for the price of a night when the nights are not known."""
    if not nights:
        return Budget(problem=budget_for_the_stay(said))
    per_night = whole_euros(total / nights)
    if per_night > MAX_BUDGET_EUR:
        return Budget(problem=budget_too_high(f"{per_night} euros"))
    if per_night < 1:
        return Budget(problem=budget_too_low(f"{said} for {nights} nights"))
    return Budget(per_night_eur=per_night, total_eur=whole_euros(total))


def shared_stay_note(total_eur: int, nights: int, per_night_eur: int) -> str:
    """What the plan says of a budget for the whole stay, so the user sees how it was read."""
    return f"EUR {total_eur} in total for {nights} nights: up to EUR {per_night_eur} a night."


def budget_problem(text: str, nights: int | None = None) -> str | None:
    """The problem sentence when ``text`` names an amount of money no plan can keep, else None (``nights``: the
    stay's, which share a budget said for the whole stay)."""
    return read_budget(text, nights=nights).problem


def stay_budget(text: str, nights: int | None = None) -> Budget:
    """The most a night may cost when ``text`` is about a place to stay, said or not ("under one fifty euros")."""
    return read_budget(text, stay=True, nights=nights)


def per_night_budget(text: str, nights: int | None = None) -> int | None:
    """The most a night may cost in whole euros, when ``text`` says it in euros and it can be planned with
    (``nights``: the stay's, sharing a budget said for the whole stay)."""
    return read_budget(text, nights=nights).per_night_eur


# -- what a meal may cost a head ("under €80 per person", "30€ each", "50 euros in total for both") ------------------
# The catalog prices restaurants by level (€ to €€€€), so a budget per head is the dearest level it pays for: what a
# meal costs a head at each level, as guides quote it (€ up to about 20, €€ 40, €€€ 70, €€€€ 120 and more).
_HEAD_LEVELS = ((120, 4), (70, 3), (40, 2), (10, 1))
_EURO_AMOUNT = re.compile(
    rf"(?:€|eur\b|euros?\b)\s*(?P<a>{DIGITS})|(?<![\w.,])(?P<b>{DIGITS}|{WORDS})\s*(?:€|eur\b|euros?\b)", _I
)
_PER_HEAD = re.compile(
    rf"[\s,;:()\-\u2013\u2014]*(?:{_LIMIT_AFTER}\s*)?(?:per\s+(?:person|head|guest|diner|cover)|a\s+(?:head|person|pop)|pp\b|p\.p\.?|"
    r"each|apiece|per\s+pax)",
    _I,
)
_FOR_ALL = re.compile(
    r"[\s,;:()\-\u2013\u2014]*(?:in\s+)?(?:total|altogether|all\s+in|overall)?\s*(?:for\s+(?P<both>both(?:\s+of\s+us)?|"
    r"the\s+two\s+of\s+us|two)|for\s+(?:all\s+of\s+us|everyone|us\s+all|the\s+(?:whole\s+)?table|the\s+\w+\s+of\s+us))"
    r"|[\s,;:()\-\u2013\u2014]*(?:in\s+total|total|altogether|all\s+in|overall)\b",
    _I,
)
_A_NIGHT = re.compile(r"\s*(?:a|per|/|each|every)\s*night", _I)


@dataclass(frozen=True)
class MealBudget:
    """The dearest price level (1-4) a meal's budget pays for, or the one line asking or refusing it."""

    level: int | None = None
    problem: str | None = None


def _amount(m: re.Match[str]) -> Decimal | None:
    number = m.group("a") or m.group("b")
    return read_digits(number) if number[:1].isdigit() else _in_words(number)


def _meant_amount(text: str) -> re.Match[str] | None:
    """The amount in euros the message means: the first, or the one a correction puts in its place ("under 50
    euros — sorry, 40 euros"); an amount of a night is a stay's, not a meal's."""
    from concierge.request.numbers import corrects, said_as_correction

    amounts = [m for m in _EURO_AMOUNT.finditer(text) if not _A_NIGHT.match(text, m.end())]
    if not amounts:
        return None
    chosen = amounts[0]
    for later in amounts[1:]:
        if corrects(text, chosen.end(), later.start()) or said_as_correction(text, later.start()):
            chosen = later
    return chosen


def _head_level(per_head: Decimal, said: str) -> MealBudget:
    level = next((level for least, level in _HEAD_LEVELS if per_head >= least), None)
    if level is None:
        return MealBudget(problem=f"{said} a head is below any restaurant I can plan; say at least 10 euros a head.")
    return MealBudget(level=level)


def meal_budget(text: str, party: int | None) -> MealBudget:
    """The price level a meal's budget in euros pays for: per head as said ("€80 per person", "30€ each"), else the
    whole table's, shared by the party ("50 euros in total for both", "under 50 euros" for 2: 25 a head, so a plan
    never costs more than the amount said); one line asking for whom when the party is not known."""
    if budget_problem(text):
        return MealBudget()  # "under -50 euros", "400 kr": ``read_budget``'s one line says it
    m = _meant_amount(text)
    value = _amount(m) if m is not None else None
    if m is None or value is None or value < 1:
        return MealBudget()  # none said, or refused by ``read_budget`` (not a number, below one euro)
    said = f"{m.group('a') or m.group('b')} euros"
    tail = text[m.end() :]
    if _PER_HEAD.match(tail):
        return _head_level(value, said)
    for_all = _FOR_ALL.match(tail)
    people = 2 if for_all and for_all.group("both") else party
    if people is None:
        return MealBudget(problem=f'For how many people is {said}? Say it a head, like "{said} a head".')
    return _head_level(value / people, f"{value / people:.0f} euros")
