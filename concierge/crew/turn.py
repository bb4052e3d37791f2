"""What one chat turn's tools read in code: the typed request and the user's needs from their own scope.

A model (offline or remote) only passes search arguments. Needs are read here, from the user's
stored memories plus the current message, so a model cannot switch a need off by leaving it out.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from concierge.crew.outputs import Findings, NeedNote, SearchReport
from concierge.crew.who_comes import needs_of_those_coming
from concierge.needs import DetectedNeed
from concierge.request import CatalogPlaces, TurnRequest


def need_notes(needs: Sequence[DetectedNeed]) -> list[NeedNote]:
    return [NeedNote(need_id=n.need_id, label=n.label, holder=n.holder) for n in needs]


@dataclass
class TurnContext:
    """One turn of one user. Built by the service; shared by that turn's tools and checks, never across turns."""

    user: str
    request: TurnRequest
    now: dt.datetime
    places: CatalogPlaces
    read_needs: Callable[[], list[DetectedNeed]]  # the user's active needs: their scope plus this message
    prefer: str | None = None  # a venue id the user picked in this session: chosen whenever it still qualifies
    said: str = ""  # the words the request was made in: a party listed there ("me and my sister") says who comes
    reports: list[SearchReport] = field(default_factory=list)  # every search the tools answered, in order
    _understood: TurnRequest | None = None  # the request as the last tool call validated it
    _searched: set[str] = field(default_factory=set)  # the tools that ran with valid arguments
    _needs: list[DetectedNeed] | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def needs(self) -> list[DetectedNeed]:
        with self._lock:
            if self._needs is None:  # a party of one said by the user brings no companion's need
                self._needs = needs_of_those_coming(self.read_needs(), self.request, self.said)
            return list(self._needs)

    def record(self, report: SearchReport, request: TurnRequest | None = None) -> None:
        with self._lock:
            self.reports.append(report)
            if request is not None:
                self._understood = request
                self._searched.add(report.tool)

    def searched(self, tools: frozenset[str] | None = None) -> bool:
        """Did a tool (one of ``tools``, when given) search with valid arguments this turn? A model may call none,
        only with bad arguments, or only a search of the wrong kind (restaurants for a stay)."""
        with self._lock:
            return bool(self._searched if tools is None else self._searched & tools)

    def understood(self) -> TurnRequest:
        """The request as the model's (validated) tool arguments refined it; the parsed message before any."""
        with self._lock:
            return self._understood or self.request

    def qualifying_ids(self) -> set[str]:
        """Ids some tool returned as meeting every need (a plan may only choose among these)."""
        return {o.id for o in self.findings().options()}

    def findings(self) -> Findings:
        """What the tools returned this turn, as code recorded it (not as a model retold it)."""
        with self._lock:
            return Findings(searches=list(self.reports))
