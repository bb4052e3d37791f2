"""A SCRIPTED OpenAI-compatible model server (the external boundary of the real-model path), for tests and benches.

It answers ``POST /v1/chat/completions`` for the real ``openai`` SDK (crewAI's native provider, mem0's
client, a structured-output reader). Every request is recorded (path, headers, body, the kind of call,
the status sent) and every answer carries token ``usage`` (an estimate: one token per four characters of
what the model was sent, OpenAI's rule of thumb), so a test can count calls and a bench can sum tokens.

What the "model" reads is what a real model reads: the USER'S WORDS and the SESSION STATE it was sent
(``Call.words``, ``Call.session``), never the app's own typed request. A call is classified by what it is
(``extraction``: mem0's extraction prompt; ``reader``: the turn reader's "TurnReading" (``concierge/llm/reader.py``:
``{"request": ..., "follow_up": ...}``, the next of ``server.readings`` when a test scripts them); an agent by
the role in its system prompt: ``research``, ``planner``, ``outreach``; ``converter``: crewAI's conversion
of an agent's prose; ``other``), and answered by the handler registered for that kind (``server.handlers``;
the defaults below read the words). Faults are queued per kind (``server.fail(kind, Fault(...))``): HTTP
500, 429 with ``Retry-After``, a reply slower than the client's timeout, a malformed body, truncated JSON,
an unknown tool, malformed tool arguments, no tool call, or a reply that contradicts the user
(``Fault("contradict", overrides={"location": "Lyon"})``: another city, meal, time or party).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import json
import math
import re
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import yaml

from tests.local_http import JsonHandler, LocalHttpServer

if TYPE_CHECKING:
    from concierge.service import ConciergeService
    from concierge.settings import Settings

CONFIG_DIR = Path(__file__).resolve().parent.parent / "config"
EXTRACTION_MARKERS = ("## New Messages",)  # the user prompt of mem0's extraction (its system prompt may be ours)
FaultKind = Literal[
    "http_500",
    "http_429",
    "slow",
    "malformed_body",
    "truncated_json",
    "unknown_tool",
    "bad_tool_arguments",
    "no_tool_call",
    "contradict",
]
MEALS = ("breakfast", "brunch", "lunch", "dinner")
_NUMBERS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8}
_JSON_DECODER = json.JSONDecoder()
_READER_SESSION = r"The session so far \(JSON[^)\n]*\): (?=\{)"  # the turn reader's prompt (concierge/llm/reader.py)
# What a model reads the kind of turn as, from the user's words (first match wins; else a statement or small talk).
_INTENT_WORDS = (
    ("forget", ("forget", "scratch that", "no longer true")),
    ("memory_question", ("remember about me", "know about me")),
    ("stay", ("hotel", "stay", "nights", "apartment")),
    ("trip", ("trip", "weekend", "holiday", " days")),
    ("dine", ("dinner", "lunch", "breakfast", "brunch", "restaurant", "table")),
)
_ASKS_ANEW = ("book", "find", "plan")  # a new request, not an edit of the session's plan
_READER_FIELDS = {"location": "place", "meal": "meal", "date": "date", "time": "time", "party_size": "party_size"}


@dataclasses.dataclass
class Fault:
    """One scripted misbehaviour of the model, for the next call of a kind."""

    kind: FaultKind
    retry_after: float = 1.0  # http_429
    delay: float = 5.0  # slow: seconds before answering (set it beyond the client's timeout)
    overrides: dict[str, Any] = dataclasses.field(default_factory=dict)  # contradict: the model's own reading


@dataclasses.dataclass
class Call:
    """One request as the model sees it."""

    kind: str
    body: dict[str, Any]
    headers: dict[str, str]
    path: str
    status: int = 200
    usage: dict[str, int] = dataclasses.field(default_factory=dict)
    overrides: dict[str, Any] = dataclasses.field(default_factory=dict)  # a contradict fault's own reading

    @property
    def messages(self) -> list[dict[str, Any]]:
        return list(self.body.get("messages", []))

    @property
    def system(self) -> str:
        return next((str(m.get("content") or "") for m in self.messages if m.get("role") == "system"), "")

    @property
    def text(self) -> str:
        """Everything the model was sent as message text."""
        return "\n".join(str(m.get("content") or "") for m in self.messages)

    @property
    def tools(self) -> list[str]:
        return [t["function"]["name"] for t in self.body.get("tools") or []]

    @property
    def tool_results(self) -> list[str]:
        return [str(m.get("content") or "") for m in self.messages if m.get("role") == "tool"]

    @property
    def schema_name(self) -> str | None:
        fmt = self.body.get("response_format") or {}
        return (fmt.get("json_schema") or {}).get("name") if fmt.get("type") == "json_schema" else None

    @property
    def schema(self) -> dict[str, Any] | None:
        """The JSON schema the answer must fit (structured output), if the call asks for one."""
        return ((self.body.get("response_format") or {}).get("json_schema") or {}).get("schema")

    @property
    def words(self) -> str:
        """What the user said this turn: the crew's "Request from <user>:" line, mem0's "user:" lines under
        "## New Messages", or else the last user message."""
        text = self.text
        if asked := re.search(r"Request from [^:\n]+: ([^\n]+)", text):
            return asked.group(1).strip()
        if "## New Messages" in text:
            said = text.split("## New Messages", 1)[1]
            return " ".join(line.removeprefix("user: ") for line in said.splitlines() if line.startswith("user: "))
        users = [str(m.get("content") or "") for m in self.messages if m.get("role") == "user"]
        return users[-1] if users else ""

    @property
    def search_words(self) -> str:
        """The words the research task says to search with ("Search words: ...", config/tasks.yaml), if any."""
        found = re.search(r"^Search words: ([^\n]+)", self.text, re.MULTILINE)
        return found.group(1).strip() if found else ""

    @property
    def session(self) -> dict[str, Any] | None:
        """The session state the model was sent (the first JSON object after "session"), if any."""
        text = self.text
        found = re.search(_READER_SESSION, text) or re.search(r"(?i)session[^{\n]{0,40}?[:\n]\s*(?=\{)", text)
        if found is None:
            return None
        try:
            value = _JSON_DECODER.raw_decode(text, found.end())[0]
        except json.JSONDecodeError:
            return None
        return value if isinstance(value, dict) else None

    def context_objects(self) -> list[dict[str, Any]]:
        """JSON objects anywhere in the messages (tool reports, a plan given as context)."""
        return json_objects(self.text)


def json_objects(text: str) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    index = text.find("{")
    while index != -1:
        try:
            value, end = _JSON_DECODER.raw_decode(text, index)
        except json.JSONDecodeError:
            index = text.find("{", index + 1)
            continue
        if isinstance(value, dict):
            found.append(value)
        index = text.find("{", end)
    return found


def estimate_tokens(body: dict[str, Any]) -> int:
    """Prompt tokens of a request: four characters a token over the messages, tools and output schema."""
    sent = json.dumps([m.get("content") for m in body.get("messages", [])], ensure_ascii=False)
    extra = json.dumps([body.get("tools") or [], body.get("response_format") or {}], ensure_ascii=False)
    return math.ceil((len(sent) + len(extra)) / 4)


# -- the default "model": reads the user's words (and the session's state for what they do not say) -----------
def understood(words: str, session: dict[str, Any] | None, cities: list[str], today: dt.date) -> dict[str, Any]:
    """The booking a model would read from the user's words, the session's request filling what they omit."""
    before = (session or {}).get("request") or {}
    low = words.casefold()
    meal = next((m for m in MEALS if m in low), None)
    time = _clock(low)
    if time is None:  # a new meal drops the old time
        time = "" if meal and meal != before.get("meal") else before.get("time") or ""
    party = _party(low)
    return {
        "query": words[:80],
        "location": next((c for c in cities if c.casefold() in low), None) or _place_before(before),
        "meal": meal or before.get("meal") or "",
        "date": _day(low, today) or before.get("date") or "",
        "time": time,
        "party_size": party if party is not None else before.get("party_size"),
    }


def _place_before(request: dict[str, Any]) -> str:
    place = request.get("place") or {}
    return place.get("city") or place.get("said") or ""


def _day(low: str, today: dt.date) -> str | None:
    """ "tomorrow", "tonight" as an ISO date."""
    if "tomorrow" in low:
        return (today + dt.timedelta(days=1)).isoformat()
    return today.isoformat() if "tonight" in low else None


def _party(low: str) -> int | None:
    """ "for 2", "for two", "4 people", "for me" (one)."""
    found = re.search(r"\bfor (\d+|" + "|".join(_NUMBERS) + r")\b|\b(\d+) (?:people|guests|of us)", low)
    if found:
        value = found.group(1) or found.group(2)
        return int(_NUMBERS.get(value, value))
    return 1 if re.search(r"\bfor me\b", low) else None


def _clock(low: str) -> str | None:
    """ "at 8pm", "at 20:30", "at 8" (evening) as HH:MM."""
    found = re.search(r"\bat (\d{1,2})(?::(\d\d))?\s*(am|pm)?", low)
    if found is None:
        return None
    hour = int(found.group(1)) % 12 + (0 if found.group(3) == "am" else 12)
    return f"{hour:02d}:{found.group(2) or '00'}"


def turn_reading(words: str, session: dict[str, Any] | None, said: dict[str, Any]) -> dict[str, Any]:
    """The turn reader's JSON for the user's words (``said``: the booking values they named, tool-argument
    style): the kind of turn, and a change of the session's plan when the words only edit it."""
    low = words.casefold()
    intent = next((kind for kind, cues in _INTENT_WORDS if any(c in low for c in cues)), None)
    intent = intent or ("statement" if re.match(r"(?i)(i|i'm|my|we)\b", words) else "chit_chat")
    values = {_READER_FIELDS[k]: v for k, v in said.items() if k in _READER_FIELDS and v not in ("", None)}
    before = (session or {}).get("request") or {}
    if before and intent in ("dine", "stay", "trip") and values and not any(w in low for w in _ASKS_ANEW):
        return {"request": {"intent": before.get("intent", intent)}, "follow_up": {"kind": "change", **values}}
    return {"request": {"intent": intent, **values}}


