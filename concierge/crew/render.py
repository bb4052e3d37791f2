"""Plain text for people, rendered from typed fields (the wording may change freely; fields do not)."""

from __future__ import annotations

from collections.abc import Sequence

from concierge.crew.itinerary_models import Itinerary
from concierge.crew.outputs import Option, Plan, counted, party_words
from concierge.memory.records import MemoryRecord


def _nights(nights: int | None) -> str:
    return counted(nights, "night", "nights") if nights else "nights to confirm"


def _party(plan: Plan) -> str:
    return party_words(plan.party_size) if plan.party_size else "party size to confirm"


def _option(option: Option) -> str:
    details = ", ".join(x for x in (option.summary, option.price) if x)
    return f"{option.name} ({details}) [{option.id}]"


def render_plan(plan: Plan, user: str) -> str:
    lines: list[str] = []
    if plan.status == "suggestions":
        lines.append("Destinations from our catalog that fit:")
        for d in plan.suggestions:
            months = ", ".join(d.best_months)
            lines.append(f"- {d.name}, {d.country}: {d.summary} Best months: {months}.")
    elif plan.chosen is not None:
        first = plan.chosen
        lines.append(f"Plan for {user} in {first.city}, {first.country}")
        lines.append(f"First choice: {_option(first)}")
        if first.kind == "restaurant":
            time = f" at {plan.time:%H:%M}" if plan.time else ""
            lines.append(f"When: {plan.meal} on {plan.date:%A %d %B %Y}{time}, {_party(plan)}")
            lines.append(f"Opening hours: {first.opening_hours}")
        else:
            lines.append(f"When: {_nights(plan.nights)} from {plan.date:%A %d %B %Y}, {_party(plan)}")
        lines += [f"Backup: {_option(b)}" for b in plan.backups]
        if plan.destination is not None:
            d = plan.destination
            lines.append(
                f"Destination: {d.name}; best months {', '.join(d.best_months)}; airports {', '.join(d.airports)}"
            )
    if plan.needs:
        lines.append("Needs applied: " + "; ".join(n.phrase(user) for n in plan.needs))
    if plan.assumed:
        lines.append(f"Assumed (tell me if different): {', '.join(plan.assumed)}")
    lines += [f"Note: {n}" for n in plan.notes]
    lines += [f"Why: {r}" for r in plan.reasons]
    lines += [f"Problem: {p}" for p in plan.problems]
    return "\n".join(lines)


def render_memories(records: Sequence[MemoryRecord], category_order: Sequence[str]) -> str:
    """What we remember about the user, grouped by category (the answer to "what do you know about me?")."""
    if not records:
        return "I don't remember anything about you yet."
    groups: dict[str, list[str]] = {}
    for record in records:
        groups.setdefault(record.categories[0] if record.categories else "other", []).append(record.text)
    order = [c for c in category_order if c in groups] + sorted(set(groups) - set(category_order))
    lines = ["Here is what I remember about you:"]
    for category in order:
        lines.append(f"{category.replace('_', ' ')}:")
        lines += [f"- {text}" for text in groups[category]]
    return "\n".join(lines)


def render_itinerary(trip: Itinerary) -> str:
    """The day-by-day plan: the stay, each day's meals with times, needs, travel notes, what was assumed."""
    last = trip.days[-1].date if trip.days else trip.end
    lines = [
        f"Itinerary for {trip.user} in {trip.city}, {trip.country}: {len(trip.days)} days, "
        f"{trip.start:%A %d %B %Y} to {last:%A %d %B %Y}, {party_words(trip.party_size)}"
    ]
    if trip.stay is not None:
        lines.append(f"Stay: {_option(trip.stay)}, {_nights(trip.nights)} from {trip.start:%A %d %B}")
    for day in trip.days:
        lines.append(f"Day {day.day}, {day.date:%A %d %B}:")
        for slot in day.meals:
            if slot.venue is None:
                lines.append(f"  {slot.meal}: nothing booked ({slot.problem})")
                continue
            again = " (again)" if slot.repeated else ""
            party = f", {party_words(slot.party_size)}" if slot.party_size else ""
            lines.append(f"  {slot.meal} at {slot.time:%H:%M}{party}: {_option(slot.venue)}{again}")
    if trip.needs:
        lines.append("Needs applied to every booking: " + "; ".join(n.phrase(trip.user) for n in trip.needs))
    lines += [f"Travel: {note}" for note in trip.travel_notes]
    if trip.assumed:
        lines.append(f"Assumed (tell me if different): {', '.join(trip.assumed)}")
    lines += [f"Problem: {p}" for p in trip.problems]
    drafts = trip.drafts()
    if drafts:
        lines.append(f"{len(drafts)} booking requests drafted (the stay and each table), ready to send.")
    return "\n".join(lines)
