"""Versions of a memory: a newer fact supersedes older ones of the same user, project and lifetime.

The old rows stay stored (``superseded_by``, ``superseded_at``), the new one names them
(``supersedes``), and every read leaves superseded rows out unless history is asked for
(``including_history``). The decision comes from the extraction model: each memory item of the JSON it
returns to mem0 may carry ``"supersedes": [ids]`` (or mem0's own ``"linked_memory_ids"``), the ids
being the ones mem0 showed it in "## Existing Memories" ("0", "1", ...). mem0 drops keys it does not
know, so ``SupersessionReader`` wraps the extraction model and reads them; the ids are checked in code
against the rows the storage boundary handed mem0 in that very call (this user, this project, this
lifetime). A decision naming any other id is refused whole, with one warning, and nothing changes. A decision
that would hide a memory stating a need (an allergy, a diet) is kept only when the new fact takes that need back
plainly, by ``concierge.needs.current``'s rule: the same rule the plan's needs follow.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from concierge.memory.dedupe import InsertOnce, already_stored

logger = logging.getLogger(__name__)

SUPERSEDED_BY = "superseded_by"
SUPERSEDED_AT = "superseded_at"
SUPERSEDES = "supersedes"
# Read from each memory item the model returns. Only our explicit list: mem0's own prompt uses linked_memory_ids
# for memories that are merely related, and reading those as replaced could hide a companion's allergy.
DECISION_KEYS = ("supersedes",)
_EXISTING = "## Existing Memories\n"


@dataclass(frozen=True, slots=True)
class StoreOps:
    """What differs between mem0 vector stores at the storage boundary (one per backend module)."""

    insert_once: InsertOnce
    current_only: Callable[[dict[str, Any]], dict[str, Any]]
    """The filters plus a condition that leaves out superseded rows, in this store's filter dialect."""
    merge_payload: Callable[[Any, str, str, dict[str, Any]], bool]
    """Add fields to one row of a user; refuses (False) to supersede a row that already is."""
    relink: Callable[[Any, str, str, str, str | None], bool] | None = None
    """``(inner, id, user_id, was, now)``: re-point one row of the user superseded by ``was`` to ``now``, or make it
    current again (``now`` None: both keys removed, so ``current_only`` lets it through); False if the row is not
    theirs or not superseded by ``was``. None: this store cannot, and a retraction that needs it is refused."""


_history: ContextVar[bool] = ContextVar("concierge_versions_visible", default=False)


@contextmanager
def including_history() -> Iterator[None]:
    """Inside the block, reads through the storage boundary return superseded versions too."""
    token = _history.set(True)
    try:
        yield
    finally:
        _history.reset(token)


def versions_visible() -> bool:
    return _history.get()


@dataclass(slots=True)
class SupersessionCapture:
    """One add: the existing memories mem0 showed its model, and the validated decision read from the reply."""

    user_id: str
    project_id: str
    shown: list[Any] | None = None
    decisions: dict[str, list[str]] = field(default_factory=dict)  # new memory text -> ids it supersedes
    refused: int = 0
    already_stored: list[str] = field(default_factory=list)  # facts the model gave that mem0 will skip as stored


_capture: ContextVar[SupersessionCapture | None] = ContextVar("concierge_supersession", default=None)


@contextmanager
def capture_supersession(user_id: str, project_id: str) -> Iterator[SupersessionCapture]:
    """Collect the supersession decision of the add running inside the block (per thread/task)."""
    capture = SupersessionCapture(user_id, project_id)
    token = _capture.set(capture)
    try:
        yield capture
    finally:
        _capture.reset(token)


def shown_to_model(rows: list[Any]) -> None:
    """Called by the storage boundary with the rows of mem0's existing-memory look-up during an add."""
    capture = _capture.get()
    if capture is not None:
        capture.shown = list(rows)


