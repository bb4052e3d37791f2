"""Day-by-day trip plans, built in code from the research tools' answers (whatever a model said).

A trip to a catalog city becomes one stay for the nights and, for each of the ``nights + 1`` days
(arrival to departure, the request reader's rule: "3 days" = 2 nights), the meals asked for (lunch and
dinner unless the user said otherwise). Every venue is chosen through the same tools the research agent
uses (``search_restaurants`` / ``search_stays``), bound to the turn: the user's needs (their own scope
plus this message) and the opening hours for each meal are applied there, in code. A venue is used once
unless the city has too few that qualify; then it is repeated and the itinerary says so. Travel notes
come from the user's memories (seat preference) and the catalog (airports, best months). Each booking
gets a draft composed from typed fields (``compose_draft``), never from the user's message.

``replace_meal`` is a pure edit of one meal of one day, for follow-ups ("make day 2 dinner Japanese");
``edit_meal`` runs the search for it and applies it.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Sequence

from concierge.catalog.cuisine import serves_cuisine
from concierge.catalog.hours import booking_time
from concierge.catalog.search import CatalogSearch
from concierge.crew.checks import DEFAULT_NIGHTS, DEFAULT_PARTY, compose_draft
from concierge.crew.itinerary_models import Itinerary, ItineraryDay, MealSlot, Seat
from concierge.crew.outputs import Draft, NeedNote, Option, Plan, SearchReport, counted
from concierge.crew.tools.catalog import SearchRestaurantsTool, SearchStaysTool, destination_option
from concierge.crew.turn import TurnContext, need_notes
from concierge.request import Meal, TurnRequest
from concierge.request.model import MEALS

MAX_TRIP_NIGHTS = 21  # three weeks; longer trips are refused with one line (plan them in parts, or ask for a stay)
DEFAULT_MEALS: tuple[Meal, ...] = ("lunch", "dinner")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_SEAT = re.compile(r"\b(window|aisle)\b(?:\W+\w+){0,3}?\W+seats?\b|\bseats?\b(?:\W+\w+){0,3}?\W+(window|aisle)\b", re.I)


def trip_days(request: TurnRequest) -> int:
    """Days in the plan: one more than the nights (arrival to departure)."""
    return (request.nights or DEFAULT_NIGHTS["trip"]) + 1


def _repeat_note(city: str, meal: str, venues: int, days: int) -> str:
    """Why a restaurant comes back: too few for the days, or enough but closed some days / holding another meal."""
    found = f"{counted(venues, 'restaurant', 'restaurants')} in {city} that meet every need and serve {meal}"
    if venues < days:
        return f"Only {found}, for {days} days: some are booked for {meal} more than once."
    return (
        f"Some {meal}s repeat a restaurant: of the {found}, not enough are open on each day "
        "or free of the trip's other meals."
    )


def trip_length_problem(request: TurnRequest) -> str | None:
    """One line for a trip too long to plan day by day (checked before anything is searched or drafted)."""
    if request.intent != "trip" or request.nights is None or request.nights <= MAX_TRIP_NIGHTS:
        return None
    return (
        f"A day-by-day plan covers at most {MAX_TRIP_NIGHTS} nights ({MAX_TRIP_NIGHTS + 1} days) and this trip is "
        f"{trip_days(request)} days; ask for a shorter trip, or one part of it at a time. Nothing was booked."
    )


def trip_start(request: TurnRequest, now: dt.datetime) -> tuple[dt.date, bool]:
    """(first day, assumed?): the date said; else the 1st of the month said ("in April"); else tomorrow."""
    if request.date is not None:
        return request.date, False
    tomorrow = now.date() + dt.timedelta(days=1)
    if request.month is not None and request.month != now.month:
        year = now.year + (1 if request.month < now.month else 0)
        return dt.date(year, request.month, 1), True
    return tomorrow, True


def seat_preference(memories: Sequence[str]) -> Seat | None:
    """The seat the user last said they prefer (memories oldest first), if any."""
    found: Seat | None = None
    for text in memories:
        for m in _SEAT.finditer(text):
            found = (m.group(1) or m.group(2)).lower()  # type: ignore[assignment]
    return found


def _month_names(months: Sequence[str]) -> str:
    full = [dt.date(2000, _MONTHS.index(m) + 1, 1).strftime("%B") for m in months]
    return full[0] if len(full) == 1 else ", ".join(full[:-1]) + " and " + full[-1]


def _travel_notes(trip: Itinerary, climate: Sequence[int]) -> tuple[str, ...]:
    notes = []
    if trip.seat:
        notes.append(f"Flights: ask for {'an' if trip.seat == 'aisle' else 'a'} {trip.seat} seat, as you prefer.")
    if trip.airports:
        notes.append(f"Fly into {trip.city}: {', '.join(trip.airports)}.")
    if trip.in_best_months is not None:
        best = ", ".join(trip.best_months)
        if trip.in_best_months:
            verb = "is" if len(trip.trip_months) == 1 else "are"
            notes.append(f"{_month_names(trip.trip_months)} {verb} among {trip.city}'s best months ({best}).")
        else:
            outside = [m for m in trip.trip_months if m not in trip.best_months]
            highs = ", ".join(f"{m} {climate[_MONTHS.index(m)]} °C" for m in outside)
            verb = "is" if len(outside) == 1 else "are"
            notes.append(
                f"{_month_names(outside)} {verb} outside {trip.city}'s best months ({best}); average high {highs}."
            )
    return tuple(notes)


def _covers(applied: Sequence[NeedNote], needs: Sequence[NeedNote]) -> bool:
    return {(n.need_id, n.holder) for n in needs} <= {(n.need_id, n.holder) for n in applied}


def _serves(option: Option, cuisine: str) -> bool:
    """Whether a restaurant option (summary "cuisine, neighbourhood") serves ``cuisine``."""
    return serves_cuisine(option.summary.split(",")[0], cuisine)


def _candidates(trip: Itinerary, found: SearchReport, meal: Meal) -> list[tuple[Option, dt.time]]:
    """The options of a restaurant search that can seat ``meal`` in the trip's city, with the table time
    (recomputed from each venue's hours, so a search for another meal cannot slip in)."""
    kept = []
    for option in found.options:
        time = booking_time(option.opening_hours, meal) if option.opening_hours else None
        if option.kind == "restaurant" and option.city == trip.city and time is not None:
            kept.append((option, time))
    return kept


def _slot(
    trip: Itinerary,
    found: SearchReport,
    meal: Meal,
    date: dt.date,
    used: Counter[str],
    avoid: frozenset[str] = frozenset(),
    cuisine: str | None = None,
) -> MealSlot:
    """The first option (in the tools' ranking) not booked elsewhere; else the least booked one (``repeated``);
    else no venue, with the reason. With ``cuisine``, venues serving it come first."""
    candidates = [c for c in _candidates(trip, found, meal) if c[0].id not in avoid]
    problem = None
    if cuisine:
        serving = [c for c in candidates if _serves(c[0], cuisine)]
        if not serving and candidates:
            problem = f"No {cuisine} restaurant in {trip.city} meets every need and serves {meal}; this is the closest."
        candidates = serving or candidates
    if not candidates:
        why = found.problem or (
            f"No restaurant in {trip.city} meets every need and serves {meal} ({len(found.excluded)} excluded)."
        )
        return MealSlot(meal=meal, problem=why)
    fresh = [c for c in candidates if not used[c[0].id]]
    venue, time = fresh[0] if fresh else min(candidates, key=lambda c: used[c[0].id])
    slot = MealSlot(meal=meal, venue=venue, time=time, repeated=not fresh, problem=problem)
    return slot.model_copy(update={"draft": meal_draft(trip, date, slot)})


def meal_draft(trip: Itinerary, date: dt.date, slot: MealSlot) -> Draft | None:
    """The booking request for one meal, composed from the trip's and the slot's fields only (so it can be
    re-composed at any time: a session keeps itineraries without their drafts)."""
    if slot.venue is None:
        return None
    plan = Plan(
        chosen=slot.venue,
        date=date,
        time=slot.time,
        meal=slot.meal,
        party_size=slot.party_size or trip.party_size,
        needs=list(trip.needs),
    )
    return compose_draft(plan, trip.user)


def _search_meal(tool: SearchRestaurantsTool, trip: Itinerary, date: dt.date, meal: Meal, query: str) -> SearchReport:
    """One restaurant search through the research tool (needs and hours applied there), every venue of the city."""
    answer = tool.run(
        query=query,
        location=trip.city,
        date=date.isoformat(),
        meal=meal,
        party_size=trip.party_size,
        max_results=10,
    )
    return SearchReport.model_validate_json(answer)


def _merged_request(turn: TurnContext) -> TurnRequest:
    """The message as the rules read it, with what a model's validated tool arguments added where it said nothing."""
    said, understood = turn.request, turn.understood()
    missing = {k: getattr(understood, k) for k in ("place", "date", "party_size", "nights", "month", "stay_kind")}
    return said.model_copy(update={k: v for k, v in missing.items() if getattr(said, k) is None and v is not None})


def _stay_plan(
    turn: TurnContext, catalog: CatalogSearch, trip: Itinerary, request: TurnRequest, crew_plan: Plan | None
) -> Plan:
    """The stay: the crew's checked choice when it is in the trip's city, else the stay tool's first option."""
    ours = crew_plan if crew_plan and crew_plan.chosen and crew_plan.chosen.kind == "stay" else None
    ours = ours if ours and ours.chosen and ours.chosen.city == trip.city else None
    if ours is not None:
        chosen, backups, notes, reasons = ours.chosen, ours.backups, ours.notes, ours.reasons
        problems: list[str] = []
    else:
        tool = SearchStaysTool(catalog=catalog, turn=turn)
        found = SearchReport.model_validate_json(
            tool.run(
                query=request.stay_kind or "a place to stay",
                location=trip.city,
                date=trip.start.isoformat(),
                nights=trip.nights,
                party_size=trip.party_size,
                max_results=3,
            )
        )
        options = [o for o in found.options if o.kind == "stay" and o.city == trip.city]
        chosen, backups, notes, reasons = (options[0] if options else None), options[1:], [], []
        why = found.problem or f"No place to stay in {trip.city} meets every need ({len(found.excluded)} excluded)."
        problems = [] if chosen else [why]
    return Plan(
        status="planned" if chosen else "no_match",
        chosen=chosen,
        backups=backups[:2],
        destination=trip.destination,
        date=trip.start,
        party_size=trip.party_size,
        nights=trip.nights,
        needs=list(trip.needs),
        notes=[*notes, *trip.travel_notes],
        reasons=reasons,
        assumed=list(trip.assumed),
        problems=problems,
    )


def plan_itinerary(
    turn: TurnContext, catalog: CatalogSearch, memories: Sequence[str] = (), crew_plan: Plan | None = None
) -> Itinerary | None:
    """The day-by-day plan for the turn's trip request; None when it names no catalog city (a vague wish, a
    country the crew found no stay in). ``memories``: the user's own memories, oldest first (seat preference).
    ``crew_plan``: the crew's checked plan, whose stay is kept when it is in the trip's city."""
    request = _merged_request(turn)
    if request.intent != "trip":
        return None
    where = _trip_city(request, crew_plan)
    if where is None:
        return None
    trip = _new_trip(turn, catalog, request, where, memories)
    stay_plan = _stay_plan(turn, catalog, trip, request, crew_plan)
    tool = SearchRestaurantsTool(catalog=catalog, turn=turn)
    days, qualifying = _plan_days(tool, trip, request.cuisine)
    return trip.model_copy(
        update={
            "stay": stay_plan.chosen,
            "stay_plan": stay_plan,
            "stay_draft": compose_draft(stay_plan, trip.user),
            "days": tuple(days),
            "problems": tuple(_trip_problems(trip, stay_plan, days, qualifying)),
        }
    )


def _trip_city(request: TurnRequest, crew_plan: Plan | None) -> tuple[str, str] | None:
    """(city, country) of the trip: the catalog city said, else the city of the crew's stay when the place said
    (if any) is in the catalog (a country); None for a place we do not cover or no place at all."""
    place = request.place
    if place is not None and place.in_catalog and place.city:
        return place.city, place.country or ""
    crew_stay = crew_plan.chosen if crew_plan and crew_plan.chosen and crew_plan.chosen.kind == "stay" else None
    if crew_stay is not None and (place is None or place.in_catalog):
        return crew_stay.city, crew_stay.country
    return None


def _trip_dates(start: dt.date, nights: int) -> list[dt.date]:
    """Every day of the trip, arrival to departure."""
    return [start + dt.timedelta(days=i) for i in range(nights + 1)]


def _assumed(request: TurnRequest, start_assumed: bool) -> tuple[str, ...]:
    """What the user did not say and the plan chose for them, named so the reply can say so."""
    missing = (
        ("start date", start_assumed),
        ("nights", request.nights is None),
        ("party size", request.party_size is None),
        ("meals", not request.meals),
    )
    return tuple(name for name, unsaid in missing if unsaid)


def _new_trip(
    turn: TurnContext, catalog: CatalogSearch, request: TurnRequest, where: tuple[str, str], memories: Sequence[str]
) -> Itinerary:
    """The trip's frame before anything is searched: dates, party, meals, needs, the city's airports and seasons,
    the seat the user prefers, and the travel notes made of them."""
    city, country = where
    destination = next((d for d in catalog.catalog.destinations if d.name == city), None)
    start, start_assumed = trip_start(request, turn.now)
    nights = request.nights or DEFAULT_NIGHTS["trip"]
    months = tuple(dict.fromkeys(_MONTHS[d.month - 1] for d in _trip_dates(start, nights)))
    best = tuple(destination.best_months) if destination else ()
    trip = Itinerary(
        user=turn.user,
        city=city,
        country=country,
        start=start,
        nights=nights,
        party_size=request.party_size or DEFAULT_PARTY,
        meals=request.meals or DEFAULT_MEALS,
        destination=destination_option(destination) if destination else None,
        needs=tuple(need_notes(turn.needs())),
        airports=tuple(destination.airports) if destination else (),
        best_months=best,
        trip_months=months,
        in_best_months=all(m in best for m in months) if best else None,
        seat=seat_preference(memories),
        assumed=_assumed(request, start_assumed),
    )
    return trip.model_copy(update={"travel_notes": _travel_notes(trip, destination.climate if destination else ())})


def _plan_days(
    tool: SearchRestaurantsTool, trip: Itinerary, cuisine: str | None
) -> tuple[list[ItineraryDay], dict[Meal, set[str]]]:
    """Each day's meals, searched in order so a venue is used once while others qualify; and, per meal, every
    venue that qualified on some day (to say why one repeats)."""
    used: Counter[str] = Counter()
    qualifying: dict[Meal, set[str]] = {meal: set() for meal in trip.meals}
    days = []
    for number, date in enumerate(_trip_dates(trip.start, trip.nights), start=1):
        slots = []
        for meal in trip.meals:
            found = _search_meal(tool, trip, date, meal, cuisine or meal)
            qualifying[meal] |= {option.id for option, _ in _candidates(trip, found, meal)}
            slot = _slot(trip, found, meal, date, used)
            used.update([slot.venue.id] if slot.venue else [])
            slots.append(slot)
        days.append(ItineraryDay(day=number, date=date, meals=tuple(slots)))
    return days, qualifying


def _trip_problems(
    trip: Itinerary, stay_plan: Plan, days: Sequence[ItineraryDay], qualifying: dict[Meal, set[str]]
) -> list[str]:
    """What the plan could not do as asked: the stay's problems, why a meal repeats a venue, each meal's problem."""
    problems = [*stay_plan.problems]
    for meal, ids in qualifying.items():
        if ids and any(s.repeated for d in days for s in d.meals if s.meal == meal):
            problems.append(_repeat_note(trip.city, meal, len(ids), len(days)))
    problems += list(dict.fromkeys(s.problem for d in days for s in d.meals if s.problem))
    return problems


def replace_meal(
    itinerary: Itinerary, *, day: int, meal: Meal, found: SearchReport, cuisine: str | None = None
) -> Itinerary:
    """A new itinerary where only ``meal`` of ``day`` changed: to the best option of ``found`` (a restaurant
    search for that meal) that is not the current venue, not booked elsewhere if possible, and serves
    ``cuisine`` if one does (a current venue that already serves it is kept). Every other day is the same
    object. Pure: nothing is searched or stored.

    Raises ``ValueError`` for a day outside the plan, or a search that did not apply every need of the trip
    (an edit can never loosen a need).
    """
    target = itinerary.day(day)
    if not _covers(found.needs_applied, itinerary.needs):
        missing = ", ".join(n.label for n in itinerary.needs if not _covers(found.needs_applied, [n]))
        raise ValueError(f"that search did not apply every need of this trip ({missing}); search again")
    current = target.slot(meal)
    used = Counter(
        s.venue.id for d in itinerary.days for s in d.meals if s.venue and not (d.day == day and s.meal == meal)
    )
    keep = current is not None and current.venue is not None and bool(cuisine)
    keep = keep and _serves(current.venue, cuisine)  # type: ignore[arg-type]
    if keep:  # it already serves what was asked for
        return itinerary
    avoid = frozenset({current.venue.id}) if current and current.venue else frozenset()
    slot = _slot(itinerary, found, meal, target.date, used, avoid, cuisine)
    others = [s for s in target.meals if s.meal != meal]
    meals = tuple(sorted([*others, slot], key=lambda s: MEALS.index(s.meal)))
    changed = target.model_copy(update={"meals": meals})
    return itinerary.model_copy(update={"days": tuple(changed if d.day == day else d for d in itinerary.days)})


def edit_meal(
    itinerary: Itinerary,
    turn: TurnContext,
    catalog: CatalogSearch,
    *,
    day: int,
    meal: Meal,
    cuisine: str | None = None,
) -> Itinerary:
    """A follow-up's edit ("make day 2 dinner Japanese"): search that meal through the restaurant tool bound to
    ``turn`` (the user's needs as of now, the venue's hours), then ``replace_meal``."""
    target = itinerary.day(day)
    tool = SearchRestaurantsTool(catalog=catalog, turn=turn)
    found = _search_meal(tool, itinerary, target.date, meal, cuisine or meal)
    return replace_meal(itinerary, day=day, meal=meal, found=found, cuisine=cuisine)


def remove_meal(itinerary: Itinerary, *, day: int, meal: Meal) -> Itinerary:
    """A new itinerary without ``meal`` on ``day`` ("no lunch on day 3"); every other day is the same object."""
    target = itinerary.day(day)
    changed = target.model_copy(update={"meals": tuple(s for s in target.meals if s.meal != meal)})
    return itinerary.model_copy(update={"days": tuple(changed if d.day == day else d for d in itinerary.days)})


def recheck_needs(
    itinerary: Itinerary, turn: TurnContext, catalog: CatalogSearch
) -> tuple[Itinerary, list[tuple[int, Meal]]]:
    """Every meal re-checked against the user's needs as of ``turn`` (a need said during the trip, "my friend is
    vegan"): a venue that no longer qualifies is replaced, the others are kept with their drafts re-composed
    so each venue hears of the new need; the stay likewise. Returns the new itinerary and the (day, meal) pairs
    replaced."""
    trip = itinerary.model_copy(update={"needs": tuple(need_notes(turn.needs()))})
    tool = SearchRestaurantsTool(catalog=catalog, turn=turn)
    replaced: list[tuple[int, Meal]] = []
    for day in itinerary.days:
        for slot in day.meals:
            if slot.venue is None:
                continue
            found = _search_meal(tool, trip, day.date, slot.meal, slot.meal)
            if slot.venue.id in {option.id for option, _ in _candidates(trip, found, slot.meal)}:
                continue
            trip = replace_meal(trip, day=day.day, meal=slot.meal, found=found)
            replaced.append((day.day, slot.meal))
    days = []
    for day in trip.days:
        meals = []
        for slot in day.meals:
            if (day.day, slot.meal) not in replaced:
                slot = slot.model_copy(update={"draft": meal_draft(trip, day.date, slot)})
            meals.append(slot)
        days.append(day.model_copy(update={"meals": tuple(meals)}))
    return _recheck_stay(trip.model_copy(update={"days": tuple(days)}), turn, catalog), replaced


def _recheck_stay(trip: Itinerary, turn: TurnContext, catalog: CatalogSearch) -> Itinerary:
    """The stay re-checked against ``trip.needs``: kept (its plan and draft now stating every need) if the stay
    tool still returns it, else the tool's first qualifying stay, or none with the reason."""
    if trip.stay_plan is None:
        return trip
    request = _merged_request(turn)
    found = SearchReport.model_validate_json(
        SearchStaysTool(catalog=catalog, turn=turn).run(
            query=request.stay_kind or "a place to stay",
            location=trip.city,
            date=trip.start.isoformat(),
            nights=trip.nights,
            party_size=trip.party_size,
            max_results=10,
        )
    )
    qualifying = {o.id for o in found.options if o.kind == "stay" and o.city == trip.city}
    if trip.stay is not None and trip.stay.id in qualifying:
        backups = [b for b in trip.stay_plan.backups if b.id in qualifying]
        plan = trip.stay_plan.model_copy(update={"needs": list(trip.needs), "backups": backups})
    else:
        base = trip.model_copy(update={"travel_notes": ()})  # the old plan's notes already carry them
        plan = _stay_plan(turn, catalog, base, request, None)
        plan = plan.model_copy(update={"notes": [*trip.stay_plan.notes]})
    return trip.model_copy(
        update={"stay": plan.chosen, "stay_plan": plan, "stay_draft": compose_draft(plan, trip.user)}
    )


def adjust_meal(
    itinerary: Itinerary, *, day: int, meal: Meal, time: dt.time | None = None, party_size: int | None = None
) -> Itinerary | None:
    """A new itinerary where ``meal`` of ``day`` keeps its venue with a new table time and/or party ("day 3 dinner
    for 4 at 8pm"), its draft re-composed; None when the venue cannot seat that meal at ``time`` (search instead).
    Every other day is the same object."""
    target = itinerary.day(day)
    slot = target.slot(meal)
    if slot is None or slot.venue is None:
        return None
    if time is not None:
        time = booking_time(slot.venue.opening_hours, meal, time) if slot.venue.opening_hours else None
        if time is None:
            return None
    changed = slot.model_copy(update={"time": time or slot.time, "party_size": party_size or slot.party_size})
    changed = changed.model_copy(update={"draft": meal_draft(itinerary, target.date, changed)})
    meals = tuple(changed if s.meal == meal else s for s in target.meals)
    new_day = target.model_copy(update={"meals": meals})
    return itinerary.model_copy(update={"days": tuple(new_day if d.day == day else d for d in itinerary.days)})
