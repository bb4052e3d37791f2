"""Follow-ups: a message that changes, picks from, confirms or cancels the session's current plan.

A ``TurnReader`` reads one message into a typed ``FollowUp`` ("make it 8pm", "the second one", "the cheaper
one", "what about Seville?", "send it", "cancel": fields, not prose); the offline reader's rules are in
``concierge/offline/follow_up.py``, a real model fills the same type.
``resolve`` lays it over the session's state: the merged request goes through the same crew and
tools as a first request (needs stay enforced in code), a pick is pinned by venue id, and a reference
that cannot be resolved ("the third one" of two) becomes a question, never a guess.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from concierge.catalog.hours import meal_for_time
from concierge.conversation.state import SessionState
from concierge.crew.outputs import Option
from concierge.request import Meal, PlaceRef, TurnRequest

# "question": asks about the plan ("what's the plan?", "what time is it booked for?"), answered from it, never
# changing it; "undo": took the previous turn back ("scratch that" after an edit).
FollowUpKind = Literal["change", "pick", "add_need", "confirm", "cancel", "question", "undo"]


class DaySaid(BaseModel):
    """One day of the session's trip as a message names it, and what to change about one of its meals.

    Read from the words alone ("day 9", "Friday's dinner", "the last day"); the trip handler checks it against the
    itinerary (a day the trip does not have, a meal left unsaid when the day has several: a question back)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    words: str = Field(max_length=40, description='the words naming the day: "day 2", "Friday", "last day"')
    number: int | None = Field(default=None, description="1-based day of the trip; -1 = the last day")
    weekday: int | None = Field(default=None, ge=0, le=6, description="0 = Monday, when a weekday names the day")
    meal: Meal | None = None
    remove: bool = False  # "no lunch on day 3"
    swap: bool = False  # another venue asked for ("swap", "somewhere else")
    cheaper: bool = False
    cuisine: str | None = Field(default=None, max_length=60)
    time: dt.time | None = None
    party_size: int | None = None