def _json_object(text: str) -> dict[str, Any] | None:
    from mem0.memory.utils import extract_json, remove_code_blocks

    text = remove_code_blocks(text)
    for candidate in (text, extract_json(text)):
        try:
            data = json.loads(candidate, strict=False)
        except (TypeError, ValueError):
            continue
        return data if isinstance(data, dict) else None
    return None


def _existing_in_prompt(messages: Any) -> list[dict[str, Any]] | None:
    """The "## Existing Memories" list of mem0's extraction prompt (the last user message)."""
    prompt = next((m.get("content") for m in reversed(messages or []) if m.get("role") == "user"), None)
    if not isinstance(prompt, str) or _EXISTING not in prompt:
        return None
    start = prompt.index(_EXISTING) + len(_EXISTING)
    try:
        listed, _ = json.JSONDecoder().raw_decode(prompt, start)
    except ValueError:
        return None
    return listed if isinstance(listed, list) else None


def _memory_items(response: str) -> list[Any] | None:
    data = _json_object(response)
    items = data.get("memory") if data else None
    return items if isinstance(items, list) else None


def _claims(items: list[Any]) -> list[tuple[str, list[Any]]]:
    """(new memory text, the ids it names as superseded) for each memory item that names any."""
    claims: list[tuple[str, list[Any]]] = []
    for item in items:
        if not isinstance(item, dict) or not isinstance(item.get("text"), str):
            continue
        named: list[Any] = []
        for key in DECISION_KEYS:
            value = item.get(key)
            if value not in (None, "", []):
                named += value if isinstance(value, list) else [value]
        if named:
            claims.append((item["text"], named))
    return claims


def _same_list(shown: list[Any], messages: Any) -> bool:
    """The prompt listed exactly the rows the storage boundary handed mem0, in order."""
    prompt_list = _existing_in_prompt(messages)
    return prompt_list is not None and [(e.get("id"), e.get("text")) for e in prompt_list] == [
        (str(i), (row.payload or {}).get("data", "")) for i, row in enumerate(shown)
    ]


def _checked(
    capture: SupersessionCapture, messages: Any, claims: list[tuple[str, list[Any]]]
) -> tuple[dict[str, list[str]], list[str]]:
    """The claims as row ids of this user, project and call, and the ids that are not (shown as said)."""
    shown = capture.shown or []
    by_index = {str(i): row for i, row in enumerate(shown)}
    by_id = {str(row.id): row for row in shown}
    same_list = _same_list(shown, messages)
    decisions: dict[str, list[str]] = {}
    bad: list[str] = []
    for text, named in claims:
        for raw in named:
            row = (by_index.get(str(raw)) or by_id.get(str(raw))) if isinstance(raw, str | int) else None
            payload = getattr(row, "payload", None) or {}
            theirs = payload.get("user_id") == capture.user_id
            if (
                row is None
                or not same_list
                or not theirs
                or payload.get("project_id", capture.project_id) != capture.project_id
            ):
                bad.append(repr(raw)[:40])
                continue
            ids = decisions.setdefault(text, [])
            if str(row.id) not in ids:
                ids.append(str(row.id))
    return decisions, bad


def read_decision(capture: SupersessionCapture, messages: Any, response: str) -> None:
    """Validate the model's ``supersedes`` ids against what was shown to it and keep them, or refuse them all.

    Also notes the facts mem0 will skip as already stored (read here, while ``shown`` is this add's look-up).
    """
    items = _memory_items(response)
    if items is None:
        return
    texts = [item["text"] for item in items if isinstance(item, dict) and isinstance(item.get("text"), str)]
    capture.already_stored += [t for t in already_stored(texts, capture.shown or []) if t not in capture.already_stored]
    claims = _claims(items)
    if not claims:
        return
    decisions, bad = _checked(capture, messages, claims)
    if bad:
        capture.refused += len(bad)
        logger.warning(
            "refused a supersession decision from the extraction model: %d id(s) (%s) are not among this user's "
            "existing memories shown to it in this call; nothing was superseded",
            len(bad),
            ", ".join(bad[:5]),
        )
        return
    shown = {str(row.id): (row.payload or {}).get("data", "") for row in capture.shown or []}
    decisions = _needs_kept(decisions, shown, _user_words(messages))
    for text, ids in decisions.items():
        capture.decisions.setdefault(text, [])
        capture.decisions[text] += [i for i in ids if i not in capture.decisions[text]]


