"""A real model's reading, checked like the offline one: its tool arguments become the same ``TurnRequest``.

The place is resolved against the catalog, dates and times against today through dateparser, and an impossible
party size or date becomes a problem sentence, whichever model read the message (the offline rules live in
``concierge/offline/parse.py``).
"""

from __future__ import annotations

import datetime
import math
import re
from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any, get_args

from pydantic import ValidationError

from concierge.catalog.hours import meal_for_time
from concierge.errors import ConciergeError
from concierge.request.budget import budget_not_positive, budget_too_high, unreadable_amount, whole_euros
from concierge.request.model import MAX_BUDGET_EUR, MAX_NIGHTS, MAX_PARTY, MEALS, Intent, Meal, PlaceRef, TurnRequest
from concierge.request.numbers import NUMBER_WORDS, WORDS, compound_value, read_digits
from concierge.request.passed import time_passed_problem
from concierge.request.places import CatalogPlaces
from concierge.request.problems import nights_problem, party_problem
from concierge.request.when import MONTHS, parse_date_text, parse_time_text
from concierge.request.when import warm as warm_dates


class RequestArgumentsError(ConciergeError, ValueError):
    """A model's tool arguments do not fit the typed request (unknown key, wrong type); the model may retry."""


def warm_up(places: CatalogPlaces) -> None:
    """Load the gazetteer and the date parser at start-up, so the first chat turn is as fast as the rest."""
    places.warm()
    warm_dates()


# -- a real model's tool arguments ---------------------------------------------------------------------------------
ARGUMENT_FIELDS = tuple(name for name in TurnRequest.model_fields if name != "problems")


def arguments_json_schema() -> dict[str, Any]:
    """JSON Schema of the tool/function arguments a real model fills (place, date and time as text)."""
    fields = TurnRequest.model_fields
    properties: dict[str, Any] = {
        "intent": {"type": "string", "enum": list(get_args(Intent))},
        "place": {"type": "string", "description": "city, region or country as the user named it"},
        "date": {"type": "string", "description": "YYYY-MM-DD, or the user's words ('tomorrow', 'this Sunday')"},
        "time": {"type": "string", "description": "HH:MM (24-hour), or the user's words ('8pm', 'half past seven')"},
        "meal": {"type": "string", "enum": list(get_args(Meal))},
        "party_size": {"type": "integer", "minimum": 1, "maximum": MAX_PARTY, "description": "people, not nights"},
        "nights": {"type": "integer", "minimum": 1, "maximum": MAX_NIGHTS},
        "budget_level": {
            "type": "integer",
            "minimum": 1,
            "maximum": 4,
            "description": '1 = "cheap" ... 4 = "fine dining"',
        },
        "budget_per_night_eur": {"type": "integer", "minimum": 1, "maximum": MAX_BUDGET_EUR},
        "stay_kind": {"type": "string", "enum": ["hotel", "apartment", "house", "guesthouse"]},
        "cuisine": {"type": "string"},
        "climate": {"type": "string", "enum": ["warm", "cool", "sunny"], "description": fields["climate"].description},
        "month": {"type": "integer", "minimum": 1, "maximum": 12, "description": fields["month"].description},
        "meals": {
            "type": "array",
            "items": {"type": "string", "enum": list(MEALS)},
            "description": fields["meals"].description,
        },
    }
    return {"type": "object", "properties": properties, "required": ["intent"], "additionalProperties": False}


_CURRENCY = re.compile(r"^\s*€|(?:€|\beur|\beuros?)\s*$", re.IGNORECASE)


class _Unreadable(ValueError):
    """A number argument that is no finite number ("1e309", NaN): a problem sentence, not a retry."""


def _as_number(name: str, value: Any) -> Decimal | None:
    """A number argument as a model may send it: 4, 4.0, "4", "four", "two dozen", "1 000" (None: not given).

    Raises ``RequestArgumentsError`` for what is no number at all ("lots", a list) and ``_Unreadable`` for
    digits that are no finite number ("1e309", NaN): the first is the model's mistake, the second the user's words.
    """
    if value is None or value == "":
        return None
    if isinstance(value, bool) or not isinstance(value, int | str | float):
        raise RequestArgumentsError(f"argument {name}: expected a whole number, got {type(value).__name__}")
    if isinstance(value, int):
        return Decimal(value)
    said = _CURRENCY.sub("", str(value)).strip()  # "€1,000,000": the amount, in the euros the field is in
    if said.lower() in NUMBER_WORDS:
        return Decimal(NUMBER_WORDS[said.lower()])
    if (compound := compound_value(said)) is not None:  # "two dozen"
        return Decimal(compound)
    sign, digits = (-1, said[1:]) if said[:1] in {"-", "\u2212"} else (1, said)
    number = read_digits(digits) if isinstance(value, str) else _finite(value)
    if number is not None:
        return sign * number
    if re.search(rf"\d|nan|inf|half|\b{WORDS}", said, re.IGNORECASE):  # the user's words: "two and a half", "2-3"
        raise _Unreadable(said)
    raise RequestArgumentsError(f"argument {name}: expected a whole number, got {value!r}")


def _finite(value: float) -> Decimal | None:
    return Decimal(repr(value)) if math.isfinite(value) else None


def _as_int(name: str, value: Any) -> int | None:
    """A whole number argument (the month): anything else is refused as the model's mistake."""
    number = _as_number(name, value)
    if number is not None and number != number.to_integral_value():
        raise RequestArgumentsError(f"argument {name}: expected a whole number, got {value!r}")
    return None if number is None else int(number)


