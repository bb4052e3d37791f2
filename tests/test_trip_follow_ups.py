"""Follow-ups on a trip's itinerary edit one day and keep every other day byte-for-byte; a new need re-checks
every meal; a cuisine the user asks for filters venues (and is said plainly when none qualifies).

Reading tests need no database; the service tests run the real crew on the offline model. Expected values come
from the shipped catalog's data (cuisines, dietary options), never from the wording of a reply.
"""

from __future__ import annotations

import datetime as dt
import json

import pytest

from concierge.catalog.cuisine import serves_cuisine
from concierge.catalog.loader import load_catalog
from concierge.catalog.schema import Restaurant
from concierge.catalog.search import CatalogSearch
from concierge.conversation.kept_trip import expand
from concierge.conversation.state import SessionState, load_state, record_text, state_of
from concierge.conversation.trip import DayEdit, day_edit
from concierge.crew.itinerary import plan_itinerary
from concierge.crew.itinerary_models import Itinerary
from concierge.crew.outputs import SearchReport
from concierge.crew.tools.catalog import SearchRestaurantsTool
from concierge.memory.layer import MAX_TEXT_CHARS
from concierge.memory.records import MemoryRecord
from concierge.offline.day_edit import read_day_said
from concierge.reply import Reply
from concierge.runtime_env import PROJECT_ROOT
from concierge.service import ConciergeService
from concierge.settings import Settings

# The same clock and turn builder as the itinerary tests (4 June 2027 is a Friday).
from tests.model_server import ModelServer, remote_settings
from tests.test_itinerary import NOW, _turn


@pytest.fixture(scope="module")
def catalog(tmp_path_factory: pytest.TempPathFactory) -> CatalogSearch:
    return CatalogSearch(load_catalog(PROJECT_ROOT / "data" / "catalog"), tmp_path_factory.mktemp("cache"))


@pytest.fixture(scope="module")
def tokyo(catalog: CatalogSearch) -> Itinerary:
    trip = plan_itinerary(_turn(catalog, "Plan 3 days in Tokyo from 4 June"), catalog)
    assert trip is not None and len(trip.days) == 3 and trip.days[0].date.weekday() == 4
    return trip


# -- reading ------------------------------------------------------------------------------------------------------
def read_day_edit(text: str, itinerary: Itinerary, now: dt.datetime) -> DayEdit | str | None:
    """The offline reader's day of the trip, checked against the itinerary as the trip handler does."""
    said = read_day_said(text, now)
    return None if said is None else day_edit(said, itinerary)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("make day 2 dinner Japanese", DayEdit(2, "dinner", cuisine="japanese")),
        ("on the second day, lunch somewhere cheaper", DayEdit(2, "lunch", cheaper=True, swap=True)),
        ("swap Friday's dinner", DayEdit(1, "dinner", swap=True)),
        ("no lunch on day 3", DayEdit(3, "lunch", remove=True)),
        ("day 3 dinner for 4 at 8pm", DayEdit(3, "dinner", time=dt.time(20), party_size=4)),
        ("the last day, dinner sushi", DayEdit(3, "dinner", cuisine="sushi")),
        ("on day two, dinner at 9pm", DayEdit(2, "dinner", time=dt.time(21))),
        ("Saturday lunch somewhere Italian please", DayEdit(2, "lunch", cuisine="italian", swap=True)),
    ],
)
def test_day_edits_over_phrasings(tokyo: Itinerary, text: str, expected: DayEdit) -> None:
    assert read_day_edit(text, tokyo, NOW) == expected


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("make day 9 dinner Japanese", "day 9"),
        ("what about Tuesday's dinner?", "Tuesday"),
        ("the fifth day, lunch somewhere cheaper", "fifth day"),
        ("make day 1 Italian", "lunch or dinner"),  # two meals that day: which one?
        ("day 2 dinner", "day 2"),  # nothing to change said
    ],
)
def test_an_unresolvable_day_or_meal_gets_a_question(tokyo: Itinerary, text: str, names: str) -> None:
    question = read_day_edit(text, tokyo, NOW)
    assert isinstance(question, str) and question.endswith("?") and names.casefold() in question.casefold()


@pytest.mark.parametrize("text", ["for 5 nights instead", "my friend is vegan", "yes, send it", "what about Kyoto?"])
def test_messages_naming_no_day_are_not_day_edits(tokyo: Itinerary, text: str) -> None:
    assert read_day_edit(text, tokyo, NOW) is None


