"""Dates and times in a message, resolved against "now".

Finding the phrases is done here (a date-looking phrase is never silently guessed); turning a phrase
into a calendar day is done by ``dateparser`` ("this Sunday", "14th of March", "in two weeks") with
``RELATIVE_BASE=now`` and future dates preferred. ``dateparser`` is imported on first use (~0.1 s).

Rules we add where ``dateparser`` has none or guesses:

- "on the 14th": this month if that day is still ahead, else next month. "the 45th" is a problem.
- "this weekend" is the coming Saturday (today on a weekend day); "next weekend" the Saturday of the weekend after
  it, or of the coming one when said on a weekend day (``weekend.weekend_friday``).
- "in December", "next month": a month for a trip, not a day; "every Friday", "on Friday evenings": a habit, no day.
- "3-6 December", "Dec 8th through the 12th", "from Friday to Sunday": the first day, and the nights between; a day
  said as the end ("checking out Wednesday", "until Friday") is never the start.
- A weekday beside another day phrase ("Fri 12/12", "tomorrow (Wednesday)") is checked against it
  (``weekday_check``); a day or time corrected inside the message ("Friday, I mean Saturday") is the correction.
- Clock times are read here ("7.30", "half past seven", "noon", "20h30"); a bare hour ("at 8") reads as
  morning only with a morning cue (breakfast, brunch, "in the morning"), as 11/12 at lunch, and
  otherwise as afternoon/evening, the usual booking hours.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal

from concierge.request.numbers import (
    CORRECTION,
    NUMBER_WORDS,
    ORDINAL_WORD,
    corrects,
    ordinal_value,
    said_as_correction,
)
from concierge.request.weekday_check import side_by_side, weekday_clash

DayPart = Literal["morning", "afternoon", "evening", "night"]

MONTHS = (
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
)
_MONTH = r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"  # noqa: E501
_DAY_NUM = r"(\d{1,2})(?:st|nd|rd|th)?"
_WEEKDAY = r"(monday|tuesday|wednesday|thursday|friday|saturday|sunday|tues|weds|thurs)"
_PART = r"(?:\s+(morning|afternoon|evening|night|lunchtime))?"
_HOUR = r"(\d{1,2}|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)"
_AMPM = r"\s*(a\.?m\.?|p\.?m\.?)?(?![a-z])"
# between the two days of a range: "8-12", "8 to 12", "8th through the 12th"
_UNTIL = r"(?:-|\u2013|\u2014|to|until|till|through|thru)\s*(?:the\s+)?"
_TIME_LEAD = r"(?:at|around|about|by|from|after|before|until|till|til|arrive|arriving)"
_I = re.IGNORECASE


def _month_number(text: str) -> int:
    folded = text.lower().rstrip(".")[:3]
    return next(i for i, m in enumerate(MONTHS, 1) if m.startswith(folded))


@dataclass
class When:
    """What a message says about when."""

    date: datetime.date | None = None
    time: datetime.time | None = None
    month: int | None = None
    nights: int | None = None  # from a date range
    day_part: DayPart | None = None
    past: bool = False  # "yesterday", "last Friday": the message tells about the past
    problems: list[str] = field(default_factory=list)
    spans: list[tuple[int, int]] = field(default_factory=list)  # characters that were dates or times
    # (weekday, day): a weekday said right beside another day phrase ("Fri 12/12"), checked by ``weekday_clash``
    weekdays_beside: list[tuple[int, datetime.date]] = field(default_factory=list)

    def covers(self, start: int, end: int) -> bool:
        return any(s < end and start < e for s, e in self.spans)


_DATEPARSER: Any = None


def warm() -> None:
    """Import dateparser now (~0.2 s) instead of during the first message with a date."""
    _dateparse("tomorrow", datetime.datetime(2000, 1, 1))


def _dateparse(text: str, now: datetime.datetime, order: str | None = None) -> datetime.date | None:
    global _DATEPARSER
    if _DATEPARSER is None:
        import dateparser

        _DATEPARSER = dateparser
    settings: dict[str, Any] = {"RELATIVE_BASE": now, "PREFER_DATES_FROM": "future"}
    if order:
        settings["DATE_ORDER"] = order
    found = _DATEPARSER.parse(text, languages=["en"], settings=settings)
    return found.date() if found else None


def _bad_date(said: str) -> str:
    return f'I could not read the date "{said}"; say a day like "tomorrow", "this Sunday" or "14 March".'


_HOLIDAYS: dict[str, tuple[int, int]] = {
    "christmas eve": (12, 24),
    "christmas": (12, 25),
    "christmas day": (12, 25),
    "xmas": (12, 25),
    "boxing day": (12, 26),
    "new year s eve": (12, 31),
    "new years eve": (12, 31),
    "new year s": (1, 1),
    "new years": (1, 1),
    "new year s day": (1, 1),
    "new years day": (1, 1),
    "valentine s": (2, 14),
    "valentines": (2, 14),
    "valentine s day": (2, 14),
    "valentines day": (2, 14),
    "halloween": (10, 31),
}


def _next_yearly(month: int, day: int, today: datetime.date) -> datetime.date:
    """The next date (today included) that falls on ``month``/``day``."""
    this_year = datetime.date(today.year, month, day)
    return this_year if this_year >= today else datetime.date(today.year + 1, month, day)


def _past_date(day: datetime.date) -> str:
    return f'{day.day} {day:%B %Y} is in the past; say a day from today on, like "tomorrow" or "this Sunday".'


MAX_YEARS_AHEAD = 2  # a day further out is no plan the catalog's hours and prices can make


def date_problem(day: datetime.date, today: datetime.date) -> str | None:
    """Why ``day`` cannot be booked (in the past, or more than two years ahead), or None."""
    if day < today:
        return _past_date(day)
    if day > today + datetime.timedelta(days=366 * MAX_YEARS_AHEAD):
        return f"{day.day} {day:%B %Y} is too far ahead; say a day within the next {MAX_YEARS_AHEAD} years."
    return None


def _day_of_month(day: int, today: datetime.date) -> datetime.date | None:
    """The next date with that day of the month (today included)."""
    year, month = today.year, today.month
    for _ in range(3):
        try:
            candidate = datetime.date(year, month, day)
        except ValueError:
            candidate = None
        if candidate is not None and candidate >= today:
            return candidate
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return None


def _weekend(now: datetime.date, which: Literal["this", "next"]) -> datetime.date:
    """The Saturday of the weekend meant (``weekend.weekend_friday``); "this weekend" said on a Sunday is today."""
    from concierge.request.weekend import weekend_friday

    return max(weekend_friday(now, which) + _DAY, now)


# -- dates -------------------------------------------------------------------------------------------------------
# A count of days or weeks from today ("in ten days", "in a fortnight", "a couple of weeks from now").
_COUNT = (
    r"(\d{1,2}|a\s+couple\s+of|couple\s+of|a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|"
    r"thirteen|fourteen|fifteen|twenty)"
)
_UNIT = r"(days?|weeks?|fortnights?)(?:['\u2019]s?\s+time\b|\s+time\b)?"
_UNIT_DAYS = {"day": 1, "week": 7, "fortnight": 14}
# Each pattern: (regex, kind). Earlier patterns win where phrases overlap.
_DATE_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(p, _I), kind)
    for p, kind in (
        (
            rf"\byesterday\b|\blast\s+(?:night|week|weekend|month|year|summer|winter|spring|autumn|{_WEEKDAY[1:-1]})\b"
            r"|\b(?:\d+|a|an|one|two|three|four|five|six|seven|eight|nine|ten)\s+(?:days?|weeks?|months?|years?)\s+ago\b",
            "past",
        ),
        (
            rf"\b{_DAY_NUM}\s*{_UNTIL}\s*{_DAY_NUM}(?:\s+of)?\s+({_MONTH})(?:,?\s+(\d{{4}}))?\b",
            "range_dm",
        ),
        (rf"\b({_MONTH})\s+{_DAY_NUM}\s*{_UNTIL}\s*{_DAY_NUM}(?:,?\s+(\d{{4}}))?\b", "range_md"),
        (r"\b(\d{4})-(\d{2})-(\d{2})\b", "iso"),
        (r"\b(\d{1,2})/(\d{1,2})(?:/(\d{2}|\d{4}))?\b", "numeric"),
        (r"(?<=\bon\s)(\d{1,2})\.(\d{1,2})(?:\.(\d{2}|\d{4}))?\b", "numeric"),
        # "on 12-12", "move it to 12-12": a day and month with a dash, after "on"/"to" only ("for 2-3" is a count)
        (r"(?:(?<=\bon\s)|(?<=\bto\s))(\d{1,2})-(\d{1,2})(?:-(\d{2}|\d{4}))?\b(?![-\d:.,])", "numeric"),
        (rf"\b(?:the\s+)?(\d{{1,3}})(?:st|nd|rd|th)?(?:\s+of)?\s+({_MONTH})(?:,?\s+(\d{{4}}))?(?![a-z])", "day_month"),
        (rf"\b({_MONTH})\s+(?:the\s+)?(\d{{1,3}})(?:st|nd|rd|th)?\b(?:,?\s+(\d{{4}}))?", "month_day"),
        # "December twelfth", "the twenty-first of May": a day of a month said in words
        (rf"\b(?:the\s+)?({ORDINAL_WORD})(?:\s+of)?\s+({_MONTH})(?:,?\s+(\d{{4}}))?(?![a-z])", "word_day_month"),
        (rf"\b({_MONTH})\s+(?:the\s+)?({ORDINAL_WORD})\b(?:,?\s+(\d{{4}}))?", "word_month_day"),
        (r"\b(?:the\s+)?day\s+after\s+tomorrow\b", "after_tomorrow"),
        # "a week tomorrow", "a fortnight on Friday", "two weeks today"; British "Monday week", "tomorrow fortnight"
        # ("for a week from tomorrow" is a stay's length and its first day)
        (
            r"(?<!\bfor\s)\b(?P<n>a|one|two|three|\d)\s+(?P<unit>weeks?|fortnights?)\s+(?:from\s+|on\s+|after\s+)?"
            rf"(?P<base>tomorrow|today|{_WEEKDAY[1:-1]})\b",
            "week_on",
        ),
        (rf"\b(?:on\s+)?(?P<base>tomorrow|today|{_WEEKDAY[1:-1]})\s+(?P<unit>week|fortnight)\b(?P<n>)", "week_on"),
        (
            r"\b(christmas\s+eve|christmas(?:\s+day)?|xmas|boxing\s+day|new\s+year'?s\s+eve|new\s+year'?s(?:\s+day)?|"
            r"valentine'?s(?:\s+day)?|halloween)\b",
            "holiday",
        ),
        (rf"\b(?:tomorrow|tmrw|tmr|tmrow|tomoz|2moro|2morrow|tomorow|tommorow|tommorrow)\b{_PART}", "tomorrow"),
        (r"\btonight\b", "tonight"),
        (r"\bthis\s+(morning|afternoon|evening)\b", "today_part"),
        (r"\btoday\b", "today"),
        (
            rf"\b(?:every|each)\s+(?:other\s+|single\s+)?(?:{_WEEKDAY[1:-1]}|day|weekend|morning|evening|night)\b"
            rf"(?:\s+(?:morning|afternoon|evening|night)s?)?|\b{_WEEKDAY}s?\s+(?:mornings|afternoons|evenings|nights)\b",
            "habit",
        ),
        (r"\b(this|next|the|at\s+the|over\s+the)\s+weekend\b", "weekend"),
        # "the Tuesday after next": the Tuesday a week after the coming one
        (rf"\b(?:the\s+)?{_WEEKDAY}\s+after\s+next\b", "after_next"),
        (rf"\b(?:(this|next|coming|on)\s+)?{_WEEKDAY}\b{_PART}", "weekday"),
        (rf"\b(this|next|coming|on)\s+(mon|tue|wed|thu|fri|sat|sun)\.?(?![a-z]){_PART}", "weekday"),
        (rf"\b()(tue|thu|fri)\.?(?![a-z]){_PART}", "weekday"),  # "fri nite": no other word is spelt so
        # "Sat 13/12", "Sun 14 March", "Mon the 7th": before a calendar date only ("in the sun 3 days" is none)
        (
            rf"\b()(mon|wed|sat|sun)\.?(?=,?\s+(?:the\s+)?\d{{1,4}}(?:st|nd|rd|th)?(?:[/.-]\d|\s+(?:of\s+)?{_MONTH}|"
            r"(?<=st|nd|rd|th)\b))()",
            "weekday",
        ),
        (r"(?<=\()()(mon|wed|sat|sun)\.?(?=\))()", "weekday"),  # "12/12 (Sat)"
        (rf"\bin\s+{_COUNT}\s+{_UNIT}\b", "relative"),  # "in a fortnight", "in a couple of weeks", "in 10 days"
        (r"\b(?:a|one)\s+week\s+(?:from\s+)?(?:today|now)\b|\bthis\s+time\s+next\s+week\b", "week_from_now"),
        (rf"\b{_COUNT}\s+{_UNIT}\s+(?:from\s+(?:now|today)|away)\b", "relative"),
        (r"\b(?:on\s+)?the\s+(\d{1,3})(?:st|nd|rd|th)\b|\bon\s+(?:the\s+)?(\d{1,3})(?:st|nd|rd|th)\b", "day_only"),
        # "on the twelfth", "make it the twelfth": a day in words, when nothing follows that it could count
        (
            rf"\bon\s+the\s+({ORDINAL_WORD})\b(?!\s+(?:time|floor|course|row|day|night|one)\b)"
            rf"|\bthe\s+({ORDINAL_WORD})\b(?=\s*(?:$|[,.;!?)]|for\b|at\b|instead\b|please\b|then\b))",
            "word_day_only",
        ),
        (r"\b(this|next)\s+month\b", "month_rel"),
        (
            r"\b(?:(?:this|next|coming)\s+|(?:in|for|during|over|by|until|around)\s+(?:the\s+)?"
            r"(?:(?:early|late|mid)[\s-]+)?)(spring|summer|autumn|fall|winter)(?:time)?\b",
            "season",
        ),
        (r"\bnext\s+year\b", "next_year"),
        (
            r"\b(?:in|for|during|this|next|early|late|mid|around|over|until|from|of|by)[\s-]+(?:early\s+|late\s+|mid[\s-]+)?"
            r"(january|february|march|april|may|june|july|august|september|october|november|december)\b(?!\s+\d)",
            "month",
        ),
        (r"\b(january|february|april|june|july|september|october|november|december)\b(?!\s+\d)", "month"),
    )
)
_WEEKDAY_NAMES = {
    "mon": "monday",
    "tue": "tuesday",
    "tues": "tuesday",
    "wed": "wednesday",
    "weds": "wednesday",
    "thu": "thursday",
    "thurs": "thursday",
    "fri": "friday",
    "sat": "saturday",
    "sun": "sunday",
}
# they name no day ("every Friday night", "on Friday evenings": a habit, not a booking)
_NO_DAY = frozenset({"month", "month_rel", "past", "season", "next_year", "habit"})
_CALENDAR_KINDS = frozenset(
    {"iso", "numeric", "day_month", "month_day", "day_only", "word_day_month", "word_month_day", "word_day_only"}
)
_PART_OF: dict[str, DayPart] = {
    "morning": "morning",
    "afternoon": "afternoon",
    "lunchtime": "afternoon",
    "evening": "evening",
    "night": "night",
}


def _year(text: str | None) -> str:
    return f" {text}" if text else ""


def _date_matches(text: str, when: When) -> list[tuple[int, int, str, re.Match[str]]]:
    """Every date phrase not inside another one, a day alone ("the 14th") after any month named."""
    matches: list[tuple[int, int, str, re.Match[str]]] = []
    for pattern, kind in _DATE_PATTERNS:
        for m in pattern.finditer(text):
            if not when.covers(m.start(), m.end()) and m.group(0) != "24/7":
                when.spans.append((m.start(), m.end()))
                matches.append((m.start(), m.end(), kind, m))
    return sorted(matches, key=lambda x: (x[2] in {"day_only", "word_day_only"}, x[0]))


# Day phrases a weekday can stand beside and be checked against: "Friday 12 December", "tomorrow (Wednesday)".
_BESIDE_KINDS = _CALENDAR_KINDS | {"tomorrow", "tonight", "today", "today_part", "after_tomorrow", "holiday"}
_Phrase = tuple[int, int, str, datetime.date | None]


def _days_said(text: str, now: datetime.datetime, when: When) -> list[tuple[int, int, datetime.date]]:
    """(start, end, day) of every day the text names, in the text's order (months and ranges fill ``when``).

    A weekday said right beside another day phrase ("Monday the 7th", "Fri 12/12", "tomorrow (Wednesday)") is no
    day of its own: the other phrase decides, and the pair is kept in ``when.weekdays_beside`` to be checked."""
    # resolved in ``_date_matches``' order (a day alone after any month named), then put in the text's order
    phrases = sorted(((s, e, kind, _resolve(kind, m, now, when)) for s, e, kind, m in _date_matches(text, when)))
    extent: dict[int, tuple[int, int]] = {}  # a day phrase with its weekday: "Saturday 12 December" as one
    weekdays_beside: set[int] = set()
    for start, end, kind, day in phrases:
        if kind == "weekday" and (beside := _beside(text, phrases, start, end)) is not None:
            weekdays_beside.add(start)
            extent[beside[0]] = (min(start, beside[0]), max(end, beside[1]))
            if day is not None and beside[3] is not None:
                when.weekdays_beside.append((day.weekday(), beside[3]))
    return [
        (*extent.get(start, (start, end)), day)
        for start, end, kind, day in phrases
        if kind not in _NO_DAY and day is not None and start not in weekdays_beside
    ]


def _beside(text: str, phrases: list[_Phrase], start: int, end: int) -> _Phrase | None:
    """The day phrase said right before or after the weekday at ``start:end``, if any."""
    return next(
        (
            p
            for p in phrases
            if p[2] in _BESIDE_KINDS and (side_by_side(text, end, p[0]) or side_by_side(text, p[1], start))
        ),
        None,
    )


def _corrected_days(text: str, dated: list[tuple[int, int, datetime.date]]) -> list[tuple[int, int, datetime.date]]:
    """The days from the one meant on: "on Friday, I mean Saturday" is Saturday (``numbers.CORRECTION``)."""
    first = 0
    while first + 1 < len(dated) and corrects(text, dated[first][1], dated[first + 1][0]):
        first += 1
    later = [i for i in range(first + 1, len(dated)) if said_as_correction(text, dated[i][0])]
    return dated[later[-1] :] if later else dated[first:]  # "tomorrow at 8pm for 2, oops I meant Friday"


# A day said as the end of a stay: "checking out Wednesday", "until Friday", "leaving on the 12th".
_ENDS_STAY = re.compile(
    r"\b(?:check(?:ing)?[\s-]*out|leaving|departing|until|till|through|thru)\s+(?:on\s+)?(?:the\s+)?$", _I
)


def _stay_days(text: str, dated: list[tuple[int, int, datetime.date]], when: When) -> None:
    """The first day said, or, when another day is said as the stay's end ("checking out Wednesday, from tomorrow",
    "from tomorrow, i.e. until Friday"), the first day that is not, and the nights up to that end."""
    ends = [d for d in dated if _ENDS_STAY.search(text, 0, d[0])]
    starts = [d for d in dated if d not in ends]
    when.date = (starts or dated)[0][2]
    if when.nights is not None:
        return
    if starts and ends:
        _nights_between(starts[0][2], ends[0][2], when)
    elif len(dated) > 1:
        _range_nights(text, dated, when)


def stay_clash(start: datetime.date, nights: int, said: int) -> str:
    """One line when the days of a stay ("from 8 to 12 December") and its nights ("for 2 nights") disagree."""
    end = start + nights * _DAY
    return (
        f"From {start.day} {start:%B} to {end.day} {end:%B} is {nights} night{'s' * (nights != 1)}, not {said}; "
        f'say which, like "{nights} nights from {start.day} {start:%B}" or "{said} nights from {start.day} {start:%B}".'
    )


def _nights_between(start: datetime.date, end: datetime.date, when: When) -> None:
    nights = (end - start).days
    when.nights = nights if nights > 0 else None
    if nights <= 0:
        when.problems.append(_reversed_range(start, end))


def _range_nights(text: str, dated: list[tuple[int, int, datetime.date]], when: When) -> None:
    """ "from Friday to Sunday", "3 March - 6 March": the nights between two days said as a range."""
    between = text[dated[0][1] : dated[1][0]]
    if re.fullmatch(r"\s*(?:-|\u2013|to|until|till|through|thru|and)\s*", between, _I):
        _nights_between(dated[0][2], dated[1][2], when)


def read_dates(text: str, now: datetime.datetime, when: When) -> None:
    """Fill ``when`` with the first day (or month, or range) the text names; unreadable dates become problems."""
    today = now.date()
    dated = _corrected_days(text, _days_said(text, now, when))
    if dated and when.date is None:
        _stay_days(text, dated, when)
    if when.date is not None:
        clashes = (weekday_clash(weekday, day) for weekday, day in when.weekdays_beside if day == when.date)
        when.problems.extend(clash for clash in clashes if clash)  # "Fri 12/12" when the 12th is a Saturday
    if when.date is None and (far := _far_year(text, today, when)):
        when.problems.append(far)
    if when.date is not None:
        when.month = None
        if problem := date_problem(when.date, today):
            when.problems.append(problem)
            when.date = None


def _reversed_range(start: datetime.date, end: datetime.date) -> str:
    ends, starts = f"{end.day} {end:%B %Y}", f"{start.day} {start:%B %Y}"
    return f"The stay would end ({ends}) before it starts ({starts}); say the dates in order."


_NOT_A_YEAR = r"(?![\s-]*(?:[a-z€$£%]|\d))"  # "in 5000 metres", "in 2000 euros" are no years
# "in 9999", "in the year 9999", "in 5000 years": a time no plan can be made for (no day is read from it).
_FAR_YEAR = re.compile(rf"\b(?:in\s+(?:the\s+)?year|in)\s+(\d{{4,}})\b{_NOT_A_YEAR}", _I)
_YEARS_AHEAD = re.compile(r"\bin\s+(\d+)\s+(?:years?|decades?|centur(?:y|ies)|millenni(?:um|a))\b", _I)


def _far_year(text: str, today: datetime.date, when: When) -> str | None:
    """The problem of a year too far ahead that no date pattern read (those are checked by ``date_problem``)."""
    too_far = f"say a day within the next {MAX_YEARS_AHEAD} years"
    for m in _FAR_YEAR.finditer(text):
        if not when.covers(m.start(1), m.end(1)) and int(m.group(1)) > today.year + MAX_YEARS_AHEAD:
            return f"The year {int(m.group(1))} is too far ahead; {too_far}."
    for m in _YEARS_AHEAD.finditer(text):
        if not when.covers(m.start(), m.end()) and int(m.group(1)) > MAX_YEARS_AHEAD:
            return f"{m.group(0).strip().capitalize()} is too far ahead; {too_far}."
    return None


_DAY = datetime.timedelta(days=1)


def _range(m: re.Match[str], now: datetime.datetime, when: When, said: str, day_first: bool) -> datetime.date | None:
    """ "12-15 March", "March 12-15": the first day, and the nights between."""
    if day_first:
        first, last, month, year = m.group(1), m.group(2), m.group(3), m.group(4)
    else:
        month, first, last, year = m.group(1), m.group(2), m.group(3), m.group(4)
    start = _dateparse(f"{first} {month}{_year(year)}", now)
    try:
        end = start.replace(day=int(last)) if start else None
    except ValueError:
        end = None
    if start is None or end is None or end <= start:
        when.problems.append(_bad_date(said))
        return None
    when.nights = (end - start).days
    return start


def _iso(m: re.Match[str], when: When, said: str) -> datetime.date | None:
    try:
        return datetime.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        when.problems.append(_bad_date(said))
        return None


def _numeric(m: re.Match[str], now: datetime.datetime, when: When, said: str) -> datetime.date | None:
    """ "14/3", "3/14/2027": day first unless that cannot be a date within two years."""
    if m.group(3) is None and int(m.group(2)) > 12 and int(m.group(1)) > 12:
        return None  # "24/7" and the like are not dates
    numeric = said.replace(".", "/").replace("-", "/")
    day = _dateparse(numeric, now, "DMY")
    if day is None or day.year > now.date().year + 2:
        day = _dateparse(numeric, now, "MDY")
    if day is None:
        when.problems.append(_bad_date(said))
    return day


def _named_day(number: str, said: str, now: datetime.datetime, when: When) -> datetime.date | None:
    """ "14 March", "Dec 8th": a day of a month; "Dec 32" is no day (never the year 2032, as dateparser reads it)."""
    day = _dateparse(said.removeprefix("the ").removeprefix("The "), now) if int(number) <= 31 else None
    if day is None:
        when.problems.append(_bad_date(said))
    return day


def _weekday(m: re.Match[str], now: datetime.datetime, when: When) -> datetime.date | None:
    when.day_part = when.day_part or _PART_OF.get((m.group(3) or "").lower())
    which = (m.group(1) or "").lower()
    name = _WEEKDAY_NAMES.get(m.group(2).lower(), m.group(2))
    prefix = "next " if which == "next" else ("this " if which in {"this", "coming"} else "")
    return _dateparse(f"{prefix}{name}", now)


def _relative(m: re.Match[str], today: datetime.date) -> datetime.date:
    """ "in 10 days", "in a fortnight" (14), "two weeks from now", "in a couple of weeks"."""
    count = " ".join(m.group(1).lower().split())
    n = int(count) if count.isdigit() else NUMBER_WORDS.get(count, NUMBER_WORDS.get(f"a {count}", 0))
    return today + datetime.timedelta(days=n * _UNIT_DAYS[m.group(2).lower().rstrip("s")])


def _after_next(m: re.Match[str], now: datetime.datetime) -> datetime.date | None:
    """ "the Tuesday after next": a week after the coming Tuesday."""
    coming = _dateparse(_WEEKDAY_NAMES.get(m.group(1).lower(), m.group(1)), now)
    return None if coming is None else coming + 7 * _DAY


def _day_only(m: re.Match[str], now: datetime.datetime, when: When, said: str) -> datetime.date | None:
    """ "on the 14th": of the month named elsewhere ("in March, on the 14th"), else the next 14th."""
    return _day_number(int(m.group(1) or m.group(2)), now, when, said)


def _worded_day(m: re.Match[str], now: datetime.datetime, when: When, *, day_first: bool) -> datetime.date | None:
    """ "December twelfth", "the twenty-first of May": the day in words read as its digits."""
    day, month = (m.group(1), m.group(2)) if day_first else (m.group(2), m.group(1))
    number = ordinal_value(day) or 0
    return _named_day(str(number), f"{number} {month}{_year(m.group(3))}", now, when)


def _week_on(m: re.Match[str], now: datetime.datetime) -> datetime.date | None:
    """ "a week tomorrow" (tomorrow + 7), "Monday week" (the coming Monday + 7), "a fortnight on Friday" (+ 14)."""
    base_said = m.group("base").lower()
    if base_said in {"today", "tomorrow"}:
        base: datetime.date | None = now.date() + _DAY * (base_said == "tomorrow")
    else:
        base = _dateparse(_WEEKDAY_NAMES.get(base_said, base_said), now)
    count = (m.group("n") or "a").lower()
    weeks = (int(count) if count.isdigit() else NUMBER_WORDS[count]) * (
        2 if m.group("unit").lower().startswith("fortnight") else 1
    )
    return None if base is None else base + weeks * 7 * _DAY


def _day_number(number: int, now: datetime.datetime, when: When, said: str) -> datetime.date | None:
    """The day ``number`` of the month named elsewhere, else the next day with that number."""
    day = None
    if 1 <= number <= 31:
        if when.month is not None:
            day = _dateparse(f"{number} {MONTHS[when.month - 1]}", now)
        else:
            day = _day_of_month(number, now.date())
    if day is None:
        ordinal = re.sub(r"^(?:on\s+)?(?:the\s+)?", "", said, flags=_I)
        when.problems.append(f'There is no {ordinal} day in a month; say a day like "on the 14th" or "14 March".')
    return day


def _month_said(m: re.Match[str], now: datetime.datetime, when: When, relative: bool) -> None:
    """ "in March", "this month", "next month": a month, no day."""
    if when.month is None:
        if relative:
            when.month = now.month if m.group(1).lower() == "this" else now.month % 12 + 1
        else:
            when.month = _month_number(m.group(1))


# A season said for a trip is its first month (northern seasons, as the catalog's climate months are).
_SEASON_START = {"spring": 3, "summer": 6, "autumn": 9, "fall": 9, "winter": 12}


def _season_said(m: re.Match[str], now: datetime.datetime, when: When) -> None:
    """ "next summer", "in the autumn": the season's first month (never tomorrow); the planner says it assumed."""
    if when.month is None:
        when.month = _SEASON_START[m.group(1).lower()]


