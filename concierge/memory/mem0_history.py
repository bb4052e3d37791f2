"""mem0's in-process side store (``Memory.db``), kept empty: nothing of a user lives outside the vector store.

mem0 keeps two things there besides the vector store:

- the last 10 messages per scope, sent to the model under "Last k Messages" with the next add.
  That copy outlives ``forget`` and delete in every other running process (a UI still holds a
  user's messages after the CLI forgot them) and outlives a session's expiry, and the model would
  be sent words the user asked us to erase. Each add here carries one whole message, so nothing is
  lost that the message does not say itself;
- a change history of every memory text (``Memory.history``), which the app never reads.

Neither is kept, so neither has to be erased.
"""

from __future__ import annotations

from typing import Any

from mem0.memory.storage import SQLiteManager


class NoHistory(SQLiteManager):
    """mem0's ``SQLiteManager`` (same tables, always empty) that stores no message and no change history."""

    def __init__(self) -> None:
        super().__init__(":memory:")

    def add_history(self, *args: Any, **kwargs: Any) -> None:
        """Not kept (see the module docstring)."""

    def batch_add_history(self, records: list[dict[str, Any]]) -> None:
        """Not kept (see the module docstring)."""

    def save_messages(self, messages: list[dict[str, Any]], session_scope: str) -> None:
        """Not kept (see the module docstring)."""