@pytest.mark.parametrize("message", ["Plan 3 days in Tokyo from 4 June", "Plan 22 days in Lyon from 4 June"])
def test_the_session_keeps_an_itinerary_compactly_and_rebuilds_it_field_for_field(
    catalog: CatalogSearch, message: str
) -> None:
    trip = plan_itinerary(_turn(catalog, message, ("I am allergic to peanuts",)), catalog)
    assert trip is not None and trip.stay_plan is not None and any(s.draft for s in trip.slots())
    state = SessionState(turn=1, plan=trip.stay_plan, draft=trip.stay_draft, itinerary=trip, summary="trip")
    record = record_text(state)
    assert len(record) <= MAX_TEXT_CHARS
    loaded = state_of(MemoryRecord(id="m1", text=record, user_id="alice", project_id="p"))
    assert loaded is not None and loaded.itinerary is None and loaded.trip is not None  # stored by venue id
    assert expand(loaded.trip, catalog.catalog, loaded.plan, loaded.draft) == trip


# -- cuisine as a filter ------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("style", "cuisine", "serves"),
    [
        ("Soba and udon", "japanese", True),
        ("Izakaya", "japanese", True),
        ("Pizzeria", "italian", True),
        ("Pizzeria", "pizza", True),
        ("Crêperie", "french", True),
        ("Crêperie", "crêpes", True),
        ("Taquería", "tacos", True),
        ("Seafood", "japanese", False),
        ("Vegetarian", "italian", False),
        ("Modern British", "british", True),
    ],
)
def test_a_broad_cuisine_covers_its_catalog_styles(style: str, cuisine: str, serves: bool) -> None:
    assert serves_cuisine(style, cuisine) is serves


@pytest.mark.parametrize(
    ("message", "city", "cuisine"),
    [
        ("Japanese dinner in Tokyo tomorrow", "Tokyo", "japanese"),
        ("Italian dinner in Rome tomorrow", "Rome", "italian"),
        ("A Japanese dinner in Lyon tomorrow", "Lyon", "japanese"),
    ],
)
def test_the_restaurant_tool_returns_only_the_cuisine_asked_for(
    catalog: CatalogSearch, message: str, city: str, cuisine: str
) -> None:
    turn = _turn(catalog, message)
    assert turn.request.cuisine == cuisine
    tool = SearchRestaurantsTool(catalog=catalog, turn=turn)
    found = SearchReport.model_validate_json(tool.run(query=cuisine, location=city, meal="dinner", max_results=10))
    styles = {r.id: r.cuisine for r in catalog.catalog.restaurants}
    city_has = [r for r in catalog.catalog.restaurants if r.city == city and serves_cuisine(r.cuisine, cuisine)]
    assert all(serves_cuisine(styles[o.id], cuisine) for o in found.options)
    assert bool(found.options) == bool(city_has)  # Tokyo and Rome have some; Lyon has none
    if not city_has:
        assert any(e.reason.startswith(f"not {cuisine}") for e in found.excluded)


# -- through the service ------------------------------------------------------------------------------------------
def _restaurants(service: ConciergeService) -> dict[str, Restaurant]:
    return {r.id: r for r in load_catalog(service.settings.catalog_dir).restaurants}


def _assert_only_day_changed(before: Itinerary, after: Itinerary, day: int) -> None:
    """Every other day is byte-for-byte the same (drafts included); the stay too."""
    assert len(before.days) == len(after.days) >= 2
    for old, new in zip(before.days, after.days, strict=True):
        if old.day != day:
            assert old.model_dump_json() == new.model_dump_json(), f"day {old.day} changed"
    assert before.day(day).model_dump_json() != after.day(day).model_dump_json()
    assert before.stay == after.stay and before.stay_draft == after.stay_draft


def _edit(service: ConciergeService, scope: object, text: str, before: Itinerary, day: int) -> Itinerary:
    reply: Reply = service.chat(scope, text)  # type: ignore[arg-type]
    assert reply.follow_up is not None and reply.follow_up.kind == "change", text
    assert reply.itinerary is not None, f"{text}: {reply.answer}"
    _assert_only_day_changed(before, reply.itinerary, day)
    kept = service.session_state(scope)  # type: ignore[arg-type]
    assert kept is not None and kept.itinerary == reply.itinerary  # the session keeps the edited itinerary
    assert f"Day {day}," in reply.answer
    return reply.itinerary


