"""A budget no plan can keep (negative or zero: "under -50 euros", "€0 a night") as a problem sentence.

Why: the budget patterns read digits only, so "under -50 euros" was read as no budget at all and
"-50 euros per night" as 50: a plan was made that the user did not ask for. A signed or zero amount of
money is refused with one line instead, by the offline reader (the model's arguments are typed: ``minimum 1``).
"""

from __future__ import annotations

import re

_MINUS = r"[-\u2212\u2013]"
_CURRENCY = r"(?:€|\$|£|eur\b|euros?\b|dollars?\b|pounds?\b)"
_ODD_AMOUNT = re.compile(
    rf"(?<![\w.,]){_MINUS}\s?\d+(?:[.,]\d+)?\s*{_CURRENCY}"  # "-50 euros", "-50€"
    rf"|{_CURRENCY}\s*{_MINUS}\s?\d+(?:[.,]\d+)?"  # "€-50", "$ -20"
    rf"|(?:minus|negative)\s+\d+(?:[.,]\d+)?\s*{_CURRENCY}"  # "minus 50 euros"
    rf"|(?<![\w.,])0+(?:[.,]0+)?\s*{_CURRENCY}|(?<![\w.,]){_CURRENCY}\s*0+(?:[.,]0+)?(?![\d.,])",  # "0 euros", "€0"
    re.IGNORECASE,
)


def budget_problem(text: str) -> str | None:
    """The problem sentence when ``text`` names a negative or zero amount of money, else None."""
    m = _ODD_AMOUNT.search(text)
    if m is None:
        return None
    said = m.group(0).strip()
    return f'A budget of {said} is not something I can plan with; say an amount above zero, like "under 60 euros".'
