"""Number words people type ("a table for two", "half seven", "a dozen"): one table for dates, times and people;
and numbers typed in digits with their separators ("1 000 000", "120,50"), read by price-parser."""

from __future__ import annotations

import re
from decimal import Decimal

from concierge.number_words import NUMBER_WORDS

# A count said in two words: "two dozen" (24), "three hundred" (300), "twenty five" (25), "2 dozen". Read as one
# number, never as its first word: "a table for two dozen people" is 24 people, not 2.
_UNITS = "one|two|three|four|five|six|seven|eight|nine"
_MULTIPLIERS = {"dozen": 12, "hundred": 100}
_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90}
COMPOUND_COUNT = (
    rf"(?:\d{{1,3}}|{_UNITS}|ten|eleven|twelve|a|an)[\s-]+(?:dozen|hundred)"
    rf"|(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)[\s-]+(?:{_UNITS})"
)


def compound_value(text: str) -> int | None:
    """The value of a count matching ``COMPOUND_COUNT`` ("two dozen" -> 24, "twenty-five" -> 25), else None."""
    words = text.strip().lower().replace("-", " ").split()
    if len(words) != 2:
        return None
    first = int(words[0]) if words[0].isdigit() else NUMBER_WORDS.get(words[0], _TENS.get(words[0]))
    if first is None:
        return None
    if words[1] in _MULTIPLIERS:
        return first * _MULTIPLIERS[words[1]]
    unit = NUMBER_WORDS.get(words[1])
    return first + unit if first in _TENS.values() and unit is not None and 1 <= unit <= 9 else None


# -- days of the month in words ("the twelfth", "December twenty-first") ----------------------------------------------
_ORDINAL_UNITS = ("first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth")
_ORDINAL_TEENS = ("tenth", "eleventh", "twelfth", "thirteenth", "fourteenth", "fifteenth", "sixteenth")
_ORDINAL_TEENS += ("seventeenth", "eighteenth", "nineteenth", "twentieth")
ORDINAL_WORD = (
    rf"(?:(?:twenty|thirty)[\s-]?(?:{'|'.join(_ORDINAL_UNITS)})|{'|'.join(_ORDINAL_TEENS)}|thirtieth|"
    rf"{'|'.join(_ORDINAL_UNITS)})"
)


def ordinal_value(said: str) -> int | None:
    """The day a calendar ordinal in words names ("twelfth" -> 12, "twenty-first" -> 21), else None."""
    words = said.lower().replace("-", " ").split()
    tens = {"twenty": 20, "thirty": 30}.get(words[0], 0) if len(words) == 2 else 0
    last = words[-1] if words else ""
    if last in _ORDINAL_UNITS:
        return tens + _ORDINAL_UNITS.index(last) + 1
    if len(words) == 1 and last in _ORDINAL_TEENS:
        return _ORDINAL_TEENS.index(last) + 10
    return 30 if words == ["thirtieth"] else None


# -- a value corrected right after it is said ------------------------------------------------------------------------
# "for 2 — sorry, 3", "8pm, no, 9pm", "for 2 (make that 4)", "on Friday, I mean Saturday": the words between a value
# and the one meant instead (the second wins, for a party, a time or a day alike). "no one" is no correction.
_BETWEEN = r"[\s,;:.!()\-\u2013\u2014]*"
_MARKER = (
    r"(?:no(?![\s-]+one\b)|nope|sorry|wait|oops|actually|correction|i\s+mean|i\s+meant|or\s+rather|"
    r"rather|make\s+(?:it|that)|change\s+(?:it|that)\s+to|scratch\s+that|well|er+m?|uh+m?)\b"
)
CORRECTION = rf"{_BETWEEN}(?:{_MARKER}{_BETWEEN})+"
CORRECTED = re.compile(rf"{CORRECTION}(?:(?:at|on|to|for|from)\s+)?", re.IGNORECASE)  # "8pm. No, wait, at 9pm"
# A correction said further on, after other words: "at 8pm for 2, oops I meant 9pm", "…, correction: 7pm".
_CORRECTION_BEFORE = re.compile(
    rf"(?<![\w'])(?:oops|sorry|correction|i\s+meant?|actually|or\s+rather|make\s+(?:it|that)|no\s*,)\b"
    rf"{_BETWEEN}(?:{_MARKER}{_BETWEEN})*(?:(?:at|on|to|for|from)\s+)?\Z",
    re.IGNORECASE,
)