class FollowUp(BaseModel):
    """What a follow-up message asks of the current plan, as typed fields (each None = unchanged)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    kind: FollowUpKind  # the main thing it does (a change and a pick together is a "pick")
    party_size: int | None = None
    nights: int | None = None
    time: dt.time | None = None
    date: dt.date | None = None
    month: int | None = Field(default=None, ge=1, le=12, description="a trip or stay moved to a month, no day said")
    meal: Meal | None = None
    place: PlaceRef | None = None
    cuisine: str | None = Field(default=None, max_length=60)
    budget_level: int | None = Field(default=None, ge=1, le=4, description='a dinner\'s price level ("cheap" = 1)')
    budget_per_night_eur: int | None = Field(default=None, ge=1, description="the most a night of a stay may cost")
    unsure: bool = False  # a confirm or cancel read without confidence: asked back, nothing sent or cleared
    pick: int | None = Field(default=None, description="1-based position among the options shown; -1 = the last")
    pick_other: bool = False  # "the other one"
    cheaper: bool = False
    pricier: bool = False
    area: str | None = Field(default=None, max_length=40, description='"the one in Confluence"')
    needs: tuple[str, ...] = ()  # labels of needs the message states
    problems: tuple[str, ...] = ()  # impossible values ("for 0"): asked back, nothing changed
    day: DaySaid | None = None  # an edit of one day of the session's trip ("make day 2 dinner Japanese")

    @property
    def picks(self) -> bool:
        return self.pick is not None or self.pick_other or self.cheaper or self.pricier or self.area is not None

    @property
    def changes(self) -> dict[str, object]:
        return {name: value for name in CHANGE_FIELDS if (value := getattr(self, name)) is not None}


CHANGE_FIELDS = (
    "party_size", "nights", "time", "date", "month", "meal", "place", "cuisine", "budget_level", "budget_per_night_eur"
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class Resolution:
    """What the service does with a follow-up: plan again, mark the draft, clear the plan, or ask."""

    action: Literal["plan", "confirm", "cancel", "ask", "show"]  # show: the plan as it is (a question about it)
    request: TurnRequest | None = None  # the merged request to plan (action "plan")
    prefer: str | None = None  # the venue id the user picked; code keeps it if it still qualifies
    need_texts: list[str] = field(default_factory=list)  # the session's need statements, this one included
    question: str = ""  # action "ask": the question back; nothing changes


NO_PLAN = (
    "There is no plan in this session to change yet. Tell me what you would like first, for example "
    '"dinner in Porto tomorrow at 8pm for four" or "a hotel in Porto for 3 nights".'
)


def price_of(option: Option) -> float:
    """Comparable price: the euro signs of a restaurant, the nightly rate of a stay."""
    digits = re.search(r"\d+", option.price)
    return float(digits.group(0)) if digits else float(option.price.count("€"))


def _listing(options: list[Option]) -> str:
    return "; ".join(f"{i}. {o.name} ({o.summary}, {o.price})" for i, o in enumerate(options, 1))


def _by_area(area_said: str, options: list[Option], shown: str) -> Option | str:
    area = area_said.casefold()
    hits = [o for o in options if area in f"{o.summary} {o.name}".casefold()]
    if len(hits) == 1:
        return hits[0]
    return f"{'None' if not hits else 'More than one'} of the options is in {area_said}. {shown} Which one?"


def _by_price(cheaper: bool, options: list[Option], shown: str) -> Option | str:
    """The cheapest of the options cheaper than the current one (or the priciest of those pricier)."""
    current = options[0]
    others = [o for o in options[1:] if (price_of(o) < price_of(current)) == cheaper]
    others = [o for o in others if price_of(o) != price_of(current)]
    if not others:
        what = "cheaper" if cheaper else "more expensive"
        return f"None of the other options is {what} than {current.name} ({current.price}). {shown} Which one?"
    return (min if cheaper else max)(others, key=price_of)


def _by_position(follow_up: FollowUp, options: list[Option], shown: str) -> Option | str:
    if follow_up.pick_other:  # the other of two, or the next of several ("other options?"): never the current one
        return options[1] if len(options) >= 2 else f"There is no other option. {shown}"
    assert follow_up.pick is not None
    position = len(options) if follow_up.pick == -1 else follow_up.pick
    if not 1 <= position <= len(options):
        count = f"{len(options)} option{'s' if len(options) != 1 else ''}"
        return f"There were only {count}, so there is no number {position}. {shown} Which one?"
    return options[position - 1]


def _picked(follow_up: FollowUp, state: SessionState) -> Option | str:
    """The option the follow-up points at, or the question to ask when it points at none (or several)."""
    options = state.options
    shown = f"The options were: {_listing(options)}."
    if follow_up.area is not None:
        return _by_area(follow_up.area, options, shown)
    if follow_up.cheaper or follow_up.pricier:
        return _by_price(follow_up.cheaper, options, shown)
    return _by_position(follow_up, options, shown)


def _below_current(follow_up: FollowUp, state: SessionState) -> TurnRequest | None:
    """ "Something cheaper?" when no option shown is cheaper: the same request searched again under the current
    choice's price (a dinner one price level down, a stay a euro a night less), so the plan and its draft move to a
    cheaper venue instead of stopping at a question. None when it is already the cheapest kind of place."""
    if not follow_up.cheaper or state.request is None or not state.options:
        return None
    price = int(price_of(state.options[0]))
    if state.request.intent == "dine" and price > 1:
        return state.request.model_copy(update={"budget_level": price - 1})
    if state.request.intent == "stay" and price > 1:
        return state.request.model_copy(update={"budget_per_night_eur": price - 1})
    return None


def _settled(follow_up: FollowUp, state: SessionState | None) -> Resolution | None:
    """A follow-up answered without planning: a problem asked back, a cancellation, a confirmation."""
    if follow_up.problems:
        return Resolution("ask", question=" ".join([*follow_up.problems, "Nothing was changed."]))
    if follow_up.kind == "question":
        return Resolution("show")
    if follow_up.unsure:
        return _asked_to_settle(state, dropping=follow_up.kind == "cancel")
    if follow_up.kind == "cancel":
        return Resolution("cancel")
    if follow_up.kind == "confirm":
        if state is None or state.draft is None:
            summary = state.summary if state else "nothing is planned in this session yet."
            return Resolution("ask", question=f"There is no draft to send yet: {summary} Tell me what to plan first.")
        return Resolution("confirm")
    if state is None or state.request is None:
        return Resolution("ask", question=NO_PLAN)
    return None


def _asked_to_settle(state: SessionState | None, *, dropping: bool = False) -> Resolution:
    """A confirm or cancel read without confidence: asked about sending, so a plain "yes" next sends it (a "yes" is a
    confirm with a plan) and "cancel" drops it; nothing is marked ready or cleared on a guess. An unsure cancel ("no
    need, we'll eat at the hotel") asks whether to drop the plan and never invites the "yes" that would send it."""
    if state is None or state.request is None:
        return Resolution("ask", question=NO_PLAN)
    if dropping:
        asked = f'Should I drop the plan for {state.summary}? Say "cancel" to drop it; otherwise it stays as it is.'
        return Resolution("ask", question=asked)
    if state.draft is None or state.draft_status != "draft":
        return Resolution("ask", question=f"Nothing is waiting to be sent: {state.summary} What would you like to do?")
    asked = f'Do you want me to send the booking for {state.summary}? Say "yes" to send it or "cancel" to drop it.'
    return Resolution("ask", question=asked)


def _merged(request: TurnRequest, changes: dict[str, object]) -> TurnRequest:
    """The session's request with the follow-up's changes that fit its intent (a meal and a time only for a dinner)."""
    if request.intent != "dine":
        changes = {k: v for k, v in changes.items() if k not in {"meal", "time", "cuisine", "budget_level"}}
    else:
        changes = {k: v for k, v in changes.items() if k not in {"nights", "budget_per_night_eur"}}
    if "month" in changes:
        changes["date"] = changes.get("date")  # a month said alone moves the trip to it: no day of the old month
    if "meal" in changes and "time" not in changes:
        changes["time"] = None  # "lunch rather than dinner": the dinner time does not carry over
    if "time" in changes and changes["time"] is not None and "meal" not in changes and request.intent == "dine":
        changes["meal"] = meal_for_time(changes["time"])  # type: ignore[arg-type]
    return TurnRequest.model_validate({**request.model_dump(), **changes, "problems": ()})


def resolve(follow_up: FollowUp, state: SessionState | None, message: str) -> Resolution:
    """The follow-up laid over the session's state (see ``Resolution``)."""
    settled = _settled(follow_up, state)
    if settled is not None:
        return settled
    assert state is not None and state.request is not None
    prefer = state.plan.chosen.id if state.plan and state.plan.chosen else None
    if follow_up.picks:
        if not state.options:
            return Resolution("ask", question=f"There are no options to choose from: {state.summary}")
        picked = _picked(follow_up, state)
        if isinstance(picked, str) and (below := _below_current(follow_up, state)) is not None:
            return Resolution("plan", request=below, need_texts=list(state.need_texts))
        if isinstance(picked, str):
            return Resolution("ask", question=picked)
        prefer = picked.id
    changes = follow_up.changes
    if "place" in changes or "cuisine" in changes:
        prefer = None  # another city or cuisine: the old venue is not a choice any more
    need_texts = [*state.need_texts, *([message] if follow_up.needs else [])]
    return Resolution("plan", request=_merged(state.request, changes), prefer=prefer, need_texts=need_texts)
