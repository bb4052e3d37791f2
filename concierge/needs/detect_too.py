"""A need said by pointing back at the previous statement: "My son is allergic to eggs" then "My daughter too".

The detector copies a need to an elliptical clause within a message ("I'm vegan and so is my wife"); a message
that is only the elliptical clause ("My daughter too", "Same for my husband", "my son as well") is read after the
facts the previous message stated, and the needs it gives someone new are its own.
"""

from __future__ import annotations

from collections.abc import Sequence

from concierge.needs.detect import DetectedNeed, detect_needs


def said_too(message: str, before: Sequence[str]) -> list[DetectedNeed]:
    """The active needs ``message`` gives people by pointing back at ``before`` (the previous message's facts);
    [] when the message states needs of its own or points at nothing."""
    if not before or not message.strip() or detect_needs(message):
        return []
    earlier = " ".join(t.rstrip(". ") + "." for t in before)
    said = {(n.need_id, n.holder.casefold()) for n in detect_needs(earlier)}
    found = detect_needs(f"{earlier} {message}")
    return [n for n in found if n.active and (n.need_id, n.holder.casefold()) not in said]
