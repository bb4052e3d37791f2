"""Plain text for people, rendered from typed fields (the wording may change freely; fields do not)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from pydantic import BaseModel

from concierge.crew.itinerary_models import Itinerary
from concierge.crew.outputs import Draft, Findings, Option, Plan, counted, party_words
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


# Output models with a richer view of their own (the plan, the draft, the research the plan cites).
RICH_VIEWS: tuple[type[BaseModel], ...] = (Findings, Plan, Draft)


def _value_lines(value: Any, indent: str) -> list[str]:
    if isinstance(value, BaseModel):
        return render_fields(value, indent)
    if isinstance(value, list | tuple):
        return [line for item in value for line in _item_lines(item, indent)]
    return [f"{indent}{value}"]


def _item_lines(item: Any, indent: str) -> list[str]:
    lines = _value_lines(item, indent + "  ")
    return [f"{indent}- {lines[0].strip()}", *lines[1:]] if lines else []


def render_fields(model: BaseModel, indent: str = "") -> list[str]:
    """Any output model, field by field ("name: value"; lists one item a line; nested models indented)."""
    lines: list[str] = []
    for name in type(model).model_fields:
        value = getattr(model, name)
        if value in (None, "", [], ()):
            continue
        nested = isinstance(value, BaseModel | list | tuple)
        shown = _value_lines(value, indent + "  ")
        lines += [f"{indent}{name}:", *shown] if nested else [f"{indent}{name}: {value}"]
    return lines


def render_outputs(outputs: Mapping[str, BaseModel]) -> str:
    """The typed outputs of tasks without a richer view (your own agents' tasks), each under its task name."""
    blocks = []
    for task, output in outputs.items():
        if not isinstance(output, RICH_VIEWS):
            blocks.append("\n".join([f"{task}:", *(render_fields(output, "  ") or ["  (empty)"])]))
    return "\n\n".join(blocks)
