"""The offline reading of a follow-up: a message that changes, picks from, confirms or cancels the session's plan.

``read_follow_up`` reads one message into a typed ``FollowUp`` (``concierge.conversation.followup``) with the
request readers the first message went through (dateparser times and dates, party sizes, places, cuisines,
meals, needs), so "make it 8pm", "for four", "Saturday instead", "lunch rather than dinner", "the second one",
"the cheaper one", "the one in Confluence", "what about Seville?", "something Japanese", "it must be
step-free", "my friend is vegan", "yes, send it" and "cancel" all become fields, not prose.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass

from concierge.conversation.followup import FollowUp, FollowUpKind
from concierge.needs import detect_needs
from concierge.offline.joining import joined, left
from concierge.offline.kinds import KindReading
from concierge.offline.parse import kind_named, read_cuisine, read_meal, tells
from concierge.offline.party import read_people
from concierge.offline.shift import shifted_date, shifted_time
from concierge.request import CatalogPlaces, Meal, PlaceRef, TurnRequest
from concierge.request.spelling import corrected
from concierge.request.when import parse_time_text, read_when

_I = re.IGNORECASE
_REQUEST_INTENTS = frozenset({"dine", "stay", "trip"})

_CANCEL = re.compile(
    r"^\W*(?:(?:ok|okay|actually|no|hmm)[\s,]+)?(?:please\s+)?(?:cancel(?:\s+(?:it|that|this|everything|"
    r"the\s+(?:plan|booking|reservation|draft|request)))?|start\s+(?:over|again|afresh)|reset(?:\s+(?:it|the\s+plan))?|"
    r"scrap\s+(?:it|that|the\s+plan)|forget\s+(?:it|the\s+plan|about\s+it)|never\s*mind\s+the\s+(?:plan|booking)|"
    r"drop\s+(?:it|the\s+plan))(?:\s+please)?\W*$",
    _I,
)
_ACK = (
    r"(?:yes|yep|yeah|ok|okay|great|perfect|lovely|sounds\s+(?:good|great|perfect)|looks\s+(?:good|great)|"
    r"that'?s\s+(?:great|perfect|fine)|all\s+good|go\s+on(?:\s+then)?)"
)
# What is sent or booked: the plan itself ("it", "that one") or the message about it ("the booking request").
_THE_BOOKING = (
    r"(?:it|that|this|that\s+one|this\s+one|the\s+(?:booking\s+|reservation\s+)?(?:draft|e-?mail|message|request|"
    r"booking|reservation|table))"
)
_SETTLE_VERB = r"(?:send|book|confirm|reserve)"
_CONFIRM = re.compile(
    rf"^\W*(?:{_ACK}[\s,!.]*)*(?:please\s+)?(?:{_SETTLE_VERB}(?:\s+{_THE_BOOKING})?|go\s+ahead|do\s+it|"
    rf"let'?s\s+do\s+it)(?:\s+(?:now|off))?(?:\s+and\s+{_SETTLE_VERB}(?:\s+{_THE_BOOKING})?(?:\s+(?:now|off))?)?"
    r"(?:[\s,]+(?:please|thanks|thank\s+you))?\W*$",
    _I,
)
_YES = re.compile(r"^\W*(?:yes|yep|yeah)(?:[\s,]+please)?\W*$", _I)
_ORDINALS = {
    "first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4, "4th": 4,
    "fifth": 5, "5th": 5, "last": -1, "other": 0,
}  # fmt: skip
_PICK = re.compile(
    r"(?P<neg>\bnot\s+)?\b(?:the\s+)?(?P<ord>first|second|third|fourth|fifth|1st|2nd|3rd|4th|5th|last|other)"
    r"(?:\s+(?:one|option|choice|place|restaurant|venue|hotel|stay|suggestion))?(?!\s+of\b)(?=\W|$)"
    r"|(?P<neg2>\bnot\s+)?\b(?:option|number|no\.?|#)\s*(?P<num>[1-5])\b",
    _I,
)
_NEEDS_THE = re.compile(r"\bthe\s+(?:first|second|third|fourth|fifth|1st|2nd|3rd|4th|5th|last|other)\b", _I)
# "somewhere cheaper", "anything a bit fancier": a place other than the one shown, by its price.
_SOME = (
    r"\b(?:somewhere|something|anything|anywhere|someplace)\s+"
    r"(?:(?:a\s+)?(?:bit|little|lot)\s+|slightly\s+|much\s+)?"
)
_CHEAPER = re.compile(
    r"\b(?:cheaper|cheapest|less\s+expensive|least\s+expensive|more\s+affordable|budget)\s+(?:one|option|place|choice)\b|\bthe\s+cheap(?:er|est)\b"
    rf"|{_SOME}(?:cheaper|less\s+expensive|more\s+affordable)\b",
    _I,
)
_PRICIER = re.compile(
    r"\b(?:pricier|fancier|more\s+expensive|nicer|posher|upmarket)\s+(?:one|option|place|choice)\b|\bthe\s+(?:pricier|fanciest|fancier)\b"
    rf"|{_SOME}(?:pricier|fancier|posher|more\s+upmarket|more\s+upscale|more\s+expensive)\b",
    _I,
)
_AREA = re.compile(
    r"\bthe\s+one\s+(?:in|at|on|near|by)\s+(?:the\s+)?(?P<area>[^,.!?;]{2,40}?)\s*(?:[,.!?;]|$|\s+(?:instead|please|then)\b)",
    _I,
)
# Words that mark a message as a change to what is on the table, not a fresh request.
_CUE = re.compile(
    r"\b(?:make\s+it|instead|rather|change|switch|swap|move\s+it|actually|what\s+about|how\s+about|can\s+we|could\s+we|"
    r"let'?s\s+(?:do|make|go\s+for|try)|go\s+for|try|same\s+but|but\s+(?:for|at|on|in)|not\s+the|also|as\s+well|too|"
    r"prefer|push\s+it|bring\s+it|earlier|later)\b",
    _I,
)
# Cues that add to a message rather than edit a plan: without a plan they make nothing a follow-up.
_WEAK_CUE = re.compile(r"\b(?:also|as\s+well|too)\b", _I)
_QUESTIONS = frozenset({"memory_question", "needs_question", "place_question", "chit_chat"})
_NOT_MEAL = re.compile(
    r"\b(?:rather\s+than|instead\s+of|not|no|than)\s+(?:a\s+|the\s+)?(?:breakfast|brekkie|brunch|lunch|luncheon|lunchtime|dinner|supper)\b",
    _I,
)


def _blank(text: str, pattern: re.Pattern[str]) -> str:
    return pattern.sub(lambda m: " " * len(m.group(0)), text)


def _meal(text: str) -> Meal | None:
    """The meal asked for, leaving out the one it replaces ("lunch rather than dinner" -> lunch)."""
    return read_meal(_blank(text, _NOT_MEAL))


def _pick(text: str) -> tuple[int | None, bool]:
    """(position, "the other one") from ordinals that are not negated ("not the first one, the second" -> 2)."""
    for m in _PICK.finditer(text):
        if m.group("neg") or m.group("neg2"):
            continue
        if m.group("num"):
            return int(m.group("num")), False
        word = m.group("ord").lower()
        if not _NEEDS_THE.search(m.group(0)) and word in {"first", "last", "other"} and "one" not in m.group(0).lower():
            continue  # "first" alone ("first, make it 8pm") is not a pick
        value = _ORDINALS[word]
        return (None, True) if value == 0 else (value, False)
    return None, False


def read_follow_up(
    message: str,
    *,
    request: TurnRequest,
    now: dt.datetime,
    places: CatalogPlaces,
    has_plan: bool,
    plan: PlanNow | None = None,
) -> FollowUp | None:
    """The follow-up ``message`` makes, or None when it is a new request (or not about the plan at all).

    Without a plan in the session only unmistakable follow-ups count ("make it for four", "the second
    one", "send it"), so a first message is read as a request as always; the service then asks for one.
    ``plan`` is what the session's plan says now, which "add my sister" and "an hour later" are relative to.
    """
    if request.intent == "forget":  # "please forget that I'm vegan" removes a memory; it is not a new need
        return None
    text = corrected(" ".join(message.split())[:2000])  # "somewhere cheeper pls": the words the rules read
    if (decided := _decided(text, has_plan)) is not None:
        return decided
    example = _by_example(text) if has_plan else None
    if example is not None and example.is_("confirm", "cancel") and _settles_clearly(example):
        return FollowUp(kind=example.kind)  # type: ignore[arg-type]  # "nah, call the whole thing off"
    picked, fields = _fields(text, example, now, places, plan or PlanNow())
    picks = any(v not in (None, False) for v in picked.values())
    changes = any(fields[k] is not None for k in _CHANGES)
    said = _Said(picks, changes, bool(fields["needs"]), bool(fields["problems"]), fields["party_size"] is not None)
    if not _edits_the_plan(text, request, has_plan, said) or _adds_another_kind(text, plan):
        return None
    kind: FollowUpKind = "pick" if picks else ("change" if changes or fields["problems"] else "add_need")
    return FollowUp(kind=kind, **fields)  # type: ignore[arg-type]


# Sending or clearing the plan by example alone takes a clear lead when the runner-up is the other one: the two
# sound alike to the examples ("go ahead and send the booking request" is close to "never mind the booking"), and a
# wrong one loses the plan or marks a message ready that nobody asked for.
_SETTLING_MARGIN = 0.1
_SETTLING = frozenset({"confirm", "cancel"})


def _settles_clearly(example: KindReading) -> bool:
    """A confirm or cancel by example, unless its runner-up is the other and close behind."""
    return example.runner_up not in _SETTLING or example.margin >= _SETTLING_MARGIN


_CHANGES = ("party_size", "nights", "time", "date", "meal", "place", "cuisine")


def _decided(text: str, has_plan: bool) -> FollowUp | None:
    """A plain cancel or confirm: "never mind", "book it", "yes" (with a plan)."""
    if _CANCEL.match(text):
        return FollowUp(kind="cancel")
    if _CONFIRM.match(text) or (has_plan and _YES.match(text)):
        return FollowUp(kind="confirm")
    return None


def _fields(
    text: str, example: KindReading | None, now: dt.datetime, places: CatalogPlaces, plan: PlanNow
) -> tuple[dict[str, object], dict[str, object]]:
    """The option picked, and every field the message sets (picks, changes, needs), the example filling gaps."""
    picked, rest = _picks(text)
    fields = {**picked, **_changes(rest, now, places, plan)}
    if example is not None:
        fields |= _filled_by_example(example, fields, rest, plan)
        picked = {k: fields[k] for k in picked}
    fields["needs"] = tuple(dict.fromkeys(n.label for n in detect_needs(text) if n.active))
    return picked, fields


def _picks(text: str) -> tuple[dict[str, object], str]:
    """The option the message points at ("the second one", "the cheaper one", "the one in Confluence"), and the
    text left once those words are blanked (so "the second one" is not read as a date or a party)."""
    area = _AREA.search(text)
    rest = _blank(text, _AREA) if area else text
    pick, other = _pick(rest)
    rest = _blank(rest, _PICK)
    cheaper, pricier = bool(_CHEAPER.search(rest)), bool(_PRICIER.search(rest))
    rest = _blank(_blank(rest, _CHEAPER), _PRICIER)
    area_said = area.group("area").strip() if area else None
    return {"pick": pick, "pick_other": other, "cheaper": cheaper, "pricier": pricier, "area": area_said}, rest


@dataclass(frozen=True, slots=True)
class PlanNow:
    """The session plan's party, day and time: what "add my sister", "the day after", "an hour later" change."""

    party: int | None = None
    date: dt.date | None = None
    time: dt.time | None = None
    kind: str | None = None  # dine, stay or trip
    place: str | None = None  # the place as the plan's request said it ("not feeling Milan, Florence?" leaves it)

    @classmethod
    def of_session(cls, session: str | None) -> PlanNow:
        """From the session's compact state (its plan's fields, else its request's)."""
        state = json.loads(session) if session else {}
        request = state.get("request") or {}
        party, day, at = (state.get(k) or request.get(k) for k in ("party_size", "date", "time"))
        day, at = dt.date.fromisoformat(day) if day else None, dt.time.fromisoformat(at) if at else None
        place = request.get("place") or {}
        return cls(party, day, at, request.get("intent"), place.get("city") or place.get("said"))


def _changes(rest: str, now: dt.datetime, places: CatalogPlaces, plan: PlanNow) -> dict[str, object]:
    """New values for the plan: party, nights, time, date, meal, place, cuisine (and impossible ones as problems)."""
    lunch = bool(re.search(r"\b(?:lunch|lunchtime|brunch|midday)\b", rest, _I))
    when = read_when(rest, now, lunch=lunch, morning=bool(re.search(r"\b(?:breakfast|brunch|morning)\b", rest, _I)))
    people = read_people(rest, when)
    return {
        "party_size": left(rest, plan.party) or (people.party_size if people.explicit else joined(rest, plan.party)),
        "nights": people.nights,
        "time": when.time or shifted_time(rest, plan.time),
        "date": when.date or shifted_date(rest, plan.date),
        "meal": _meal(rest),
        "place": _new_place(rest, places, plan.place),
        "cuisine": read_cuisine(rest),
        "problems": tuple(dict.fromkeys([*when.problems, *people.problems])),
    }


def _new_place(text: str, places: CatalogPlaces, current: str | None) -> PlaceRef | None:
    """The place the message moves the plan to: the plan's own place named beside another is what is left ("not
    feeling Milan, what about Florence?"); named alone it changes nothing."""
    found = places.find_in(text)
    names = {found.said.casefold(), (found.city or "").casefold()} if found is not None else set()
    if found is None or current is None or current.casefold() not in names:
        return found
    return places.find_in(re.sub(rf"(?<!\w){re.escape(found.said)}(?!\w)", " ", text, flags=_I))


@dataclass(frozen=True, slots=True)
class _Said:
    """What a message would do to the plan, before deciding whether it is a follow-up at all."""

    picks: bool
    changes: bool
    needs: bool
    problems: bool
    party: bool  # who comes changes ("my sister can't come after all", "we're 6 now")


def _edits_the_plan(text: str, request: TurnRequest, has_plan: bool, said: _Said) -> bool:
    """Whether a message that picks, changes or states something edits the plan (else it is a request of its own)."""
    cue = bool(_CUE.search(text))
    new_kind = kind_named(_blank(text, _NOT_MEAL))
    # a meal alone, without a place or a day of its own, edits the plan's meal ("lunch would be better")
    own = request.place is not None or request.date is not None or not has_plan or new_kind != "dine"
    fresh = request.intent in _REQUEST_INTENTS and new_kind is not None and own and not cue and not said.picks
    if fresh or not (said.picks or said.changes or said.needs or said.problems):
        return False
    if said.picks:  # "the second option"; without a plan, a full request is a first one ("the second dinner ..."),
        # and news naming a place picks nothing ("I'll be in Berlin from the 3rd to the 7th")
        first = request.intent in _REQUEST_INTENTS or request.intent == "statement"
        return has_plan or not (first and request.place is not None)
    if has_plan:  # "by the way, I'm going to Tokyo next autumn" tells; "my friend is vegan" still edits
        return cue or said.needs or said.problems or said.party or request.intent != "statement" or not tells(text)
    return _edits_without_a_plan(text, request, said, new_kind is not None)


def _adds_another_kind(text: str, plan: PlanNow | None) -> bool:
    """ "also a table for two tomorrow evening" after a hotel: a request of another kind added beside the plan
    (only "also", "too", "as well" tie it to the plan), not an edit of it."""
    new_kind = kind_named(_blank(text, _NOT_MEAL))
    other = plan is not None and plan.kind is not None and new_kind is not None and new_kind != plan.kind
    return other and not _CUE.search(_blank(text, _WEAK_CUE))


def _edits_without_a_plan(text: str, request: TurnRequest, said: _Said, names_a_kind: bool) -> bool:
    """Only an unmistakable edit counts when the session has no plan (the service then asks for one)."""
    if request.intent in _QUESTIONS or not _CUE.search(_blank(text, _WEAK_CUE)):
        return False  # "Dinner in Paris tomorrow. I'm also allergic to sesame" opens a session: "also" edits nothing
    if request.intent in _REQUEST_INTENTS and (names_a_kind or request.place is not None):
        return False  # "Actually, dinner in Madrid tomorrow for four", "Barcelona instead, 4 days": a first request
    if request.intent == "statement" and _told_by_example(text):
        return False  # "Off to Berlin in March. I prefer window seats": a plan and a habit told, nothing to edit
    return said.changes or not said.needs  # a need alone, with no plan, is a statement ("I'm also vegan")


def _told_by_example(text: str) -> bool:
    """Every clause reads surely as a statement by example (``config/turn_kinds.yaml``)."""
    from concierge.offline.kinds import read_piece_kinds

    return all(reading.is_("statement") for reading in read_piece_kinds(text))


def _by_example(text: str) -> KindReading:
    from concierge.offline.kinds import read_kind

    return read_kind(text)


_NOT_HOURS = r"(?!\s*(?:people|persons|guests|adults|of\s+us|nights?|days?|weeks?|euros?|eur|%))"
_HOUR_SAID = re.compile(rf"\b(?:to|at|for|around|about|by)\s+(\d{{1,2}}(?:[:.]\d{{2}})?){_NOT_HOURS}\b", _I)
# A number alone, with nothing before it that makes it a count or a date ("make it 9", "9 instead?").
_BARE_NUMBER = re.compile(rf"(?<![\w:./-])(\d{{1,2}}(?:[:.][0-5]\d)?){_NOT_HOURS}(?![\w:./-])", _I)


def _filled_by_example(example: KindReading, fields: dict[str, object], rest: str, plan: PlanNow) -> dict[str, object]:
    """What the patterns missed and the examples are sure of: a pick ("Hmm, something cheaper?") when none was
    read, a time said as a bare number when the message changes the time ("can we push it to 9?", "make it 9")."""
    filled: dict[str, object] = {}
    if not any(fields[k] for k in ("pick", "pick_other", "cheaper", "pricier", "area")):
        filled |= _picked_by_example(example)
    if example.is_("change_time") and fields["time"] is None and fields["party_size"] is None:
        filled["time"] = _bare_hour(rest, plan.time, alone=fields["date"] is None)
    return filled


def _bare_hour(text: str, plan_time: dt.time | None, *, alone: bool) -> dt.time | None:
    """A clock time said as a bare number ("to 9", "at 7.30", "make it 9"), read only when the examples say a time
    is meant, in the half of the day of the plan's time (9 after a breakfast at 8 is 09:00, after a dinner 21:00).
    A number with nothing before it counts only ``alone``, with no date said ("9 December" is a day)."""
    said = _HOUR_SAID.search(text)
    numbers = _BARE_NUMBER.findall(text) if said is None and alone else []
    hour = said.group(1) if said else (numbers[0] if len(numbers) == 1 else None)
    if hour is None:
        return None
    morning = plan_time is not None and plan_time.hour < 11
    lunch = plan_time is not None and 11 <= plan_time.hour < 16
    return parse_time_text(hour, morning=morning, lunch=lunch)[0]


def _picked_by_example(reading: KindReading) -> dict[str, object]:
    """A pick the patterns missed, read by example ("Hmm, something cheaper?", "any fancier options?",
    "what else is there?"): only when the examples of ``config/turn_kinds.yaml`` are sure of it."""
    if not reading.sure:
        return {}
    return {
        "cheaper": {"cheaper": True},
        "pricier": {"pricier": True},
        "other_option": {"pick_other": True},
    }.get(reading.kind, {})


def cancels(message: str) -> bool:
    """The message cancels the session's plan ("cancel that", "scrap that", "start over"): a follow-up, never a
    taking back of the previous turn (``undo`` in ``config/turn_kinds.yaml``)."""
    return bool(_CANCEL.match(" ".join(message.split())))
