"""Code, not the model, decides the facts of a plan and what a draft must say.

Whatever a model (offline or remote) answers, the checked plan:
- chooses only among options a tool returned after applying every need, the opening hours for the
  meal and the budget (else it says plainly that nothing qualifies);
- keeps backups in the chosen venue's city;
- states every active need of the party, the date, the time inside the venue's hours, the party
  size (or nights), and marks what was assumed because the user did not say it.
A draft is accepted only if it states all of that and does not quote the user's message; otherwise
it is composed from the plan's fields.

``plan_problems`` and ``draft_problems`` say why a model's answer cannot stand, one reason a model can act
on per line: the crew's task guardrails (``concierge/crew/guardrails.py``) send them back to the agent,
which retries; ``checked_plan`` / ``checked_draft`` compose the safe answer once retries run out.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from functools import cache
from typing import TYPE_CHECKING

from concierge.catalog.hours import booking_time
from concierge.crew.outputs import Draft, NeedNote, Option, Plan, counted, party_words
from concierge.crew.turn import TurnContext, need_notes
from concierge.request import TurnRequest
from concierge.request.budget import read_budget, shared_stay_note

if TYPE_CHECKING:
    import inflect

DEFAULT_PARTY = 2
DEFAULT_NIGHTS = {"stay": 2, "trip": 3}
_PRIMARY_KIND = {"dine": "restaurant", "stay": "stay", "trip": "stay"}
_MAX_BACKUPS = 2


def _primary(request: TurnRequest) -> str:
    return _PRIMARY_KIND.get(request.intent, "restaurant")


def checked_plan(model_plan: Plan | None, turn: TurnContext) -> Plan:
    """The plan as it may be shown and acted on: the model's choice, corrected and completed in code.

    Venue facts (contact, hours, booking time) come from what the tools returned, never from the
    model's copy; the model only picks among those options, by id.
    """
    request = turn.understood()
    proposed = model_plan or Plan()
    kind = _primary(request)
    findings = turn.findings()
    qualifying = [o for o in findings.options(kind) if _in_place(o, turn.request)]  # type: ignore[arg-type]
    problems = [*request.problems, *(r.problem for r in turn.reports if r.problem)]
    destinations = findings.options("destination")
    plan = Plan(
        needs=need_notes(turn.needs()),
        meal=(request.meal or "dinner") if kind == "restaurant" else None,
        notes=list(dict.fromkeys([*proposed.notes, *_stay_total(turn.said, request)])),
        reasons=list(proposed.reasons),
        problems=problems,
    )
    if request.intent == "trip" and request.place is None and not qualifying:
        plan.status, plan.suggestions = "suggestions", destinations
        plan.date, plan.nights, plan.party_size = request.date, request.nights, request.party_size  # as said
        plan.problems = problems or ([] if destinations else ["No destination in our catalog fits that wish."])
        return plan
    chosen = _choice(proposed, turn, qualifying, plan.notes)
    if chosen is None:
        plan.status = "not_covered" if any(r.problem for r in turn.reports) else "no_match"
        plan.problems = problems or [_nothing_qualifies(turn, kind)]
        return plan
    plan.chosen, plan.backups = chosen, _backups(proposed, chosen, qualifying)
    plan.destination = next((d for d in destinations if d.city == chosen.city), None)
    plan.notes += _other_kind(request, chosen)
    _fill_when_and_who(plan, request, turn.now, chosen)
    plan.assumed += _read_as(turn.request)
    return plan


def _read_as(request: TurnRequest) -> list[str]:
    """A city the user did not spell as the catalog does ("Pariss", "NYC"), or did not say at all (taken from
    their memories or the session): the plan says how it was read."""
    place = request.place
    if place is not None and place.assumed_from:
        return [f"place ({place.city or place.country}, from {place.assumed_from})"]
    if place is None or not place.city or place.city.casefold() == place.said.strip().casefold():
        return []
    return [f'city ("{place.said}" read as {place.city})']


def _other_kind(request: TurnRequest, chosen: Option) -> list[str]:
    """ "a hotel" answered with a guesthouse (no hotel fits): said plainly, never passed off as a hotel."""
    wanted = request.stay_kind
    if chosen.kind != "stay" or wanted is None or chosen.summary.lower().startswith(wanted):
        return []
    found = chosen.summary.split(",")[0]
    return [f"No {wanted} fits the request; {chosen.name} is a {found} instead."]


def _stay_total(said: str, request: TurnRequest) -> list[str]:
    """ "budget 400 total" for 4 nights is read as 100 a night: the plan says so, so the user can correct it."""
    read = read_budget(said, stay=True, nights=request.nights)
    if read.total_eur is None or read.per_night_eur != request.budget_per_night_eur or not request.nights:
        return []
    return [shared_stay_note(read.total_eur, request.nights, read.per_night_eur)]


def _choice(proposed: Plan, turn: TurnContext, qualifying: list[Option], notes: list[str]) -> Option | None:
    """The model's pick among the qualifying options; the user's own pick of this session wins if it qualifies
    (else ``notes`` says why not); the first qualifying option when neither stands."""
    by_id = {o.id: o for o in qualifying}
    chosen = by_id.get(proposed.chosen.id) if proposed.chosen else None
    if turn.prefer is not None and qualifying:
        chosen = by_id.get(turn.prefer) or chosen
        if turn.prefer not in by_id:
            notes.append("The venue chosen earlier does not fit this request (hours, needs or budget).")
    return chosen or (qualifying[0] if qualifying else None)


def _backups(proposed: Plan, chosen: Option, qualifying: list[Option]) -> list[Option]:
    """The model's backups that qualify, then the other qualifying options, all in the chosen venue's city."""
    by_id = {o.id: o for o in qualifying}
    backups = [by_id[o.id] for o in proposed.backups if o.id in by_id and o.id != chosen.id]
    backups += [o for o in qualifying if o.id != chosen.id and o not in backups]
    return [o for o in backups if o.city == chosen.city][:_MAX_BACKUPS]


def _in_place(option: Option, request: TurnRequest) -> bool:
    """Is the option where the typed request asked (any place, when it named none we cover)?"""
    place = request.place
    if place is None or not place.in_catalog:
        return True
    if place.city:
        return option.city.casefold() == place.city.casefold()
    return place.country is None or option.country.casefold() == place.country.casefold()


def _needs_missing(stated: list[NeedNote], turn: TurnContext) -> list[str]:
    said = {(n.need_id, n.holder) for n in stated}
    return [f"{n.label} ({n.holder})" for n in need_notes(turn.needs()) if (n.need_id, n.holder) not in said]


def _disagreements(plan: Plan, request: TurnRequest) -> list[str]:
    """Each field the plan states that contradicts what the user asked (the typed request)."""
    pairs = [
        ("date", plan.date, request.date),
        ("time", plan.time, request.time),
        ("meal", plan.meal, request.meal),
        ("party size", plan.party_size, request.party_size),
        ("nights", plan.nights, request.nights),
    ]
    problems = [
        f"the {name} is {said}, but the user asked for {asked}"
        for name, said, asked in pairs
        if said and asked and said != asked
    ]
    for option in [o for o in (plan.chosen, *plan.backups) if o is not None and not _in_place(o, request)]:
        where = request.place.said if request.place else "the place asked"
        problems.append(f"{option.name} is in {option.city}, but the user asked for {where}")
    return problems


def _venue_problems(plan: Plan, turn: TurnContext) -> list[str]:
    """Venues not among the tools' answers this turn, and a booking time outside the venue's hours."""
    returned = {o.id: o for o in turn.findings().options()}
    chosen = [o for o in (plan.chosen, *plan.backups) if o is not None]
    problems = [f"venue id {o.id} was not returned by the tools this turn" for o in chosen if o.id not in returned]
    venue = returned.get(plan.chosen.id) if plan.chosen else None
    if venue is not None and venue.kind == "restaurant" and plan.time is not None:
        meal = plan.meal or turn.request.meal or "dinner"
        hours = venue.opening_hours or ""
        if not hours or booking_time(hours, meal, plan.time) is None:
            problems.append(f"{plan.time:%H:%M} is outside {venue.name}'s hours for {meal} ({hours or 'unknown'})")
    return problems


def plan_problems(plan: Plan, turn: TurnContext) -> list[str]:
    """Why a model's plan cannot stand (empty: it may): a venue the tools did not return this turn, a booking
    time outside the venue's hours for the meal, a need of the party left out, or a field that contradicts the
    typed request (place, date, time, meal, party, nights). Needs come from the user's own scope, in code."""
    problems = _venue_problems(plan, turn) + _disagreements(plan, turn.request)
    if missing := _needs_missing(plan.needs, turn):
        problems.append("the plan must list every need of the party; missing: " + ", ".join(missing))
    return problems


