"""The two memories an eval can run against: this project's Mem0 layer, and CrewAI's default Memory.

Both get the same steps and the same checks. Mem0 runs in a throw-away org namespace (its own
tables, dropped afterwards). CrewAI's default is what ``Crew(memory=True)`` gives an app: one
shared store with no user scope, here on LanceDB in a temp folder with the same MiniLM embedder
and the same offline fact extraction, so the only difference left is scoping.
"""

from __future__ import annotations

import shutil
import tempfile
import uuid
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from concierge.errors import InvalidInputError
from concierge.scope import Scope
from concierge.service import ConciergeService

if TYPE_CHECKING:
    from concierge.reply import Reply


@dataclass(frozen=True, slots=True)
class Found:
    text: str
    categories: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Version:
    """One stored version of a user's memory; ``superseded_at`` is set once a newer one replaced it."""

    text: str
    superseded_at: str | None


class EvalMemory(Protocol):
    name: str
    store: str  # shown in the report: which store (never a secret)
    model: str  # shown in the report: which model extracts facts (and runs the crew)

    def say(
        self, user: str, text: str, project: str | None, session: str | None, *, chat: bool = False
    ) -> Reply | None:
        """One user message as a chat turn; returns the reply when the crew or ``chat`` asks for it checked."""
        ...

    def restart(self) -> None:
        """Continue on a new service instance, as after a process restart (same store, same namespace)."""
        ...

    def search(self, user: str, query: str, top_k: int, project: str | None, category: str | None) -> list[Found]: ...

    def stored(self, user: str, project: str | None) -> list[str]: ...

    def versions(self, user: str, project: str | None) -> list[Version]:
        """Every stored version, current and superseded (history)."""
        ...

    def close(self) -> None: ...


class Mem0Eval:
    name = "mem0"

    def __init__(self, service: ConciergeService, *, crew: bool) -> None:
        if service.settings.backend == "cloud":
            raise InvalidInputError(
                "concierge eval creates and drops its own tables, which Mem0 Cloud does not allow; "
                "run it with CONCIERGE_MEMORY_BACKEND=embedded (or postgres/qdrant)"
            )
        self._service = service
        self._crew = crew
        described = service.settings.describe()
        self.store, self.model = described["store"], described["model"]
        self.org_id = f"eval-{uuid.uuid4().hex[:10]}"
        self._projects: set[str] = set()
        self._restarted: list[ConciergeService] = []  # instances this eval built (and closes)

    def _scope(self, user: str, project: str | None, session: str | None = None) -> Scope:
        project = project or self._service.settings.project_id
        self._projects.add(project)
        return Scope(self.org_id, project, user, session)

    def say(
        self, user: str, text: str, project: str | None, session: str | None, *, chat: bool = False
    ) -> Reply | None:
        scope = self._scope(user, project, session)
        # The same chat turn as the UI and the CLI: a forget request forgets, a question stores nothing.
        reply = self._service.chat(scope, text)
        return reply if self._crew or chat else None

    def restart(self) -> None:
        """A new ``ConciergeService`` on the same settings: nothing of the session is kept in the process."""
        fresh = ConciergeService.from_settings(self._service.settings)
        self._restarted.append(fresh)
        self._service = fresh

    def search(self, user: str, query: str, top_k: int, project: str | None, category: str | None) -> list[Found]:
        found = self._service.recall(self._scope(user, project), query, top_k=top_k, category=category)
        return [Found(r.text, r.categories) for r in found]

    def stored(self, user: str, project: str | None) -> list[str]:
        return [r.text for r in self._service.memories(self._scope(user, project))]

    def versions(self, user: str, project: str | None) -> list[Version]:
        every = self._service.memories(self._scope(user, project), latest_only=False)
        return [Version(r.text, r.superseded_at) for r in every]

    def close(self) -> None:
        for project in self._projects:
            self._service.memory.drop_project(self.org_id, project)
        for built in self._restarted:
            built.close()


class CrewAIDefaultEval:
    name = "crewai-default"
    store = "crewai-default: CrewAI's default Memory, one shared LanceDB store in a temp folder"
    model = "offline model (no network; MiniLM embeddings)"  # extract_facts and OfflineCrewModel, whatever is set

    def __init__(self, service: ConciergeService) -> None:
        from concierge.lean_imports import import_crewai

        import_crewai()
        from crewai.events.event_listener import event_listener
        from crewai.memory.storage.lancedb_storage import LanceDBStorage
        from crewai.memory.unified_memory import Memory

        from concierge import embeddings
        from concierge.llm.factory import PROVIDERS, states_a_fact
        from concierge.memory.categories import CategoryClassifier
        from concierge.runtime_env import quiet_crewai_deprecations

        quiet_crewai_deprecations()  # again after mem0's import, which puts a "default" filter in front

        event_listener.formatter.verbose = False  # what Crew(verbose=False) does; no console panels
        self._folder = tempfile.mkdtemp(prefix="concierge-crewai-default-")
        self._memory = Memory(
            storage=LanceDBStorage(path=self._folder),
            embedder=lambda texts: embeddings.embed(list(texts)).tolist(),
            llm=PROVIDERS["offline"].crew(service.settings),
        )
        self._classifier = CategoryClassifier(service.settings.policy, states_a_fact=states_a_fact)

    def restart(self) -> None:
        """Nothing to restart: the default store lives in a temp folder for the whole run."""

    def say(
        self, user: str, text: str, project: str | None, session: str | None, *, chat: bool = False
    ) -> Reply | None:
        from concierge.llm.factory import offline_facts

        # No chat here (``chat`` is ignored): CrewAI's default Memory is only written to, a forget request included.
        # No user, project or session here: the default store has nowhere to put them.
        for fact in offline_facts(text, self._classifier):
            self._memory.remember(fact, scope="/", categories=[], importance=0.5, metadata={})
        return None

    def search(self, user: str, query: str, top_k: int, project: str | None, category: str | None) -> list[Found]:
        matches = self._memory.recall(query, limit=top_k, depth="shallow")
        return [Found(m.record.content, tuple(m.record.categories)) for m in matches]

    def stored(self, user: str, project: str | None) -> list[str]:
        return [r.content for r in self._memory.list_records(limit=100_000)]

    def versions(self, user: str, project: str | None) -> list[Version]:
        """CrewAI's default memory keeps no versions: everything it stored is current."""
        return [Version(text, None) for text in self.stored(user, project)]

    def close(self) -> None:
        self._memory.close()
        shutil.rmtree(self._folder, ignore_errors=True)