def _tool_for(words: str, offered: list[str]) -> str:
    low = words.casefold()
    if any(w in low for w in ("hotel", "stay", "nights", "apartment")) and "search_stays" in offered:
        return "search_stays"
    if any(w in low for w in ("trip", "weekend", "somewhere", "holiday")) and "find_destinations" in offered:
        return "find_destinations"
    return "search_restaurants" if "search_restaurants" in offered else offered[0]


def _options(call: Call) -> list[dict[str, Any]]:
    return [o for found in call.context_objects() for s in found.get("searches", [found]) for o in s.get("options", [])]


def _plan(call: Call, reading: dict[str, Any]) -> dict[str, Any]:
    options = _options(call)
    needs = [
        n
        for found in call.context_objects()
        for s in found.get("searches", [found])
        for n in s.get("needs_applied", [])
    ]
    chosen = options[0] if options else None
    return {
        "status": "planned" if chosen else "no_match",
        "chosen": chosen,
        "backups": options[1:3],
        "date": reading.get("date") or None,
        "time": reading.get("time") or None,
        "meal": reading.get("meal") or None,
        "party_size": reading.get("party_size"),
        "needs": needs,
        "notes": [],
        "problems": [] if chosen else ["Nothing in the catalog fits."],
    }


def _draft(call: Call) -> dict[str, Any]:
    plan = next((o for o in call.context_objects() if "chosen" in o), {})
    chosen = plan.get("chosen") or {}
    needs = ", ".join(n.get("label", "") for n in plan.get("needs", []))
    body = f"Hello, a table for {plan.get('party_size')} on {plan.get('date')} at {plan.get('time')}. Needs: {needs}."
    return {"to": chosen.get("contact") or "", "subject": "Reservation request", "body": body}


