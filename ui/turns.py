"""Chat turns run beside the page, not inside it, so no rerun can drop one.

Streamlit stops a running script as soon as the browser sends anything new (a message in another pane, a
click): a turn that ran inside the script stopped with it, its message and reply vanished, and whether its
memories were stored depended on where it was stopped. Here a sent message becomes a ``Turn`` in its pane's
history at once, in the same step that reads it, and runs in a worker thread the script does not own. Each
pane has one worker, so its turns run in the order sent ("waiting for alice's previous turn"); panes run side
by side. The worker only fills the turn's fields; the page reads them on every run and waits for them
(``wait_for_turns``) with a short sleep between redraws, each redraw a point where a new event can stop it.
"""

from __future__ import annotations

import logging
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from concierge import ConciergeError, ConciergeService, Reply, Scope, TranscriptTurn

logger = logging.getLogger(__name__)

QUEUED = "waiting for the previous turn"


@dataclass(slots=True, eq=False)
class Turn:
    """One message and, once its worker is done, its reply or error (or a turn read back from a transcript)."""

    message: str
    reply: Reply | None = None
    error: str | None = None
    kept: TranscriptTurn | None = None  # a turn of a reopened session, read from its transcript
    stage: str = QUEUED  # what the worker is doing, in words
    done: threading.Event = field(default_factory=threading.Event)

    @property
    def pending(self) -> bool:
        return not self.done.is_set()


def finished(message: str, kept: TranscriptTurn) -> Turn:
    """A turn of an earlier session, as its transcript kept it."""
    turn = Turn(message, kept=kept, stage="done")
    turn.done.set()
    return turn


class TurnRunner:
    """One pane's worker: its turns run one at a time, in order, whatever the page does meanwhile."""

    def __init__(self, user_id: str) -> None:
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix=f"turn-{user_id}")

    def submit(self, service: ConciergeService, scope: Scope, turn: Turn) -> None:
        self._pool.submit(_run, service, scope, turn)


def _run(service: ConciergeService, scope: Scope, turn: Turn) -> None:
    """The turn, start to end: the reply, then its transcript record; never raises (the page shows the error)."""

    def progress(stage: str) -> None:
        turn.stage = stage

    try:
        progress("the crew is working")
        reply = service.chat(scope, turn.message, progress=progress)
        turn.reply = reply  # shown even if keeping the transcript fails below
        progress("keeping the transcript")
        service.save_transcript(scope, turn.message, reply)
    except ConciergeError as exc:
        if turn.reply is None:
            turn.error = str(exc)
        else:
            logger.warning("a turn's transcript could not be kept: %s", exc)
    except Exception as exc:  # a bug: say so in the pane, details in the server log
        logger.exception("chat turn failed")
        if turn.reply is None:
            turn.error = f"Unexpected error ({type(exc).__name__}); the details are in the server log."
    finally:
        turn.stage = "done"
        turn.done.set()
