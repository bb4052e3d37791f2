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

from concierge.catalog.hours import meal_for_time
from concierge.conversation.followup import CHANGE_FIELDS, FollowUp, FollowUpKind
from concierge.needs import detect_needs
from concierge.needs.company import courteous_piece
from concierge.needs.company import pieces as company_pieces
from concierge.offline.correction import corrected_value
from concierge.offline.joining import joined, left, solo
from concierge.offline.kinds import KindReading, turn_kinds
from concierge.offline.parse import kind_named, read_budget_level, read_cuisine, read_meal, tells
from concierge.offline.party import read_people
from concierge.offline.shift import read_party_delta, read_time_delta, shifted_date, shifted_party, shifted_time
from concierge.offline.telling import tells_a_taste
from concierge.request import CatalogPlaces, Meal, PlaceRef, TurnRequest
from concierge.request.budget import read_budget
from concierge.request.clauses import pieces
from concierge.request.forget import drops_the_plan
from concierge.request.spelling import corrected
from concierge.request.when import When, parse_time_text, read_when

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
    r"(?:\s+(?:one|option|choice|place|restaurant|venue|hotel|stay|suggestion))?(?!\s+(?:of|thoughts?)\b)(?=\W|$)"
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
# "a different restaurant", "another hotel", "somewhere else": the next of the options shown.
_ANOTHER = re.compile(
    r"\b(?:different|another|other|new)\s+(?:restaurant|place|venue|spot|hotel|stay|option|suggestion|choice|recommendation)s?\b"
    r"|\b(?:somewhere|someplace|anywhere|something)\s+else\b|\belsewhere\b",
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
    r"prefer|push\s+it|bring\s+it|earlier|later|i\s+meant?|meant\s+to\s+say|correction)\b",
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
    text = corrected(" ".join(message.split())[:2000])  # "somewhere cheeper pls": the words the rules read
    if _forgets_a_memory(text, request, has_plan):
        return None
    if (outright := _said_outright(message, text, has_plan)) is not None:
        return outright
    example = _by_example(text)
    plan = plan or PlanNow()
    picked, fields = _fields(text, example if has_plan else None, now, places, plan)
    said = _said(picked, fields)
    if has_plan and _settled_by_example(example, said, text):
        unsure = example.kind == "confirm" and not consents(text)  # "ship it, lol no": asked, never sent
        return FollowUp(kind=example.kind, unsure=unsure)  # type: ignore[arg-type]  # "nah, call the whole thing off"
    silent = not (said.picks or said.changes or said.needs or said.problems)  # no value said: about the plan?
    if silent and (about := _about_the_plan(text, example, request, plan if has_plan else None)) is not None:
        return about
    if not _edits_the_plan(text, request, has_plan, said) or _adds_another_kind(text, plan):
        return None
    kind: FollowUpKind = "pick" if said.picks else ("change" if said.changes or said.problems else "add_need")
    return FollowUp(kind=kind, **fields)  # type: ignore[arg-type]


def _forgets_a_memory(text: str, request: TurnRequest, has_plan: bool) -> bool:
    """ "please forget that I'm vegan" removes a memory; "remove a seat" edits the plan's party and "forget the
    booking, plans fell through" drops the plan, however their verbs also read."""
    if request.intent != "forget":
        return False
    return not (has_plan and (_drops_then_says_why(text) or _relative_edit(text)))


def _settled_by_example(example: KindReading, said: _Said, text: str) -> bool:
    """A confirm or cancel the examples read clearly, in a message that sets no value ("drop one seat" edits the
    party: never a cancel) and, for a cancel, tells no taste ("I love cooking at home" keeps the plan)."""
    clear = example.is_("confirm", "cancel") and _settles_clearly(example)
    return clear and not (said.changes or said.problems) and not (example.kind == "cancel" and tells_a_taste(text))


def _said(picked: dict[str, object], fields: dict[str, object]) -> _Said:
    """What kinds of value the message set: a pick, a change, a need, a problem, a party, a budget."""
    picks = any(v not in (None, False) for v in picked.values())
    changes = any(fields[k] is not None for k in CHANGE_FIELDS)
    party, budget = fields["party_size"] is not None, fields["budget_level"] or fields["budget_per_night_eur"]
    return _Said(picks, changes, bool(fields["needs"]), bool(fields["problems"]), party, bool(budget))


def _about_the_plan(text: str, example: KindReading, request: TurnRequest, plan: PlanNow | None) -> FollowUp | None:
    """A message that sets no value but is about the plan: a question about it ("what's the plan?": answered from
    the plan, never a cancel), an unsure send or clear while a draft waits ("make the booking official": asked), or
    a change whose value no reader can read ("make it the twelfth": asked, never "Noted.")."""
    if asks_about_plan(text, example, request):
        return FollowUp(kind="question")
    if plan is None:
        return None
    if plan.draft_waiting and _unsure_settling(example):
        return FollowUp(kind=example.kind, unsure=True)  # type: ignore[arg-type]
    unread = _unread_change(example)
    return FollowUp(kind="change", problems=(unread,)) if unread else None


# Sending or clearing the plan by example alone takes a clear lead when the runner-up is the other one: the two
# sound alike to the examples ("go ahead and send the booking request" is close to "never mind the booking"), and a
# wrong one loses the plan or marks a message ready that nobody asked for.
_SETTLING_MARGIN = 0.1
_SETTLING = frozenset({"confirm", "cancel"})


def _settles_clearly(example: KindReading) -> bool:
    """A confirm or cancel by example, unless the other is close behind (whatever kind reads between them)."""
    other = next(iter(_SETTLING - {example.kind}))
    behind = example.scores.get(other, example.score - example.margin if example.runner_up == other else 0.0)
    return example.score - behind >= _SETTLING_MARGIN


def _unsure_settling(example: KindReading) -> bool:
    """Sending or clearing is what the examples read, but not clearly ("submit the booking" reads between the two):
    asked back rather than guessed, or ignored as "Noted."."""
    if example.kind not in _SETTLING or example.score < turn_kinds().spec.min_score:
        return False
    return not example.sure or not _settles_clearly(example)


# What to ask for when the examples surely read a change but no reader found its new value.
_SAY_IT = {
    "change_date": 'the new day; say it like "Saturday" or "12 December"',
    "change_time": 'the new time; say it like "8pm" or "19:30"',
    "change_party": 'how many people; say it like "for 4"',
    "change_place": 'the new place; say the city, like "Lyon"',
    "change_meal": 'the meal; say "breakfast", "lunch" or "dinner"',
    "change_cuisine": 'the kind of food; say it like "Japanese"',
}


def _unread_change(example: KindReading) -> str | None:
    """The question back when a message changes a field of the plan by example (surely, or between two kinds of
    change) but says no value a reader can read."""
    kinds = [example.kind] if example.sure else [example.kind, example.runner_up]
    if example.score < turn_kinds().spec.min_score or not all(kind in _SAY_IT for kind in kinds):
        return None
    return f"I could not read {' or '.join(_SAY_IT[kind] for kind in kinds)}."


def asks_about_plan(text: str, example: KindReading, request: TurnRequest) -> bool:
    """A question about the session's plan ("what's the plan?", "what time is it booked for?", "status?") by
    example, naming no place and no need of its own: answered from the plan, which it never changes."""
    if request.intent == "forget" or request.place is not None or not example.is_("plan_question"):
        return False
    return not any(n.active for n in detect_needs(text))


# Sending said with a "not", asked about ("is it sent?", "did you book it?", "should I send it?") or put off ("send it
# later", "book it? hmm, let me think"): never a confirm (attack11 M2).
_SENDING = re.compile(
    rf"\b(?:{_SETTLE_VERB}(?:ing|ed)?|sent|booking|reservation|go\s+ahead|e-?mail(?:ed|ing)?|mailed|contacted)\b", _I
)
_HELD_BACK = re.compile(
    r"\b(?:not|never|don'?t|do\s+not|doesn'?t|hold\s+off|hang\s+on|wait|yet|stop)\b|n't\b"
    r"|^\W*(?:is|was|has|have|did|are|were|should\s+(?:i|we)|shall\s+(?:i|we)|do\s+(?:i|we)\s+need\s+to)\b",
    _I,
)
# Putting it off: only of the plan's own booking, never in a request of its own ("book a table for later tonight").
_PUT_OFF = re.compile(
    r"\b(?:later|hmm+|let\s+me\s+think|think\s+(?:about\s+it|it\s+over)|unsure|dunno|maybe|perhaps)\b", _I
)
# "forget the booking, plans fell through", "drop the booking, something came up": a cancel, then why.
_CLAUSE = re.compile(r"\s*(?:[,;:.!?\u2013\u2014]|\s-\s|\bbecause\b|\bsince\b|\bas\b)\s*", _I)
_NOT_A_REASON = re.compile(r"\b(?:wait|keep|actually|but|instead|make\s+it|send|book|change|move|switch)\b", _I)


def _drops_then_says_why(text: str) -> bool:
    """The first clause drops the plan and the rest only says why (nothing kept, sent or changed)."""
    first, *why = [c for c in _CLAUSE.split(text) if c and c.strip()] or [""]
    dropped = drops_the_plan(first) or bool(_CANCEL.match(first))
    return dropped and bool(why) and not any(_NOT_A_REASON.search(c) for c in why)


def _relative_edit(text: str) -> bool:
    """ "remove a seat", "drop one": a value of the plan moved, however the verb also reads (as a forget)."""
    return read_party_delta(text) is not None or read_time_delta(text) is not None


def _holds_back(text: str) -> bool:
    """The message speaks of sending or booking but holds it back or asks whether it happened."""
    put_off = bool(_PUT_OFF.search(text)) and kind_named(text) is None
    return bool(_SENDING.search(text) and (_HELD_BACK.search(text) or put_off))


def _said_outright(message: str, text: str, has_plan: bool) -> FollowUp | None:
    """A cancel, a confirm or a hold said in so many words, before any example is read."""
    if drops_the_plan(message) or (has_plan and _drops_then_says_why(text)):
        return FollowUp(kind="cancel")  # "forget the booking(, plans fell through)": the plan, as said
    decided = _decided(text, has_plan)
    if has_plan and _holds_back(text) and (decided is None or decided.kind != "cancel"):
        return FollowUp(kind="question")  # "please do not book it", "is it sent?": the plan as it is, never a send
    return decided


def _decided(text: str, has_plan: bool) -> FollowUp | None:
    """A plain cancel or confirm: "never mind", "book it", "yes" (with a plan); or one said in a clause of its own
    that no other clause contradicts ("nah forget the booking, cancel it"). A confirm beside anything but consent
    is asked back ("send it? no.", "book it - just kidding", "send it if my wife agrees")."""
    said = {kind for piece in [text, *pieces(text)] if (kind := _plainly(piece, has_plan))}
    if len(said) != 1:
        return None
    kind = said.pop()
    return FollowUp(kind=kind, unsure=kind == "confirm" and not consents(text))


# Consent is plain: every piece of the message sends, says yes or is courtesy ("yes, send it please, thanks!",
# "great, book it 👍"); a question, a joke, a "no" or a condition beside a send makes it a question to ask back.
_THANKS = r"please|thanks|thank\s+you|cheers|ta|fine|sure|alright|all\s+right|cool|brilliant|awesome|excellent"
_ASSENT = re.compile(rf"^\W*(?:{_ACK}|{_THANKS})(?:[\s,]+(?:{_ACK}|{_THANKS}))*[\s,.!]*$", _I)
_GLAD = re.compile(r"[\U0001F44D\U0001F44C\u2705\U0001F64F\U0001F60A\U0001F642\u263A\uFE0F]")


_POLITE_ASK = re.compile(r"^\W*(?:can|could|would|will)\s+(?:you|u)\s+(?:please\s+)?(?P<asked>[^?]+)\?+\W*$", _I)


def consents(text: str) -> bool:
    """Every piece of ``text`` consents to sending: a plain send or yes, an acknowledgement, or courtesy. A request
    put as a question ("can you book it?") consents; any other question ("send it? no.", "should I send it?")
    does not."""
    if (polite := _POLITE_ASK.match(text)) is not None:
        text = polite.group("asked")
    if "?" in text:
        return False
    said = [_GLAD.sub("", piece).strip() for piece in company_pieces(text)]
    plain = (_CONFIRM, _YES, _ASSENT)
    return all(not piece or any(p.match(piece) for p in plain) or courteous_piece(piece) for piece in said)


def _plainly(text: str, has_plan: bool) -> FollowUpKind | None:
    if _CANCEL.match(text):
        return "cancel"
    if _CONFIRM.match(text) or (has_plan and _YES.match(text)):
        return "confirm"
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
    if fields["cheaper"] or fields["pricier"]:
        fields["budget_level"] = None  # "less pricey": a pick by price, not the price level the word names
    fields["problems"] = (*fields["problems"], *_alternatives(rest, now, places, plan))  # type: ignore[misc]
    fields["needs"] = tuple(dict.fromkeys(n.label for n in detect_needs(text) if n.active))
    return picked, fields


# "8 or 9pm", "Friday or Saturday", "for 3 or 4": two values offered for one field are asked back, never guessed.
_OR = re.compile(r"(?P<a>[\w:.]+)\s+or\s+(?P<b>[\w:.]+)", _I)


def _alternatives(rest: str, now: dt.datetime, places: CatalogPlaces, plan: PlanNow) -> list[str]:
    """The question to ask when the message offers two values for one field: each side is read as said alone
    ("make it 8pm", "make it 9pm") by the same readers, and a field they read differently is asked about."""
    said = _OR.search(rest)
    if said is None:
        return []
    a, b = said.group("a"), said.group("b")
    unit = re.match(r"\d+(?::\d+)?(\D*)$", b)  # "8 or 9pm": the first number takes the second's "pm"
    first = f"{a}{unit.group(1)}" if unit and a.isdigit() else a
    one = _changes(f"{rest[: said.start()]}{first}{rest[said.end() :]}", now, places, plan)
    other = _changes(f"{rest[: said.start()]}{b}{rest[said.end() :]}", now, places, plan)
    differ = [k for k in CHANGE_FIELDS if one[k] != other[k] and one[k] is not None and other[k] is not None]
    if not differ:
        return []
    return [f"Which do you mean: {_shown(one[differ[0]])} or {_shown(other[differ[0]])}? Say the one you want."]


def _shown(value: object) -> str:
    if isinstance(value, dt.time):
        return f"{value:%H:%M}"
    if isinstance(value, dt.date):
        return f"{value:%A %d %B}"
    return str(value)


def _picks(text: str) -> tuple[dict[str, object], str]:
    """The option the message points at ("the second one", "the cheaper one", "the one in Confluence"), and the
    text left once those words are blanked (so "the second one" is not read as a date or a party)."""
    area = _AREA.search(text)
    rest = _blank(text, _AREA) if area else text
    pick, other = _pick(rest)
    other = other or (pick is None and bool(_ANOTHER.search(rest)))  # "any other restaurant?": the next one
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
    meal: str | None = None  # a dinner's meal: which hours a bare number can mean ("make it 9" -> 21:00)
    draft_waiting: bool = False  # a booking draft waits for the user's OK: an unsure "submit it" is asked about
    month: int | None = None  # a trip or stay asked for by month ("in June"): "move it to July" moves it

    @classmethod
    def of_session(cls, session: str | None) -> PlanNow:
        """From the session's compact state (its plan's fields, else its request's)."""
        state = json.loads(session) if session else {}
        request = state.get("request") or {}
        party, day, at = (state.get(k) or request.get(k) for k in ("party_size", "date", "time"))
        day, at = dt.date.fromisoformat(day) if day else None, dt.time.fromisoformat(at) if at else None
        place = request.get("place") or {}
        where = place.get("city") or place.get("said")
        waiting = state.get("draft_status") == "draft"
        return cls(party, day, at, request.get("intent"), where, request.get("meal"), waiting, request.get("month"))


def _changes(rest: str, now: dt.datetime, places: CatalogPlaces, plan: PlanNow) -> dict[str, object]:
    """New values for the plan: party, nights, time, date, meal, place, cuisine (and impossible ones as problems)."""
    said, (rest, fixed) = rest, corrected_value(rest, plan)  # "not Monday, Tuesday": the value that replaces the plan's
    lunch = bool(re.search(r"\b(?:lunch|lunchtime|brunch|midday)\b", rest, _I))
    moved_party = shifted_party(rest, plan.party)  # "one fewer": read before "by one" is taken for 1pm
    read = _blank(rest, _BY_PEOPLE) if moved_party is not None else rest
    when = read_when(read, now, lunch=lunch, morning=bool(re.search(r"\b(?:breakfast|brunch|morning)\b", rest, _I)))
    people = read_people(read, when)
    counted = people.party_size if people.explicit or solo(rest, people.party_size) else None
    month = when.month if _by_month(when, plan) else None  # "move it to July" (a trip asked for in June)
    budget, budget_asked = _budget(rest, plan)
    moved_time, moved_date = shifted_time(rest, plan.time), shifted_date(rest, plan.date)  # relative to the plan
    past = [_PAST] if moved_date is not None and moved_date < now.date() else []
    moved_date = None if past else moved_date
    party = moved_party if moved_party is not None else left(rest, plan.party) or counted or joined(rest, plan.party)
    return {
        "party_size": party if party is None or party >= 1 else None,
        "nights": None if moved_time or moved_date or past else people.nights,  # "a week later" is no 7-night stay
        "time": moved_time or when.time,
        "date": moved_date or when.date,
        "month": month,
        "meal": _meal(rest),
        "place": _new_place(said, places, plan.place),  # "Siena rather than Florence": its cue is part of the change
        "cuisine": read_cuisine(rest),
        **budget,
        **fixed,
        "problems": tuple(
            dict.fromkeys(
                [
                    *when.problems,
                    *people.problems,
                    *_day_asked(when, plan),
                    *budget_asked,
                    *_party_asked(party, plan),
                    *past,
                ]
            )
        ),
    }


_PAST = 'That day is in the past; say a day from today on, like "tomorrow" or "Friday".'
_BY_PEOPLE = re.compile(r"\b(?:by|minus|plus)\s+\w+", _I)  # "reduce it by one": no time "by 1"


def _party_asked(party: int | None, plan: PlanNow) -> list[str]:
    """ "two fewer" of a party of two: nobody would be left; asked, never a party of none."""
    if party is None or party >= 1:
        return []
    return [f"That would leave nobody of the {plan.party} people booked; how many people should it be for?"]


def _by_month(when: When, plan: PlanNow) -> bool:
    """A month said with no day, for a plan asked for by month (or with no day at all)."""
    return when.month is not None and when.date is None and (plan.month is not None or plan.date is None)


def _day_asked(when: When, plan: PlanNow) -> list[str]:
    """ "move it to July" for a dinner on a day: which day of that month is asked, never guessed."""
    if when.month is None or when.date is not None or _by_month(when, plan):
        return []
    month = dt.date(2000, when.month, 1).strftime("%B")
    return [f'Which day in {month}? Say a date, like "12 {month}".']


def _budget(text: str, plan: PlanNow) -> tuple[dict[str, object], list[str]]:
    """A new budget, and what to ask about it: a stay's most a night (read by the request's budget reader, "under
    150 euros"), a dinner's price level ("somewhere cheap"); a sum for a dinner is asked back (dinners are planned
    by price level, not by euros a head)."""
    stay = plan.kind in ("stay", "trip")
    said = read_budget(f"stay: {text}" if stay else text)  # said of the plan's stay, as a request names one
    level = None if stay else read_budget_level(text)
    asked = [said.problem] if said.problem else []
    if not stay and level is None and not asked and _MONEY_SAID.search(text):
        asked = [_BY_LEVEL]
    return {"budget_per_night_eur": said.per_night_eur if stay else None, "budget_level": level}, asked


_MONEY_SAID = re.compile(r"[€$£]\s*\d|\d\s*(?:€|eur\b|euros?\b)|\beuros?\b", _I)
_BY_LEVEL = (
    'I plan dinners by price level, not by a sum a head: say "cheap", "mid-range" or "fancy" '
    '(or "something cheaper") and I will find one.'
)


def _new_place(text: str, places: CatalogPlaces, current: str | None) -> PlaceRef | None:
    """The place the message moves the plan to: the plan's own place named beside another is what is left ("not
    feeling Milan, what about Florence?"); named alone it changes nothing."""
    found = places.find_in(text, follow_up=True)  # "let's do Cannes instead": a place by the words of a change
    names = {found.said.casefold(), (found.city or "").casefold()} if found is not None else set()
    if found is None or current is None or current.casefold() not in names:
        return found
    return places.find_in(re.sub(rf"(?<!\w){re.escape(found.said)}(?!\w)", " ", text, flags=_I), follow_up=True)


@dataclass(frozen=True, slots=True)
class _Said:
    """What a message would do to the plan, before deciding whether it is a follow-up at all."""

    picks: bool
    changes: bool
    needs: bool
    problems: bool
    party: bool  # who comes changes ("my sister can't come after all", "we're 6 now")
    budget: bool = False  # what it may cost changes ("max €100 a night": no stay of its own, the plan's)


def _edits_the_plan(text: str, request: TurnRequest, has_plan: bool, said: _Said) -> bool:
    """Whether a message that picks, changes or states something edits the plan (else it is a request of its own)."""
    cue = bool(_CUE.search(text))
    new_kind = kind_named(_blank(text, _NOT_MEAL))
    if _fresh_request(request, has_plan, said, new_kind, cue) or not (
        said.picks or said.changes or said.needs or said.problems
    ):
        return False
    if said.picks:  # "the second option"; without a plan, a full request is a first one ("the second dinner ..."),
        # and news naming a place picks nothing ("I'll be in Berlin from the 3rd to the 7th")
        first = request.intent in _REQUEST_INTENTS or request.intent == "statement"
        return has_plan or not (first and request.place is not None)
    if has_plan:  # "by the way, I'm going to Tokyo next autumn" tells; "my friend is vegan" still edits
        return cue or said.needs or said.problems or said.party or request.intent != "statement" or not tells(text)
    return _edits_without_a_plan(text, request, said, new_kind is not None)


def _fresh_request(request: TurnRequest, has_plan: bool, said: _Said, new_kind: str | None, cue: bool) -> bool:
    """A request of its own: it names a kind with a place or a day of its own, no cue of an edit and no pick. A meal
    alone edits the plan's meal ("lunch would be better"), a budget alone its budget."""
    own = request.place is not None or request.date is not None or not has_plan or new_kind != "dine"
    own = own and not (said.budget and request.place is None and request.date is None)
    return request.intent in _REQUEST_INTENTS and new_kind is not None and own and not cue and not said.picks


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
_HOUR_SAID = re.compile(
    rf"\b(?:to|at|for|around|about|by)\s+(\d{{1,2}}(?:[:.]\d{{2}})?){_NOT_HOURS}\b(?![-/.]\d)", _I
)  # "to 12-12" is a day
# A number alone, with nothing before it that makes it a count or a date ("make it 9", "9 instead?").
_BARE_NUMBER = re.compile(rf"(?<![\w:./-])(\d{{1,2}}(?:[:.][0-5]\d)?){_NOT_HOURS}(?![\w:./-])", _I)


def _filled_by_example(example: KindReading, fields: dict[str, object], rest: str, plan: PlanNow) -> dict[str, object]:
    """What the patterns missed and the examples are sure of: a pick ("Hmm, something cheaper?") when none was
    read, a time said as a bare number when the message changes the time ("can we push it to 9?", "make it 9")."""
    filled: dict[str, object] = {}
    if not any(fields[k] for k in ("pick", "pick_other", "cheaper", "pricier", "area")):
        filled |= _picked_by_example(example)
    number_said = example.kind in ("change_time", "change_party") or _CUE.search(rest) or _THEN.search(rest)
    if number_said and fields["time"] is None and fields["party_size"] is None and fields["date"] is None:
        filled |= _bare_number(rest, plan, example)  # "move it to 9 December": the 9 is the day's
        filled["problems"] = (*fields["problems"], *filled.get("problems", ()))  # type: ignore[misc]
    return filled


# "hmm, 3 then", "ok 4 then": a number settled on, the plan's time or party as for "make it 3".
_THEN = re.compile(r"^\W*(?:(?:hmm+|ok(?:ay)?|fine|right|so|well|alright|oh)\W+)*\d{1,2}(?:[:.]\d{2})?\s+then\W*$", _I)
_MOST_SAID_BARE = 12  # a bare number above this is no party said in passing ("make it 15" is asked as a time)


def _bare_number(text: str, plan: PlanNow, example: KindReading) -> dict[str, object]:
    """A number said alone ("make it 4", "change it to 9", "to 7.30"): the time when it is a sensible hour for the
    plan's meal (9 after a dinner at 20:00 is 21:00), else the party ("make it 4": 16:00 is no dinner hour); when
    both fit, what the examples surely read, else the question which. Read only when no date is said ("9 December"
    is a day)."""
    said = _HOUR_SAID.search(text)
    numbers = _BARE_NUMBER.findall(text) if said is None else []
    raw = said.group(1) if said else (numbers[0] if len(numbers) == 1 else None)
    if raw is None:
        return {}
    hour = _hour_in_plan(raw, plan)
    count = int(raw) if raw.isdigit() else None
    as_time = hour is not None and _fits_meal(hour, plan) and plan.kind in (None, "dine")  # a stay has no hour
    as_party = count is not None and 1 <= count <= _MOST_SAID_BARE
    settled = bool(_THEN.search(text))  # "hmm, 3 then": the party, for a stay too
    as_party = as_party and (plan.kind == "dine" or example.is_("change_party") or settled)  # a stay's may be nights
    if as_time and as_party and not example.is_("change_time", "change_party"):
        return {"problems": (f'Do you mean {count} people or {hour:%H:%M}? Say "for {count}" or "at {hour:%H:%M}".',)}
    if as_time and not (as_party and example.is_("change_party")):
        return {"time": hour}
    return {"party_size": count} if as_party else {}


def _hour_in_plan(said: str, plan: PlanNow) -> dt.time | None:
    """The clock time a bare number means in the half of the day of the plan's time (9 after a breakfast at 8 is
    09:00, 10 after a dinner 22:00)."""
    morning = plan.time is not None and plan.time.hour < 11
    lunch = plan.time is not None and 11 <= plan.time.hour < 16
    evening = (plan.time is not None and plan.time.hour >= 16) or plan.meal == "dinner"
    return parse_time_text(f"{said}pm" if evening else said, morning=morning, lunch=lunch)[0]


def _fits_meal(hour: dt.time, plan: PlanNow) -> bool:
    """The hour is one for the plan's meal (or for some meal, when the plan names none)."""
    meal = meal_for_time(hour)
    wanted = plan.meal or (meal_for_time(plan.time) if plan.time else None)
    return meal is not None and (wanted is None or meal == wanted or {meal, wanted} <= {"breakfast", "brunch"})


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
    return bool(_CANCEL.match(" ".join(message.split()))) or drops_the_plan(message)