def _existing(call: Call) -> list[dict[str, Any]]:
    """The memories mem0 showed the model ("## Existing Memories": a JSON list)."""
    text = call.text
    header = "## Existing Memories\n"
    if header not in text:
        return []
    try:
        shown = _JSON_DECODER.raw_decode(text, text.index(header) + len(header))[0]
    except json.JSONDecodeError:
        return []
    return shown if isinstance(shown, list) else []


def _extraction(
    call: Call, supersede: list[tuple[str, str]] | None = None, supersedes_ids: list[str] | None = None
) -> dict[str, Any]:
    """Every first-person sentence of the user's words as a "User ..." fact; a question or request is none. A fact
    containing A "supersedes" every memory shown to the model that contains B, for each (A, B) in ``supersede``;
    ``supersedes_ids`` are named whatever was shown (a hostile or confused model)."""
    facts: list[str] = []
    for sentence in re.findall(r"[^.!?]+[.!?]?", call.words):
        words = sentence.strip().rstrip(".!").split()
        if sentence.strip().endswith("?") or len(words) < 3:
            continue
        if words[0].lower() == "my" and words[2] == "is":
            facts.append(f"User's {words[1]} is " + " ".join(words[3:]))
        elif words[:2] == ["I", "am"]:
            facts.append("User is " + " ".join(words[2:]))
        elif words[0] == "I":
            facts.append(f"User {words[1]}s " + " ".join(words[2:]))
    memory: list[dict[str, Any]] = [
        {"id": str(i), "text": f, "attributed_to": "user", "linked_memory_ids": []} for i, f in enumerate(facts)
    ]
    shown = _existing(call)
    for item in memory:
        ids = [e["id"] for new, old in supersede or () if new in item["text"] for e in shown if old in e["text"]]
        if supersedes_ids is not None or ids:
            item["supersedes"] = supersedes_ids if supersedes_ids is not None else ids
    return {"memory": memory}


