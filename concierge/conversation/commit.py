"""A chat turn's writes as one unit: nothing is written until the turn has succeeded, and a failed write
leaves nothing behind.

A turn writes two things: what the user's message says (facts, through mem0's extraction) and the session's
new state (plan, draft, status). Saving the state first, as the turn used to, left a plan "waiting for
your OK" in the session when the extraction then failed (a 500 from the model endpoint): the user saw an
error, and the next turn acted on a plan they were never shown. Here the turn only *collects* the state;
``TurnWrites.commit`` stores the message first (the step a model can fail), then the state; if the state
cannot be written, the facts just stored are retracted again (what they superseded is current again).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

from concierge.conversation.state import SessionState, save_state
from concierge.memory.layer import ConciergeMemory
from concierge.memory.records import AddResult
from concierge.scope import Scope

logger = logging.getLogger(__name__)


@dataclass
class TurnWrites:
    """What one turn will write for ``scope``; ``commit`` is the only place it is written."""

    memory: ConciergeMemory
    scope: Scope
    state: SessionState | None = None  # the session's next state, if the turn changed it

    def commit(self, store_message: Callable[[], AddResult]) -> AddResult:
        """Store the message (``store_message`` raises on a model or store failure: nothing is written), then
        the session state; a failed state write takes the message's new facts back out before it raises."""
        added = store_message()
        if self.state is None:
            return added
        try:
            save_state(self.memory, self.scope, self.state)
        except Exception:
            self._undo(added)
            raise
        return added

    def _undo(self, added: AddResult) -> None:
        for record in added.stored:
            try:
                self.memory.retract(self.scope, record.id)
            except Exception:  # the store is failing already; the original error is the one to report
                logger.warning("a fact of a failed turn could not be taken back; it stays stored")
