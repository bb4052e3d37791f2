"""Whose needs a plan keeps to: the user's own always, a companion's only when someone comes along.

The needs held are everyone's the user told us of ("My colleague Ana is allergic to fish"); a companion's need is
kept to whenever the party may include them, which is safe when unsure. A party of one said by the user ("just me",
"solo", "table for one") brings no companion, so only the user's own needs apply. The user's needs come from their
own scope in code and are never dropped here.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from concierge.crew.outputs import NeedNote
from concierge.needs import DetectedNeed
from concierge.needs.detect import USER
from concierge.request import TurnRequest


def needs_of_those_coming(needs: Sequence[DetectedNeed], request: TurnRequest) -> list[DetectedNeed]:
    """``needs`` without the companions' when the request's party is the user alone."""
    if request.party_size != 1:
        return list(needs)
    return [need for need in needs if need.holder == USER]


def not_coming_note(read_needs: Callable[[], Sequence[DetectedNeed]], request: TurnRequest, user: str) -> str | None:
    """The companions' needs a party of one leaves out, said in the plan so a wrong party can be corrected
    ("actually Ana is coming"); None when nothing is left out (``read_needs`` is read only for a party of one)."""
    if request.party_size != 1:
        return None
    left = [NeedNote(need_id=n.need_id, label=n.label, holder=n.holder) for n in read_needs() if n.holder != USER]
    return ("Not applied, as you go alone: " + "; ".join(n.phrase(user) for n in left)) if left else None