class ModelServer(LocalHttpServer):
    """The scripted model; use as a context manager, point ``LLM_BASE_URL`` at ``base_url``."""

    def __init__(self, api_key: str = "test-key", cities: list[str] | None = None) -> None:
        self.api_key = api_key
        self.cities = cities if cities is not None else _catalog_cities()
        self.today = dt.date.today()
        self.roles = _agent_roles()
        self.reader_schemas = {"TurnReading"}  # structured outputs that are a reading of the turn
        self.readings: list[dict[str, Any] | str] = []  # scripted readings, in order (a str is sent as is)
        self.supersede: list[tuple[str, str]] = []  # extraction: (in a new fact, in a shown memory) it replaces
        self.supersedes_ids: list[str] | None = None  # extraction: ids named whatever was shown
        self.calls: list[Call] = []
        self.faults: dict[str, list[Fault]] = {}
        self.handlers: dict[str, Callable[[Call], dict[str, Any]]] = {
            "extraction": lambda call: _content(json.dumps(_extraction(call, self.supersede, self.supersedes_ids))),
            "research": self._research,
            "planner": lambda call: _content(json.dumps(_plan(call, self.reading(call)))),
            "outreach": lambda call: _content(json.dumps(_draft(call))),
            "converter": self._converter,
            "reader": self._reader,
            "other": _unscripted,
        }
        self._lock = threading.Lock()
        super().__init__(self._handler_class())
        self.base_url = f"{self.origin}/v1"

    # -- the script ---------------------------------------------------------------------------------------------
    def fail(self, kind: str, *faults: Fault) -> None:
        """Queue faults for the next calls of ``kind`` (one fault per call, in order)."""
        with self._lock:
            self.faults.setdefault(kind, []).extend(faults)

    def of(self, kind: str) -> list[Call]:
        return [c for c in self.calls if c.kind == kind]

    def usage(self) -> dict[str, int]:
        """Calls answered and tokens, summed over every recorded call."""
        return {
            "calls": len(self.calls),
            "prompt_tokens": sum(c.usage.get("prompt_tokens", 0) for c in self.calls),
            "completion_tokens": sum(c.usage.get("completion_tokens", 0) for c in self.calls),
        }

    def reading(self, call: Call) -> dict[str, Any]:
        """What the model understood of the user's words and session (a contradict fault overrides it)."""
        reading = understood(call.words, call.session, self.cities, self.today)
        if call.search_words:
            reading["query"] = call.search_words[:80]
        return reading | call.overrides

    def rules_reader(self, call: Call) -> dict[str, Any]:
        """A reader handler that reads the user's words as the offline rules do (for long scripted dialogues whose
        phrasing the default reading above does not cover): ``server.handlers["reader"] = server.rules_reader``."""
        return _content(json.dumps(rules_reading(call)))

    def _reader(self, call: Call) -> dict[str, Any]:
        """The next scripted reading, or what the words say (only the values the user named this turn)."""
        with self._lock:
            scripted = self.readings.pop(0) if self.readings else None
        if scripted is None:
            said = understood(call.words, None, self.cities, self.today) | getattr(call, "overrides", {})
            scripted = turn_reading(call.words, call.session, said)
        return _content(scripted if isinstance(scripted, str) else json.dumps(scripted))

    def classify(self, body: dict[str, Any]) -> str:
        messages = body.get("messages") or [{}]
        system = str(messages[0].get("content") or "") if messages[0].get("role") == "system" else ""
        text = "\n".join(str(m.get("content") or "") for m in messages)
        if (body.get("response_format") or {}).get("type") == "json_object" and any(
            m in text for m in EXTRACTION_MARKERS
        ):
            return "extraction"
        schema = ((body.get("response_format") or {}).get("json_schema") or {}).get("name")
        if schema in self.reader_schemas:
            return "reader"
        role = re.match(r"You are (.+?)\.", system)
        if role and role.group(1) in self.roles:
            return self.roles[role.group(1)]
        return "converter" if schema else "other"

    # -- default handlers ---------------------------------------------------------------------------------------
    def _research(self, call: Call) -> dict[str, Any]:
        """A tool call from what the user's words say; after a destination search, the stays of the place (as the
        task asks: destinations then stays); then the reports as the answer."""
        reports = [json.loads(r) for r in call.tool_results if r.startswith("{")]
        if reports and reports[-1].get("tool") == "find_destinations" and "search_stays" in call.tools:
            found = [o["name"] for o in reports[-1].get("options", [])]
            reading = self.reading(call)
            place = reading["location"] or (found[0] if found else "")
            if place:
                arguments = {k: v for k, v in reading.items() if v not in ("", None)} | {"location": place}
                return _tool_call("search_stays", arguments)
        if reports:
            return _content(json.dumps({"searches": reports}))
        if not call.tools:
            return _content(json.dumps({"searches": []}))
        reading = self.reading(call)
        tool = _tool_for(call.search_words or call.words, call.tools)
        return _tool_call(tool, {k: v for k, v in reading.items() if v not in ("", None)})

    def _converter(self, call: Call) -> dict[str, Any]:
        name = call.schema_name or ""
        if name == "Plan":
            return _content(json.dumps(_plan(call, self.reading(call))))
        if name == "Draft":
            return _content(json.dumps(_draft(call)))
        objects = call.context_objects()
        return _content(json.dumps(objects[-1] if objects else {}))

    # -- HTTP ---------------------------------------------------------------------------------------------------
    def _next_fault(self, kind: str) -> Fault | None:
        with self._lock:
            queue = self.faults.get(kind) or []
            return queue.pop(0) if queue else None

    def _answer(self, call: Call, fault: Fault | None) -> tuple[int, Any, dict[str, str]]:
        """(status, JSON body or raw text, headers) for one recorded call."""
        if fault is not None and fault.kind == "http_500":
            return 500, {"error": {"message": "scripted server error", "type": "server_error"}}, {}
        if fault is not None and fault.kind == "http_429":
            error = {"error": {"message": "scripted rate limit", "type": "rate_limit"}}
            return 429, error, {"Retry-After": f"{fault.retry_after:g}"}
        if fault is not None and fault.kind == "malformed_body":
            return 200, "<html>upstream proxy error</html>", {}
        if fault is not None and fault.kind == "contradict":
            call.overrides = fault.overrides
        message = self.handlers.get(call.kind, self.handlers["other"])(call)
        message = _apply(fault, message)
        completion = len(json.dumps(message)) // 4 + 1
        call.usage = {
            "prompt_tokens": estimate_tokens(call.body),
            "completion_tokens": completion,
            "total_tokens": estimate_tokens(call.body) + completion,
        }
        reason = "tool_calls" if message.get("tool_calls") else "stop"
        body = {
            "id": f"chatcmpl-{time.time_ns()}",
            "object": "chat.completion",
            "created": int(time.time()),
            "model": call.body.get("model", "scripted"),
            "choices": [{"index": 0, "message": message, "finish_reason": reason}],
            "usage": call.usage,
        }
        return 200, body, {}

    def _handler_class(self) -> type[JsonHandler]:
        server = self

        class Handler(JsonHandler):
            def do_POST(self) -> None:
                raw = self.rfile.read(int(self.headers.get("Content-Length", 0))) or b"{}"
                body = json.loads(raw)
                kind = server.classify(body)
                call = Call(kind=kind, body=body, headers=dict(self.headers.items()), path=self.path)
                with server._lock:
                    server.calls.append(call)
                if self.headers.get("Authorization", "") != f"Bearer {server.api_key}":
                    call.status = 401
                    error = {"message": "Incorrect API key provided", "type": "invalid_request_error"}
                    self.send_json(401, {"error": error | {"code": "invalid_api_key"}})
                    return
                fault = server._next_fault(kind)
                if fault is not None and fault.kind == "slow":
                    time.sleep(fault.delay)
                call.status, answer, headers = server._answer(call, fault)
                self._send(call.status, answer, headers)

            def _send(self, status: int, answer: Any, headers: dict[str, str]) -> None:
                data = (answer if isinstance(answer, str) else json.dumps(answer)).encode()
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(data)))
                    for name, value in headers.items():
                        self.send_header(name, value)
                    self.end_headers()
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (a slow reply past its timeout)

        return Handler


