"""A FAKE OpenAI-protocol chat server (the external boundary), recording every request.

It speaks ``POST /v1/chat/completions`` well enough for the real ``openai`` SDK used by both
CrewAI's native OpenAI provider and mem0. Its "model" is scripted and plain:

- mem0 extraction (``response_format`` json_object): every first-person sentence of the user's
  message becomes a "User ..." fact; a fact containing A "supersedes" every existing memory shown in
  the prompt that contains B, for each (A, B) in ``supersede`` (or names ``supersedes_ids`` as given);
- an agent offered ``search_restaurants``: first a native tool call whose typed arguments come from
  ``tool_arguments`` (the test decides what the "model" understood; it passes no needs), or, when that
  is None, from the typed request in its prompt (the tool that fits its intent: what a model that
  understood the turn would pass), then a final answer: the tool results as the research ``Findings`` JSON;
- a structured-output request (``response_format`` json_schema, crewAI's ``output_pydantic``): the
  ``Plan`` picks ``plan_choice`` (an option id, or the first option) with a tampered contact address,
  and the ``Draft`` is a bare message that states no needs - the product must correct all of it in code;
- any other agent: a final answer quoting the context it was given;
- the turn reader's request (``response_format`` json_schema named ``TurnReading``): the next of ``readings``
  (scripted by the test: a dict is sent as JSON, a string as is, malformed on purpose), or, when none is left,
  what a model that understood the user's words would answer (the offline rules' reading of the message in the
  prompt, in the model's JSON form).

A request whose bearer token is not ``api_key`` gets HTTP 401, as the real API would.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import time
from functools import cache
from typing import Any

from pydantic import SecretStr

from concierge.offline.crew_model import json_objects as _json_objects
from concierge.offline.crew_model import typed_request
from concierge.settings import Settings
from tests.local_http import JsonHandler, LocalHttpServer

_SENTENCE = re.compile(r"[^.!?]+")


def _completion(message: dict[str, Any], model: str) -> dict[str, Any]:
    return {
        "id": f"chatcmpl-{time.time_ns()}",
        "object": "chat.completion",
        "created": int(time.time()),
        "model": model,
        "choices": [
            {"index": 0, "message": message, "finish_reason": "tool_calls" if "tool_calls" in message else "stop"}
        ],
        "usage": {"prompt_tokens": 10, "completion_tokens": 10, "total_tokens": 20},
    }


def _existing(prompt: str) -> list[dict[str, Any]]:
    header = "## Existing Memories\n"
    if header not in prompt:
        return []
    return json.JSONDecoder().raw_decode(prompt, prompt.index(header) + len(header))[0]


def _extract(
    body: dict[str, Any], supersede: list[tuple[str, str]] | None = None, supersedes_ids: list[str] | None = None
) -> dict[str, Any]:
    prompt = body["messages"][-1]["content"]
    said = prompt.split("## New Messages", 1)[-1]
    facts = []
    for line in said.splitlines():
        if not line.startswith("user: "):
            continue
        for sentence in _SENTENCE.findall(line.removeprefix("user: ")):
            words = sentence.strip().split()
            if len(words) > 3 and words[0].lower() == "my" and words[2] == "is":  # "my friend is vegan"
                facts.append(f"User's {words[1]} is " + " ".join(words[3:]))
            elif len(words) > 2 and words[:2] == ["I", "am"]:
                facts.append("User is " + " ".join(words[2:]))
            elif len(words) > 2 and words[0] == "I":
                facts.append(f"User {words[1]}s " + " ".join(words[2:]))
    memory = [{"id": str(i), "text": f, "attributed_to": "user", "linked_memory_ids": []} for i, f in enumerate(facts)]
    shown = _existing(prompt)
    for item in memory:
        ids = [e["id"] for new, old in supersede or () if new in item["text"] for e in shown if old in e["text"]]
        if supersedes_ids is not None or ids:
            item["supersedes"] = supersedes_ids if supersedes_ids is not None else ids
    return {"role": "assistant", "content": json.dumps({"memory": memory})}


def _structured(body: dict[str, Any], plan_choice: str | None) -> dict[str, Any]:
    """An answer in the JSON schema crewAI asked for (``Plan`` or ``Draft``), from the context given."""
    name = body["response_format"]["json_schema"]["name"]
    text = "\n".join(str(m.get("content") or "") for m in body["messages"])
    objects = _json_objects(text.split("This is the context you're working with:", 1)[-1])
    if name == "Plan":
        options = [o for found in objects for s in found.get("searches", []) for o in s.get("options", [])]
        chosen = next((o for o in options if o["id"] == plan_choice), options[0] if options else None)
        if chosen is not None:  # a model retelling a venue wrongly: code must keep the catalog's contact
            chosen = {**chosen, "contact": "reservations@tampered.example"}
        answer: dict[str, Any] = {"status": "planned", "chosen": chosen, "notes": ["FAKE MODEL note"]}
    elif name == "Draft":
        plan = next((o for o in objects if "chosen" in o), {})
        to = (plan.get("chosen") or {}).get("contact", "")
        answer = {"to": to, "subject": "Table", "body": "FAKE MODEL: a table please."}
    else:
        answer = {}
    return {"role": "assistant", "content": json.dumps(answer)}


def _understood(text: str) -> tuple[str, dict[str, Any]]:
    """The tool and typed arguments a model that read the turn's typed request would pass."""
    request = typed_request(text)
    if request is None:
        return "search_restaurants", {"query": "dinner"}
    args: dict[str, Any] = request.model_dump(mode="json", exclude_none=True, include={"date", "party_size"})
    asked = re.search(r"Request from [^:\n]+: ([^\n]+)", text)  # the user's words, as a model would search with them
    query = request.cuisine or (asked.group(1).strip() if asked else request.intent)
    args |= {"query": query, "location": request.place.said if request.place else ""}
    if request.intent == "dine":
        args |= request.model_dump(mode="json", exclude_none=True, include={"meal", "budget_level"})
        if request.time is not None:
            args["time"] = f"{request.time:%H:%M}"
        return "search_restaurants", args
    if request.intent in ("stay", "trip") and request.place is not None:
        return "search_stays", args | request.model_dump(mode="json", exclude_none=True, include={"nights"})
    return "find_destinations", {"query": args["query"], "location": args["location"]}


