"""One reply as an audience reads it: the plan card on top, a trip's days as a table, drafts folded, memory chips.

Every value comes from the reply's typed fields (plan, itinerary, drafts, memories); the answer's full text is
folded under the card. Any other task's typed output (an agent you added) follows, field by field
(ui/outputs.py). User-derived text (memories, messages) is never markdown: plain text, or escaped HTML for the
chips (see ui/text.py).
"""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import streamlit as st
from pydantic import BaseModel

from concierge import Draft, Itinerary, MemoryRecord, Option, Plan, Reply, TranscriptTurn, counted, party_words
from ui.outputs import show_outputs
from ui.text import md_escape

_CHIP = (
    "display:inline-block;margin:0 .3rem .3rem 0;padding:.05rem .55rem;border-radius:.8rem;"
    "font-size:.8rem;line-height:1.5;background:{bg};color:{fg};"
)
_USED = _CHIP.format(bg="#e8f0fe", fg="#1a3d7c")
_STORED = _CHIP.format(bg="#e6f4ea", fg="#1e5631")


@dataclass(frozen=True, slots=True)
class Shown:
    """What a reply shows, from a live ``Reply`` or from a reopened session's transcript."""

    user: str
    answer: str
    plan: Plan | None = None
    itinerary: Itinerary | None = None
    drafts: Sequence[Draft] = ()
    used: Sequence[str] = ()
    stored: Sequence[str] = ()
    seconds: float | None = None
    outputs: Mapping[str, BaseModel] = field(default_factory=dict)  # every task's typed output, by task name
    reply: Reply | None = field(default=None, repr=False)  # live turns: the details (dropped, forgotten, stages)

    @classmethod
    def of_reply(cls, reply: Reply) -> Shown:
        drafts = reply.itinerary.drafts() if reply.itinerary else ([reply.draft] if reply.draft else [])
        return cls(
            user=reply.user_id,
            answer=reply.answer,
            plan=reply.plan,
            itinerary=reply.itinerary,
            drafts=drafts,
            used=[m.text for m in reply.memories_used],
            stored=[m.text for m in reply.memories_stored],
            seconds=reply.timings_ms.get("total", 0.0) / 1000,
            outputs=reply.outputs,
            reply=reply,
        )

    @classmethod
    def of_transcript(cls, user: str, kept: TranscriptTurn) -> Shown:
        drafts = kept.itinerary.drafts() if kept.itinerary else ([kept.draft] if kept.draft else [])
        return cls(user, kept.answer, kept.plan, kept.itinerary, drafts, kept.used, kept.stored, kept.seconds)

    @property
    def has_card(self) -> bool:
        plan = self.plan
        return self.itinerary is not None or (plan is not None and (plan.chosen is not None or bool(plan.suggestions)))


def _option(option: Option) -> str:
    details = ", ".join(x for x in (option.summary, option.price) if x)
    return f"{option.name} ({details})" if details else option.name


def _lines(pairs: list[tuple[str, str]]) -> None:
    """Label and value pairs, one per line; values escaped (catalog names and need labels, never free text)."""
    st.markdown("  \n".join(f"**{label}:** {md_escape(value)}" for label, value in pairs if value))


def _plan_pairs(plan: Plan, user: str) -> list[tuple[str, str]]:
    venue = plan.chosen
    assert venue is not None
    day = f"{plan.date:%A %d %B}" if plan.date else "date to confirm"
    if venue.kind == "restaurant":
        when = f"{plan.meal or 'table'}, {day}" + (f" at {plan.time:%H:%M}" if plan.time else "")
    else:
        when = f"{counted(plan.nights, 'night', 'nights') if plan.nights else 'nights to confirm'} from {day}"
    return [
        ("Venue", f"{_option(venue)}, {venue.city}"),
        ("When", when),
        ("Party", party_words(plan.party_size) if plan.party_size else "to confirm"),
        ("Needs applied", "; ".join(n.phrase(user) for n in plan.needs) or "none stated"),
        ("Assumed", ", ".join(plan.assumed)),
        ("Backups", " · ".join(_option(b) for b in plan.backups)),
    ]


def _trip_pairs(trip: Itinerary) -> list[tuple[str, str]]:
    last = trip.days[-1].date if trip.days else trip.end
    return [
        ("When", f"{len(trip.days)} days, {trip.start:%a %d %b} to {last:%a %d %b %Y}"),
        ("Stay", f"{_option(trip.stay)}, {counted(trip.nights, 'night', 'nights')}" if trip.stay else "none found"),
        ("Party", party_words(trip.party_size)),
        ("Needs applied", "; ".join(n.phrase(trip.user) for n in trip.needs) or "none stated"),
        ("Assumed", ", ".join(trip.assumed)),
    ]