def rules_reading(call: Call) -> dict[str, Any]:
    """The offline rules' reading of the user's message (the reader's user message, with the session it was
    sent), in the model's JSON form (a place as the user named it, a time as HH:MM)."""
    from concierge.conversation.reader import ReadingContext
    from concierge.offline.reader import OfflineReader

    session = call.session
    context = ReadingContext(
        now=dt.datetime.now(),
        places=_places(),
        has_plan=bool(session and "request" in session),
        has_trip=bool(session and "trip_days" in session),
        resumed=True,
    )
    read = OfflineReader().read(call.words, context)
    fields = read.request.model_dump(mode="json", exclude_none=True, exclude={"problems"})
    reading: dict[str, Any] = {"request": _as_arguments({k: v for k, v in fields.items() if v != []})}
    if read.follow_up is not None:
        said = read.follow_up.model_dump(mode="json", exclude_defaults=True, exclude={"needs", "problems"})
        if isinstance(said.get("day"), dict):
            said["day"] = _as_arguments(said["day"])
        reading["follow_up"] = _as_arguments({"kind": read.follow_up.kind, **said})
    return reading


@functools.cache
def _places() -> Any:
    """The catalog's places, read once (a reply slower than the client's timeout would fail the turn)."""
    from concierge.catalog.loader import load_catalog
    from concierge.request import CatalogPlaces

    return CatalogPlaces(load_catalog(CONFIG_DIR.parent / "data" / "catalog"))