@cache
def _places() -> Any:
    from concierge.catalog.loader import load_catalog
    from concierge.request import CatalogPlaces
    from concierge.settings import load_settings

    return CatalogPlaces(load_catalog(load_settings().catalog_dir))


def _as_arguments(fields: dict[str, Any]) -> dict[str, Any]:
    """Typed fields in the model's JSON form (a place as the user named it, a time as HH:MM)."""
    if isinstance(fields.get("place"), dict):
        fields["place"] = fields["place"]["said"]
    if isinstance(fields.get("time"), str):
        fields["time"] = fields["time"][:5]
    return fields


def understood_reading(body: dict[str, Any]) -> dict[str, Any]:
    """The reading a model that understood the user's words would give: the rules' reading, as the model's JSON."""
    from concierge.conversation.followup import FollowUp
    from concierge.offline.day_edit import read_day_said
    from concierge.offline.follow_up import read_follow_up
    from concierge.offline.parse import parse_request

    message = next(m["content"] for m in reversed(body["messages"]) if m["role"] == "user")
    session = body["messages"][0]["content"]
    now, places = dt.datetime.now(), _places()
    request = parse_request(message, now=now, places=places)
    shown = re.search(r"The session so far .*?: (\{.*\})$", session, re.MULTILINE)  # the compact state, if any
    has_plan = shown is not None and "request" in json.loads(shown.group(1))
    follow_up = read_follow_up(message, request=request, now=now, places=places, has_plan=has_plan)
    day = read_day_said(message, now) if shown is not None and "trip_days" in json.loads(shown.group(1)) else None
    if day is not None and (follow_up is None or follow_up.kind not in ("confirm", "cancel")):
        follow_up = (follow_up or FollowUp(kind="change")).model_copy(update={"day": day})
    fields = request.model_dump(mode="json", exclude_none=True, exclude={"problems"})
    reading: dict[str, Any] = {"request": _as_arguments({k: v for k, v in fields.items() if v != []})}
    if follow_up is not None:
        said = follow_up.model_dump(mode="json", exclude_defaults=True, exclude={"needs", "problems"})
        if isinstance(said.get("day"), dict):
            said["day"] = _as_arguments(said["day"])
        reading["follow_up"] = _as_arguments({"kind": follow_up.kind, **said})
    return reading