def _next_year(now: datetime.datetime, when: When) -> None:
    """ "next year": January of next year is its first month (the planner says it assumed the day)."""
    if when.month is None and now.month != 1:
        when.month = 1


def _tomorrow(m: re.Match[str], now: datetime.datetime, when: When, said: str) -> datetime.date:
    when.day_part = when.day_part or _PART_OF.get((m.group(1) or "").lower())  # "tomorrow night"
    return now.date() + _DAY


def _today_part(m: re.Match[str], now: datetime.datetime, when: When, said: str) -> datetime.date:
    when.day_part = when.day_part or _PART_OF[m.group(1).lower()]  # "this evening"
    return now.date()


def _tonight(m: re.Match[str], now: datetime.datetime, when: When, said: str) -> datetime.date:
    when.day_part = when.day_part or "evening"
    return now.date()


def _past(when: When) -> None:
    when.past = True


_Resolver = Callable[[re.Match[str], datetime.datetime, When, str], datetime.date | None]
_RESOLVERS: dict[str, _Resolver] = {
    "range_dm": lambda m, now, when, said: _range(m, now, when, said, day_first=True),
    "range_md": lambda m, now, when, said: _range(m, now, when, said, day_first=False),
    "past": lambda m, now, when, said: _past(when),
    "habit": lambda m, now, when, said: None,
    "iso": lambda m, now, when, said: _iso(m, when, said),
    "numeric": _numeric,
    "day_month": lambda m, now, when, said: _named_day(m.group(1), said, now, when),
    "month_day": lambda m, now, when, said: _named_day(m.group(2), said, now, when),
    "holiday": lambda m, now, when, said: _next_yearly(
        *_HOLIDAYS[re.sub(r"\W+", " ", m.group(1).lower()).strip()], now.date()
    ),
    "after_tomorrow": lambda m, now, when, said: now.date() + 2 * _DAY,
    "tomorrow": _tomorrow,
    "tonight": _tonight,
    "today_part": _today_part,
    "today": lambda m, now, when, said: now.date(),
    "weekend": lambda m, now, when, said: _weekend(now.date(), "next" if m.group(1).lower() == "next" else "this"),
    "weekday": lambda m, now, when, said: _weekday(m, now, when),
    "relative": lambda m, now, when, said: _relative(m, now.date()),
    "after_next": lambda m, now, when, said: _after_next(m, now),
    "week_from_now": lambda m, now, when, said: now.date() + 7 * _DAY,
    "day_only": _day_only,
    "word_day_only": lambda m, now, when, said: _day_number(
        ordinal_value(m.group(1) or m.group(2)) or 0, now, when, said
    ),
    "word_day_month": lambda m, now, when, said: _worded_day(m, now, when, day_first=True),
    "word_month_day": lambda m, now, when, said: _worded_day(m, now, when, day_first=False),
    "week_on": lambda m, now, when, said: _week_on(m, now),
    "month_rel": lambda m, now, when, said: _month_said(m, now, when, relative=True),
    "month": lambda m, now, when, said: _month_said(m, now, when, relative=False),
    "season": lambda m, now, when, said: _season_said(m, now, when),
    "next_year": lambda m, now, when, said: _next_year(now, when),
}