def _as_arguments(fields: dict[str, Any]) -> dict[str, Any]:
    if isinstance(fields.get("place"), dict):
        fields["place"] = fields["place"]["said"]
    if isinstance(fields.get("time"), str):
        fields["time"] = fields["time"][:5]
    return fields


def remote_settings(settings: Settings, base_url: str, api_key: str, **extra: Any) -> Settings:
    """``settings`` pointed at an OpenAI-compatible endpoint: this server's ``base_url``, or any other (a dead
    port, a URL carrying credentials), with the short timeout the tests use."""
    from pydantic import SecretStr

    update = {
        "llm": "openai_compatible",
        "llm_base_url": base_url,
        "llm_model": "scripted",
        "llm_api_key": SecretStr(api_key),
        "llm_timeout_seconds": 5.0,
    }
    return settings.model_copy(update=update | extra)


def model_settings(settings: Settings, server: ModelServer, **extra: Any) -> Settings:
    """``settings`` pointed at ``server`` with its key."""
    return remote_settings(settings, server.base_url, server.api_key, **extra)


@contextmanager
def service_on_a_model_server(settings: Settings) -> Iterator[tuple[ConciergeService, ModelServer]]:
    """A service whose model is a fresh scripted server (key "test-key"), closed with it."""
    from concierge.service import ConciergeService

    with ModelServer(api_key="test-key") as server:
        service = ConciergeService.from_settings(model_settings(settings, server))
        try:
            yield service, server
        finally:
            service.close()