def _agent_turn(body: dict[str, Any], tool_arguments: dict[str, Any] | None) -> dict[str, Any]:
    messages = body["messages"]
    text = "\n".join(str(m.get("content") or "") for m in messages)
    tool_names = {t["function"]["name"] for t in body.get("tools", [])}
    tool_results = [m["content"] for m in messages if m.get("role") == "tool"]
    if "search_restaurants" in tool_names and not tool_results:
        tool, arguments = ("search_restaurants", tool_arguments) if tool_arguments is not None else _understood(text)
        call = {
            "id": "call_1",
            "type": "function",
            "function": {"name": tool, "arguments": json.dumps(arguments)},
        }
        return {"role": "assistant", "content": None, "tool_calls": [call]}
    if tool_results:
        return {"role": "assistant", "content": json.dumps({"searches": [json.loads(r) for r in tool_results]})}
    context = text.split("This is the context you're working with:", 1)[-1][:1500]
    return {"role": "assistant", "content": "FAKE MODEL answer based on:\n" + context}


class FakeOpenAIServer(LocalHttpServer):
    def __init__(self, api_key: str = "test-key") -> None:
        self.api_key = api_key
        # What the model "understood"; None: the typed request in its prompt, as a model that read it would pass.
        self.tool_arguments: dict[str, Any] | None = {"query": "dinner", "location": "Lyon"}
        self.plan_choice: str | None = None  # the option id the model's plan picks (None: the first)
        self.supersede: list[tuple[str, str]] = []  # (in new fact, in old memory): the model's supersession
        self.supersedes_ids: list[str] | None = None  # ids the model names whatever was shown (hostile)
        self.requests: list[dict[str, Any]] = []
        self.readings: list[dict[str, Any] | str] = []  # scripted turn readings, in order (then: understood)
        server = self

        class Handler(JsonHandler):
            def do_POST(self) -> None:
                body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))) or b"{}")
                auth = self.headers.get("Authorization", "")
                server.requests.append({"path": self.path, "auth": auth, "body": body})
                if auth != f"Bearer {server.api_key}":
                    error = {
                        "message": "Incorrect API key provided",
                        "type": "invalid_request_error",
                        "code": "invalid_api_key",
                    }
                    self.send_json(401, {"error": error})
                    return
                if not self.path.endswith("/chat/completions"):
                    self.send_json(404, {"error": {"message": f"no route {self.path}", "type": "not_found"}})
                    return
                fmt = (body.get("response_format") or {}).get("type")
                if fmt == "json_object":
                    message = _extract(body, server.supersede, server.supersedes_ids)
                elif fmt == "json_schema" and body["response_format"]["json_schema"]["name"] == "TurnReading":
                    message = server.reading(body)
                elif fmt == "json_schema":
                    message = _structured(body, server.plan_choice)
                else:
                    message = _agent_turn(body, server.tool_arguments)
                self.send_json(200, _completion(message, body.get("model", "fake")))

        super().__init__(Handler)
        self.base_url = f"{self.origin}/v1"

    def reading(self, body: dict[str, Any]) -> dict[str, Any]:
        scripted = self.readings.pop(0) if self.readings else understood_reading(body)
        return {"role": "assistant", "content": scripted if isinstance(scripted, str) else json.dumps(scripted)}

    def reading_requests(self) -> list[dict[str, Any]]:
        """The bodies of the turn reader's requests, in order."""
        return [r["body"] for r in self.requests if _schema_name(r["body"]) == "TurnReading"]


def _schema_name(body: dict[str, Any]) -> str | None:
    return ((body.get("response_format") or {}).get("json_schema") or {}).get("name")


def remote_settings(settings: Settings, base_url: str, api_key: str, **extra: Any) -> Settings:
    """``settings`` switched to an OpenAI-compatible endpoint (the fake server, or a dead URL)."""
    update = {
        "llm": "openai_compatible",
        "llm_base_url": base_url,
        "llm_model": "fake-model",
        "llm_api_key": SecretStr(api_key),
        "llm_timeout_seconds": 5.0,
    }
    return settings.model_copy(update={**update, **extra})