def corrects(text: str, end: int, start: int) -> bool:
    """Whether ``text[end:start]``, between two values, says the second corrects the first ("8pm, sorry 7pm")."""
    return CORRECTED.fullmatch(text, end, start) is not None


def said_as_correction(text: str, start: int) -> bool:
    """Whether the value at ``start`` follows a correction word ("…, oops I meant 9pm"), wherever the first was."""
    return _CORRECTION_BEFORE.search(text, 0, start) is not None


# -- numbers in digits, as people type them --------------------------------------------------------------------------
# One number as typed: digits with thousand separators (space, no-break and narrow no-break space, apostrophe, comma,
# dot) and a decimal part; an exponent ("1e309"), "NaN" or "inf" is matched too, so it is refused, never misread
# as its last digits ("1e309" as 309). A space separates thousands only before three digits: "for 2 120" stays two
# numbers only when the second is not a group of three. A separator is followed by a digit, so "for 2, 120 euros" and
# "for 2, €45" are two numbers and a comma (never 2120, nor "2 €").
# An underscore groups thousands too ("1_000", as Python writes them); a "k" after the digits is thousands ("100k",
# "1.5k"); a number in hexadecimal, octal or binary ("0x100") is matched whole so it is refused, never read as "100".
DIGITS = (
    r"(?:0[xob][0-9a-f]+(?![\w.,])"
    r"|(?<![\d.,])[.,]\d+(?![\w.,])"  # ",5" / ".80": a decimal part alone, the units left out (0.5, 0.80)
    r"|\d(?:\d|[.,'_\u2019](?=\d)|(?<=\d)[ \u00a0\u202f](?=\d{3}(?!\d)))*(?:e[+-]?\d+)?(?:\s?k)?(?!\w|[.,]\d)"
    r"|(?<![\w.])(?:nan|inf(?:inity)?)\b)"
)
_EXOTIC = re.compile(r"[^\d.,' ]")
_DECIMAL_ONLY = re.compile(r"[.,]\d+")
_THOUSANDS_SUFFIX = re.compile(r"(?<=\d)\s?[kK]$")


def read_digits(said: str) -> Decimal | None:
    """The value of one number typed in digits ("1 000 000", "1'000", "1_000", "120,50", "1.000,50", "1.5k", ",5"), or
    None when it is not one plain finite number ("1e309", "NaN", "1.2.3", "0x100").

    Why price-parser: it knows which of a comma and a dot is the decimal mark from their positions ("1.000,50",
    "1,000.50", "120,50") and reads every thousand separator people use; the rules here only refuse what it
    would read as something else (an exponent, "NaN").
    """
    plain = said.strip().replace("\u2019", "'").replace("\u00a0", " ").replace("\u202f", " ").replace("_", "'")
    scale = 1000 if _THOUSANDS_SUFFIX.search(plain) else 1  # "100k", "1.5k": thousands, as people write money
    plain = _THOUSANDS_SUFFIX.sub("", plain)
    if _DECIMAL_ONLY.fullmatch(plain):
        plain = "0" + plain  # ",5" is 0.5 (price-parser reads it as 5)
    if not plain or _EXOTIC.search(plain):
        return None
    from price_parser import Price  # imported when a number is read (it brings attrs: ~40 ms at start-up)

    amount = Price.fromstring(plain).amount
    if amount is None or not amount.is_finite():
        return None
    digits_said = re.sub(r"\D", "", plain)
    digits_read = re.sub(r"\D", "", format(amount, "f")).lstrip("0")
    return amount * scale if digits_said.lstrip("0").rstrip("0") == digits_read.rstrip("0") else None


