"""How many people, and how many nights: "for 4", "my wife and me", "me and my two kids", "for three nights".

Counting rules (an explicit number always wins over counting):

- "table for 4", "a party of six", "4 people", "there will be five of us", "we are 3": that number.
- "just me", "on my own", "solo": 1.
- People listed with the speaker are read from the parse, by the reader that also says whose needs apply
  (``needs.holders_party.people_listed``): "Family lunch: me, my husband and our daughter" = 3, "the twins and I" = 3,
  "my in-laws and us two" = 4, "for 8 kids and 2 adults" = 10; "me and the kids" or "me and my family" is asked.
- Otherwise count the speaker plus the companions named after "with", "and", "for", "bringing"...:
  "my wife" = 1, "two kids" = 2, "my parents" / "my in-laws" / "the twins" = 2. "We"/"our" with no
  partner named adds the other half of the couple: "we're coming with our two kids" = 4, while
  "my wife and I with our two kids" is also 4 (the partner is already counted). A plural without a
  number ("with the kids") cannot be counted: the party size stays unknown rather than guessed.
- Numbers of nights are never people: "for three nights" is nights=3. "a week" = 7 nights,
  "a fortnight" = 14, "a weekend" = 2, "a long weekend" = 3, "5 days" = 4 nights.
- A party outside 1..20 or nights outside 1..60 is a problem sentence, not a value; so is a count that is
  no whole number of people or nights at all ("for -3", "2.5 people", "a 100000-day trip"), which the
  patterns above would otherwise skip or misread ("2.5 people" as 5) and leave to the defaults.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from concierge.needs.holders_party import Listing, people_listed
from concierge.request.model import MAX_NIGHTS, MAX_PARTY
from concierge.request.numbers import COMPOUND_COUNT, CORRECTION, NUMBER_WORDS, compound_value, unread_count
from concierge.request.problems import nights_problem, offset_problem, party_problem, stay_problem
from concierge.request.when import When, stay_clash

_I = re.IGNORECASE
_N = (
    rf"({COMPOUND_COUNT}|"  # "two dozen" before "two"
    r"\d{1,4}|a\s+couple\s+of|a\s+couple(?!\s+of)|couple\s+of|half\s+a\s+dozen|a\s+dozen|dozen|a\s+few|zero|one|two|three|four|five|six|seven|"
    r"eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|"
    r"forty|fifty|hundred)"
)
_PEOPLE = r"(?:people|persons|person|ppl|guests|adults|pax|diners|heads)"
_NOT_PEOPLE = (
    r"(?!\s*(?:nights?|days?|weeks?|hours?|hrs?|minutes?|mins?|euros?|eur\b|€|\$|£|dollars?|pounds?|%|pm\b|am\b|"
    r"p\.m|a\.m|o'?clock|[:.,_]\d|[-\u2013]\d|['\u2019]?\d{3}(?!\d)|h\d|stars?|bedrooms?|rooms?|beds?|years?|months?|km|miles|courses?|dishes|"
    r"st\b|nd\b|rd\b|th\b|of\s+(?:january|february|march|april|may|june|july|august|september|october|november|"
    r"december)))"
)
_EXPLICIT = tuple(
    re.compile(p, _I)
    for p in (
        rf"\b(?:table|booking|reservation|dinner|lunch|brunch|breakfast|room|seats?)\s+for\s+{_N}\b{_NOT_PEOPLE}",
        rf"\b(?:party|group|family|table|team|gang)\s+of\s+{_N}\b{_NOT_PEOPLE}",
        rf"\b{_N}\s+{_PEOPLE}",
        rf"\bwe(?:'re|\s+are|\s+will\s+be|'ll\s+be|\s+would\s+be)\s+(?:a\s+group\s+of\s+)?{_N}\b{_NOT_PEOPLE}",
        rf"\bthere(?:'ll|\s+will|\s+would)?\s+(?:be|are)\s+{_N}\s+of\s+us\b",
        rf"\b{_N}\s+of\s+us\b(?!\s+(?:is|has|was|does|doesn't|can't|cannot|eats|loves|hates|likes|needs|wants)\b)",
        rf"\bfor\s+{_N}\b{_NOT_PEOPLE}",
    )
)
# A count said as a sum or a product: "for 1+1", "for 2x2 people", "2 families of 3" (people, never the first number).
_SUM = re.compile(rf"(?<=\bfor\s){_N}\s*\+\s*{_N}\b{_NOT_PEOPLE}|\b{_N}\s*\+\s*{_N}\s+{_PEOPLE}", _I)
_PRODUCT = re.compile(
    rf"(?<=\bfor\s){_N}\s*[x\u00d7*]\s*{_N}\b{_NOT_PEOPLE}|\b{_N}\s*[x\u00d7*]\s*{_N}\s+{_PEOPLE}"
    rf"|\b{_N}\s+(?:families|couples|groups|tables|teams)\s+of\s+{_N}\b{_NOT_PEOPLE}",
    _I,
)
# "for 6ish", "for 6-ish people": about six, booked for six
_ABOUT = re.compile(rf"(?<=\bfor\s){_N}\s*-?ish\b", _I)
_ADULTS_AND_KIDS = re.compile(
    rf"\b{_N}\s+adults?\s*(?:,|and|\+|plus|&|with)?\s*{_N}\s+(?:kids?|children|child|teens?|teenagers?|babies|baby|infants?)\b",
    _I,
)
_COUPLES = re.compile(rf"\b{_N}\s+couples\b", _I)
# The speaker plus a number of others: "me plus three", "me + 2", "myself and three others", "me and 3 friends".
_ME_PLUS = re.compile(
    rf"\b(?:me|myself)\s*(?:plus|\+|and|&)\s*{_N}\b{_NOT_PEOPLE}(?!\s+of\b)",
    _I,
)
# Two said as a pair: "both of us", "the pair of us", "us two".
_PAIR_OF_US = re.compile(r"\b(?:(?:the\s+)?both|the\s+pair|the\s+twosome)\s+of\s+us\b|\bus\s+(?:two|both)\b", _I)
_SOLO = re.compile(
    r"\b(?:just|only)\s+(?:me|myself|for\s+me|one)\b|\bby\s+myself\b|\bon\s+my\s+own\b|\b(?:alone|solo)\b|"
    r"\b(?:table|party|booking)\s+(?:for|of)\s+one\b|\bfor\s+one\s+person\b",
    _I,
)
# "a dinner for me": the speaker alone, unless others follow ("for me and Raj") or "we"/"us" is said.
_FOR_ME = re.compile(r"\bfor\s+(?:me|myself)\b(?!\s*(?:,|&|\+|and\b|with\b|plus\b|too\b|also\b))", _I)
_FOR_ME_THEN_COMMA = re.compile(r"\bfor\s+(?:me|myself)\s*,", _I)
_PARTNERS = r"wife|husband|partner|spouse|boyfriend|girlfriend|fianc[eé]e?|other\s+half|hubby|missus"
_SINGULAR = (
    rf"{_PARTNERS}|best\s+friend|friend|mum|mom|mother(?:-in-law)?|dad|father(?:-in-law)?|sister|brother|"
    r"son|daughter|kid|child|baby|toddler|colleague|co-?worker|boss|client|cousin|aunt|uncle|grandma|"
    r"grandmother|grandpa|grandfather|granny|niece|nephew|date|guest|plus[- ]one|roommate|flatmate|"
    r"neighbou?r|teenager|teen|stepson|stepdaughter|bestie|mate|buddy|nan"
)
_PAIRS = r"parents|grandparents|in-laws|twins|folks"
_PLURAL = (
    r"friends|kids|children|sons|daughters|sisters|brothers|colleagues|co-?workers|clients|cousins|guests|"
    r"teenagers|teens|grandkids|grandchildren|nieces|nephews|babies|mates|buddies|boys|girls|others|singles"
)
_ADJECTIVE = r"(?:(?:little|young|teenage|elderly|old|best|single|other)\s+)?"  # "a single friend", "two other mums"
_DETERMINER = rf"(?:(?:my|our|his|her|their|the|a|an)\s+)?(?:{_N}\s+)?{_ADJECTIVE}"
_COMPANION = re.compile(
    r"(?:(?P<lead>\b(?:with|and|plus|bringing|bring|taking|take|for|invite|inviting|joining|join)\b|[,&+])\s*)?"
    rf"(?<!\w)(?P<det>{_DETERMINER})(?P<rel>{_PAIRS}|{_PLURAL}|{_SINGULAR})(?:'s)?\b"
    r"(?![\s-]*(?:friendly|house|room|list|menus?|seats?|chairs?|portions?)\b)",
    _I,
)
_COMPANION_AFTER = re.compile(r"^\s*(?:,\s*)?(?:and|&|\+)\s+(?:i|me|myself|us|we)\b", _I)
_FIRST_PERSON_PLURAL = re.compile(r"\b(?:we|we're|we'll|we'd|us|our|ours)\b", _I)
_SELF_LISTED = re.compile(r"\b(?:me|myself|i)\s*(?:,|and|&|\+)|(?:,|\band|&|\+)\s*(?:me|myself|i)\b", _I)


# Companions named in the plural with no number ("with my kids", "with some colleagues"): how many is unknown.
_UNCOUNTED = re.compile(
    r"\b(?:with|and|plus|bringing|taking|for)\s+(?:(?:my|our|his|her|their|the|some|several|a\s+few|all\s+(?:my|our|the))\s+)?"
    rf"(?:(?:little|young|teenage|elderly|old|best)\s+)?(?:{_PLURAL})\b",
    _I,
)


# A group whose size no word says: "the whole family", "my team", "a few of us", "a bunch of friends".
_GROUP = re.compile(
    r"\b(?:my|our|the|his|her|their)\s+(?:whole\s+|entire\s+|extended\s+)?"
    r"(?:family|team|group|crew|gang|class|squad|office|department|club|lot)\b(?!\s+of\s+\w)"
    r"|\bfamily\s+(?:dinner|lunch|meal|breakfast|brunch|trip|holiday|vacation|getaway|outing|weekend)s?\b"
    r"|\b(?:a\s+few|some|several|a\s+bunch|a\s+handful|a\s+group|lots|loads|a\s+lot)\s+of\s+(?:us|friends|people)\b",
    _I,
)


def _number(text: str) -> int:
    text = re.sub(r"\s+", " ", text.strip().lower())
    return int(text) if text.isdigit() else compound_value(text) or NUMBER_WORDS[text]


@dataclass
class People:
    party_size: int | None = None
    explicit: bool = False  # a head count was said ("for 4"), not counted from "my wife and me"
    uncounted: bool = False  # people named who cannot be counted ("with my kids"): ask, never guess
    nights: int | None = None
    problems: list[str] = field(default_factory=list)


# A count no pattern above reads: signed, with a fraction, or five digits and more (explicit ones only);
# in words ("minus three", "two and a half"), in exponent form ("1e3") or as a fraction sign ("½").
_N_PLAIN = "(?:" + _N[1:]  # _N without its capture group
# Thousands however they are grouped ("1 000", "1'000", "1,000", "1.000", "1_000", narrow no-break space) or said
# ("two thousand"): read whole, never as their last group ("1 000 people" as 0, "for one thousand" as 1).
_THOUSANDS = (
    r"\d{1,3}(?:[ \u00a0\u202f'\u2019,._]\d{3})+(?!\d)"
    rf"|(?:{_N_PLAIN}[\s-]+)?(?:thousand|million|billion)s?\b"
)
# A count that is no whole number however it is written: an exponent ("1e1"), hexadecimal ("0x10"), thousands
# ("10k"), "and a half", or a range ("2-3", "two or three"): the party size is asked, never its first number.
_MAYBE = r"(?:(?:maybe|perhaps|possibly|probably|even)\s+)?"  # "for 3 or maybe 4"
_NOT_WHOLE = (
    r"\d+(?:[.,]\d+)?e[+-]?\d+|0[xob][0-9a-f]+|\d+(?:[.,]\d+)?k|"
    rf"{_N_PLAIN}\s+and\s+a\s+half|\d+\s*,?\s*(?:-|\u2013|to|or)\s*{_MAYBE}\d+(?![\w:.])"
    rf"|{_N_PLAIN}\s*,?\s+(?:to|or)\s+{_MAYBE}{_N_PLAIN}\b"
)
_ODD = (
    rf"(?:{_THOUSANDS}|{_NOT_WHOLE}|"
    r"[-\u2212\u2013]\d+(?:[.,]\d+)?|\d+[.,]\d+|\d{5,}|\d*[\u00bc-\u00be\u2150-\u215e]|"
    rf"(?:minus|negative)\s+{_N_PLAIN}|half\s+an?)"
)
_ODD_PARTY = (
    re.compile(rf"(?<![\w.,]){_ODD}(?=\s*(?:{_PEOPLE}|of\s+us)\b)", _I),
    # "for -3", "party of 100000", "for 2-3": no fraction here ("a table for 7.30" is a time)
    re.compile(rf"(?<=\bfor\s)(?:{_THOUSANDS}|{_NOT_WHOLE}|[-\u2212\u2013]\d+|\d{{5,}})(?![\w.,]){_NOT_PEOPLE}", _I),
    re.compile(r"(?<=\bfor\s)\d*[\u00bc-\u00be\u2150-\u215e]", _I),  # "for 2½" (attack7 M5)
    re.compile(
        rf"(?<=\bof\s)(?:{_THOUSANDS}|{_NOT_WHOLE}|[-\u2212\u2013]\d+|\d+[.,]\d+|\d{{5,}})(?![\w.,]){_NOT_PEOPLE}", _I
    ),
    re.compile(rf"(?<=\bfor\s)(?:minus|negative)\s+{_N_PLAIN}\b{_NOT_PEOPLE}", _I),
)
# "a hotel for 10 years": a stay counted in months or years, never a number of nights.
_LONG_STAY = re.compile(
    rf"\b(?:stay|hotel|room|trip|holiday|vacation|break|visit|apartment|flat)\b[^.?!]{{0,40}}?\bfor\s+"
    rf"(\d+|{_N_PLAIN})\s+(years?|months?)\b",
    _I,
)
# "in -2 days", "in 1.5 weeks": a day counted from today that no calendar has (attack7 L2), not a stay.
_ODD_OFFSET = re.compile(rf"\bin\s+(?:{_ODD})[\s-]*(?:days?|weeks?)\b", _I)
_ODD_STAY = re.compile(rf"(?<![\w.,])({_ODD})[\s-]*(nights?|days?|weeks?)\b", _I)


def _odd_counts(text: str, when: When) -> tuple[str | None, str | None]:
    """(party, stay) as said when either is not a whole number in range a pattern can read, else None."""
    party = next(
        (m.group(0) for p in _ODD_PARTY for m in p.finditer(text) if not when.covers(m.start(), m.end())), None
    )
    stay = next((m for m in _ODD_STAY.finditer(text) if not when.covers(m.start(), m.end())), None)
    stay = stay or _LONG_STAY.search(text)
    unit = stay.group(2).lower() if stay else ""
    return party, (f"{stay.group(1)} {unit if unit.endswith('s') else unit + 's'}" if stay else None)


# A count corrected right after it is said: "for 10 people, no, 12", "for 2 — sorry, 3", "for 2 (make that 4)"
# (the correction wins; the words between are ``numbers.CORRECTION``, shared with times and days).
_CORRECTED = re.compile(rf"\s*(?:{_PEOPLE}\s*)?{CORRECTION}(?:for\s+)?{_N}\b{_NOT_PEOPLE}", _I)


def _corrected(text: str, end: int) -> int | None:
    """The last of a chain of corrections said right after a count: "for 2, no, 3, actually 4" is 4."""
    count = None
    while m := _CORRECTED.match(text, end):
        count, end = _number(m.group(1)), m.end(1)
    return count


def _arithmetic_party(text: str, when: When) -> tuple[int, int] | None:
    """(party, start) of a count said as a sum, a product or "about" ("for 1+1", "2 families of 3", "for 6ish")."""
    for pattern, combine in ((_SUM, int.__add__), (_PRODUCT, int.__mul__)):
        m = pattern.search(text)
        if m and not when.covers(m.start(), m.end()):
            first, second = (g for g in m.groups() if g is not None)
            return combine(_number(first), _number(second)), m.start()
    m = _ABOUT.search(text)
    return (_number(m.group(1)), m.start()) if m and not when.covers(m.start(), m.end()) else None


# Companions added to a count: "for two, plus my son", "the 3 of us plus 2 friends", "2 people and a baby", "two
# couples and a single friend", "me and two others and my son"; the speaker added last: "for four friends and me".
_ADDED = re.compile(rf"\s*(?:(?:{_PEOPLE}|{_PLURAL})\b\s*)?(?:,\s*)?(?=(?:plus|\+|and|&)\s*)", _I)
_SELF_ADDED = re.compile(r"\s*(?:plus|\+|and|&)\s*(?:me|myself|i)\b(?!\s*(?:am|'m|have|can|will|would)\b)", _I)
_STATES = re.compile(
    r"\s+(?:is|are|has|have|was|were|can|can't|cannot|eats|needs|loves|hates|likes|doesn't|don't|won't|will)\b|'s\s",
    _I,
)


def _added(text: str, end: int) -> int:
    """How many people the companions named right after a count add ("plus my son": 1); -1: not countable."""
    total = 0
    while (m := _ADDED.match(text, end)) is not None:
        if (me := _SELF_ADDED.match(text, m.end())) is not None:
            total, end = total + 1, me.end()  # "for four friends and me"
            continue
        companion = _COMPANION.match(text, m.end())
        if companion is None or not companion.group("lead") or _STATES.match(text, companion.end()):
            break  # "for 2 and my wife is vegan" states a need, it adds no one
        if companion.group(0).endswith("'s"):
            break  # "for 4 people and my friend's kids": whose, not who more
        if (count := _companion(companion, text)) == _UNCOUNTABLE:
            return _UNCOUNTABLE
        total, end = total + count, companion.end()
    return total


# Counts said in words around a number: "2 adults and 3 kids", "two couples" (four), "me plus three" (four), "both
# of us" (two).
_SAID_AS_WORDS: tuple[tuple[re.Pattern[str], Callable[[re.Match[str]], int]], ...] = (
    (_ADULTS_AND_KIDS, lambda m: _number(m.group(1)) + _number(m.group(2))),
    (_COUPLES, lambda m: 2 * _number(m.group(1))),
    (_ME_PLUS, lambda m: 1 + _number(m.group(1))),
    (_PAIR_OF_US, lambda m: 2),
)


def _explicit_party(text: str, when: When) -> tuple[int | None, int | None]:
    """(party, start) of the first explicit head count not inside a date or time (or its correction right after)."""
    if said := _arithmetic_party(text, when):
        return said
    for pattern, count in _SAID_AS_WORDS:
        m = pattern.search(text)
        if m and not when.covers(m.start(), m.end()):
            added = _added(text, m.end())  # "two couples and a single friend": five
            return (None if added == _UNCOUNTABLE else count(m) + added), m.start()
    best: tuple[int | None, int] | None = None
    for pattern in _EXPLICIT:
        for m in pattern.finditer(text):
            if when.covers(m.start(1), m.end(1)):
                continue
            if best is None or m.start() < best[1]:
                best = (_said_count(text, m), m.start())
            break
    return best if best and best[0] is not None else (None, None)


def _said_count(text: str, m: re.Match[str]) -> int | None:
    """The count at ``m``: its correction right after ("for 4, well 3"), else it plus the companions added after it
    ("for two, plus my son"); None when those cannot be counted ("for 2 plus the kids": asked)."""
    if (corrected := _corrected(text, m.end(1))) is not None:
        return corrected
    added = _added(text, m.end())
    return None if added == _UNCOUNTABLE else _number(m.group(1)) + added


_UNCOUNTABLE = -1  # a companion named whose number cannot be known ("with the kids")


def _companion(m: re.Match[str], text: str) -> int:
    """How many people one companion phrase names: 0 when it names none ("a date" that is a day), or _UNCOUNTABLE."""
    lead, det, rel = m.group("lead"), m.group("det") or "", m.group("rel").lower()
    starts_message = not text[: m.start()].strip()
    if not (lead or _COMPANION_AFTER.match(text[m.end() : m.end() + 12]) or starts_message):
        return 0
    if rel == "date" and not re.search(r"\b(?:my|a)\s+$", det, _I):
        return 0
    count_match = re.search(_N, det, _I)
    counted = _number(count_match.group(1)) if count_match and not _A_FEW.fullmatch(count_match.group(1)) else None
    if re.fullmatch(_PAIRS, rel, _I):
        return counted or 2
    if re.fullmatch(_PLURAL, rel, _I):
        return _UNCOUNTABLE if counted is None else counted  # "with the kids", "with a few friends": how many?
    return counted or 1


_A_FEW = re.compile(r"a\s+few", _I)


def _once_each(counts: list[tuple[re.Match[str], int]]) -> list[tuple[re.Match[str], int]]:
    """One person named twice counts once ("My daughter is allergic to eggs. Breakfast for me, my wife and our
    daughter": three): a singular companion named again with no number is the same person."""
    seen: set[str] = set()
    kept = []
    for m, n in counts:
        rel = " ".join(m.group("rel").lower().split())
        single = re.fullmatch(_SINGULAR, rel, _I) and not re.search(_N, m.group("det") or "", _I)
        if single and rel in seen:
            continue
        seen.add(rel)
        kept.append((m, n))
    return kept


def _counted_party(text: str) -> int | None:
    """Speaker plus named companions; None when a companion cannot be counted ("with the kids")."""
    counts = [(m, _companion(m, text)) for m in _COMPANION.finditer(text)]
    counts = [(m, n) for m, n in counts if n != 0]
    counts = _once_each(counts)
    if not counts or any(n == _UNCOUNTABLE for _, n in counts):
        return None
    partner = any(re.fullmatch(_PARTNERS, m.group("rel").lower(), _I) for m, _ in counts)
    speaker = 1
    if _FIRST_PERSON_PLURAL.search(text) and not partner and not _SELF_LISTED.search(text):
        speaker = 2  # "we" with no partner named: a couple
    return sum(n for _, n in counts) + speaker


_NIGHT_PATTERNS: tuple[tuple[re.Pattern[str], int | None], ...] = tuple(
    (re.compile(p, _I), per)
    for p, per in (
        (rf"\b{_N}[\s-]+nights?\b", None),
        (r"(?<![\d€$£]\s)(?<!euros\s)(?<!euro\s)(?<!eur\s)\b(?:a|one)\s+night\b(?!\s+out)", 1),
        (rf"\b{_N}[\s-]+weeks?\b", 7),
        (r"\b(?:a|one)\s+week\b", 7),
        (r"\b(?:a|one)\s+fortnight\b", 14),
        (r"\b(?:a|the|this|next)\s+long\s+weekend\b", 3),
        (r"\b(?:a|the|this|next|for\s+the|over\s+the)\s+weekend\b", 2),
        (rf"\b{_N}[\s-]+days?\b", 0),
    )
)


# "1 week and 2 days", "a week plus 3 nights": the days or nights added to the weeks.
_WEEKS_AND_DAYS = re.compile(rf"\b(?:{_N}|a)[\s-]+weeks?\s*(?:,|and|\+|plus)\s*(?:{_N}|a)[\s-]+(?:days?|nights?)\b", _I)
# A number of nights corrected right after it is said: "3 nights, no, 4", "3 nights (actually 4)".
_NIGHTS_CORRECTED = re.compile(rf"{CORRECTION}(?:for\s+)?{_N}\b(?:[\s-]*nights?\b)?{_NOT_PEOPLE}", _I)


def _nights(text: str, when: When) -> int | None:
    m = _WEEKS_AND_DAYS.search(text)
    if m and not when.covers(m.start(), m.end()):
        return 7 * _number(m.group(1) or "a") + _number(m.group(2) or "a")
    for pattern, per in _NIGHT_PATTERNS:
        for m in pattern.finditer(text):
            if per in {None, 0, 1, 7, 14} and when.covers(m.start(), m.end()):
                continue  # "in two weeks", "a week from today" are dates, not lengths of stay
            if re.search(r"\bin\s+$", text[max(0, m.start() - 4) : m.start()], _I):
                continue
            if per is None:
                corrected = _NIGHTS_CORRECTED.match(text, m.end())
                return _number((corrected or m).group(1))
            if per == 0:  # "3 days" away is 2 nights; "1 day" is 1 night; "0 days" is no stay at all
                days = _number(m.group(1))
                return max(1, days - 1) if days else 0
            if m.lastindex:
                return _number(m.group(1)) * per
            return per
    return None


def _days_and_nights_clash(text: str, when: When) -> str | None:
    """One line when the days of a stay ("from 8 to 12 December") and the nights said ("for 2 nights") disagree."""
    said = _nights(text, when)
    if when.date is None or when.nights is None or said is None or said == when.nights:
        return None
    return stay_clash(when.date, when.nights, said)


def _counted_exactly(text: str, when: When) -> bool:
    """An explicit head count that is a number, not "a few": it stands beside "the whole team"."""
    party, start = _explicit_party(text, when)
    return party is not None and start is not None and not re.match(r"\D*(?:a\s+)?few\b", text[start:], _I)


def _we_uncounted(text: str, party: int | None) -> bool:
    """ "book us a table", "we'd like dinner": a group of unknown size, asked for rather than assumed a couple."""
    return party is None and bool(_FIRST_PERSON_PLURAL.search(text)) and not _SOLO.search(text)


_NUMBER = re.compile(_N, _I)


def _list_says(listing: Listing | None, text: str, start: int | None) -> bool:
    """Whether the people listed ("me, my wife and our three kids") say the party: a list of two or more with the
    user in it, unless a head count said apart from it wins ("for 4: me and my son"); a count said inside a list
    ("for 8 kids and 2 adults", "my in-laws and us two") is only part of it."""
    if listing is None or len(listing.members) < 2:
        return False
    if start is None:
        return listing.with_speaker  # "with my wife and two friends": the user comes too, counted further on
    number = _NUMBER.search(text, start)
    return listing.covers(start) or (number is not None and listing.covers(number.start()))


def _alone(listing: Listing | None, text: str) -> bool:
    """ "for me" said of the speaker alone, also before a comma when the parse lists no one after it ("a hotel for
    me, 3 nights from 2 January"); never "for us", nor "for me, Sam and Jo" (a list), nor "for me, him and Sam"."""
    if _FIRST_PERSON_PLURAL.search(text):
        return False
    alone = listing is not None and [m.kind for m in listing.members] == ["speaker"] and listing.size == 1
    return bool(_FOR_ME.search(text) or (alone and _FOR_ME_THEN_COMMA.search(text)))


def _party(text: str, when: When, people: People) -> tuple[int | None, bool]:
    """(party, listed): the party said (an explicit count), else listed by the parse (listed: True), else counted
    from the companions named; 1 for "just me" or "for me". Sets ``people.explicit`` and, for a list that cannot be
    counted ("me and the kids"), ``people.uncounted``."""
    party, start = _explicit_party(text, when)
    people.explicit = party is not None
    listing = people_listed(text, when.covers)
    if _list_says(listing, text, start):
        people.uncounted = listing.size is None  # type: ignore[union-attr]
        return listing.size, True  # type: ignore[union-attr]
    if party is None:
        party = _counted_party(text)
    if party is None and (_SOLO.search(text) or _alone(listing, text)):
        party = 1
    return party, False


def read_people(text: str, when: When) -> People:
    """Party size and nights named in ``text`` (``when`` says which characters were dates and times)."""
    people = People()
    odd_party, odd_stay = _odd_counts(text, when)
    party, listed = _party(text, when, people)
    if unread := unread_count(text):
        people.problems.append(unread)  # "for deux", "for II nights": asked, never the default (attack8 L3)
    if odd_party is not None or (party is not None and not 1 <= party <= MAX_PARTY):
        people.problems.append(party_problem(odd_party or party))  # type: ignore[arg-type]
        party = None
    if _GROUP.search(text) and not (listed and party) and not (people.explicit and _counted_exactly(text, when)):
        party, people.explicit = None, False  # "a few of us", "with the whole family": how many is asked
    people.party_size = party
    grouped = _UNCOUNTED.search(text) or _GROUP.search(text)
    people.uncounted = party is None and bool(people.uncounted or grouped or _we_uncounted(text, party))
    nights = when.nights if when.nights is not None else _nights(text, when)
    if clash := _days_and_nights_clash(text, when):
        people.problems.append(clash)  # "from 8 to 12 December for 2 nights": which is it?
        nights = None
    if odd_stay is not None and (offset := _ODD_OFFSET.search(text)):
        people.problems.append(offset_problem(offset.group(0)))  # "dinner in -2 days": a day, not a stay
        nights = None
    elif odd_stay is not None:
        people.problems.append(stay_problem(odd_stay))
        nights = None
    elif nights is not None and not 1 <= nights <= MAX_NIGHTS:
        people.problems.append(nights_problem(nights))
        nights = None
    people.nights = nights
    return people