def day_table(trip: Itinerary) -> list[dict[str, str]]:
    """One row per day, one column per meal: the venue and the table time ("(again)" when it repeats)."""
    rows = []
    for day in trip.days:
        row = {"day": f"{day.day} · {day.date:%a %d %b}"}
        for slot in day.meals:
            if slot.venue is None:
                row[slot.meal] = "nothing fits"
            else:
                time = f"{slot.time:%H:%M} " if slot.time else ""
                row[slot.meal] = f"{time}{slot.venue.name}" + (" (again)" if slot.repeated else "")
        rows.append(row)
    return rows


def render_card(shown: Shown) -> None:
    """The plan card: what was planned, for whom, with which needs, and what to choose from."""
    with st.container(border=True):
        if shown.itinerary is not None:
            trip = shown.itinerary
            st.markdown(f":material/luggage: **Itinerary for {md_escape(trip.user)} in {trip.city}, {trip.country}**")
            _lines(_trip_pairs(trip))
            st.dataframe(day_table(trip), hide_index=True, width="stretch")
        elif shown.plan is not None and shown.plan.chosen is not None:
            plan, venue = shown.plan, shown.plan.chosen
            icon = ":material/restaurant:" if venue.kind == "restaurant" else ":material/hotel:"
            st.markdown(f"{icon} **Plan for {md_escape(shown.user)} in {venue.city}, {venue.country}**")
            _lines(_plan_pairs(plan, shown.user))
        elif shown.plan is not None:
            st.markdown(":material/travel_explore: **Destinations that fit: choose one**")
            _lines([(d.name, f"{d.country}; best months {', '.join(d.best_months)}") for d in shown.plan.suggestions])
        problems = (shown.itinerary.problems if shown.itinerary else ()) or (shown.plan.problems if shown.plan else ())
        for problem in problems:
            st.markdown(f":orange[:material/warning: {md_escape(problem)}]")


def chips(label: str, texts: Sequence[str], style: str) -> None:
    """Small rounded labels; the texts are HTML-escaped, so a memory is shown exactly as written."""
    if texts:
        spans = "".join(f'<span style="{style}">{html.escape(text)}</span>' for text in texts)
        st.html(f'<div><span style="font-size:.8rem;opacity:.7;margin-right:.4rem">{label}</span>{spans}</div>')


def _memory_lines(records: list[MemoryRecord]) -> str:
    return "\n".join(f"- {m.text} ({', '.join(m.categories) or 'uncategorised'})" for m in records) or "- none"


def _details(reply: Reply) -> None:
    """Inside the memory expander: what the agents were shown, what was stored or dropped, and the stages' times."""
    st.caption("Used by the agents")
    st.text(_memory_lines(reply.memories_used))
    st.caption("Stored from this message")
    st.text(_memory_lines(reply.memories_stored))
    for text, reason in reply.dropped:
        st.text(f"not stored ({reason}): {text}")
    if reply.forgotten is not None and reply.forgotten.deleted:
        st.caption("Forgotten by this message")
        st.text(_memory_lines(list(reply.forgotten.deleted)))
    if reply.forgotten is not None and reply.forgotten.restored:  # a correction: earlier versions are back
        st.caption("Current again after this message")
        st.text(_memory_lines(list(reply.forgotten.restored)))
    stages = " · ".join(f"{k} {v / 1000:.1f} s" for k, v in reply.timings_ms.items() if k != "total")
    st.caption(f"Time per stage: {stages}")


def render_reply(shown: Shown) -> None:
    """The whole reply: card, answer (folded when the card says it), drafts, chips and the memory details."""
    if shown.has_card:
        render_card(shown)
        with st.expander("Full answer", icon=":material/notes:"):
            st.text(shown.answer)
    else:
        st.text(shown.answer)
    show_outputs(shown.outputs)  # your own agents' tasks (the built-in ones are the card and the drafts)
    if shown.drafts:
        mails = counted(len(shown.drafts), "booking e-mail", "booking e-mails")
        with st.expander(f"{mails} ready", icon=":material/mail:"):
            for draft in shown.drafts:
                st.code(draft.text(), language=None, wrap_lines=True)
    chips("used", shown.used, _USED)
    chips("stored", shown.stored, _STORED)
    answered = f"answered in {shown.seconds:.1f} s" if shown.seconds is not None else ""
    if shown.reply is not None:
        with st.expander(f"Memory: {len(shown.used)} used, {len(shown.stored)} stored · {answered}"):
            _details(shown.reply)
    else:
        st.caption(f"Memory: {len(shown.used)} used, {len(shown.stored)} stored · {answered} (earlier session)")
