"""Follow-ups on a trip's day-by-day plan: edit one meal of one day, or re-check every meal for a new need.

The turn's reader reads "make day 2 dinner Japanese", "swap Friday's dinner", "no lunch on day 3" into the
follow-up's typed ``DaySaid``; ``day_edit`` checks it against the itinerary: a day the trip does not have ("day
9" of three) or a meal left unsaid when the day has several becomes a question, never a guess. The edits run
through ``edit_meal`` / ``recheck_needs`` (concierge/crew/itinerary.py): the restaurant tool applies every
need of the user from their own scope, and every other day stays the same object.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from concierge.catalog.search import CatalogSearch
from concierge.conversation.followup import DaySaid, FollowUp, price_of
from concierge.conversation.state import SessionState
from concierge.crew.itinerary import adjust_meal, edit_meal, recheck_needs, remove_meal
from concierge.crew.itinerary_models import Itinerary, ItineraryDay
from concierge.crew.outputs import party_words
from concierge.crew.render import render_itinerary
from concierge.crew.turn import TurnContext
from concierge.request import Meal, TurnRequest


@dataclass(frozen=True, slots=True)
class DayEdit:
    """One meal of one day to change: another venue (optionally by cuisine, or cheaper), a new table time or
    party (the venue kept when it can seat it), or removed."""

    day: int
    meal: Meal
    remove: bool = False
    cuisine: str | None = None
    cheaper: bool = False
    swap: bool = False  # another venue was asked for
    time: dt.time | None = None
    party_size: int | None = None

    @property
    def new_venue(self) -> bool:
        return self.swap or self.cheaper or self.cuisine is not None


def _days(said: DaySaid, itinerary: Itinerary) -> list[int]:
    """The trip's day numbers the words point at (none, one, or several weekdays of a long trip)."""
    if said.weekday is not None:
        return [d.day for d in itinerary.days if d.date.weekday() == said.weekday]
    assert said.number is not None
    return [len(itinerary.days) if said.number == -1 else said.number]


def _listing(itinerary: Itinerary) -> str:
    return ", ".join(f"day {d.day} ({d.date:%A %d %B})" for d in itinerary.days)


def day_edit(said: DaySaid, itinerary: Itinerary) -> DayEdit | str:
    """The edit of one meal of one day of ``itinerary`` that ``said`` asks for, or the question to ask back."""
    days = _days(said, itinerary)
    if len(days) != 1 or not 1 <= days[0] <= len(itinerary.days):
        what = f"no {said.words}" if not days or len(days) == 1 else f"more than one {said.words}"
        return f"This trip has {len(itinerary.days)} days: {_listing(itinerary)}; there is {what}. Which day?"
    day: ItineraryDay = itinerary.day(days[0])
    meal = said.meal
    if meal is None:
        booked = [s.meal for s in day.meals]
        if len(booked) != 1:
            options = " or ".join(booked) or " or ".join(itinerary.meals)
            return f"Which meal of day {day.day} ({day.date:%A %d %B}) should I change: {options}?"
        meal = booked[0]
    if said.remove:
        if day.slot(meal) is None:
            return f"Day {day.day} has no {meal} booked; nothing was changed."
        return DayEdit(day.day, meal, remove=True)
    edit = DayEdit(
        day.day,
        meal,
        cuisine=said.cuisine,
        cheaper=said.cheaper,
        swap=said.swap,
        time=said.time,
        party_size=said.party_size,
    )
    if not (edit.new_venue or edit.time or edit.party_size):
        return f"What should change about day {day.day}'s {meal}: another place, a cuisine, a time or the party size?"
    return edit


@dataclass(frozen=True, slots=True)
class TripOutcome:
    """A trip follow-up answered: the reply text, the new itinerary (None: unchanged, a question or a refusal)."""

    answer: str
    follow_up: FollowUp
    itinerary: Itinerary | None = None
    need_texts: tuple[str, ...] = ()
    kept: bool = False  # nothing fits the edit: the current itinerary stands (not a question back)


def _table(itinerary: Itinerary, edit: DayEdit) -> str:
    slot = itinerary.day(edit.day).slot(edit.meal)
    assert slot is not None and slot.time is not None
    return f"{slot.time:%H:%M}, {party_words(slot.party_size or itinerary.party_size)}"


def _venue(itinerary: Itinerary, day: int, meal: Meal) -> str:
    slot = itinerary.day(day).slot(meal)
    return slot.venue.name if slot and slot.venue else "nothing"


MakeTurn = Callable[[TurnRequest, Sequence[str]], TurnContext]  # a turn for a request and the need texts said