# -- numbers in words, for amounts ("under two hundred euros", "a thousand euros a night") ----------------------------
_UNIT_WORDS = tuple(w for w in NUMBER_WORDS if w not in {"a", "an"})[:20]  # "zero" ... "nineteen", in order
_SCALES = {"hundred": 100, "thousand": 1000, "million": 1_000_000}
_NUMBER_WORD = rf"(?:{'|'.join(_UNIT_WORDS)}|{'|'.join(_TENS)}|{'|'.join(_SCALES)})"
WORDS = rf"(?:(?:a|an)\s+)?{_NUMBER_WORD}(?:(?:[\s-]+|\s+and\s+){_NUMBER_WORD})*\b"


def words_value(said: str) -> int | None:
    """The value of a number in words ("two hundred and fifty" -> 250, "a thousand" -> 1000), else None.

    A unit right before a ten with no "hundred" is said as prices are ("one fifty" -> 150, "two twenty-five" ->
    225), never their sum (51)."""
    words = said.lower().replace("-", " ").split()
    if len(words) >= 2 and words[0] in _UNIT_WORDS[1:10] and words[1] in _TENS:
        rest = words_value(" ".join(words[1:]))
        return None if rest is None else _UNIT_WORDS.index(words[0]) * 100 + rest
    total, current = 0, 0
    for word in words:
        if word in {"and", "a", "an"}:
            continue
        if word in _SCALES:
            current = max(current, 1) * _SCALES[word]
            total, current = (total + current, 0) if _SCALES[word] >= 1000 else (total, current)
        elif word in _TENS:
            current += _TENS[word]
        elif word in _UNIT_WORDS:
            current += _UNIT_WORDS.index(word)
        else:
            return None
    return total + current


# -- counts no rule reads -----------------------------------------------------------------------------------------
# A Roman numeral ("for II nights"), a number word of another language ("deux personnes", "for zwei") or a whole
# number with a decimal part ("for 2.0"): one line asking for digits, never a default taken in its place (attack8 L3).
OTHER_NUMBER_WORDS = (
    *("deux", "trois", "quatre", "cinq", "huit", "neuf", "dix", "zwei", "drei", "vier", "fünf", "funf", "sechs"),
    *("sieben", "acht", "zehn", "dos", "tres", "cuatro", "cinco", "seis", "siete", "ocho", "quattro", "sette"),
    *("dieci", "twee", "drie", "vijf", "zes", "zeven"),
)  # also words the respeller leaves as said ("tres" is no typo of "tree")
_OTHER_WORDS = "(?i:" + "|".join(OTHER_NUMBER_WORDS) + ")"
_COUNTED = r"(?i:nights?|people|persons?|personnes|personen|personas|persone|guests|adults)"
_UNREAD_COUNT = re.compile(
    rf"(?i:\bfor)\s+(?P<a>[IVX]{{2,5}}|{_OTHER_WORDS}|\d+[.,]0{{1,2}}(?![\d:.,]))(?=\s*(?:$|[,.;!?)]|{_COUNTED}\b))"
    rf"|(?<![\w.,])(?P<b>[IVX]{{2,5}}|{_OTHER_WORDS})\s+{_COUNTED}\b"
)


def unread_count(text: str) -> str | None:
    """One line when ``text`` says a count in a form no rule reads ("for II nights", "for deux", "for 2.0")."""
    m = _UNREAD_COUNT.search(text)
    if m is None:
        return None
    said = m.group("a") or m.group("b")
    return f'I could not read "{said}" as a number; say it in digits, like "for 2" or "for 3 nights".'
