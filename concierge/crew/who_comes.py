"""Whose needs a plan keeps to: the user's own always, a companion's only when they may come along.

The needs held are everyone's the user told us of ("My colleague Ana is allergic to fish"); a companion's need is
kept to whenever the party may include them, which is safe when unsure. A party of one said by the user ("just me",
"solo", "table for one") brings no companion, so only the user's own needs apply; a party listed in full with the
user in it ("for me and my sister", ``concierge.needs.holders_party``) brings only the companions it may name. The
user's needs come from their own scope in code and are never dropped here; what is left out is said in the plan.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from concierge.crew.outputs import NeedNote
from concierge.needs import DetectedNeed
from concierge.needs.detect import PRONOUN_ONLY, UNNAMED_COMPANION, USER
from concierge.needs.holders_party import party_listed
from concierge.request import TurnRequest

_ANYONE = frozenset({UNNAMED_COMPANION, PRONOUN_ONLY})  # someone of the party nobody named


def _may_come(need: DetectedNeed, request: TurnRequest, said: str) -> bool:
    """Whether the holder of ``need`` may be in the party ``request`` (and the words ``said``) describe."""
    if need.holder == USER:
        return True
    if request.party_size == 1:
        return False
    if need.holder in _ANYONE:
        return True
    party = party_listed(said) if said else None
    if party is None or (request.party_size is not None and request.party_size != party.size):
        return True  # nobody listed, or more people than those named: anyone may come
    return party.may_be(need.holder)


def needs_of_those_coming(needs: Sequence[DetectedNeed], request: TurnRequest, said: str = "") -> list[DetectedNeed]:
    """``needs`` without the companions' who cannot be in the party: a party of one, or a party ``said`` in full
    ("for me and my sister") that does not name them."""
    return [need for need in needs if _may_come(need, request, said)]


def not_coming_note(
    read_needs: Callable[[], Sequence[DetectedNeed]], request: TurnRequest, user: str, said: str = ""
) -> str | None:
    """The companions' needs the party leaves out, said in the plan so a wrong party can be corrected ("actually
    Ana is coming"); None when nothing is left out (``read_needs`` is read only when someone may be left out)."""
    if request.party_size != 1 and (not said or party_listed(said) is None):
        return None
    left = [
        NeedNote(need_id=n.need_id, label=n.label, holder=n.holder)
        for n in read_needs()
        if not _may_come(n, request, said)
    ]
    if not left:
        return None
    why = "as you go alone" if request.party_size == 1 else "as they are not in the party you named"
    return f"Not applied, {why}: " + "; ".join(n.phrase(user) for n in left)
