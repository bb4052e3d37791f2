"""Understanding that generalises (issue 21): kinds of turn read by example, adjective needs, whose need,
statements that plan nothing, questions that get answers, ordinary words. Phrasings here are not in
config/turn_kinds.yaml's examples nor in the dev set (data/understanding/dev.yaml)."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest
from freezegun import freeze_time

from concierge.catalog.climate import closest_destinations
from concierge.catalog.cuisine import suits_meal
from concierge.catalog.loader import Catalog, load_catalog
from concierge.conversation.state import SessionState
from concierge.errors import ConfigError
from concierge.needs import detect_needs
from concierge.needs.asked import needs_asked
from concierge.needs.spelling import spelled_out
from concierge.offline.follow_up import read_follow_up
from concierge.offline.kinds import read_kind, turn_kinds
from concierge.offline.parse import parse_request
from concierge.request import CatalogPlaces, PlaceRef, TurnRequest
from concierge.runtime_env import PROJECT_ROOT

NOW = "2026-11-25 15:30"  # a Wednesday


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog(PROJECT_ROOT / "data" / "catalog")


@pytest.fixture(scope="module")
def places(catalog: Catalog) -> CatalogPlaces:
    return CatalogPlaces(catalog)


def _parse(places: CatalogPlaces, message: str) -> TurnRequest:
    with freeze_time(NOW):
        return parse_request(message, now=datetime.datetime.now(), places=places)


# -- kinds of turn by example ----------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("message", "kind"),
    [
        ("could you go a little cheaper on that?", "cheaper"),
        ("could we splash out on somewhere fancier?", "pricier"),
        ("how warm is Naples in September?", "place_question"),
        ("what food must a chef never give me?", "needs_question"),
        ("I'm flying out to Osaka in the spring", "statement"),
    ],
)
def test_kinds_are_read_from_examples_not_listed(message: str, kind: str) -> None:
    assert read_kind(message).kind == kind


def test_a_team_adds_a_kind_by_adding_examples(tmp_path: Path) -> None:
    (tmp_path / "turn_kinds.yaml").write_text(
        "margin: 0.02\nmin_score: 0.3\nkinds:\n"
        "  ask_visa:\n    group: question\n"
        "    examples: ['do I need a visa for Japan?', 'what visa does Mexico require?']\n"
        "  dine:\n    group: request\n    examples: ['dinner in Rome tomorrow', 'a table for two in Paris']\n",
        encoding="utf-8",
    )
    kinds = turn_kinds(tmp_path, cache_dir=tmp_path / "cache")
    reading = kinds.read("is a visa required to enter Mexico?")
    assert (reading.kind, reading.sure) == ("ask_visa", True)
    assert (tmp_path / "cache" / "turn-kinds-index.npz").exists()  # embedded once, cached like the catalog index


def test_a_kinds_file_without_examples_is_one_clear_error(tmp_path: Path) -> None:
    (tmp_path / "turn_kinds.yaml").write_text(
        "margin: 0.02\nmin_score: 0.3\nkinds:\n"
        "  a: {group: request, examples: [one]}\n  b: {group: said, examples: [x, y]}\n",
        encoding="utf-8",
    )
    with pytest.raises(ConfigError, match=r"turn_kinds\.yaml"):
        turn_kinds(tmp_path, cache_dir=None)


# -- the offline reading ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("message", "intent"),
    [
        ("I'm pescatarian and we're taking the kids to Italy at Easter", "statement"),
        ("gluten intolerant, flying to Porto in June", "statement"),
        ("how cold does Amsterdam get in January?", "place_question"),
        ("which foods do you keep away from me when you book?", "needs_question"),
        ("dinnner in Lisbn tomorow at 8", "dine"),
        ("a trip to Lisbon next month", "trip"),  # a fragment asks, it does not tell
        ("I'm coeliac, book dinner in Rome on Friday for 2", "dine"),  # a statement with a request is the request
        ("a nut-free lunch in Bologna on Friday", "dine"),  # a need that describes the meal asked for
        ("moving to Lisbon in the spring, can't eat gluten", "statement"),  # a need told beside a plan
    ],
)
def test_intent_of_paraphrases(places: CatalogPlaces, message: str, intent: str) -> None:
    assert _parse(places, message).intent == intent


def test_a_place_question_carries_the_month(places: CatalogPlaces) -> None:
    request = _parse(places, "what's the weather like in Seville in October?")
    assert (request.intent, request.place and request.place.city, request.month) == ("place_question", "Seville", 10)


def test_a_misspelt_catalog_city_is_read_but_a_word_is_not(places: CatalogPlaces) -> None:
    request = _parse(places, "lunch in Amsterdm on Friday for 2")
    assert request.place is not None and request.place.city == "Amsterdam"
    assert request.problems == ()  # read beyond doubt: planned, the reading marked as assumed in the plan
    assert places.misspelt_in("somewhere nicer for lunch") is None  # "nicer" is a word, not Nice


def test_people_who_cannot_be_counted_are_asked_for(places: CatalogPlaces) -> None:
    request = _parse(places, "dinner in Lyon on Friday with my cousins")
    assert request.party_size is None and request.problems
    assert _parse(places, "dinner in Lyon on Friday with my two cousins").party_size == 3


def test_a_weekend_is_friday_to_sunday(places: CatalogPlaces) -> None:
    request = _parse(places, "plan us a weekend in Bologna")
    assert (request.date, request.nights) == (datetime.date(2026, 11, 27), 2)


def test_also_in_a_first_message_is_not_a_follow_up(places: CatalogPlaces) -> None:
    message = "Lunch in Porto on Saturday for 3, and I'm also vegetarian"
    request = _parse(places, message)
    with freeze_time(NOW):
        found = read_follow_up(message, request=request, now=datetime.datetime.now(), places=places, has_plan=False)
    assert request.intent == "dine" and found is None


def test_a_paraphrased_cheaper_edits_the_plan(places: CatalogPlaces) -> None:
    message = "could you find me somewhere less pricey?"
    request = _parse(places, message)
    with freeze_time(NOW):
        found = read_follow_up(message, request=request, now=datetime.datetime.now(), places=places, has_plan=True)
    assert found is not None and found.cheaper


# -- needs -----------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("message", "needs"),
    [
        ("a kosher deli in New York on Sunday", {"kosher"}),
        ("vegan tapas in Seville tonight", {"vegan"}),
        ("I'd like a halal place in Milan", {"halal"}),
        ("I adore vegan cakes", set()),  # a taste, not a need
        ("no vegan menu needed, dinner in Rome", set()),
        ("my brother is vegetarian", set()),  # his own need, read by detect_needs
    ],
)
def test_needs_a_request_asks_of_the_venue(message: str, needs: set[str]) -> None:
    assert {n.need_id for n in needs_asked(message)} == needs
    assert all(n.holder == "user" for n in needs_asked(message))


@pytest.mark.parametrize(
    ("message", "holders"),
    [
        ("a weekend in Nice for me and my girlfriend, she's coeliac", {("gluten", "girlfriend")}),
        ("lunch for six on Sunday, one of us is vegetarian", {("vegetarian", "one of us")}),
        ("table for 4 in Rome; somebody in the group is kosher", {("kosher", "one of us")}),
        ("dinner with my dad tomorrow, he can't eat shellfish", {("crustaceans", "dad"), ("molluscs", "dad")}),
    ],
)
def test_whose_need(message: str, holders: set[tuple[str, str]]) -> None:
    assert {(n.need_id, n.holder) for n in detect_needs(message) if n.active} == holders


def test_needs_are_kept_in_canonical_words() -> None:
    assert spelled_out("my son is alergic to sesmae") == "my son is allergic to sesame"
    assert spelled_out("I love Pariss") == "I love Pariss"  # only the needs vocabulary is corrected


# -- ordinary words and the session ----------------------------------------------------------------------------------
def test_a_vague_wish_offers_several_destinations(catalog: Catalog) -> None:
    assert len(closest_destinations(catalog, "warm", 1, 3)) == 3


def test_no_dinner_at_a_pastry_shop_unless_asked_for() -> None:
    assert not suits_meal("Pastelaria", "dinner")
    assert suits_meal("Pastelaria", "lunch")
    assert suits_meal("Churros café", "dinner", asked_cuisine="churros")


def test_a_country_trip_round_trips_through_the_session_state() -> None:
    place = PlaceRef(said="Spain", city=None, country="Spain", in_catalog=True)
    state = SessionState(turn=1, request=TurnRequest(intent="trip", place=place, month=3))
    again = SessionState.model_validate_json(state.model_dump_json(exclude_none=True))
    assert again.request is not None and again.request.place == place
