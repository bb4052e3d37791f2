"""The answer to "what must the kitchen avoid for me?": the user's active needs, from their own memories."""

from __future__ import annotations

from collections.abc import Sequence

from concierge.needs import DetectedNeed


def answer_needs_question(needs: Sequence[DetectedNeed], user: str) -> str:
    """Every active need of the user and of the people they told us about; a plain line when there is none.

    ``needs`` are read by the same rule that decides the needs a booking honours (``ConciergeService.user_needs``),
    so the answer and the next plan never disagree."""
    active = [n for n in needs if n.active]
    mine = list(dict.fromkeys(n.label for n in active if n.holder == "user"))
    others: dict[str, list[str]] = {}
    for need in active:
        if need.holder != "user":
            others.setdefault(need.holder, []).append(need.label)
    if not mine and not others:
        return f"I have no dietary or access needs on file for {user}. Tell me any, and every booking will honour them."
    lines = [
        f"Every venue I book for {user} must respect: {', '.join(mine)}."
        if mine
        else f"No needs of your own on file, {user}."
    ]
    lines += [f"- your {who}: {', '.join(dict.fromkeys(labels))}" for who, labels in others.items()]
    lines.append("These come from what you told me; nothing was booked.")
    return "\n".join(lines)