def _resolve(kind: str, m: re.Match[str], now: datetime.datetime, when: When) -> datetime.date | None:
    """The day one date phrase names (None: a month, a past day, or a problem noted in ``when``)."""
    return _RESOLVERS[kind](m, now, when, m.group(0).strip())


# -- times -------------------------------------------------------------------------------------------------------
_NOT_COUNTED = (
    r"(?!\s*(?:people|persons?|ppl|guests|adults|pax|diners|of\s+us|nights?|days?|weeks?|euros?|eur\b|€|%|"
    r"(?:a|per|/)\s*(?:night|head|person)))"
)
_CLOCK_SAID = r"\d{1,2}(?:[:.]\d{2})?(?:\s*[ap]\.?m\.?(?![a-z]))?"
# Minutes said before the hour ("ten to nine", "twenty-five past seven"): the words a clock face is read in.
_MINUTE_WORDS = r"half|quarter|twenty[\s-]five|twenty|ten|five"
_PAST_TO = (
    rf"\s+(past|after|to)\s+{_HOUR}\b{_AMPM}"
    r"(?!\s*(?:minutes?|mins?|hours?|hrs?|people|persons?|ppl|guests|adults|pax|of\s+us|nights?|days?|weeks?|euros?))"
)
# Minutes said after the hour ("seven forty", "eight twenty", "nine oh five"): read by ``words_value``.
_UNIT_WORD = "one|two|three|four|five|six|seven|eight|nine"
_SPOKEN = (
    rf"(?:oh|o)[\s-](?:{_UNIT_WORD})|(?:twenty|thirty|forty|fifty)(?:[\s-](?:{_UNIT_WORD}))?|ten|eleven|twelve|"
    r"thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen"
)
# The 24-hour clock said in words ("nineteen thirty", "twenty hundred", "twenty-one hundred hours", "eighteen
# forty-five"): an hour past noon, then its minutes or "hundred" (on the hour); read only after "at" and the like.
_HOUR_24 = r"(thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty(?:[\s-](?:one|two|three))?)"
_SPOKEN_24 = rf"\b{_TIME_LEAD}\s+(?:about\s+|around\s+)?{_HOUR_24}[\s-](hundred|{_SPOKEN})(?:\s+hours|\s+hrs)?\b"
_TIME_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(p, _I), kind)
    for p, kind in (
        (r"\b(noon|midday|midnight)\b", "named"),
        # "at 8 or 9pm", "8pm or 9pm", "at 7/7.30": two times, one to be chosen (asked, never one of them in silence)
        (
            rf"\b(?:(?:at|around|about|by)\s+({_CLOCK_SAID})|(\d{{1,2}}(?:[:.]\d{{2}})?))\s*(?:or|/)\s*"
            rf"(?:maybe\s+|perhaps\s+|possibly\s+)?(?:at\s+)?(\d{{1,2}}(?:[:.]\d{{2}})?\s*[ap]\.?m\.?(?![a-z])|\d{{1,2}}[:.]\d{{2}}|"
            rf"(?<=at\s)\d{{1,2}}(?:[:.]\d{{2}})?|(?<=/)\d{{1,2}}(?:[:.]\d{{2}})?){_NOT_COUNTED}",
            "either",
        ),
        # "between 7 and 8pm", "from 7:30 to 8.30pm", "7-8pm": a window, booked at its start
        (
            rf"\b(?:between|from)\s+(\d{{1,2}}(?:[:.]\d{{2}})?)\s*(?:and|to|-|\u2013)\s*"
            rf"(\d{{1,2}}(?:[:.]\d{{2}})?)(\s*[ap]\.?m\.?(?![a-z]))?{_NOT_COUNTED}",
            "window",
        ),
        (r"\b(\d{1,2}(?:[:.]\d{2})?)\s*[-\u2013]\s*(\d{1,2}(?:[:.]\d{2})?)(\s*[ap]\.?m\.?)(?![a-z])", "window"),
        # "at 1930", "1930 hrs": the 24-hour clock without its colon (never a year: only after "at" or before "h")
        (
            r"\b(?:at|around|about|make\s+it|change\s+it\s+to|move\s+it\s+to)\s+([01]\d|2[0-3])([0-5]\d)\b"
            + _NOT_COUNTED,
            "military",
        ),
        (r"\b([01]\d|2[0-3])([0-5]\d)\s*(?:h|hrs|hours)\b", "military"),
        # "ten to nine", "twenty past seven", "a quarter past 8", "at 10 to 9", "25 minutes past 7"
        (rf"(?<!\bfrom\s)(?<!\bbetween\s)\b(?:a\s+)?({_MINUTE_WORDS})(?:\s+minutes?)?{_PAST_TO}", "past_to"),
        (rf"\b(?:{_TIME_LEAD}\s+(?:about\s+|around\s+)?)(\d{{1,2}})(?:\s+minutes?)?{_PAST_TO}", "past_to"),
        (rf"\b(\d{{1,2}})\s+minutes?{_PAST_TO}", "past_to"),
        (rf"\b(half)\s+{_HOUR}\b{_AMPM}", "half_past"),  # British "half seven" is 7:30
        (r"\b(\d{1,2}):(\d{2})" + _AMPM, "clock"),
        (rf"(?:\b{_TIME_LEAD}\s+)(\d{{1,2}})[.h](\d{{2}})\b{_AMPM}", "clock"),
        (r"\b(\d{1,2})[.h](\d{2})\s*(a\.?m\.?|p\.?m\.?)(?![a-z])", "clock"),
        (r"\b(\d{1,2})h(\d{2})\b", "clock"),
        (rf"(?:\b{_TIME_LEAD}\s+)(\d{{1,2}})h\b", "clock"),
        (r"\b(\d{1,2})\s*(a\.?m\.?|p\.?m\.?)(?![a-z])", "ampm"),
        (rf"\b{_HOUR}\s*o'?clock\b{_AMPM}", "bare"),
        (rf"(?<!\bfor\s)(?<!\bof\s)\b{_HOUR}\s*-?ish\b()", "bare"),  # "for 6ish" is a party
        (_SPOKEN_24 + _NOT_COUNTED, "spoken_24"),
        (rf"\b{_TIME_LEAD}\s+(?:about\s+|around\s+)?{_HOUR}[\s-]({_SPOKEN})\b{_AMPM}{_NOT_COUNTED}", "spoken"),
        (
            rf"\b{_TIME_LEAD}\s+(?:about\s+|around\s+)?{_HOUR}\b{_AMPM}"
            r"(?!\s*(?:people|persons|guests|nights?|days?|weeks?|of\s+us|adults|kids|children|euros?|eur|€|%|stars?|minutes|hours|km|miles|pm|am))",
            "bare",
        ),
    )
)


