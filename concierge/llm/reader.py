"""The model reader: a real model fills the turn's reading (request and follow-up) by structured output.

The model is given the message, today's date and the session's state in compact form (its request, the options
it showed, the plan), and answers one JSON object in ``reading_schema()``. Its answer is checked by the same
validators as a model's tool arguments (``request_from_arguments``): the place is resolved against the catalog,
dates and times against today, impossible values become problems. A reply that is not such an object is asked
for once more; a second failure is one error line naming the endpoint, and the turn stores nothing. The needs a
follow-up states are read from the user's own words in code (``detect_needs``), never taken from the model.
"""

from __future__ import annotations

import json
from typing import Any

from concierge.conversation.followup import DaySaid, FollowUp
from concierge.conversation.reader import ReadingContext, TurnReading
from concierge.errors import ModelError
from concierge.needs import detect_needs
from concierge.redact import redact_text
from concierge.request import RequestArgumentsError, arguments_json_schema, request_from_arguments
from concierge.settings import Settings

ATTEMPTS = 2  # a malformed reading is asked for once more, then the turn fails
CHANGE_FIELDS = ("party_size", "nights", "time", "date", "meal", "place", "cuisine")
_INSTRUCTIONS = """You read one message of a chat with a dining and travel concierge into JSON.
Today is {today}. The session so far (JSON; "options_shown" are the options the user saw, numbered): {session}
Answer one JSON object: {{"request": ..., "follow_up": ...}}.
- request: what the message asks for. intent is one of dine, stay, trip (a booking), memory_question (what we know
  about the user), needs_question (which needs we keep to), place_question (a question about a place, not a
  booking), forget (remove something we remember), statement (the user tells us something), chit_chat.
  Give place, date, time, party and the other fields only as the user said them; leave out what was not said.
- follow_up: null, unless the message changes, picks from, confirms or cancels the session's plan. kind: change
  (new values for party_size, nights, time, date, meal, place or cuisine), pick (pick = the 1-based number among
  options_shown, -1 = the last; or cheaper / pricier / pick_other / area), add_need (the user states a need for
  the plan), confirm (send the draft), cancel (drop the plan), question (asks about the plan as it is: "what's
  the plan?", "what time is it booked for?"; never a cancel).
  When the session has "trip_days" and the message edits one day's meal ("swap day 2 for somewhere else", "make
  day 3 lunch at 12:30", "no lunch on the last day"), follow_up.day says which day (number, -1 = the last, or
  weekday 0 = Monday; words = the user's words for it) and what changes about its meal."""


def reading_schema() -> dict[str, Any]:
    """JSON Schema of the model's reading: the request's arguments, and a follow-up with the same field types."""
    request = arguments_json_schema()
    changes = {name: request["properties"][name] for name in CHANGE_FIELDS}
    follow_up: dict[str, Any] = {
        "type": ["object", "null"],
        "properties": {
            "kind": {"type": "string", "enum": ["change", "pick", "add_need", "confirm", "cancel", "question"]},
            **changes,
            "pick": {"type": "integer", "description": "1-based number among options_shown; -1 = the last"},
            "pick_other": {"type": "boolean", "description": '"the other one" of two'},
            "cheaper": {"type": "boolean"},
            "pricier": {"type": "boolean"},
            "area": {"type": "string", "description": 'part of town of the option meant ("the one in Confluence")'},
            "day": _day_schema(request),
        },
        "required": ["kind"],
        "additionalProperties": False,
    }
    properties = {"request": request, "follow_up": follow_up}
    return {"type": "object", "properties": properties, "required": ["request"], "additionalProperties": False}


DAY_FIELDS = ("meal", "time", "party_size", "cuisine")  # a day's values checked like a request's


def _day_schema(request: dict[str, Any]) -> dict[str, Any]:
    """One day of the session's trip and what changes about its meal (``DaySaid``)."""
    properties = {name: request["properties"][name] for name in DAY_FIELDS}
    return {
        "type": ["object", "null"],
        "properties": {
            "words": {"type": "string", "description": 'the user\'s words for the day: "day 2", "Friday"'},
            "number": {"type": "integer", "description": "1-based day of the trip; -1 = the last day"},
            "weekday": {"type": "integer", "minimum": 0, "maximum": 6, "description": "0 = Monday"},
            **properties,
            "remove": {"type": "boolean", "description": "drop that meal"},
            "swap": {"type": "boolean", "description": "another venue for that meal"},
            "cheaper": {"type": "boolean", "description": "a cheaper venue for that meal"},
        },
        "required": ["words"],
        "additionalProperties": False,
    }