def _nothing_qualifies(turn: TurnContext, kind: str) -> str:
    """Why nothing can be proposed, from the tools' own exclusion reasons (most common first)."""
    where = next((r.place for r in turn.reports if r.place), None) or "the catalog"
    what = {"restaurant": "restaurant", "stay": "place to stay"}.get(kind, "option")
    cuisine = turn.understood().cuisine if kind == "restaurant" else None
    what = f"{cuisine.title()} {what}" if cuisine else what
    reasons = Counter(e.reason.split(" (")[0] for r in turn.reports for e in r.excluded)
    if not reasons:
        return f"No {what} in {where} fits the request."
    why = "; ".join(f"{reason} ({count})" for reason, count in reasons.most_common(3))
    total = sum(reasons.values())
    none = f"No {what} in {where} meets every need and the request ({total} excluded: {why}); I will not propose one."
    return none + _closest_over_budget(turn)


_OVER_BUDGET = re.compile(r"above the budget \(EUR (\d+)\)")


def _closest_over_budget(turn: TurnContext) -> str:
    """The cheapest stay a per-night cap left out, named so the user can raise the cap ("80 euros max per night" in
    Lyon: the guesthouse at EUR 109); empty when the budget excluded none."""
    over = [(int(m.group(1)), e.name) for r in turn.reports for e in r.excluded if (m := _OVER_BUDGET.match(e.reason))]
    if not over:
        return ""
    price, name = min(over)
    return f" The closest is {name} at EUR {price}/night; say a higher budget to plan it."