def _bad_time(said: str) -> str:
    return f'"{said}" is not a time of day; say a time like 19:30, 7.30pm or "half past seven".'


def _hour(text: str) -> int:
    return int(text) if text.isdigit() else NUMBER_WORDS[text.lower()]


def read_times(text: str, when: When, morning: bool, lunch: bool) -> None:
    """Fill ``when.time`` with the first clock time in the text; impossible times become problems.

    ``morning``/``lunch``: a cue that a bare hour ("at 8", "at 11") is before noon / around midday.
    """
    read: list[tuple[int, int, datetime.time]] = []
    for pattern, kind in _TIME_PATTERNS:
        for m in pattern.finditer(text):
            if when.covers(m.start(), m.end()):
                continue
            when.spans.append((m.start(), m.end()))
            value = _clock(kind, m, when, morning, lunch)
            if value is not None:
                read.append((m.start(1), m.end(), value))
    if read:
        when.time = _corrected_time(text, read, read[0], when, morning, lunch)
        chosen = next(r for r in read if r[2] == when.time) if when.time in {r[2] for r in read} else None
        if chosen is not None and _BEFORE.search(text, 0, chosen[0]) and not _ARRIVING.search(text, 0, chosen[0]):
            when.problems.append(_no_time_before(when.time))  # "before 8pm": which time is not said
            when.time = None


