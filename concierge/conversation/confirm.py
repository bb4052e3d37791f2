""" "yes" to "Do you mean that peanut allergy no longer applies to you?": the need is taken back then.

Why: a retraction with anything in its company that could qualify it ("... Did that work?", "... That was a
test.", "..., is what my brother says") supersedes nothing, and the concierge asks (``unplain_question`` in
``concierge.needs.current``). The question is kept in the session (``SessionState.asked_retraction``) for one turn;
a plain "yes" next takes the need back: the memories that stated that need of that person when we asked (by id:
"Tom" may name two people), and nothing else, are deleted. A memory that states other needs too is left as it
is, and we ask for the retraction in plain words. Any other answer forgets the question (the next turn clears it).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from concierge.conversation.state import AskedRetraction

if TYPE_CHECKING:
    from concierge.memory.records import MemoryRecord
    from concierge.needs.detect import DetectedNeed
    from concierge.scope import Scope
    from concierge.service import ConciergeService

# Anchored at both ends, so nothing can qualify it; a question mark ("yes?", "right?") or a hesitant ellipsis
# ("...yes") is no answer.
_YES = re.compile(
    r"^[^\w.\u2026]*(?:yes|yep|yeah|yup|yes\s+i\s+do|i\s+do|correct|exactly|that'?s\s+right|right|indeed"
    r"|it\s+(?:doesn'?t|does\s+not|no\s+longer)\s+apply|it\s+no\s+longer\s+applies)"
    r"(?:[\s,!.]+(?:please|it\s+no\s+longer\s+applies|that'?s\s+right|correct|thanks|thank\s+you))*[\s.!]*$",
    re.IGNORECASE,
)


_NO = re.compile(
    r"^\W*(?:no|nope|nah|no\s+way|not\s+at\s+all|it\s+still\s+applies|it\s+(?:still\s+)?does(?:\s+apply)?|keep\s+it)"
    r"(?:[\s,!.]+(?:thanks|thank\s+you|"
    r"it\s+still\s+applies|keep\s+it))*\W*$",
    re.IGNORECASE,
)


def says_no(message: str) -> bool:
    """A plain no ("no", "nope, keep it", "no, it still applies")."""
    return bool(_NO.match(" ".join(message.split())))


def kept(asked: AskedRetraction) -> str:
    return f"Kept: {asked.label} still applies to {_whom(asked)}; nothing changed."


def _whom(asked: AskedRetraction) -> str:
    holder = asked.holder
    return "you" if holder.casefold() == "user" else (holder if holder[:1].isupper() else f"your {holder}")


def says_yes(message: str) -> bool:
    """A plain yes, with courtesy at most ("yes", "Yes please", "that's right", "yep, thanks")."""
    return bool(_YES.match(" ".join(message.split())))


def asked_about(need: DetectedNeed, records: Sequence[MemoryRecord]) -> AskedRetraction:
    """The question's need, with the memories that state it (the very statement the plan holds)."""
    from concierge.needs.current import statements

    ids = [r.id for r in records if any(s.need == need for s in statements(r.text))]
    return AskedRetraction(need_id=need.need_id, holder=need.holder, label=need.label, memory_ids=ids)


def _states(record: MemoryRecord) -> set[tuple[str, str]]:
    from concierge.needs.current import statements

    return {(s.need.need_id, s.need.holder.casefold()) for s in statements(record.text) if s.need.active}


def confirm_retraction(service: ConciergeService, scope: Scope, asked: AskedRetraction) -> str:
    """Take back the need asked about: delete the current memories that state it of that person, only it."""
    key, whom = (asked.need_id, asked.holder.casefold()), _whom(asked)
    stating = [r for r in service.memories(scope) if r.id in asked.memory_ids and key in _states(r)]
    if not stating:
        return f"I no longer keep {asked.label} for {whom}; nothing changed."
    if any(_states(r) != {key} for r in stating):
        return (
            f"What I remember of {asked.label} says more than that need, so I changed nothing. Tell me plainly, for "
            'example "I\'m not allergic to peanuts any more".'
        )
    for record in stating:
        service.memory.delete(scope, record.id)
    left = {r.id for r in service.memories(scope)} & {r.id for r in stating}
    if left:
        return f"I could not take {asked.label} back for {whom}; I kept it."
    return "\n".join(
        [f"Done: {asked.label} no longer applies to {whom}. I no longer remember:"] + [f"- {r.text}" for r in stating]
    )


__all__ = ["asked_about", "confirm_retraction", "kept", "says_no", "says_yes"]
