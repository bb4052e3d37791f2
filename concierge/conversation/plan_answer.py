"""The answer to "what's the plan?", "what time is it booked for?", "where are we eating?": the session's own plan.

Why: a question about the plan is not a request to change or clear it ("what's the plan?" read close to "scrap
the plan" and cancelled it). The answer is read from this session's state alone (its typed plan: where, when,
who, the needs it keeps to, the draft's status), so another user, or another session, sees nothing of it; the
plan and its draft are left exactly as they were.
"""

from __future__ import annotations

from concierge.conversation.state import DRAFT_STATUS_WORDS, SessionState
from concierge.crew.outputs import party_words

NO_PLAN_YET = (
    "There is no plan in this session yet; nothing is booked. Tell me what you would like, for example "
    '"dinner in Lyon tomorrow at 8pm for two".'
)


def answer_plan_question(state: SessionState | None, user: str) -> str:
    """The session's plan, field by field; one line saying there is none when the session has no plan."""
    if state is None or state.request is None:
        cancelled = state is not None and state.draft_status == "cancelled"
        return "The plan of this session was cancelled; nothing is booked." if cancelled else NO_PLAN_YET
    request, plan = state.request, state.plan
    if plan is None or plan.chosen is None:
        return f"Nothing is planned yet: {state.summary}"
    venue = plan.chosen
    day = plan.date or request.date
    when = f"{plan.meal or request.intent} on {day:%A %d %B %Y}" if day else f"{plan.meal or request.intent}"
    at = plan.time or request.time
    lines = [
        f"The plan so far, for {user}:",
        f"- where: {venue.name} ({venue.summary}, {venue.city}, {venue.price})",
        f"- when: {when}{f' at {at:%H:%M}' if at else ''}",
    ]
    party = plan.party_size or request.party_size
    lines.append(f"- who: {party_words(party)}" if party else "- who: party size not said yet")
    if plan.nights:
        lines.append(f"- nights: {plan.nights}")
    needs = ", ".join(n.phrase(user) for n in plan.needs)
    lines.append(f"- needs kept to: {needs}" if needs else "- needs kept to: none on file")
    lines.append(f"- booking: {DRAFT_STATUS_WORDS[state.draft_status]}")
    lines.append("Nothing was changed.")
    return "\n".join(lines)