def _month(value: Any) -> int | None:
    if isinstance(value, str) and not value.strip().isdigit():
        name = value.strip().lower()[:3]
        found = [i for i, m in enumerate(MONTHS, 1) if m.startswith(name)] if len(name) == 3 else []
        if not found:
            raise RequestArgumentsError(f"argument month: expected 1-12 or a month name, got {value!r}")
        return found[0]
    return _as_int("month", value)


def _checked_args(arguments: Mapping[str, Any]) -> dict[str, Any]:
    """The arguments given (empty ones left out); raises for an unknown key or intent."""
    if not isinstance(arguments, Mapping):
        raise RequestArgumentsError(f"arguments must be an object, got {type(arguments).__name__}")
    unknown = sorted(set(arguments) - set(ARGUMENT_FIELDS))
    if unknown:
        raise RequestArgumentsError(f"unknown argument(s) {', '.join(unknown)}; allowed: {', '.join(ARGUMENT_FIELDS)}")
    args = {k: v for k, v in arguments.items() if v is not None and v != ""}
    if args.get("intent") not in get_args(Intent):
        allowed = ", ".join(get_args(Intent))
        raise RequestArgumentsError(f"argument intent must be one of {allowed}, got {args.get('intent')!r}")
    return args


def _place(place: Any, places: CatalogPlaces) -> PlaceRef:
    if not isinstance(place, str):
        raise RequestArgumentsError(f"argument place: expected a place name as text, got {type(place).__name__}")
    said = " ".join(place.split())[:120]
    return places.resolve(said) or PlaceRef(said=said, city=None, country=None, in_catalog=False)


def _when(args: dict[str, Any], now: datetime.datetime, fields: dict[str, Any], problems: list[str]) -> None:
    """The date and time as the model gave them (ISO or the user's words), read as the offline rules read them."""
    if "date" in args:
        given = args["date"]
        day, problem = (given, None) if isinstance(given, datetime.date) else parse_date_text(str(given), now)
        fields["date"] = day
        problems += [problem] if problem else []
    if "time" in args:
        given = args["time"]
        meal = args.get("meal")
        morning, lunch = meal in {"breakfast", "brunch"}, meal in {"lunch", "brunch"}
        typed = isinstance(given, datetime.time)
        clock, problem = (given, None) if typed else parse_time_text(str(given), morning=morning, lunch=lunch)
        fields["time"] = clock
        problems += [problem] if problem else []
    if passed := time_passed_problem(fields.get("date"), fields.get("time"), now):
        fields["time"] = None  # "today at 1am" at 01:45, as the offline rules refuse it
        problems.append(passed)


def _count(name: str, value: Any, most: int, problem: Callable[[int | str], str], problems: list[str]) -> int | None:
    """A party size or a number of nights: a count that is not a whole number from 1 to ``most`` is a problem."""
    try:
        number = _as_number(name, value)
    except _Unreadable as exc:
        problems.append(problem(str(exc)))
        return None
    whole = number is None or number == number.to_integral_value()
    if number is not None and not (whole and 1 <= number <= most):
        said = str(value).strip()
        in_digits = isinstance(value, str) and any(c.isdigit() for c in said)
        problems.append(problem(int(number) if whole and not in_digits else said))  # as typed; "two dozen": 24
        return None
    return None if number is None else int(number)


def _budget(value: Any, problems: list[str]) -> int | None:
    """The most a night may cost, checked as the offline reader checks it: above zero, at most ``MAX_BUDGET_EUR``."""
    try:
        number = _as_number("budget_per_night_eur", value)
    except _Unreadable as exc:
        problems.append(unreadable_amount(str(exc)))
        return None
    said = f"{str(value).strip()} euros"
    if number is not None and number > MAX_BUDGET_EUR:
        problems.append(budget_too_high(said))
    elif number is not None and number < 1:
        problems.append(budget_not_positive(said))
    else:
        return None if number is None else whole_euros(number)
    return None


def _counts(args: dict[str, Any], fields: dict[str, Any], problems: list[str]) -> None:
    """Party size, nights and budget: a number out of range is a problem sentence, not a value."""
    fields["party_size"] = _count("party_size", args.get("party_size"), MAX_PARTY, party_problem, problems)
    fields["nights"] = _count("nights", args.get("nights"), MAX_NIGHTS, nights_problem, problems)
    if "budget_per_night_eur" in args:
        fields["budget_per_night_eur"] = _budget(args["budget_per_night_eur"], problems)


_CHECKED_HERE = frozenset({"place", "date", "time", "party_size", "nights", "budget_per_night_eur", "month"})


def request_from_arguments(
    arguments: Mapping[str, Any], *, now: datetime.datetime, places: CatalogPlaces
) -> TurnRequest:
    """A real model's tool arguments, checked like the offline rules: the place is resolved against the catalog,
    dates and times against ``now``, an impossible party size or date becomes a problem sentence.

    Raises ``RequestArgumentsError`` (one line naming the argument) for arguments that are not the tool's:
    an unknown key, a missing or unknown intent, a value of the wrong type.
    """
    args = _checked_args(arguments)
    problems: list[str] = []
    fields: dict[str, Any] = {k: v for k, v in args.items() if k not in _CHECKED_HERE}
    if args.get("place") is not None:
        fields["place"] = _place(args["place"], places)
    _when(args, now, fields, problems)
    _counts(args, fields, problems)
    if "month" in args:
        fields["month"] = _month(args["month"])
    if fields["intent"] == "dine" and args.get("meal") is None and fields.get("time") is not None:
        fields["meal"] = meal_for_time(fields["time"])
    fields["problems"] = tuple(problems)
    try:
        return TurnRequest(**fields)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "arguments"
        raise RequestArgumentsError(f"argument {where}: {first['msg']}") from exc