# "before 8pm", "earlier than 8": a limit, not a time ("not before 9pm", "no earlier than 9" are a time).
_BEFORE = re.compile(
    r"(?<!\bnot\s)(?<!\bno\s)\b(?:before|earlier\s+than|prior\s+to|ahead\s+of)\s+(?:about\s+|around\s+)?(?:at\s+)?\Z",
    _I,
)


# "arriving before 3pm", "check in before 2": when a guest comes, which no table is booked for
_ARRIVING = re.compile(
    r"\b(?:arriv\w*|check(?:ing)?[\s-]*(?:in|out)|land\w*|leav\w*|get(?:ting)?\s+(?:there|in))\s+"
    r"(?:before|earlier\s+than|prior\s+to|ahead\s+of)\s+(?:about\s+|around\s+)?(?:at\s+)?\Z",
    _I,
)


def _no_time_before(limit: datetime.time) -> str:
    return f'Before {limit:%H:%M} names no time; say the time you want, like "at {(limit.hour - 1) % 24:02d}:00".'


def _either(m: re.Match[str], when: When, morning: bool, lunch: bool) -> None:
    """ "at 8 or 9pm": one line asking which; a lone hour takes the other's am/pm ("8 or 9pm" is 20:00 or 21:00)."""
    first, second = (m.group(1) or m.group(2)).strip(), m.group(3).strip()
    meridiem = re.search(r"[ap]\.?m\.?$", second, _I)
    if meridiem and not re.search(r"[ap]\.?m\.?$", first, _I):
        first += meridiem.group(0)
    times = [parse_time_text(said, morning=morning, lunch=lunch)[0] for said in (first, second)]
    if None in times:
        return
    shown = " or ".join(f"{t:%H:%M}" for t in times if t is not None)
    when.problems.append(f'Which time do you mean, {shown}? Say one, like "at {second}".')