def _fill_when_and_who(plan: Plan, request: TurnRequest, now: dt.datetime, chosen: Option) -> None:
    assumed: list[str] = []
    plan.date = request.date
    if plan.date is None:
        plan.date = now.date() + dt.timedelta(days=1)
        assumed.append("date")
    plan.party_size = request.party_size
    if plan.party_size is None:
        plan.party_size = DEFAULT_PARTY
        assumed.append("party size")
    if chosen.kind == "restaurant":
        plan.time = chosen.booking_time
        if plan.time is None:
            plan.problems.append(
                f"{chosen.name} has no table for {plan.meal} at the time asked ({chosen.opening_hours})."
            )
        elif request.time is None:
            assumed.append("time")
    else:
        plan.nights = request.nights
        if plan.nights is None:
            plan.nights = DEFAULT_NIGHTS.get(request.intent, 2)
            assumed.append("nights")
    plan.assumed = assumed


def _when(plan: Plan) -> str:
    day = f"{plan.date:%A} {plan.date.day} {plan.date:%B %Y}" if plan.date else "a date to confirm"
    return f"{day} at {plan.time:%H:%M}" if plan.time else day


def compose_draft(plan: Plan, user: str) -> Draft | None:
    """The message to the chosen venue, built only from the plan's fields."""
    venue = plan.chosen
    if plan.status != "planned" or venue is None or not venue.contact:
        return None
    people = party_words(plan.party_size or DEFAULT_PARTY)
    if venue.kind == "restaurant":
        subject = f"Table for {plan.party_size}, {_when(plan)} - {venue.name}"
        ask = f"I would like to reserve a table for {people} for {plan.meal} on {_when(plan)}."
    else:
        nights = counted(plan.nights, "night", "nights") if plan.nights else "some nights"
        subject = f"Booking enquiry: {nights} from {_when(plan)} - {venue.name}"
        ask = f"I would like to book {_a(venue.summary.split(',')[0])} for {nights} from {_when(plan)}"
        ask += f", for {people}."
    lines = [f"Hello {venue.name} team,", "", ask]
    if plan.needs:  # the party's needs, to confirm one by one (never the venue's own notes quoted back to it)
        lines += ["", "Our party has these needs:"] + [f"- {n.phrase(user)}" for n in plan.needs]
        lines.append("Could you confirm that you can meet each of them, and the booking?")
    else:
        lines.append("Could you confirm availability?")
    lines += ["", "Thank you,", f"{user} (via Concierge)"]
    return Draft(to=venue.contact, subject=subject, body="\n".join(lines))


@cache
def _english() -> inflect.engine:
    import inflect

    return inflect.engine()


def _a(noun: str) -> str:
    """ "a hotel", "an apartment" (inflect knows English articles, including the hard cases)."""
    return _english().a(noun)


def _normal(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip().lower()


def draft_problems(draft: Draft, plan: Plan, user: str, message: str) -> list[str]:
    """Why a model's draft cannot be sent (empty: it may): not addressed to the chosen venue's contact, a need,
    the date, the time or the party size not stated, or the user's message quoted to the venue."""
    composed = compose_draft(plan, user)
    if composed is None:
        return []  # nothing to send: any draft is set aside, not corrected
    problems = [] if draft.to == composed.to else [f"address the draft to {composed.to}, not {draft.to or 'nobody'}"]
    body = _normal(f"{draft.subject}\n{draft.body}")
    required = {f"need {n.label}": n.label for n in plan.needs} | {"party size": str(plan.party_size or "")}
    if plan.time:
        required["time"] = f"{plan.time:%H:%M}"
    if plan.date:
        required["date"] = str(plan.date.day)
    problems += [
        f"state the {what} ({value})" for what, value in required.items() if value and _normal(value) not in body
    ]
    if len(message) > 20 and _normal(message) in body:
        problems.append("never quote the user's message to the venue")
    return problems


def checked_draft(model_draft: Draft | None, plan: Plan, user: str, message: str) -> Draft | None:
    """The model's draft if it is complete and addressed right; else the one composed from the plan."""
    composed = compose_draft(plan, user)
    if composed is None or model_draft is None:
        return composed
    return composed if draft_problems(model_draft, plan, user, message) else model_draft
