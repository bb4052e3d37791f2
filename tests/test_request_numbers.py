"""Every number a user writes for a budget, a party or a stay is read whole or refused with one sentence
(attack4 M1/M2, L4): thousand separators of every kind, a decimal comma, exponents, NaN, huge values, in the
offline reader and in a real model's arguments; and a time already gone today is refused like a past day.

"Now" is frozen with freezegun; the real-model path runs against the SCRIPTED model server (the external boundary).
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
from freezegun import freeze_time

from concierge.cli import main
from concierge.offline.parse import parse_request
from concierge.request import CatalogPlaces, TurnRequest, request_from_arguments
from concierge.request.model import MAX_BUDGET_EUR
from concierge.request.numbers import read_digits
from concierge.service import ConciergeService
from concierge.settings import Settings
from tests.model_server import ModelServer, service_on_a_model_server
from tests.request_reading import NOW, shipped_places
from tests.request_reading import args_at as _args
from tests.request_reading import parse_at as _parse


@pytest.fixture(scope="module")
def places() -> CatalogPlaces:
    return shipped_places()


HOTEL = "Book a hotel in Lyon for 2 nights from tomorrow under {} euros a night"


def _one_line_naming(request: TurnRequest, said: str) -> None:
    assert len(request.problems) == 1, request.problems
    assert "\n" not in request.problems[0] and " ".join(said.split()) in request.problems[0]  # spaces as read


@pytest.mark.parametrize(
    ("said", "value"),
    [
        ("120,50", Decimal("120.50")),
        ("1 000 000", Decimal(1_000_000)),
        ("1\u202f000", Decimal(1000)),  # narrow no-break space
        ("1\u00a0000", Decimal(1000)),
        ("1'000", Decimal(1000)),
        ("1\u2019000", Decimal(1000)),
        ("1.000.000", Decimal(1_000_000)),
        ("1,000,000.50", Decimal("1000000.50")),
        ("1.000,50", Decimal("1000.50")),
        ("0.4", Decimal("0.4")),
        ("999999999999", Decimal(999_999_999_999)),
        ("1e309", None),
        ("1.5e2", None),
        ("NaN", None),
        ("inf", None),
        ("1.2.3", None),
    ],
)
def test_digits_are_read_whole_or_not_at_all(said: str, value: Decimal | None) -> None:
    assert read_digits(said) == value


@pytest.mark.parametrize(
    ("said", "budget"),
    [
        ("120,50", 120),  # "under 120,50" allows 120, never 121
        ("120.50", 120),
        ("1 000", 1000),
        ("1\u202f000", 1000),
        ("1'000", 1000),
        ("1.000", 1000),
        ("1,000", 1000),
        ("80", 80),
        ("100 000", MAX_BUDGET_EUR),
        ("two hundred", 200),  # in words
        ("a thousand", 1000),
        ("one hundred and fifty", 150),
        ("1_000", 1000),  # attack5 M1: a traceback before
        ("2 000", 2000),
        ("100k", 100_000),  # attack5 M2: no budget, no problem before
        ("1.5k", 1500),
    ],
)
def test_budget_numbers_read_or_refused(places: CatalogPlaces, said: str, budget: int) -> None:
    request = _parse(places, HOTEL.format(said))
    assert request.intent == "stay" and request.budget_per_night_eur == budget and request.problems == ()


@pytest.mark.parametrize(
    "said",
    [
        *("1 000 000", "1e309", "0.4", "NaN", "1.5e2", "999999999999", "-50", "0", "0,00", "inf"),
        *(
            "1\u202f000\u202f000",
            "1.000.000",
            "1,000,000",
            "0x100",
            "1_000_000",
        ),  # attack5: a traceback, or "0x100" read as 100
    ],
)
def test_a_budget_no_plan_can_keep_is_one_line_naming_it(places: CatalogPlaces, said: str) -> None:
    request = _parse(places, HOTEL.format(said))
    assert request.budget_per_night_eur is None
    _one_line_naming(request, said)


def test_a_budget_in_another_currency_is_one_line_naming_it(places: CatalogPlaces) -> None:
    """Never dropped in silence nor read as euros (attack7 M5): the concierge plans in euros and says so."""
    request = _parse(places, "Book a hotel in Lyon for 2 nights from tomorrow under $1 000 a night")
    assert request.budget_per_night_eur is None
    _one_line_naming(request, "$1 000")


@pytest.mark.parametrize(
    ("message", "said"),
    [
        ("Dinner in Lyon tomorrow for 1 000 people", "1 000"),
        ("Dinner in Lyon tomorrow for 1'000", "1'000"),
        ("Dinner in Lyon tomorrow for 1\u202f000 people", "1\u202f000"),
        ("Dinner in Lyon tomorrow for one thousand", "one thousand"),
        ("Dinner in Lyon tomorrow for two thousand people", "two thousand"),
        ("Dinner in Lyon tomorrow for 1,000 people", "1,000"),
        ("Dinner in Lyon tomorrow for 2,5 people", "2,5"),
        ("A party of 1 000 in Lyon tomorrow", "1 000"),
        ("Book dinner in Lyon tomorrow for 1e1", "1e1"),  # attack5 M2: no party, no problem before
        ("Book dinner in Lyon tomorrow for two and a half", "two and a half"),  # read as 2 before
        ("Book dinner in Lyon tomorrow for 2-3 people", "2-3"),  # read as 2 before: which is it?
        ("Book dinner in Lyon tomorrow for 2 or 3", "2 or 3"),
        ("A party of 1.000 in Lyon tomorrow", "1.000"),
        ("Dinner in Lyon tomorrow for 1_000 people", "1_000"),
    ],
)
def test_party_numbers_read_or_refused(places: CatalogPlaces, message: str, said: str) -> None:
    request = _parse(places, message)
    assert request.party_size is None
    _one_line_naming(request, said)


@pytest.mark.parametrize(
    ("message", "said"),
    [
        ("Hotel in Lyon for 1 000 nights from tomorrow for 2", "1 000 nights"),
        ("Hotel in Lyon for 1'000 nights from tomorrow for 2", "1'000 nights"),
        ("Trip to Lyon for 1 000 days for 2", "1 000 days"),
        ("Hotel in Lyon from tomorrow for 2,5 nights for 2", "2,5 nights"),
    ],
)
def test_stay_numbers_read_or_refused(places: CatalogPlaces, message: str, said: str) -> None:
    request = _parse(places, message)
    assert request.nights is None and request.party_size == 2  # "for 1 000 nights" is no party of 1
    _one_line_naming(request, said)


def test_plain_counts_still_read(places: CatalogPlaces) -> None:
    request = _parse(places, "Hotel in Lyon for 3 nights from tomorrow for 2 under 2 000 euros a night")
    assert (request.nights, request.party_size, request.budget_per_night_eur, request.problems) == (3, 2, 2000, ())


@pytest.mark.parametrize(
    ("value", "said"),
    [
        (0, "0"),
        (-5, "-5"),
        (1_000_000, "1000000"),
        ("1 000 000", "1 000 000"),
        ("1e309", "1e309"),
        (float("inf"), "inf"),
        (float("nan"), "nan"),
        ("NaN", "NaN"),
        (0.4, "0.4"),
    ],
)
@pytest.mark.parametrize("field", ["budget_per_night_eur", "party_size", "nights"])
def test_model_numbers_read_or_refused(places: CatalogPlaces, field: str, value: Any, said: str) -> None:
    """request_from_arguments: an out-of-range or unreadable number is one problem sentence, never a traceback."""
    request = _args(places, {"intent": "stay", field: value})
    assert getattr(request, field) is None
    _one_line_naming(request, said)


@pytest.mark.parametrize(
    ("field", "value", "read"),
    [
        ("budget_per_night_eur", "1 000", 1000),
        ("budget_per_night_eur", "120,50", 120),
        ("budget_per_night_eur", 120.5, 120),
        ("budget_per_night_eur", "1'000", 1000),
        ("party_size", "4", 4),
        ("party_size", 4.0, 4),
        ("nights", "three", 3),
    ],
)
def test_model_numbers_as_typed_are_read(places: CatalogPlaces, field: str, value: Any, read: int) -> None:
    request = _args(places, {"intent": "stay", field: value})
    assert getattr(request, field) == read and request.problems == ()


@pytest.fixture
def remote(settings: Settings) -> Iterator[tuple[ConciergeService, ModelServer]]:
    with service_on_a_model_server(settings) as pair:
        yield pair


@pytest.mark.parametrize("budget", [0, "1 000 000", "1e309"])
def test_a_models_budget_no_plan_can_keep_is_one_problem(
    remote: tuple[ConciergeService, ModelServer], project: str, budget: Any
) -> None:
    service, server = remote
    server.readings = [
        {
            "request": {
                "intent": "stay",
                "place": "Lyon",
                "nights": 2,
                "date": "tomorrow",
                "budget_per_night_eur": budget,
            }
        }
    ]
    reply = service.chat(service.scope("alice", project_id=project), "a hotel in Lyon, money no object")
    assert reply.request.budget_per_night_eur is None and len(reply.request.problems) == 1
    assert reply.plan is None


def test_the_cli_answers_a_huge_budget_in_one_line(project: str, capsys: pytest.CaptureFixture[str]) -> None:
    """attack4 M1: an 83-line traceback before; now the answer names the amount, and nothing is booked."""
    message = HOTEL.format("1 000 000")
    assert main(["ask", message, "--user", "t", "--project", project, "--json"]) == 0
    reply = __import__("json").loads(capsys.readouterr().out)
    assert reply["plan"] is None and len(reply["request"]["problems"]) == 1
    assert "1 000 000" in reply["request"]["problems"][0]


@pytest.mark.parametrize(
    ("now", "message"),
    [
        ("2026-11-25 01:45", "Book dinner in Lyon today at 1am for 2"),
        ("2026-11-25 01:45", "Book dinner in Lyon tonight at 1am for 2"),
        ("2026-11-25 01:45", "Book dinner in Lyon today at 00:30 for 2"),
        ("2026-11-25 00:10", "Book dinner in Lyon today at midnight for 2"),
        ("2026-11-25 15:30", "Lunch in Lyon today at 1pm for 2"),
    ],
)
def test_time_passed_small_hours(places: CatalogPlaces, now: str, message: str) -> None:
    request = _parse(places, message, now)
    assert request.intent == "dine" and request.time is None and request.date == datetime.date(2026, 11, 25)
    assert len(request.problems) == 1 and now[-5:] in request.problems[0]  # names the time it is now


@pytest.mark.parametrize(
    ("now", "message", "clock"),
    [
        ("2026-11-25 01:45", "Book dinner in Lyon today at 2am for 2", datetime.time(2)),
        ("2026-11-25 01:45", "Book dinner in Lyon tomorrow at 1am for 2", datetime.time(1)),
        ("2026-11-25 15:30", "Dinner in Lyon today at 8pm for 2", datetime.time(20)),
    ],
)
def test_a_time_still_ahead_is_kept(places: CatalogPlaces, now: str, message: str, clock: datetime.time) -> None:
    request = _parse(places, message, now)
    assert request.time == clock and request.problems == ()


def test_a_models_time_already_passed_is_one_problem(places: CatalogPlaces) -> None:
    request = _args(places, {"intent": "dine", "date": "2026-11-25", "time": "01:00"}, "2026-11-25 01:45")
    assert request.time is None and len(request.problems) == 1 and "01:00" in request.problems[0]
    later = _args(places, {"intent": "dine", "date": "2026-11-25", "time": "02:00"}, "2026-11-25 01:45")
    assert later.time == datetime.time(2) and later.problems == ()


# -- attack5 M1/M2: every number format, in budgets, parties and stays, through both readers --------------------------
def _formats(value: Decimal, field: str) -> list[tuple[str, Decimal | None]]:
    """``value`` written the ways people (and programs) write numbers, each with what it means (None: no one
    number, so it must be refused): separators of every kind, a decimal point or comma, "k", an exponent, hex."""
    whole = value == value.to_integral_value()
    n = int(value)
    said: list[tuple[str, Decimal | None]] = [(str(n) if whole else str(value), value)]
    if whole and n >= 1000:
        groups = f"{n:,}"
        said += [(groups.replace(",", sep), value) for sep in (",", ".", " ", "\u00a0", "\u202f", "'", "\u2019", "_")]
    if whole and n % 1000 == 0 and n >= 1000:
        said.append((f"{n // 1000}k", value))
    if whole and n % 100 == 0 and n >= 1000:
        said.append((f"{n / 1000:g}k", value))
    if not whole:
        said.append((str(value).replace(".", ","), value))
    said += [(f"{n}e0", None), (f"{hex(n)}", None), (f"-{n}", None)]
    return [*said, (f"{n}-{n + 1}", None if field != "budget_per_night_eur" else Decimal(n + 1))]  # a budget: its top


_VALUES = [Decimal(v) for v in ("1", "2", "7", "15", "120", "120.5", "1500", "2000", "100000", "1000000")]
_TEMPLATES = {
    "budget_per_night_eur": [HOTEL, "Book a hotel in Lyon for 2 nights from tomorrow under €{} a night"],
    "party_size": ["Book dinner in Lyon tomorrow for {} people", "Book dinner in Lyon tomorrow, a party of {}"],
    "nights": ["Book a hotel in Lyon for {} nights from tomorrow for 2"],
}
_MOST = {"budget_per_night_eur": MAX_BUDGET_EUR, "party_size": 20, "nights": 60}


def _right_or_one_line(request: TurnRequest, field: str, said: str, means: Decimal | None) -> str | None:
    """Why the reading of ``said`` is wrong, else None: the value it means, or exactly one line naming it."""
    got = getattr(request, field)
    plannable = means is not None and 1 <= means <= _MOST[field]
    plannable = plannable and (field == "budget_per_night_eur" or means == means.to_integral_value())
    if plannable and got == int(means) and not request.problems:  # type: ignore[arg-type]
        return None
    named = [re.sub(r"\D", "", part) for part in said.split("-") if part]  # a range: either end
    lines = [p for p in request.problems if any(n in re.sub(r"\D", "", p) for n in named)]
    if got is None and len(request.problems) == 1 and lines and "\n" not in lines[0]:
        return None
    return f"{field} {said!r}: got {got!r}, problems {request.problems}"


def test_every_number_format_is_read_right_or_one_line_offline(places: CatalogPlaces) -> None:
    """The offline reader: no exception, and each number is its value or one problem line naming it."""
    wrong = []
    with freeze_time(NOW):  # once: a frozen clock per message costs more than the reading
        for field, templates in _TEMPLATES.items():
            for value in _VALUES:
                for said, means in _formats(value, field):
                    for template in templates:
                        request = parse_request(template.format(said), now=datetime.datetime.now(), places=places)
                        wrong.append(_right_or_one_line(request, field, said, means))
    assert [w for w in wrong if w] == []


def test_every_number_format_is_read_right_or_one_line_from_model_arguments(places: CatalogPlaces) -> None:
    """request_from_arguments: the same formats as a model may pass them on, as strings."""
    wrong = []
    with freeze_time(NOW):
        for field in _TEMPLATES:
            for value in _VALUES:
                for said, means in _formats(value, field):
                    arguments = {"intent": "stay", field: said}
                    request = request_from_arguments(arguments, now=datetime.datetime.now(), places=places)
                    wrong.append(_right_or_one_line(request, field, said, means))
    assert [w for w in wrong if w] == []