def _user_words(messages: Any) -> list[str]:
    """What the user said in this add (mem0's "## New Messages"): a need goes only when these words take it back."""
    from concierge.memory.mem0_prompt import user_turns

    prompt = next((m.get("content") for m in reversed(messages or []) if m.get("role") == "user"), None)
    return user_turns(prompt) if isinstance(prompt, str) else []


def _needs_kept(decisions: dict[str, list[str]], texts: dict[str, str], said: list[str]) -> dict[str, list[str]]:
    """The decisions less any that would hide a stated need the new fact does not take back, or that the user's
    own words do not take back plainly, whatever the model said ("User wishes they weren't allergic to peanuts"
    never hides the allergy; nor does "User is not allergic to peanuts" written for "I'm not allergic, am I?")."""
    from concierge.needs.current import may_supersede

    known = list(texts.values())
    kept: dict[str, list[str]] = {}
    for text, ids in decisions.items():
        allowed = [i for i in ids if may_supersede(text, texts.get(i, ""), known, said)]
        if len(allowed) < len(ids):
            logger.warning(
                "kept %d memory(ies) stating a need current: the new fact does not take the need back plainly",
                len(ids) - len(allowed),
            )
        kept[text] = allowed
    return kept


class SupersessionReader:
    """Wraps mem0's extraction model (offline or remote) to read its supersession decision; the reply is unchanged."""

    def __init__(self, inner: Any) -> None:
        self._inner = inner
        self.config = inner.config

    def generate_response(self, *args: Any, **kwargs: Any) -> Any:
        response = self._inner.generate_response(*args, **kwargs)
        capture = _capture.get()
        if capture is not None and isinstance(response, str):
            messages = kwargs.get("messages", args[0] if args else None)
            response = without_unplain_retractions(response, _user_words(messages))
            read_decision(capture, messages, response)
        return response


def without_unplain_retractions(response: str, said: list[str]) -> str:
    """The model's reply less any fact that takes a need back which the user's own words do not take back plainly
    (a remote model may write "User is not allergic to peanuts" for "I'm not allergic to peanuts, am I?"): stored,
    it would drop the need from every plan. The same rule as the offline extraction (``said_plainly``)."""
    from concierge.memory.guarded_store import record_dropped
    from concierge.needs.current import said_plainly

    data = _json_object(response)
    items = data.get("memory") if data else None
    if not isinstance(items, list) or not said:
        return response
    kept = [
        i
        for i in items
        if not (isinstance(i, dict) and isinstance(i.get("text"), str)) or said_plainly(said, i["text"])
    ]
    if len(kept) == len(items):
        return response
    for item in items:
        if item not in kept:
            record_dropped(item["text"], "not a plain retraction (a question, a joke, a degree, someone else)")
    logger.warning("kept %d need(s) current: the model's fact takes back what the user did not", len(items) - len(kept))
    return json.dumps({**data, "memory": kept})


def now_iso() -> str:
    return datetime.now(UTC).isoformat()


def apply_supersession(
    merge: Callable[[str, str, dict[str, Any]], bool], user_id: str, new_id: str, old_ids: list[str]
) -> list[str]:
    """Mark each old row superseded by ``new_id`` (only rows of ``user_id`` not yet superseded); the ids marked.

    ``merge`` is the guarded store's ``merge_payload``: it refuses rows of any other user or project.
    """
    when = now_iso()
    done = [
        old for old in old_ids if old != new_id and merge(old, user_id, {SUPERSEDED_BY: new_id, SUPERSEDED_AT: when})
    ]
    if done:
        merge(new_id, user_id, {SUPERSEDES: done})
    return done