def answer_trip_follow_up(
    message: str,
    state: SessionState,
    follow_up: FollowUp | None,
    make_turn: MakeTurn,
    catalog: CatalogSearch,
) -> TripOutcome | None:
    """The answer to a follow-up on the session's itinerary, or None when the message is not one (the usual
    follow-up path then handles it: "for 5 nights instead" plans the trip again)."""
    itinerary, request = state.itinerary, state.request
    if itinerary is None or request is None or follow_up is None or follow_up.kind in ("confirm", "cancel"):
        return None
    if follow_up.day is None:
        if follow_up.kind != "add_need":
            return None
        return _recheck(message, state, itinerary, follow_up, make_turn(request, [*state.need_texts, message]), catalog)
    edit = day_edit(follow_up.day, itinerary)
    if isinstance(edit, str):
        return TripOutcome(edit, FollowUp(kind="change", day=follow_up.day))
    asked = FollowUp(kind="change", meal=edit.meal, cuisine=edit.cuisine, day=follow_up.day)
    if edit.remove:
        new = remove_meal(itinerary, day=edit.day, meal=edit.meal)
        return TripOutcome(
            f"{_where(edit)} removed; every other meal is unchanged.\n{render_itinerary(new)}", asked, new
        )
    if not edit.new_venue and (
        kept := adjust_meal(itinerary, day=edit.day, meal=edit.meal, time=edit.time, party_size=edit.party_size)
    ):
        answer = f"{_where(edit)} at {_venue(kept, edit.day, edit.meal)}: {_table(kept, edit)}"
        return TripOutcome(f"{answer}; every other meal is unchanged.\n{render_itinerary(kept)}", asked, kept)
    base = request.model_copy(update={"cuisine": edit.cuisine or request.cuisine, "time": edit.time})
    return _another_venue(
        itinerary, edit, asked, lambda budget: make_turn(base.model_copy(update=budget), state.need_texts), catalog
    )


def _where(edit: DayEdit) -> str:
    return f"Day {edit.day} {edit.meal}"


def _recheck(
    message: str,
    state: SessionState,
    itinerary: Itinerary,
    follow_up: FollowUp,
    turn: TurnContext,
    catalog: CatalogSearch,
) -> TripOutcome:
    """A new need said during a trip: every meal (and the stay) re-checked, those that fail it replaced."""
    said = (*state.need_texts, message)
    new, replaced = recheck_needs(itinerary, turn, catalog)
    lines = [f"Day {d} {m}: {_venue(itinerary, d, m)} -> {_venue(new, d, m)}." for d, m in replaced]
    if itinerary.stay != new.stay:
        before, after = (t.stay.name if t.stay else "nothing" for t in (itinerary, new))
        lines.append(f"Stay: {before} -> {after}.")
    head = "Every meal re-checked for the new need: " + (
        f"{len(replaced)} replaced." if replaced else "each one already meets it, nothing replaced."
    )
    return TripOutcome("\n".join([head, *lines, render_itinerary(new)]), follow_up, new, said)


def _cheaper_level(itinerary: Itinerary, edit: DayEdit) -> int | None:
    """The budget level one below the current venue's (None: unknown; 0: already the cheapest range)."""
    current = itinerary.day(edit.day).slot(edit.meal)
    level = int(price_of(current.venue)) if current and current.venue else 0
    return level - 1 if level else None


def _another_venue(
    itinerary: Itinerary,
    edit: DayEdit,
    asked: FollowUp,
    turn_with: Callable[[dict[str, object]], TurnContext],  # the turn, with a budget level if one is set
    catalog: CatalogSearch,
) -> TripOutcome:
    """Another venue for one meal (by cuisine, cheaper, or just another), every need of the user applied."""
    where, before = _where(edit), _venue(itinerary, edit.day, edit.meal)
    budget: dict[str, object] = {}
    if edit.cheaper:
        level = _cheaper_level(itinerary, edit)
        if level == 0:
            return TripOutcome(f"{where} at {before} is already in the cheapest range (€).", asked, kept=True)
        budget["budget_level"] = level
    turn = turn_with(budget)
    new = edit_meal(itinerary, turn, catalog, day=edit.day, meal=edit.meal, cuisine=edit.cuisine)
    if new is itinerary:
        return TripOutcome(f"{where} at {before} already serves that.", asked, kept=True)
    current = itinerary.day(edit.day).slot(edit.meal)
    party = edit.party_size or (current.party_size if current else None)  # a party set earlier carries over
    if edit.time or party:
        new = adjust_meal(new, day=edit.day, meal=edit.meal, time=edit.time, party_size=party) or new
    slot = new.day(edit.day).slot(edit.meal)
    if slot is None or slot.venue is None:
        what = " ".join(w for w in ("cheaper" if edit.cheaper else "", (edit.cuisine or "").title()) if w)
        at = f" at {edit.time:%H:%M}" if edit.time else ""
        return TripOutcome(
            f"No other {what + ' ' if what else ''}restaurant in {itinerary.city} meets every need and serves "
            f"{edit.meal}{at} on day {edit.day}; I kept {before}.",
            asked,
            kept=True,
        )
    answer = f"{where}: {before} -> {slot.venue.name}; every other meal is unchanged."
    return TripOutcome(f"{answer}\n{render_itinerary(new)}", asked, new)