def _window(m: re.Match[str], when: When, morning: bool, lunch: bool) -> datetime.time | None:
    """ "between 7 and 8pm", "7-8pm": the window's start (19:00), the am/pm of its end when the start has none."""
    start = m.group(1) + (m.group(3) or "")
    return parse_time_text(start.strip(), morning=morning, lunch=lunch)[0]


# A bare hour right after a time's correction: "at 7pm, no, 9" is 21:00 (never a party of 9).
_BARE_CORRECTION = re.compile(
    rf"{CORRECTION}(?:at\s+)?(\d{{1,2}})(?:[:.h](\d{{2}}))?(?![\d:.,]\d)"
    r"(?!\s*(?:people|persons?|ppl|guests|adults|pax|diners|of\s+us|nights?|days?|weeks?|kids|children|euros?|€))",
    _I,
)


def _corrected_time(
    text: str,
    read: list[tuple[int, int, datetime.time]],
    chosen: tuple[int, int, datetime.time],
    when: When,
    morning: bool,
    lunch: bool,
) -> datetime.time:
    """The time meant: a time said right after another as its correction wins ("8pm, sorry 7pm", "at 7, no, 9")."""
    while True:
        end = chosen[1]
        later = next(
            (r for r in sorted(read) if r[0] >= end and (corrects(text, end, r[0]) or said_as_correction(text, r[0]))),
            None,
        )
        if later is not None:
            chosen = later
            continue
        bare = _BARE_CORRECTION.match(text, end)
        if bare is None or when.covers(bare.start(1), bare.end(1)):
            return chosen[2]
        said = bare.group(0)[bare.start(1) - bare.start() :].strip()
        hour, minute = int(bare.group(1)), int(bare.group(2) or 0)
        return _checked(hour, minute, "", said, when, morning, lunch, spoken=hour <= 12) or chosen[2]


