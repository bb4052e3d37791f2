"""Erasing a user, in one place: every store the app writes, and the one it stops writing.

``forget`` (``erase_user``) removes, for one user in one project:

- their memory rows (every session, expired or not), mem0's entity rows for them and mem0's
  in-process window of their recent messages (``Mem0OssBackend.forget``; the platform's
  delete-all on Mem0 Cloud);
- crewAI's task-output store: crewAI writes each task's output (the plan and the draft, with the
  user's needs) and the kickoff inputs to ``latest_kickoff_task_outputs.db`` for ``crew.replay``,
  which the app never uses. ``keep_crew_task_outputs_in_memory`` stops that file being written; a
  copy left by an earlier version is deleted here and when the crew is first set up;
- the process's query-vector cache and spaCy parse cache, whose keys are users' message texts (the catalog
  search shares the query-vector cache).

The app writes no export to disk (the CLI prints it, the UI hands it to the browser) and keeps no
other copy: the catalog's vector cache holds catalog entries only.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from concierge import embeddings
from concierge.needs import nlp
from concierge.scope import Scope

if TYPE_CHECKING:
    from concierge.memory.layer import ConciergeMemory

logger = logging.getLogger(__name__)
CREW_TASK_OUTPUTS = "latest_kickoff_task_outputs.db"


@dataclass(frozen=True, slots=True)
class Erasure:
    """What one ``erase_user`` removed."""

    memories: int
    task_output_files: int


def erase_user(memory: ConciergeMemory, scope: Scope) -> Erasure:
    """Forget one user in one project everywhere the app keeps their data; other users' memories are untouched."""
    count = memory.forget(scope)
    removed = remove_crew_task_outputs()
    embeddings.forget_cached_queries()
    nlp.forget_parsed()
    return Erasure(memories=count, task_output_files=removed)


def crew_storage_dir() -> Path:
    """Where crewAI keeps its files: ``CREWAI_STORAGE_DIR`` (set under the data dir by ``runtime_env``)."""
    from crewai_core.paths import db_storage_path

    return Path(db_storage_path())


def remove_crew_task_outputs() -> int:
    """Delete crewAI's task-output database with its WAL and shared-memory files; return how many existed.

    The whole file goes, not only one user's rows: it is a replay cache of the latest kickoff that
    the app never reads, and deleting rows would leave their text in SQLite's free pages and WAL.
    """
    removed = 0
    for suffix in ("", "-wal", "-shm", "-journal"):
        path = crew_storage_dir() / f"{CREW_TASK_OUTPUTS}{suffix}"
        try:
            path.unlink()
            removed += 1
        except FileNotFoundError:
            continue
    return removed


def keep_crew_task_outputs_in_memory() -> None:
    """Make every crewAI ``Crew`` keep its task outputs in the Crew object instead of a SQLite file. Idempotent.

    crewAI has no switch for this store: ``Crew`` builds a ``TaskOutputStorageHandler`` (which opens
    the file) for every instance, so the default is replaced with an in-memory handler; replay
    within a process still works. Called once per process before the first crew is built.
    """
    from concierge.lean_imports import import_crewai

    import_crewai()
    from crewai import Crew
    from crewai.utilities.task_output_storage_handler import TaskOutputStorageHandler

    private = Crew.__private_attributes__["_task_output_handler"]
    if getattr(private.default_factory, "in_memory", False):
        return

    class InMemoryTaskOutputs(TaskOutputStorageHandler):
        """crewAI's log of one kickoff's task outputs, held by the Crew only."""

        in_memory = True

        def __init__(self) -> None:
            self._outputs: dict[int, dict[str, Any]] = {}

        def add(
            self,
            task: Any,
            output: dict[str, Any],
            task_index: int,
            inputs: dict[str, Any] | None = None,
            was_replayed: bool = False,
        ) -> None:
            self._outputs[task_index] = {
                "task_id": str(task.id),
                "task_key": task.key,
                "expected_output": task.expected_output,
                "output": output,
                "task_index": task_index,
                "inputs": inputs or {},
                "was_replayed": was_replayed,
            }

        def update(self, task_index: int, log: dict[str, Any]) -> None:
            if log.get("was_replayed", False) and task_index in self._outputs:
                self._outputs[task_index].update(output=log["output"], inputs=log["inputs"], was_replayed=True)
            else:
                self.add(**log)

        def reset(self) -> None:
            self._outputs.clear()

        def load(self) -> list[dict[str, Any]]:
            return [self._outputs[i] for i in sorted(self._outputs)]

    private.default_factory = InMemoryTaskOutputs
    if remove_crew_task_outputs():
        logger.info("deleted crewAI's task-output file left by an earlier version")