def _unscripted(call: Call) -> dict[str, Any]:
    """A call the script has no part for (an agent a team added): the emptiest answer its schema allows."""
    return _content(json.dumps(empty_instance(call.schema, call.schema)) if call.schema else "OK")


_EMPTY: dict[str, Any] = {"string": "", "integer": 0, "number": 0, "boolean": False, "array": [], "null": None}


def empty_instance(schema: dict[str, Any], root: dict[str, Any]) -> Any:
    """The emptiest value a JSON schema allows: a default where one is given, else each required field's."""
    if "default" in schema:
        return schema["default"]
    if "$ref" in schema:
        return empty_instance(root["$defs"][schema["$ref"].rsplit("/", 1)[-1]], root)
    if options := schema.get("anyOf") or schema.get("oneOf") or schema.get("enum"):
        return options[0] if "enum" in schema else empty_instance(options[0], root)
    kind = schema.get("type", "object")
    kind = kind[0] if isinstance(kind, list) else kind
    if kind != "object":
        return _EMPTY.get(kind)
    fields = schema.get("properties", {})
    return {name: empty_instance(fields[name], root) for name in schema.get("required", [])}


def _content(text: str) -> dict[str, Any]:
    return {"role": "assistant", "content": text}


def _tool_call(name: str, arguments: dict[str, Any] | str) -> dict[str, Any]:
    raw = arguments if isinstance(arguments, str) else json.dumps(arguments)
    call = {"id": f"call_{time.time_ns()}", "type": "function", "function": {"name": name, "arguments": raw}}
    return {"role": "assistant", "content": None, "tool_calls": [call]}


def _apply(fault: Fault | None, message: dict[str, Any]) -> dict[str, Any]:
    """A handler's good answer, spoilt the way ``fault`` says."""
    if fault is None:
        return message
    calls = message.get("tool_calls") or []
    if fault.kind == "truncated_json":
        text = message.get("content") or (calls[0]["function"]["arguments"] if calls else "{}")
        return _content(text[: max(1, len(text) // 2)])
    if fault.kind == "unknown_tool" and calls:
        return _tool_call("book_anything_anywhere", calls[0]["function"]["arguments"])
    if fault.kind == "bad_tool_arguments" and calls:
        return _tool_call(calls[0]["function"]["name"], '{"location": "Par')
    if fault.kind == "no_tool_call" and calls:
        return _content("I think any nice place will do.")
    return message


def _agent_roles() -> dict[str, str]:
    """Role -> agent name, from the app's crew config (what a model is told it is)."""
    agents = yaml.safe_load((CONFIG_DIR / "agents.yaml").read_text())
    return {str(spec["role"]).strip(): name for name, spec in agents.items()}


def _catalog_cities() -> list[str]:
    """The cities a model would recognise in the user's words (the catalog's, standing for world knowledge)."""
    from concierge.catalog.loader import load_catalog

    return sorted(load_catalog(CONFIG_DIR.parent / "data" / "catalog").cities())