# A clock phrase read: (hour, minute, "am"/"pm"/"", spoken: a bare hour 1-11 may mean the afternoon).
_Said = tuple[int, int, str, bool]


def _half_past(m: re.Match[str]) -> _Said:
    """British "half seven" (7:30)."""
    return _hour(m.group(2)), 30, m.groups()[-1] or "", True


_MINUTES_SAID = {"half": 30, "quarter": 15, "twenty five": 25, "twenty": 20, "ten": 10, "five": 5}


def _past_to(m: re.Match[str]) -> _Said | None:
    """ "ten to nine" (8:50), "twenty past seven" (7:20), "at 10 to 9"; "half to nine" and "75 past 7" are none."""
    said = re.sub(r"[\s-]+", " ", m.group(1).lower())
    minutes = int(said) if said.isdigit() else _MINUTES_SAID[said]
    hour, before = _hour(m.group(3)), m.group(2).lower() == "to"
    if not 1 <= minutes <= 59 or (before and said == "half") or hour > 12:
        return None
    if before:
        return (hour - 1) or 12, 60 - minutes, m.group(4) or "", True
    return hour, minutes, m.group(4) or "", True


def _on_the_clock(m: re.Match[str]) -> _Said:
    """ "19:30", "7.30pm", "20h30", "at 8h": a leading zero, an hour past 12 or "h" is the 24-hour clock."""
    minute = int(m.group(2) or 0) if m.re.groups >= 2 else 0
    meridiem = (m.group(3) or "") if m.re.groups >= 3 else ""
    hour_text = m.group(1)
    explicit = (len(hour_text) == 2 and hour_text.startswith("0")) or int(hour_text) >= 13 or int(hour_text) == 0
    explicit = explicit or ("h" in m.group(0).lower() and not meridiem)
    return int(hour_text), minute, meridiem, not explicit