def test_day_edits_change_one_day_for_two_users(service: ConciergeService, project: str) -> None:
    venues = _restaurants(service)
    bob_home = service.scope("bob", project_id=project, run_id="b0")
    service.chat(bob_home, "I am allergic to peanuts.")
    alice = service.scope("alice", project_id=project, run_id="a1")
    bob = service.scope("bob", project_id=project, run_id="b1")
    trip = service.chat(alice, "Plan 3 days in Tokyo from 4 June for me and my husband").itinerary
    bobs = service.chat(bob, "Plan 3 days in Lyon from Friday").itinerary
    assert trip is not None and bobs is not None and bobs.days[0].date.weekday() == 4

    trip2 = _edit(service, alice, "make day 2 dinner sushi", trip, 2)
    dinner = trip2.day(2).slot("dinner")
    assert dinner is not None and dinner.venue is not None and "Sushi" in venues[dinner.venue.id].cuisine

    trip3 = _edit(service, alice, "no lunch on day 3", trip2, 3)
    assert trip3.day(3).slot("lunch") is None and trip3.day(3).slot("dinner") == trip2.day(3).slot("dinner")

    trip4 = _edit(service, alice, "day 3 dinner for 4 at 8pm", trip3, 3)
    late = trip4.day(3).slot("dinner")
    assert late is not None and late.party_size == 4 and late.time == dt.time(20)
    assert late.draft is not None and "4 people" in late.draft.body

    bobs2 = _edit(service, bob, "swap Friday's dinner", bobs, 1)
    bobs3 = _edit(service, bob, "on the second day, dinner somewhere else", bobs2, 2)
    for edited in (bobs2.day(1).slot("dinner"), bobs3.day(2).slot("dinner")):
        assert edited is not None and edited.venue is not None
        assert "peanut_free" in venues[edited.venue.id].dietary_options  # his own need, from his own scope
    assert all(n.need_id != "peanut_allergy" for n in trip4.needs)  # never alice's

    asked = service.chat(alice, "what about day 9?")
    assert asked.plan is None and asked.itinerary is None and "day 9" in asked.answer
    assert service.session_state(alice).itinerary == trip4  # type: ignore[union-attr]


def test_a_real_model_reads_a_day_edit_into_the_follow_up_and_the_handler_applies_it(
    settings: Settings, project: str
) -> None:
    """The day edit is part of reading: a model fills ``follow_up.day`` (scripted here by a FAKE OpenAI-compatible
    server, the external boundary) from the trip's days it was shown, and the trip handler applies it."""
    with ModelServer(api_key="test-key") as server:
        service = ConciergeService.from_settings(remote_settings(settings, server.base_url, "test-key"))
        try:
            alice = service.scope("alice", project_id=project, run_id="m1")
            trip = service.chat(alice, "Plan 3 days in Tokyo from 4 June for me and my husband").itinerary
            assert trip is not None
            day = {"words": "the middle day", "number": 2, "meal": "dinner", "cuisine": "sushi", "time": "9pm"}
            server.readings = [{"request": {"intent": "statement"}, "follow_up": {"kind": "change", "day": day}}]
            reply = service.chat(alice, "for the middle day's evening meal, raw fish at nine")
            prompt = json.dumps(server.of("reader")[-1].messages)
        finally:
            service.close()
    assert "trip_days" in prompt  # the model was shown the trip's days
    assert reply.follow_up is not None and reply.follow_up.day is not None and reply.follow_up.day.number == 2
    assert reply.itinerary is not None, reply.answer
    _assert_only_day_changed(trip, reply.itinerary, 2)
    dinner = reply.itinerary.day(2).slot("dinner")
    assert dinner is not None and dinner.time == dt.time(21) and dinner.venue is not None
    assert "Sushi" in _restaurants(service)[dinner.venue.id].cuisine


