"""The pure checks behind the crew's guardrails (``concierge.crew.checks``), on the shipped catalog, no model.

The turn's tools run for real (needs from a fixed list of texts, as the service reads them from the user's
scope); the plans and drafts under test are built here the way a model might answer.
"""

from __future__ import annotations

import datetime as dt

import pytest

from concierge.catalog.loader import load_catalog
from concierge.catalog.search import CatalogSearch
from concierge.crew.checks import checked_draft, checked_plan, compose_draft, draft_problems, plan_problems
from concierge.crew.outputs import Draft, Option, Plan
from concierge.crew.tools import research_tools
from concierge.crew.turn import TurnContext, need_notes
from concierge.needs import active_needs
from concierge.offline.parse import parse_request
from concierge.request import CatalogPlaces
from concierge.runtime_env import PROJECT_ROOT

NOW = dt.datetime(2026, 11, 25, 10, 0)
MESSAGE = "I'm allergic to peanuts. Dinner in Paris for 3 at 20:00 on 12 December"


@pytest.fixture(scope="module")
def catalog(tmp_path_factory: pytest.TempPathFactory) -> CatalogSearch:
    return CatalogSearch(load_catalog(PROJECT_ROOT / "data" / "catalog"), tmp_path_factory.mktemp("cache"))


@pytest.fixture
def turn(catalog: CatalogSearch) -> TurnContext:
    """A Paris dinner turn after its restaurant search ran through the real tool."""
    places = CatalogPlaces(catalog.catalog)
    turn = TurnContext(
        user="alice",
        request=parse_request(MESSAGE, now=NOW, places=places),
        now=NOW,
        places=places,
        read_needs=lambda: active_needs([MESSAGE]),
    )
    tools = {t.name: t for t in research_tools(catalog, turn)}
    tools["search_restaurants"].run(query="dinner")
    return turn


def _good(turn: TurnContext) -> Plan:
    first, second = turn.findings().options("restaurant")[:2]
    return Plan(chosen=first, backups=[second], time=first.booking_time, needs=need_notes(turn.needs()))


def test_a_plan_among_the_tools_answers_with_every_need_passes(turn: TurnContext) -> None:
    assert plan_problems(_good(turn), turn) == []


def test_a_venue_the_tools_did_not_return_fails(turn: TurnContext, catalog: CatalogSearch) -> None:
    invented = Option(id="r-nowhere-01", name="Invented", kind="restaurant", city="Paris", country="France")
    problems = plan_problems(_good(turn).model_copy(update={"chosen": invented}), turn)
    assert len(problems) == 1 and "r-nowhere-01" in problems[0]


def test_a_venue_in_another_city_than_asked_fails(turn: TurnContext, catalog: CatalogSearch) -> None:
    lyon = next(r for r in catalog.catalog.restaurants if r.city == "Lyon")
    elsewhere = Option(id=lyon.id, name=lyon.name, kind="restaurant", city="Lyon", country="France")
    problems = plan_problems(_good(turn).model_copy(update={"chosen": elsewhere}), turn)
    assert any("Lyon" in p and "Paris" in p for p in problems)  # and it was not returned either
    assert len(problems) == 2


@pytest.mark.parametrize(
    ("field", "value"),
    [("date", dt.date(2026, 12, 13)), ("party_size", 4), ("meal", "lunch"), ("time", dt.time(21, 0))],
)
def test_a_field_contradicting_the_typed_request_fails(turn: TurnContext, field: str, value: object) -> None:
    problems = plan_problems(_good(turn).model_copy(update={field: value}), turn)
    assert any(str(value) in p for p in problems), problems


def test_a_booking_time_outside_the_venues_hours_fails(turn: TurnContext) -> None:
    plan = _good(turn)
    assert plan.chosen is not None and plan.chosen.opening_hours
    turn.request = turn.request.model_copy(update={"time": None})  # so only the hours can object
    problems = plan_problems(plan.model_copy(update={"time": dt.time(4, 0)}), turn)
    assert len(problems) == 1 and "04:00" in problems[0] and plan.chosen.opening_hours in problems[0]


def test_a_plan_leaving_out_a_need_of_the_party_fails(turn: TurnContext) -> None:
    problems = plan_problems(_good(turn).model_copy(update={"needs": []}), turn)
    assert len(problems) == 1 and "peanut allergy" in problems[0]


def test_the_safe_plan_keeps_only_options_where_the_user_asked(turn: TurnContext, catalog: CatalogSearch) -> None:
    lyon = next(r for r in catalog.catalog.restaurants if r.city == "Lyon")
    turn.reports[0].options.insert(
        0, Option(id=lyon.id, name=lyon.name, kind="restaurant", city="Lyon", country="France")
    )  # as if a model had searched Lyon too
    plan = checked_plan(None, turn)
    assert plan.chosen is not None and plan.chosen.city == "Paris" and all(b.city == "Paris" for b in plan.backups)
    assert (plan.date, plan.time, plan.party_size) == (dt.date(2026, 12, 12), dt.time(20, 0), 3)


def test_a_draft_missing_a_need_or_the_time_or_misaddressed_fails_and_is_composed(turn: TurnContext) -> None:
    plan = checked_plan(_good(turn), turn)
    composed = compose_draft(plan, "alice")
    assert composed is not None and draft_problems(composed, plan, "alice", MESSAGE) == []
    vague = Draft(to="someone@else.example", subject="Table", body="A table for 3 on 12 December, please.")
    problems = draft_problems(vague, plan, "alice", MESSAGE)
    assert len(problems) == 3  # the address, the need, the time
    assert any("peanut allergy" in p for p in problems) and any("20:00" in p for p in problems)
    assert checked_draft(vague, plan, "alice", MESSAGE) == composed


def test_a_draft_quoting_the_users_message_fails(turn: TurnContext) -> None:
    plan = checked_plan(_good(turn), turn)
    composed = compose_draft(plan, "alice")
    assert composed is not None
    quoting = composed.model_copy(update={"body": f"{composed.body}\n{MESSAGE}"})
    assert len(draft_problems(quoting, plan, "alice", MESSAGE)) == 1