def _spoken(m: re.Match[str]) -> _Said:
    """ "at seven thirty", "at 8 forty-five", "at seven forty", "at nine oh five"."""
    from concierge.request.numbers import words_value

    said = re.sub(r"^o(?:h)?[\s-]+", "", m.group(2).lower())  # "oh five": five minutes
    return _hour(m.group(1)), words_value(said) or 0, m.group(3) or "", True


def _spoken_24(m: re.Match[str]) -> _Said:
    """ "at nineteen thirty" (19:30), "at twenty hundred" (20:00), "at twenty-one hundred hours": the 24-hour clock."""
    from concierge.request.numbers import words_value

    minutes = m.group(2).lower()
    minute = 0 if minutes == "hundred" else words_value(re.sub(r"^o(?:h)?[\s-]+", "", minutes)) or 0
    return words_value(m.group(1)) or 0, minute, "", False


def _bare(m: re.Match[str]) -> _Said | None:
    """ "at 8", "8 o'clock", "8-ish"; "at 45" is no time we can read (nothing is guessed)."""
    hour = _hour(m.group(1))
    return None if hour > 24 else (hour, 0, m.group(2) or "", hour <= 12)


_CLOCKS: dict[str, Callable[[re.Match[str]], _Said | None]] = {
    "half_past": _half_past,
    "past_to": _past_to,
    "clock": _on_the_clock,
    "ampm": lambda m: (int(m.group(1)), 0, m.group(2), True),
    "military": lambda m: (int(m.group(1)), int(m.group(2)), "", False),  # "1930": the 24-hour clock
    "spoken": _spoken,
    "spoken_24": _spoken_24,
    "bare": _bare,
}


def _clock(kind: str, m: re.Match[str], when: When, morning: bool, lunch: bool) -> datetime.time | None:
    if kind == "named":
        return datetime.time(0, 0) if m.group(1).lower() == "midnight" else datetime.time(12, 0)
    if kind == "either":
        return _either(m, when, morning, lunch)
    if kind == "window":
        return _window(m, when, morning, lunch)
    said = _CLOCKS[kind](m)
    if said is None:
        return None
    hour, minute, meridiem, spoken = said
    return _checked(hour, minute, meridiem, m.group(0).strip(), when, morning, lunch, spoken=spoken)


def _checked(
    hour: int, minute: int, meridiem: str, said: str, when: When, morning: bool, lunch: bool, *, spoken: bool
) -> datetime.time | None:
    meridiem = meridiem.lower().replace(".", "")
    if (meridiem and not 1 <= hour <= 12) or not 0 <= hour <= 24 or not 0 <= minute <= 59 or (hour == 24 and minute):
        when.problems.append(_bad_time(said))
        return None
    hour %= 24
    if meridiem == "pm" and hour < 12:
        hour += 12
    elif meridiem == "am" and hour == 12:
        hour = 0
    elif not meridiem and spoken and 1 <= hour <= 11:
        hour = _guess_half_of_day(hour, when.day_part, morning, lunch)
    return datetime.time(hour, minute)


def _guess_half_of_day(hour: int, day_part: DayPart | None, morning: bool, lunch: bool) -> int:
    """A bare hour 1-11: morning only with a morning cue; lunch keeps 11; otherwise afternoon/evening."""
    if morning or day_part == "morning":
        return hour if hour >= 5 else hour + 12
    if lunch and hour == 11:
        return hour
    return hour + 12


def read_when(text: str, now: datetime.datetime, *, morning: bool = False, lunch: bool = False) -> When:
    """Dates, months, ranges and clock times named in ``text``."""
    when = When()
    read_dates(text, now, when)
    read_times(text, when, morning or when.day_part == "morning", lunch)
    return when


def parse_date_text(text: str, now: datetime.datetime) -> tuple[datetime.date | None, str | None]:
    """One date from a model's argument: ISO ("2026-12-24") or words ("tomorrow"); else a problem sentence."""
    text = text.strip()
    try:
        day: datetime.date | None = datetime.date.fromisoformat(text)
    except ValueError:
        when = When()
        read_dates(text, now, when)
        if when.date is not None or when.problems:
            return when.date, (when.problems[0] if when.problems else None)
        day = _dateparse(text, now)
    if day is None:
        return None, _bad_date(text)
    if problem := date_problem(day, now.date()):
        return None, problem
    return day, None


def parse_time_text(
    text: str, *, morning: bool = False, lunch: bool = False
) -> tuple[datetime.time | None, str | None]:
    """One time from a model's argument: "20:00", "8pm", "half past seven"; else a problem sentence."""
    text = text.strip()
    try:
        return datetime.time.fromisoformat(text), None
    except ValueError:
        pass
    when = When()
    read_times(f"at {text}", when, morning, lunch)
    if when.time is not None:
        return when.time, None
    return None, (when.problems[0] if when.problems else _bad_time(text))