def test_a_new_need_during_a_trip_replaces_only_the_meals_that_fail_it(service: ConciergeService, project: str) -> None:
    venues = _restaurants(service)
    alice = service.scope("alice", project_id=project, run_id="a1")
    trip = service.chat(alice, "Plan 3 days in Tokyo from 4 June for me and my husband").itinerary
    assert trip is not None
    trip = service.chat(alice, "day 3 dinner for 4 at 8pm").itinerary  # an edit the re-check must not undo
    assert trip is not None and trip.day(3).slot("dinner").party_size == 4  # type: ignore[union-attr]
    reply = service.chat(alice, "my friend is vegan")
    after = reply.itinerary
    assert reply.follow_up is not None and reply.follow_up.kind == "add_need" and after is not None
    assert any(n.need_id == "vegan" and n.holder == "friend" for n in after.needs)
    kept, replaced = 0, 0
    for old, new in zip(trip.slots(), after.slots(), strict=True):
        assert old.venue is not None and new.venue is not None and old.meal == new.meal
        assert "vegan" in venues[new.venue.id].dietary_options
        if "vegan" in venues[old.venue.id].dietary_options:
            assert (new.venue.id, new.time, new.party_size) == (old.venue.id, old.time, old.party_size)  # kept
            kept += 1
        else:
            replaced += 1
        assert new.draft is not None and "vegan" in new.draft.body  # every venue hears of the new need
    assert kept and replaced  # the shipped Tokyo data has both kinds


def test_an_access_need_during_a_trip_rechecks_the_stay_and_every_meal(service: ConciergeService, project: str) -> None:
    venues = _restaurants(service)
    stays = {s.id: s for s in load_catalog(service.settings.catalog_dir).stays}
    bob = service.scope("bob", project_id=project, run_id="b1")
    assert service.chat(bob, "Plan 3 days in Lisbon from 4 June").itinerary is not None
    reply = service.chat(bob, "it must be step-free")
    trip = reply.itinerary
    assert trip is not None and trip.stay is not None and reply.plan is not None and reply.draft is not None
    assert "step_free" in stays[trip.stay.id].accessibility and reply.plan.chosen == trip.stay
    assert any("step-free" in n.label for n in reply.plan.needs) and "step-free" in reply.draft.body
    booked = [s.venue for s in trip.slots() if s.venue is not None]
    assert booked and all("step_free" in venues[v.id].accessibility for v in booked)
    assert service.session_state(bob).itinerary == trip  # type: ignore[union-attr]


@pytest.mark.parametrize("switch", ["something Japanese", "what about Japanese instead?", "can we do Japanese food"])
def test_a_cuisine_no_venue_serves_is_said_plainly_and_the_plan_kept(
    service: ConciergeService, project: str, switch: str
) -> None:
    alice = service.scope("alice", project_id=project, run_id="a1")
    first = service.chat(alice, "Plan a dinner in Lyon tomorrow evening")
    assert first.plan is not None and first.plan.chosen is not None and first.session is not None
    reply = service.chat(alice, switch)
    assert reply.follow_up is not None and reply.follow_up.cuisine == "japanese"
    assert reply.plan is not None and reply.plan.chosen is not None and reply.plan.chosen.id == first.plan.chosen.id
    assert "Japanese" in reply.answer and "Lyon" in reply.answer
    state = load_state(service.memory, alice)
    assert state is not None and state.turn == first.session.turn and state.plan == first.plan


@pytest.mark.parametrize(
    ("first", "switch", "cuisine"),
    [
        ("Plan a dinner in Lyon tomorrow evening", "something with seafood instead", "seafood"),
        ("Plan a dinner in Paris tomorrow at 8pm", "what about Provençal instead?", "provençal"),
        ("Plan a dinner in Rome tomorrow at 8pm", "let's try Italian", "italian"),
    ],
)
def test_a_cuisine_follow_up_gives_only_that_cuisine_for_two_users(
    service: ConciergeService, project: str, first: str, switch: str, cuisine: str
) -> None:
    venues = _restaurants(service)
    alice = service.scope("alice", project_id=project, run_id="a1")
    bea = service.scope("bea", project_id=project, run_id="b1")
    service.chat(alice, first)
    service.chat(bea, "I am vegetarian. Book a dinner in Naples tomorrow at 8pm")
    for scope, text, wanted, need in (
        (alice, switch, cuisine, None),
        (bea, "what about Italian instead?", "italian", "vegetarian"),
    ):
        reply = service.chat(scope, text)
        plan = reply.plan
        assert plan is not None and plan.chosen is not None and reply.follow_up is not None
        shown = [plan.chosen, *plan.backups]
        assert all(serves_cuisine(venues[o.id].cuisine, wanted) for o in shown), [venues[o.id].cuisine for o in shown]
        if need:
            assert all(need in venues[o.id].dietary_options for o in shown)