class ModelReader:
    """``TurnReader`` backed by the configured OpenAI or OpenAI-compatible chat model."""

    def __init__(self, settings: Settings) -> None:
        from concierge.llm.factory import model_endpoint
        from concierge.model_retry import openai_client

        self._settings = settings
        self._endpoint = model_endpoint(settings)
        self._client = openai_client(settings)  # the one retry policy and timeout of every model call

    def read(self, message: str, context: ReadingContext) -> TurnReading:
        messages = [
            {"role": "system", "content": _prompt(context)},
            {"role": "user", "content": message},
        ]
        problem = ""
        for _ in range(ATTEMPTS):
            content = self._complete(messages)
            try:
                return checked_reading(content, message, context)
            except ValueError as exc:  # bad JSON, RequestArgumentsError and pydantic's ValidationError alike
                problem = _first_line(exc)
        raise ModelError(
            f"the model endpoint {self._endpoint} twice answered no readable reading of the message ({problem}); "
            "check that LLM_MODEL supports JSON output"
        )

    def _complete(self, messages: list[dict[str, str]]) -> str:
        from concierge.llm.factory import explain_model_failure

        schema = {"name": "TurnReading", "schema": reading_schema(), "strict": False}
        try:
            response = self._client.chat.completions.create(
                model=self._settings.llm_model,
                messages=messages,  # type: ignore[arg-type]
                response_format={"type": "json_schema", "json_schema": schema},  # type: ignore[typeddict-item]
                temperature=0.0,
            )
        except Exception as exc:
            failure = explain_model_failure(self._settings, exc)
            raise (failure or ModelError(f"the model endpoint {self._endpoint} failed: {_first_line(exc)}")) from exc
        choices = response.choices or []
        return (choices[0].message.content or "") if choices else ""


def _prompt(context: ReadingContext) -> str:
    today = f"{context.now:%A %Y-%m-%d, %H:%M}"
    return _INSTRUCTIONS.format(today=today, session=context.session or "none (first turn of this session)")


def _first_line(exc: BaseException) -> str:
    lines = redact_text(str(exc)).strip().splitlines()
    return (lines[0] if lines else type(exc).__name__)[:200]


def checked_reading(content: str, message: str, context: ReadingContext) -> TurnReading:
    """The model's JSON as a ``TurnReading``, every value through the request validators (raises ValueError)."""
    data = json.loads(content)
    if not isinstance(data, dict) or not isinstance(data.get("request"), dict):
        raise RequestArgumentsError('the reading must be an object with a "request" object')
    unknown = sorted(set(data) - {"request", "follow_up"})
    if unknown:
        raise RequestArgumentsError(f"unknown key(s) {', '.join(unknown)} in the reading")
    request = request_from_arguments(data["request"], now=context.now, places=context.places)
    follow_up = data.get("follow_up")
    if follow_up is None or request.intent == "forget":
        return TurnReading(request=request)
    return TurnReading(request=request, follow_up=_follow_up(follow_up, message, context))


def _follow_up(data: Any, message: str, context: ReadingContext) -> FollowUp:
    """The model's follow-up: changed values checked like request arguments; needs read from the user's words."""
    if not isinstance(data, dict):
        raise RequestArgumentsError("follow_up must be an object or null")
    changes = {k: v for k, v in data.items() if k in CHANGE_FIELDS}
    checked = request_from_arguments({"intent": "stay", **changes}, now=context.now, places=context.places)
    fields = {k: v for k, v in data.items() if k not in CHANGE_FIELDS}
    fields |= {k: getattr(checked, k) for k in changes}
    if isinstance(fields.get("day"), dict):
        fields["day"] = _day(fields["day"], context)
    needs = tuple(dict.fromkeys(n.label for n in detect_needs(message) if n.active))
    return FollowUp.model_validate({**fields, "needs": needs, "problems": checked.problems})


def _day(data: dict[str, Any], context: ReadingContext) -> DaySaid:
    """The model's day of the trip: its meal, time and party checked like a request's arguments."""
    said = {k: v for k, v in data.items() if k in DAY_FIELDS}
    checked = request_from_arguments({"intent": "dine", **said}, now=context.now, places=context.places)
    if checked.problems:
        raise RequestArgumentsError(f"follow_up.day: {checked.problems[0]}")
    values = {k: getattr(checked, k) for k in said}
    return DaySaid.model_validate({**{k: v for k, v in data.items() if k not in DAY_FIELDS}, **values})
