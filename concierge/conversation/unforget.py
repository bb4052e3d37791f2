"""An undo right after a forget request ("forget my peanut allergy", then "wait, no, keep it"): the memories it
deleted come back.

Why: a forget by chat deletes at once (``concierge.memory.forgetting``), and the very next message may say it was a
slip ("undo", "scratch that", "oops, I didn't mean that", "no, don't forget it"). The session keeps what the forget
deleted for one turn (``SessionState.forgot``: each memory's text and whether it was a session copy), like a
retraction a jest may take back (``concierge.conversation.jest``). An undo in the next turn adds exactly those
texts back, verbatim (no extraction), for the same user; a need among them is current again. Only the next turn of
the same session: the state is the session's own (another user's session id reads nothing), and any other turn
forgets it, so a second undo or one two turns later adds nothing.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from typing import TYPE_CHECKING

from concierge.conversation.state import ForgotMemory

if TYPE_CHECKING:
    from concierge.memory.layer import ConciergeMemory
    from concierge.memory.records import MemoryRecord
    from concierge.scope import Scope


def kept_for_undo(deleted: Sequence[MemoryRecord]) -> list[ForgotMemory]:
    """What the session keeps of the memories a forget deleted: enough to add each back (identical texts once)."""
    kept: dict[tuple[str, bool], ForgotMemory] = {}
    for record in deleted:
        memory = ForgotMemory(text=record.text, session_only=record.run_id is not None)
        kept.setdefault((memory.text, memory.session_only), memory)
    return list(kept.values())


def unforget(memory: ConciergeMemory, scope: Scope, forgot: Sequence[ForgotMemory]) -> str:
    """Add back what the last turn forgot, for the user of ``scope``; the answer lists what is remembered again.

    A long-term fact comes back long-term and not as said in this session (so a later "scratch that" does not take
    it for the newest statement); a session copy comes back in the session."""
    long_term = dataclasses.replace(scope, run_id=None)
    back: list[str] = []
    for item in forgot:
        where = scope if item.session_only else long_term
        added = memory.add(where, item.text, infer=False, session_only=item.session_only)
        back += [r.text for r in added.stored] or [d.text for d in added.dropped]
    if not back:
        return "I could not bring back what your last message had me forget; please tell me again."
    lines = "\n".join(f'- "{text}"' for text in dict.fromkeys(back))
    return f"Undone: I remember again:\n{lines}"
